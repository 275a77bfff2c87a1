package gold_test

import (
	"fmt"

	"labelqa/analysis/gold"
)

// Labels: 0 approve (allowed), 1 adult, 2 scam. Three gold items, one item
// without gold; two reviewers.
var (
	goldLabels = []int32{0, 1, 2, -1}
	item       = []int32{0, 0, 1, 1, 2, 2, 3}
	rater      = []int32{0, 1, 0, 1, 0, 1, 0}
	label      = []int32{0, 1, 1, 0, 2, 1, 0}
)

func ExampleEvaluate() {
	c := gold.Evaluate(item, label, goldLabels, 3, nil)
	fmt.Printf("items %d, annotations %v\n", c.Items, c.Annotations)
	fmt.Printf("accuracy %.3f [%.3f, %.3f]\n", c.Accuracy.Value, c.Accuracy.Low, c.Accuracy.High)
	fmt.Printf("kappa %.3f, MCC %.3f\n", c.CohenKappa, c.MCC)
	fmt.Printf("macro F1 %.3f, micro F1 %.3f, weighted F1 %.3f\n", c.Macro.F1, c.Micro.F1, c.Weighted.F1)
	fmt.Println("confusion (rows gold):", c.Confusion)
	// Output:
	// items 3, annotations 6
	// accuracy 0.500 [0.188, 0.812]
	// kappa 0.250, MCC 0.261
	// macro F1 0.522, micro F1 0.500, weighted F1 0.522
	// confusion (rows gold): [1 1 0 1 1 0 0 1 1]
}

func ExampleWilson() {
	p := gold.Wilson(81, 263, gold.Z95)
	fmt.Printf("%.4f [%.4f, %.4f]\n", p.Value, p.Low, p.High)
	// Output: 0.3080 [0.2553, 0.3662]
}

func ExampleEnforcementErrors() {
	allowed := []bool{true, false, false}
	r := gold.EnforcementErrors(item, label, goldLabels, allowed, rater, 2)
	fmt.Printf("over %v/%v, under %v/%v, wrong policy %v\n",
		r.Overall.Over.Successes, r.Overall.Over.N, r.Overall.Under.Successes, r.Overall.Under.N, r.Overall.WrongPolicy)
	for k, e := range r.ByGroup {
		fmt.Printf("rater %d: over %.2f, under %.2f\n", k, e.Over.Value, e.Under.Value)
	}
	// Output:
	// over 1/2, under 1/4, wrong policy 1
	// rater 0: over 0.00, under 0.00
	// rater 1: over 1.00, under 0.50
}

func ExampleCohenKappa() {
	// Rows rater A, columns rater B. Checked by hand: pₒ = 24/30,
	// pₑ = 308/900; linear Σw·cm = 6, Σw·E = 764/30; quadratic 6, 1108/30.
	cm := []float64{10, 2, 0, 1, 8, 1, 0, 2, 6}
	fmt.Printf("%.4f %.4f %.4f\n",
		gold.CohenKappa(cm, 3, gold.Unweighted), gold.CohenKappa(cm, 3, gold.Linear), gold.CohenKappa(cm, 3, gold.Quadratic))
	// Output: 0.6959 0.7644 0.8375
}
