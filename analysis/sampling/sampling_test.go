package sampling

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// The sizes of the brief (e = 0.03, 95%, p = 0.5: 1068; N = 10,000: 965),
// checked against Cochran's formulas evaluated here with gonum's normal
// quantile, not typed in: n₀ = z²pq/e² = 1067.07..., n = n₀/(1+(n₀−1)/N).
func TestCochranSize(t *testing.T) {
	z := distuv.Normal{Mu: 0, Sigma: 1}.Quantile(0.975)
	n0 := z * z * 0.25 / (0.03 * 0.03)
	if got := CochranN0(0.03, 0.95, 0.5); math.Abs(got-n0) > 1e-9 {
		t.Fatalf("n0 = %v, want %v", got, n0)
	}
	cases := []struct {
		margin, conf, p float64
		N               int
	}{
		{0.03, 0.95, 0.5, 0}, {0.03, 0.95, 0.5, 10000}, {0.05, 0.95, 0.5, 0}, {0.05, 0.99, 0.5, 500},
		{0.02, 0.90, 0.1, 2000}, {0.03, 0.95, 0.5, 50}, {0.5, 0.5, 0.5, 1},
	}
	for _, c := range cases {
		zc := distuv.Normal{Mu: 0, Sigma: 1}.Quantile(1 - (1-c.conf)/2)
		m0 := zc * zc * c.p * (1 - c.p) / (c.margin * c.margin)
		want := int(math.Ceil(m0))
		if c.N > 0 {
			want = min(c.N, int(math.Ceil(m0/(1+(m0-1)/float64(c.N)))))
		}
		if got := CochranSize(c.margin, c.conf, c.p, c.N); got != want {
			t.Errorf("CochranSize(%v, %v, %v, %d) = %d, want %d", c.margin, c.conf, c.p, c.N, got, want)
		}
	}
	// The brief's figures, which the computation above must reproduce.
	if CochranSize(0.03, 0.95, 0.5, 0) != 1068 || CochranSize(0.03, 0.95, 0.5, 10000) != 965 {
		t.Errorf("brief's sizes: got %d and %d, want 1068 and 965", CochranSize(0.03, 0.95, 0.5, 0), CochranSize(0.03, 0.95, 0.5, 10000))
	}
}

// Largest-remainder allocation, by hand: 10 of 3 strata sized 5, 3, 2 (N =
// 10) is exactly 5, 3, 2; 4 of them: quotas 2.0, 1.2, 0.8 → floors 2, 1, 0
// with one unit left for the largest remainder (0.8) → 2, 1, 1; 3 of strata
// 1, 1, 1: quotas 1 each; 2 of strata 1, 1, 1: quotas 2/3 each, ties go to
// the smaller codes → 1, 1, 0.
func TestAllocate(t *testing.T) {
	rep := func(sizes ...int) []int {
		var s []int
		for c, k := range sizes {
			for range k {
				s = append(s, c*10) // codes 0, 10, 20: not dense
			}
		}
		return s
	}
	cases := []struct {
		strata []int
		n      int
		want   []int
	}{
		{rep(5, 3, 2), 10, []int{5, 3, 2}},
		{rep(5, 3, 2), 4, []int{2, 1, 1}},
		{rep(1, 1, 1), 3, []int{1, 1, 1}},
		{rep(1, 1, 1), 2, []int{1, 1, 0}},
		{rep(5, 3, 2), 0, []int{0, 0, 0}},
	}
	for _, c := range cases {
		got := Allocate(c.strata, c.n)
		var ns []int
		sum := 0
		for _, s := range got {
			ns = append(ns, s.Sample)
			sum += s.Sample
		}
		if !slices.Equal(ns, c.want) || sum != c.n {
			t.Errorf("Allocate(%v, %d) = %v, want %v", c.strata, c.n, ns, c.want)
		}
	}
}

func TestStratified(t *testing.T) {
	strata := make([]int, 1000)
	for i := range strata {
		strata[i] = (i * 7) % 5 // strata of 200 each
		if i < 100 {
			strata[i] = 9 // a small stratum
		}
	}
	d := Stratified(strata, 100, 42)
	if len(d.Index) != 100 || !slices.IsSorted(d.Index) {
		t.Fatalf("drew %d units, sorted %v", len(d.Index), slices.IsSorted(d.Index))
	}
	seen := map[int]bool{}
	per := map[int]int{}
	for k, i := range d.Index {
		if seen[i] {
			t.Fatalf("unit %d drawn twice", i)
		}
		seen[i] = true
		if d.Stratum[k] != strata[i] {
			t.Fatalf("unit %d: stratum %d, want %d", i, d.Stratum[k], strata[i])
		}
		per[strata[i]]++
	}
	for _, s := range d.Strata {
		if per[s.Code] != s.Sample {
			t.Errorf("stratum %d: drew %d, allocated %d", s.Code, per[s.Code], s.Sample)
		}
	}
	for k, i := range d.Index {
		var want float64
		for _, s := range d.Strata {
			if s.Code == strata[i] {
				want = float64(s.Sample) / float64(s.Population)
			}
		}
		if d.Probability[k] != want {
			t.Fatalf("unit %d: probability %v, want %v", i, d.Probability[k], want)
		}
	}
	// Same seed, same units; another seed, other units.
	if again := Stratified(strata, 100, 42); !slices.Equal(again.Index, d.Index) {
		t.Error("the same seed drew other units")
	}
	if other := Stratified(strata, 100, 43); slices.Equal(other.Index, d.Index) {
		t.Error("another seed drew the same units")
	}
	// The whole population: every unit, probability 1.
	all := Stratified(strata, len(strata), 1)
	if len(all.Index) != len(strata) || all.Probability[0] != 1 {
		t.Error("a census did not draw every unit with probability 1")
	}
}

// TestStratifiedPinned pins the draw of a fixed seed, so a change of
// generator (which would change every audit sheet drawn with that seed) is
// seen. The expected indices are this implementation's own output, checked
// once for the properties TestStratified checks.
func TestStratifiedPinned(t *testing.T) {
	strata := []int{0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}
	d := Stratified(strata, 6, 2026)
	got := fmt.Sprint(d.Index)
	const want = "[0 3 5 6 12 13]"
	if got != want {
		t.Errorf("seed 2026 drew %s, want %s", got, want)
	}
}

// Uniformity: each unit of a stratum is drawn with probability n_h/N_h;
// over 20,000 seeds each of 10 units of one stratum drawn 3 at a time should
// appear about 6,000 times (binomial sd ≈ 65).
func TestStratifiedUniform(t *testing.T) {
	strata := make([]int, 10)
	hits := make([]int, 10)
	const seeds = 20000
	for s := range uint64(seeds) {
		for _, i := range Stratified(strata, 3, s).Index {
			hits[i]++
		}
	}
	for i, h := range hits {
		if math.Abs(float64(h)-seeds*0.3) > 5*math.Sqrt(seeds*0.3*0.7) {
			t.Errorf("unit %d drawn %d times in %d draws, want about %d", i, h, seeds, seeds*3/10)
		}
	}
}

// Self-weighting samples get the exact interval: 45 of 50 correct, the
// Clopper-Pearson bounds evaluated here from gonum's Beta quantiles.
func TestAccuracySelfWeighting(t *testing.T) {
	correct := make([]bool, 50)
	for i := range 45 {
		correct[i] = true
	}
	pi := slices.Repeat([]float64{0.1}, 50)
	for _, p := range [][]float64{nil, pi} {
		e := Accuracy(correct, p, nil, 0.95)
		low := distuv.Beta{Alpha: 45, Beta: 6}.Quantile(0.025)
		high := distuv.Beta{Alpha: 46, Beta: 5}.Quantile(0.975)
		if e.Method != MethodClopperPearson || e.Value != 0.9 || math.Abs(e.Low-low) > 1e-12 || math.Abs(e.High-high) > 1e-12 || e.N != 50 || e.Successes != 45 {
			t.Errorf("pi %v: got %+v, want 0.9 [%v, %v] by Clopper-Pearson", p != nil, e, low, high)
		}
	}
	if e := Accuracy(nil, nil, nil, 0.95); !math.IsNaN(e.Value) || e.N != 0 {
		t.Errorf("no audits: %+v", e)
	}
}

// A stratified sample with unequal probabilities, against the textbook
// stratified estimator computed here by hand (Cochran 1977, §5.2):
// p_st = Σ W_h p_h, v = Σ W_h² (1 − f_h) s_h²/n_h, s_h² = n_h/(n_h−1) p_h(1−p_h).
// Stratum A: N = 100, n = 10, 9 correct. Stratum B: N = 400, n = 10, 6
// correct. Stratum C: N = 20, n = 5, 5 correct.
func TestAccuracyHorvitzThompson(t *testing.T) {
	type st struct{ N, n, x int }
	strata := []st{{100, 10, 9}, {400, 10, 6}, {20, 5, 5}}
	var correct []bool
	var pi []float64
	var codes []int
	Ntot := 0
	for h, s := range strata {
		Ntot += s.N
		for i := range s.n {
			correct = append(correct, i < s.x)
			pi = append(pi, float64(s.n)/float64(s.N))
			codes = append(codes, h)
		}
	}
	var pst, v float64
	for _, s := range strata {
		W := float64(s.N) / float64(Ntot)
		ph := float64(s.x) / float64(s.n)
		s2 := float64(s.n) / float64(s.n-1) * ph * (1 - ph)
		f := float64(s.n) / float64(s.N)
		pst += W * ph
		v += W * W * (1 - f) * s2 / float64(s.n)
	}
	e := Accuracy(correct, pi, codes, 0.95)
	if e.Method != MethodHorvitzThompson {
		t.Fatalf("method %s", e.Method)
	}
	if math.Abs(e.Value-pst) > 1e-12 || math.Abs(e.SE-math.Sqrt(v)) > 1e-12 {
		t.Errorf("got %v (se %v), want %v (se %v)", e.Value, e.SE, pst, math.Sqrt(v))
	}
	// Korn-Graubard: Clopper-Pearson at the effective size.
	neff := pst * (1 - pst) / v
	low := distuv.Beta{Alpha: neff * pst, Beta: neff*(1-pst) + 1}.Quantile(0.025)
	high := distuv.Beta{Alpha: neff*pst + 1, Beta: neff * (1 - pst)}.Quantile(0.975)
	if math.Abs(e.Low-low) > 1e-9 || math.Abs(e.High-high) > 1e-9 || !(e.Low < e.Value && e.Value < e.High) {
		t.Errorf("interval [%v, %v], want [%v, %v]", e.Low, e.High, low, high)
	}
	// Unweighted, the share would be 20/25 = 0.8; weighting by 1/π gives
	// stratum B (60% correct, 77% of the population) its weight.
	if e.Value > 0.8 || e.Successes != 20 {
		t.Errorf("weighted value %v should be below the unweighted 0.8", e.Value)
	}
	// Every audit correct: the interval still has width.
	all := slices.Repeat([]bool{true}, len(correct))
	if a := Accuracy(all, pi, codes, 0.95); a.Value != 1 || a.High != 1 || !(a.Low < 1) {
		t.Errorf("all correct: %+v", a)
	}
}

func TestPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"margin 0":       func() { CochranN0(0, 0.95, 0.5) },
		"conf 1":         func() { CochranN0(0.03, 1, 0.5) },
		"n > N":          func() { Allocate([]int{1, 2}, 3) },
		"pi 0":           func() { Accuracy([]bool{true, false}, []float64{0, 0.5}, nil, 0.95) },
		"lengths differ": func() { Accuracy([]bool{true}, []float64{0.5, 0.5}, nil, 0.95) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func ExampleCochranSize() {
	fmt.Println(CochranSize(0.03, 0.95, 0.5, 0), CochranSize(0.03, 0.95, 0.5, 10000))
	// Output: 1068 965
}

func ExampleStratified() {
	// Two queues of 6 and 4 judgments; draw 5.
	strata := []int{0, 0, 0, 0, 0, 0, 1, 1, 1, 1}
	d := Stratified(strata, 5, 7)
	for _, s := range d.Strata {
		fmt.Printf("stratum %d: %d of %d\n", s.Code, s.Sample, s.Population)
	}
	fmt.Println(len(d.Index), d.Probability[0])
	// Output:
	// stratum 0: 3 of 6
	// stratum 1: 2 of 4
	// 5 0.5
}

func ExampleAccuracy() {
	// 9 of 10 correct where π = 0.1, 6 of 10 where π = 0.025.
	var correct []bool
	var pi []float64
	var strata []int
	for i := range 20 {
		correct = append(correct, i%10 < map[bool]int{true: 9, false: 6}[i < 10])
		pi = append(pi, map[bool]float64{true: 0.1, false: 0.025}[i < 10])
		strata = append(strata, i/10)
	}
	e := Accuracy(correct, pi, strata, 0.95)
	fmt.Printf("%s %.3f [%.3f, %.3f]\n", e.Method, e.Value, e.Low, e.High)
	// Output: horvitz-thompson 0.660 [0.358, 0.889]
}

func BenchmarkStratified(b *testing.B) {
	for _, n := range []int{100, 10_000, 1_000_000} {
		strata := make([]int, n)
		for i := range strata {
			strata[i] = i % 37
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				Stratified(strata, min(n, 1068), 1)
			}
		})
	}
}

func ExampleZ() {
	fmt.Printf("%.4f %.4f\n", Z(0.95), Z(0.99))
	// Output: 1.9600 2.5758
}

func ExampleCochranN0() {
	fmt.Printf("%.2f\n", CochranN0(0.03, 0.95, 0.5))
	// Output: 1067.07
}

func ExampleAllocate() {
	// 4 of strata sized 5, 3 and 2: quotas 2.0, 1.2, 0.8.
	for _, s := range Allocate([]int{0, 0, 0, 0, 0, 1, 1, 1, 2, 2}, 4) {
		fmt.Printf("stratum %d: %d of %d\n", s.Code, s.Sample, s.Population)
	}
	// Output:
	// stratum 0: 2 of 5
	// stratum 1: 1 of 3
	// stratum 2: 1 of 2
}

func BenchmarkAccuracy(b *testing.B) {
	for _, n := range []int{100, 10_000, 1_000_000} {
		correct := make([]bool, n)
		pi := make([]float64, n)
		strata := make([]int, n)
		for i := range n {
			correct[i] = i%10 != 0
			strata[i] = i % 37
			pi[i] = 0.01 * float64(1+strata[i]%5)
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				Accuracy(correct, pi, strata, 0.95)
			}
		})
	}
}
