package metrics

import (
	"context"
	"math"
	"testing"
)

// TestDSSmoothing: Options.DSSmoothing reaches Dawid-Skene (the reviewers'
// DS accuracy moves off the maximum-likelihood value, in metrics and in
// scorecards alike), and a negative or NaN value is refused.
func TestDSSmoothing(t *testing.T) {
	d := filesDataset(t, twoRaters, "", "approve", "scam")
	acc := func(o Options) (float64, float64) {
		t.Helper()
		rep, err := Compute(context.Background(), d, o)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := Scorecards(context.Background(), d, ByReviewer, o)
		if err != nil {
			t.Fatal(err)
		}
		return float64(rep.Annotators[0].DSAccuracy), float64(sc.Cards[0].DSAccuracy)
	}
	ml, mlCard := acc(DefaultOptions())
	o := DefaultOptions()
	o.DSSmoothing = 0.5
	sm, smCard := acc(o)
	if ml != mlCard || sm != smCard {
		t.Errorf("metrics and scorecard disagree: %v %v, %v %v", ml, mlCard, sm, smCard)
	}
	if !(math.Abs(ml-sm) > 1e-6) {
		t.Errorf("smoothing 0.5 left the DS accuracy at %v", sm)
	}
	for _, v := range []float64{-0.1, math.NaN(), math.Inf(1)} {
		o.DSSmoothing = v
		if err := o.Validate(); err == nil {
			t.Errorf("DSSmoothing %v accepted", v)
		}
	}
}
