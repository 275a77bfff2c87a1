package metrics

import (
	"cmp"
	"math"
	"slices"

	"labelqa/analysis/sampling"
	"labelqa/app/dataset"
)

// AuditAccuracy is the "audit" extension object of labelqa.metrics/v1: the
// share of audited judgments the auditors found right, with its interval
// (null when nothing in scope was audited).
type AuditAccuracy struct {
	Audits  int `json:"audits"`  // audited judgments in scope (verdict correct or incorrect)
	Correct int `json:"correct"` // of which correct
	// Accuracy is the estimate with its standard error and interval.
	Accuracy Coef `json:"accuracy"`
	// Method: "clopper-pearson" (every audited judgment had the same
	// inclusion probability: x/n with the exact interval) or
	// "horvitz-thompson" (weighted by 1/π; stratified variance and the
	// Korn-Graubard interval; analysis/sampling.Accuracy).
	Method string `json:"method"`
	// EffectiveN is the sample size the interval stands on.
	EffectiveN Float   `json:"effective_n"`
	Confidence float64 `json:"confidence"`
}

// AuditAccuracyOf estimates audit accuracy from the outcomes of audits of
// d's judgments at confidence conf (sampling.Accuracy): strata are the
// audit sheet's, each judgment's queue, market and given label. It is nil
// when there are no outcomes.
func AuditAccuracyOf(d *dataset.Dataset, outcomes []AuditOutcome, conf float64) *AuditAccuracy {
	if len(outcomes) == 0 {
		return nil
	}
	correct := make([]bool, len(outcomes))
	pi := make([]float64, len(outcomes))
	strata := AuditStrata(d, judgmentsOf(outcomes))
	for i, o := range outcomes {
		correct[i] = o.Correct
		pi[i] = o.InclusionProbability
		if !(pi[i] > 0 && pi[i] <= 1) {
			pi[i] = 1 // unknown design: as a census
		}
	}
	e := sampling.Accuracy(correct, pi, strata, conf)
	return &AuditAccuracy{
		Audits: e.N, Correct: e.Successes,
		Accuracy: Coef{Value: Float(e.Value), SE: Float(e.SE), CILow: Float(e.Low), CIHigh: Float(e.High), PValue: Float(math.NaN()),
			Pa: Float(math.NaN()), Pe: Float(math.NaN())},
		Method: e.Method, EffectiveN: Float(e.EffectiveN), Confidence: conf,
	}
}

func judgmentsOf(outcomes []AuditOutcome) []int {
	js := make([]int, len(outcomes))
	for i, o := range outcomes {
		js[i] = o.Judgment
	}
	return js
}

// AuditStrata returns the stratum code of each of judgments js of d: the
// audit design's strata, one per (queue, market, given label), coded in
// the sorted order of those names (so the codes, and a seeded draw over
// them, do not depend on how a Dataset happened to code its values).
func AuditStrata(d *dataset.Dataset, js []int) []int {
	// Markets coded per annotator, then one key of three codes per judgment.
	marketCode := map[string]int32{}
	var markets []string
	annMarket := make([]int32, len(d.Annotators))
	for i, a := range d.Annotators {
		c, ok := marketCode[a.Market]
		if !ok {
			c = int32(len(markets))
			marketCode[a.Market] = c
			markets = append(markets, a.Market)
		}
		annMarket[i] = c
	}
	type key struct{ queue, market, label int32 }
	keys := make([]key, len(js))
	distinct := map[key]int{}
	for i, j := range js {
		k := key{d.Queue[j], annMarket[d.Annotator[j]], d.Label[j]}
		keys[i] = k
		distinct[k] = 0
	}
	sorted := make([]key, 0, len(distinct))
	for k := range distinct {
		sorted = append(sorted, k)
	}
	slices.SortFunc(sorted, func(a, b key) int {
		return cmp.Or(cmp.Compare(d.Queues[a.queue], d.Queues[b.queue]), cmp.Compare(markets[a.market], markets[b.market]),
			cmp.Compare(d.Labels[a.label], d.Labels[b.label]))
	})
	for i, k := range sorted {
		distinct[k] = i
	}
	out := make([]int, len(js))
	for i, k := range keys {
		out[i] = distinct[k]
	}
	return out
}
