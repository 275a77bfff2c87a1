// Package truth estimates the true label of each item from several
// reviewers' judgments: majority vote, Wawa (weighted majority vote) and
// Dawid-Skene (1979) EM; it scores each against gold and flags gold labels
// the evidence contradicts.
//
// Input shape, shared with analysis/gold and analysis/scorecard: judgments
// are parallel slices item[j], rater[j], label[j] with codes 0..nItems-1,
// 0..nRaters-1 and 0..q-1 (the declared label order); gold[i] is item i's
// gold code or -1. Duplicate (item, rater) rows are allowed and every row
// counts as a separate judgment (the caller's --duplicates keep mode).
//
// Inputs are never modified. A caller's bug (slices of unequal length, a code
// out of range) panics with a "truth: " prefix; a statistic the data leave
// undefined is NaN.
package truth

import (
	"math"
	"math/rand/v2"
)

// TieRule says how a majority vote with several top labels is resolved.
type TieRule int

const (
	// TiesFirst gives a tie to the first tied label in declared order.
	TiesFirst TieRule = iota
	// TiesRandom picks one tied label uniformly at random with a PCG
	// generator seeded by the caller's seed, drawing once per tied item in
	// item order: the same input and seed give the same labels.
	TiesRandom
	// TiesFractional keeps the tie: a tied item scores 1/k against gold when
	// gold is one of its k tied labels (the expected accuracy of a uniform
	// random break) and 0 otherwise. Label still holds the first tied label
	// for display.
	TiesFractional
)

// String returns the rule's command-line name.
func (r TieRule) String() string {
	switch r {
	case TiesFirst:
		return "first"
	case TiesRandom:
		return "random"
	case TiesFractional:
		return "fractional"
	}
	return "unknown"
}

// Accuracy is an aggregated label's agreement with gold.
type Accuracy struct {
	// Items is the number of gold items with at least one judgment.
	Items int
	// Correct is the (possibly fractional) number of those items whose
	// aggregated label equals gold.
	Correct float64
	// Value = Correct/Items; NaN when Items is 0.
	Value float64
}

func newAccuracy(items int, correct float64) Accuracy {
	v := math.NaN()
	if items > 0 {
		v = correct / float64(items)
	}
	return Accuracy{Items: items, Correct: correct, Value: v}
}

// LabelAccuracy scores hard labels against gold:
//
//	accuracy = #{i : gold[i] >= 0, labels[i] >= 0, labels[i] = gold[i]}
//	         / #{i : gold[i] >= 0, labels[i] >= 0}
//
// labels[i] = -1 marks an item without judgments, which does not count.
// It panics if labels and gold differ in length.
func LabelAccuracy(labels, gold []int32) Accuracy {
	if len(labels) != len(gold) {
		panic("truth: labels and gold differ in length")
	}
	n, c := 0, 0.0
	for i, g := range gold {
		if g < 0 || labels[i] < 0 {
			continue
		}
		n++
		if labels[i] == g {
			c++
		}
	}
	return newAccuracy(n, c)
}

// index holds judgments sorted by (item, rater), stable in row order.
type index struct {
	start []int32 // start[i]..start[i+1] are item i's positions in order
	order []int32 // judgment indices
}

func check(item, rater, label []int32, nItems, nRaters, q int) {
	if len(item) != len(label) || (rater != nil && len(rater) != len(item)) {
		panic("truth: judgment slices differ in length")
	}
	if q <= 0 || nItems < 0 || nRaters < 0 {
		panic("truth: q must be positive and counts non-negative")
	}
	for j, it := range item {
		if it < 0 || int(it) >= nItems {
			panic("truth: item code out of range")
		}
		if l := label[j]; l < 0 || int(l) >= q {
			panic("truth: label code out of range")
		}
		if rater != nil {
			if r := rater[j]; r < 0 || int(r) >= nRaters {
				panic("truth: rater code out of range")
			}
		}
	}
}

func checkGold(gold []int32, nItems, q int) {
	if len(gold) != nItems {
		panic("truth: gold must have one entry per item")
	}
	for _, g := range gold {
		if g < -1 || int(g) >= q {
			panic("truth: gold code out of range")
		}
	}
}

// buildIndex sorts judgments by item, then rater (when rater != nil), by two
// stable counting sorts. Judgments already in that order (as app/metrics
// hands them over) keep it without the sorts.
func buildIndex(item, rater []int32, nItems, nRaters int) index {
	m := len(item)
	if sortedByItemRater(item, rater) {
		start := itemStarts(item, nItems)
		order := make([]int32, m)
		for j := range order {
			order[j] = int32(j)
		}
		return index{start: start, order: order}
	}
	return sortIndex(item, rater, nItems, nRaters)
}

// itemStarts is where each item's judgments start in item order: start[i]
// is the number of judgments on items before i; start[nItems] is all.
func itemStarts(item []int32, nItems int) []int32 {
	start := make([]int32, nItems+1)
	for _, it := range item {
		start[it+1]++
	}
	for i := 0; i < nItems; i++ {
		start[i+1] += start[i]
	}
	return start
}

// sortIndex is buildIndex by the two counting sorts.
func sortIndex(item, rater []int32, nItems, nRaters int) index {
	m := len(item)
	src := make([]int32, m)
	for j := range src {
		src[j] = int32(j)
	}
	if rater != nil && nRaters > 1 {
		cnt := make([]int32, nRaters+1)
		for _, r := range rater {
			cnt[r+1]++
		}
		for r := 0; r < nRaters; r++ {
			cnt[r+1] += cnt[r]
		}
		tmp := make([]int32, m)
		for j := 0; j < m; j++ {
			r := rater[j]
			tmp[cnt[r]] = int32(j)
			cnt[r]++
		}
		src = tmp
	}
	start := itemStarts(item, nItems)
	pos := append([]int32(nil), start[:nItems]...)
	order := make([]int32, m)
	for _, j := range src {
		it := item[j]
		order[pos[it]] = j
		pos[it]++
	}
	return index{start: start, order: order}
}

// sortedByItemRater reports whether judgments are ordered by item, then
// rater (rater nil: by item only).
func sortedByItemRater(item, rater []int32) bool {
	for j := 1; j < len(item); j++ {
		if item[j] < item[j-1] || rater != nil && item[j] == item[j-1] && rater[j] < rater[j-1] {
			return false
		}
	}
	return true
}

// topSet returns the maximum of s and how many entries reach it. Entries
// within tol of the maximum count as tied (tol = 0 for integer counts).
func topSet(s []float64, tol float64) (max float64, k int) {
	max = math.Inf(-1)
	for _, v := range s {
		if v > max {
			max = v
		}
	}
	for _, v := range s {
		if v >= max-tol {
			k++
		}
	}
	return max, k
}

func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
}

// startPosterior fills t (one cell per label) with an item's starting
// posterior from its judgments js: the vote shares (Crowd-Kit's
// MajorityVote probas), or with InitMajority the hard majority, its mass
// split evenly among tied labels.
func startPosterior(t []float64, js []int32, label []int32, init DSInit) {
	clear(t)
	for _, j := range js {
		t[label[j]]++
	}
	if init == InitMajority {
		max, k := topSet(t, 0)
		for c := range t {
			if t[c] == max {
				t[c] = 1 / float64(k)
			} else {
				t[c] = 0
			}
		}
		return
	}
	n := float64(len(js))
	for c := range t {
		t[c] /= n
	}
}
