package gold

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func benchJudgments(n int) (item, label, rater, gold []int32) {
	rng := rand.New(rand.NewPCG(1, 2))
	nItems := n / 5
	gold = make([]int32, nItems)
	for i := range gold {
		gold[i] = -1
		if rng.IntN(4) == 0 {
			gold[i] = int32(rng.IntN(8))
		}
	}
	for j := 0; j < n; j++ {
		i := int32(j / 5)
		item = append(item, i)
		rater = append(rater, int32(rng.IntN(100)))
		l := int32(rng.IntN(8))
		if gold[i] >= 0 && rng.IntN(10) < 7 {
			l = gold[i]
		}
		label = append(label, l)
	}
	return
}

func BenchmarkEvaluate(b *testing.B) {
	for _, n := range []int{100, 10_000, 1_000_000} {
		item, label, _, gold := benchJudgments(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				Evaluate(item, label, gold, 8, nil)
			}
		})
	}
}

func BenchmarkEnforcementErrors(b *testing.B) {
	allowed := []bool{true, true, false, false, false, false, false, false}
	for _, n := range []int{100, 10_000, 1_000_000} {
		item, label, rater, gold := benchJudgments(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				EnforcementErrors(item, label, gold, allowed, rater, 100)
			}
		})
	}
}
