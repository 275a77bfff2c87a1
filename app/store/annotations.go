package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"
)

// Filter narrows the annotations a query reads. Zero fields match everything.
type Filter struct {
	Vendor string
	Queue  string
	Market string
	From   time.Time // submitted at or after
	To     time.Time // submitted before
}

func (f Filter) where() (string, []any) {
	var conds []string
	var args []any
	if f.Vendor != "" {
		conds = append(conds, "a.vendor = ?")
		args = append(args, f.Vendor)
	}
	if f.Market != "" {
		conds = append(conds, "a.market = ?")
		args = append(args, f.Market)
	}
	if f.Queue != "" {
		conds = append(conds, "n.queue_id = (SELECT id FROM queues WHERE name = ?)")
		args = append(args, strings.ToLower(f.Queue))
	}
	if !f.From.IsZero() {
		conds = append(conds, "n.submitted_at >= ?")
		args = append(args, f.From.UnixMilli())
	}
	if !f.To.IsZero() {
		conds = append(conds, "n.submitted_at < ?")
		args = append(args, f.To.UnixMilli())
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// Annotation is one stored judgment, integer-coded. Item, Annotator and
// Label are the project's ids; Extra holds the other labels of a
// multi-label judgment.
type Annotation struct {
	ID          int64
	Item        int64
	Annotator   int64
	Label       int64
	Extra       []int64
	Queue       string
	Round       int
	SubmittedAt int64 // Unix ms; 0 with HasTime false when unknown
	HasTime     bool
	DurationS   float64
	HasDuration bool
	SOPVersion  string
	Batch       int64
}

// EachAnnotation calls fn for every annotation matching f, in id order.
// The *Annotation is reused between calls.
func (s *Store) EachAnnotation(ctx context.Context, f Filter, fn func(*Annotation) error) error {
	queues, err := s.dictNames(ctx, "queues")
	if err != nil {
		return err
	}
	sops, err := s.dictNames(ctx, "sop_versions")
	if err != nil {
		return err
	}
	where, args := f.where()
	join := ""
	if f.Vendor != "" || f.Market != "" {
		join = " JOIN annotators a ON a.id = n.annotator_id"
	}
	rows, err := s.db.QueryContext(ctx, `SELECT n.id, n.item_id, n.annotator_id, n.label_id, coalesce(n.extra_labels, ''), n.queue_id, n.round,
		n.submitted_at, n.duration_s, n.sop_id, n.batch_id
		FROM annotations n`+join+where+` ORDER BY n.id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var a Annotation
	var extra string
	var at sql.NullInt64
	var dur sql.NullFloat64
	var queue, sop int64
	for rows.Next() {
		if err := rows.Scan(&a.ID, &a.Item, &a.Annotator, &a.Label, &extra, &queue, &a.Round, &at, &dur, &sop, &a.Batch); err != nil {
			return err
		}
		a.Queue, a.SOPVersion = queues[queue], sops[sop]
		a.Extra = a.Extra[:0]
		if extra != "" {
			for _, p := range strings.Split(extra, ",") {
				id, _ := strconv.ParseInt(p, 10, 64)
				a.Extra = append(a.Extra, id)
			}
		}
		a.SubmittedAt, a.HasTime = at.Int64, at.Valid
		a.DurationS, a.HasDuration = dur.Float64, dur.Valid
		if err := fn(&a); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Annotator is one annotator with who they work for.
type Annotator struct {
	ID     int64
	ExtID  string
	Vendor string
	Team   string
	Market string
}

// Annotators lists every annotator by id.
func (s *Store) Annotators(ctx context.Context) ([]Annotator, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, ext_id, vendor, team, market FROM annotators ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Annotator
	for rows.Next() {
		var a Annotator
		if err := rows.Scan(&a.ID, &a.ExtID, &a.Vendor, &a.Team, &a.Market); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// ItemIDs maps the project's item ids to their external ids.
func (s *Store) ItemIDs(ctx context.Context) (map[int64]string, error) {
	return s.idNames(ctx, "SELECT id, ext_id FROM items")
}

// CurrentGold returns each gold item's label id from the newest golden-set
// version that holds the item.
func (s *Store) CurrentGold(ctx context.Context) (map[int64]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT item_id, label_id FROM gold_labels g
		WHERE version_id = (SELECT max(version_id) FROM gold_labels h WHERE h.item_id = g.item_id)`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var item, label int64
		if err := rows.Scan(&item, &label); err != nil {
			return nil, err
		}
		out[item] = label
	}
	return out, rows.Err()
}

// dictNames reads one of the small name dictionaries (queues, sop_versions, templates).
func (s *Store) dictNames(ctx context.Context, table string) (map[int64]string, error) {
	return s.idNames(ctx, "SELECT id, name FROM "+table)
}

// idNames runs a query of (id, name) rows into a map.
func (s *Store) idNames(ctx context.Context, query string) (map[int64]string, error) {
	rows, err := s.db.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}
