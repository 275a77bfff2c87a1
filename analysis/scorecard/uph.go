package scorecard

import (
	"cmp"
	"math"
	"slices"
)

type uphSum struct {
	n    int
	secs float64
}

// UnitsPerHour returns annotations per active hour for one reviewer's
// submission times (seconds, any order; NaN entries are ignored) and the
// time one item takes them, pad (seconds):
//
//	sort t; a gap t[k+1] − t[k] > SessionGap (600 s) ends a session
//	active = Σ_sessions (last − first + pad)
//	UPH    = #submissions / (active / 3600)
//
// A session's first item was being worked on before its submission, which
// last − first misses; pad adds that one item back (and makes a session of
// one submission last pad, not 0). Groups uses as pad the reviewer's median
// duration_s when they have any, else the median of their gaps of at most
// SessionGap, else 0. This definition is LabelQA's (there is no standard);
// it counts idle time under 10 minutes as working time. It returns the
// number of timed submissions and the active seconds; UPH is NaN when active
// time is 0.
func UnitsPerHour(t []float64, pad float64) (uph float64, n int, activeSecs float64) {
	s := make([]float64, 0, len(t))
	for _, x := range t {
		if !math.IsNaN(x) {
			s = append(s, x)
		}
	}
	slices.Sort(s)
	n, activeSecs = len(s), sessionSeconds(s, pad)
	uph = math.NaN()
	if activeSecs > 0 {
		uph = float64(n) / (activeSecs / 3600)
	}
	return uph, n, activeSecs
}

// sessionSeconds is the active time of sorted submission times.
func sessionSeconds(s []float64, pad float64) float64 {
	if len(s) == 0 {
		return 0
	}
	var secs float64
	first := s[0]
	for k := 1; k <= len(s); k++ {
		if k == len(s) || s[k]-s[k-1] > SessionGap {
			secs += s[k-1] - first + pad
			if k < len(s) {
				first = s[k]
			}
		}
	}
	return secs
}

// countingSort returns idx stably sorted by key[idx[k]] (keys 0..nKeys-1).
func countingSort(idx, key []int32, nKeys int) []int32 {
	start := make([]int32, nKeys+1)
	for _, j := range idx {
		start[key[j]+1]++
	}
	for k := 0; k < nKeys; k++ {
		start[k+1] += start[k]
	}
	out := make([]int32, len(idx))
	for _, j := range idx {
		k := key[j]
		out[start[k]] = j
		start[k]++
	}
	return out
}

// runs calls f with the submission times, sorted, of every run of
// consecutive entries of order that share (group, rater). sorted says that
// order already lists each run in time order.
func runs(order []int32, group, rater []int32, at []float64, sorted bool, f func(g, r int32, times []float64)) {
	times := make([]float64, 0, 64)
	for a := 0; a < len(order); {
		g, r := group[order[a]], rater[order[a]]
		times = times[:0]
		b := a
		for b < len(order) && group[order[b]] == g && rater[order[b]] == r {
			times = append(times, at[order[b]])
			b++
		}
		if !sorted {
			slices.Sort(times)
		}
		f(g, r, times)
		a = b
	}
}

// timed returns the judgments with a known submission time (and, with
// group, a group >= 0), sorted by (group, rater) by counting sorts, and
// whether each (group, rater) run is in time order (with in.TimeOrder).
func timed(in *Input, group []int32, nGroups int) ([]int32, bool) {
	if in.TimeOrder != nil {
		// Stable sorts keep the (rater, time) order within each group.
		idx := in.TimeOrder
		if group != nil {
			idx = make([]int32, 0, len(in.TimeOrder))
			for _, j := range in.TimeOrder {
				if group[j] >= 0 {
					idx = append(idx, j)
				}
			}
			idx = countingSort(idx, group, nGroups)
		}
		return idx, true
	}
	idx := make([]int32, 0, len(in.Item))
	for j, t := range in.SubmittedAt {
		if !math.IsNaN(t) && (group == nil || group[j] >= 0) {
			idx = append(idx, int32(j))
		}
	}
	idx = countingSort(idx, in.Rater, in.NRaters)
	if group != nil {
		idx = countingSort(idx, group, nGroups)
	}
	return idx, false
}

// timeOrder is every judgment with a known submission time, sorted by
// (rater, time), ties in judgment order.
func timeOrder(in *Input) []int32 {
	idx := make([]int32, 0, len(in.Item))
	for j, t := range in.SubmittedAt {
		if !math.IsNaN(t) {
			idx = append(idx, int32(j))
		}
	}
	idx = countingSort(idx, in.Rater, in.NRaters)
	// Then each rater's judgments by time: small sorts of (time, index)
	// pairs, which stay in cache.
	var seg []timeIdx
	for a := 0; a < len(idx); {
		b := a
		for b < len(idx) && in.Rater[idx[b]] == in.Rater[idx[a]] {
			b++
		}
		seg = seg[:0]
		for _, j := range idx[a:b] {
			seg = append(seg, timeIdx{in.SubmittedAt[j], j})
		}
		slices.SortFunc(seg, func(x, y timeIdx) int {
			if c := cmp.Compare(x.t, y.t); c != 0 {
				return c
			}
			return cmp.Compare(x.j, y.j)
		})
		for k, e := range seg {
			idx[a+k] = e.j
		}
		a = b
	}
	return idx
}

type timeIdx struct {
	t float64
	j int32
}

// raterPads returns each rater's pad: median duration_s, else median
// in-session gap, else 0.
func raterPads(in *Input) []float64 {
	pads := make([]float64, in.NRaters)
	have := make([]bool, in.NRaters)
	if in.Duration != nil {
		idx := make([]int32, 0, len(in.Item))
		for j, d := range in.Duration {
			if !math.IsNaN(d) {
				idx = append(idx, int32(j))
			}
		}
		// Each rater's median duration, by selection: no sort needed.
		idx = countingSort(idx, in.Rater, in.NRaters)
		durs := make([]float64, 0, 64)
		for a := 0; a < len(idx); {
			r := in.Rater[idx[a]]
			durs = durs[:0]
			b := a
			for ; b < len(idx) && in.Rater[idx[b]] == r; b++ {
				durs = append(durs, in.Duration[idx[b]])
			}
			pads[r] = quantileUnsorted(0.5, durs)
			have[r] = true
			a = b
		}
	}
	// Only raters without a duration need their submission gaps: filter
	// before sorting a million timestamps for nothing.
	idx, sorted := timed(in, nil, 0)
	keep := make([]int32, 0, len(idx)) // idx may be in.TimeOrder: never written
	for _, j := range idx {
		if !have[in.Rater[j]] {
			keep = append(keep, j)
		}
	}
	var gaps []float64
	runs(keep, in.Rater, in.Rater, in.SubmittedAt, sorted, func(_, r int32, times []float64) {
		gaps = gaps[:0]
		for k := 1; k < len(times); k++ {
			if g := times[k] - times[k-1]; g <= SessionGap {
				gaps = append(gaps, g)
			}
		}
		slices.Sort(gaps)
		if len(gaps) > 0 {
			pads[r] = Quantile(0.5, gaps)
		}
	})
	return pads
}

// unitsPerHour sums, per group, the timed annotations and active seconds of
// every (group, rater) pair's sessions. A pair whose active time is 0 adds
// nothing (neither its annotations nor its time), so it cannot inflate UPH.
func unitsPerHour(in *Input, group []int32, nGroups int) []uphSum {
	if len(in.SubmittedAt) != len(in.Item) {
		panic("scorecard: SubmittedAt differs in length")
	}
	if in.Duration != nil && len(in.Duration) != len(in.Item) {
		panic("scorecard: Duration differs in length")
	}
	pads := in.Pads
	if pads == nil {
		pads = raterPads(in)
	}
	out := make([]uphSum, nGroups)
	order, sorted := timed(in, group, nGroups)
	runs(order, group, in.Rater, in.SubmittedAt, sorted, func(g, r int32, times []float64) {
		if secs := sessionSeconds(times, pads[r]); secs > 0 {
			out[g].n += len(times)
			out[g].secs += secs
		}
	})
	return out
}
