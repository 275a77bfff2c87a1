// Package scorecard builds per-reviewer scorecards and rolls them up by any
// grouping key (vendor, team, queue, market, SOP version, ISO week): volume,
// gold accuracy, over- and under-enforcement, agreement with the majority,
// Dawid-Skene accuracy, handling time, units per hour and the 2RQA overturn
// rate.
//
// Judgments have the shape of analysis/gold and analysis/truth: parallel
// slices item[j], rater[j], label[j] (codes 0..nItems-1, 0..nRaters-1,
// 0..q-1), duplicate (item, rater) rows counting as separate judgments.
// Inputs are never modified; a caller's bug panics with a "scorecard: "
// prefix; an undefined statistic is NaN.
package scorecard

import (
	"math"

	"labelqa/analysis/gold"
	"labelqa/analysis/truth"
)

// SessionGap is the longest pause, in seconds, inside one working session:
// a gap of more than 10 minutes between two submissions of a reviewer ends
// the session.
const SessionGap = 600.0

// QAPair links a round-1 judgment to the round-2 (2RQA) judgment that
// re-labelled the same item; both are indices into the judgment slices.
type QAPair struct {
	Round1, Round2 int32
}

// Input is everything a scorecard is computed from. Only Item, Rater,
// Label, NItems, NRaters and Q are required; a nil optional field leaves its
// measures NaN.
type Input struct {
	Item, Rater, Label []int32
	NItems, NRaters, Q int
	// Gold is per item, -1 for no gold (nil: no gold measures).
	Gold []int32
	// Allowed says per label whether it is allowed (approve-like); nil
	// leaves over- and under-enforcement NaN.
	Allowed []bool
	// SubmittedAt is per judgment, in seconds on any common clock (epoch
	// seconds); NaN for unknown (nil: no units per hour).
	SubmittedAt []float64
	// Duration is per judgment handling time in seconds (duration_s); NaN
	// for unknown (nil: no handling time).
	Duration []float64
	// QA are the 2RQA pairs (nil: no overturn rate).
	QA []QAPair
	// Ties and Seed drive the majority vote behind agreement with majority.
	Ties truth.TieRule
	Seed uint64
	// DS is a Dawid-Skene result on these judgments; nil runs
	// truth.DawidSkene with DSOptions (nil = defaults).
	DS        *truth.DSResult
	DSOptions *truth.DSOptions

	// Credit and Pads are what Groups computes the same way whatever the
	// grouping: each judgment's leave-one-out majority credit
	// (truth.JudgmentAgreement) and each rater's units-per-hour pad. nil:
	// computed by each call; Precompute fills them for a caller that asks
	// for several groupings of one input.
	Credit []float64
	Pads   []float64
	// TimeOrder is the timed judgments sorted by (rater, time), so that a
	// grouping's sessions need no sort of their own.
	TimeOrder []int32
}

// Precompute fills in.Credit and in.Pads, so that several Groups calls on
// in share them. The cards are the same with or without it.
func Precompute(in *Input) {
	if in.Credit == nil {
		in.Credit = truth.JudgmentAgreement(in.Item, in.Rater, in.Label, in.NItems, in.NRaters, in.Q, in.Ties, in.Seed)
	}
	if in.Pads == nil && in.SubmittedAt != nil {
		in.Pads = raterPads(in)
	}
	if in.TimeOrder == nil && in.SubmittedAt != nil {
		in.TimeOrder = timeOrder(in)
	}
}

// Card is one reviewer's or one group's scorecard.
type Card struct {
	// Annotations counts judgments; GoldAnnotations those on gold items.
	Annotations, GoldAnnotations int
	// GoldAccuracy = correct / GoldAnnotations, Wilson 95% interval.
	GoldAccuracy gold.Proportion
	// OverEnforcement and UnderEnforcement as gold.EnforcementErrors:
	// violation given on allowed gold over annotations on allowed gold;
	// allowed given on violation gold over annotations on violation gold.
	OverEnforcement, UnderEnforcement gold.Proportion
	// AgreementWithMajority is the leave-one-out agreement (see
	// truth.AgreementWithMajority), pooled over the card's judgments;
	// AgreementScored is its denominator.
	AgreementWithMajority, AgreementScored float64
	// DSAccuracy is the Dawid-Skene accuracy (truth.DSResult.RaterAccuracy):
	// the reviewer's own, or for a group the mean of its reviewers'
	// weighted by their judgments in the group.
	DSAccuracy float64
	// MedianDuration and P90Duration are type-7 quantiles (Quantile) of the
	// known handling times, in seconds.
	MedianDuration, P90Duration float64
	// UnitsPerHour = TimedAnnotations / ActiveHours (see UnitsPerHour).
	UnitsPerHour, ActiveHours float64
	TimedAnnotations          int
	// Overturn is the 2RQA overturn rate: round-1 judgments whose label the
	// round-2 reviewer changed, over the card's round-1 judgments that were
	// re-labelled, Wilson 95% interval.
	Overturn gold.Proportion
}

// Reviewers returns one Card per rater, in rater order. It is
// Groups(in, in.Rater, in.NRaters).
func Reviewers(in *Input) []Card {
	return Groups(in, in.Rater, in.NRaters)
}

// ByRater rolls the cards up by a per-rater key: raterGroup[r] is rater r's
// group (vendor, team, market …), -1 for none. It is Groups with each
// judgment in its rater's group.
func ByRater(in *Input, raterGroup []int32, nGroups int) []Card {
	if len(raterGroup) != in.NRaters {
		panic("scorecard: raterGroup needs one entry per rater")
	}
	g := make([]int32, len(in.Item))
	for j, r := range in.Rater {
		g[j] = raterGroup[r]
	}
	return Groups(in, g, nGroups)
}

// Groups returns one Card per group code 0..nGroups-1, where group[j] is
// judgment j's group (queue, SOP version, ISO week …; -1 leaves the judgment
// out). Every measure is pooled over the group's judgments, never averaged
// over reviewers, except DSAccuracy (a reviewer-level estimate, averaged
// with judgment weights). Majority vote and Dawid-Skene always see all
// judgments: a group is scored against the whole crowd. A 2RQA pair belongs
// to its round-1 judgment's group. Groups panics on slices of wrong length,
// codes out of range, or a QA pair on two different items.
func Groups(in *Input, group []int32, nGroups int) []Card {
	m := len(in.Item)
	if len(in.Rater) != m || len(in.Label) != m || len(group) != m {
		panic("scorecard: judgment slices differ in length")
	}
	for _, g := range group {
		if int(g) >= nGroups {
			panic("scorecard: group code out of range")
		}
	}
	cards := make([]Card, nGroups)
	nan := math.NaN()
	for k := range cards {
		c := &cards[k]
		c.GoldAccuracy = gold.Wilson(0, 0, gold.Z95)
		c.OverEnforcement, c.UnderEnforcement, c.Overturn = c.GoldAccuracy, c.GoldAccuracy, c.GoldAccuracy
		c.AgreementWithMajority, c.DSAccuracy = nan, nan
		c.MedianDuration, c.P90Duration, c.UnitsPerHour, c.ActiveHours = nan, nan, nan, nan
	}
	for _, g := range group {
		if g >= 0 {
			cards[g].Annotations++
		}
	}

	// Gold accuracy and enforcement.
	if in.Gold != nil {
		acc := gold.AccuracyBy(in.Item, in.Label, in.Gold, group, nGroups)
		for k := range cards {
			cards[k].GoldAccuracy = acc[k]
			cards[k].GoldAnnotations = int(acc[k].N)
		}
		if in.Allowed != nil {
			e := gold.EnforcementErrors(in.Item, in.Label, in.Gold, in.Allowed, group, nGroups)
			for k := range cards {
				cards[k].OverEnforcement = e.ByGroup[k].Over
				cards[k].UnderEnforcement = e.ByGroup[k].Under
			}
		}
	}

	// Agreement with majority (leave-one-out) and Dawid-Skene accuracy.
	credit := in.Credit
	if credit == nil {
		credit = truth.JudgmentAgreement(in.Item, in.Rater, in.Label, in.NItems, in.NRaters, in.Q, in.Ties, in.Seed)
	} else if len(credit) != m {
		panic("scorecard: Credit differs in length")
	}
	ds := in.DS
	if ds == nil {
		r := truth.DawidSkene(in.Item, in.Rater, in.Label, in.NItems, in.NRaters, in.Q, in.DSOptions)
		ds = &r
	}
	if len(ds.RaterAccuracy) != in.NRaters {
		panic("scorecard: DS result is for another set of raters")
	}
	agree := make([]float64, nGroups)
	dsSum := make([]float64, nGroups)
	dsN := make([]float64, nGroups)
	for j, g := range group {
		if g < 0 {
			continue
		}
		if c := credit[j]; !math.IsNaN(c) {
			agree[g] += c
			cards[g].AgreementScored++
		}
		if a := ds.RaterAccuracy[in.Rater[j]]; !math.IsNaN(a) {
			dsSum[g] += a
			dsN[g]++
		}
	}
	for k := range cards {
		if cards[k].AgreementScored > 0 {
			cards[k].AgreementWithMajority = agree[k] / cards[k].AgreementScored
		}
		if dsN[k] > 0 {
			cards[k].DSAccuracy = dsSum[k] / dsN[k]
		}
	}

	// Handling time.
	if in.Duration != nil {
		if len(in.Duration) != m {
			panic("scorecard: Duration differs in length")
		}
		per := make([][]float64, nGroups)
		for j, g := range group {
			if d := in.Duration[j]; g >= 0 && !math.IsNaN(d) {
				per[g] = append(per[g], d)
			}
		}
		for k, d := range per {
			cards[k].MedianDuration = quantileUnsorted(0.5, d)
			cards[k].P90Duration = quantileUnsorted(0.9, d)
		}
	}

	// Units per hour.
	if in.SubmittedAt != nil {
		uph := unitsPerHour(in, group, nGroups)
		for k := range cards {
			cards[k].TimedAnnotations = uph[k].n
			cards[k].ActiveHours = uph[k].secs / 3600
			if uph[k].secs > 0 {
				cards[k].UnitsPerHour = float64(uph[k].n) / cards[k].ActiveHours
			}
		}
	}

	// 2RQA overturns.
	if in.QA != nil {
		changed := make([]float64, nGroups)
		reviewed := make([]float64, nGroups)
		for _, p := range in.QA {
			if p.Round1 < 0 || int(p.Round1) >= m || p.Round2 < 0 || int(p.Round2) >= m {
				panic("scorecard: QA pair index out of range")
			}
			if in.Item[p.Round1] != in.Item[p.Round2] {
				panic("scorecard: QA pair on two different items")
			}
			g := group[p.Round1]
			if g < 0 {
				continue
			}
			reviewed[g]++
			if in.Label[p.Round1] != in.Label[p.Round2] {
				changed[g]++
			}
		}
		for k := range cards {
			cards[k].Overturn = gold.Wilson(changed[k], reviewed[k], gold.Z95)
		}
	}
	return cards
}

// Quantile returns the p-quantile of sorted data by linear interpolation
// between order statistics, Hyndman & Fan (1996) type 7, the default of R's
// quantile() and numpy.quantile:
//
//	h = (n−1)·p,  Q(p) = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])
//
// with x 0-based and sorted ascending. Source: R. J. Hyndman and Y. Fan
// (1996), "Sample quantiles in statistical packages", The American
// Statistician 50(4):361–365. NaN for empty data. It panics if p is outside
// [0, 1] (it does not check that x is sorted).
func Quantile(p float64, x []float64) float64 {
	if !(p >= 0 && p <= 1) {
		panic("scorecard: quantile p outside [0, 1]")
	}
	n := len(x)
	if n == 0 {
		return math.NaN()
	}
	h := float64(n-1) * p
	lo := int(h)
	if lo >= n-1 {
		return x[n-1]
	}
	return x[lo] + (h-float64(lo))*(x[lo+1]-x[lo])
}

// quantileUnsorted is Quantile of x without sorting it: it selects the two
// order statistics type 7 needs (Hoare's quickselect, expected O(n)) and
// leaves x partly reordered. Sorting a million handling times for a median
// and a p90 cost more than the rest of a scorecard.
func quantileUnsorted(p float64, x []float64) float64 {
	n := len(x)
	if n == 0 {
		return math.NaN()
	}
	h := float64(n-1) * p
	lo := int(h)
	if lo >= n-1 {
		return x[selectKth(x, n-1)]
	}
	a := x[selectKth(x, lo)]
	// After selection everything right of lo is >= x[lo]; the next order
	// statistic is their minimum.
	b := x[lo+1]
	for _, v := range x[lo+2:] {
		if v < b {
			b = v
		}
	}
	return a + (h-float64(lo))*(b-a)
}

// selectKth reorders x so that x[k] is the k-th smallest value, everything
// before it is <= x[k] and everything after it is >= x[k]; it returns k.
// x holds no NaN (callers drop unknown values).
func selectKth(x []float64, k int) int {
	lo, hi := 0, len(x)-1
	for lo < hi {
		// Median of three as the pivot keeps sorted input linear.
		mid := lo + (hi-lo)/2
		if x[mid] < x[lo] {
			x[mid], x[lo] = x[lo], x[mid]
		}
		if x[hi] < x[lo] {
			x[hi], x[lo] = x[lo], x[hi]
		}
		if x[hi] < x[mid] {
			x[hi], x[mid] = x[mid], x[hi]
		}
		pivot := x[mid]
		i, j := lo, hi
		for i <= j {
			for x[i] < pivot {
				i++
			}
			for x[j] > pivot {
				j--
			}
			if i <= j {
				x[i], x[j] = x[j], x[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return k
		}
	}
	return k
}
