package truth

import (
	"math"
	"sort"
)

// dsDense is the EM loop over dense parameter arrays, π in layout
// [r][l][k] (rater r's column for given label l, indexed by true k).
//
// Items with one judgment go to nSingle[g] (when grouped), g = r*q+l; the
// others, the "multi" items, are kept in compact item order: multi item x
// has the judgments mStart[x]..mStart[x+1] of mOff and is item mItem[x].
// mOff[p] = (r*q+l)*q is the start of rater r's column for label l in π
// (and in w, cnt).
//
// A round is: E-step with θₜ (posteriors added straight into the soft
// counts cnt, never stored), M-step θₜ₊₁ from cnt, Loss. The loss's entropy
// term comes from the identity H(T) = Σᵢ log zᵢ − Σₖ (Σᵢ Tᵢₖ) log pₖ −
// Σ_{r,l,k} S_rl(k) log πᵣ(k,l) over θₜ (plus the clipping correction the
// E-step sums), so a round takes no log per item. The posteriors of the
// last E-step are computed once more at the end, with its parameters (kept
// in the second buffers), and stored.
func dsDense(item, rater, label []int32, nItems, nRaters, q int, o DSOptions, grouped bool, ix index) dsCore {
	alpha := o.Smoothing
	eps := 0.0
	if alpha == 0 {
		eps = ClipEps
	}
	qq := q * q
	nGroups := nRaters * q
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
	used := make([]bool, nGroups) // rater r gave label l
	for j, r := range rater {
		used[int(r)*q+int(label[j])] = true
	}

	post := make([]float64, nItems*q)
	cnt := make([]float64, nRaters*qq) // [r][l][k] soft counts S_rl(k)
	pi := make([]float64, nRaters*qq)  // [r][l][k] πᵣ(k,l) of θₜ₊₁
	piB := make([]float64, nRaters*qq) // … of θₜ
	lpi := make([]float64, nRaters*qq) // log π on used cells, else 0
	lpiB := make([]float64, nRaters*qq)
	w := make([]float64, nRaters*qq) // [r][l][k] pE[k]·πᵣ(k,l)
	pr, prB := make([]float64, q), make([]float64, q)
	pE, pEB := make([]float64, q), make([]float64, q)
	pcnt := make([]float64, q)
	scratch := make([]float64, 2*q)
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
		startPosterior(t, ix.order[a:b], label, o.Init)
		accumulate(cnt, pcnt, mOff[len(mOff)-int(b-a):], t)
	}
	for g, n := range nSingle {
		if n > 0 {
			l := g % q
			cnt[g*q+l] += n
			pcnt[l] += n
		}
	}

	m := denseMStep{q: q, nRaters: nRaters, nVoted: nVoted, alpha: alpha, used: used, scratch: scratch,
		colInv: make([]float64, nRaters*q)}
	minPi, _ := m.run(cnt, pcnt, pi, lpi, pr) // θ₁
	estep := newParallelEStep(w, pi, mStart, mOff, mItem, q, len(cnt))
	jk := make([]float64, q)
	nJ := float64(len(item))
	c := dsCore{ll: make([]float64, 0, o.MaxIter), loss: make([]float64, 0, o.MaxIter)}
	spanB := 0
	for it := 0; it < o.MaxIter; it++ {
		// E-step with θₜ.
		for k, p := range pr {
			pE[k] = max(p, eps)
		}
		span := rescaleSpan(minPi)
		priorTimesPi(w, pi, pE)
		estep.w, estep.pi = w, pi
		clear(cnt)
		clear(pcnt)
		L, corr := singleEStep(cnt, pcnt, w, nSingle, s, eps)
		L2, corr2 := estep.run(cnt, pcnt, s, span, nil, eps)
		L, corr = L+L2, corr+corr2
		c.ll = append(c.ll, L)
		// M-step θₜ₊₁; θₜ moves to the B buffers.
		pi, piB = piB, pi
		lpi, lpiB = lpiB, lpi
		pr, prB = prB, pr
		pE, pEB = pEB, pE
		spanB = span
		var pen float64
		minPi, pen = m.run(cnt, pcnt, pi, lpi, pr)
		// Loss: joint Σ S log πₜ₊₁ + Σ Jₖ log pₜ₊₁ (pcnt for MAP), entropy
		// L − Σ pcnt log pEₜ − Σ S log πₜ + corr.
		var x float64
		clear(jk)
		for g := 0; g < len(cnt); g += q {
			cg := cnt[g : g+q]
			a, b := lpi[g:g+q], lpiB[g:g+q]
			for k, v := range cg {
				if v != 0 {
					x += v * (a[k] - b[k])
					jk[k] += v
				}
			}
		}
		for k := range jk {
			// Crowd-Kit adds log p once per judgment; the MAP objective once
			// per item.
			if alpha == 0 {
				x += jk[k] * math.Log(max(pr[k], eps))
			} else {
				x += pcnt[k] * math.Log(pr[k])
			}
			x -= pcnt[k] * math.Log(pEB[k])
		}
		c.loss = append(c.loss, (x+L+corr+pen)/nJ)
		c.iterations = it + 1
		if stopped(c.loss, o.Tol) {
			c.converged = true
			break
		}
	}

	// Posteriors of the last E-step, with its parameters θₜ (B buffers):
	// the same arithmetic again, this time stored.
	priorTimesPi(w, piB, pEB)
	estep.w, estep.pi = w, piB
	estep.run(nil, nil, s, spanB, post, 0)
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
	c.post = post
	// θₜ₊₁ for the report: pi holds the M-step after the last E-step.
	c.colInv = m.colInv
	c.diag = make([]float64, nRaters*q)
	for r := 0; r < nRaters; r++ {
		for k := 0; k < q; k++ {
			c.diag[r*q+k] = pi[(r*q+k)*q+k]
		}
	}
	return c
}

// denseMStep turns soft counts into dense parameters.
type denseMStep struct {
	q, nRaters, nVoted int
	alpha              float64
	used               []bool // [r*q+l]
	scratch            []float64
	colInv             []float64 // [r*q+k]: 1/column sum, of the last run
}

// run sets pr and π (layout [r][l][k]) from the counts, and log π on the
// cells of used (rater, label) pairs, and returns the smallest π on those
// cells (the only ones an E-step multiplies) and, under smoothing, the log-prior penalty α(Σ log π + Σ log p)
// over the raters with judgments.
//
// Maximum likelihood (α = 0), as Crowd-Kit's _m_step: the cells of the
// pairs that occur are clipped to at least ClipEps, then every true-label
// column is divided by its sum over those pairs; the other cells are 0.
func (m *denseMStep) run(cnt, pcnt, pi, lpi, pr []float64) (minPi, pen float64) {
	q, qq, alpha := m.q, m.q*m.q, m.alpha
	colSum, logC := m.scratch[:q], m.scratch[q:2*q]
	minPi = 1.0
	if alpha == 0 {
		for k := range pr {
			pr[k] = pcnt[k] / float64(m.nVoted)
		}
	} else {
		den := float64(m.nVoted) + float64(q)*alpha
		for k := range pr {
			pr[k] = (pcnt[k] + alpha) / den
			pen += math.Log(pr[k])
		}
	}
	for r := 0; r < m.nRaters; r++ {
		u := m.used[r*q : (r+1)*q]
		nUsed := 0
		for _, x := range u {
			if x {
				nUsed++
			}
		}
		if nUsed == 0 {
			continue
		}
		c := cnt[r*qq : (r+1)*qq]
		p := pi[r*qq : (r+1)*qq]
		lp := lpi[r*qq : (r+1)*qq]
		clear(colSum)
		for l, ok := range u {
			if !ok {
				continue
			}
			for k, x := range c[l*q : (l+1)*q] {
				if alpha == 0 {
					x = max(x, ClipEps)
				}
				colSum[k] += x
			}
		}
		for k := range colSum {
			colSum[k] += float64(q) * alpha
			logC[k] = fastLog(colSum[k])
			colSum[k] = 1 / colSum[k]
		}
		copy(m.colInv[r*q:(r+1)*q], colSum)
		if alpha > 0 {
			// Cells of labels r never gave: α/(Σ + qα).
			for k := range colSum {
				pen += float64(q-nUsed) * (math.Log(alpha) - logC[k])
				pen -= float64(nUsed) * logC[k]
			}
		}
		for l, ok := range u {
			if !ok {
				if alpha > 0 {
					for k, inv := range colSum {
						p[l*q+k] = alpha * inv
					}
				}
				continue
			}
			row, prow, lrow := c[l*q:(l+1)*q], p[l*q:(l+1)*q], lp[l*q:(l+1)*q]
			for k, x := range row {
				if alpha == 0 {
					x = max(x, ClipEps)
				} else {
					x += alpha
				}
				v := x * colSum[k]
				prow[k] = v
				lx := logClipEps
				if x != ClipEps {
					lx = fastLog(x)
				}
				lrow[k] = lx - logC[k]
				if alpha > 0 {
					pen += lx
				}
				minPi = min(minPi, v)
			}
		}
	}
	return minPi, alpha * pen
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
// item's product, given the smallest factor minPi > 0 it can meet: span
// factors >= minPi keep its maximum, 1 after a rescale, above e^−600 (times
// the smallest prior), far from underflow.
func rescaleSpan(minPi float64) int {
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
// share of the log-likelihood, Σ_g nSingle[g]·log Σₖ w[g*q+k], and of the
// entropy's clipping correction (posteriors below eps; eps = 0: none). tq,
// of length q, is scratch.
func singleEStep(cnt, pcnt, w, nSingle, tq []float64, eps float64) (L, corr float64) {
	q := len(tq)
	for g, n := range nSingle {
		if n == 0 {
			continue
		}
		z := singlePosterior(tq, w[g*q:(g+1)*q])
		L += n * math.Log(z)
		c := cnt[g*q : (g+1)*q]
		for k, v := range tq {
			if v < eps {
				corr += n * clipCorr(v)
			}
			v *= n
			c[k] += v
			pcnt[k] += v
		}
	}
	return L, corr
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
func (e *parallelEStep) run(cnt, pcnt, s []float64, span int, post []float64, eps float64) (L, corr float64) {
	if e.split == 0 {
		return multiEStep(cnt, pcnt, e.w, e.pi, s, e.start, e.off, e.items, span, post, eps)
	}
	var c2, p2 []float64
	if post == nil {
		clear(e.cnt2)
		clear(e.pcnt2)
		c2, p2 = e.cnt2, e.pcnt2
	}
	var L2, corr2 float64
	done := make(chan struct{})
	go func() {
		defer close(done)
		L2, corr2 = multiEStep(c2, p2, e.w, e.pi, e.s2, e.start[e.split:], e.off, e.items[e.split:], span, post, eps)
	}()
	L, corr = multiEStep(cnt, pcnt, e.w, e.pi, s, e.start[:e.split+1], e.off, e.items[:e.split], span, post, eps)
	<-done
	if post == nil {
		for i, v := range c2 {
			cnt[i] += v
		}
		for k, v := range p2 {
			pcnt[k] += v
		}
	}
	return L + L2, corr + corr2
}

// multiEStep is the per-item E-step of the items in compact form (item x
// has judgments start[x]..start[x+1] of off, offsets into pi and w). Each
// item's product pₖ Πⱼ πᵣⱼ(k,lⱼ) is formed in linear space, starting from
// w of its first judgment, and rescaled by its maximum (the scale's log
// kept aside) at least every span judgments, so that the maximum cannot
// underflow (see rescaleSpan). This is the log-space recursion up to
// rounding, without an Exp per class and item. It returns the items' share
// of the log-likelihood. With post == nil it adds each posterior to the
// counts cnt and pcnt of its judgments, and returns in corr the entropy's
// clipping correction Σ clipCorr over posteriors below eps (eps = 0: none);
// otherwise it only stores it in post[items[x]*q:], counts untouched.
func multiEStep(cnt, pcnt, w, pi, s []float64, start, off, items []int32, span int, post []float64, eps float64) (L, corr float64) {
	q := len(s)
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
			t := float64(v * inv)
			pcnt[k] += t
			if t < eps {
				corr += clipCorr(t)
			}
		}
	}
	return L + math.Log(prod), corr
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
