// Package metrics computes the contract's labelqa.metrics/v1 object from a
// Dataset: counts, inter-annotator agreement, accuracy against gold,
// per-annotator scorecards and the aggregated (majority vote, Dawid-Skene)
// answers. It also builds the roll-up scorecards of "labelqa scorecard".
// No UI and no SQL: the caller builds the Dataset (dataset.FromStore or
// dataset.FromFiles).
package metrics

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"labelqa/analysis/agreement"
	"labelqa/analysis/gold"
	"labelqa/analysis/truth"
	"labelqa/app/dataset"
)

// OrderWarning returns the warning of a report with these options on d
// when a measure depends on the order of the labels and that order was not
// (wholly) declared, else "". Compute puts it in Report.Warnings; the
// workbench can show it before computing.
func OrderWarning(d *dataset.Dataset, opts Options) string {
	o, err := opts.parse(d)
	if err != nil {
		return ""
	}
	return orderWarning(d, o)
}

// maxOrderShown is how many labels the order warning spells out.
const maxOrderShown = 12

func orderWarning(d *dataset.Dataset, o *parsedOptions) string {
	var uses []string
	if o.weighted {
		uses = append(uses, o.weights.String()+" weights")
	}
	if o.levelSet && o.level != agreement.Nominal {
		uses = append(uses, "Krippendorff's alpha at the "+o.level.String()+" level")
	}
	if len(uses) == 0 || len(d.Labels) < 2 {
		return ""
	}
	if (&prepared{d: d, q: len(d.Labels)}).scores() != nil {
		return "" // numeric labels: their values give the order
	}
	var undeclared []string
	for i, l := range d.Labels {
		if i >= len(d.OrderDeclared) || !d.OrderDeclared[i] {
			undeclared = append(undeclared, l)
		}
	}
	if len(undeclared) == 0 {
		return ""
	}
	order := d.Labels
	more := ""
	if len(order) > maxOrderShown {
		order, more = order[:maxOrderShown], fmt.Sprintf(" < ... (%d labels)", len(d.Labels))
	}
	what := strings.Join(uses, " and ")
	if len(undeclared) == len(d.Labels) {
		return fmt.Sprintf("labels have no declared order; %s use the sorted order %s%s; declare the label order to change it",
			what, strings.Join(order, " < "), more)
	}
	subject, them := "labels "+strings.Join(undeclared, ", ")+" have", "them"
	if len(undeclared) == 1 {
		subject, them = "label "+undeclared[0]+" has", "it"
	}
	return fmt.Sprintf("%s no declared place in the label order; %s put %s after the declared labels: %s%s; declare every label's place to change it",
		subject, what, them, strings.Join(order, " < "), more)
}

func parseNumber(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
		err = fmt.Errorf("not finite")
	}
	return v, err
}

// dawidSkene is truth.DawidSkene; a test counts its calls.
var dawidSkene = truth.DawidSkene

// Compute returns the metrics object of d: Analyze(ctx, d, opts,
// nil).Report(). A face that also needs scorecards or the weekly series
// calls Analyze once and reads them all from the Analysis.
func Compute(ctx context.Context, d *dataset.Dataset, opts Options) (*Report, error) {
	a, err := Analyze(ctx, d, opts, nil)
	if err != nil {
		return nil, err
	}
	return a.Report(), nil
}

// placeholderDS stands in for the Dawid-Skene result while it is being
// computed: scorecard.Groups then leaves DSAccuracy NaN, and the caller
// fills it from the real result (a reviewer's own RaterAccuracy, or a
// group's judgment-weighted mean of it, as Groups defines it).
func placeholderDS(nRaters int) *truth.DSResult {
	acc := make([]float64, nRaters)
	for i := range acc {
		acc[i] = math.NaN()
	}
	return &truth.DSResult{RaterAccuracy: acc}
}

func interval(p gold.Proportion) Interval {
	return Interval{Value: Float(p.Value), CILow: Float(p.Low), CIHigh: Float(p.High), N: p.N}
}

func coef(res agreement.Result) *Coef {
	return &Coef{Value: Float(res.Value), SE: Float(res.SE), CILow: Float(res.CILow), CIHigh: Float(res.CIHigh),
		PValue: Float(res.PValue), Pa: Float(res.Pa), Pe: Float(res.Pe), Reason: res.Reason}
}

// agreement computes every coefficient from one Ratings (one pass of the
// analysis package builds the per-item counts shared by all of them).
func (p *prepared) agreement(o *parsedOptions) *Agreement {
	scores := p.scores()
	r := p.ratings(scores)
	var w []float64
	if o.weighted {
		w = agreement.Weights(o.weights, p.q, scores)
	}
	opt := agreement.Options{Weights: w, Pairwise: true, Level: o.level}
	alphaLevel, alphaWeights := o.level.String(), ""
	if o.weighted && !o.levelSet {
		opt.AlphaWeighted = true
		alphaLevel, alphaWeights = "", o.weights.String()
	}
	s := agreement.All(r, opt)

	a := &Agreement{ItemsUsed: s.ItemsUsed, Items: s.Items, Raters: s.Raters, Undefined: map[string]string{}}
	set := func(name string, res agreement.Result) *Coef {
		c := coef(res)
		if !c.Value.OK() {
			reason := res.Reason
			if reason == "" {
				reason = "undefined for these data"
			}
			a.Undefined[name] = reason
		}
		return c
	}
	a.PercentAgreement = set("percent_agreement", s.PercentAgreement)
	a.FleissKappa = set("fleiss_kappa", s.FleissKappa)
	a.CongerKappa = set("conger_kappa", s.CongerKappa)
	if o.weighted {
		a.GwetAC2 = set("gwet_ac2", s.GwetAC)
	} else {
		a.GwetAC1 = set("gwet_ac1", s.GwetAC)
	}
	a.BrennanPrediger = set("brennan_prediger", s.BrennanPrediger)
	a.KrippendorffAlpha = set("krippendorff_alpha", s.KrippendorffAlpha)
	a.KrippendorffAlpha.Level, a.KrippendorffAlpha.Weights = alphaLevel, alphaWeights
	if s.Raters == 2 {
		a.CohenKappa = set("cohen_kappa", s.CohenKappa)
		a.ScottPi = set("scott_pi", s.ScottPi)
		a.BangdiwalaB = set("bangdiwala_b", s.BangdiwalaB)
	} else {
		// Kept in Undefined so a reader learns why the keys are absent.
		a.Undefined["cohen_kappa"] = s.CohenKappa.Reason
		a.Undefined["scott_pi"] = s.ScottPi.Reason
		a.Undefined["bangdiwala_b"] = s.BangdiwalaB.Reason
	}
	if p.anyExtra {
		if m := p.multiRatings(); m != nil {
			a.AlphaMASI = set("krippendorff_alpha_masi", agreement.AlphaSets(m, agreement.MASIDistance))
		} else {
			a.AlphaMASI = &Coef{Value: Float(math.NaN())}
			a.Undefined["krippendorff_alpha_masi"] = "label sets need at most 64 labels"
		}
	}

	a.PerLabel = make(map[string]LabelAgreement, p.q)
	for k, l := range s.PerLabel {
		a.PerLabel[p.d.Labels[k]] = LabelAgreement{SpecificAgreement: Float(l.Specific), FleissKappa: Float(l.Kappa.Value), Proportion: Float(l.Proportion)}
	}
	pairs := s.Pairwise
	if len(pairs) > MaxPairwise {
		pairs = mostSharedPairs(pairs, MaxPairwise)
		a.PairwiseTotal = len(s.Pairwise)
	}
	a.Pairwise = make([]Pair, 0, len(pairs))
	for _, pr := range pairs {
		a.Pairwise = append(a.Pairwise, Pair{
			A: p.d.Annotators[p.annOrder[pr.A]].ID, B: p.d.Annotators[p.annOrder[pr.B]].ID,
			Items: pr.Items, PercentAgreement: Float(pr.PercentAgreement), CohenKappa: Float(pr.CohenKappa),
		})
	}
	if len(a.Undefined) == 0 {
		a.Undefined = nil
	}
	return a
}

// goldReport scores every judgment on a gold item against gold (pooled).
func (p *prepared) goldReport(o *parsedOptions) *Gold {
	c := gold.Evaluate(p.item, p.label, p.gold, p.q, nil)
	g := &Gold{
		Annotations: int(c.Annotations), Items: c.Items,
		Accuracy:   interval(c.Accuracy),
		CohenKappa: Float(c.CohenKappa), MCC: Float(c.MCC),
		Macro: prf(c.Macro), Micro: prf(c.Micro), Weighted: prf(c.Weighted),
		PerLabel:  make(map[string]LabelScores, p.q),
		Confusion: Confusion{Labels: append([]string{}, p.d.Labels...), Matrix: make([][]int64, p.q)},
	}
	for k, ls := range c.PerLabel {
		g.PerLabel[p.d.Labels[k]] = LabelScores{Precision: Float(ls.Precision), Recall: Float(ls.Recall), F1: Float(ls.F1), Support: ls.Support}
	}
	// Rows of labels no gold answer has are all zero: they share one row, so
	// 3,000 labels with a few hundred gold answers need a few hundred rows
	// (not 72 MB of zeros). The JSON is the same.
	var zero []int64
	for r := 0; r < p.q; r++ {
		src := c.Confusion[r*p.q : (r+1)*p.q]
		if c.PerLabel[r].Support == 0 {
			if zero == nil {
				zero = make([]int64, p.q)
			}
			g.Confusion.Matrix[r] = zero
			continue
		}
		row := make([]int64, p.q)
		for k, v := range src {
			row[k] = int64(v)
		}
		g.Confusion.Matrix[r] = row
	}
	e := gold.EnforcementErrors(p.item, p.label, p.gold, o.allowed, nil, 0)
	g.OverEnforcement, g.UnderEnforcement = interval(e.Overall.Over), interval(e.Overall.Under)
	return g
}

func prf(a gold.Averages) PRF {
	return PRF{Precision: Float(a.Precision), Recall: Float(a.Recall), F1: Float(a.F1)}
}

// disputed lists the gold items the evidence contradicts, most certain first.
func (p *prepared) disputed(ds *truth.DSResult) []DisputedGold {
	d := p.d
	out := []DisputedGold{}
	for _, x := range truth.DisputedGold(p.item, p.rater, p.label, p.gold, ds, nil) {
		if !x.ByRaters && sum32(x.Votes) < minDisputeJudgments {
			// On an item with one or two judgments the posterior is just
			// those reviewers' confusion rows: too little to doubt gold on.
			continue
		}
		g := DisputedGold{
			Item:      d.Items[p.itemOrder[x.Item]],
			Gold:      d.Labels[x.Gold],
			Suggested: d.Labels[x.Suggested],
			Posterior: Float(x.Posterior), GoldPosterior: Float(x.GoldPosterior),
			ByPosterior: x.ByPosterior, ByReviewers: x.ByRaters,
			Reviewers: []string{}, Votes: map[string]int{},
		}
		for k, v := range x.Votes {
			if v > 0 {
				g.Votes[d.Labels[k]] = int(v)
			}
		}
		for _, r := range x.Raters {
			g.Reviewers = append(g.Reviewers, d.Annotators[p.annOrder[r]].ID)
		}
		out = append(out, g)
	}
	// Strongest evidence first: both tests fired, then the higher
	// posterior of the suggested label, then more skilled reviewers
	// agreeing. (By reviewers first, an item whose posterior still backs
	// gold at 0.999 came before items Dawid-Skene puts at 0.999 against.)
	tests := func(g DisputedGold) int {
		n := 0
		if g.ByPosterior {
			n++
		}
		if g.ByReviewers {
			n++
		}
		return n
	}
	sort.SliceStable(out, func(i, j int) bool {
		if ti, tj := tests(out[i]), tests(out[j]); ti != tj {
			return ti > tj
		}
		if out[i].Posterior != out[j].Posterior {
			return out[i].Posterior > out[j].Posterior
		}
		return len(out[i].Reviewers) > len(out[j].Reviewers)
	})
	return out
}

// minDisputeJudgments is how many judgments a gold item needs before the
// Dawid-Skene posterior alone may dispute its gold answer.
const minDisputeJudgments = 3

func sum32(v []int32) int {
	n := 0
	for _, x := range v {
		n += int(x)
	}
	return n
}

// MaxPairwise is the most reviewer pairs the report lists. Every pair that
// rated an item together is a pair, so one item labeled by 5,000 reviewers
// makes 12.5 million of them: a 1.7 GB JSON nobody can read. Past the cap
// the report lists the pairs that share the most items, and says how many
// there were (Agreement.PairwiseTotal, and a warning).
const MaxPairwise = 10000

// mostSharedPairs keeps the n pairs that rated the most items together
// (ties: the earlier pair in reviewer order), in reviewer order.
func mostSharedPairs(pairs []agreement.Pair, n int) []agreement.Pair {
	kept := slices.Clone(pairs)
	slices.SortStableFunc(kept, func(x, y agreement.Pair) int { return cmp.Compare(y.Items, x.Items) })
	kept = kept[:n]
	slices.SortFunc(kept, func(x, y agreement.Pair) int {
		if c := cmp.Compare(x.A, y.A); c != 0 {
			return c
		}
		return cmp.Compare(x.B, y.B)
	})
	return kept
}

// pairwiseWarning says that the report lists only some pairs, or "".
func pairwiseWarning(a *Agreement) string {
	if a == nil || a.PairwiseTotal == 0 {
		return ""
	}
	return fmt.Sprintf("agreement.pairwise lists the %d of %d reviewer pairs that rated the most items together", len(a.Pairwise), a.PairwiseTotal)
}
