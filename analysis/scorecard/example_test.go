package scorecard_test

import (
	"fmt"
	"math"

	"labelqa/analysis/scorecard"
	"labelqa/analysis/truth"
)

func ExampleReviewers() {
	in := &scorecard.Input{
		Item:        []int32{0, 0, 0, 1, 1, 1, 2, 2},
		Rater:       []int32{0, 1, 2, 0, 1, 2, 0, 1},
		Label:       []int32{0, 1, 0, 1, 0, 1, 1, 1},
		NItems:      3,
		NRaters:     3,
		Q:           2,
		Gold:        []int32{0, 1, -1},
		Allowed:     []bool{true, false},
		SubmittedAt: []float64{0, 0, 10, 100, 50, 60, 160, 2000},
		Duration:    []float64{10, 20, 30, 40, 50, math.NaN(), 70, 80},
		QA:          []scorecard.QAPair{{Round1: 1, Round2: 2}},
		Ties:        truth.TiesFractional,
	}
	for r, c := range scorecard.Reviewers(in) {
		fmt.Printf("rater %d: %d annotations, gold %.2f (n=%d), over %.2f, under %.2f, agree %.2f, median %vs, UPH %.1f, overturn %.2f\n",
			r, c.Annotations, c.GoldAccuracy.Value, c.GoldAnnotations, c.OverEnforcement.Value, c.UnderEnforcement.Value,
			c.AgreementWithMajority, c.MedianDuration, c.UnitsPerHour, c.Overturn.Value)
	}
	vendors := scorecard.ByRater(in, []int32{0, 0, 1}, 2)
	fmt.Printf("vendor 0: gold %.2f [%.2f, %.2f]\n", vendors[0].GoldAccuracy.Value, vendors[0].GoldAccuracy.Low, vendors[0].GoldAccuracy.High)
	// Output:
	// rater 0: 3 annotations, gold 1.00 (n=2), over 0.00, under 0.00, agree 0.67, median 40s, UPH 54.0, overturn NaN
	// rater 1: 3 annotations, gold 0.00 (n=2), over 1.00, under 1.00, agree 0.33, median 50s, UPH 72.0, overturn 1.00
	// rater 2: 2 annotations, gold 1.00 (n=2), over 0.00, under 0.00, agree 0.50, median 30s, UPH 90.0, overturn NaN
	// vendor 0: gold 0.50 [0.15, 0.85]
}

func ExampleQuantile() {
	x := []float64{1, 2, 3, 4, 10} // sorted
	fmt.Printf("%.1f %.1f\n", scorecard.Quantile(0.5, x), scorecard.Quantile(0.9, x))
	// Output: 3.0 7.6
}

func ExampleUnitsPerHour() {
	// Two sessions (a 700 s gap), one item takes 30 s.
	uph, n, secs := scorecard.UnitsPerHour([]float64{0, 60, 120, 820, 880}, 30)
	fmt.Printf("%d items in %v s: %.0f per hour\n", n, secs, uph)
	// Output: 5 items in 240 s: 75 per hour
}
