package agreement

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Result is one agreement coefficient with its precision measures.
//
// Value is the coefficient, SE its standard error, [CILow, CIHigh] the 95%
// interval, PValue the one-sided p-value for H1: coefficient > 0 (for percent
// agreement: > 0 as irrCAC tests it), Pa the observed and Pe the chance
// agreement. ItemsUsed counts items with at least two ratings (those entering
// Pa); Items counts items with at least one rating (the n of the variance and
// of the n-1 degrees of freedom, as in irrCAC). A statistic that the data
// leave undefined is NaN and Reason says why.
type Result struct {
	Value, SE     float64
	CILow, CIHigh float64
	PValue        float64
	Pa, Pe        float64
	ItemsUsed     int
	Items         int
	Reason        string
}

// undefined returns a Result with every statistic NaN.
func undefined(reason string, items, used int) Result {
	return Result{Value: nan, SE: nan, CILow: nan, CIHigh: nan, PValue: nan, Pa: nan, Pe: nan,
		Items: items, ItemsUsed: used, Reason: reason}
}

// tInference fills CILow, CIHigh and PValue the way irrCAC does:
// value ± qt(0.975, df)·se with the upper bound capped at 1, and
// p = 1 - pt(stat/se, df).
func tInference(res *Result, stat float64, df int) {
	res.CILow, res.CIHigh, res.PValue = nan, nan, nan
	if df < 1 || math.IsNaN(res.SE) || math.IsNaN(res.Value) {
		return
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}
	h := t.Quantile(0.975) * res.SE
	res.CILow = res.Value - h
	res.CIHigh = math.Min(1, res.Value+h)
	res.PValue = survivalRatio(stat, res.SE, t.Survival)
}

// survivalRatio returns S(stat/se), handling se = 0.
func survivalRatio(stat, se float64, surv func(float64) float64) float64 {
	if se == 0 {
		switch {
		case stat > 0:
			return 0
		case stat < 0:
			return 1
		default:
			return nan
		}
	}
	return surv(stat / se)
}

// normalQuantile975 is the standard normal 0.975 quantile.
var normalQuantile975 = distuv.UnitNormal.Quantile(0.975)

// TwoSidedPValue returns the two-sided p-value 2·P(T_{n-1} > |Value/SE|)
// with n = res.Items, the convention of the Python port of irrCAC
// (afergadis/irrCAC, CAC.gwet, CAC.fleiss, CAC.conger, CAC.krippendorff:
// p_value = 2 * (1 - t.cdf(abs(coef/se), n-1))). irrCAC for R prints the
// one-sided Result.PValue instead. For percent agreement pass the Result of
// PercentAgreement (Value = pa).
func TwoSidedPValue(res Result) float64 {
	if res.Items < 2 || math.IsNaN(res.SE) || math.IsNaN(res.Value) {
		return nan
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(res.Items - 1)}
	return 2 * survivalRatio(math.Abs(res.Value), res.SE, t.Survival)
}

// normalSurvival returns 1 - Φ(x) = erfc(x/√2)/2, accurate in the upper tail
// (distuv.Normal.Survival computes 1 - erf and underflows to 0 beyond z ≈ 8).
func normalSurvival(x float64) float64 {
	return 0.5 * math.Erfc(x/math.Sqrt2)
}
