package agreement

import (
	"math"
	"slices"
)

// engine holds the per-item observed-agreement terms for one weight matrix.
type engine struct {
	t   *table
	w   []float64
	paI []float64 // per row (index into t.rows): Σ_k r_ik(r*_ik - 1) / (r_i(r_i-1)), 0 when r_i < 2
	pa  float64
}

// sumQ returns Σ_k r_ik (r*_ik - 1) with r*_ik = Σ_l w_kl r_il.
func sumQ(row []int32, w []float64, q int, ident bool) float64 {
	s := 0.0
	if ident {
		for _, c := range row {
			if c > 1 {
				s += float64(c) * float64(c-1)
			}
		}
		return s
	}
	for k, ck := range row {
		if ck == 0 {
			continue
		}
		rs := 0.0
		wk := w[k*q : k*q+q]
		for l, cl := range row {
			if cl != 0 {
				rs += wk[l] * float64(cl)
			}
		}
		s += float64(ck) * (rs - 1)
	}
	return s
}

// newEngine returns the table's engine for weights w. The engine only
// depends on the table and w, and finish only reads it, so the coefficients
// that share w (percent agreement, Fleiss, Conger, Gwet, Brennan-Prediger)
// share one: on a million judgments each engine is a pass over every item
// and n float64s.
func newEngine(t *table, w []float64) *engine {
	for _, e := range t.engines {
		if slices.Equal(e.w, w) {
			return e
		}
	}
	q := t.q
	ident := isIdentity(w, q)
	paI := t.spare
	t.spare = nil
	if len(paI) != t.n {
		paI = make([]float64, t.n)
	}
	e := &engine{t: t, w: w, paI: paI}
	t.engines = append(t.engines, e)
	s := 0.0
	for j, it := range t.rows {
		m := t.ri[it]
		if m < 2 {
			continue
		}
		v := sumQ(t.row(it), w, q, ident) / (float64(m) * float64(m-1))
		e.paI[j] = v
		s += v
	}
	if t.n2 > 0 {
		e.pa = s / float64(t.n2)
	} else {
		e.pa = nan
	}
	return e
}

// finish computes the linearisation variance and inference of an irrCAC
// coefficient:
//
//	κ*_i = (n/n2)(pa_i - pe·[r_i≥2])/(1-pe) - 2(1-κ)(pe_i - pe)/(1-pe)
//	v = 1/(n(n-1)) Σ_i (κ*_i - κ)²
//
// peI(j) returns pe_i for row j; nil means pe_i = pe (no chance term).
func (e *engine) finish(pe float64, peI func(j int) float64) Result {
	t := e.t
	res := Result{Pa: e.pa, Pe: pe, Items: t.n, ItemsUsed: t.n2, SE: nan}
	if t.n2 == 0 {
		return undefined("no item has two or more ratings", t.n, t.n2)
	}
	if math.IsNaN(pe) || pe >= 1 {
		r := undefined("chance agreement is 1 (only one category in use): the coefficient is 0/0", t.n, t.n2)
		r.Pa, r.Pe = e.pa, pe
		return r
	}
	k := (e.pa - pe) / (1 - pe)
	res.Value = k
	n := float64(t.n)
	scale := n / float64(t.n2)
	ss := 0.0
	for j, it := range t.rows {
		var x float64
		if t.ri[it] >= 2 {
			x = scale * (e.paI[j] - pe) / (1 - pe)
		}
		if peI != nil {
			x -= 2 * (1 - k) * (peI(j) - pe) / (1 - pe)
		}
		d := x - k
		ss += d * d
	}
	if t.n >= 2 {
		res.SE = math.Sqrt(ss / (n * (n - 1)))
	}
	tInference(&res, k, t.n-1)
	return res
}

// PercentAgreement returns the (weighted) percent agreement among any number
// of raters with its standard error.
//
//	pa_i = Σ_k r_ik (r*_ik - 1) / (r_i (r_i - 1)),  r*_ik = Σ_l w_kl r_il
//	pa   = (1/n2) Σ_{i: r_i≥2} pa_i
//	v    = 1/(n(n-1)) Σ_i ((n/n2)·pa_i - pa)²     (pa_i = 0 when r_i < 2)
//	p    = 1 - pt(pa/SE, n-1)
//
// r_ik is the number of raters who put item i in category k, r_i = Σ_k r_ik,
// n the number of items with a rating, n2 those with two or more.
// Source: Gwet (2014) ch. 2; irrCAC pa.coeff.raw. Pe is 0.
// weights is a q×q matrix (row-major, see Weights); nil means identity.
func PercentAgreement(r *Ratings, weights []float64) Result {
	t := newTable(r)
	return percentAgreement(t, checkWeights(weights, t.q))
}

func percentAgreement(t *table, w []float64) Result {
	if t.n == 0 {
		return undefined("no ratings", 0, 0)
	}
	e := newEngine(t, w)
	res := e.finish(0, nil)
	if t.n2 > 0 {
		// irrCAC tests pa itself (pa/SE), which equals Value here.
		res.Value = e.pa
		tInference(&res, e.pa, t.n-1)
	}
	return res
}

// FleissKappa returns Fleiss' generalized (weighted) kappa for any number of
// raters, with missing ratings, and its standard error.
//
//	π_k = (1/n) Σ_i r_ik / r_i
//	pe  = Σ_k Σ_l w_kl π_k π_l
//	κ   = (pa - pe) / (1 - pe)
//	pe_i = Σ_k r_ik π̄_k / r_i,  π̄ = (W π + Wᵀ π)/2
//
// pa and the variance as in PercentAgreement and engine.finish (Gwet 2014).
// Source: Fleiss (1971) Psychol. Bull. 76:378-382; Gwet (2014) ch. 5;
// irrCAC fleiss.kappa.raw. With two raters this is Scott's pi.
// weights nil means identity. Value is NaN when pe = 1.
func FleissKappa(r *Ratings, weights []float64) Result {
	t := newTable(r)
	return fleissKappa(t, checkWeights(weights, t.q))
}

func fleissKappa(t *table, w []float64) Result {
	if t.n == 0 {
		return undefined("no ratings", 0, 0)
	}
	q := t.q
	if q < 2 {
		return undefined("fewer than two categories", t.n, t.n2)
	}
	e := newEngine(t, w)
	pi := t.pi()
	pe, pib := chanceTerms(w, pi)
	return e.finish(pe, func(j int) float64 {
		it := t.rows[j]
		return dotRow(t.row(it), pib) / float64(t.ri[it])
	})
}

// chanceTerms returns pe = Σ_kl w_kl π_k π_l and π̄ = (Wπ + Wᵀπ)/2; w nil
// (identity) gives Σ_k π_k² and π̄ = π in O(q), the same floating-point
// values as the q² loop (its off-diagonal terms are exact zeros).
func chanceTerms(w, pi []float64) (pe float64, pib []float64) {
	q := len(pi)
	pib = make([]float64, q)
	if w == nil {
		for k, p := range pi {
			pe += p * p
			pib[k] = p
		}
		return pe, pib
	}
	for k := 0; k < q; k++ {
		for l := 0; l < q; l++ {
			pe += w[k*q+l] * pi[k] * pi[l]
			pib[k] += (w[k*q+l] + w[l*q+k]) / 2 * pi[l]
		}
	}
	return pe, pib
}

func dotRow(row []int32, v []float64) float64 {
	s := 0.0
	for k, c := range row {
		if c != 0 {
			s += float64(c) * v[k]
		}
	}
	return s
}

// GwetAC returns Gwet's AC1 (weights nil or identity) or AC2 (other weights)
// for any number of raters, with missing ratings, and its standard error.
//
//	π_k  = (1/n) Σ_i r_ik / r_i,  T_w = Σ_k Σ_l w_kl
//	pe   = T_w / (q(q-1)) · Σ_k π_k (1 - π_k)
//	AC   = (pa - pe) / (1 - pe)
//	pe_i = T_w / (q(q-1)) · Σ_k r_ik (1 - π_k) / r_i
//
// Source: Gwet (2008) Br. J. Math. Stat. Psychol. 61:29-48; Gwet (2014)
// ch. 4; irrCAC gwet.ac1.raw. q is the declared number of categories (NCats),
// used or not. Needs q ≥ 2.
func GwetAC(r *Ratings, weights []float64) Result {
	t := newTable(r)
	return gwetAC(t, checkWeights(weights, t.q))
}

func gwetAC(t *table, w []float64) Result {
	if t.n == 0 {
		return undefined("no ratings", 0, 0)
	}
	q := t.q
	if q < 2 {
		return undefined("fewer than two categories", t.n, t.n2)
	}
	e := newEngine(t, w)
	pi := t.pi()
	c := sumAll(w, q) / float64(q*(q-1))
	pe := 0.0
	one := make([]float64, q)
	for k := range pi {
		pe += pi[k] * (1 - pi[k])
		one[k] = 1 - pi[k]
	}
	pe *= c
	return e.finish(pe, func(j int) float64 {
		it := t.rows[j]
		return c * dotRow(t.row(it), one) / float64(t.ri[it])
	})
}

// BrennanPrediger returns the Brennan-Prediger coefficient (Bennett, Alpert
// & Goldstein's S for two raters) for any number of raters, with missing
// ratings, and its standard error.
//
//	pe = T_w / q²,  T_w = Σ_k Σ_l w_kl   (1/q unweighted)
//	BP = (pa - pe) / (1 - pe)
//	v  = 1/(n(n-1)) Σ_i ((n/n2)(pa_i - pe·[r_i≥2])/(1-pe) - BP)²
//
// Source: Brennan & Prediger (1981) Educ. Psychol. Meas. 41:687-699;
// Gwet (2014) ch. 4; irrCAC bp.coeff.raw. q is the declared number of
// categories (NCats), used or not. Needs q ≥ 2.
func BrennanPrediger(r *Ratings, weights []float64) Result {
	t := newTable(r)
	return brennanPrediger(t, checkWeights(weights, t.q))
}

func brennanPrediger(t *table, w []float64) Result {
	if t.n == 0 {
		return undefined("no ratings", 0, 0)
	}
	q := t.q
	if q < 2 {
		return undefined("fewer than two categories", t.n, t.n2)
	}
	e := newEngine(t, w)
	return e.finish(sumAll(w, q)/float64(q*q), nil)
}

// CongerKappa returns Conger's generalized (weighted) kappa for any number of
// raters, with missing ratings, and its standard error. Rater identity
// matters: chance agreement uses each rater's own classification
// probabilities.
//
//	p_gk = n_gk / n_g   (share of rater g's ratings in category k)
//	p̄_k  = (1/r) Σ_g p_gk
//	s²_kl = (Σ_g p_gk p_gl - r p̄_k p̄_l) / (r - 1)
//	pe   = Σ_k Σ_l w_kl (p̄_k p̄_l - s²_kl / r)
//	κ    = (pa - pe) / (1 - pe)
//	pe_i = Σ_g λ_ig / (r(r-1)),
//	λ_ig = Σ_k (n/n_g) Σ_l w_kl (δ_igl - (ε_ig - n_g/n) p_gl) · (r p̄_k - p_gk)
//
// δ_igl is 1 when rater g put item i in category l, ε_ig is 1 when g rated i.
// r counts raters with at least one rating. Computed in O(N + r·q²).
// Source: Conger (1980) Psychol. Bull. 88:322-328; Gwet (2014) ch. 5;
// irrCAC conger.kappa.raw. With two raters and complete data this is Cohen's
// kappa. Needs r ≥ 2 and q ≥ 2.
func CongerKappa(r *Ratings, weights []float64) Result {
	t := newTable(r)
	return congerKappa(t, r, checkWeights(weights, t.q))
}

func congerKappa(t *table, rt *Ratings, w []float64) Result {
	if t.n == 0 {
		return undefined("no ratings", 0, 0)
	}
	q := t.q
	if q < 2 {
		return undefined("fewer than two categories", t.n, t.n2)
	}
	if t.nActive < 2 {
		return undefined("fewer than two raters", t.n, t.n2)
	}
	e := newEngine(t, w)
	nr := len(t.raterN)
	rr := float64(t.nActive)
	// p_gk for active raters
	pgk := make([]float64, nr*q)
	pbar := make([]float64, q)
	for g := 0; g < nr; g++ {
		ng := t.raterN[g]
		if ng == 0 {
			continue
		}
		for k := 0; k < q; k++ {
			v := float64(t.raterCat[g*q+k]) / float64(ng)
			pgk[g*q+k] = v
			pbar[k] += v
		}
	}
	for k := range pbar {
		pbar[k] /= rr
	}
	pe := 0.0
	if w == nil {
		// Identity: only the diagonal of Σ_g p_gk p_gl enters pe (O(r·q)).
		spp := make([]float64, q)
		for g := 0; g < nr; g++ {
			if t.raterN[g] == 0 {
				continue
			}
			for k, v := range pgk[g*q : g*q+q] {
				if v != 0 {
					spp[k] += v * v
				}
			}
		}
		for k := 0; k < q; k++ {
			s2 := (spp[k] - rr*pbar[k]*pbar[k]) / (rr - 1)
			pe += pbar[k]*pbar[k] - s2/rr
		}
	} else {
		pe = congerPe(w, pgk, pbar, t.raterN, rr)
	}
	// Per-rater C_g and D_g[c] (see doc comment): λ for an unrated item is C_g,
	// for an item rated c it is C_g + (n/n_g)(D_g[c] - C_g).
	n := float64(t.n)
	ctot := 0.0
	delta := make([]float64, nr*q) // (n/n_g)(D_g[c] - C_g)
	a := make([]float64, q)
	for g := 0; g < nr; g++ {
		ng := t.raterN[g]
		if ng == 0 {
			continue
		}
		pg := pgk[g*q : g*q+q]
		for k := 0; k < q; k++ {
			a[k] = rr*pbar[k] - pg[k]
		}
		cg := 0.0
		if w == nil {
			for k := 0; k < q; k++ {
				cg += pg[k] * a[k]
			}
		} else {
			for k := 0; k < q; k++ {
				wp := 0.0
				for l := 0; l < q; l++ {
					wp += w[k*q+l] * pg[l]
				}
				cg += wp * a[k]
			}
		}
		ctot += cg
		for c := 0; c < q; c++ {
			d := a[c]
			if w != nil {
				d = 0
				for k := 0; k < q; k++ {
					d += w[k*q+c] * a[k]
				}
			}
			delta[g*q+c] = n / float64(ng) * (d - cg)
		}
	}
	// Accumulate per item in one pass over the judgments.
	peItem := make([]float64, rt.NItems)
	for j, it := range rt.Item {
		peItem[it] += delta[int(rt.Rater[j])*q+int(rt.Cat[j])]
	}
	den := rr * (rr - 1)
	return e.finish(pe, func(j int) float64 {
		return (ctot + peItem[t.rows[j]]) / den
	})
}

// congerPe is Conger's pe = Σ_kl w_kl (p̄_k p̄_l - s²_kl / r) with the q×q
// matrix Σ_g p_gk p_gl (weighted coefficients only).
func congerPe(w, pgk, pbar []float64, raterN []int32, rr float64) float64 {
	q := len(pbar)
	nr := len(raterN)
	spp := make([]float64, q*q)
	for g := 0; g < nr; g++ {
		if raterN[g] == 0 {
			continue
		}
		pg := pgk[g*q : g*q+q]
		for k := 0; k < q; k++ {
			if pg[k] == 0 {
				continue
			}
			for l := 0; l < q; l++ {
				spp[k*q+l] += pg[k] * pg[l]
			}
		}
	}
	pe := 0.0
	for k := 0; k < q; k++ {
		for l := 0; l < q; l++ {
			s2 := (spp[k*q+l] - rr*pbar[k]*pbar[l]) / (rr - 1)
			pe += w[k*q+l] * (pbar[k]*pbar[l] - s2/rr)
		}
	}
	return pe
}
