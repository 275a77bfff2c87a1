package store

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"sort"
	"time"
)

// BatchExists reports whether a file with this SHA-256 was imported before.
func (s *Store) BatchExists(ctx context.Context, sha256 string) (_ bool, err error) {
	defer s.explain(ctx, &err)
	var n int
	err = s.db.QueryRowContext(ctx, "SELECT count(*) FROM batches WHERE sha256=?", sha256).Scan(&n)
	return n > 0, err
}

// Batch is one imported file.
type Batch struct {
	ID         int64
	Kind       string // annotations | gold
	FileName   string
	Size       int64
	SHA256     string
	Format     string
	ImportedAt time.Time
	Rows       int
	Stored     int
	Duplicates int
	DupPolicy  string
	Mapping    map[string]string
}

// Batches lists every imported file, oldest first.
func (s *Store) Batches(ctx context.Context) (_ []Batch, err error) {
	defer s.explain(ctx, &err)
	rows, err := s.db.QueryContext(ctx, `SELECT id, kind, file_name, size, sha256, format, imported_at, rows, stored, duplicates, dup_policy, mapping FROM batches ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Batch
	for rows.Next() {
		var b Batch
		var at, mapping string
		if err := rows.Scan(&b.ID, &b.Kind, &b.FileName, &b.Size, &b.SHA256, &b.Format, &at, &b.Rows, &b.Stored, &b.Duplicates, &b.DupPolicy, &mapping); err != nil {
			return nil, err
		}
		b.ImportedAt, _ = time.Parse(time.RFC3339, at)
		_ = json.Unmarshal([]byte(mapping), &b.Mapping)
		out = append(out, b)
	}
	return out, rows.Err()
}

// Counts is the contract's "counts" object for a whole project.
type Counts struct {
	Items       int      `json:"items"`
	Annotators  int      `json:"annotators"`
	Annotations int      `json:"annotations"`
	GoldItems   int      `json:"gold_items"`
	Duplicates  int      `json:"duplicates"`
	Labels      []string `json:"labels"`
}

// Counts returns how much the project holds. Items counts labeled items;
// gold items are those in any golden-set version. Each count is its own
// subquery so SQLite can answer it from an index (count(DISTINCT
// annotator_id) over the table would sort a million rows; an annotator's
// first annotation is found at once). NOT INDEXED keeps SQLite from
// building an automatic index on annotator_id for the EXISTS probe, which
// took a second on a million annotations.
func (s *Store) Counts(ctx context.Context) (_ Counts, err error) {
	defer s.explain(ctx, &err)
	var c Counts
	err = s.db.QueryRowContext(ctx, `SELECT
		(SELECT count(DISTINCT item_id) FROM annotations),
		(SELECT count(*) FROM annotators a WHERE EXISTS (SELECT 1 FROM annotations n NOT INDEXED WHERE n.annotator_id = a.id)),
		(SELECT count(*) FROM annotations),
		(SELECT count(DISTINCT item_id) FROM gold_labels),
		(SELECT coalesce(sum(duplicates),0) FROM batches)`).
		Scan(&c.Items, &c.Annotators, &c.Annotations, &c.GoldItems, &c.Duplicates)
	if err != nil {
		return c, err
	}
	labels, err := s.Labels(ctx)
	if err != nil {
		return c, err
	}
	c.Labels = make([]string, len(labels))
	for i, l := range labels {
		c.Labels[i] = l.Name
	}
	return c, nil
}

// Breakdown is a count of annotations, items and annotators for one value of a dimension.
type Breakdown struct {
	Key         string
	Annotations int
	Items       int
	Annotators  int
}

// Dimension names a column annotations can be grouped by.
type Dimension string

const (
	ByVendor Dimension = "vendor"
	ByQueue  Dimension = "queue"
	ByMarket Dimension = "market"
	ByLabel  Dimension = "label"
)

// CountBy groups annotations by one dimension, largest group first.
func (s *Store) CountBy(ctx context.Context, dim Dimension) (_ []Breakdown, err error) {
	defer s.explain(ctx, &err)
	var q string
	switch dim {
	case ByVendor:
		q = `SELECT a.vendor, count(*), count(DISTINCT n.item_id), count(DISTINCT n.annotator_id) FROM annotations n JOIN annotators a ON a.id = n.annotator_id GROUP BY a.vendor ORDER BY 2 DESC, 1`
	case ByMarket:
		q = `SELECT a.market, count(*), count(DISTINCT n.item_id), count(DISTINCT n.annotator_id) FROM annotations n JOIN annotators a ON a.id = n.annotator_id GROUP BY a.market ORDER BY 2 DESC, 1`
	case ByQueue:
		q = `SELECT q.name, count(*), count(DISTINCT n.item_id), count(DISTINCT n.annotator_id) FROM annotations n JOIN queues q ON q.id = n.queue_id GROUP BY q.name ORDER BY 2 DESC, 1`
	case ByLabel:
		q = `SELECT l.name, count(*), count(DISTINCT n.item_id), count(DISTINCT n.annotator_id) FROM annotations n JOIN labels l ON l.id = n.label_id GROUP BY l.name ORDER BY 2 DESC, 1`
	default:
		return nil, fmt.Errorf("store: cannot count annotations by %q", dim)
	}
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Breakdown
	for rows.Next() {
		var b Breakdown
		if err := rows.Scan(&b.Key, &b.Annotations, &b.Items, &b.Annotators); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// GoldVersion is one golden-set version.
type GoldVersion struct {
	ID        int64
	Name      string
	Items     int
	CreatedAt time.Time
}

// GoldVersions lists golden-set versions, oldest first.
func (s *Store) GoldVersions(ctx context.Context) (_ []GoldVersion, err error) {
	defer s.explain(ctx, &err)
	rows, err := s.db.QueryContext(ctx, `SELECT v.id, v.name, v.created_at, (SELECT count(*) FROM gold_labels g WHERE g.version_id = v.id) FROM gold_versions v ORDER BY v.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []GoldVersion
	for rows.Next() {
		var g GoldVersion
		var at string
		if err := rows.Scan(&g.ID, &g.Name, &at, &g.Items); err != nil {
			return nil, err
		}
		g.CreatedAt, _ = time.Parse(time.RFC3339, at)
		out = append(out, g)
	}
	return out, rows.Err()
}

// Breakdowns is CountBy for several dimensions in one pass over the
// annotations: the overview of a million-judgment project asked SQLite for
// four GROUP BYs with two count(DISTINCT) each, about a second apiece. Here
// each group keeps a bitset of its items and annotators. When the bitsets
// would take more than 64 MiB (a great many groups or items) it falls back
// to CountBy.
func (s *Store) Breakdowns(ctx context.Context, dims ...Dimension) (_ map[Dimension][]Breakdown, err error) {
	defer s.explain(ctx, &err)
	out := make(map[Dimension][]Breakdown, len(dims))
	var maxItem, maxAnn, maxQueue, maxLabel int64
	if err := s.db.QueryRowContext(ctx, `SELECT (SELECT coalesce(max(id), 0) FROM items), (SELECT coalesce(max(id), 0) FROM annotators),
		(SELECT coalesce(max(id), 0) FROM queues), (SELECT coalesce(max(id), 0) FROM labels)`).Scan(&maxItem, &maxAnn, &maxQueue, &maxLabel); err != nil {
		return nil, err
	}
	annotators, err := s.Annotators(ctx)
	if err != nil {
		return nil, err
	}
	queues, err := s.dictNames(ctx, "queues")
	if err != nil {
		return nil, err
	}
	labels, err := s.idNames(ctx, "SELECT id, name FROM labels")
	if err != nil {
		return nil, err
	}

	// Per dimension: each id's group (-1 for none), and the groups' keys.
	type grouping struct {
		dim    Dimension
		col    int     // the collected column the id comes from
		group  []int32 // by id
		keys   []string
		counts []Breakdown
		items  []bitset
		anns   []bitset
	}
	byKey := func(g *grouping, n int64, keyOf func(id int64) (string, bool)) {
		g.group = make([]int32, n+1)
		idx := map[string]int32{}
		for id := range g.group {
			g.group[id] = -1
			key, ok := keyOf(int64(id))
			if !ok {
				continue
			}
			c, seen := idx[key]
			if !seen {
				c = int32(len(g.keys))
				idx[key] = c
				g.keys = append(g.keys, key)
			}
			g.group[id] = c
		}
	}
	annByID := make(map[int64]Annotator, len(annotators))
	for _, a := range annotators {
		annByID[a.ID] = a
	}
	var gs []*grouping
	var bits int64
	for _, dim := range dims {
		g := &grouping{dim: dim}
		switch dim {
		case ByVendor, ByMarket:
			g.col = 1
			byKey(g, maxAnn, func(id int64) (string, bool) {
				a, ok := annByID[id]
				if dim == ByVendor {
					return a.Vendor, ok
				}
				return a.Market, ok
			})
		case ByQueue:
			g.col = 2
			byKey(g, maxQueue, func(id int64) (string, bool) { v, ok := queues[id]; return v, ok })
		case ByLabel:
			g.col = 3
			byKey(g, maxLabel, func(id int64) (string, bool) { v, ok := labels[id]; return v, ok })
		default:
			return nil, fmt.Errorf("store: cannot count annotations by %q", dim)
		}
		bits += int64(len(g.keys)) * (maxItem + maxAnn + 2)
		gs = append(gs, g)
	}
	if bits/8 > 64<<20 {
		for _, dim := range dims {
			if out[dim], err = s.CountBy(ctx, dim); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	for _, g := range gs {
		g.counts = make([]Breakdown, len(g.keys))
		g.items = make([]bitset, len(g.keys))
		g.anns = make([]bitset, len(g.keys))
		for i := range g.keys {
			g.counts[i].Key = g.keys[i]
			g.items[i] = newBitset(maxItem + 1)
			g.anns[i] = newBitset(maxAnn + 1)
		}
	}
	_, err = s.collect(ctx, "SELECT "+collectFunc+"(?, item_id, annotator_id, queue_id, label_id) FROM annotations", nil, func(row []driver.Value) error {
		item, ann := asInt(row[0]), asInt(row[1])
		for _, g := range gs {
			id := asInt(row[g.col])
			if id < 0 || id >= int64(len(g.group)) || g.group[id] < 0 || item < 0 || item > maxItem || ann < 0 || ann > maxAnn {
				continue // a dangling reference: the SQL join would drop it too
			}
			c := g.group[id]
			b := &g.counts[c]
			b.Annotations++
			if g.items[c].add(item) {
				b.Items++
			}
			if g.anns[c].add(ann) {
				b.Annotators++
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, g := range gs {
		var list []Breakdown
		for _, b := range g.counts {
			if b.Annotations > 0 {
				list = append(list, b)
			}
		}
		// As CountBy: most annotations first, then by key.
		sort.Slice(list, func(i, j int) bool {
			if list[i].Annotations != list[j].Annotations {
				return list[i].Annotations > list[j].Annotations
			}
			return list[i].Key < list[j].Key
		})
		out[g.dim] = list
	}
	return out, nil
}

// bitset is a set of small non-negative integers.
type bitset []uint64

func newBitset(n int64) bitset { return make(bitset, (n+63)/64) }

// add puts i in the set and reports whether it was new.
func (b bitset) add(i int64) bool {
	w, m := i/64, uint64(1)<<(i%64)
	if b[w]&m != 0 {
		return false
	}
	b[w] |= m
	return true
}
