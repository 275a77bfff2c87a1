package agreement

import (
	"math"
)

const needTwo = "needs exactly two raters"

// twoRaters returns the two raters with judgments, or ok=false.
func twoRaters(t *table) (a, b int, ok bool) {
	if t.nActive != 2 {
		return 0, 0, false
	}
	a, b = -1, -1
	for g, m := range t.raterN {
		if m == 0 {
			continue
		}
		if a < 0 {
			a = g
		} else {
			b = g
		}
	}
	return a, b, true
}

// CohenKappa returns Cohen's (weighted) kappa for exactly two raters, with
// missing ratings, and its standard error.
//
//	pa = Σ_k Σ_l w_kl p_kl,   pe = Σ_k Σ_l w_kl p_k+ p_+l,   κ = (pa - pe)/(1 - pe)
//
// computed as Conger's kappa restricted to two raters, i.e. irrCAC
// conger.kappa.raw on a two-column table (Gwet 2014 ch. 2 & 5): pa over items
// rated by both, each rater's marginals p_k+, p_+l over all the items that
// rater rated, Gwet's linearisation SE, t interval and one-sided p-value with
// n - 1 degrees of freedom (n = items rated by at least one of them).
// With complete data the value equals kappa2.table's and the classic one.
// Source: Cohen (1960) Educ. Psychol. Meas. 20:37-46; Cohen (1968) Psychol.
// Bull. 70:213-220 (weighted). For the SAS / Fleiss-Cohen-Everitt asymptotic
// SE with normal interval see CohenKappaASE.
// Undefined (NaN, Reason set) unless exactly two raters have judgments.
func CohenKappa(r *Ratings, weights []float64) Result {
	t := newTable(r)
	if _, _, ok := twoRaters(t); !ok {
		return undefined("Cohen's kappa "+needTwo, t.n, t.n2)
	}
	return congerKappa(t, r, checkWeights(weights, t.q))
}

// ScottPi returns Scott's (weighted) pi for exactly two raters, with missing
// ratings, and its standard error.
//
//	π_k = (1/n) Σ_i r_ik / r_i,   pe = Σ_k Σ_l w_kl π_k π_l,   π = (pa - pe)/(1 - pe)
//
// computed as Fleiss' generalized kappa on the two raters (irrCAC
// fleiss.kappa.raw on a two-column table; equals scott2.table with complete
// data). Source: Scott (1955) Public Opin. Q. 19:321-325; Gwet (2014) ch. 2.
// Undefined (NaN, Reason set) unless exactly two raters have judgments.
func ScottPi(r *Ratings, weights []float64) Result {
	t := newTable(r)
	if _, _, ok := twoRaters(t); !ok {
		return undefined("Scott's pi "+needTwo, t.n, t.n2)
	}
	return fleissKappa(t, checkWeights(weights, t.q))
}

// pairTable returns the q×q contingency counts n_kl (row = first rater) over
// items rated by both raters a < b.
func pairTable(r *Ratings, a, b int) (n []float64, items int) {
	q := r.NCats
	ca := make([]int32, r.NItems)
	for i := range ca {
		ca[i] = -1
	}
	for j, it := range r.Item {
		if int(r.Rater[j]) == a {
			ca[it] = r.Cat[j]
		}
	}
	n = make([]float64, q*q)
	for j, it := range r.Item {
		if int(r.Rater[j]) == b && ca[it] >= 0 {
			n[int(ca[it])*q+int(r.Cat[j])]++
			items++
		}
	}
	return n, items
}

// BangdiwalaB returns Bangdiwala's B agreement statistic for exactly two
// raters over the n items both rated, with its standard error, 95% interval
// and one-sided p-value as irrCAC computes them:
//
//	p_kl = n_kl / n,  p_k+ = Σ_l p_kl,  p_+k = Σ_l p_lk,  π_k = (p_k+ + p_+k)/2
//	b1 = Σ_k p_kk²,   b2 = Σ_k p_k+ p_+k,   B = b1 / b2  (= Σ n_kk² / Σ n_k+ n_+k)
//	v1 = 2 Σ_k p_kk² (p_kk - 2 B π_k)
//	v2 = B² Σ_k [π_k p_k+ p_+k + (Σ_l p_kl p_l+) p_+k]
//	Var(B) = 2 (v1 + v2) / (n b2²),   SE = √max(Var(B), 1e-100)
//	CI = B ∓ qt(0.975, n-1)·SE (upper bound capped at 1),  p = 1 - pt(B/SE, n-1)
//
// This is irrCAC's bangdiwala.table and bangdiwala2RR.fn (kgwet/irrCAC,
// R/agree.coeff2.r, commit 7fb7509), term for term, with an infinite
// population (no finite-population correction); as in bangdiwala2RR.fn's
// published example, n counts the items both raters rated (items rated by
// one of them do not enter). Pa is b1 and Pe is b2, irrCAC's pa and pe of
// bangdiwala2RR.fn, so Value = Pa/Pe.
// Source: Bangdiwala (1985) Proc. 45th ISI Session; Muñoz & Bangdiwala
// (1997) J. Appl. Stat. 24:105-111; Shankar & Bangdiwala (2014) BMC Med.
// Res. Methodol. 14:100 (the variance irrCAC implements).
func BangdiwalaB(r *Ratings) Result {
	return bangdiwala(newTable(r), r)
}

func bangdiwala(t *table, r *Ratings) Result {
	a, b, ok := twoRaters(t)
	if !ok {
		return undefined("Bangdiwala's B "+needTwo, t.n, t.n2)
	}
	cnt, items := pairTable(r, a, b)
	res := undefined("", items, items)
	if items == 0 {
		res.Reason = "the two raters share no item"
		return res
	}
	q := t.q
	nf := float64(items)
	row := make([]float64, q) // p_k+
	col := make([]float64, q) // p_+k
	for k := 0; k < q; k++ {
		for l := 0; l < q; l++ {
			v := cnt[k*q+l] / nf
			row[k] += v
			col[l] += v
		}
	}
	b1, b2 := 0.0, 0.0
	for k := 0; k < q; k++ {
		pkk := cnt[k*q+k] / nf
		b1 += pkk * pkk
		b2 += row[k] * col[k]
	}
	res.Pa, res.Pe = b1, b2
	if b2 == 0 {
		res.Reason = "no category is used by both raters: B is 0/0"
		return res
	}
	B := b1 / b2
	v1, v2 := 0.0, 0.0
	for k := 0; k < q; k++ {
		pi := (row[k] + col[k]) / 2
		pkk := cnt[k*q+k] / nf
		v1 += pkk * pkk * (pkk - 2*B*pi)
		m := 0.0 // (pkl %*% pk.)_k
		for l := 0; l < q; l++ {
			m += cnt[k*q+l] / nf * row[l]
		}
		v2 += pi*row[k]*col[k] + m*col[k]
	}
	v := 2 * (2*v1 + B*B*v2) / (nf * b2 * b2)
	res.Value = B
	res.SE = math.Sqrt(math.Max(v, 1e-100))
	tInference(&res, B, items-1)
	return res
}

// ASEResult is Cohen's kappa with the large-sample (asymptotic) precision
// measures printed by SAS PROC FREQ (AGREE) and statsmodels.
type ASEResult struct {
	Value          float64
	SE             float64 // ASE, Fleiss, Cohen & Everitt (1969)
	CILow, CIHigh  float64 // Value ∓ z_{0.975}·SE (normal, not capped)
	SE0            float64 // ASE under H0: κ = 0
	Z              float64 // Value / SE0
	PValueOneSided float64 // 1 - Φ(Z)
	PValue         float64 // 2(1 - Φ(|Z|))
	Pa, Pe         float64
	Items          int // items rated by both raters
	Reason         string
}

// CohenKappaASE returns Cohen's (weighted) kappa for exactly two raters over
// the items both rated, with the asymptotic standard error of Fleiss, Cohen
// & Everitt (1969), the null standard error and a normal-theory test:
//
//	w̄_k+ = Σ_l p_+l w_kl,   w̄_+l = Σ_k p_k+ w_kl
//	ASE² = [Σ_kl p_kl (w_kl - (w̄_k+ + w̄_+l)(1-κ))² - (κ - pe(1-κ))²] / (n (1-pe)²)
//	ASE0² = [Σ_kl p_k+ p_+l (w_kl - (w̄_k+ + w̄_+l))² - pe²] / (n (1-pe)²)
//	CI = κ ∓ z_{0.975} ASE,   Z = κ / ASE0
//
// Source: Fleiss, Cohen & Everitt (1969) Psychol. Bull. 72:323-327; SAS/STAT
// PROC FREQ "Tests and Measures of Agreement"; statsmodels cohens_kappa.
// ASE equals the SE of irrCAC kappa2.table (which pairs it with a t(n-1)
// interval instead). weights nil means identity; SAS's Cicchetti-Allison
// weights are Weights(Linear, q, scores), Fleiss-Cohen weights are
// Weights(Quadratic, q, scores).
func CohenKappaASE(r *Ratings, weights []float64) ASEResult {
	t := newTable(r)
	w := checkWeights(weights, t.q)
	if w == nil {
		w = identityWeights(t.q) // two raters: q² is the pair table's size anyway
	}
	bad := ASEResult{Value: nan, SE: nan, CILow: nan, CIHigh: nan, SE0: nan, Z: nan,
		PValueOneSided: nan, PValue: nan, Pa: nan, Pe: nan}
	a, b, ok := twoRaters(t)
	if !ok {
		bad.Reason = "Cohen's kappa " + needTwo
		return bad
	}
	cnt, items := pairTable(r, a, b)
	bad.Items = items
	if items == 0 {
		bad.Reason = "the two raters share no item"
		return bad
	}
	q := t.q
	nf := float64(items)
	p := make([]float64, q*q)
	row := make([]float64, q)
	col := make([]float64, q)
	for k := 0; k < q; k++ {
		for l := 0; l < q; l++ {
			v := cnt[k*q+l] / nf
			p[k*q+l] = v
			row[k] += v
			col[l] += v
		}
	}
	pa, pe := 0.0, 0.0
	for k := 0; k < q; k++ {
		for l := 0; l < q; l++ {
			pa += w[k*q+l] * p[k*q+l]
			pe += w[k*q+l] * row[k] * col[l]
		}
	}
	res := bad
	res.Pa, res.Pe, res.Reason = pa, pe, ""
	if pe >= 1 {
		res.Reason = "chance agreement is 1 (only one category in use): kappa is 0/0"
		return res
	}
	k := (pa - pe) / (1 - pe)
	wr := make([]float64, q) // w̄_k+
	wc := make([]float64, q) // w̄_+l
	for i := 0; i < q; i++ {
		for j := 0; j < q; j++ {
			wr[i] += col[j] * w[i*q+j]
			wc[j] += row[i] * w[i*q+j]
		}
	}
	s1, s0 := 0.0, 0.0
	for i := 0; i < q; i++ {
		for j := 0; j < q; j++ {
			d := w[i*q+j] - (wr[i]+wc[j])*(1-k)
			s1 += p[i*q+j] * d * d
			d0 := w[i*q+j] - (wr[i] + wc[j])
			s0 += row[i] * col[j] * d0 * d0
		}
	}
	f := nf * (1 - pe) * (1 - pe)
	c := k - pe*(1-k)
	res.Value = k
	res.SE = math.Sqrt(math.Max(0, s1-c*c) / f)
	res.SE0 = math.Sqrt(math.Max(0, s0-pe*pe) / f)
	res.CILow = k - normalQuantile975*res.SE
	res.CIHigh = k + normalQuantile975*res.SE
	res.Z = k / res.SE0
	res.PValueOneSided = survivalRatio(k, res.SE0, normalSurvival)
	res.PValue = 2 * survivalRatio(math.Abs(k), res.SE0, normalSurvival)
	return res
}
