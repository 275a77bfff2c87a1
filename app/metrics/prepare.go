package metrics

import (
	"math"
	"slices"
	"strings"

	"labelqa/analysis/agreement"
	"labelqa/analysis/scorecard"
	"labelqa/app/dataset"
)

// prepared is a Dataset in canonical order: items ordered by a hash of
// their ID (ties by the ID), annotators by ID, judgments by (item,
// annotator, input order). Every measure is computed from it, so the result
// does not depend on the order in which a project or a set of files
// happened to list the judgments: "metrics" on a project and on the files it
// was imported from agree to the last bit.
type prepared struct {
	d                  *dataset.Dataset
	nItems, nRaters, q int

	orig               []int32 // canonical judgment -> Dataset judgment
	item, rater, label []int32
	annOrder           []int32 // canonical annotator -> Dataset annotator
	itemOrder          []int32 // canonical item -> Dataset item
	gold               []int32 // per canonical item
	hasGold            bool    // some judgment is on a gold item
	goldSet            bool    // the dataset has a golden set at all
	anyExtra           bool
	qaQueue            []bool // per queue code: the 2rqa queue (isQA)
}

func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// itemKey is an item's place in the canonical order: its ID's hash, then
// the ID itself.
type itemKey struct {
	h   uint64
	idx int32 // index into the IDs
}

// sortItemKeys orders keys by (h, ids[idx]) and returns the sorted slice (it
// may be a different backing array). An LSD radix sort on the hash, 11 bits
// a pass, then a comparison sort of any run of equal hashes: on 700,000
// items it takes a fifth of the time of a comparison sort.
func sortItemKeys(keys []itemKey, ids []string) []itemKey {
	if len(keys) < 2 {
		return keys
	}
	const bits, radix = 11, 1 << 11
	tmp := make([]itemKey, len(keys))
	var count [radix]int
	for shift := uint(0); shift < 64; shift += bits {
		clear(count[:])
		for _, k := range keys {
			count[(k.h>>shift)&(radix-1)]++
		}
		if count[(keys[0].h>>shift)&(radix-1)] == len(keys) {
			continue // every key has this digit
		}
		sum := 0
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for _, k := range keys {
			d := (k.h >> shift) & (radix - 1)
			tmp[count[d]] = k
			count[d]++
		}
		keys, tmp = tmp, keys
	}
	for a := 0; a < len(keys); {
		b := a + 1
		for b < len(keys) && keys[b].h == keys[a].h {
			b++
		}
		if b-a > 1 {
			slices.SortFunc(keys[a:b], func(x, y itemKey) int { return strings.Compare(ids[x.idx], ids[y.idx]) })
		}
		a = b
	}
	return keys
}

func prepare(d *dataset.Dataset) *prepared {
	n := d.Len()
	p := &prepared{d: d, nItems: len(d.Items), nRaters: len(d.Annotators), q: len(d.Labels)}
	p.qaQueue = make([]bool, len(d.Queues))
	for c, name := range d.Queues {
		p.qaQueue[c] = strings.EqualFold(name, "2rqa")
	}

	// Annotators by ID.
	p.annOrder = make([]int32, p.nRaters)
	for i := range p.annOrder {
		p.annOrder[i] = int32(i)
	}
	slices.SortStableFunc(p.annOrder, func(a, b int32) int {
		return strings.Compare(d.Annotators[a].ID, d.Annotators[b].ID)
	})
	annRank := make([]int32, p.nRaters)
	for r, a := range p.annOrder {
		annRank[a] = int32(r)
	}

	// Items by (hash, ID): an order independent of the input's, cheaper
	// than sorting the IDs themselves.
	keys := make([]itemKey, p.nItems)
	for i, id := range d.Items {
		keys[i] = itemKey{fnv64(id), int32(i)}
	}
	keys = sortItemKeys(keys, d.Items)
	p.itemOrder = make([]int32, p.nItems)
	itemRank := make([]int32, p.nItems)
	for r, k := range keys {
		p.itemOrder[r] = k.idx
		itemRank[k.idx] = int32(r)
	}
	keys = nil

	// Judgments: counting sort by canonical item, stable; then by annotator
	// within each item (few judgments per item: insertion sort).
	start := make([]int32, p.nItems+1)
	for _, it := range d.Item {
		start[itemRank[it]+1]++
	}
	for i := 0; i < p.nItems; i++ {
		start[i+1] += start[i]
	}
	p.orig = make([]int32, n)
	pos := slices.Clone(start[:p.nItems])
	for j, it := range d.Item {
		r := itemRank[it]
		p.orig[pos[r]] = int32(j)
		pos[r]++
	}
	pos = nil
	for i := 0; i < p.nItems; i++ {
		rows := p.orig[start[i]:start[i+1]]
		for a := 1; a < len(rows); a++ {
			x := rows[a]
			rx := annRank[d.Annotator[x]]
			b := a - 1
			for b >= 0 && annRank[d.Annotator[rows[b]]] > rx {
				rows[b+1] = rows[b]
				b--
			}
			rows[b+1] = x
		}
	}
	p.item = make([]int32, n)
	p.rater = make([]int32, n)
	p.label = make([]int32, n)
	for k, j := range p.orig {
		p.item[k] = itemRank[d.Item[j]]
		p.rater[k] = annRank[d.Annotator[j]]
		p.label[k] = d.Label[j]
	}
	p.gold = make([]int32, p.nItems)
	for i := range p.gold {
		p.gold[i] = -1
	}
	for old, g := range d.Gold {
		if old < p.nItems {
			p.gold[itemRank[old]] = g
		}
	}
	p.goldSet = d.GoldItems > 0
	for _, it := range p.item {
		if p.gold[it] >= 0 {
			p.hasGold = true
			break
		}
	}
	p.anyExtra = len(d.Extra) > 0
	return p
}

// ratings returns the single-label judgments for agreement, at most one per
// (item, annotator): with --duplicates keep, the last row of a repeated pair
// (the analysis package needs one rating per pair). Judgments with several
// labels are left out (they enter the MASI alpha instead).
func (p *prepared) ratings(scores []float64) *agreement.Ratings {
	r := &agreement.Ratings{NItems: p.nItems, NRaters: p.nRaters, NCats: p.q, Scores: scores}
	n := len(p.item)
	r.Item = make([]int32, 0, n)
	r.Rater = make([]int32, 0, n)
	r.Cat = make([]int32, 0, n)
	for k := 0; k < n; k++ {
		if k+1 < n && p.item[k+1] == p.item[k] && p.rater[k+1] == p.rater[k] {
			continue // a later row of the same (item, annotator) follows
		}
		if p.anyExtra {
			if _, multi := p.d.Extra[int(p.orig[k])]; multi {
				continue
			}
		}
		r.Item = append(r.Item, p.item[k])
		r.Rater = append(r.Rater, p.rater[k])
		r.Cat = append(r.Cat, p.label[k])
	}
	return r
}

// multiRatings returns every judgment as a label set (one per item and
// annotator, as ratings), or nil when there are more than 64 labels.
func (p *prepared) multiRatings() *agreement.MultiRatings {
	if p.q > 64 {
		return nil
	}
	m := &agreement.MultiRatings{NItems: p.nItems, NRaters: p.nRaters, NLabels: p.q}
	n := len(p.item)
	for k := 0; k < n; k++ {
		if k+1 < n && p.item[k+1] == p.item[k] && p.rater[k+1] == p.rater[k] {
			continue
		}
		set := uint64(1) << uint(p.label[k])
		for _, l := range p.d.Extra[int(p.orig[k])] {
			set |= uint64(1) << uint(l)
		}
		m.Item = append(m.Item, p.item[k])
		m.Rater = append(m.Rater, p.rater[k])
		m.Labels = append(m.Labels, set)
	}
	return m
}

// scores are the numeric label values when every label is a number
// (irrCAC's convention for weights), else nil (ranks 1..q).
func (p *prepared) scores() []float64 {
	if p.q == 0 {
		return nil
	}
	s := make([]float64, p.q)
	for i, l := range p.d.Labels {
		v, err := parseNumber(l)
		if err != nil {
			return nil
		}
		s[i] = v
	}
	// Weight families need increasing scores; otherwise use ranks.
	for i := 1; i < len(s); i++ {
		if !(s[i] > s[i-1]) {
			return nil
		}
	}
	return s
}

// input is the scorecard input over all judgments.
func (p *prepared) input(o *parsedOptions) *scorecard.Input {
	d := p.d
	n := len(p.item)
	in := &scorecard.Input{Item: p.item, Rater: p.rater, Label: p.label,
		NItems: p.nItems, NRaters: p.nRaters, Q: p.q, Ties: o.ties, Seed: o.seed}
	if p.goldSet {
		in.Gold = p.gold
		in.Allowed = o.allowed
	}
	in.Duration = make([]float64, n)
	in.SubmittedAt = make([]float64, n)
	for k, j := range p.orig {
		in.Duration[k] = d.Duration[j]
		if at := d.At[j]; at != math.MinInt64 {
			in.SubmittedAt[k] = float64(at) / 1000
		} else {
			in.SubmittedAt[k] = math.NaN()
		}
	}
	in.QA = p.qaPairs()
	return in
}

// isQA tells a second-round (2RQA) judgment: round 2, or the 2rqa queue.
func (p *prepared) isQA(k int) bool {
	j := p.orig[k]
	if p.d.Round[j] == 2 {
		return true
	}
	return p.qaQueue[p.d.Queue[j]]
}

// qaPairs pairs, on every item, each first-round judgment with the item's
// latest second-round judgment (the last 2RQA verdict by submission time,
// then by input order), so each first-round judgment is counted once. A
// judgment is second-round when its round is 2 or its queue is 2rqa; every
// other judgment is first-round. A QA reviewer re-labelling their own
// first-round judgment is not paired.
func (p *prepared) qaPairs() []scorecard.QAPair {
	d := p.d
	var pairs []scorecard.QAPair
	n := len(p.item)
	for a := 0; a < n; {
		b := a
		for b < n && p.item[b] == p.item[a] {
			b++
		}
		if b-a >= 2 {
			qa := -1
			for k := a; k < b; k++ {
				if !p.isQA(k) {
					continue
				}
				if qa < 0 || later(d, p.orig[k], p.orig[qa]) {
					qa = k
				}
			}
			if qa >= 0 {
				for k := a; k < b; k++ {
					if !p.isQA(k) && p.rater[k] != p.rater[qa] {
						pairs = append(pairs, scorecard.QAPair{Round1: int32(k), Round2: int32(qa)})
					}
				}
			}
		}
		a = b
	}
	if pairs == nil {
		pairs = []scorecard.QAPair{}
	}
	return pairs
}

// later reports whether judgment x was submitted after y (by time when
// both are known, else by input order).
func later(d *dataset.Dataset, x, y int32) bool {
	tx, ty := d.At[x], d.At[y]
	if tx != math.MinInt64 && ty != math.MinInt64 && tx != ty {
		return tx > ty
	}
	return x > y
}
