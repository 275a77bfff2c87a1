package agreement

import "sort"

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
// Source: Cohen (1960, 1968). One pass over items accumulates the q×q tables
// of all pairs: O(N + Σ_i m_i² + pairs·q²) time, pairs·q² memory.
// weights nil means identity.
func Pairwise(r *Ratings, weights []float64) []Pair {
	r.validate()
	w := checkWeights(weights, r.NCats)
	return pairwise(r, groupByItem(r), w)
}

func pairwise(r *Ratings, g *byItem, w []float64) []Pair {
	q := r.NCats
	qq := q * q
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
	var tables []int32
	var keys [][2]int32
	lookup := func(a, b int32) int32 {
		if dense != nil {
			k := int(a)*nr + int(b)
			off := dense[k]
			if off < 0 {
				off = int32(len(tables))
				dense[k] = off
				tables = append(tables, make([]int32, qq)...)
				keys = append(keys, [2]int32{a, b})
			}
			return off
		}
		k := int64(a)*int64(nr) + int64(b)
		off, ok := sparse[k]
		if !ok {
			off = int32(len(tables))
			sparse[k] = off
			tables = append(tables, make([]int32, qq)...)
			keys = append(keys, [2]int32{a, b})
		}
		return off
	}
	for i := 0; i < r.NItems; i++ {
		lo, hi := g.start[i], g.start[i+1]
		if hi-lo < 2 {
			continue
		}
		for x := lo; x < hi; x++ {
			ax, cx := g.rater[x], g.cat[x]
			for y := x + 1; y < hi; y++ {
				ay, cy := g.rater[y], g.cat[y]
				var off int32
				var cell int
				if ax < ay {
					off, cell = lookup(ax, ay), int(cx)*q+int(cy)
				} else {
					off, cell = lookup(ay, ax), int(cy)*q+int(cx)
				}
				tables[int(off)+cell]++
			}
		}
	}
	out := make([]Pair, len(keys))
	row := make([]float64, q)
	col := make([]float64, q)
	for p, k := range keys {
		tb := tables[p*qq : (p+1)*qq]
		for i := range row {
			row[i], col[i] = 0, 0
		}
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
		pa /= n
		pe /= n * n
		kappa := nan
		if pe < 1 {
			kappa = (pa - pe) / (1 - pe)
		}
		out[p] = Pair{A: k[0], B: k[1], Items: int(n), PercentAgreement: pa, CohenKappa: kappa}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].A != out[j].A {
			return out[i].A < out[j].A
		}
		return out[i].B < out[j].B
	})
	return out
}
