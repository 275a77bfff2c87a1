package metrics

import (
	"cmp"
	"math"
	"slices"
)

// The figures of root-cause analysis (app/core RCA) that the report does
// not hold: the confusion matrix's off-diagonal cells as a Pareto, the
// matrix split by a key of each judgment, the errors themselves, and the
// gold items the majority vote contradicts.

// ConfusedPair is one off-diagonal cell of a confusion matrix: the
// judgments on gold items whose gold label is Gold and whose (first) label
// is Given.
type ConfusedPair struct {
	Gold, Given string
	Count       int64
	// Share is Count over every error of the matrix; Cumulative the sum of
	// the shares of this pair and of every pair before it in the Pareto.
	Share, Cumulative float64
}

// Pareto lists the confused label pairs of c (rows gold, columns given),
// most frequent first, ties in gold then given label order, with each
// pair's share of all errors and the cumulative share:
//
//	errors      = Σ_{g≠k} c[g][k]
//	share(g,k)  = c[g][k] / errors
//	cumulative  = Σ share over this pair and the pairs before it
//
// (Juran's Pareto analysis of defects by cause; Juran & Godfrey, Juran's
// Quality Handbook, 5th ed., 1999, section 5.) Cells of 0 are left out.
// It returns the pairs and the number of errors.
func Pareto(c Confusion) ([]ConfusedPair, int64) {
	var pairs []ConfusedPair
	var errs int64
	for g, row := range c.Matrix {
		for k, n := range row {
			if g == k || n == 0 {
				continue
			}
			errs += n
			pairs = append(pairs, ConfusedPair{Gold: c.Labels[g], Given: c.Labels[k], Count: n})
		}
	}
	// Stable on the matrix's row-major order: ties stay in label order.
	slices.SortStableFunc(pairs, func(a, b ConfusedPair) int { return cmp.Compare(b.Count, a.Count) })
	var run int64
	for i := range pairs {
		run += pairs[i].Count
		pairs[i].Share = float64(pairs[i].Count) / float64(errs)
		pairs[i].Cumulative = float64(run) / float64(errs)
	}
	if pairs == nil {
		pairs = []ConfusedPair{}
	}
	return pairs, errs
}

// GroupConfusion is the confusion matrix of one group's judgments on gold
// items.
type GroupConfusion struct {
	Key       string
	Confusion Confusion
	// Judgments counts the group's judgments on gold items (the matrix's
	// sum), Errors those off its diagonal.
	Judgments, Errors int64
}

// ConfusionBy splits the gold confusion matrix of the report by a key of
// each judgment: key(j) is the group (an index of keys) of judgment j of
// the analysed Dataset. Each judgment on a gold item enters its group's
// matrix as Report().Gold.Confusion counts it (gold.Evaluate: pooled,
// the first label), so the groups' matrices sum to that matrix. Groups
// with no judgment on a gold item are left out; the rest keep keys' order.
// Without a golden set it returns nil. It panics if key returns an index
// outside keys.
func (a *Analysis) ConfusionBy(keys []string, key func(j int) int) []GroupConfusion {
	p := a.p
	if p == nil || !p.goldSet {
		return nil
	}
	q := p.q
	groups := make([]*GroupConfusion, len(keys))
	for k, j := range p.orig {
		g := p.gold[p.item[k]]
		if g < 0 {
			continue
		}
		gi := key(int(j))
		gc := groups[gi]
		if gc == nil {
			gc = &GroupConfusion{Key: keys[gi], Confusion: Confusion{Labels: p.d.Labels, Matrix: make([][]int64, q)}}
			for r := range gc.Confusion.Matrix {
				gc.Confusion.Matrix[r] = make([]int64, q)
			}
			groups[gi] = gc
		}
		gc.Confusion.Matrix[g][p.label[k]]++
		gc.Judgments++
		if p.label[k] != g {
			gc.Errors++
		}
	}
	var out []GroupConfusion
	for _, gc := range groups {
		if gc != nil {
			out = append(out, *gc)
		}
	}
	return out
}

// GoldErrors returns the judgments (indexes of the analysed Dataset, in
// Dataset order) that the gold confusion matrix counts off its diagonal:
// those on a gold item whose (first) label is not the gold label. Without a
// golden set it is empty.
func (a *Analysis) GoldErrors() []int {
	d := a.d
	out := []int{}
	if a.p == nil || !a.p.goldSet {
		return out
	}
	for j, it := range d.Item {
		if g := d.Gold[it]; g >= 0 && d.Label[j] != g {
			out = append(out, j)
		}
	}
	return out
}

// MajorityDispute is a gold item whose judgments' plain majority vote is a
// clear winner (no tie) other than the gold label, with at least
// MinMajorityJudgments judgments.
type MajorityDispute struct {
	Item     string
	Gold     string
	Majority string
	// GoldPosterior and MajorityPosterior are Dawid-Skene's posteriors of
	// the two labels on the item.
	GoldPosterior, MajorityPosterior Float
	Votes                            map[string]int // the item's judgments per label given
}

// MinMajorityJudgments is how many judgments a gold item needs before its
// majority vote may contradict gold in MajorityDisputes: two reviewers
// agreeing against gold are worth a look, one is just an error.
const MinMajorityJudgments = 2

// MajorityDisputes lists the gold items the plain majority vote (Votes)
// contradicts, in canonical item order. It reads the analysis's own vote
// and Dawid-Skene result; it is LabelQA's review heuristic, as
// Report().Gold.Disputed is.
func (a *Analysis) MajorityDisputes() []MajorityDispute {
	p := a.p
	out := []MajorityDispute{}
	if p == nil || !p.goldSet {
		return out
	}
	mv := a.wawa.Majority
	votes := make([]int, p.q)
	for s := 0; s < len(p.item); {
		e := s
		for e < len(p.item) && p.item[e] == p.item[s] {
			e++
		}
		it := p.item[s]
		g := p.gold[it]
		if g < 0 || e-s < MinMajorityJudgments || mv.TieSize[it] != 1 || mv.Label[it] == g {
			s = e
			continue
		}
		clear(votes)
		for k := s; k < e; k++ {
			votes[p.label[k]]++
		}
		m := mv.Label[it]
		x := MajorityDispute{Item: p.d.Items[p.itemOrder[it]], Gold: p.d.Labels[g], Majority: p.d.Labels[m],
			GoldPosterior: Float(math.NaN()), MajorityPosterior: Float(math.NaN()), Votes: map[string]int{}}
		if a.ds != nil && len(a.ds.Posterior) >= (int(it)+1)*p.q {
			x.GoldPosterior = Float(a.ds.Posterior[int(it)*p.q+int(g)])
			x.MajorityPosterior = Float(a.ds.Posterior[int(it)*p.q+int(m)])
		}
		for k, v := range votes {
			if v > 0 {
				x.Votes[p.d.Labels[k]] = v
			}
		}
		out = append(out, x)
		s = e
	}
	return out
}
