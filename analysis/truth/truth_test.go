package truth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// synth draws a planted data set: true labels from prior, each item judged
// by perItem distinct raters drawn at random, rater r answering with row
// conf[r][truth] of their confusion matrix.
type synth struct {
	item, rater, label, truth []int32
	nItems, nRaters, q        int
	prior                     []float64
	conf                      [][][]float64 // conf[r][k][l]
}

func draw(rng *rand.Rand, p []float64) int32 {
	u := rng.Float64()
	for k, x := range p {
		if u < x {
			return int32(k)
		}
		u -= x
	}
	return int32(len(p) - 1)
}

// newSynth plants raters of three kinds: experts (diagonal 0.92),
// mediocre (0.65, errors spread evenly) and biased (0.45, errors mostly to
// label 0), in the given numbers.
func newSynth(seed uint64, nItems, perItem, q, experts, mediocre, biased int) *synth {
	rng := rand.New(rand.NewPCG(seed, 1))
	s := &synth{nItems: nItems, q: q, nRaters: experts + mediocre + biased}
	s.prior = make([]float64, q)
	for k := range s.prior {
		s.prior[k] = float64(q-k) / float64(q*(q+1)/2)
	}
	for r := 0; r < s.nRaters; r++ {
		c := make([][]float64, q)
		for k := range c {
			c[k] = make([]float64, q)
			switch {
			case r < experts:
				for l := range c[k] {
					c[k][l] = 0.08 / float64(q-1)
				}
				c[k][k] = 0.92
			case r < experts+mediocre:
				for l := range c[k] {
					c[k][l] = 0.35 / float64(q-1)
				}
				c[k][k] = 0.65
			default:
				// Biased toward label 0.
				for l := range c[k] {
					c[k][l] = 0.15 / float64(q-1)
				}
				c[k][0] += 0.40
				c[k][k] += 0.45
				sum := 0.0
				for _, x := range c[k] {
					sum += x
				}
				for l := range c[k] {
					c[k][l] /= sum
				}
			}
		}
		s.conf = append(s.conf, c)
	}
	s.truth = make([]int32, nItems)
	for i := range s.truth {
		s.truth[i] = draw(rng, s.prior)
		for _, r := range rng.Perm(s.nRaters)[:perItem] {
			s.item = append(s.item, int32(i))
			s.rater = append(s.rater, int32(r))
			s.label = append(s.label, draw(rng, s.conf[r][s.truth[i]]))
		}
	}
	return s
}

// plantedAccuracy is Σₖ prior[k]·conf[r][k][k].
func (s *synth) plantedAccuracy(r int) float64 {
	var a float64
	for k, p := range s.prior {
		a += p * s.conf[r][k][k]
	}
	return a
}

// TestDawidSkeneSynthetic: estimated rater accuracies within 0.03 of the
// planted ones, and DS beats majority vote against the planted truth.
func TestDawidSkeneSynthetic(t *testing.T) {
	s := newSynth(7, 6000, 7, 3, 4, 10, 6)
	ds := DawidSkene(s.item, s.rater, s.label, s.nItems, s.nRaters, s.q, nil)
	checkMonotone(t, ds.LogLik, "log-likelihood")
	var worst float64
	for r := 0; r < s.nRaters; r++ {
		d := math.Abs(ds.RaterAccuracy[r] - s.plantedAccuracy(r))
		worst = math.Max(worst, d)
		if d > 0.03 {
			t.Errorf("rater %d: estimated accuracy %.4f, planted %.4f", r, ds.RaterAccuracy[r], s.plantedAccuracy(r))
		}
	}
	mv := MajorityVote(s.item, s.label, s.nItems, s.q, TiesFractional, 0)
	accMV := mv.GoldAccuracy(s.truth).Value
	accDS := LabelAccuracy(ds.Label, s.truth).Value
	if !(accDS > accMV) {
		t.Errorf("DS accuracy %.4f does not beat MV %.4f", accDS, accMV)
	}
	for k := range s.prior {
		if math.Abs(ds.Prior[k]-s.prior[k]) > 0.02 {
			t.Errorf("prior %d = %.4f, planted %.4f", k, ds.Prior[k], s.prior[k])
		}
	}
	t.Logf("DS %.4f vs MV %.4f; worst rater accuracy error %.4f after %d rounds", accDS, accMV, worst, ds.Iterations)
}

func TestDawidSkeneOptions(t *testing.T) {
	s := newSynth(3, 300, 5, 4, 2, 3, 2)
	all := DawidSkene(s.item, s.rater, s.label, s.nItems, s.nRaters, s.q, &DSOptions{MaxIter: 40, Tol: 0})
	if all.Iterations != 40 || all.Converged || len(all.LogLik) != 40 || len(all.Loss) != 40 {
		t.Errorf("Tol 0: %d rounds, converged %v", all.Iterations, all.Converged)
	}
	checkMonotone(t, all.LogLik, "log-likelihood")
	def := DawidSkene(s.item, s.rater, s.label, s.nItems, s.nRaters, s.q, nil)
	if def.Options.MaxIter != DefaultMaxIter || def.Options.Tol != DefaultTol || def.Options.Smoothing != 0 {
		t.Errorf("defaults: %+v", def.Options)
	}
	if !def.Converged || def.Iterations >= DefaultMaxIter {
		t.Errorf("default run: %d rounds, converged %v", def.Iterations, def.Converged)
	}
	hard := DawidSkene(s.item, s.rater, s.label, s.nItems, s.nRaters, s.q, &DSOptions{Init: InitMajority, Tol: -1})
	checkMonotone(t, hard.LogLik, "log-likelihood (InitMajority)")
	// Posteriors are distributions; confusion rows too.
	for i := 0; i < s.nItems; i++ {
		var sum float64
		for k := 0; k < s.q; k++ {
			sum += all.Posterior[i*s.q+k]
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Fatalf("item %d posterior sums to %v", i, sum)
		}
	}
	for r := 0; r < s.nRaters; r++ {
		for k := 0; k < s.q; k++ {
			var sum float64
			for l := 0; l < s.q; l++ {
				sum += all.Confusion(r, k, l)
			}
			if math.Abs(sum-1) > 1e-12 {
				t.Fatalf("rater %d row %d sums to %v", r, k, sum)
			}
		}
	}
}

// TestDawidSkeneEdges: items without judgments, raters without judgments.
func TestDawidSkeneEdges(t *testing.T) {
	item := []int32{0, 0, 2, 2}
	rater := []int32{0, 1, 0, 1}
	label := []int32{1, 1, 0, 0}
	ds := DawidSkene(item, rater, label, 3, 3, 2, nil)
	if ds.Label[1] != -1 || ds.Label[0] != 1 || ds.Label[2] != 0 {
		t.Errorf("labels %v", ds.Label)
	}
	if ds.Posterior[2] != ds.Prior[0] || !math.IsNaN(ds.RaterAccuracy[2]) || !math.IsNaN(ds.RaterExpectedAccuracy[2]) {
		t.Errorf("unjudged item or rater: %v %v", ds.Posterior, ds.RaterAccuracy)
	}
}

func TestMajorityVoteTies(t *testing.T) {
	// item 0: 1,2,2 → 2; item 1: 0,2 tie → first 0; item 2: none; item 3: 1,0,1,0 (dup) tie.
	item := []int32{0, 0, 0, 1, 1, 3, 3, 3, 3}
	label := []int32{1, 2, 2, 2, 0, 1, 0, 1, 0}
	gold := []int32{2, 2, 0, 1}
	v := MajorityVote(item, label, 4, 3, TiesFirst, 0)
	if v.Label[0] != 2 || v.Label[1] != 0 || v.Label[2] != -1 || v.Label[3] != 0 {
		t.Errorf("labels %v", v.Label)
	}
	if v.Items != 3 || v.Ties != 2 || v.TieSize[1] != 2 || v.TieSize[2] != 0 {
		t.Errorf("items %d ties %d sizes %v", v.Items, v.Ties, v.TieSize)
	}
	// Gold: item 2 unanswered does not count. first: 1 (item 0) of 3.
	if a := v.GoldAccuracy(gold); a.Items != 3 || a.Correct != 1 {
		t.Errorf("first: %+v", a)
	}
	f := MajorityVote(item, label, 4, 3, TiesFractional, 0)
	if a := f.GoldAccuracy(gold); a.Items != 3 || a.Correct != 2 {
		t.Errorf("fractional: %+v, want 1 + 1/2 + 1/2", a)
	}
	// Random: deterministic given the seed, and picks both ways over seeds.
	seen := map[int32]bool{}
	for seed := uint64(0); seed < 40; seed++ {
		a := MajorityVote(item, label, 4, 3, TiesRandom, seed)
		b := MajorityVote(item, label, 4, 3, TiesRandom, seed)
		if a.Label[1] != b.Label[1] || a.Label[3] != b.Label[3] {
			t.Fatal("TiesRandom not deterministic")
		}
		if a.Label[0] != 2 {
			t.Fatal("TiesRandom changed an untied item")
		}
		seen[a.Label[1]] = true
	}
	if !seen[0] || !seen[2] || len(seen) != 2 {
		t.Errorf("TiesRandom picks %v, want {0, 2}", seen)
	}
}

func TestAgreementWithMajority(t *testing.T) {
	// item 0: raters 0,1,2 say 0,0,1. item 1: raters 0,1 say 1,0. item 2:
	// rater 0 alone. item 3: rater 2 says 1, rater 0 twice (0 then 1),
	// rater 1 says 0. Hand computation below.
	item := []int32{0, 0, 0, 1, 1, 2, 3, 3, 3, 3}
	rater := []int32{0, 1, 2, 0, 1, 0, 2, 0, 0, 1}
	label := []int32{0, 0, 1, 1, 0, 1, 1, 0, 1, 0}
	a := AgreementWithMajority(item, rater, label, 4, 4, 2, TiesFractional, 0)
	// rater 0: item0 rest {0,1} tie → 0 in tie: 1/2; item1 rest {0} → 1≠0: 0;
	// item2: no others, not scored; item3 rest {1 (r2), 0 (r1)} tie → both
	// rows (0 and 1) in tie: 1/2 + 1/2. Total 1.5 over 4.
	if a[0].N != 4 || math.Abs(a[0].Agree-1.5) > 1e-15 {
		t.Errorf("rater 0: %+v", a[0])
	}
	// rater 1: item0 rest {0,1} tie → 1/2; item1 rest {1} → 0; item3 rest
	// {1,0,1} → 1 wins, rater says 0 → 0. 0.5 over 3.
	if a[1].N != 3 || math.Abs(a[1].Agree-0.5) > 1e-15 {
		t.Errorf("rater 1: %+v", a[1])
	}
	// rater 2: item0 rest {0,0} → 0 ≠ 1; item3 rest {0,1,0} → 0 ≠ 1. 0 of 2.
	if a[2].N != 2 || a[2].Agree != 0 || !math.IsNaN(a[3].Value) {
		t.Errorf("rater 2,3: %+v %+v", a[2], a[3])
	}
	f := AgreementWithMajority(item, rater, label, 4, 4, 2, TiesFirst, 0)
	// rater 0 with ties→first label 0: item0 agrees (0), item3 row 0 agrees.
	if f[0].Agree != 2 || f[0].N != 4 {
		t.Errorf("first: %+v", f[0])
	}
	r1 := AgreementWithMajority(item, rater, label, 4, 4, 2, TiesRandom, 9)
	r2 := AgreementWithMajority(item, rater, label, 4, 4, 2, TiesRandom, 9)
	if r1[0] != r2[0] {
		t.Error("TiesRandom not deterministic")
	}
}

func TestWawa(t *testing.T) {
	// Raters 0 and 1 agree with the majority on items 0-3, rater 2 does
	// not; on item 4 rater 2's two duplicate rows outvote rater 0, until
	// the weights decide. Rater 3 has no judgments. Hand computation below.
	item := []int32{0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4}
	rater := []int32{0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 2, 2}
	label := []int32{1, 1, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1, 1, 0, 0}
	w := WeightedMajorityVote(item, rater, label, 5, 4, 2, TiesFirst, 0)
	// MV: items 0,1 → 1; 2,3 → 0; item 4: {1:1, 0:2} → 0.
	// Rater 0: 4/5 agree (item 4 no). Rater 1: 4/4. Rater 2: item 4 twice
	// agrees → 2/6. Rater 3: none → NaN.
	want := []float64{0.8, 1, 2.0 / 6}
	for r, x := range want {
		if math.Abs(w.Weights[r]-x) > 1e-15 {
			t.Errorf("weight %d = %v, want %v", r, w.Weights[r], x)
		}
	}
	if !math.IsNaN(w.Weights[3]) {
		t.Errorf("weight 3 = %v", w.Weights[3])
	}
	// Item 4 re-vote: label 1 gets 0.8, label 0 gets 2/3 → 1.
	if w.Label[4] != 1 || w.Majority.Label[4] != 0 {
		t.Errorf("item 4: wawa %d, mv %d", w.Label[4], w.Majority.Label[4])
	}
}

func TestDisputedGold(t *testing.T) {
	s := newSynth(11, 2000, 7, 3, 6, 2, 0)
	gold := append([]int32(nil), s.truth...)
	// Corrupt ten gold labels.
	for i := 0; i < 10; i++ {
		gold[i*100] = (gold[i*100] + 1) % 3
	}
	ds := DawidSkene(s.item, s.rater, s.label, s.nItems, s.nRaters, s.q, nil)
	d := DisputedGold(s.item, s.rater, s.label, gold, &ds, nil)
	found := map[int32]Dispute{}
	for _, x := range d {
		found[x.Item] = x
		if x.Suggested == x.Gold || !(x.ByPosterior || x.ByRaters) {
			t.Errorf("bad dispute %+v", x)
		}
		if x.ByRaters && len(x.Raters) < DefaultDisputeRaters {
			t.Errorf("dispute %+v has too few raters", x)
		}
	}
	for i := 0; i < 10; i++ {
		x, ok := found[int32(i*100)]
		if !ok {
			t.Errorf("corrupted gold item %d not disputed", i*100)
			continue
		}
		if x.Suggested != s.truth[i*100] {
			t.Errorf("item %d: suggested %d, truth %d", i*100, x.Suggested, s.truth[i*100])
		}
	}
	// Few false alarms on the 1990 correct items.
	extra := 0
	for _, x := range d {
		if x.Item%100 != 0 || x.Item >= 1000 {
			extra++
		}
	}
	if extra > 10 {
		t.Errorf("%d disputes on correct gold items", extra)
	}
	t.Logf("%d disputes for 10 corrupted gold labels", len(d))
}

// TestDawidSkeneLongItems exercises the E-step's rescaling: items with
// thousands of judgments, whose unnormalised posteriors underflow without
// it, checked against the map-based log-space reference of crowd_test.go.
func TestDawidSkeneLongItems(t *testing.T) {
	s := newSynth(5, 12, 6, 3, 2, 3, 1) // 12 items × 6 raters, then more rows
	rng := rand.New(rand.NewPCG(9, 9))
	for i := 0; i < 3; i++ {
		for n := 0; n < 3000; n++ {
			r := rng.IntN(s.nRaters)
			s.item = append(s.item, int32(i))
			s.rater = append(s.rater, int32(r))
			s.label = append(s.label, draw(rng, s.conf[r][s.truth[i]]))
		}
	}
	var cs crowdSet
	cs.labels = []string{"0", "1", "2"}
	for j := range s.item {
		cs.answers = append(cs.answers, answer{fmt.Sprint(s.item[j]), fmt.Sprint(s.rater[j]), fmt.Sprint(s.label[j])})
	}
	// Maximum likelihood against the Crowd-Kit reference.
	ds := DawidSkene(s.item, s.rater, s.label, s.nItems, s.nRaters, s.q, &DSOptions{MaxIter: 20, Tol: 0})
	ref := refCrowdKit(cs, 20, math.Inf(-1))
	for it, tt := range ref.probas {
		var i int
		fmt.Sscan(it, &i)
		for k := range tt {
			if d := math.Abs(tt[k] - ds.Posterior[i*s.q+k]); d > 1e-9 || math.IsNaN(ds.Posterior[i*s.q+k]) {
				t.Fatalf("item %d class %d: posterior %v, Crowd-Kit reference %v", i, k, ds.Posterior[i*s.q+k], tt[k])
			}
		}
	}
	for r := range ref.loss {
		if d := math.Abs(ref.loss[r] - ds.Loss[r]); !(d <= 1e-9) {
			t.Fatalf("round %d: loss %v, Crowd-Kit reference %v", r, ds.Loss[r], ref.loss[r])
		}
	}
	// Smoothing against the MAP reference.
	ds = DawidSkene(s.item, s.rater, s.label, s.nItems, s.nRaters, s.q, &DSOptions{MaxIter: 20, Tol: 0, Smoothing: 0.01})
	T, lls := refDS(cs, ds.Options.Smoothing, ds.Iterations)
	for it, tt := range T {
		var i int
		fmt.Sscan(it, &i)
		for k := range tt {
			if d := math.Abs(tt[k] - ds.Posterior[i*s.q+k]); d > 1e-9 || math.IsNaN(ds.Posterior[i*s.q+k]) {
				t.Fatalf("smoothing: item %d class %d: posterior %v, reference %v", i, k, ds.Posterior[i*s.q+k], tt[k])
			}
		}
	}
	for r := range lls {
		if d := math.Abs(lls[r] - ds.LogLik[r]); !(d <= 1e-9*math.Abs(lls[r])) {
			t.Fatalf("round %d: log-likelihood %v, reference %v", r, ds.LogLik[r], lls[r])
		}
	}
	checkMonotone(t, ds.Loss, "loss")
	if lls[0] > -1000 {
		t.Fatalf("log-likelihood %v: the test does not reach underflow territory", lls[0])
	}
}

// TestBuildIndexSortedInput: judgments already ordered by (item, rater) get
// the same index without the counting sorts as with them.
func TestBuildIndexSortedInput(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const nItems, nRaters, m = 300, 7, 1000
	item := make([]int32, m)
	rater := make([]int32, m)
	for j := range item {
		item[j], rater[j] = int32(rng.IntN(nItems)), int32(rng.IntN(nRaters))
	}
	if sortedByItemRater(item, rater) {
		t.Fatal("random judgments reported as sorted")
	}
	// Sort by (item, rater) with ties kept in input order.
	perm := sortIndex(item, rater, nItems, nRaters).order
	si, sr := make([]int32, m), make([]int32, m)
	for k, j := range perm {
		si[k], sr[k] = item[j], rater[j]
	}
	for _, r := range [][]int32{sr, nil} {
		if !sortedByItemRater(si, r) {
			t.Fatal("sorted judgments not recognised")
		}
		fast, slow := buildIndex(si, r, nItems, nRaters), sortIndex(si, r, nItems, nRaters)
		if !slices.Equal(fast.start, slow.start) || !slices.Equal(fast.order, slow.order) {
			t.Fatalf("rater=%v: fast path index differs from the sorted one", r != nil)
		}
	}
}

// TestDawidSkeneParallelEStep: the two-goroutine E-step gives the one-pass
// result up to rounding, and the same bits on every run.
func TestDawidSkeneParallelEStep(t *testing.T) {
	s := newSynth(11, 3000, 3, 4, 3, 4, 2)
	run := func(min int) DSResult {
		old := parallelMinJudgments
		parallelMinJudgments = min
		defer func() { parallelMinJudgments = old }()
		o := DSOptions{MaxIter: 40}
		return DawidSkene(s.item, s.rater, s.label, s.nItems, s.nRaters, s.q, &o)
	}
	one, two, again := run(1<<30), run(1), run(1)
	if one.Iterations != two.Iterations {
		t.Fatalf("iterations %d one pass, %d in two halves", one.Iterations, two.Iterations)
	}
	for i := range one.Posterior {
		if math.Abs(one.Posterior[i]-two.Posterior[i]) > 1e-12 {
			t.Fatalf("posterior %d: %v one pass, %v in two halves", i, one.Posterior[i], two.Posterior[i])
		}
		if two.Posterior[i] != again.Posterior[i] {
			t.Fatalf("posterior %d differs between two runs: %v, %v", i, two.Posterior[i], again.Posterior[i])
		}
	}
	for r := range one.RaterAccuracy {
		if math.Abs(one.RaterAccuracy[r]-two.RaterAccuracy[r]) > 1e-12 {
			t.Fatalf("rater %d accuracy %v vs %v", r, one.RaterAccuracy[r], two.RaterAccuracy[r])
		}
	}
	if math.Abs(one.LogLik[len(one.LogLik)-1]-two.LogLik[len(two.LogLik)-1]) > 1e-9 {
		t.Fatalf("log-likelihood %v vs %v", one.LogLik[len(one.LogLik)-1], two.LogLik[len(two.LogLik)-1])
	}
}
