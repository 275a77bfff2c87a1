package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// BatchExists reports whether a file with this SHA-256 was imported before.
func (s *Store) BatchExists(ctx context.Context, sha256 string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM batches WHERE sha256=?", sha256).Scan(&n)
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
func (s *Store) Batches(ctx context.Context) ([]Batch, error) {
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
func (s *Store) Counts(ctx context.Context) (Counts, error) {
	var c Counts
	err := s.db.QueryRowContext(ctx, `SELECT
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
func (s *Store) CountBy(ctx context.Context, dim Dimension) ([]Breakdown, error) {
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
func (s *Store) GoldVersions(ctx context.Context) ([]GoldVersion, error) {
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
