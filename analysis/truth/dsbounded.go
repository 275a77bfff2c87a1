package truth

import "math"

// dsBounded is the EM loop for many labels: it never holds an nRaters·q²
// table. Its state is one posterior row per "unit" (a multi-judgment item,
// or the group of single-judgment items judged l by r, which share one
// posterior) in two buffers, cur and next, plus nRaters·q column
// normalisers. A (rater, label) pair's soft counts S_rl(·) are recomputed
// from cur whenever needed (a q-vector of scratch):
//
//	pass 1 (M-step): S_rl for every pair → column sums C_r(k), priors,
//	                 the loss's joint term Σ S log max(S,ε) − Σ S_r log C_r
//	pass 2 (E-step): S_rl again → π_r(·,l) = max(S_rl,ε)/C_r, multiplied
//	                 into next of every unit judged l by r
//	finalize:        next normalised, log-likelihood, entropy, swap
//
// so a round costs O(m·q) for m judgments, and memory is
// O(q·(units + nRaters) + m). The arithmetic is dsDense's up to rounding
// (factors are multiplied in (rater, label) order rather than judgment
// order, counts summed per pair rather than per item).
func dsBounded(item, rater, label []int32, nItems, nRaters, q int, o DSOptions, ix index, gr *groups) dsCore {
	b := &bounded{q: q, alpha: o.Smoothing, gr: gr, label: label}
	if b.alpha == 0 {
		b.eps = ClipEps
	}
	nG := len(gr.gRater)

	// Units: multi items first, in item order, then one per group with
	// single-judgment items.
	unitOf := make([]int32, nItems)
	nMulti, nVoted := 0, 0
	for i := 0; i < nItems; i++ {
		unitOf[i] = -1
		n := ix.start[i+1] - ix.start[i]
		if n > 0 {
			nVoted++
		}
		if n > 1 {
			unitOf[i] = int32(nMulti)
			nMulti++
		}
	}
	b.nVoted = nVoted
	nUnits := nMulti
	singleUnit := make([]int32, nG)
	var singleW []float64
	for g := 0; g < nG; g++ {
		singleUnit[g] = -1
		ns := 0
		for _, j := range gr.jud[gr.start[g]:gr.start[g+1]] {
			if it := item[j]; ix.start[it+1]-ix.start[it] == 1 {
				unitOf[it] = int32(nUnits)
				ns++
			}
		}
		if ns > 0 {
			singleUnit[g] = int32(nUnits)
			nUnits++
			singleW = append(singleW, float64(ns))
		}
	}
	b.unitW = make([]float64, nUnits)
	for u := range b.unitW {
		if u < nMulti {
			b.unitW[u] = 1
		} else {
			b.unitW[u] = singleW[u-nMulti]
		}
	}
	b.eStart = make([]int32, nG+1)
	b.eUnit = make([]int32, 0, len(item))
	for g := 0; g < nG; g++ {
		for _, j := range gr.jud[gr.start[g]:gr.start[g+1]] {
			if u := unitOf[item[j]]; u < int32(nMulti) && u >= 0 {
				b.eUnit = append(b.eUnit, u)
			}
		}
		if u := singleUnit[g]; u >= 0 {
			b.eUnit = append(b.eUnit, u)
		}
		b.eStart[g+1] = int32(len(b.eUnit))
	}

	// Initial posteriors.
	b.cur = make([]float64, nUnits*q)
	b.next = make([]float64, nUnits*q)
	for i := 0; i < nItems; i++ {
		u := unitOf[i]
		if u < 0 || u >= int32(nMulti) {
			continue
		}
		t := b.cur[int(u)*q : int(u+1)*q]
		startPosterior(t, ix.order[ix.start[i]:ix.start[i+1]], label, o.Init)
	}
	for g, u := range singleUnit {
		if u >= 0 {
			b.cur[int(u)*q+int(label[gr.jud[gr.start[g]]])] = 1
		}
	}
	b.pcnt = make([]float64, q)
	for u := 0; u < nUnits; u++ {
		for k, x := range b.cur[u*q : (u+1)*q] {
			b.pcnt[k] += b.unitW[u] * x
		}
	}
	b.nf = make([]int32, nUnits)
	b.lsc = make([]float64, nUnits)
	b.colInv = make([]float64, nRaters*q)
	b.pr, b.pE = make([]float64, q), make([]float64, q)
	b.s, b.e = make([]float64, q), make([]float64, q)
	b.sc1 = newBScratch(q)
	if b.par = len(b.eUnit)*q >= boundedParallelCells; b.par {
		b.sc2 = newBScratch(q)
		b.pcnt2 = make([]float64, q)
	}

	c := dsCore{ll: make([]float64, 0, o.MaxIter), loss: make([]float64, 0, o.MaxIter)}
	nJ := float64(len(item))
	b.mstep() // θ₁
	for it := 0; it < o.MaxIter; it++ {
		for k, p := range b.pr {
			b.pE[k] = max(p, b.eps)
		}
		b.estep()
		L, H := b.finalize()
		c.ll = append(c.ll, L)
		b.cur, b.next = b.next, b.cur
		joint, pen := b.mstep()
		c.loss = append(c.loss, (joint+H+pen)/nJ)
		c.iterations = it + 1
		if stopped(c.loss, o.Tol) {
			c.converged = true
			break
		}
	}

	// Posteriors per item, in next's room when it has enough.
	var post []float64
	switch {
	case nMulti == nItems:
		post = b.cur // unit i is item i
	case len(b.next) >= nItems*q:
		post = b.next[:nItems*q]
		clear(post)
	default:
		b.next = nil
		post = make([]float64, nItems*q)
	}
	if nMulti != nItems {
		for i, u := range unitOf {
			if u >= 0 {
				copy(post[i*q:(i+1)*q], b.cur[int(u)*q:int(u+1)*q])
			}
		}
	}
	c.post = post
	return c
}

// boundedParallelCells is how many (unit judgment, class) cells make the
// bounded path's M-step and finalisation worth two goroutines.
var boundedParallelCells = 1 << 22

type bounded struct {
	q, nVoted  int
	alpha, eps float64
	gr         *groups
	label      []int32
	// eUnit[eStart[g]:eStart[g+1]] are the units judged in group g (a
	// multi item once per judgment); unitW[u] is a unit's number of items.
	eStart, eUnit []int32
	unitW         []float64
	cur, next     []float64
	pcnt          []float64 // Σ_u unitW[u]·cur[u]
	nf            []int32   // factors in next[u] since its last rescale
	lsc           []float64 // log of next[u]'s scale
	colInv        []float64 // [r*q+k] 1/C_r(k)
	maxC          float64
	pr, pE        []float64
	s, e          []float64
	sc1, sc2      bscratch
	// par: mstep and finalize run in two fixed halves on two goroutines.
	par   bool
	pcnt2 []float64
}

// sumRow sets s to S_g = Σ of the posteriors (in cur) of group g's units.
func (b *bounded) sumRow(g int, s []float64) {
	q := b.q
	clear(s)
	for _, u := range b.eUnit[b.eStart[g]:b.eStart[g+1]] {
		w := b.unitW[u]
		row := b.cur[int(u)*q : int(u+1)*q]
		if w == 1 {
			for k, x := range row {
				s[k] += x
			}
			continue
		}
		for k, x := range row {
			s[k] += w * x
		}
	}
}

// mstep is pass 1: θ from cur (colInv, pr, maxC), and the loss terms that
// need θ: the joint expectation Σ_{r,l,k} S log π + Σ_k Jₖ log max(pₖ,ε)
// (Jₖ = Σ_{r,l} S_rl(k); under smoothing Σ_k pcntₖ log pₖ) and, under
// smoothing, the log-prior penalty.
func (b *bounded) mstep() (joint, pen float64) {
	q, alpha, eps := b.q, b.alpha, b.eps
	nr := len(b.gr.rStart) - 1
	var j2, p2, m2 float64
	split := nr
	var done chan struct{}
	if b.par {
		// Raters in two halves of about equal judgments; the second on its
		// own goroutine with its own scratch. The split is fixed by the data,
		// so every run gives the same bits.
		half := int32(len(b.gr.jud) / 2)
		for split = 0; split < nr && b.gr.start[b.gr.rStart[split]] < half; split++ {
		}
		done = make(chan struct{})
		go func() {
			defer close(done)
			j2, p2, m2 = b.mstepRaters(split, nr, &b.sc2)
		}()
	}
	joint, pen, b.maxC = b.mstepRaters(0, split, &b.sc1)
	jk := b.sc1.jk
	if done != nil {
		<-done
		joint, pen, b.maxC = joint+j2, pen+p2, max(b.maxC, m2)
		for k, x := range b.sc2.jk {
			jk[k] += x
		}
	}
	for k := range b.pr {
		if alpha == 0 {
			b.pr[k] = b.pcnt[k] / float64(b.nVoted)
			joint += jk[k] * math.Log(max(b.pr[k], eps)) // per judgment, as Crowd-Kit
			continue
		}
		b.pr[k] = (b.pcnt[k] + alpha) / (float64(b.nVoted) + float64(q)*alpha)
		pen += math.Log(b.pr[k])
		joint += b.pcnt[k] * math.Log(b.pr[k]) // per item: the MAP objective
	}
	return joint, alpha * pen
}

// bscratch is one goroutine's scratch of mstep.
type bscratch struct{ s, ss, cs, jk []float64 }

func newBScratch(q int) bscratch {
	return bscratch{make([]float64, q), make([]float64, q), make([]float64, q), make([]float64, q)}
}

// mstepRaters is mstep's work for raters [r0, r1): their colInv, and
// their share of the joint term, the penalty (before ·α), maxC and sc.jk.
func (b *bounded) mstepRaters(r0, r1 int, sc *bscratch) (joint, pen, maxC float64) {
	q, alpha, eps := b.q, b.alpha, b.eps
	logEps := logClipEps
	gr := b.gr
	clear(sc.jk)
	for r := r0; r < r1; r++ {
		ga, gb := int(gr.rStart[r]), int(gr.rStart[r+1])
		if ga == gb {
			continue
		}
		clear(sc.ss)
		clear(sc.cs)
		for g := ga; g < gb; g++ {
			b.sumRow(g, sc.s)
			for k, x := range sc.s {
				sc.ss[k] += x
				sc.jk[k] += x
				if alpha == 0 {
					if x < eps {
						sc.cs[k] += eps
						joint += x * logEps
					} else {
						sc.cs[k] += x
						joint += x * fastLog(x)
					}
					continue
				}
				lf := fastLog(x + alpha)
				joint += x * lf
				pen += lf
			}
		}
		nUsed := float64(gb - ga)
		inv := b.colInv[r*q : (r+1)*q]
		for k := range inv {
			C := sc.cs[k]
			if alpha > 0 {
				C = sc.ss[k] + float64(q)*alpha
			}
			lc := fastLog(C)
			joint -= sc.ss[k] * lc
			inv[k] = 1 / C
			maxC = max(maxC, C)
			if alpha > 0 {
				pen += (float64(q)-nUsed)*(math.Log(alpha)-lc) - nUsed*lc
			}
		}
	}
	return joint, pen, maxC
}

// estep is pass 2: next[u] = pE ⊙ Π over u's judgments of π(·, l), with
// π recomputed per group from cur and colInv.
func (b *bounded) estep() {
	q, alpha, eps := b.q, b.alpha, b.eps
	fmin := eps
	if alpha > 0 {
		fmin = alpha
	}
	span := int32(min(rescaleSpan(fmin/b.maxC), math.MaxInt32))
	for u := range b.nf {
		copy(b.next[u*q:(u+1)*q], b.pE)
	}
	clear(b.nf)
	clear(b.lsc)
	gr := b.gr
	for g := 0; g < len(gr.gRater); g++ {
		b.sumRow(g, b.s)
		r := int(gr.gRater[g])
		inv := b.colInv[r*q : (r+1)*q]
		e := b.e
		for k, x := range b.s {
			if alpha == 0 {
				x = max(x, eps)
			} else {
				x += alpha
			}
			e[k] = x * inv[k]
		}
		for _, u := range b.eUnit[b.eStart[g]:b.eStart[g+1]] {
			row := b.next[int(u)*q : int(u+1)*q]
			for k, x := range e {
				row[k] *= x
			}
			if b.nf[u]++; b.nf[u] >= span {
				mx := row[0]
				for _, v := range row[1:] {
					mx = max(mx, v)
				}
				b.lsc[u] += math.Log(mx)
				im := 1 / mx
				for k := range row {
					row[k] *= im
				}
				b.nf[u] = 0
			}
		}
	}
}

// finalize normalises next, recounts pcnt from it and returns the
// log-likelihood and the (clipped, under maximum likelihood) entropy of
// the new posteriors.
func (b *bounded) finalize() (L, H float64) {
	n := len(b.unitW)
	if !b.par {
		clear(b.pcnt)
		return b.finalizeUnits(0, n, b.pcnt)
	}
	var L2, H2 float64
	clear(b.pcnt2)
	done := make(chan struct{})
	go func() {
		defer close(done)
		L2, H2 = b.finalizeUnits(n/2, n, b.pcnt2)
	}()
	clear(b.pcnt)
	L, H = b.finalizeUnits(0, n/2, b.pcnt)
	<-done
	for k, x := range b.pcnt2 {
		b.pcnt[k] += x
	}
	return L + L2, H + H2
}

// finalizeUnits is finalize for units [u0, u1), adding to pcnt.
func (b *bounded) finalizeUnits(u0, u1 int, pcnt []float64) (L, H float64) {
	q, eps := b.q, b.eps
	epsLogEps := xlogx(eps)
	for u := u0; u < u1; u++ {
		w := b.unitW[u]
		row := b.next[u*q : (u+1)*q]
		var z float64
		for _, v := range row {
			z += v
		}
		L += w * (math.Log(z) + b.lsc[u])
		inv := 1 / z
		var h float64
		for k, v := range row {
			t := v * inv
			row[k] = t
			pcnt[k] += w * t
			if t <= eps {
				h += epsLogEps
			} else {
				h += t * fastLog(t)
			}
		}
		H -= w * h
	}
	return L, H
}
