package agreement

import (
	"math"
)

// LabelAgreement is the agreement on one category.
type LabelAgreement struct {
	// Proportion is the category's share of all judgments, p_j = Σ_i r_ij / Σ_i r_i.
	Proportion float64
	// Specific is the specific (positive) agreement, the share of rater pairs
	// on an item that agree on the category given one of them chose it.
	Specific float64
	// Kappa is Fleiss' category-specific kappa (the category against all
	// others) with the irrCAC standard error.
	Kappa Result
}

// PerLabel returns, for every declared category j, its proportion, specific
// agreement and category-specific kappa.
//
//	Specific_j = Σ_i r_ij (r_ij - 1) / Σ_i r_ij (r_i - 1)         (items with r_i ≥ 2)
//	κ_j = Fleiss' kappa of the dichotomy "j" / "not j":
//	    pa_j = (1/n2) Σ_i [r_ij(r_ij-1) + (r_i-r_ij)(r_i-r_ij-1)] / (r_i(r_i-1))
//	    π_j = (1/n) Σ_i r_ij / r_i,   pe_j = π_j² + (1-π_j)²
//	    κ_j = (pa_j - pe_j) / (1 - pe_j)
//
// For two raters Specific_j = 2 n_jj / (n_j+ + n_+j) (positive specific
// agreement, Fleiss 1975; Cicchetti & Feinstein 1990 p_pos). With the same
// number m of raters per item κ_j reduces to Fleiss (1971) eq. for
// category j: 1 - Σ_i r_ij (m - r_ij) / (n m (m-1) p_j (1-p_j)), as R irr
// kappam.fleiss(detail=TRUE) prints it. The SE, interval and p-value are
// irrCAC fleiss.kappa.raw's on the dichotomised data.
// A category nobody used has Specific NaN and κ NaN (pe = 1).
func PerLabel(r *Ratings) []LabelAgreement {
	return perLabel(newTable(r))
}

func perLabel(t *table) []LabelAgreement {
	q := t.q
	out := make([]LabelAgreement, q)
	total := float64(t.nJudgment)
	num := make([]float64, q)
	den := make([]float64, q)
	cnt := make([]float64, q)
	for _, it := range t.rows {
		m := t.ri[it]
		row := t.row(it)
		for j, c := range row {
			cnt[j] += float64(c)
			if m >= 2 && c > 0 {
				num[j] += float64(c) * float64(c-1)
				den[j] += float64(c) * float64(m-1)
			}
		}
	}
	// Dichotomised tables, one per category, share this 2-category table.
	bt := &table{q: 2, rows: t.rows, ri: t.ri, n: t.n, n2: t.n2, counts: make([]int32, len(t.ri)*2)}
	for j := 0; j < q; j++ {
		out[j].Proportion = nan
		if total > 0 {
			out[j].Proportion = cnt[j] / total
		}
		out[j].Specific = nan
		if den[j] > 0 {
			out[j].Specific = num[j] / den[j]
		}
		for _, it := range t.rows {
			c := t.counts[int(it)*q+j]
			bt.counts[2*int(it)] = c
			bt.counts[2*int(it)+1] = t.ri[it] - c
		}
		bt.countsChanged()
		out[j].Kappa = fleissKappa(bt, identityWeights(2))
	}
	return out
}

// CategoryProportions returns p_j = Σ_i r_ij / Σ_i r_i, the share of all
// judgments in each declared category (Fleiss 1971, p_j).
func CategoryProportions(r *Ratings) []float64 {
	t := newTable(r)
	p := make([]float64, t.q)
	for j := range p {
		p[j] = nan
	}
	if t.nJudgment == 0 {
		return p
	}
	for j := range p {
		p[j] = 0
	}
	for _, c := range r.Cat {
		p[c]++
	}
	for j := range p {
		p[j] /= float64(t.nJudgment)
	}
	return p
}

// ItemAgreement returns, per item, Fleiss' (1971) extent of agreement
//
//	P_i = Σ_j r_ij (r_ij - 1) / (r_i (r_i - 1))
//
// the share of agreeing rater pairs on item i (NaN for items with fewer than
// two ratings). dst, if not nil, must have length NItems and is filled and
// returned.
func ItemAgreement(r *Ratings, dst []float64) []float64 {
	t := newTable(r)
	if dst == nil {
		dst = make([]float64, r.NItems)
	} else if len(dst) != r.NItems {
		panic("agreement: ItemAgreement: len(dst) != NItems")
	}
	for i := range dst {
		m := t.ri[i]
		if m < 2 {
			dst[i] = nan
			continue
		}
		dst[i] = sumQ(t.row(int32(i)), nil, t.q, true) / (float64(m) * float64(m-1))
	}
	return dst
}

// NullTest is a coefficient with its standard error under H0 (no agreement
// beyond chance) and the normal test of H0.
type NullTest struct {
	Value  float64
	SE0    float64
	Z      float64 // Value / SE0
	PValue float64 // two-sided, 2(1 - Φ(|Z|))
	Items  int
	Reason string
}

// FleissKappaNull returns Fleiss' kappa with the standard error under H0 of
// Fleiss, Nee & Landis (1979), as R irr kappam.fleiss prints it (z and
// two-sided p):
//
//	p_j = Σ_i r_ij / (n m)
//	SE0² = 2 / ((Σ_j p_j q_j)² n m (m-1)) · [(Σ_j p_j q_j)² - Σ_j p_j q_j (q_j - p_j)]
//	Z = κ / SE0,   q_j = 1 - p_j
//
// The formula needs the same number m ≥ 2 of ratings on every item; otherwise
// the result is NaN with a Reason (irr drops incomplete items before it is
// applied; do that first if wanted). Source: Fleiss, Nee & Landis (1979)
// Psychol. Bull. 86:974-977; irr kappam.fleiss.
func FleissKappaNull(r *Ratings) NullTest {
	t := newTable(r)
	res := NullTest{Value: nan, SE0: nan, Z: nan, PValue: nan, Items: t.n}
	if t.n == 0 {
		res.Reason = "no ratings"
		return res
	}
	m := t.ri[t.rows[0]]
	for _, it := range t.rows {
		if t.ri[it] != m {
			res.Reason = "the Fleiss-Nee-Landis null SE needs the same number of ratings on every item"
			return res
		}
	}
	if m < 2 {
		res.Reason = "fewer than two ratings per item"
		return res
	}
	k := fleissKappa(t, identityWeights(t.q))
	res.Value = k.Value
	q := t.q
	p := make([]float64, q)
	for _, it := range t.rows {
		for j, c := range t.row(it) {
			p[j] += float64(c)
		}
	}
	nm := float64(t.n) * float64(m)
	spq, spqqp := 0.0, 0.0
	for j := range p {
		p[j] /= nm
		pq := p[j] * (1 - p[j])
		spq += pq
		spqqp += pq * (1 - 2*p[j])
	}
	if spq == 0 {
		res.Reason = "only one category in use: kappa is 0/0"
		return res
	}
	v := 2 / (spq * spq * nm * float64(m-1)) * (spq*spq - spqqp)
	res.SE0 = math.Sqrt(v)
	res.Z = res.Value / res.SE0
	res.PValue = 2 * normalSurvival(math.Abs(res.Z))
	return res
}
