package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"

	"labelqa/app/query"
)

// where turns q into the WHERE clause of a read of annotations n, and
// tells whether it needs annotators a joined (a vendor, team or market
// condition). Its judgments are those q.Match selects.
func where(q query.Query) (_ string, _ []any, join bool) {
	if q.MatchesNothing() {
		return " WHERE 0", nil, false
	}
	var conds []string
	var args []any
	if v, ok := q.VendorCondition(); ok {
		conds = append(conds, "a.vendor = ?")
		args = append(args, v)
		join = true
	}
	if q.Team != "" {
		conds = append(conds, "a.team = ?")
		args = append(args, q.Team)
		join = true
	}
	if q.Market != "" {
		conds = append(conds, "a.market = ?")
		args = append(args, q.Market)
		join = true
	}
	if q.Reviewer != "" {
		conds = append(conds, "n.annotator_id = (SELECT id FROM annotators WHERE ext_id = ?)")
		args = append(args, q.Reviewer)
	}
	if q.Queue != "" {
		conds = append(conds, "n.queue_id = (SELECT id FROM queues WHERE name = ?)")
		args = append(args, strings.ToLower(q.Queue))
	}
	if q.SOP != "" {
		conds = append(conds, "n.sop_id = (SELECT id FROM sop_versions WHERE name = ?)")
		args = append(args, q.SOP)
	}
	if !q.From.IsZero() {
		conds = append(conds, "n.submitted_at >= ?")
		args = append(args, q.From.UnixMilli())
	}
	if !q.To.IsZero() {
		conds = append(conds, "n.submitted_at < ?")
		args = append(args, q.To.UnixMilli())
	}
	if len(conds) == 0 {
		return "", nil, false
	}
	return " WHERE " + strings.Join(conds, " AND "), args, join
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
	// ErrorCategory and RootCause are the batch file's error_category and
	// root_cause ("" when it gave none).
	ErrorCategory string
	RootCause     string
}

// EachAnnotation calls fn for every annotation q selects, in id order.
// The *Annotation is reused between calls. fn runs while the store's
// connection is busy reading: it must not call the store.
func (s *Store) EachAnnotation(ctx context.Context, q query.Query, fn func(*Annotation) error) (err error) {
	defer s.explain(ctx, &err)
	queues, err := s.dictNames(ctx, "queues")
	if err != nil {
		return err
	}
	sops, err := s.dictNames(ctx, "sop_versions")
	if err != nil {
		return err
	}
	errCats, err := s.dictNames(ctx, "error_categories")
	if err != nil {
		return err
	}
	causes, err := s.dictNames(ctx, "root_causes")
	if err != nil {
		return err
	}
	where, args, needAnnotators := where(q)
	join := ""
	if needAnnotators {
		join = " JOIN annotators a ON a.id = n.annotator_id"
	}
	// The ORDER BY is kept: SQLite does not flatten an ordered subquery into
	// an aggregate, and a plain scan of annotations is already in id order.
	sql := `SELECT ` + collectFunc + `(?, id, item_id, annotator_id, label_id, extra_labels, queue_id, round,
		submitted_at, duration_s, sop_id, batch_id, error_category_id, root_cause_id)
		FROM (SELECT n.* FROM annotations n` + join + where + ` ORDER BY n.id)`
	var a Annotation
	_, err = s.collect(ctx, sql, args, func(row []driver.Value) error {
		a.ID, a.Item, a.Annotator, a.Label = asInt(row[0]), asInt(row[1]), asInt(row[2]), asInt(row[3])
		a.Extra = a.Extra[:0]
		if extra, ok := row[4].(string); ok && extra != "" {
			for p := range strings.SplitSeq(extra, ",") {
				id, _ := strconv.ParseInt(p, 10, 64)
				a.Extra = append(a.Extra, id)
			}
		}
		a.Queue, a.Round = queues[asInt(row[5])], int(asInt(row[6]))
		a.SubmittedAt, a.HasTime = row[7].(int64)
		a.DurationS, a.HasDuration = asFloat(row[8])
		a.SOPVersion, a.Batch = sops[asInt(row[9])], asInt(row[10])
		a.ErrorCategory, a.RootCause = errCats[asInt(row[11])], causes[asInt(row[12])]
		return fn(&a)
	})
	return err
}

// asInt reads an INTEGER value of a collected row (0 for NULL).
func asInt(v driver.Value) int64 {
	i, _ := v.(int64)
	return i
}

// asFloat reads a REAL value of a collected row; SQLite hands a REAL column
// holding a whole number to Go as int64 only when the column has no REAL
// affinity, so both are accepted.
func asFloat(v driver.Value) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	}
	return 0, false
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
func (s *Store) Annotators(ctx context.Context) (_ []Annotator, err error) {
	defer s.explain(ctx, &err)
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

// ItemExtIDs returns every item's external id, indexed by the item's id
// ("" for an id no item has). Item ids are dense: the store assigns them
// one after another and never deletes an item.
func (s *Store) ItemExtIDs(ctx context.Context) (_ []string, err error) {
	defer s.explain(ctx, &err)
	var maxID int64
	if err := s.db.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM items").Scan(&maxID); err != nil {
		return nil, err
	}
	ext := make([]string, maxID+1)
	_, err = s.collect(ctx, "SELECT "+collectFunc+"(?, id, ext_id) FROM items", nil, func(row []driver.Value) error {
		id := asInt(row[0])
		if id < 0 || id > maxID {
			return fmt.Errorf("item id %d outside 0..%d", id, maxID)
		}
		v, _ := row[1].(string)
		ext[id] = strings.Clone(v) // the value is SQLite's memory
		return nil
	})
	return ext, err
}

// CurrentGold returns each gold item's label id from the newest golden-set
// version that holds the item.
func (s *Store) CurrentGold(ctx context.Context) (_ map[int64]int64, err error) {
	defer s.explain(ctx, &err)
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

// dictNames reads one of the small name dictionaries (queues, sop_versions,
// templates, error_categories, root_causes).
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
