package scorecard

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func benchInput(n int) *Input {
	rng := rand.New(rand.NewPCG(3, 4))
	nItems, nRaters, q := n/5, 100, 8
	in := &Input{NItems: nItems, NRaters: nRaters, Q: q, Gold: make([]int32, nItems),
		Allowed: []bool{true, false, false, false, false, false, false, false}}
	for i := range in.Gold {
		in.Gold[i] = -1
		if rng.IntN(5) == 0 {
			in.Gold[i] = int32(rng.IntN(q))
		}
	}
	clock := make([]float64, nRaters)
	for j := 0; j < n; j++ {
		i, r := int32(j/5), int32(rng.IntN(nRaters))
		l := int32(rng.IntN(q))
		if g := in.Gold[i]; g >= 0 && rng.IntN(10) < 8 {
			l = g
		}
		d := 20 + 60*rng.Float64()
		if rng.IntN(50) == 0 {
			d += 1200 // a break
		}
		clock[r] += d
		in.Item = append(in.Item, i)
		in.Rater = append(in.Rater, r)
		in.Label = append(in.Label, l)
		in.SubmittedAt = append(in.SubmittedAt, clock[r])
		in.Duration = append(in.Duration, d)
		if j%5 == 4 && rng.IntN(10) == 0 {
			in.QA = append(in.QA, QAPair{int32(j - 4), int32(j)})
		}
	}
	return in
}

// BenchmarkReviewers includes the Dawid-Skene run (default options).
func BenchmarkReviewers(b *testing.B) {
	for _, n := range []int{100, 10_000, 1_000_000} {
		in := benchInput(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				Reviewers(in)
			}
		})
	}
}
