package truth

import (
	"math"
	"slices"
)

// Vote is the outcome of a (weighted) majority vote.
type Vote struct {
	// Q is the number of declared labels; Rule the tie rule used.
	Q    int
	Rule TieRule
	// Label is each item's winning label, -1 for an item without judgments.
	// Under TiesFractional a tied item holds its first tied label, for
	// display only; GoldAccuracy scores the tie itself.
	Label []int32
	// TieSize is how many labels share the top score: 0 for an item without
	// judgments, 1 for a clear winner, k >= 2 for a k-way tie.
	TieSize []int32
	// Items is the number of items with at least one judgment; Ties the
	// number of those whose top score is shared (TieSize >= 2).
	Items, Ties int

	// topLabels[topStart[i]:topStart[i+1]] are item i's top labels in
	// declared order (not an items×labels table: large label sets).
	topStart, topLabels []int32
}

// IsTop reports whether label k is among item i's top-scoring labels.
func (v *Vote) IsTop(i int, k int32) bool {
	for _, l := range v.topLabels[v.topStart[i]:v.topStart[i+1]] {
		if l == k {
			return true
		}
	}
	return false
}

// GoldAccuracy scores the vote against gold over items that have gold and at
// least one judgment:
//
//	first, random:  accuracy = #{i : Label[i] = gold[i]} / #items
//	fractional:     accuracy = Σᵢ [gold[i] ∈ topᵢ] / |topᵢ| / #items
//
// so a fractional score is the expected accuracy of breaking every tie
// uniformly at random. It panics if len(gold) != len(v.Label).
func (v *Vote) GoldAccuracy(gold []int32) Accuracy {
	checkGold(gold, len(v.Label), v.Q)
	if v.Rule != TiesFractional {
		return LabelAccuracy(v.Label, gold)
	}
	n, c := 0, 0.0
	for i, g := range gold {
		if g < 0 || v.TieSize[i] == 0 {
			continue
		}
		n++
		if v.IsTop(i, g) {
			c += 1 / float64(v.TieSize[i])
		}
	}
	return newAccuracy(n, c)
}

// credit is judgment (i, l)'s agreement with the vote: 1 or 0 under
// TiesFirst and TiesRandom, 1/k for a member of a k-way tie under
// TiesFractional.
func (v *Vote) credit(i int, l int32) float64 {
	if v.TieSize[i] == 0 {
		return 0
	}
	if v.Rule == TiesFractional {
		if v.IsTop(i, l) {
			return 1 / float64(v.TieSize[i])
		}
		return 0
	}
	if v.Label[i] == l {
		return 1
	}
	return 0
}

// MajorityVote returns each item's most frequent label:
//
//	scoreᵢₖ = #{j : item[j] = i, label[j] = k}
//	labelᵢ  = argmaxₖ scoreᵢₖ, ties resolved by the TieRule
//
// Every row counts, so a rater's duplicate rows are several votes. seed is
// used by TiesRandom only. It panics if the slices differ in length or a code
// is out of range.
func MajorityVote(item, label []int32, nItems, q int, ties TieRule, seed uint64) Vote {
	check(item, nil, label, nItems, 0, q)
	return vote(item, nil, label, nItems, q, nil, ties, seed)
}

// vote is the weighted vote behind MajorityVote (w == nil) and Wawa (w is a
// per-rater weight). Only labels with at least one judgment can win. An
// item's label totals (scoreᵢₖ: judgments, or the sum of rater weights) are
// added up in judgment order in a scratch row: a dense items×labels table
// was 45 MB of fresh memory per vote on a million judgments.
func vote(item, rater, label []int32, nItems, q int, w []float64, ties TieRule, seed uint64) Vote {
	v := Vote{
		Q: q, Rule: ties,
		Label:    make([]int32, nItems),
		TieSize:  make([]int32, nItems),
		topStart: make([]int32, nItems+1),
	}
	ix := buildIndex(item, nil, nItems, 0)
	s := make([]float64, q)
	h := make([]bool, q)
	var present []int32 // the item's labels, first-seen order
	var rng = newRand(seed)
	for i := 0; i < nItems; i++ {
		present = present[:0]
		for _, j := range ix.order[ix.start[i]:ix.start[i+1]] {
			x := 1.0
			if w != nil {
				x = w[rater[j]]
			}
			l := label[j]
			s[l] += x
			if !h[l] {
				h[l] = true
				present = append(present, l)
			}
		}
		v.topStart[i+1] = v.topStart[i]
		v.Label[i] = -1
		if len(present) == 0 {
			continue
		}
		slices.Sort(present) // declared order
		max := math.Inf(-1)
		for _, k := range present {
			max = math.Max(max, s[k])
		}
		tol := 0.0
		if w != nil {
			tol = 1e-12 * math.Abs(max)
		}
		n := 0
		for _, k := range present {
			if s[k] >= max-tol {
				v.topLabels = append(v.topLabels, k)
				if n == 0 {
					v.Label[i] = k
				}
				n++
			}
			s[k], h[k] = 0, false
		}
		v.topStart[i+1] = int32(len(v.topLabels))
		v.TieSize[i] = int32(n)
		v.Items++
		if n > 1 {
			v.Ties++
			if ties == TiesRandom {
				v.Label[i] = v.topLabels[int(v.topStart[i])+rng.IntN(n)]
			}
		}
	}
	return v
}

// Wawa is the outcome of a weighted majority vote.
type Wawa struct {
	Vote
	// Weights[r] is rater r's weight: their agreement with the plain
	// majority vote; NaN (and weight 0 in the vote) for a rater without
	// judgments.
	Weights []float64
	// Majority is the plain majority vote the weights come from.
	Majority Vote
}

// WeightedMajorityVote is Wawa ("worker agreement with aggregate"): a
// majority vote, then each rater's agreement with it as their weight, then a
// weighted re-vote:
//
//	wᵣ      = Σ_{j : rater[j]=r} credit(j) / #{j : rater[j]=r}
//	scoreᵢₖ = Σ_{j : item[j]=i, label[j]=k} w_{rater[j]}
//	labelᵢ  = argmaxₖ scoreᵢₖ (only labels with a judgment; scores within
//	          1e-12 relative of the top tie, resolved by the TieRule)
//
// credit(j) is 1 when judgment j's label is the item's majority label (under
// TiesFractional, 1/k when it is one of k tied labels), else 0; the rater's
// own vote is included, as in the reference implementation (Toloka
// crowd-kit, crowdkit.aggregation.Wawa; Appen, "Worker agreement with
// aggregate"). It panics on the same input errors as MajorityVote.
func WeightedMajorityVote(item, rater, label []int32, nItems, nRaters, q int, ties TieRule, seed uint64) Wawa {
	check(item, rater, label, nItems, nRaters, q)
	mv := vote(item, nil, label, nItems, q, nil, ties, seed)
	num := make([]float64, nRaters)
	den := make([]float64, nRaters)
	for j, it := range item {
		r := rater[j]
		den[r]++
		num[r] += mv.credit(int(it), label[j])
	}
	wts := make([]float64, nRaters)
	use := make([]float64, nRaters)
	for r := range wts {
		wts[r] = math.NaN()
		if den[r] > 0 {
			wts[r] = num[r] / den[r]
			use[r] = wts[r]
		}
	}
	return Wawa{Vote: vote(item, rater, label, nItems, q, use, ties, seed), Weights: wts, Majority: mv}
}

// Agreement is one rater's agreement with the majority of the others.
type Agreement struct {
	// Agree is the (possibly fractional) number of the rater's judgments
	// that match the others' majority; N the number of judgments scored.
	Agree, N float64
	// Value = Agree/N; NaN when N is 0.
	Value float64
}

// AgreementWithMajority returns each rater's leave-one-out agreement with
// the majority: every judgment j of rater r on item i is compared with the
// majority vote of item i's other raters,
//
//	restᵢₖ   = #{j' : item[j']=i, rater[j']≠r, label[j']=k}
//	agree_r  = Σⱼ credit(label[j], argmaxₖ restᵢₖ) / N_r
//
// Conventions: all of r's own rows on the item are left out (so a duplicate
// row never agrees with itself); a judgment on an item no one else judged is
// not scored (it is not in N_r); when the others tie, the TieRule decides:
// TiesFirst compares with the first tied label, TiesRandom with a seeded
// random pick (one draw per judgment whose others tie, in (item, rater,
// row) order),
// TiesFractional credits 1/k when the judgment is one of the k tied labels.
// A rater with no scored judgment gets NaN. The per-judgment credits are
// JudgmentAgreement's. It panics on the same input errors as
// WeightedMajorityVote.
func AgreementWithMajority(item, rater, label []int32, nItems, nRaters, q int, ties TieRule, seed uint64) []Agreement {
	credit := JudgmentAgreement(item, rater, label, nItems, nRaters, q, ties, seed)
	out := make([]Agreement, nRaters)
	for j, c := range credit {
		if !math.IsNaN(c) {
			out[rater[j]].Agree += c
			out[rater[j]].N++
		}
	}
	for r := range out {
		out[r].Value = math.NaN()
		if out[r].N > 0 {
			out[r].Value = out[r].Agree / out[r].N
		}
	}
	return out
}

// JudgmentAgreement returns, for every judgment, its agreement credit with
// the majority of the item's other raters (1, 0, or 1/k under
// TiesFractional), or NaN when no other rater judged the item; see
// AgreementWithMajority for the conventions. Summing the credits over any
// set of judgments (a vendor, a week) and dividing by the number of non-NaN
// ones gives that set's agreement with majority.
func JudgmentAgreement(item, rater, label []int32, nItems, nRaters, q int, ties TieRule, seed uint64) []float64 {
	check(item, rater, label, nItems, nRaters, q)
	ix := buildIndex(item, rater, nItems, nRaters)
	rng := newRand(seed)
	credit := make([]float64, len(item))
	for j := range credit {
		credit[j] = math.NaN()
	}
	cnt := make([]int, q)
	own := make([]int, q)
	var present []int32 // the item's labels, in declared order
	for i := 0; i < nItems; i++ {
		rows := ix.order[ix.start[i]:ix.start[i+1]]
		if len(rows) < 2 {
			continue
		}
		present = present[:0]
		for _, j := range rows {
			if cnt[label[j]] == 0 {
				present = append(present, label[j])
			}
			cnt[label[j]]++
		}
		slices.Sort(present)
		for a := 0; a < len(rows); {
			r := rater[rows[a]]
			b := a
			for b < len(rows) && rater[rows[b]] == r {
				own[label[rows[b]]]++
				b++
			}
			max, k := 0, 0
			for _, c := range present {
				if x := cnt[c] - own[c]; x > max {
					max, k = x, 1
				} else if x == max && x > 0 {
					k++
				}
			}
			if max > 0 {
				for _, j := range rows[a:b] {
					l := label[j]
					in := cnt[l]-own[l] == max
					c := 0.0
					switch {
					case k == 1 || ties == TiesFirst:
						if in && nthTop(present, cnt, own, max, 0) == l {
							c = 1
						}
					case ties == TiesFractional:
						if in {
							c = 1 / float64(k)
						}
					default: // TiesRandom
						pick := nthTop(present, cnt, own, max, rng.IntN(k))
						if in && pick == l {
							c = 1
						}
					}
					credit[j] = c
				}
			}
			for _, j := range rows[a:b] {
				own[label[j]] = 0
			}
			a = b
		}
		for _, c := range present {
			cnt[c] = 0
		}
	}
	return credit
}

// nthTop is the n-th (from 0) of the item's labels, in declared order,
// whose count without the rater's own votes is max.
func nthTop(present []int32, cnt, own []int, max, n int) int32 {
	for _, c := range present {
		if cnt[c]-own[c] == max {
			if n == 0 {
				return c
			}
			n--
		}
	}
	return -1
}
