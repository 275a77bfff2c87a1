package gold

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// ClopperPearson returns the proportion successes/n with the exact
// (Clopper-Pearson) two-sided interval at confidence level conf (0.95 for
// 95%): with α = 1 − conf,
//
//	low  = B⁻¹(α/2;   x,   n−x+1)   (0 when x = 0)
//	high = B⁻¹(1−α/2; x+1, n−x)     (1 when x = n)
//
// where B⁻¹(p; a, b) is the quantile of the Beta(a, b) distribution.
// Source: C. J. Clopper and E. S. Pearson (1934), "The use of confidence or
// fiducial limits illustrated in the case of the binomial", Biometrika
// 26(4):404–413; the same as statsmodels proportion_confint(method="beta").
// It is the interval an audit's accuracy is reported with: it never
// undercovers, which matters for the small samples auditors draw.
//
// Value, Low and High are NaN when n == 0. ClopperPearson panics if
// successes is not a whole number in [0, n] or conf is not in (0, 1).
func ClopperPearson(successes, n int, conf float64) Proportion {
	if successes < 0 || successes > n || !(conf > 0 && conf < 1) {
		panic("gold: ClopperPearson needs 0 <= successes <= n and 0 < conf < 1")
	}
	if n == 0 {
		nan := math.NaN()
		return Proportion{Value: nan, Low: nan, High: nan}
	}
	x, m := float64(successes), float64(n)
	alpha := 1 - conf
	low, high := 0.0, 1.0
	if successes > 0 {
		low = distuv.Beta{Alpha: x, Beta: m - x + 1}.Quantile(alpha / 2)
	}
	if successes < n {
		high = distuv.Beta{Alpha: x + 1, Beta: m - x}.Quantile(1 - alpha/2)
	}
	return Proportion{Value: x / m, Low: low, High: high, Successes: x, N: m}
}
