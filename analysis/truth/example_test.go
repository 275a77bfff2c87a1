package truth_test

import (
	"fmt"

	"labelqa/analysis/truth"
)

// Four items, three reviewers, labels 0 approve, 1 violation. Item 3 is a
// 1–1 tie. Gold on items 0, 1 and 3.
var (
	item  = []int32{0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3}
	rater = []int32{0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1}
	label = []int32{0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 0}
	gold  = []int32{0, 1, -1, 1}
)

func ExampleMajorityVote() {
	for _, rule := range []truth.TieRule{truth.TiesFirst, truth.TiesFractional} {
		v := truth.MajorityVote(item, label, 4, 2, rule, 0)
		a := v.GoldAccuracy(gold)
		fmt.Printf("%s: labels %v, ties %d, gold accuracy %.3f (%v of %d)\n", rule, v.Label, v.Ties, a.Value, a.Correct, a.Items)
	}
	// Output:
	// first: labels [0 1 0 0], ties 1, gold accuracy 0.667 (2 of 3)
	// fractional: labels [0 1 0 0], ties 1, gold accuracy 0.833 (2.5 of 3)
}

func ExampleAgreementWithMajority() {
	for r, a := range truth.AgreementWithMajority(item, rater, label, 4, 3, 2, truth.TiesFractional, 0) {
		fmt.Printf("rater %d: %.3f (%v of %v)\n", r, a.Value, a.Agree, a.N)
	}
	// Hand check, rater 0: items 0 and 1 the others tie and 0's label is
	// tied (1/2 each), item 2 agrees, item 3 disagrees: 2 of 4.
	// Output:
	// rater 0: 0.500 (2 of 4)
	// rater 1: 0.500 (2 of 4)
	// rater 2: 0.333 (1 of 3)
}

func ExampleWeightedMajorityVote() {
	w := truth.WeightedMajorityVote(item, rater, label, 4, 3, 2, truth.TiesFirst, 0)
	fmt.Printf("weights %.3f, labels %v\n", w.Weights, w.Label)
	// Output: weights [0.750 1.000 0.333], labels [0 1 0 0]
}

func ExampleDawidSkene() {
	ds := truth.DawidSkene(item, rater, label, 4, 3, 2, nil) // defaults
	fmt.Printf("labels %v after %d rounds (converged %v)\n", ds.Label, ds.Iterations, ds.Converged)
	fmt.Printf("gold accuracy %.3f\n", ds.GoldAccuracy(gold).Value)
	fmt.Printf("rater accuracy %.2f\n", ds.RaterAccuracy)
	// Output:
	// labels [0 1 0 1] after 10 rounds (converged true)
	// gold accuracy 1.000
	// rater accuracy [0.88 0.87 0.31]
}

func ExampleDisputedGold() {
	// Five reviewers agree on label 1 for an item whose gold is 0.
	it := []int32{0, 0, 0, 0, 0, 1, 1, 1, 1, 1}
	rt := []int32{0, 1, 2, 3, 4, 0, 1, 2, 3, 4}
	lb := []int32{1, 1, 1, 1, 1, 0, 0, 0, 0, 0}
	gd := []int32{0, 0}
	ds := truth.DawidSkene(it, rt, lb, 2, 5, 2, nil)
	for _, d := range truth.DisputedGold(it, rt, lb, gd, &ds, nil) {
		fmt.Printf("item %d: gold %d, evidence says %d (posterior %.2f), votes %v\n",
			d.Item, d.Gold, d.Suggested, d.Posterior, d.Votes)
	}
	// Output: item 0: gold 0, evidence says 1 (posterior 1.00), votes [0 5]
}
