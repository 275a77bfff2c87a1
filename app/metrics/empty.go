package metrics

import "math"

// noLabelsReason is why every measure is undefined on a Dataset without a
// single label: a project created without a label set and not imported
// into yet (or whose first import was refused or interrupted).
const noLabelsReason = "no labels yet: nothing has been labeled"

// emptyReport completes rep for a Dataset with no labels. The analysis
// packages treat zero categories as a caller's bug (they panic), so the
// report is built here without calling them: zeros for the counts, null
// (NaN) with a reason for every measure.
func emptyReport(rep *Report, ties string) *Report {
	nan := Float(math.NaN())
	a := &Agreement{Undefined: map[string]string{}, PerLabel: map[string]LabelAgreement{}, Pairwise: []Pair{}}
	undef := func(name string) *Coef {
		a.Undefined[name] = noLabelsReason
		return &Coef{Value: nan, SE: nan, CILow: nan, CIHigh: nan, PValue: nan, Pa: nan, Pe: nan}
	}
	a.PercentAgreement = undef("percent_agreement")
	a.FleissKappa = undef("fleiss_kappa")
	a.CongerKappa = undef("conger_kappa")
	a.GwetAC1 = undef("gwet_ac1")
	a.BrennanPrediger = undef("brennan_prediger")
	a.KrippendorffAlpha = undef("krippendorff_alpha")
	for _, k := range []string{"cohen_kappa", "scott_pi", "bangdiwala_b"} {
		a.Undefined[k] = noLabelsReason
	}
	rep.Agreement = a
	rep.Annotators = []Annotator{}
	mv := MajorityVote{TieRule: ties, GoldAccuracy: nan}
	rep.Aggregation = Aggregation{MajorityVote: mv, WeightedMajorityVote: mv, DawidSkene: DawidSkene{GoldAccuracy: nan}}
	return rep
}
