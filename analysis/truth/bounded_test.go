package truth

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

// manyLabels is a large-taxonomy batch: n judgments, three per item by
// distinct reviewers, q labels of Zipf-like popularity (so some are never
// given), nRaters reviewers of accuracy 0.6–0.9 who otherwise pick a label
// at random.
func manyLabels(seed uint64, n, q, nRaters int) *synth {
	rng := rand.New(rand.NewPCG(seed, 7))
	s := &synth{q: q, nRaters: nRaters, nItems: n / 3}
	acc := make([]float64, nRaters)
	for r := range acc {
		acc[r] = 0.6 + 0.3*rng.Float64()
	}
	z := rand.NewZipf(rng, 1.1, 20, uint64(q-1))
	for i := 0; i < s.nItems; i++ {
		k := int32(z.Uint64())
		s.truth = append(s.truth, k)
		a := rng.IntN(nRaters)
		for x := 0; x < 3; x++ {
			r := (a + x*7) % nRaters
			l := k
			if rng.Float64() > acc[r] {
				l = int32(rng.IntN(q))
			}
			s.item = append(s.item, int32(i))
			s.rater = append(s.rater, int32(r))
			s.label = append(s.label, l)
		}
	}
	return s
}

// TestDawidSkeneManyLabelsMemory: 20,000 judgments, 3,000 labels, 50
// reviewers (nRaters·q² = 450 million cells, 3.6 GB a table before) must
// allocate less than 600 MB in all, and nothing more per round.
func TestDawidSkeneManyLabelsMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates a few hundred MB")
	}
	s := manyLabels(1, 20_000, 3000, 50)
	alloc := func(rounds int) (uint64, DSResult) {
		runtime.GC()
		var a, b runtime.MemStats
		runtime.ReadMemStats(&a)
		ds := DawidSkene(s.item, s.rater, s.label, s.nItems, s.nRaters, s.q, &DSOptions{MaxIter: rounds, Tol: 0})
		runtime.ReadMemStats(&b)
		return b.TotalAlloc - a.TotalAlloc, ds
	}
	two, _ := alloc(2)
	four, ds := alloc(4)
	t.Logf("allocated %.0f MB in 2 rounds, %.0f MB in 4", float64(two)/1e6, float64(four)/1e6)
	if four > 600e6 {
		t.Errorf("allocated %.0f MB, want under 600 MB", float64(four)/1e6)
	}
	if four > two+1e6 {
		t.Errorf("rounds allocate: %d bytes for 2 rounds, %d for 4", two, four)
	}
	if acc := LabelAccuracy(ds.Label, s.truth).Value; !(acc > 0.7) {
		t.Errorf("accuracy against the planted truth %.3f", acc)
	}
}

// TestDawidSkeneBoundedMatchesDense: the bounded path gives the dense
// path's numbers (within 1e-9) on data with single-judgment items,
// duplicate rows, unused labels, and items and raters without judgments,
// under maximum likelihood and smoothing, with either start; and its
// two-goroutine variant gives the same bits on every run.
func TestDawidSkeneBoundedMatchesDense(t *testing.T) {
	s := manyLabels(2, 6000, 40, 12)
	rng := rand.New(rand.NewPCG(5, 5))
	n := len(s.item)
	// Drop a third of the rows (single-judgment items appear), duplicate
	// some rows, plant an item and a rater without judgments.
	var item, rater, label []int32
	for j := 0; j < n; j++ {
		if rng.IntN(3) == 0 {
			continue
		}
		item, rater, label = append(item, s.item[j]), append(rater, s.rater[j]), append(label, s.label[j])
		if rng.IntN(50) == 0 {
			item, rater, label = append(item, s.item[j]), append(rater, s.rater[j]), append(label, int32(rng.IntN(s.q)))
		}
	}
	nItems, nRaters := s.nItems+1, s.nRaters+1
	for _, o := range []DSOptions{
		{MaxIter: 30, Tol: 0},
		{},
		{Init: InitMajority, Smoothing: 0.5},
		{Smoothing: 0.01, Tol: 0, MaxIter: 20},
	} {
		d := dsPath(false, item, rater, label, nItems, nRaters, s.q, &o)
		b := dsPath(true, item, rater, label, nItems, nRaters, s.q, &o)
		// The two-goroutine M-step and finalisation: near the one-pass
		// result, the same bits on every run.
		oldPar := boundedParallelCells
		boundedParallelCells = 0
		b2 := dsPath(true, item, rater, label, nItems, nRaters, s.q, &o)
		b3 := dsPath(true, item, rater, label, nItems, nRaters, s.q, &o)
		boundedParallelCells = oldPar
		for i := range b2.Posterior {
			if b2.Posterior[i] != b3.Posterior[i] || math.Abs(b2.Posterior[i]-b.Posterior[i]) > 1e-12 {
				t.Fatalf("%+v: posterior %d: %v and %v in two halves, %v in one pass", o, i, b2.Posterior[i], b3.Posterior[i], b.Posterior[i])
			}
		}
		for r := range b2.Loss {
			if b2.Loss[r] != b3.Loss[r] || math.Abs(b2.Loss[r]-b.Loss[r]) > 1e-12 {
				t.Fatalf("%+v: round %d loss %v and %v in two halves, %v in one pass", o, r, b2.Loss[r], b3.Loss[r], b.Loss[r])
			}
		}
		if d.Iterations != b.Iterations || d.Converged != b.Converged {
			t.Fatalf("%+v: dense %d rounds (%v), bounded %d (%v)", o, d.Iterations, d.Converged, b.Iterations, b.Converged)
		}
		near := func(what string, x, y []float64, tol float64) {
			t.Helper()
			for i := range x {
				if dd := math.Abs(x[i] - y[i]); !(dd <= tol) && !(math.IsNaN(x[i]) && math.IsNaN(y[i])) {
					t.Fatalf("%+v: %s[%d] dense %.17g, bounded %.17g", o, what, i, x[i], y[i])
				}
			}
		}
		near("Posterior", d.Posterior, b.Posterior, 1e-9)
		near("Prior", d.Prior, b.Prior, 1e-9)
		near("RaterAccuracy", d.RaterAccuracy, b.RaterAccuracy, 1e-9)
		near("Loss", d.Loss, b.Loss, 1e-9)
		near("LogLik", d.LogLik, b.LogLik, 1e-9*math.Abs(d.LogLik[0]))
		near("Confusion", confTable(&d), confTable(&b), 1e-9)
		for i := range d.Label {
			if d.Label[i] != b.Label[i] {
				t.Fatalf("%+v: item %d label %d dense, %d bounded", o, i, d.Label[i], b.Label[i])
			}
		}
	}
}

// TestFastLog: fastLog against math.Log, subnormals and extremes included,
// and clipCorr.
func TestFastLog(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 200000; n++ {
		x := math.Exp(1400*rng.Float64() - 720)
		switch n % 5 {
		case 0:
			x = ClipEps * rng.Float64()
		case 1:
			x = 1 + rng.Float64()*1e-3
		}
		got, want := fastLog(x), math.Log(x)
		if d := math.Abs(got - want); d > 4e-16*math.Max(1, math.Abs(want)) {
			t.Fatalf("fastLog(%g) = %.17g, math.Log %.17g", x, got, want)
		}
		if x < ClipEps {
			want := x*math.Log(x) - ClipEps*math.Log(ClipEps)
			if d := math.Abs(clipCorr(x) - want); d > 3e-8*x+1e-24 {
				t.Fatalf("clipCorr(%g) = %.17g, want %.17g", x, clipCorr(x), want)
			}
		}
	}
	for _, x := range []float64{math.SmallestNonzeroFloat64, 1, 2, 0.5, math.MaxFloat64} {
		if d := math.Abs(fastLog(x) - math.Log(x)); d > 4e-16*math.Max(1, math.Abs(math.Log(x))) {
			t.Errorf("fastLog(%g) = %v, math.Log %v", x, fastLog(x), math.Log(x))
		}
	}
	if clipCorr(0) != -ClipEps*math.Log(ClipEps) {
		t.Fatal("clipCorr(0)")
	}
}

// TestVoteManyLabels: the votes keep no items×labels table (200,000 items
// × 3,000 labels was 600 MB of top-label flags) and their top sets match
// a brute-force count.
func TestVoteManyLabels(t *testing.T) {
	const nItems, q = 200_000, 3000
	rng := rand.New(rand.NewPCG(3, 3))
	var item, rater, label []int32
	for i := 0; i < nItems; i++ {
		for x := 0; x < 1+i%4; x++ {
			item, rater, label = append(item, int32(i)), append(rater, int32(x)), append(label, int32(rng.IntN(5)*600+i%3))
		}
	}
	runtime.GC()
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	v := MajorityVote(item, label, nItems, q, TiesRandom, 7)
	w := WeightedMajorityVote(item, rater, label, nItems, 4, q, TiesFirst, 0)
	JudgmentAgreement(item, rater, label, nItems, 4, q, TiesFractional, 0)
	runtime.ReadMemStats(&b)
	d := b.TotalAlloc - a.TotalAlloc
	t.Logf("votes allocated %.0f MB", float64(d)/1e6)
	if d > 120e6 {
		t.Errorf("votes allocated %.0f MB", float64(d)/1e6)
	}
	cnt := map[int32]int{}
	for i, j := 0, 0; i < 2000; i++ {
		clear(cnt)
		for ; j < len(item) && item[j] == int32(i); j++ {
			cnt[label[j]]++
		}
		mx := 0
		for _, c := range cnt {
			mx = max(mx, c)
		}
		n := 0
		for l := int32(0); l < q; l++ {
			top := cnt[l] == mx
			if top {
				n++
			}
			if v.IsTop(i, l) != top {
				t.Fatalf("item %d label %d: IsTop %v, count %d of max %d", i, l, v.IsTop(i, l), cnt[l], mx)
			}
		}
		if int(v.TieSize[i]) != n || !v.IsTop(i, v.Label[i]) || !w.IsTop(i, w.Label[i]) {
			t.Fatalf("item %d: tie size %d, want %d; label %d", i, v.TieSize[i], n, v.Label[i])
		}
	}
}
