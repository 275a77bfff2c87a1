package truth

import (
	"math"
	"sort"
)

// Defaults of DSOptions.
const (
	DefaultMaxIter   = 100
	DefaultTol       = 1e-7
	DefaultSmoothing = 0.01
)

// DSInit selects the starting posterior of Dawid-Skene.
type DSInit int

const (
	// InitVoteShares starts from each item's vote shares,
	// Tᵢₖ = #{votes for k}/#{votes}: the soft majority-vote posterior, in
	// which tied labels get equal mass (Dawid & Skene 1979, §4; crowd-kit's
	// MajorityVote probabilities).
	InitVoteShares DSInit = iota
	// InitMajority starts from the hard majority vote, with the mass of a
	// k-way tie split 1/k over the tied labels.
	InitMajority
)

// DSOptions tune DawidSkene. A nil *DSOptions means every default
// (DefaultMaxIter, DefaultTol, DefaultSmoothing, InitVoteShares).
type DSOptions struct {
	// MaxIter caps the EM rounds (one round = M-step + E-step);
	// 0 means DefaultMaxIter.
	MaxIter int
	// Tol stops EM once a round raises the objective by no more than
	// Tol·|objective|; 0 runs all MaxIter rounds. Negative means DefaultTol.
	Tol float64
	// Smoothing is the Dirichlet pseudo-count α added to every confusion
	// cell and every class count in the M-step; 0 means DefaultSmoothing.
	// It must not be negative.
	Smoothing float64
	// Init is the starting posterior.
	Init DSInit
}

// DSResult is the outcome of DawidSkene.
type DSResult struct {
	Q, NRaters int
	// Posterior[i*Q+k] = P(true label of item i is k | judgments). An item
	// without judgments gets the class priors.
	Posterior []float64
	// Label is each item's most probable label (first in declared order on
	// an exact tie), -1 for an item without judgments.
	Label []int32
	// Prior[k] is the estimated share of class k.
	Prior []float64
	// Confusion[(r*Q+k)*Q+l] = πᵣ(k,l) = P(rater r gives l | true label k).
	Confusion []float64
	// RaterAccuracy[r] = Σₖ Prior[k]·πᵣ(k,k): the probability that rater r
	// labels a random item correctly (NaN for a rater without judgments).
	RaterAccuracy []float64
	// RaterExpectedAccuracy[r] = Σ_{j∈r} Posterior[item[j], label[j]] / nᵣ:
	// the expected share of rater r's own judgments that are correct.
	RaterExpectedAccuracy []float64
	// LogLik[t] is the observed-data log-likelihood
	// Σᵢ log Σₖ pₖ Π_{j∈i} πᵣⱼ(k, lⱼ) at round t's parameters.
	LogLik []float64
	// Objective[t] = LogLik[t] + α Σᵣₖₗ log πᵣ(k,l) + α Σₖ log pₖ, the
	// log-posterior (up to a constant) that EM with smoothing α maximises;
	// it never decreases from one round to the next.
	Objective []float64
	// Iterations is the number of rounds run; Converged whether Tol stopped
	// them before MaxIter.
	Iterations int
	Converged  bool
	// Options are the options used, defaults filled in.
	Options DSOptions
}

// DawidSkene estimates true labels, class priors and every rater's
// confusion matrix by EM (Dawid & Skene 1979). With Tᵢₖ the posterior of
// class k for item i and α the smoothing pseudo-count, each round is
//
//	M-step:  pₖ       = (Σᵢ Tᵢₖ + α) / (#items + qα)
//	         πᵣ(k,l)  = (Σ_{j: rater r, label l} T_{item j,k} + α)
//	                    / (Σ_{j: rater r} T_{item j,k} + qα)
//	E-step:  log Tᵢₖ  = log pₖ + Σ_{j∈i} log πᵣⱼ(k,lⱼ) − logΣexpₖ(…)
//
// The E-step forms each item's pₖ Πⱼ πᵣⱼ(k,lⱼ) in linear space, rescaled by
// its maximum at least every ⌊600/−log min π⌋ judgments with the scales'
// logs summed apart: the log-space recursion up to rounding (a log-space
// reference agrees within 1e-9 on six crowd data sets), without an Exp per
// class and item, which halves the run time. "#items" counts items with at
// least one judgment. EM starts from the majority-vote posterior (opt.Init) and stops
// after MaxIter rounds or when a round raises the objective by at most
// Tol·|objective|. Every row is a judgment, so duplicate (item, rater) rows
// enter the likelihood as independent judgments.
//
// Items with exactly one judgment (one row: two rows by the same rater make
// two judgments) are handled in groups: all such items whose judgment is
// label l by rater r share the posterior pₖ πᵣ(k,l) / Σₖ(…), so each round
// computes it once per (r, l) and adds it, its log normaliser and its
// counts n_rl times over; their Posterior rows are filled once, after the
// last round. This is the per-item computation up to the rounding of the
// sums (counts and LogLik), and makes a round cost O(nRaters·q²) for them
// however many there are.
//
// Smoothing: α (default 0.01) is a symmetric Dirichlet(α+1) prior on every
// row of every confusion matrix and on the priors, so the M-step is a MAP
// step, no probability is ever 0 and log 0 never occurs; Objective, not
// LogLik, is the quantity EM guarantees not to decrease.
//
// Source: A. P. Dawid and A. M. Skene (1979), "Maximum likelihood estimation
// of observer error-rates using the EM algorithm", JRSS Series C (Applied
// Statistics) 28(1):20–28.
//
// Cost: O(m₂ · q + nRaters · q²) per round, m₂ being the judgments on items
// with at least two, over flat arrays, with no allocation inside the loop;
// O(#judgments + nItems · q) once. opt may be nil. It panics on the input
// errors of WeightedMajorityVote, or a negative Smoothing.
func DawidSkene(item, rater, label []int32, nItems, nRaters, q int, opt *DSOptions) DSResult {
	return dawidSkene(item, rater, label, nItems, nRaters, q, opt, true)
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
	if o.Smoothing < 0 {
		panic("truth: negative Dawid-Skene smoothing")
	}
	if o.Smoothing == 0 {
		o.Smoothing = DefaultSmoothing
	}
	alpha := o.Smoothing
	ix := buildIndex(item, nil, nItems, 0)
	qq := q * q
	nGroups := nRaters * q // (rater, label) pairs; group g = r*q+l

	// Items with one judgment go to nSingle[g] (when grouped); the others,
	// the "multi" items, are kept in compact item order: multi item x has
	// the judgments mStart[x]..mStart[x+1] of mOff and is item mItem[x].
	// mOff[p] = (r*q+l)*q is the start of rater r's column for label l,
	// indexed by true k, in π (and in w, cnt).
	nMulti, mJudg := 0, 0
	for i := 0; i < nItems; i++ {
		if n := int(ix.start[i+1] - ix.start[i]); n > 1 || (n == 1 && !grouped) {
			nMulti++
			mJudg += n
		}
	}
	nSingle := make([]float64, nGroups)
	mStart := make([]int32, 1, nMulti+1)
	mItem := make([]int32, 0, nMulti)
	mOff := make([]int32, 0, mJudg)

	res := DSResult{
		Q: q, NRaters: nRaters,
		Posterior:             make([]float64, nItems*q),
		Label:                 make([]int32, nItems),
		Prior:                 make([]float64, q),
		Confusion:             make([]float64, nRaters*qq),
		RaterAccuracy:         make([]float64, nRaters),
		RaterExpectedAccuracy: make([]float64, nRaters),
		Options:               o,
	}
	post := res.Posterior
	cnt := make([]float64, nRaters*qq) // [r][l][k] soft counts
	pi := make([]float64, nRaters*qq)  // [r][l][k] π_r(k,l)
	w := make([]float64, nRaters*qq)   // [r][l][k] pₖ·π_r(k,l)
	pr := make([]float64, q)
	pcnt := make([]float64, q)
	rowSum := make([]float64, q) // scratch of mstep and singleEStep
	s := make([]float64, q)
	nVoted := 0

	// Initial posterior from the majority vote, accumulated into counts. A
	// single judgment's is 1 on its label under either Init.
	for i := 0; i < nItems; i++ {
		a, b := ix.start[i], ix.start[i+1]
		if a == b {
			continue
		}
		nVoted++
		if b-a == 1 && grouped {
			j := ix.order[a]
			nSingle[int(rater[j])*q+int(label[j])]++
			continue
		}
		mItem = append(mItem, int32(i))
		for _, j := range ix.order[a:b] {
			mOff = append(mOff, int32((int(rater[j])*q+int(label[j]))*q))
		}
		mStart = append(mStart, int32(len(mOff)))
		t := s
		clear(t)
		for _, j := range ix.order[a:b] {
			t[label[j]]++
		}
		if o.Init == InitMajority {
			max, k := topSet(t, 0)
			for c := range t {
				if t[c] == max {
					t[c] = 1 / float64(k)
				} else {
					t[c] = 0
				}
			}
		} else {
			n := float64(b - a)
			for c := range t {
				t[c] /= n
			}
		}
		accumulate(cnt, pcnt, mOff[len(mOff)-int(b-a):], t)
	}
	for g, n := range nSingle {
		if n > 0 {
			l := g % q
			cnt[g*q+l] += n
			pcnt[l] += n
		}
	}

	estep := newParallelEStep(w, pi, mStart, mOff, mItem, q, len(cnt))
	ll := make([]float64, 0, o.MaxIter)
	obj := make([]float64, 0, o.MaxIter)
	for it := 0; it < o.MaxIter; it++ {
		// M-step: parameters from counts.
		penalty := mstep(cnt, pi, pcnt, pr, rowSum, nRaters, q, nVoted, alpha)
		// E-step, fused with the next round's count accumulation.
		priorTimesPi(w, pi, pr)
		clear(cnt)
		clear(pcnt)
		L := singleEStep(cnt, pcnt, w, nSingle, rowSum)
		L += estep.run(cnt, pcnt, s, rescaleSpan(pi), nil)
		ll = append(ll, L)
		obj = append(obj, L+penalty)
		res.Iterations = it + 1
		if o.Tol > 0 && it > 0 && obj[it]-obj[it-1] <= o.Tol*math.Abs(obj[it]) {
			res.Converged = true
			break
		}
	}
	res.LogLik, res.Objective = ll, obj

	// Posteriors of the last E-step (pi, pr and w are still its
	// parameters): the same arithmetic again, this time stored.
	estep.run(nil, nil, s, rescaleSpan(pi), post)
	for g, n := range nSingle {
		if n > 0 {
			singlePosterior(w[g*q:(g+1)*q], w[g*q:(g+1)*q]) // in place: w is not needed again
		}
	}
	for i := 0; i < nItems; i++ {
		if a := ix.start[i]; ix.start[i+1]-a == 1 && grouped {
			j := ix.order[a]
			g := int(rater[j])*q + int(label[j])
			copy(post[i*q:(i+1)*q], w[g*q:(g+1)*q])
		}
	}

	// Report the parameters of the last E-step.
	copy(res.Prior, pr)
	for r := 0; r < nRaters; r++ {
		for l := 0; l < q; l++ {
			for k := 0; k < q; k++ {
				res.Confusion[(r*q+k)*q+l] = pi[(r*q+l)*q+k]
			}
		}
	}
	nr := make([]float64, nRaters)
	for j, it := range item {
		r := rater[j]
		nr[r]++
		res.RaterExpectedAccuracy[r] += post[int(it)*q+int(label[j])]
	}
	for r := 0; r < nRaters; r++ {
		if nr[r] == 0 {
			res.RaterAccuracy[r] = math.NaN()
			res.RaterExpectedAccuracy[r] = math.NaN()
			continue
		}
		res.RaterExpectedAccuracy[r] /= nr[r]
		var a float64
		for k := 0; k < q; k++ {
			a += res.Prior[k] * res.Confusion[(r*q+k)*q+k]
		}
		res.RaterAccuracy[r] = a
	}
	for i := 0; i < nItems; i++ {
		t := post[i*q : (i+1)*q]
		if ix.start[i] == ix.start[i+1] {
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
	return res
}

// priorTimesPi sets w[(r*q+l)*q+k] = pr[k]·π[(r*q+l)*q+k]: the unnormalised
// posterior of an item judged l by r alone, and the first factor of every
// item's product (pr[k]·π₁ is the product's first step in either form).
func priorTimesPi(w, pi, pr []float64) {
	q := len(pr)
	for g := 0; g+q <= len(pi); g += q {
		wg, pg := w[g:g+q], pi[g:g+q]
		for k, p := range pr {
			wg[k] = p * pg[k]
		}
	}
}

// rescaleSpan is the number of judgments after which the E-step rescales an
// item's product: span factors >= min π keep its maximum, 1 after a
// rescale, above e^−600 (times the smallest prior), far from underflow.
func rescaleSpan(pi []float64) int {
	minPi := 1.0
	for _, v := range pi {
		minPi = min(minPi, v)
	}
	if lmin := -math.Log(minPi); lmin > 0 {
		return int(max(1, min(600/lmin, math.MaxInt32)))
	}
	return math.MaxInt32
}

// singlePosterior sets t to the normalised u and returns the normaliser
// Σu; t may be u. multiEStep normalises with the same arithmetic (z summed
// in class order, then ·1/z), so a single judgment's posterior is the same
// bit for bit in either path.
func singlePosterior(t, u []float64) float64 {
	var z float64
	for _, v := range u {
		z += v
	}
	inv := 1 / z
	t = t[:len(u)]
	for k, v := range u {
		t[k] = v * inv
	}
	return z
}

// singleEStep is the E-step of the items with a single judgment, nSingle[g]
// of them in group g = r*q+l, all with posterior w[g] normalised: it adds
// that posterior nSingle[g] times to the counts and returns the groups'
// share of the log-likelihood, Σ_g nSingle[g]·log Σₖ w[g*q+k]. tq, of
// length q, is scratch.
func singleEStep(cnt, pcnt, w, nSingle, tq []float64) float64 {
	q := len(tq)
	var L float64
	for g, n := range nSingle {
		if n == 0 {
			continue
		}
		z := singlePosterior(tq, w[g*q:(g+1)*q])
		L += n * math.Log(z)
		c := cnt[g*q : (g+1)*q]
		for k, v := range tq {
			v *= n
			c[k] += v
			pcnt[k] += v
		}
	}
	return L
}

// parallelMinJudgments is how many judgments of multi-judgment items make
// the E-step worth two goroutines.
var parallelMinJudgments = 1 << 16

// parallelEStep runs multiEStep over the multi items in two halves, the
// second on its own goroutine with its own counts, added to the first's
// afterwards. The split is fixed by the data, so results do not depend on
// scheduling; they differ from one pass in the last bits of the sums. In
// app/metrics Dawid-Skene runs beside agreement and the votes, finishes last,
// and was the only work left for its last fifth: the second half uses the
// core that frees.
type parallelEStep struct {
	w, pi             []float64
	start, off, items []int32
	split             int // multi items [0, split) and [split, n); 0: one pass
	cnt2, pcnt2, s2   []float64
}

func newParallelEStep(w, pi []float64, start, off, items []int32, q, nCnt int) *parallelEStep {
	e := &parallelEStep{w: w, pi: pi, start: start, off: off, items: items}
	if n := len(off); n >= parallelMinJudgments {
		// The item whose judgments reach half of them.
		e.split = sort.Search(len(start)-1, func(x int) bool { return int(start[x]) >= n/2 })
		e.cnt2, e.pcnt2, e.s2 = make([]float64, nCnt), make([]float64, q), make([]float64, q)
	}
	return e
}

// run is multiEStep over every multi item (see there for cnt, pcnt, post).
func (e *parallelEStep) run(cnt, pcnt, s []float64, span int, post []float64) float64 {
	if e.split == 0 {
		return multiEStep(cnt, pcnt, e.w, e.pi, s, e.start, e.off, e.items, span, post)
	}
	var c2, p2 []float64
	if post == nil {
		clear(e.cnt2)
		clear(e.pcnt2)
		c2, p2 = e.cnt2, e.pcnt2
	}
	var L2 float64
	done := make(chan struct{})
	go func() {
		defer close(done)
		L2 = multiEStep(c2, p2, e.w, e.pi, e.s2, e.start[e.split:], e.off, e.items[e.split:], span, post)
	}()
	L := multiEStep(cnt, pcnt, e.w, e.pi, s, e.start[:e.split+1], e.off, e.items[:e.split], span, post)
	<-done
	if post == nil {
		for i, v := range c2 {
			cnt[i] += v
		}
		for k, v := range p2 {
			pcnt[k] += v
		}
	}
	return L + L2
}

// multiEStep is the per-item E-step of the items in compact form (item x
// has judgments start[x]..start[x+1] of off, offsets into pi and w). Each
// item's product pₖ Πⱼ πᵣⱼ(k,lⱼ) is formed in linear space, starting from
// w of its first judgment, and rescaled by its maximum (the scale's log
// kept aside) at least every span judgments, so that the maximum cannot
// underflow (see rescaleSpan). This is the log-space recursion up to
// rounding, without an Exp per class and item. It returns the items' share
// of the log-likelihood. With post == nil it adds each posterior to the
// counts cnt and pcnt of its judgments; otherwise it only stores it in
// post[items[x]*q:], counts untouched.
func multiEStep(cnt, pcnt, w, pi, s []float64, start, off, items []int32, span int, post []float64) float64 {
	q := len(s)
	var L float64
	prod, nprod := 1.0, 0
	for x := 0; x+1 < len(start); x++ {
		a, b := int(start[x]), int(start[x+1])
		// s = w of the first judgment times π of the second, in one pass
		// (when the first span holds two), then the other factors.
		wa := w[off[a]:]
		wa = wa[:q]
		s = s[:q]
		c := a + 1
		if b-a >= 2 && span >= 2 {
			row := pi[off[a+1]:]
			row = row[:q]
			for k, v := range wa {
				s[k] = v * row[k]
			}
			c++
		} else {
			for k, v := range wa { // a call to memmove costs more
				s[k] = v
			}
		}
		for e := min(b, a+span); ; c, e = e, min(b, e+span) {
			for _, of := range off[c:e] {
				row := pi[of:]
				row = row[:len(s)]
				for k, x := range row {
					s[k] *= x
				}
			}
			if e == b {
				break
			}
			// Rescale before the next span.
			mx := s[0]
			for _, v := range s[1:] {
				mx = max(mx, v)
			}
			L += math.Log(mx)
			inv := 1 / mx
			for k := range s {
				s[k] *= inv
			}
		}
		var z float64
		for _, v := range s {
			z += v
		}
		// L += log z, batched: z >= 1e-30 is multiplied into prod, which
		// is folded into L (one Log) after 32 items or once it drops
		// below 1e-250, so it stays within [1e-280, q³²].
		if z < 1e-30 {
			L += math.Log(z)
		} else {
			prod *= z
			if nprod++; nprod == 32 || prod < 1e-250 {
				L += math.Log(prod)
				prod, nprod = 1, 0
			}
		}
		// The posterior is s[k]·inv, as in singlePosterior; it is added to
		// the counts without being stored first (float64() forbids fusing
		// the product into the sum, which would round differently).
		inv := 1 / z
		if post != nil {
			i := int(items[x])
			t := post[i*q : (i+1)*q]
			for k, v := range s {
				t[k] = v * inv
			}
			continue
		}
		for _, o := range off[a:b] {
			row := cnt[o:]
			row = row[:len(s)]
			for k, v := range s {
				row[k] += float64(v * inv)
			}
		}
		pcnt = pcnt[:len(s)]
		for k, v := range s {
			pcnt[k] += float64(v * inv)
		}
	}
	return L + math.Log(prod)
}

// accumulate adds posterior t to the soft counts of an item's judgments.
func accumulate(cnt, pcnt []float64, offs []int32, t []float64) {
	for _, o := range offs {
		row := cnt[o:]
		row = row[:len(t)]
		for k, x := range t {
			row[k] += x
		}
	}
	pcnt = pcnt[:len(t)]
	for k, x := range t {
		pcnt[k] += x
	}
}

// mstep turns soft counts into parameters, π in layout [r][l][k], and
// returns the log-prior penalty α(Σ log π + Σ log p). The logs of the q²
// smoothed counts of a rater are taken four at a time from their product
// (each factor lies in [α, #judgments + α], so four of them stay finite for
// α >= 1e-50; below that, one at a time).
func mstep(cnt, pi, pcnt, pr, inv []float64, nRaters, q, nVoted int, alpha float64) float64 {
	var pen float64
	qa := float64(q) * alpha
	den := float64(nVoted) + qa
	for k := range pr {
		pr[k] = (pcnt[k] + alpha) / den
		pen += math.Log(pr[k])
	}
	batch := 4
	if alpha < 1e-50 {
		batch = 1
	}
	qq := q * q
	for r := 0; r < nRaters; r++ {
		c := cnt[r*qq : (r+1)*qq]
		p := pi[r*qq : (r+1)*qq]
		clear(inv)
		for l := 0; l < q; l++ {
			row := c[l*q : (l+1)*q]
			for k, x := range row {
				inv[k] += x
			}
		}
		for k := range inv {
			d := inv[k] + qa
			pen -= float64(q) * math.Log(d)
			inv[k] = 1 / d
		}
		prod, n := 1.0, 0
		for x, v := range c {
			v += alpha
			p[x] = v * inv[x%q]
			prod *= v
			if n++; n == batch {
				pen += math.Log(prod)
				prod, n = 1, 0
			}
		}
		pen += math.Log(prod)
	}
	return alpha * pen
}

// GoldAccuracy scores the most probable labels against gold on gold items
// with at least one judgment; it is LabelAccuracy(r.Label, gold).
func (r *DSResult) GoldAccuracy(gold []int32) Accuracy {
	return LabelAccuracy(r.Label, gold)
}
