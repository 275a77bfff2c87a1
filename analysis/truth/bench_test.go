package truth

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchSizes are judgment counts: 10², 10⁴, 10⁶, eight judgments per item,
// eight classes.
var benchSizes = []int{100, 10_000, 1_000_000}

func benchData(b *testing.B, n int) *synth {
	b.Helper()
	nRaters := 20
	if n >= 1_000_000 {
		nRaters = 200
	}
	return newSynth(1, n/8, 8, 8, nRaters/5, nRaters/2, nRaters-nRaters/5-nRaters/2)
}

func BenchmarkMajorityVote(b *testing.B) {
	for _, n := range benchSizes {
		s := benchData(b, n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				MajorityVote(s.item, s.label, s.nItems, s.q, TiesFirst, 0)
			}
		})
	}
}

func BenchmarkAgreementWithMajority(b *testing.B) {
	for _, n := range benchSizes {
		s := benchData(b, n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				AgreementWithMajority(s.item, s.rater, s.label, s.nItems, s.nRaters, s.q, TiesFractional, 0)
			}
		})
	}
}

// BenchmarkDawidSkene runs 50 full EM rounds (Tol 0) on 8 classes.
func BenchmarkDawidSkene(b *testing.B) {
	for _, n := range benchSizes {
		s := benchData(b, n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			opt := &DSOptions{MaxIter: 50, Tol: 0}
			for b.Loop() {
				DawidSkene(s.item, s.rater, s.label, s.nItems, s.nRaters, s.q, opt)
			}
		})
	}
}

// sparseData mimics the judgments of BenchmarkMetricsFromCSV1M
// (app/demo.WriteCanonicalCSV): n judgments, about n/1.4 items, 60% of them
// judged once, 37% twice and 3% three times by distinct reviewers of one of
// three markets of 30 (90 raters), 8 classes, accuracy 0.85-0.95.
func sparseData(n int) *synth {
	const q, perMarket, markets = 8, 30, 3
	rng := rand.New(rand.NewPCG(11, 3))
	s := &synth{q: q, nRaters: perMarket * markets}
	acc := make([]float64, s.nRaters)
	for r := range acc {
		acc[r] = 0.85 + 0.10*rng.Float64()
	}
	for i := 0; len(s.item) < n; i++ {
		truth := int32(rng.IntN(q))
		k := 1
		if u := rng.Float64(); u > 0.97 {
			k = 3
		} else if u > 0.60 {
			k = 2
		}
		m := rng.IntN(markets)
		for _, p := range rng.Perm(perMarket)[:k] {
			if len(s.item) == n {
				break
			}
			r := m*perMarket + p
			l := truth
			if rng.Float64() > acc[r] {
				l = int32(rng.IntN(q))
			}
			s.item = append(s.item, int32(i))
			s.rater = append(s.rater, int32(r))
			s.label = append(s.label, l)
		}
		s.nItems = i + 1
	}
	return s
}

// BenchmarkDawidSkeneSparse runs 50 EM rounds on sparseData: the shape of
// the one-million-judgment metrics benchmark (about 700,000 items).
func BenchmarkDawidSkeneSparse(b *testing.B) {
	for _, n := range benchSizes {
		s := sparseData(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			opt := &DSOptions{MaxIter: 50, Tol: 0}
			for b.Loop() {
				DawidSkene(s.item, s.rater, s.label, s.nItems, s.nRaters, s.q, opt)
			}
		})
	}
}
