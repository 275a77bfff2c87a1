package agreement

import (
	"math"
	"runtime"
	"testing"
)

// samePair reports whether two pairs agree bit for bit (NaN equal to NaN).
func samePair(a, b Pair) bool {
	eq := func(x, y float64) bool {
		return x == y || (math.IsNaN(x) && math.IsNaN(y)) || math.Abs(x-y) <= 1e-12
	}
	return a.A == b.A && a.B == b.B && a.Items == b.Items &&
		eq(a.PercentAgreement, b.PercentAgreement) && eq(a.CohenKappa, b.CohenKappa) &&
		math.Float64bits(a.PercentAgreement) == math.Float64bits(b.PercentAgreement) &&
		(math.Float64bits(a.CohenKappa) == math.Float64bits(b.CohenKappa) || math.IsNaN(a.CohenKappa) && math.IsNaN(b.CohenKappa))
}

// TestPairwiseSparseEqualsDense: the sparse per-pair counts (used when the
// pairs' q×q tables would be large) give the dense tables' results bit for
// bit, unweighted, weighted, and with a weight matrix holding NaN.
func TestPairwiseSparseEqualsDense(t *testing.T) {
	for _, tc := range []struct {
		n, raters, q int
		seed         uint64
	}{{200, 5, 3, 1}, {3000, 12, 8, 2}, {5000, 30, 40, 3}, {800, 4, 1, 4}, {2000, 50, 300, 5}} {
		r := synth(tc.n, tc.raters, tc.q, tc.seed)
		pc := collectPairs(r, groupByItem(r))
		nanW := Weights(Linear, tc.q, nil)
		nanW[len(nanW)/2] = math.NaN()
		for name, w := range map[string][]float64{
			"identity": nil, "identity matrix": identityWeights(tc.q),
			"quadratic": Weights(Quadratic, tc.q, nil), "with NaN": nanW,
		} {
			d, s := pairwiseDense(pc, tc.q, w), pairwiseSparse(pc, tc.q, w)
			if len(d) != len(s) || len(d) == 0 {
				t.Fatalf("q=%d %s: %d dense pairs, %d sparse", tc.q, name, len(d), len(s))
			}
			for p := range d {
				if !samePair(d[p], s[p]) {
					t.Errorf("q=%d %s: pair %d: dense %+v, sparse %+v", tc.q, name, p, d[p], s[p])
				}
			}
		}
	}
}

// TestPairwiseManyLabelsMemory: 20,000 judgments, 3,000 labels, 50 raters,
// 3-5 raters per item. The q×q table per co-rating pair (up to 1,225 pairs ×
// 9M cells) took tens of GB and overflowed its int32 offsets; the sparse
// counts need a few MB.
func TestPairwiseManyLabelsMemory(t *testing.T) {
	r := synth(20_000, 50, 3000, 9)
	runtime.GC()
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	pairs := Pairwise(r, nil)
	runtime.ReadMemStats(&b)
	alloc := b.TotalAlloc - a.TotalAlloc
	t.Logf("%d pairs: allocated %.1f MB", len(pairs), float64(alloc)/1e6)
	if len(pairs) < 1000 {
		t.Fatalf("only %d pairs", len(pairs))
	}
	if alloc > 50e6 {
		t.Errorf("Pairwise allocated %.0f MB, want under 50 MB", float64(alloc)/1e6)
	}
}

// sameResult reports whether two results agree bit for bit (NaN = NaN).
func sameResult(a, b Result) bool {
	eq := func(x, y float64) bool {
		return math.Float64bits(x) == math.Float64bits(y) || math.IsNaN(x) && math.IsNaN(y)
	}
	return eq(a.Value, b.Value) && eq(a.SE, b.SE) && eq(a.CILow, b.CILow) && eq(a.CIHigh, b.CIHigh) &&
		eq(a.PValue, b.PValue) && eq(a.Pa, b.Pa) && eq(a.Pe, b.Pe) &&
		a.Items == b.Items && a.ItemsUsed == b.ItemsUsed && a.Reason == b.Reason
}

// TestIdentityWithoutMatrix: unweighted coefficients take closed forms on the
// diagonal instead of a q×q identity matrix, and nominal alpha with many
// labels keeps only the coincidences that occur; both must equal the dense
// computation bit for bit.
func TestIdentityWithoutMatrix(t *testing.T) {
	for _, tc := range []struct {
		n, raters, q int
		seed         uint64
	}{{300, 3, 2, 1}, {3000, 12, 8, 2}, {5000, 30, 40, 3}, {4000, 2, 5, 4}, {6000, 50, 1500, 5}} {
		r := synth(tc.n, tc.raters, tc.q, tc.seed)
		nilW := All(r, Options{})
		id := All(r, Options{Weights: identityWeights(tc.q)})
		for name, p := range map[string][2]Result{
			"percent": {nilW.PercentAgreement, id.PercentAgreement}, "fleiss": {nilW.FleissKappa, id.FleissKappa},
			"conger": {nilW.CongerKappa, id.CongerKappa}, "gwet": {nilW.GwetAC, id.GwetAC},
			"bp": {nilW.BrennanPrediger, id.BrennanPrediger}, "cohen": {nilW.CohenKappa, id.CohenKappa},
			"scott": {nilW.ScottPi, id.ScottPi},
		} {
			if !sameResult(p[0], p[1]) {
				t.Errorf("q=%d %s: nil weights %+v, identity matrix %+v", tc.q, name, p[0], p[1])
			}
		}
		// Nominal alpha: sparse coincidences against the dense matrices,
		// and Gwet's alpha with nil against the identity matrix.
		tb := newTable(r)
		if d, s := krippendorffAlphaDense(tb, Nominal, r.scores()), nominalAlphaSparse(tb); !sameResult(d, s) {
			t.Errorf("q=%d nominal alpha: dense %+v, sparse %+v", tc.q, d, s)
		}
		if a, b := alphaGwet(tb, nil), alphaGwet(tb, identityWeights(tc.q)); !sameResult(a, b) {
			t.Errorf("q=%d Gwet alpha: nil %+v, identity %+v", tc.q, a, b)
		}
	}
}

// TestAllManyLabelsMemory: every coefficient of All (unweighted, nominal
// alpha, pairwise) on 20,000 judgments × 3,000 labels × 50 raters. The q×q
// identity, Conger's Σ p_gk p_gl and alpha's coincidence, distance and
// weight matrices were 72 MB each (about 360 MB), the pairwise tables tens
// of GB.
func TestAllManyLabelsMemory(t *testing.T) {
	r := synth(20_000, 50, 3000, 9)
	runtime.GC()
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	s := All(r, Options{Pairwise: true})
	runtime.ReadMemStats(&b)
	alloc := b.TotalAlloc - a.TotalAlloc
	t.Logf("All allocated %.1f MB", float64(alloc)/1e6)
	if len(s.Pairwise) < 1000 || math.IsNaN(s.KrippendorffAlpha.Value) || math.IsNaN(s.CongerKappa.Value) {
		t.Fatalf("unexpected summary: %d pairs, alpha %v, conger %v", len(s.Pairwise), s.KrippendorffAlpha.Value, s.CongerKappa.Value)
	}
	// newTable's items×labels counts (14,000 × 3,000 int32 = 168 MB) remain.
	if alloc > 250e6 {
		t.Errorf("All allocated %.0f MB, want under 250 MB", float64(alloc)/1e6)
	}
}
