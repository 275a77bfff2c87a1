package sampling

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"labelqa/analysis/gold"
)

// Methods of Estimate.
const (
	MethodClopperPearson  = "clopper-pearson"
	MethodHorvitzThompson = "horvitz-thompson"
)

// Estimate is an audit's accuracy: Value with its standard error and
// two-sided interval, from N audited units of which Successes were correct,
// by Method. EffectiveN is the sample size the interval was computed with
// (N for Clopper-Pearson; the design's effective size for
// Horvitz-Thompson). Value, SE, Low and High are NaN when N is 0.
type Estimate struct {
	Value, SE, Low, High float64
	N, Successes         int
	EffectiveN           float64
	Method               string
}

// Accuracy estimates the share of correct units in the population a sample
// was drawn from. correct[i] is the auditor's verdict on unit i, pi[i] its
// inclusion probability and strata[i] its stratum code (nil: one stratum).
//
// When every unit has the same inclusion probability (pi nil, or all
// equal), the sample is self-weighting and the estimate is x/n with the
// exact Clopper-Pearson interval (gold.ClopperPearson) and
// SE = sqrt(p̂(1−p̂)/n).
//
// Otherwise it is the Horvitz-Thompson estimate with weights w = 1/π, in
// its ratio (Hájek) form, which for a stratified draw equals the stratified
// mean Σ_h (N_h/N) p̂_h:
//
//	p̂ = Σ w_i y_i / Σ w_i
//	z_i = w_i (y_i − p̂) / Σ w_i
//	v(p̂) = Σ_h (1 − f_h) n_h/(n_h − 1) Σ_{i∈h} (z_i − z̄_h)²,  f_h = n_h / Σ_{i∈h} w_i
//
// (the linearisation variance of a ratio under stratified sampling without
// replacement; for π = n_h/N_h it is the textbook Σ_h W_h² (1 − f_h) s_h²/n_h).
// A stratum with one unit adds z_i² (centred on the overall mean, as R's
// survey package does with lonely PSUs "adjust"). The interval is Korn and
// Graubard's: the Clopper-Pearson interval at the effective sample size
// n* = p̂(1−p̂)/v(p̂) (n when v is 0),
//
//	low  = B⁻¹(α/2;   n*p̂,   n*(1−p̂)+1)   (0 when p̂ = 0)
//	high = B⁻¹(1−α/2; n*p̂+1, n*(1−p̂))     (1 when p̂ = 1)
//
// which keeps its coverage near 0 and 1, where audit accuracies live.
// Sources: D. G. Horvitz and D. J. Thompson (1952), "A generalization of
// sampling without replacement from a finite universe", JASA
// 47(260):663–685; Cochran (1977), §5.2 (variance of the stratified mean);
// E. L. Korn and B. I. Graubard (1998), "Confidence intervals for proportions
// with small expected number of positive counts estimated from survey
// data", Survey Methodology 24(2):193–201 (R survey's svyciprop "beta",
// without its degrees-of-freedom factor).
//
// Accuracy panics if pi or strata (when not nil) differ in length from
// correct, if a probability is not in (0, 1], or unless 0 < conf < 1.
func Accuracy(correct []bool, pi []float64, strata []int, conf float64) Estimate {
	n := len(correct)
	if (pi != nil && len(pi) != n) || (strata != nil && len(strata) != n) {
		panic("sampling: Accuracy needs correct, pi and strata of one length")
	}
	if !(conf > 0 && conf < 1) {
		panic("sampling: confidence must be in (0, 1)")
	}
	for _, p := range pi {
		if !(p > 0 && p <= 1) {
			panic("sampling: an inclusion probability must be in (0, 1]")
		}
	}
	x := 0
	for _, c := range correct {
		if c {
			x++
		}
	}
	if n == 0 {
		nan := math.NaN()
		return Estimate{Value: nan, SE: nan, Low: nan, High: nan, EffectiveN: 0, Method: MethodClopperPearson}
	}
	if selfWeighting(pi) {
		cp := gold.ClopperPearson(x, n, conf)
		return Estimate{Value: cp.Value, SE: math.Sqrt(cp.Value * (1 - cp.Value) / float64(n)),
			Low: cp.Low, High: cp.High, N: n, Successes: x, EffectiveN: float64(n), Method: MethodClopperPearson}
	}
	var sw, swy float64
	for i, c := range correct {
		w := 1 / pi[i]
		sw += w
		if c {
			swy += w
		}
	}
	p := swy / sw
	// Per stratum: count, sum of weights, sum and sum of squares of z.
	type acc struct{ n, w, s, ss float64 }
	by := map[int]*acc{}
	for i, c := range correct {
		h := 0
		if strata != nil {
			h = strata[i]
		}
		a := by[h]
		if a == nil {
			a = &acc{}
			by[h] = a
		}
		w := 1 / pi[i]
		y := 0.0
		if c {
			y = 1
		}
		z := w * (y - p) / sw
		a.n++
		a.w += w
		a.s += z
		a.ss += z * z
	}
	var v float64
	for _, a := range by {
		f := a.n / a.w
		if a.n == 1 {
			v += (1 - f) * a.ss
			continue
		}
		dev := a.ss - a.s*a.s/a.n // Σ (z − z̄)²
		v += (1 - f) * a.n / (a.n - 1) * math.Max(dev, 0)
	}
	neff := float64(n)
	if v > 0 && p > 0 && p < 1 {
		neff = p * (1 - p) / v
	}
	alpha := 1 - conf
	low, high := 0.0, 1.0
	if p > 0 {
		low = distuv.Beta{Alpha: neff * p, Beta: neff*(1-p) + 1}.Quantile(alpha / 2)
	}
	if p < 1 {
		high = distuv.Beta{Alpha: neff*p + 1, Beta: neff * (1 - p)}.Quantile(1 - alpha/2)
	}
	return Estimate{Value: p, SE: math.Sqrt(v), Low: low, High: high, N: n, Successes: x, EffectiveN: neff, Method: MethodHorvitzThompson}
}

// selfWeighting reports whether every probability is the same (nil: yes),
// to a relative 1e-12.
func selfWeighting(pi []float64) bool {
	for _, p := range pi {
		if math.Abs(p-pi[0]) > 1e-12*pi[0] {
			return false
		}
	}
	return true
}
