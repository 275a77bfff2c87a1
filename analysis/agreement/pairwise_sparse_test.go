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
