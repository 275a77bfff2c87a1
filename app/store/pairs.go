package store

// pairSet remembers the (item, annotator) pairs of the file being imported,
// each with what the duplicate policy needs of the pair's row. Item ids are
// dense, so each item's pairs form a short chain from a slice indexed by
// the item id: a lookup reads two slices where a hash map of a million
// pairs probed a table (a sixth of the reader's time went to that map). An
// item that more than maxChain annotators judged keeps its pairs in a map
// instead, so no file makes a lookup walk a long chain.
type pairSet struct {
	head []int32          // by item id: 1 + index in rows of the item's newest pair; 0 none; spilled
	rows []seenRow        // the pairs in the order met
	big  map[uint64]int32 // pairKey -> index in rows, for spilled items
}

type seenRow struct {
	at   int64  // Unix ms, NoTime when unknown
	off  uint32 // annotation id - firstID
	row  uint32
	ann  uint32 // the annotator id (at most maxAnnotators)
	next int32  // 1 + index of the item's previous pair; 0 none
}

const (
	maxChain = 32
	spilled  = -1 // head of an item whose pairs are in big
)

func newPairSet(items, rows int) *pairSet {
	return &pairSet{head: make([]int32, 0, items), rows: make([]seenRow, 0, rows)}
}

// find returns the index of the pair's row, or -1, and how many pairs of
// the item it passed (for add).
func (p *pairSet) find(item, ann int64) (int, int) {
	if item < 0 || item >= int64(len(p.head)) {
		return -1, 0
	}
	h := p.head[item]
	if h == spilled {
		if i, ok := p.big[pairKey(item, ann)]; ok {
			return int(i), 0
		}
		return -1, 0
	}
	n := 0
	for e := h; e != 0; e = p.rows[e-1].next {
		if p.rows[e-1].ann == uint32(ann) {
			return int(e - 1), n
		}
		n++
	}
	return -1, n
}

// add records a pair find did not find; steps is what find returned.
func (p *pairSet) add(item, ann int64, r seenRow, steps int) {
	if item >= int64(len(p.head)) {
		p.head = append(p.head, make([]int32, int(item)+1-len(p.head))...)
	}
	i := int32(len(p.rows))
	r.ann = uint32(ann)
	h := p.head[item]
	if h == spilled {
		r.next = 0
		p.rows = append(p.rows, r)
		p.big[pairKey(item, ann)] = i
		return
	}
	r.next = h
	p.rows = append(p.rows, r)
	p.head[item] = i + 1
	if steps+1 > maxChain {
		if p.big == nil {
			p.big = map[uint64]int32{}
		}
		for e := p.head[item]; e != 0; e = p.rows[e-1].next {
			p.big[pairKey(item, int64(p.rows[e-1].ann))] = e - 1
		}
		p.head[item] = spilled
	}
}

// at is the row at index i; a pointer, to update it in place.
func (p *pairSet) at(i int) *seenRow { return &p.rows[i] }
