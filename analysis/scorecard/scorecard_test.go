package scorecard

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"labelqa/analysis/truth"
)

func near(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol
}

// TestQuantile: type 7 values as numpy.quantile (default method="linear")
// and R quantile(type = 7) print them.
func TestQuantile(t *testing.T) {
	for _, tc := range []struct {
		x    []float64
		p, q float64
	}{
		{[]float64{1, 2, 3, 4}, 0.5, 2.5},                    // numpy.quantile([1,2,3,4], .5)
		{[]float64{1, 2, 3, 4}, 0.9, 3.7},                    // numpy.quantile([1,2,3,4], .9)
		{[]float64{1, 2, 3, 4, 10}, 0.9, 7.6},                // R quantile(c(1,2,3,4,10), .9)
		{[]float64{7}, 0.9, 7},                               // one value
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.9, 9.1}, // numpy: 9.1
		{[]float64{3, 5}, 0, 3},
		{[]float64{3, 5}, 1, 5},
	} {
		if got := Quantile(tc.p, tc.x); !near(got, tc.q, 1e-12) {
			t.Errorf("Quantile(%v, %v) = %v, want %v", tc.p, tc.x, got, tc.q)
		}
	}
	if !math.IsNaN(Quantile(0.5, nil)) {
		t.Error("Quantile of nothing is not NaN")
	}
}

func TestUnitsPerHour(t *testing.T) {
	// Session 1: 0, 60, 120 (gap ≤ 600); session 2 after a 700 s gap: 820,
	// 880. pad 30: active = (120+30) + (60+30) = 240 s for 5 items → 75/h.
	uph, n, secs := UnitsPerHour([]float64{880, 0, 120, math.NaN(), 60, 820}, 30)
	if n != 5 || secs != 240 || !near(uph, 75, 1e-12) {
		t.Errorf("UnitsPerHour = %v, %d, %v; want 75, 5, 240", uph, n, secs)
	}
	// A gap of exactly 600 s stays in the session.
	if _, _, secs := UnitsPerHour([]float64{0, 600}, 0); secs != 600 {
		t.Errorf("600 s gap: active %v, want 600", secs)
	}
	if uph, _, _ := UnitsPerHour([]float64{5}, 0); !math.IsNaN(uph) {
		t.Errorf("one submission, no pad: %v, want NaN", uph)
	}
}

// fixture: 3 items, gold on items 0 and 1; labels 0 approve (allowed),
// 1 violation. Raters 0, 1, 2; rater 2 is QA.
func fixture() *Input {
	return &Input{
		//                   0  1  2  3  4  5  6  7  8
		Item:        []int32{0, 0, 0, 1, 1, 1, 2, 2, 0},
		Rater:       []int32{0, 1, 2, 0, 1, 2, 0, 1, 2},
		Label:       []int32{0, 1, 0, 1, 0, 1, 1, 1, 0},
		NItems:      3,
		NRaters:     3,
		Q:           2,
		Gold:        []int32{0, 1, -1},
		Allowed:     []bool{true, false},
		SubmittedAt: []float64{0, 0, 0, 100, 50, 60, 160, 2000, 90},
		Duration:    []float64{10, 20, 30, 40, 50, math.NaN(), 70, 80, 90},
		QA:          []QAPair{{0, 2}, {1, 2}, {4, 5}},
		Ties:        truth.TiesFractional,
	}
}

func TestReviewers(t *testing.T) {
	in := fixture()
	c := Reviewers(in)
	// Rater 0: judgments 0 (item0 ✓ gold 0), 3 (item1 ✓), 6 (no gold).
	r0 := c[0]
	if r0.Annotations != 3 || r0.GoldAnnotations != 2 || r0.GoldAccuracy.Value != 1 {
		t.Errorf("rater 0 volume/accuracy: %+v", r0)
	}
	// Rater 1: judgment 1 (item0, says 1, gold 0 → over-enforcement),
	// 4 (item1, says 0, gold 1 → under-enforcement).
	r1 := c[1]
	if r1.GoldAccuracy.Value != 0 || r1.OverEnforcement.Value != 1 || r1.UnderEnforcement.Value != 1 {
		t.Errorf("rater 1 enforcement: %+v", r1)
	}
	// Rater 2 has two rows on item 0 (0 and 0): gold annotations 3.
	if c[2].GoldAnnotations != 3 || c[2].OverEnforcement.N != 2 {
		t.Errorf("rater 2: %+v", c[2])
	}
	// Agreement, rater 0 (fractional): item0 others {1, 0, 0} → 0 wins: 1;
	// item1 others {0, 1} tie → 1/2; item2 others {1} → 1. 2.5 / 3.
	if !near(r0.AgreementWithMajority, 2.5/3, 1e-15) || r0.AgreementScored != 3 {
		t.Errorf("rater 0 agreement %v over %v", r0.AgreementWithMajority, r0.AgreementScored)
	}
	// Durations of rater 0: 10, 40, 70 → median 40, p90 = 40 + .8·30 = 64.
	if r0.MedianDuration != 40 || !near(r0.P90Duration, 64, 1e-12) {
		t.Errorf("rater 0 durations %v %v", r0.MedianDuration, r0.P90Duration)
	}
	// Rater 2 durations 30, NaN, 90 → median 60.
	if c[2].MedianDuration != 60 {
		t.Errorf("rater 2 median %v", c[2].MedianDuration)
	}
	// UPH rater 0: times 0, 100, 160 one session, pad = median duration 40:
	// active 200 s, 3 items → 54/h.
	if !near(r0.UnitsPerHour, 54, 1e-12) || r0.TimedAnnotations != 3 {
		t.Errorf("rater 0 UPH %v (%d)", r0.UnitsPerHour, r0.TimedAnnotations)
	}
	// Rater 1: times 0, 50, 2000 → sessions (0..50) and (2000), pad 50:
	// active 100 + 50 = 150 s, 3 items → 72/h.
	if !near(c[1].UnitsPerHour, 72, 1e-12) {
		t.Errorf("rater 1 UPH %v", c[1].UnitsPerHour)
	}
	// Overturns: pair (0,2) same label → kept; (1,2) changed, charged to
	// rater 1; (4,5) changed, rater 1. Rater 0: 0/1, rater 1: 2/2.
	if r0.Overturn.N != 1 || r0.Overturn.Value != 0 || c[1].Overturn.N != 2 || c[1].Overturn.Value != 1 {
		t.Errorf("overturns %+v %+v", r0.Overturn, c[1].Overturn)
	}
	if !math.IsNaN(c[2].Overturn.Value) {
		t.Errorf("rater 2 overturn %+v, want NaN", c[2].Overturn)
	}
	if math.IsNaN(r0.DSAccuracy) || r0.DSAccuracy < 0 || r0.DSAccuracy > 1 {
		t.Errorf("DS accuracy %v", r0.DSAccuracy)
	}
}

// TestRollUp: a group's pooled counts equal the sums of its reviewers'.
func TestRollUp(t *testing.T) {
	in := fixture()
	rev := Reviewers(in)
	// Vendor A = raters 0, 1; vendor B = rater 2.
	v := ByRater(in, []int32{0, 0, 1}, 2)
	a := v[0]
	if a.Annotations != rev[0].Annotations+rev[1].Annotations ||
		a.GoldAnnotations != rev[0].GoldAnnotations+rev[1].GoldAnnotations {
		t.Errorf("vendor A volume %+v", a)
	}
	wantAgree := (rev[0].AgreementWithMajority*rev[0].AgreementScored + rev[1].AgreementWithMajority*rev[1].AgreementScored) /
		(rev[0].AgreementScored + rev[1].AgreementScored)
	if !near(a.AgreementWithMajority, wantAgree, 1e-15) {
		t.Errorf("vendor A agreement %v, want %v", a.AgreementWithMajority, wantAgree)
	}
	wantDS := (3*rev[0].DSAccuracy + 3*rev[1].DSAccuracy) / 6
	if !near(a.DSAccuracy, wantDS, 1e-15) {
		t.Errorf("vendor A DS %v, want %v", a.DSAccuracy, wantDS)
	}
	// UPH pools seconds: (3 + 3) / ((200 + 150)/3600).
	if !near(a.UnitsPerHour, 6/(350.0/3600), 1e-12) {
		t.Errorf("vendor A UPH %v", a.UnitsPerHour)
	}
	if a.Overturn.N != 3 || a.Overturn.Successes != 2 {
		t.Errorf("vendor A overturn %+v", a.Overturn)
	}
	// Durations pooled: 10,20,40,50,70,80 → median 45.
	if a.MedianDuration != 45 {
		t.Errorf("vendor A median %v", a.MedianDuration)
	}
	// Per-judgment grouping (e.g. ISO week): judgments 0-4 week 0, rest week 1,
	// judgment 8 left out.
	w := Groups(in, []int32{0, 0, 0, 0, 0, 1, 1, 1, -1}, 2)
	if w[0].Annotations != 5 || w[1].Annotations != 3 || w[0].GoldAnnotations != 5 || w[1].GoldAnnotations != 1 {
		t.Errorf("weeks %+v %+v", w[0], w[1])
	}
	// Without optional inputs the measures are NaN, not 0.
	bare := &Input{Item: in.Item, Rater: in.Rater, Label: in.Label, NItems: 3, NRaters: 3, Q: 2}
	b := Reviewers(bare)[0]
	if !math.IsNaN(b.GoldAccuracy.Value) || !math.IsNaN(b.UnitsPerHour) || !math.IsNaN(b.MedianDuration) ||
		!math.IsNaN(b.Overturn.Value) || !math.IsNaN(b.OverEnforcement.Value) {
		t.Errorf("bare card %+v", b)
	}
}

// TestPrecomputeSameCards: the cards of several groupings are the same,
// to the bit, with and without Precompute, on times out of order, unknown
// times and raters without durations.
func TestPrecomputeSameCards(t *testing.T) {
	in := benchInput(20_000)
	rng := rand.New(rand.NewPCG(9, 9))
	for j := range in.SubmittedAt {
		k := rng.IntN(len(in.SubmittedAt))
		in.SubmittedAt[j], in.SubmittedAt[k] = in.SubmittedAt[k], in.SubmittedAt[j]
		if rng.IntN(40) == 0 {
			in.SubmittedAt[j] = math.NaN()
		}
		if in.Rater[j]%7 == 0 {
			in.Duration[j] = math.NaN() // these raters' pads come from their gaps
		}
	}
	in.DS = &truth.DSResult{RaterAccuracy: make([]float64, in.NRaters)}
	groupings := map[string][]int32{"rater": in.Rater}
	for _, mod := range []int32{3, 11} {
		g := make([]int32, len(in.Item))
		for j := range g {
			g[j] = (in.Item[j] + in.Rater[j]) % mod
			if j%13 == 0 {
				g[j] = -1
			}
		}
		groupings[fmt.Sprint("mod", mod)] = g
	}
	pre := *in
	Precompute(&pre)
	if pre.Credit == nil || pre.Pads == nil || pre.TimeOrder == nil {
		t.Fatal("Precompute left a field empty")
	}
	for name, g := range groupings {
		n := 0
		for _, c := range g {
			n = max(n, int(c)+1)
		}
		a, b := fmt.Sprintf("%#v", Groups(in, g, n)), fmt.Sprintf("%#v", Groups(&pre, g, n))
		if a != b {
			t.Errorf("%s: cards differ with Precompute", name)
		}
	}
}
