package agreement

import (
	"fmt"
	"testing"
)

// Synthetic data: judgments over 0.7·N items, 90 raters, 8 categories.
var benchSizes = []int{100, 10_000, 1_000_000}

func BenchmarkAll(b *testing.B) {
	for _, n := range benchSizes {
		r := synth(n, 90, 8, 1)
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				All(r, Options{})
			}
		})
	}
}

func BenchmarkAllQuadratic(b *testing.B) {
	for _, n := range benchSizes {
		r := synth(n, 90, 8, 1)
		w := Weights(Quadratic, 8, nil)
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				All(r, Options{Weights: w, AlphaWeighted: true})
			}
		})
	}
}

func BenchmarkFleissKappa(b *testing.B) {
	for _, n := range benchSizes {
		r := synth(n, 90, 8, 1)
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			for b.Loop() {
				FleissKappa(r, nil)
			}
		})
	}
}

func BenchmarkPairwise200(b *testing.B) {
	for _, n := range benchSizes {
		r := synth(n, 200, 8, 2)
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Pairwise(r, nil)
			}
		})
	}
}

func BenchmarkAlphaSets(b *testing.B) {
	for _, n := range benchSizes {
		r := synth(n, 90, 8, 3)
		m := &MultiRatings{Item: r.Item, Rater: r.Rater, Labels: make([]uint64, len(r.Cat)), NItems: r.NItems, NRaters: r.NRaters, NLabels: 8}
		for j, c := range r.Cat {
			m.Labels[j] = 1<<uint(c) | 1<<uint((c+int32(j))%8)
		}
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			for b.Loop() {
				AlphaSets(m, MASIDistance)
			}
		})
	}
}
