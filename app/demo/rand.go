package demo

import "math"

// rnd is a SplitMix64 generator. It is written out here, rather than taken
// from math/rand, so that the sample's bytes depend only on the seed and
// never on the Go release that built the binary.
type rnd struct{ s uint64 }

// mix is SplitMix64's output function (Steele, Lea & Flood 2014).
func mix(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// newRnd returns an independent stream for (seed, stream, index), so that
// each item, reviewer or week draws its own numbers whatever the order of
// generation.
func newRnd(seed int64, stream, index uint64) *rnd {
	return &rnd{s: mix(uint64(seed) ^ mix(stream*0x9e3779b97f4a7c15^mix(index+1)))}
}

func (r *rnd) u64() uint64 {
	r.s += 0x9e3779b97f4a7c15
	return mix(r.s)
}

// float returns a number in [0, 1).
func (r *rnd) float() float64 { return float64(r.u64()>>11) / (1 << 53) }

// intn returns a number in [0, n); n must be positive and below 2³².
func (r *rnd) intn(n int) int { return int(((r.u64() >> 32) * uint64(n)) >> 32) }

// between returns an integer in [lo, hi].
func (r *rnd) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// norm returns a standard normal deviate (Box-Muller).
func (r *rnd) norm() float64 {
	u := 1 - r.float() // (0, 1]
	return math.Sqrt(-2*math.Log(u)) * math.Cos(2*math.Pi*r.float())
}

// exp returns an exponential deviate with the given mean.
func (r *rnd) exp(mean float64) float64 { return -mean * math.Log(1-r.float()) }

// pick returns an index drawn with the given (unnormalised) weights.
func (r *rnd) pick(w []float64) int {
	var sum float64
	for _, x := range w {
		sum += x
	}
	u := r.float() * sum
	for i, x := range w {
		if u < x {
			return i
		}
		u -= x
	}
	return len(w) - 1
}

// choose returns a random element of s.
func choose[T any](r *rnd, s []T) T { return s[r.intn(len(s))] }
