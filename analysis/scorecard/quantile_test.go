package scorecard

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// quantileUnsorted must equal Quantile on the sorted copy, for every size,
// p, and shape (ties, sorted, reversed, random).
func TestQuantileUnsortedMatchesSorted(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	shapes := map[string]func(n int) []float64{
		"random": func(n int) []float64 {
			x := make([]float64, n)
			for i := range x {
				x[i] = rng.Float64() * 100
			}
			return x
		},
		"ties": func(n int) []float64 {
			x := make([]float64, n)
			for i := range x {
				x[i] = float64(rng.IntN(4))
			}
			return x
		},
		"sorted": func(n int) []float64 {
			x := make([]float64, n)
			for i := range x {
				x[i] = float64(i) / 3
			}
			return x
		},
		"reversed": func(n int) []float64 {
			x := make([]float64, n)
			for i := range x {
				x[i] = float64(n - i)
			}
			return x
		},
	}
	for name, gen := range shapes {
		for _, n := range []int{1, 2, 3, 5, 10, 101, 1000, 4097} {
			for _, p := range []float64{0, 0.1, 0.5, 0.9, 0.99, 1} {
				x := gen(n)
				s := slices.Clone(x)
				slices.Sort(s)
				want := Quantile(p, s)
				got := quantileUnsorted(p, x)
				if math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
					t.Fatalf("%s n=%d p=%v: got %v, want %v", name, n, p, got, want)
				}
			}
		}
	}
	if !math.IsNaN(quantileUnsorted(0.5, nil)) {
		t.Fatal("empty input must give NaN")
	}
}
