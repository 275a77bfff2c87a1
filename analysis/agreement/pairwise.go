package agreement

import (
	"math"
	"slices"
	"sort"
)

// Pair is the agreement between two raters on the items both rated.
type Pair struct {
	A, B             int32 // rater codes, A < B
	Items            int   // items rated by both
	PercentAgreement float64
	CohenKappa       float64
}

// byItem is the judgments grouped by item (counting sort): the judgments of
// item i are rater[start[i]:start[i+1]], cat[start[i]:start[i+1]].
type byItem struct {
	start      []int32
	rater, cat []int32
}

func groupByItem(r *Ratings) *byItem {
	g := &byItem{start: make([]int32, r.NItems+1), rater: make([]int32, len(r.Item)), cat: make([]int32, len(r.Item))}
	for _, it := range r.Item {
		g.start[it+1]++
	}
	for i := 0; i < r.NItems; i++ {
		g.start[i+1] += g.start[i]
	}
	pos := make([]int32, r.NItems)
	copy(pos, g.start[:r.NItems])
	for j, it := range r.Item {
		p := pos[it]
		g.rater[p] = r.Rater[j]
		g.cat[p] = r.Cat[j]
		pos[it]++
	}
	return g
}

// Pairwise returns, for every pair of raters that share at least one item,
// the number of shared items, the (weighted) percent agreement and Cohen's
// (weighted) kappa on those items, sorted by (A, B).
//
//	pa = Σ_kl w_kl n_kl / n,   pe = Σ_kl w_kl n_k+ n_+l / n²,   κ = (pa - pe)/(1 - pe)
//
// n_kl counts shared items that A put in k and B in l. κ is NaN when pe = 1
// (both raters used one and the same category throughout). No standard
// errors: use CohenKappa on the pair's judgments for those.
// Source: Cohen (1960, 1968).
//
// One pass over items lists, for every co-rated item of every pair, the
// pair's (k, l) cell: P = Σ_i m_i(m_i-1)/2 entries. When the pairs' dense
// q×q tables would be small (pairs·q² at most max(4P, 2²⁰) cells) they are
// filled directly; otherwise (many categories) each pair's cells are sorted
// and only the cells that occur are counted, so memory is O(N + P + q) and
// time O(N + P log P + pairs·u·q') with u the distinct categories A used
// with B and q' = 1 unweighted, q weighted. Both give the same floating-point
// results (the sums run in the same order; skipped cells add exact zeros).
// weights nil means identity.
func Pairwise(r *Ratings, weights []float64) []Pair {
	r.validate()
	var w []float64
	if weights != nil {
		w = checkWeights(weights, r.NCats)
	}
	return pairwise(r, groupByItem(r), w)
}

// denseCellBudget is the smallest cell budget under which pairwise fills
// dense q×q tables (see Pairwise).
const denseCellBudget = 1 << 20

// pairCells lists the co-rated cells of every rater pair: pair p (raters
// keys[p], A < B) has the cells cell[start[p]:start[p+1]], each a·q + b.
type pairCells struct {
	keys  [][2]int32
	start []int
	cell  []int64
}

// collectPairs numbers the rater pairs that share an item in order of first
// occurrence and lists their cells (counting sort by pair).
func collectPairs(r *Ratings, g *byItem) *pairCells {
	q := int64(r.NCats)
	nr := r.NRaters
	var dense []int32
	var sparse map[int64]int32
	if nr <= 4096 {
		dense = make([]int32, nr*nr)
		for i := range dense {
			dense[i] = -1
		}
	} else {
		sparse = make(map[int64]int32)
	}
	pc := &pairCells{}
	var count []int
	id := func(a, b int32) int32 {
		var k int64
		var p int32
		ok := false
		if dense != nil {
			k = int64(a)*int64(nr) + int64(b)
			p = dense[k]
			ok = p >= 0
		} else {
			k = int64(a)*int64(nr) + int64(b)
			p, ok = sparse[k]
		}
		if !ok {
			p = int32(len(pc.keys))
			pc.keys = append(pc.keys, [2]int32{a, b})
			count = append(count, 0)
			if dense != nil {
				dense[k] = p
			} else {
				sparse[k] = p
			}
		}
		return p
	}
	// First pass: pair ids and cells per pair.
	total := 0
	for i := 0; i < r.NItems; i++ {
		lo, hi := g.start[i], g.start[i+1]
		for x := lo; x < hi; x++ {
			ax := g.rater[x]
			for y := x + 1; y < hi; y++ {
				ay := g.rater[y]
				if ax < ay {
					count[id(ax, ay)]++
				} else {
					count[id(ay, ax)]++
				}
				total++
			}
		}
	}
	pc.start = make([]int, len(pc.keys)+1)
	for p, c := range count {
		pc.start[p+1] = pc.start[p] + c
	}
	pos := count // reuse as write positions
	copy(pos, pc.start[:len(pc.keys)])
	pc.cell = make([]int64, total)
	for i := 0; i < r.NItems; i++ {
		lo, hi := g.start[i], g.start[i+1]
		for x := lo; x < hi; x++ {
			ax, cx := g.rater[x], int64(g.cat[x])
			for y := x + 1; y < hi; y++ {
				ay, cy := g.rater[y], int64(g.cat[y])
				var p int32
				var cell int64
				if ax < ay {
					p, cell = id(ax, ay), cx*q+cy
				} else {
					p, cell = id(ay, ax), cy*q+cx
				}
				pc.cell[pos[p]] = cell
				pos[p]++
			}
		}
	}
	return pc
}

// pairwise computes Pairwise; w nil means identity.
func pairwise(r *Ratings, g *byItem, w []float64) []Pair {
	pc := collectPairs(r, g)
	q := r.NCats
	var out []Pair
	if cells := int64(len(pc.keys)) * int64(q) * int64(q); cells <= int64(max(4*len(pc.cell), denseCellBudget)) {
		out = pairwiseDense(pc, q, w)
	} else {
		out = pairwiseSparse(pc, q, w)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].A != out[j].A {
			return out[i].A < out[j].A
		}
		return out[i].B < out[j].B
	})
	return out
}

// pairKappa finishes one pair from n, Σ w n_kl and Σ w n_k+ n_+l.
func pairKappa(k [2]int32, n, pa, pe float64) Pair {
	pa /= n
	pe /= n * n
	kappa := nan
	if pe < 1 {
		kappa = (pa - pe) / (1 - pe)
	}
	return Pair{A: k[0], B: k[1], Items: int(n), PercentAgreement: pa, CohenKappa: kappa}
}

// pairwiseDense fills one q×q table per pair (small q·pairs only).
func pairwiseDense(pc *pairCells, q int, w []float64) []Pair {
	if w == nil {
		w = identityWeights(q)
	}
	qq := q * q
	tb := make([]int32, qq)
	out := make([]Pair, len(pc.keys))
	row := make([]float64, q)
	col := make([]float64, q)
	for p, k := range pc.keys {
		clear(tb)
		for _, c := range pc.cell[pc.start[p]:pc.start[p+1]] {
			tb[c]++
		}
		clear(row)
		clear(col)
		n, pa := 0.0, 0.0
		for a := 0; a < q; a++ {
			for b := 0; b < q; b++ {
				c := float64(tb[a*q+b])
				n += c
				row[a] += c
				col[b] += c
				pa += w[a*q+b] * c
			}
		}
		pe := 0.0
		for a := 0; a < q; a++ {
			if row[a] == 0 {
				continue
			}
			for b := 0; b < q; b++ {
				pe += w[a*q+b] * row[a] * col[b]
			}
		}
		out[p] = pairKappa(k, n, pa, pe)
	}
	return out
}

// pairwiseSparse counts only the cells that occur, per pair, after sorting
// them. The sums equal pairwiseDense's bit for bit: pa runs over the cells in
// row-major order and the cells skipped would add w·0 = ±0; pe runs over the
// used rows a in order and, weighted, over every b as the dense loop does
// (unweighted only b = a is non-zero). A non-finite weight on a cell that
// did not occur makes the dense w·0 term NaN, so then pa is NaN, as there.
func pairwiseSparse(pc *pairCells, q int, w []float64) []Pair {
	nonFinite := 0
	for _, v := range w {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			nonFinite++
		}
	}
	out := make([]Pair, len(pc.keys))
	row := make([]float64, q)
	col := make([]float64, q)
	var used []int32 // row categories of the pair, ascending
	q64 := int64(q)
	for p, k := range pc.keys {
		cells := pc.cell[pc.start[p]:pc.start[p+1]]
		slices.Sort(cells)
		used = used[:0]
		n, pa := 0.0, 0.0
		seenNonFinite := 0
		for x := 0; x < len(cells); {
			c := cells[x]
			y := x + 1
			for y < len(cells) && cells[y] == c {
				y++
			}
			cnt := float64(y - x)
			x = y
			a, b := c/q64, c%q64
			n += cnt
			if len(used) == 0 || used[len(used)-1] != int32(a) {
				used = append(used, int32(a))
			}
			row[a] += cnt
			col[b] += cnt
			if w == nil {
				if a == b {
					pa += cnt
				}
			} else {
				pa += w[c] * cnt
				if math.IsNaN(w[c]) || math.IsInf(w[c], 0) {
					seenNonFinite++
				}
			}
		}
		pe := 0.0
		for _, a := range used {
			if w == nil {
				pe += row[a] * col[a]
				continue
			}
			wa := w[int(a)*q : int(a)*q+q]
			for b, cb := range col {
				pe += wa[b] * row[a] * cb
			}
		}
		if seenNonFinite < nonFinite {
			pa = nan
		}
		out[p] = pairKappa(k, n, pa, pe)
		for _, a := range used {
			row[a] = 0
		}
		for _, c := range cells {
			col[c%q64] = 0
		}
	}
	return out
}
