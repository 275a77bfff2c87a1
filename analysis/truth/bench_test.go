package truth

import (
	"fmt"
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
