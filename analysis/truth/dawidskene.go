package truth

import (
	"math"
	"slices"
	"sort"
)

// Defaults of DSOptions: those of Crowd-Kit's DawidSkene (n_iter=100,
// tol=1e-5).
const (
	DefaultMaxIter = 100
	DefaultTol     = 1e-5
)

// ClipEps is the floor of maximum-likelihood Dawid-Skene (Smoothing 0):
// every confusion cell of a (rater, given label) pair that occurs, every
// prior in the E-step and every posterior in the loss's entropy term is
// raised to at least ClipEps, as Crowd-Kit's _EPS = 10⁻¹⁰ does.
const ClipEps = 1e-10

// DSInit selects the starting posterior of Dawid-Skene.
type DSInit int

const (
	// InitVoteShares starts from each item's vote shares,
	// Tᵢₖ = #{votes for k}/#{votes}: the soft majority-vote posterior, in
	// which tied labels get equal mass (Dawid & Skene 1979, §4; Crowd-Kit's
	// MajorityVote().fit_predict_proba).
	InitVoteShares DSInit = iota
	// InitMajority starts from the hard majority vote, with the mass of a
	// k-way tie split 1/k over the tied labels.
	InitMajority
)

// DSOptions tune DawidSkene. A nil *DSOptions means every default
// (DefaultMaxIter, DefaultTol, Smoothing 0, InitVoteShares): Crowd-Kit's
// DawidSkene(n_iter=100, tol=1e-5).
type DSOptions struct {
	// MaxIter caps the EM rounds (one round = E-step + M-step);
	// 0 means DefaultMaxIter.
	MaxIter int
	// Tol stops EM after the first round (from the second on) whose Loss
	// rose by less than Tol over the previous round's, as Crowd-Kit's tol;
	// 0 runs all MaxIter rounds. Negative means DefaultTol.
	Tol float64
	// Smoothing is 0 for maximum likelihood (Crowd-Kit), or a Dirichlet
	// pseudo-count α > 0 added to every confusion cell and class count in
	// the M-step (a MAP step). It must not be negative.
	Smoothing float64
	// Init is the starting posterior.
	Init DSInit
}

// DSResult is the outcome of DawidSkene.
type DSResult struct {
	Q, NRaters int
	// Posterior[i*Q+k] = P(true label of item i is k | judgments), from the
	// last E-step. An item without judgments gets the class priors. Under
	// maximum likelihood a label nobody gave is no class (posterior 0), as
	// in Crowd-Kit, whose classes are the labels in its data.
	Posterior []float64
	// Label is each item's most probable label (first in declared order on
	// an exact tie), -1 for an item without judgments.
	Label []int32
	// Prior[k] is the estimated share of class k: the mean posterior over
	// the items with judgments (plus α, under smoothing).
	Prior []float64
	// RaterAccuracy[r] = Σₖ Prior[k]·Confusion(r, k, k): the probability that
	// rater r labels a random item correctly (NaN for a rater without
	// judgments).
	RaterAccuracy []float64
	// RaterExpectedAccuracy[r] = Σ_{j∈r} Posterior[item[j], label[j]] / nᵣ:
	// the expected share of rater r's own judgments that are correct.
	RaterExpectedAccuracy []float64
	// LogLik[t] is the observed-data log-likelihood
	// Σᵢ log Σₖ pₖ Π_{j∈i} πᵣⱼ(k, lⱼ) at the parameters of round t's E-step.
	LogLik []float64
	// Loss[t] is Crowd-Kit's loss_history_: the evidence lower bound of round
	// t's posteriors T and the parameters θ of the M-step that follows,
	// divided by the number of judgments,
	//
	//	( Σⱼ Σₖ T_{item j,k} (log π_{rater j}(k, label j) + log max(pₖ, ε))
	//	  − Σᵢ Σₖ max(Tᵢₖ, ε) log max(Tᵢₖ, ε) ) / #judgments
	//
	// (ε = ClipEps). Crowd-Kit adds log p once per judgment, not once per
	// item, so this is not quite an evidence lower bound and may decrease.
	// Under smoothing it is the MAP objective EM never decreases: ε = 0, log
	// p once per item, plus the log-prior penalty α(Σ log π + Σ log p). Tol
	// is tested on it.
	Loss []float64
	// Iterations is the number of rounds run; Converged whether Tol stopped
	// them before MaxIter.
	Iterations int
	Converged  bool
	// Options are the options used, defaults filled in.
	Options DSOptions

	fin *dsFinal
}

// DawidSkene estimates true labels, class priors and every rater's
// confusion matrix by EM (Dawid & Skene 1979), step for step as Crowd-Kit's
// DawidSkene (Ustalov et al. 2024; version 1.4.1, commit 35f0661). With
// Tᵢₖ the posterior of class k for item i, S_rl(k) = Σ_{j: rater r, label
// l} T_{item j,k} and ε = ClipEps:
//
//	start:   Tᵢₖ = vote shares of item i (opt.Init), then one M-step
//	M-step:  pₖ      = Σᵢ Tᵢₖ / #items
//	         πᵣ(k,l) = max(S_rl(k), ε) / Σ_{l'∈Lᵣ} max(S_rl'(k), ε)   for l ∈ Lᵣ
//	E-step:  log Tᵢₖ = log max(pₖ, ε) + Σ_{j∈i} log πᵣⱼ(k,lⱼ) − logΣexpₖ(…)
//	round:   E-step, M-step, Loss; stop when Loss gained less than Tol
//
// where Lᵣ is the set of labels rater r gave (πᵣ(k,l) = 0 for the others:
// Crowd-Kit has no row for them) and the classes are the labels given at
// least once. Items without judgments take no part ("#items" counts the
// others). Every row is a judgment, so duplicate (item, rater) rows count
// as independent judgments. The reported Prior, confusion matrices and
// RaterAccuracy are those of the M-step after the last E-step, as
// Crowd-Kit's priors_ and errors_.
//
// With Smoothing α > 0 the M-step is instead the MAP step of a symmetric
// Dirichlet(α+1) prior on every confusion row and on the priors, over all q
// declared labels: pₖ = (Σᵢ Tᵢₖ + α)/(#items + qα), πᵣ(k,l) = (S_rl(k) +
// α)/(Σ_{l'} S_rl'(k) + qα), no clipping.
//
// The E-step forms each item's pₖ Πⱼ πᵣⱼ(k,lⱼ) in linear space, rescaled by
// its maximum often enough that it cannot underflow, with the scales' logs
// summed apart: the log-space recursion up to rounding, without an Exp per
// class and item. Items with exactly one judgment are handled in groups:
// all such items judged l by r share one posterior.
//
// Memory: while nRaters·q² is at most denseMaxCells, the parameters are
// dense arrays of nRaters·q² cells (the fastest layout, O(m·q) per round
// for m judgments). Beyond that, nothing of size nRaters·q² is ever held:
// the M-step is folded into the E-step, which keeps two posteriors per
// multi-judgment item (and per single-judgment group) and recomputes each
// (rater, label) pair's counts from them, O(q·(units + nRaters)) memory and
// O(m·q) time per round. Both give the same numbers up to rounding.
//
// Sources: A. P. Dawid and A. M. Skene (1979), "Maximum likelihood
// estimation of observer error-rates using the EM algorithm", JRSS Series C
// (Applied Statistics) 28(1):20–28; D. Ustalov, N. Pavlichenko and B.
// Tseitlin (2024), "Learning from Crowds with Crowd-Kit", JOSS 9(96):6227,
// crowdkit/aggregation/classification/dawid_skene.py.
//
// opt may be nil. It panics on the input errors of WeightedMajorityVote, or
// a negative Smoothing.
func DawidSkene(item, rater, label []int32, nItems, nRaters, q int, opt *DSOptions) DSResult {
	return dawidSkene(item, rater, label, nItems, nRaters, q, opt, true)
}

// denseMaxCells is the largest nRaters·q² for which DawidSkene keeps dense
// parameter arrays (six of them: 48 MB at this size). The tests lower it
// to run the bounded path on small data.
var denseMaxCells = 1 << 20

// dsCore is what either EM loop returns: posteriors over the q classes it
// was given (rows of items without judgments unset), the per-round traces.
type dsCore struct {
	post       []float64
	ll, loss   []float64
	iterations int
	converged  bool
	// colInv[r*q+k] and diag[r*q+k] = πᵣ(k,k) of the M-step after the last
	// E-step, when the loop has them (dense path); else finish recomputes
	// them from the posteriors.
	colInv, diag []float64
}

// dawidSkene is DawidSkene; grouped = false sends the single-judgment items
// through the per-item E-step too (the tests compare the two paths).
func dawidSkene(item, rater, label []int32, nItems, nRaters, q int, opt *DSOptions, grouped bool) DSResult {
	check(item, rater, label, nItems, nRaters, q)
	o := DSOptions{Tol: DefaultTol}
	if opt != nil {
		o = *opt
	}
	if o.MaxIter <= 0 {
		o.MaxIter = DefaultMaxIter
	}
	if o.Tol < 0 {
		o.Tol = DefaultTol
	}
	if o.Smoothing < 0 || math.IsNaN(o.Smoothing) {
		panic("truth: negative Dawid-Skene smoothing")
	}
	ml := o.Smoothing == 0

	// Classes: under maximum likelihood the labels given at least once,
	// renumbered in declared order; under smoothing all q.
	active := make([]bool, q)
	qa := q
	lab := label
	if ml {
		for _, l := range label {
			active[l] = true
		}
		code := make([]int32, q)
		qa = 0
		for k, a := range active {
			code[k] = int32(qa)
			if a {
				qa++
			}
		}
		if qa < q && qa > 0 {
			lab = make([]int32, len(label))
			for j, l := range label {
				lab[j] = code[l]
			}
		}
	} else {
		for k := range active {
			active[k] = true
		}
	}

	res := DSResult{Q: q, NRaters: nRaters, Options: o}
	gr := buildGroups(rater, label, nRaters)
	var c dsCore
	if qa > 0 {
		ix := buildIndex(item, nil, nItems, 0)
		if nRaters*qa*qa <= denseMaxCells {
			c = dsDense(item, rater, lab, nItems, nRaters, qa, o, grouped, ix)
		} else {
			c = dsBounded(item, rater, lab, nItems, nRaters, qa, o, ix, gr)
		}
	}
	res.LogLik, res.Loss = c.ll, c.loss
	res.Iterations, res.Converged = c.iterations, c.converged
	if qa == q {
		res.Posterior = c.post
	} else {
		res.Posterior = make([]float64, nItems*q)
		if qa > 0 {
			for i := 0; i < nItems; i++ {
				src, dst := c.post[i*qa:(i+1)*qa], res.Posterior[i*q:(i+1)*q]
				x := 0
				for k, a := range active {
					if a {
						dst[k] = src[x]
						x++
					}
				}
			}
		}
		c.post = nil
	}
	res.finish(item, rater, label, nItems, active, gr, &c, qa)
	return res
}

// groups are the judgments sorted by (rater, label): group g is the
// judgments jud[start[g]:start[g+1]], all by rater gRater[g] with label
// gLabel[g]; rater r's groups are rStart[r]..rStart[r+1].
type groups struct {
	start, jud     []int32
	gRater, gLabel []int32
	rStart         []int32
}

// buildGroups sorts the judgments by (rater, label), each group in
// judgment order: two stable counting sorts (by label, then by rater), in
// O(m + q + nRaters) time and memory.
func buildGroups(rater, label []int32, nRaters int) *groups {
	m := len(rater)
	q := 0
	for _, l := range label {
		q = max(q, int(l)+1)
	}
	byLabel := make([]int32, m)
	ls := make([]int32, q+1)
	for _, l := range label {
		ls[l+1]++
	}
	for k := 0; k < q; k++ {
		ls[k+1] += ls[k]
	}
	for j, l := range label {
		byLabel[ls[l]] = int32(j)
		ls[l]++
	}
	ls = nil
	rs := make([]int32, nRaters+1)
	for _, r := range rater {
		rs[r+1]++
	}
	for r := 0; r < nRaters; r++ {
		rs[r+1] += rs[r]
	}
	jud := make([]int32, m)
	pos := slices.Clone(rs[:nRaters])
	for _, j := range byLabel {
		r := rater[j]
		jud[pos[r]] = j
		pos[r]++
	}
	byLabel, pos = nil, nil
	g := &groups{jud: jud, rStart: make([]int32, nRaters+1)}
	for r := 0; r < nRaters; r++ {
		g.rStart[r] = int32(len(g.gRater))
		for x := rs[r]; x < rs[r+1]; {
			y := x + 1
			for y < rs[r+1] && label[jud[y]] == label[jud[x]] {
				y++
			}
			g.start = append(g.start, x)
			g.gRater = append(g.gRater, int32(r))
			g.gLabel = append(g.gLabel, label[jud[x]])
			x = y
		}
	}
	g.rStart[nRaters] = int32(len(g.gRater))
	g.start = append(g.start, int32(m))
	return g
}

// find returns the group of (r, l), or -1.
func (g *groups) find(r, l int) int {
	a, b := int(g.rStart[r]), int(g.rStart[r+1])
	x := a + sort.Search(b-a, func(i int) bool { return int(g.gLabel[a+i]) >= l })
	if x < b && int(g.gLabel[x]) == l {
		return x
	}
	return -1
}

// dsFinal holds what Confusion needs: the final M-step's column
// normalisers, recomputed from Posterior.
type dsFinal struct {
	item   []int32
	gr     *groups
	active []bool
	colInv []float64 // [r*q+k]: 1/Σ_l f(S_rl(k)); 0 for a rater without judgments
	alpha  float64
}

// f is the M-step's cell value of a soft count: max(s, ε) or s + α.
func (d *dsFinal) f(s float64) float64 {
	if d.alpha == 0 {
		return max(s, ClipEps)
	}
	return s + d.alpha
}

// finish fills Prior, the final M-step (kept for Confusion),
// RaterAccuracy, RaterExpectedAccuracy, Label, and the posterior of items
// without judgments, from Posterior.
func (res *DSResult) finish(item, rater, label []int32, nItems int, active []bool, gr *groups, c *dsCore, qa int) {
	q, nRaters := res.Q, res.NRaters
	alpha := res.Options.Smoothing
	post := res.Posterior
	res.Prior = make([]float64, q)
	res.Label = make([]int32, nItems)
	res.RaterAccuracy = make([]float64, nRaters)
	res.RaterExpectedAccuracy = make([]float64, nRaters)
	voted := make([]bool, nItems)
	for _, it := range item {
		voted[it] = true
	}
	nVoted := 0
	for i, v := range voted {
		if v {
			nVoted++
			for k, x := range post[i*q : (i+1)*q] {
				res.Prior[k] += x
			}
		}
	}
	for k := range res.Prior {
		switch {
		case nVoted == 0:
			res.Prior[k] = 1 / float64(q)
		case alpha == 0:
			res.Prior[k] /= float64(nVoted)
		default:
			res.Prior[k] = (res.Prior[k] + alpha) / (float64(nVoted) + float64(q)*alpha)
		}
	}

	// The M-step after the last E-step: column sums of every rater's
	// confusion cells, and the diagonal.
	d := &dsFinal{item: item, gr: gr, active: active, colInv: make([]float64, nRaters*q), alpha: alpha}
	s := make([]float64, q)
	colSum := make([]float64, q)
	diag := make([]float64, q)
	for r := 0; r < nRaters; r++ {
		a, b := int(gr.rStart[r]), int(gr.rStart[r+1])
		if a == b {
			res.RaterAccuracy[r] = math.NaN()
			continue
		}
		if c.diag != nil {
			inv := d.colInv[r*q : (r+1)*q]
			var acc float64
			x := r * qa
			for k, ok := range active {
				if ok {
					inv[k] = c.colInv[x]
					acc += res.Prior[k] * c.diag[x]
					x++
				}
			}
			res.RaterAccuracy[r] = acc
			continue
		}
		clear(colSum)
		for k := range diag {
			diag[k] = d.f(0)
			if alpha == 0 {
				diag[k] = 0 // no row for a label r never gave
			}
		}
		for g := a; g < b; g++ {
			clear(s)
			for _, j := range gr.jud[gr.start[g]:gr.start[g+1]] {
				row := post[int(item[j])*q:]
				for k, x := range row[:q] {
					s[k] += x
				}
			}
			for k, x := range s {
				if alpha == 0 {
					colSum[k] += max(x, ClipEps)
				} else {
					colSum[k] += x
				}
			}
			diag[gr.gLabel[g]] = d.f(s[gr.gLabel[g]])
		}
		inv := d.colInv[r*q : (r+1)*q]
		var acc float64
		for k := range inv {
			if alpha > 0 {
				colSum[k] += float64(q) * alpha
			}
			if !active[k] {
				continue
			}
			inv[k] = 1 / colSum[k]
			acc += res.Prior[k] * diag[k] * inv[k]
		}
		res.RaterAccuracy[r] = acc
	}
	res.fin = d

	nr := make([]float64, nRaters)
	for j, it := range item {
		r := rater[j]
		nr[r]++
		res.RaterExpectedAccuracy[r] += post[int(it)*q+int(label[j])]
	}
	for r := range nr {
		if nr[r] == 0 {
			res.RaterExpectedAccuracy[r] = math.NaN()
		} else {
			res.RaterExpectedAccuracy[r] /= nr[r]
		}
	}
	for i := 0; i < nItems; i++ {
		t := post[i*q : (i+1)*q]
		if !voted[i] {
			copy(t, res.Prior)
			res.Label[i] = -1
			continue
		}
		best := 0
		for k := 1; k < q; k++ {
			if t[k] > t[best] {
				best = k
			}
		}
		res.Label[i] = int32(best)
	}
}

// Confusion returns πᵣ(k, l) = P(rater gives label l | true label k) of the
// M-step after the last E-step (Crowd-Kit's errors_). Under maximum
// likelihood it is 0 for a label l the rater never gave or a class k nobody
// gave, and NaN for a rater without judgments. It is computed on demand
// from Posterior, in O(judgments of (rater, l)): no nRaters·q² table is
// kept. It panics on codes out of range.
func (res *DSResult) Confusion(rater, k, l int) float64 {
	q := res.Q
	if rater < 0 || rater >= res.NRaters || k < 0 || k >= q || l < 0 || l >= q {
		panic("truth: Confusion code out of range")
	}
	d := res.fin
	if d.gr.rStart[rater] == d.gr.rStart[rater+1] {
		if d.alpha > 0 {
			return 1 / float64(q)
		}
		return math.NaN()
	}
	if !d.active[k] || !d.active[l] {
		return 0
	}
	g := d.gr.find(rater, l)
	if g < 0 {
		if d.alpha > 0 {
			return d.alpha * d.colInv[rater*q+k]
		}
		return 0
	}
	var s float64
	for _, j := range d.gr.jud[d.gr.start[g]:d.gr.start[g+1]] {
		s += res.Posterior[int(d.item[j])*q+k]
	}
	return d.f(s) * d.colInv[rater*q+k]
}

// GoldAccuracy scores the most probable labels against gold on gold items
// with at least one judgment; it is LabelAccuracy(r.Label, gold).
func (r *DSResult) GoldAccuracy(gold []int32) Accuracy {
	return LabelAccuracy(r.Label, gold)
}

// xlogx is x·log x, 0 at 0.
func xlogx(x float64) float64 {
	if x == 0 {
		return 0
	}
	return x * math.Log(x)
}

// clipCorr is x·log x − ε·log ε for 0 <= x < ε = ClipEps: what the entropy
// of Crowd-Kit's loss, −Σ max(x,ε)·log max(x,ε), has beyond the plain
// −Σ x·log x. Confident items have many such cells, so log x is fastLog's
// table with two terms of the series (absolute error below 3e-8 on log x,
// so below 3e-18 on the term: under the rounding of the loss's sums).
func clipCorr(x float64) float64 {
	b := math.Float64bits(x)
	e := int(b >> 52 & 0x7ff)
	if e == 0 { // 0 or subnormal
		return xlogx(x) - clipEpsLogEps
	}
	mant := b & (1<<52 - 1)
	i := mant >> 44
	d := (1 + float64(mant)*(1.0/(1<<52)) - logTabM[i]) * logTabInv[i]
	return x*(float64(e-1023)*math.Ln2+logTabLog[i]+d*(1-0.5*d)) - clipEpsLogEps
}

// fastLog is math.Log for x > 0, within a few units in the last place:
// x's binary exponent, a 256-entry table of the log of its mantissa's
// leading bits, and log(1+d) for the rest, |d| < 1/256, to d⁶ (truncation
// below 1e-17). The loss takes a log of every posterior and count cell;
// math.Log made that most of a round's time. Subnormal x goes to math.Log.
func fastLog(x float64) float64 {
	b := math.Float64bits(x)
	e := int(b >> 52 & 0x7ff)
	if e == 0 || e == 0x7ff {
		return math.Log(x)
	}
	mant := b & (1<<52 - 1)
	i := mant >> 44
	m := 1 + float64(mant)*(1.0/(1<<52))
	d := (m - logTabM[i]) * logTabInv[i]
	p := d * (1 - d*(1.0/2-d*(1.0/3-d*(1.0/4-d*(1.0/5-d*(1.0/6))))))
	return float64(e-1023)*math.Ln2 + (logTabLog[i] + p)
}

// logTabM[i] = 1 + i/256, logTabLog its log, logTabInv its inverse.
var logTabM, logTabLog, logTabInv [256]float64

func init() {
	for i := range logTabM {
		m := 1 + float64(i)/256
		logTabM[i], logTabLog[i], logTabInv[i] = m, math.Log(m), 1/m
	}
}

var logClipEps = math.Log(ClipEps)
var clipEpsLogEps = ClipEps * logClipEps

// stopped is Crowd-Kit's test: the loss gained less than tol.
func stopped(loss []float64, tol float64) bool {
	n := len(loss)
	return tol > 0 && n >= 2 && loss[n-1]-loss[n-2] < tol
}
