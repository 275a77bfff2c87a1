package agreement

import (
	"fmt"
	"math"
	"slices"
)

// Level is Krippendorff's level of measurement, which picks his difference
// function δ²(c, k). OrdinalLevel and RatioLevel carry a suffix because
// Ordinal and Ratio name Gwet's weight families (a different thing: see
// KrippendorffAlpha).
type Level int

const (
	Nominal      Level = iota // δ² = 0 if c = k else 1
	OrdinalLevel              // δ² = (Σ_{g=c..k} n_g - (n_c + n_k)/2)²  (ranks via pairable-value frequencies)
	Interval                  // δ² = (x_c - x_k)²
	RatioLevel                // δ² = ((x_c - x_k)/(x_c + x_k))²
)

var levelNames = [...]string{"nominal", "ordinal", "interval", "ratio"}

// String returns the level's name.
func (l Level) String() string {
	if int(l) < len(levelNames) {
		return levelNames[l]
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// ParseLevel maps nominal, ordinal, interval or ratio to its Level.
func ParseLevel(s string) (Level, error) {
	for i, n := range levelNames {
		if n == s {
			return Level(i), nil
		}
	}
	return Nominal, fmt.Errorf("agreement: unknown level %q", s)
}

// KrippendorffAlphaWeighted returns Krippendorff's alpha with Gwet's weights
// (nil = identity = nominal alpha) and Gwet's standard error, as irrCAC's
// krippen.alpha.raw computes them. Only items with two or more ratings enter
// (n of them, r̄ their mean number of ratings, N = Σ r_i):
//
//	pa' = (1/n) Σ_i Σ_k r_ik (r*_ik - 1) / (r̄ (r_i - 1)),   pa = (1 - 1/N) pa' + 1/N
//	π_k = (1/n) Σ_i r_ik / r̄,   pe = Σ_k Σ_l w_kl π_k π_l
//	α   = (pa - pe)/(1 - pe),   α' = (pa' - pe)/(1 - pe)
//	pa_i = Σ_k r_ik (r*_ik - 1)/(r̄(r_i-1)) - pa'(r_i - r̄)/r̄
//	pe_i = Σ_k r_ik π̄_k / r̄ - pe (r_i - r̄)/r̄,   π̄ = (Wπ + Wᵀπ)/2
//	α*_i = (pa_i - pe)/(1-pe) - 2(1-α')(pe_i - pe)/(1-pe)
//	v    = 1/(n(n-1)) Σ_i (α*_i - α')²
//
// With w_kl = 1 - δ²_kl/max δ² this equals Krippendorff's 1 - D_o/D_e
// exactly. The interval and p-value use n0 - 1 degrees of freedom, n0 counting
// also the items with a single rating, as krippen.alpha.raw does.
// Source: Gwet (2014) ch. 5 ("Krippendorff's alpha"); Gwet (2015) "On
// Krippendorff's alpha coefficient"; irrCAC krippen.alpha.raw.
func KrippendorffAlphaWeighted(r *Ratings, weights []float64) Result {
	t := newTable(r)
	return alphaGwet(t, checkWeights(weights, t.q))
}

func alphaGwet(t *table, w []float64) Result {
	q := t.q
	if t.n2 == 0 {
		return undefined("no item has two or more ratings", t.n, t.n2)
	}
	if q < 2 {
		return undefined("fewer than two categories", t.n, t.n2)
	}
	ident := isIdentity(w, q)
	n := float64(t.n2)
	var sumR float64
	for _, it := range t.rows {
		if m := t.ri[it]; m >= 2 {
			sumR += float64(m)
		}
	}
	rbar := sumR / n
	eps := 1 / sumR
	sq := make([]float64, 0, t.n2) // Σ_k r_ik(r*_ik-1)/(r̄(r_i-1)) per used item
	pi := make([]float64, q)
	paP := 0.0
	for _, it := range t.rows {
		m := t.ri[it]
		if m < 2 {
			continue
		}
		row := t.row(it)
		v := sumQ(row, w, q, ident) / (rbar * float64(m-1))
		sq = append(sq, v)
		paP += v
		for k, c := range row {
			pi[k] += float64(c)
		}
	}
	paP /= n
	pa := (1-eps)*paP + eps
	for k := range pi {
		pi[k] /= n * rbar
	}
	pe, pib := chanceTerms(w, pi)
	res := Result{Pa: pa, Pe: pe, Items: t.n, ItemsUsed: t.n2, SE: nan}
	if pe >= 1 || math.IsNaN(pe) {
		r := undefined("expected disagreement is 0 (only one category in use): alpha is 0/0", t.n, t.n2)
		r.Pa, r.Pe = pa, pe
		return r
	}
	alpha := (pa - pe) / (1 - pe)
	alphaP := (paP - pe) / (1 - pe)
	res.Value = alpha
	ss := 0.0
	j := 0
	for _, it := range t.rows {
		m := t.ri[it]
		if m < 2 {
			continue
		}
		rm := (float64(m) - rbar) / rbar
		paI := sq[j] - paP*rm
		peI := dotRow(t.row(it), pib)/rbar - pe*rm
		x := (paI-pe)/(1-pe) - 2*(1-alphaP)*(peI-pe)/(1-pe)
		d := x - alphaP
		ss += d * d
		j++
	}
	if t.n2 >= 2 {
		res.SE = math.Sqrt(ss / (n * (n - 1)))
	}
	tInference(&res, alpha, t.n-1)
	return res
}

// coincidences returns Krippendorff's coincidence matrix
// o_ck = Σ_u (n_uc n_uk - [c=k] n_uc)/(m_u - 1) over units with m_u ≥ 2.
func coincidences(t *table) []float64 {
	q := t.q
	o := make([]float64, q*q)
	for _, it := range t.rows {
		m := t.ri[it]
		if m < 2 {
			continue
		}
		row := t.row(it)
		inv := 1 / float64(m-1)
		for c, nc := range row {
			if nc == 0 {
				continue
			}
			for k, nk := range row {
				if nk == 0 {
					continue
				}
				v := float64(nc) * float64(nk)
				if c == k {
					v -= float64(nc)
				}
				o[c*q+k] += v * inv
			}
		}
	}
	return o
}

// MetricDistances returns Krippendorff's squared difference function δ²_ck
// (q×q, row-major) for a level; the ordinal metric needs the pairable-value
// frequencies n_g (len q), the interval and ratio metrics the scores (nil
// means 1..q).
//
//	nominal   δ² = [c ≠ k]
//	ordinal   δ² = (Σ_{g=c..k} n_g - (n_c + n_k)/2)²
//	interval  δ² = (x_c - x_k)²
//	ratio     δ² = ((x_c - x_k)/(x_c + x_k))²
//
// Source: Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability",
// section E.
func MetricDistances(level Level, q int, scores, freq []float64) []float64 {
	if scores == nil {
		scores = make([]float64, q)
		for i := range scores {
			scores[i] = float64(i + 1)
		}
	}
	if len(scores) != q || (level == OrdinalLevel && len(freq) != q) {
		panic("agreement: MetricDistances: scores or freq length differs from q")
	}
	d := make([]float64, q*q)
	for c := 0; c < q; c++ {
		for k := 0; k < q; k++ {
			var v float64
			switch level {
			case Nominal:
				if c != k {
					v = 1
				}
			case OrdinalLevel:
				lo, hi := c, k
				if lo > hi {
					lo, hi = hi, lo
				}
				s := 0.0
				for g := lo; g <= hi; g++ {
					s += freq[g]
				}
				s -= (freq[c] + freq[k]) / 2
				v = s * s
			case Interval:
				v = (scores[c] - scores[k]) * (scores[c] - scores[k])
			case RatioLevel:
				a := (scores[c] - scores[k]) / (scores[c] + scores[k])
				if c == k {
					a = 0
				}
				v = a * a
			default:
				panic(fmt.Sprintf("agreement: unknown Level %d", int(level)))
			}
			d[c*q+k] = v
		}
	}
	return d
}

// KrippendorffAlpha returns Krippendorff's alpha at a level of measurement
// (nominal, ordinal, interval, ratio), with a standard error.
//
//	o_ck = Σ_u (n_uc n_uk - [c=k] n_uc) / (m_u - 1)     (units with m_u ≥ 2)
//	n_c  = Σ_k o_ck,   N = Σ_c n_c
//	α    = 1 - (N - 1) Σ_c Σ_k o_ck δ²_ck / Σ_c Σ_k n_c n_k δ²_ck
//
// δ² is MetricDistances(level): the ordinal metric is Krippendorff's
// rank-based one (built from n_c), not Gwet's ordinal weights; interval and
// ratio use Ratings.Scores (nil = 1..q).
// Source: Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability",
// Annenberg School for Communication Departmental Papers 43.
//
// Value is Krippendorff's. Pa, Pe, SE, the interval and the p-value are
// Gwet's (see KrippendorffAlphaWeighted) with weights w = 1 - δ²/max δ²,
// for which Gwet's alpha equals Krippendorff's exactly. For the ordinal level
// the weights depend on the observed frequencies and the SE treats them as
// fixed (an approximation; Krippendorff himself recommends a bootstrap, not
// implemented here). Value is NaN when fewer than two pairable values exist
// or all pairable values are equal (D_e = 0).
func KrippendorffAlpha(r *Ratings, level Level) Result {
	t := newTable(r)
	return krippendorffAlpha(t, level, r.scores())
}

// levelWeights returns w = 1 - δ²/max δ² for a level and the coincidence
// marginals n_c.
func levelWeights(t *table, level Level, scores []float64) (w, delta, nc []float64, o []float64) {
	q := t.q
	o = coincidences(t)
	nc = make([]float64, q)
	for c := 0; c < q; c++ {
		for k := 0; k < q; k++ {
			nc[c] += o[c*q+k]
		}
	}
	delta = MetricDistances(level, q, scores, nc)
	max := 0.0
	for _, v := range delta {
		max = math.Max(max, v)
	}
	w = make([]float64, q*q)
	for i, v := range delta {
		w[i] = 1 - v/max
	}
	return w, delta, nc, o
}

// denseNominalMax is the largest q for which nominal alpha builds the q×q
// coincidence, distance and weight matrices (8 MB each); above it only the
// coincidences that occur are kept (nominalAlphaSparse).
const denseNominalMax = 1024

func krippendorffAlpha(t *table, level Level, scores []float64) Result {
	if t.n2 == 0 {
		return undefined("no item has two or more ratings", t.n, t.n2)
	}
	if level == Nominal && t.q > denseNominalMax {
		return nominalAlphaSparse(t)
	}
	return krippendorffAlphaDense(t, level, scores)
}

func krippendorffAlphaDense(t *table, level Level, scores []float64) Result {
	q := t.q
	w, delta, nc, o := levelWeights(t, level, scores)
	num, den, N := 0.0, 0.0, 0.0
	for c := 0; c < q; c++ {
		N += nc[c]
		for k := 0; k < q; k++ {
			num += o[c*q+k] * delta[c*q+k]
			den += nc[c] * nc[k] * delta[c*q+k]
		}
	}
	if den == 0 || math.IsNaN(den) {
		return undefined("expected disagreement is 0 (all pairable values equal): alpha is 0/0", t.n, t.n2)
	}
	value := 1 - (N-1)*num/den
	res := alphaGwet(t, w)
	res.Value = value
	tInference(&res, value, t.n-1)
	return res
}

// nominalAlphaSparse is krippendorffAlphaDense for the nominal level without
// q×q matrices: the coincidences o_ck that occur are summed per cell in item
// order and visited in row-major order, δ² = [c ≠ k] is applied inline and
// the weights 1 - δ² are the identity (nil), so every sum runs in the dense
// order over the same non-zero terms and the result is bit-identical.
// Memory O(distinct co-occurring label pairs + q); time O(n·q + q²).
func nominalAlphaSparse(t *table) Result {
	q := t.q
	o := map[int64]float64{}
	var used []int
	for _, it := range t.rows {
		m := t.ri[it]
		if m < 2 {
			continue
		}
		row := t.row(it)
		inv := 1 / float64(m-1)
		used = used[:0]
		for c, n := range row {
			if n != 0 {
				used = append(used, c)
			}
		}
		for _, c := range used {
			nc := row[c]
			for _, k := range used {
				v := float64(nc) * float64(row[k])
				if c == k {
					v -= float64(nc)
				}
				o[int64(c)*int64(q)+int64(k)] += v * inv
			}
		}
	}
	cells := make([]int64, 0, len(o))
	for c := range o {
		cells = append(cells, c)
	}
	slices.Sort(cells)
	nc := make([]float64, q)
	num := 0.0
	for _, ck := range cells {
		v := o[ck]
		c, k := ck/int64(q), ck%int64(q)
		nc[c] += v
		if c != k {
			num += v
		}
	}
	den, N := 0.0, 0.0
	for c := 0; c < q; c++ {
		N += nc[c]
		if nc[c] == 0 {
			continue
		}
		for k := 0; k < q; k++ {
			if k != c {
				den += nc[c] * nc[k]
			}
		}
	}
	if den == 0 || math.IsNaN(den) {
		return undefined("expected disagreement is 0 (all pairable values equal): alpha is 0/0", t.n, t.n2)
	}
	value := 1 - (N-1)*num/den
	res := alphaGwet(t, nil)
	res.Value = value
	tInference(&res, value, t.n-1)
	return res
}
