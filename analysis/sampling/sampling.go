// Package sampling draws the statistically sound samples a 2nd-line audit
// checks, and estimates accuracy from what the auditors found: Cochran's
// sample size with the finite-population correction, a seeded stratified
// random draw with proportional allocation, and the design-weighted
// (Horvitz-Thompson) accuracy with its variance and interval.
//
// Input shape: a population of N units (judgments) is described by one
// stratum code per unit (any int; codes need not be dense). Draws return
// unit indices in ascending order with each unit's inclusion probability.
//
// Inputs are never modified. A caller's bug (a margin outside (0, 1), a
// sample larger than the population, slices of unequal length) panics with
// a "sampling: " prefix; a statistic the data leave undefined is NaN.
package sampling

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Z returns the standard normal quantile of a two-sided interval at
// confidence level conf (1.959964 for 0.95):
//
//	z = Φ⁻¹(1 − (1 − conf)/2)
//
// It panics unless 0 < conf < 1.
func Z(conf float64) float64 {
	if !(conf > 0 && conf < 1) {
		panic("sampling: confidence must be in (0, 1)")
	}
	return distuv.UnitNormal.Quantile(1 - (1-conf)/2)
}

// CochranN0 returns Cochran's sample size for estimating a proportion p
// within ± margin at confidence level conf, for an infinite population,
// before rounding:
//
//	n₀ = z² p (1 − p) / e²
//
// with z = Z(conf) and e = margin. p = 0.5 gives the largest n₀ (the
// conservative choice when nothing is known of the proportion).
// Source: W. G. Cochran (1977), Sampling Techniques, 3rd ed., Wiley, §4.4,
// eq. (4.2) with the correction of (4.3).
//
// It panics unless 0 < margin < 1, 0 < conf < 1 and 0 <= p <= 1.
func CochranN0(margin, conf, p float64) float64 {
	if !(margin > 0 && margin < 1) || !(p >= 0 && p <= 1) {
		panic("sampling: CochranN0 needs 0 < margin < 1 and 0 <= p <= 1")
	}
	z := Z(conf)
	return z * z * p * (1 - p) / (margin * margin)
}

// CochranSize returns the whole sample size that estimates a proportion p
// within ± margin at confidence conf in a population of N units, with
// Cochran's finite-population correction:
//
//	n = ⌈ n₀ / (1 + (n₀ − 1)/N) ⌉
//
// (Cochran 1977, §4.4, eq. 4.3), never more than N; N = 0 (unknown or
// infinite population) gives ⌈n₀⌉. e = 0.03, 95%, p = 0.5 give 1068, and
// 965 for N = 10,000.
//
// It panics under CochranN0's conditions or when N < 0.
func CochranSize(margin, conf, p float64, N int) int {
	if N < 0 {
		panic("sampling: CochranSize needs N >= 0")
	}
	n0 := CochranN0(margin, conf, p)
	if N == 0 {
		return int(math.Ceil(n0))
	}
	n := n0 / (1 + (n0-1)/float64(N))
	// A float a hair above a whole number (964.000000001) is that number.
	return min(N, int(math.Ceil(n-1e-9)))
}

// Stratum is one stratum of a draw: its code, how many units it has (N_h)
// and how many were drawn (n_h).
type Stratum struct {
	Code       int
	Population int
	Sample     int
}

// Probability is the inclusion probability of the stratum's units,
// n_h / N_h.
func (s Stratum) Probability() float64 { return float64(s.Sample) / float64(s.Population) }

// Allocate shares a sample of n units among strata in proportion to their
// sizes, with largest-remainder (Hamilton) rounding: stratum h first gets
// ⌊n·N_h/N⌋ units, and the units left over go one each to the strata with
// the largest remainders n·N_h/N − ⌊n·N_h/N⌋ (ties: the smaller code
// first). The allocations add up to n and none exceeds its stratum.
// Source: Cochran (1977), §5.5 (proportional allocation).
//
// strata[i] is unit i's stratum code; the result lists each stratum once,
// by ascending code. It panics unless 0 <= n <= len(strata).
func Allocate(strata []int, n int) []Stratum {
	N := len(strata)
	if n < 0 || n > N {
		panic(fmt.Sprintf("sampling: cannot draw %d of %d units", n, N))
	}
	count := map[int]int{}
	for _, c := range strata {
		count[c]++
	}
	out := make([]Stratum, 0, len(count))
	for c, k := range count {
		out = append(out, Stratum{Code: c, Population: k})
	}
	slices.SortFunc(out, func(a, b Stratum) int { return cmpInt(a.Code, b.Code) })
	if N == 0 {
		return out
	}
	// Integer arithmetic: quota n·N_h = q·N + r, remainder r/N.
	rem := make([]int, len(out))
	left := n
	for i := range out {
		q := n * out[i].Population
		out[i].Sample = q / N
		rem[i] = q % N
		left -= out[i].Sample
	}
	order := make([]int, len(out))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpInt(rem[b], rem[a]) })
	for _, i := range order[:left] {
		out[i].Sample++
	}
	return out
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Draw is a stratified sample: Index the drawn units in ascending order,
// Probability each one's inclusion probability n_h/N_h, Stratum each one's
// stratum code, and Strata the allocation.
type Draw struct {
	Index       []int
	Probability []float64
	Stratum     []int
	Strata      []Stratum
}

// Stratified draws n of the units strata describes: Allocate's
// proportional allocation, then, stratum by stratum in ascending code, n_h
// units without replacement by a partial Fisher-Yates shuffle of the
// stratum's units (in ascending index) driven by a PCG-DXSM generator
// (math/rand/v2 NewPCG(seed, 0x6c61626571612d61)) and Lemire's unbiased
// bounded integers. The same strata, n and seed give the same units on
// every machine and Go release. Each unit of stratum h is drawn with
// probability π = n_h/N_h.
// Source: Cochran (1977), §5.1-5.5 (stratified random sampling); D. Lemire
// (2019), "Fast random integer generation in an interval", ACM TOMACS 29(1).
//
// It panics unless 0 <= n <= len(strata).
func Stratified(strata []int, n int, seed uint64) Draw {
	alloc := Allocate(strata, n)
	members := map[int][]int{}
	for i, c := range strata {
		members[c] = append(members[c], i)
	}
	src := rand.NewPCG(seed, 0x6c61626571612d61) // "labeqa-a"
	d := Draw{Strata: alloc}
	type pick struct {
		i, code int
		p       float64
	}
	picks := make([]pick, 0, n)
	for _, s := range alloc {
		units := slices.Clone(members[s.Code])
		for k := 0; k < s.Sample; k++ {
			j := k + int(bounded(src, uint64(len(units)-k)))
			units[k], units[j] = units[j], units[k]
			picks = append(picks, pick{units[k], s.Code, s.Probability()})
		}
	}
	slices.SortFunc(picks, func(a, b pick) int { return cmpInt(a.i, b.i) })
	for _, p := range picks {
		d.Index = append(d.Index, p.i)
		d.Probability = append(d.Probability, p.p)
		d.Stratum = append(d.Stratum, p.code)
	}
	return d
}

// bounded returns a uniform integer in [0, n) from src by Lemire's
// multiply-and-reject method (n > 0).
func bounded(src *rand.PCG, n uint64) uint64 {
	hi, lo := bits.Mul64(src.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(src.Uint64(), n)
		}
	}
	return hi
}
