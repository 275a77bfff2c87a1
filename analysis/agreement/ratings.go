package agreement

import (
	"fmt"
	"math"
)

// Ratings holds sparse categorical judgments as parallel slices: judgment j
// says rater Rater[j] put item Item[j] in category Cat[j]. Codes are 0-based:
// items 0..NItems-1, raters 0..NRaters-1, categories 0..NCats-1 in the
// declared order (the order matters for weighted and ordinal measures, and
// declared categories nobody used still count, e.g. in Brennan-Prediger's
// chance agreement 1/q).
//
// Scores are optional numeric values of the categories (len NCats) used by
// the weight families and by Krippendorff's interval and ratio metrics; nil
// means 1..NCats.
//
// At most one judgment per (item, rater) is assumed; the caller deduplicates.
type Ratings struct {
	Item, Rater, Cat []int32
	NItems           int
	NRaters          int
	NCats            int
	Scores           []float64
}

// validate panics on a caller's bug.
func (r *Ratings) validate() {
	if len(r.Item) != len(r.Rater) || len(r.Item) != len(r.Cat) {
		panic(fmt.Sprintf("agreement: Item, Rater, Cat lengths differ (%d, %d, %d)", len(r.Item), len(r.Rater), len(r.Cat)))
	}
	if r.NCats < 1 {
		panic("agreement: NCats must be at least 1")
	}
	if r.Scores != nil && len(r.Scores) != r.NCats {
		panic(fmt.Sprintf("agreement: len(Scores) = %d, want NCats = %d", len(r.Scores), r.NCats))
	}
	for j := range r.Item {
		if it := r.Item[j]; it < 0 || int(it) >= r.NItems {
			panic(fmt.Sprintf("agreement: judgment %d: item %d out of range [0,%d)", j, it, r.NItems))
		}
		if g := r.Rater[j]; g < 0 || int(g) >= r.NRaters {
			panic(fmt.Sprintf("agreement: judgment %d: rater %d out of range [0,%d)", j, g, r.NRaters))
		}
		if c := r.Cat[j]; c < 0 || int(c) >= r.NCats {
			panic(fmt.Sprintf("agreement: judgment %d: category %d out of range [0,%d)", j, c, r.NCats))
		}
	}
}

// scores returns the category scores (1..q when nil).
func (r *Ratings) scores() []float64 {
	if r.Scores != nil {
		return r.Scores
	}
	s := make([]float64, r.NCats)
	for i := range s {
		s[i] = float64(i + 1)
	}
	return s
}

// table is the per-item category count matrix built in one pass over the
// judgments, plus per-rater marginals.
type table struct {
	q      int
	counts []int32 // NItems*q, row-major
	ri     []int32 // ratings per item
	rows   []int32 // items with >= 1 rating, ascending
	n      int     // len(rows)
	n2     int     // items with >= 2 ratings

	raterCat  []int32 // NRaters*q: judgments per rater and category
	raterN    []int32 // judgments per rater
	nActive   int     // raters with >= 1 judgment
	nJudgment int

	engines []*engine // per weight matrix, built on first use (newEngine)
	spare   []float64 // an engine's paI to reuse after the counts changed (perLabel)
}

// countsChanged drops the engines built from the table's old counts,
// keeping one buffer for the next.
func (t *table) countsChanged() {
	if len(t.engines) > 0 {
		t.spare = t.engines[0].paI
		t.engines = nil
	}
}

func newTable(r *Ratings) *table {
	r.validate()
	q := r.NCats
	t := &table{
		q:         q,
		counts:    make([]int32, r.NItems*q),
		ri:        make([]int32, r.NItems),
		raterCat:  make([]int32, r.NRaters*q),
		raterN:    make([]int32, r.NRaters),
		nJudgment: len(r.Item),
	}
	cat := r.Cat
	rater := r.Rater
	for j, it := range r.Item {
		c := cat[j]
		t.counts[int(it)*q+int(c)]++
		t.ri[it]++
		g := rater[j]
		t.raterCat[int(g)*q+int(c)]++
		t.raterN[g]++
	}
	rows := make([]int32, 0, r.NItems)
	for i, m := range t.ri {
		if m > 0 {
			rows = append(rows, int32(i))
			if m > 1 {
				t.n2++
			}
		}
	}
	t.rows = rows
	t.n = len(rows)
	for _, m := range t.raterN {
		if m > 0 {
			t.nActive++
		}
	}
	return t
}

// row returns the category counts of item it.
func (t *table) row(it int32) []int32 {
	return t.counts[int(it)*t.q : int(it+1)*t.q]
}

// pi returns π_k = (1/n) Σ_i r_ik / r_i over items with at least one rating
// (irrCAC's pi.vec).
func (t *table) pi() []float64 {
	q := t.q
	pi := make([]float64, q)
	for _, it := range t.rows {
		row := t.row(it)
		inv := 1 / float64(t.ri[it])
		for k, c := range row {
			if c != 0 {
				pi[k] += float64(c) * inv
			}
		}
	}
	for k := range pi {
		pi[k] /= float64(t.n)
	}
	return pi
}

var nan = math.NaN()
