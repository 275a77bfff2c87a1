package metrics

import (
	"encoding/json"
	"math"
	"strconv"

	"labelqa/app/dataset"
	"labelqa/app/store"
)

// Schema is the contract's schema name of the metrics object.
const Schema = "labelqa.metrics/v1"

// Float is a float64 that marshals NaN and ±Inf as JSON null: a value the
// data leave undefined is never written as a number.
type Float float64

// MarshalJSON writes null for NaN and infinities.
func (f Float) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, v, 'g', -1, 64), nil
}

// UnmarshalJSON reads null as NaN.
func (f *Float) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = Float(math.NaN())
		return nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	*f = Float(v)
	return err
}

// OK reports whether the value is defined.
func (f Float) OK() bool { return !math.IsNaN(float64(f)) && !math.IsInf(float64(f), 0) }

// Report is the contract's labelqa.metrics/v1 object.
type Report struct {
	Schema      string      `json:"schema"`
	Counts      Counts      `json:"counts"`
	Agreement   *Agreement  `json:"agreement"`
	Gold        *Gold       `json:"gold"`
	Annotators  []Annotator `json:"annotators"`
	Aggregation Aggregation `json:"aggregation"`
	// Warnings are the caveats of this report a reader must know, in
	// words (extension; empty when there are none), e.g. that ordinal
	// weights used an order nobody declared.
	Warnings []string `json:"warnings"`
	// Audit is the audit accuracy of the audited judgments in scope
	// (extension; null when none was audited, and for batch files).
	Audit *AuditAccuracy `json:"audit"`
	// OrderWarning is the one of Warnings that a declared label order would
	// silence, or "": a face adds how to declare it.
	OrderWarning string `json:"-"`
}

// Counts is the contract's "counts" object, of the judgments in scope (a
// filter's, or all): items, annotators and annotations with a judgment in
// scope; gold items of the whole golden set without a filter, else those
// with a judgment in scope; duplicates the repeated (item, annotator) rows
// seen in scope, null where that cannot be told (a project read with a
// filter: it records per batch how many rows it replaced, not which).
// Labels is the label set, the categories of every measure, never narrowed.
type Counts struct {
	Items       int      `json:"items"`
	Annotators  int      `json:"annotators"`
	Annotations int      `json:"annotations"`
	GoldItems   int      `json:"gold_items"`
	Duplicates  *int     `json:"duplicates"`
	Labels      []string `json:"labels"`
}

// CountsOf returns the counts of a Dataset.
func CountsOf(d *dataset.Dataset) Counts {
	c := ProjectCounts(d.Counts())
	if d.DuplicatesUnknown {
		c.Duplicates = nil
	}
	return c
}

// ProjectCounts converts a project's own counts (store.Counts, read from
// its tables without a filter).
func ProjectCounts(s store.Counts) Counts {
	dup := s.Duplicates
	labels := s.Labels
	if labels == nil {
		labels = []string{}
	}
	return Counts{Items: s.Items, Annotators: s.Annotators, Annotations: s.Annotations,
		GoldItems: s.GoldItems, Duplicates: &dup, Labels: labels}
}

// DuplicatesText is the duplicates count for a person: the number, or why
// there is none.
func (c Counts) DuplicatesText() string {
	if c.Duplicates == nil {
		return "not known within a filter (the project records repeats per imported file)"
	}
	return strconv.Itoa(*c.Duplicates)
}

// Coef is one agreement coefficient with its precision measures. A
// coefficient whose value is undefined marshals as null; Reason (not in the
// JSON object unless the value is defined) says why.
type Coef struct {
	Level   string `json:"level,omitempty"`   // Krippendorff's alpha: the level used
	Weights string `json:"weights,omitempty"` // Krippendorff's alpha: the weights used
	Value   Float  `json:"value"`
	SE      Float  `json:"se"`
	CILow   Float  `json:"ci_low"`
	CIHigh  Float  `json:"ci_high"`
	PValue  Float  `json:"p_value"`
	Pa      Float  `json:"pa"`
	Pe      Float  `json:"pe"`
	Reason  string `json:"reason,omitempty"`
}

// MarshalJSON writes null for an undefined coefficient.
func (c *Coef) MarshalJSON() ([]byte, error) {
	if c == nil || !c.Value.OK() {
		return []byte("null"), nil
	}
	type plain Coef
	return json.Marshal((*plain)(c))
}

// Agreement is the contract's "agreement" object.
type Agreement struct {
	// ItemsUsed counts items with at least two ratings (those entering pa).
	ItemsUsed int `json:"items_used"`
	// Items counts items with at least one single-label rating; Raters the
	// annotators with one (extensions).
	Items  int `json:"items"`
	Raters int `json:"annotators"`

	PercentAgreement  *Coef `json:"percent_agreement"`
	CohenKappa        *Coef `json:"cohen_kappa,omitempty"`
	ScottPi           *Coef `json:"scott_pi,omitempty"`
	FleissKappa       *Coef `json:"fleiss_kappa"`
	CongerKappa       *Coef `json:"conger_kappa"`
	GwetAC1           *Coef `json:"gwet_ac1,omitempty"`
	GwetAC2           *Coef `json:"gwet_ac2,omitempty"`
	BrennanPrediger   *Coef `json:"brennan_prediger"`
	KrippendorffAlpha *Coef `json:"krippendorff_alpha"`
	BangdiwalaB       *Coef `json:"bangdiwala_b,omitempty"`
	// AlphaMASI is Krippendorff's alpha over label sets with the MASI
	// distance, only when some judgment has several labels (extension).
	AlphaMASI *Coef `json:"krippendorff_alpha_masi,omitempty"`

	PerLabel map[string]LabelAgreement `json:"per_label"`
	Pairwise []Pair                    `json:"pairwise"`
	// PairwiseTotal is how many pairs there were when Pairwise lists only
	// MaxPairwise of them (extension; absent when it lists them all).
	PairwiseTotal int `json:"pairwise_total,omitempty"`
	// Undefined names each null coefficient and why (extension).
	Undefined map[string]string `json:"undefined,omitempty"`
}

// LabelAgreement is one label's agreement.
type LabelAgreement struct {
	SpecificAgreement Float `json:"specific_agreement"`
	FleissKappa       Float `json:"fleiss_kappa"`
	Proportion        Float `json:"proportion"` // extension: share of all ratings
}

// Pair is the agreement of two annotators on the items both rated.
type Pair struct {
	A                string `json:"a"`
	B                string `json:"b"`
	Items            int    `json:"items"`
	PercentAgreement Float  `json:"percent_agreement"`
	CohenKappa       Float  `json:"cohen_kappa"`
}

// Interval is a proportion with its Wilson 95% interval.
type Interval struct {
	Value  Float `json:"value"`
	CILow  Float `json:"ci_low"`
	CIHigh Float `json:"ci_high"`
	// N is the denominator (extension).
	N float64 `json:"n"`
}

// PRF are precision, recall and F1.
type PRF struct {
	Precision Float `json:"precision"`
	Recall    Float `json:"recall"`
	F1        Float `json:"f1"`
}

// LabelScores are one label's scores against gold.
type LabelScores struct {
	Precision Float   `json:"precision"`
	Recall    Float   `json:"recall"`
	F1        Float   `json:"f1"`
	Support   float64 `json:"support"`
}

// Confusion is the confusion matrix against gold: rows gold, columns given,
// in declared label order. The all-zero rows (labels no gold answer has) may
// share one slice: read the matrix, do not modify it in place.
type Confusion struct {
	Labels []string  `json:"labels"`
	Matrix [][]int64 `json:"matrix"`
}

// Gold is the contract's "gold" object.
type Gold struct {
	Annotations      int                    `json:"annotations"`
	Items            int                    `json:"items"`
	Accuracy         Interval               `json:"accuracy"`
	CohenKappa       Float                  `json:"cohen_kappa"`
	MCC              Float                  `json:"matthews_corrcoef"`
	Macro            PRF                    `json:"macro"`
	Micro            PRF                    `json:"micro"`
	Weighted         PRF                    `json:"weighted"`
	PerLabel         map[string]LabelScores `json:"per_label"`
	Confusion        Confusion              `json:"confusion"`
	OverEnforcement  Interval               `json:"over_enforcement"`
	UnderEnforcement Interval               `json:"under_enforcement"`
	Disputed         []DisputedGold         `json:"disputed"` // extension
}

// Annotator is one annotator's scorecard.
type Annotator struct {
	ID                    string   `json:"id"`
	Vendor                string   `json:"vendor"`
	Team                  string   `json:"team,omitempty"`
	Market                string   `json:"market,omitempty"`
	Annotations           int      `json:"annotations"`
	GoldAnnotations       int      `json:"gold_annotations"`
	GoldAccuracy          Interval `json:"gold_accuracy"`
	AgreementWithMajority Float    `json:"agreement_with_majority"`
	MedianDuration        Float    `json:"median_duration_s"`
	DSAccuracy            Float    `json:"dawid_skene_accuracy"`
	// Extensions.
	// AgreementScored is the denominator of AgreementWithMajority: the
	// reviewer's judgments on items someone else also labeled.
	AgreementScored  float64  `json:"agreement_scored"`
	OverEnforcement  Interval `json:"over_enforcement"`
	UnderEnforcement Interval `json:"under_enforcement"`
	P90Duration      Float    `json:"p90_duration_s"`
	UnitsPerHour     Float    `json:"units_per_hour"`
	Overturn         Interval `json:"overturn_rate"`
}

// Aggregation is the contract's "aggregation" object.
type Aggregation struct {
	MajorityVote MajorityVote `json:"majority_vote"`
	DawidSkene   DawidSkene   `json:"dawid_skene"`
	// Extension: weighted majority vote (Wawa), reviewers weighted by their
	// agreement with the majority.
	WeightedMajorityVote MajorityVote `json:"weighted_majority_vote"`
}

// DisputedGold is a gold item the evidence contradicts (extension of "gold"):
// Dawid-Skene puts 0.9 or more on another label, or several reviewers of high
// estimated skill agree on another label (analysis/truth.DisputedGold).
type DisputedGold struct {
	Item          string   `json:"item"`
	Gold          string   `json:"gold"`
	Suggested     string   `json:"suggested"`
	Posterior     Float    `json:"posterior"`      // Dawid-Skene posterior of the suggested label
	GoldPosterior Float    `json:"gold_posterior"` // and of the gold label
	ByPosterior   bool     `json:"by_posterior"`
	ByReviewers   bool     `json:"by_reviewers"`
	Reviewers     []string `json:"reviewers"` // skilled reviewers who gave the suggested label
	// Votes counts the item's judgments per label (labels nobody gave are
	// left out), so a reader sees what the dispute rests on.
	Votes map[string]int `json:"votes"`
}

// MajorityVote summarises the majority vote.
type MajorityVote struct {
	Items        int    `json:"items"`
	Ties         int    `json:"ties"`
	TieRule      string `json:"tie_rule"` // extension
	GoldAccuracy Float  `json:"gold_accuracy"`
	GoldItems    int    `json:"gold_items"` // extension: gold items scored
}

// DawidSkene summarises the Dawid-Skene estimate.
type DawidSkene struct {
	Items        int   `json:"items"`
	Iterations   int   `json:"iterations"`
	Converged    bool  `json:"converged"`
	GoldAccuracy Float `json:"gold_accuracy"`
	GoldItems    int   `json:"gold_items"` // extension: gold items scored
}
