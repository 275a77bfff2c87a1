// Package gold measures annotations against a golden data set (GDS): pooled
// accuracy with a Wilson interval, Cohen's kappa, the Matthews correlation
// coefficient, per-label precision / recall / F1 with scikit-learn's macro,
// micro and weighted averages, the confusion matrix, and over- and
// under-enforcement rates.
//
// Input shape, shared with analysis/truth and analysis/scorecard: judgments
// are parallel slices item[j], rater[j], label[j] (category codes 0..q-1 in the
// declared label order) and gold[i] is the gold code of item i, or -1 when the
// item has no gold. Duplicate (item, rater) rows are allowed and every row is
// a separate judgment. Every annotation on a gold item is one prediction of
// the gold label (pooled); gold items nobody answered do not count.
//
// Inputs are never modified. A caller's bug (slices of unequal length, a code
// out of range) panics with a "gold: " prefix; a statistic the data leave
// undefined is NaN.
package gold

import "math"

// Z95 is the standard normal quantile for a two-sided 95% interval,
// Φ⁻¹(0.975).
const Z95 = 1.959963984540054

// Proportion is an observed proportion with its two-sided interval.
// All three fields are NaN when the denominator is zero.
type Proportion struct {
	Value, Low, High float64
	// Successes and N are the numerator and denominator of Value.
	Successes, N float64
}

// Wilson returns the proportion successes/n with the Wilson (1927) score
// interval at the normal quantile z (use Z95 for 95%):
//
//	p̂ = x/n
//	centre    = (p̂ + z²/(2n)) / (1 + z²/n)
//	halfwidth = z/(1 + z²/n) · sqrt(p̂(1−p̂)/n + z²/(4n²))
//	[low, high] = centre ∓ halfwidth, clamped to [0, 1]
//
// Source: E. B. Wilson (1927), "Probable inference, the law of succession, and
// statistical inference", JASA 22(158):209–212; the same formula as
// statsmodels proportion_confint(method="wilson").
//
// Value, Low and High are NaN when n == 0. Wilson panics if successes < 0,
// successes > n or z <= 0.
func Wilson(successes, n, z float64) Proportion {
	if successes < 0 || successes > n || !(z > 0) {
		panic("gold: Wilson needs 0 <= successes <= n and z > 0")
	}
	if n == 0 {
		nan := math.NaN()
		return Proportion{Value: nan, Low: nan, High: nan}
	}
	p := successes / n
	z2 := z * z
	den := 1 + z2/n
	centre := (p + z2/(2*n)) / den
	half := z / den * math.Sqrt(p*(1-p)/n+z2/(4*n*n))
	return Proportion{
		Value:     p,
		Low:       math.Max(0, centre-half),
		High:      math.Min(1, centre+half),
		Successes: successes,
		N:         n,
	}
}
