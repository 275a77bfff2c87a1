package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The item list pages through item_summary, one row per labeled item with
// the figures an Items table sorts by, each with an index on (figure,
// item_id). The summary is built from the annotations and the golden sets
// when it is first read after a change (see ensureItemSummary), so imports
// do not pay for it; a page is then an index range scan of Limit rows.

// ItemSort is the column an item page is sorted by.
type ItemSort int

const (
	SortItemID       ItemSort = iota // the item's id in the files (ext_id), byte order
	SortJudgments                    // judgments of the item
	SortLabels                       // distinct labels given to the item
	SortDisagreement                 // judgments that differ from the item's most given label
	SortGold                         // the current gold label, in label-set order; items without gold last
	SortFirstAt                      // first submission; items without a time first
	SortLastAt                       // last submission; items without a time first
)

// itemSortColumns are the item_summary columns of each ItemSort; each has
// an index on (column, item_id).
var itemSortColumns = [...]string{
	SortItemID:       "ext_id",
	SortJudgments:    "judgments",
	SortLabels:       "labels",
	SortDisagreement: "disagree",
	SortGold:         "gold_ord",
	SortFirstAt:      "first_at",
	SortLastAt:       "last_at",
}

// Valid reports whether s names a sort column.
func (s ItemSort) Valid() bool { return s >= 0 && int(s) < len(itemSortColumns) }

// ItemCursor is where a page ends: the next page starts after it. The zero
// cursor is the start.
type ItemCursor struct {
	sort ItemSort
	desc bool
	num  int64
	text string
	id   int64
}

// IsZero reports whether c is the start of the list (no more pages when
// returned as ItemPage.Next).
func (c ItemCursor) IsZero() bool { return c.id == 0 }

// ItemQuery asks for one page of items.
type ItemQuery struct {
	// Filter keeps the items with at least one judgment it matches; the
	// figures of a row are over all the item's judgments.
	Filter Filter
	// Search keeps the items whose id in the files starts with it (letter
	// case counts).
	Search string
	Sort   ItemSort
	Desc   bool
	// After is the Next of the previous page; it must come from a query
	// with the same Sort and Desc.
	After ItemCursor
	Limit int // rows per page; 0 means 100, at most 10,000
}

// ItemRow is one item of a page.
type ItemRow struct {
	ID          int64 // the project's id
	ExtID       string
	Content     string
	Judgments   int
	Labels      int // distinct labels given
	Disagreeing int // judgments that differ from the most given label
	Gold        string
	HasGold     bool
	FirstAt     time.Time // zero when no judgment has a time
	LastAt      time.Time
}

// ItemPage is a page of items and the cursor of the next page (zero when
// this page is the last).
type ItemPage struct {
	Rows []ItemRow
	Next ItemCursor
}

// ErrBadCursor: ItemQuery.After comes from a query with another sort.
var ErrBadCursor = errors.New("the page cursor belongs to a list sorted another way; start again from the first page")

const (
	defaultItemLimit = 100
	maxItemLimit     = 10_000
	noGoldOrd        = int64(1) << 62 // gold_ord of an item without gold: after every label
	noItemTime       = int64(-1) << 62
)

// Items returns one page of the labeled items.
func (s *Store) Items(ctx context.Context, q ItemQuery) (_ ItemPage, err error) {
	defer s.explain(ctx, &err)
	if !q.Sort.Valid() {
		return ItemPage{}, fmt.Errorf("store: no item sort %d", q.Sort)
	}
	if !q.After.IsZero() && (q.After.sort != q.Sort || q.After.desc != q.Desc) {
		return ItemPage{}, ErrBadCursor
	}
	limit := q.Limit
	if limit <= 0 {
		limit = defaultItemLimit
	}
	limit = min(limit, maxItemLimit)
	if err := s.ensureItemSummary(ctx); err != nil {
		return ItemPage{}, err
	}
	col := itemSortColumns[q.Sort]
	var conds []string
	var args []any
	if q.Search != "" {
		// A prefix is a range of the ext_id index: no UTF-8 byte is 0xff.
		conds = append(conds, "s.ext_id >= ? AND s.ext_id < ?")
		args = append(args, q.Search, q.Search+"\xff")
	}
	if where, wargs := q.Filter.where(); where != "" {
		join := ""
		if q.Filter.Vendor != "" || q.Filter.Market != "" {
			join = " JOIN annotators a ON a.id = n.annotator_id"
		}
		conds = append(conds, "EXISTS (SELECT 1 FROM annotations n"+join+where+" AND n.item_id = s.item_id)")
		args = append(args, wargs...)
	}
	dir, cmp := "ASC", ">"
	if q.Desc {
		dir, cmp = "DESC", "<"
	}
	if !q.After.IsZero() {
		conds = append(conds, "(s."+col+", s.item_id) "+cmp+" (?, ?)")
		if q.Sort == SortItemID {
			args = append(args, q.After.text, q.After.id)
		} else {
			args = append(args, q.After.num, q.After.id)
		}
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	// The page's rows are found in the summary's index first; content and
	// the gold label's name are looked up for those rows only.
	query := `SELECT p.item_id, p.ext_id, coalesce(i.content, ''), p.judgments, p.labels, p.disagree,
		coalesce(l.name, ''), p.gold_label IS NOT NULL, p.first_at, p.last_at, p.` + col + `
		FROM (SELECT * FROM item_summary s` + where + ` ORDER BY s.` + col + ` ` + dir + `, s.item_id ` + dir + ` LIMIT ?) p
		LEFT JOIN items i ON i.id = p.item_id LEFT JOIN labels l ON l.id = p.gold_label
		ORDER BY p.` + col + ` ` + dir + `, p.item_id ` + dir
	args = append(args, limit+1)
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return ItemPage{}, err
	}
	defer rows.Close()
	var page ItemPage
	var last ItemCursor
	for rows.Next() {
		var r ItemRow
		var first, lastAt int64
		var key any
		if err := rows.Scan(&r.ID, &r.ExtID, &r.Content, &r.Judgments, &r.Labels, &r.Disagreeing,
			&r.Gold, &r.HasGold, &first, &lastAt, &key); err != nil {
			return ItemPage{}, err
		}
		if len(page.Rows) == limit {
			page.Next = last
			break
		}
		if first != noItemTime {
			r.FirstAt, r.LastAt = time.UnixMilli(first).UTC(), time.UnixMilli(lastAt).UTC()
		}
		last = ItemCursor{sort: q.Sort, desc: q.Desc, id: r.ID}
		switch k := key.(type) {
		case int64:
			last.num = k
		case string:
			last.text = k
		case []byte:
			last.text = string(k)
		}
		page.Rows = append(page.Rows, r)
	}
	return page, rows.Err()
}

// itemSummaryKey is the settings key of the batches the summary was built
// from.
const itemSummaryKey = "item_summary_stamp"

// batchStamp names the project's content: every annotation and golden-set
// answer comes with a batch, so the batches' count and newest id change
// whenever they do. It reads only the small batches table.
func batchStamp(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (string, error) {
	var n, maxID int64
	err := q.QueryRowContext(ctx, "SELECT count(*), coalesce(max(id), 0) FROM batches").Scan(&n, &maxID)
	return strconv.FormatInt(n, 10) + ":" + strconv.FormatInt(maxID, 10), err
}

// itemSummarySQL fills item_summary (of the schema named) from the
// annotations and the current golden set (each gold item's label from the
// newest version that holds it).
const itemSummarySQL = `INSERT INTO %[1]sitem_summary (item_id, ext_id, judgments, labels, disagree, gold_label, gold_ord, first_at, last_at)
SELECT t.item_id, i.ext_id, t.judgments, t.labels, t.judgments - t.top, g.label_id, coalesce(gl.ord, %[2]d), t.first_at, t.last_at
FROM (
	SELECT item_id, sum(c) AS judgments, count(*) AS labels, max(c) AS top,
		coalesce(min(f), %[3]d) AS first_at, coalesce(max(l), %[3]d) AS last_at
	FROM (SELECT item_id, label_id, count(*) AS c, min(submitted_at) AS f, max(submitted_at) AS l
		FROM annotations GROUP BY item_id, label_id)
	GROUP BY item_id
) t
JOIN items i ON i.id = t.item_id
LEFT JOIN (SELECT item_id, label_id FROM gold_labels g
	WHERE version_id = (SELECT max(version_id) FROM gold_labels h WHERE h.item_id = g.item_id)) g ON g.item_id = t.item_id
LEFT JOIN labels gl ON gl.id = g.label_id`

// itemSummaryTemp is item_summary for a project opened read-only whose
// summary is out of date: built in the connection's temporary schema,
// where it hides the file's table.
const itemSummaryTemp = `
CREATE TEMP TABLE IF NOT EXISTS item_summary_state (stamp TEXT NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS item_summary (
	item_id    INTEGER PRIMARY KEY,
	ext_id     TEXT NOT NULL,
	judgments  INTEGER NOT NULL,
	labels     INTEGER NOT NULL,
	disagree   INTEGER NOT NULL,
	gold_label INTEGER,
	gold_ord   INTEGER NOT NULL,
	first_at   INTEGER NOT NULL,
	last_at    INTEGER NOT NULL
);`

// itemSummaryIndexes are built after the summary is filled.
func itemSummaryIndexes(schema string) []string {
	var out []string
	for _, col := range itemSortColumns {
		out = append(out, fmt.Sprintf("CREATE INDEX IF NOT EXISTS %sitem_summary_%s ON item_summary(%s, item_id)", schema, col, col))
	}
	return out
}

func dropItemSummaryIndexes(schema string) []string {
	var out []string
	for _, col := range itemSortColumns {
		out = append(out, fmt.Sprintf("DROP INDEX IF EXISTS %sitem_summary_%s", schema, col))
	}
	return out
}

// ensureItemSummary rebuilds item_summary when the batches changed since it
// was built: in the file when the project can be written, else in the
// connection's temporary schema. A million judgments take about a second
// (see docs/PERFORMANCE.md); every later page reads the summary only.
func (s *Store) ensureItemSummary(ctx context.Context) error {
	stamp, err := batchStamp(ctx, s.db)
	if err != nil {
		return err
	}
	var temp string
	switch err := s.db.QueryRowContext(ctx, "SELECT stamp FROM temp.item_summary_state").Scan(&temp); {
	case err == nil:
		if temp == stamp {
			return nil
		}
		return s.buildItemSummary(ctx, "temp.", stamp)
	case !strings.Contains(err.Error(), "no such table") && !errors.Is(err, sql.ErrNoRows):
		return err
	}
	var built string
	if err := s.db.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", itemSummaryKey).Scan(&built); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if built == stamp {
		return nil
	}
	if s.ReadOnly() {
		return s.buildItemSummary(ctx, "temp.", stamp)
	}
	if err := s.checkBeforeWrite(ctx); err != nil {
		return err
	}
	return s.buildItemSummary(ctx, "main.", stamp)
}

// buildItemSummary fills schema's item_summary in one transaction and
// records stamp as what it was built from.
func (s *Store) buildItemSummary(ctx context.Context, schema, stamp string) (err error) {
	if schema == "temp." && !s.write {
		// A read-only connection is query_only; its temporary schema is
		// the only thing written.
		if _, err := s.db.ExecContext(ctx, "PRAGMA query_only = 0"); err != nil {
			return err
		}
		defer func() {
			if _, e := s.db.ExecContext(context.WithoutCancel(ctx), "PRAGMA query_only = 1"); err == nil {
				err = e
			}
		}()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	steps := []string{}
	if schema == "temp." {
		steps = append(steps, itemSummaryTemp)
	}
	steps = append(steps, dropItemSummaryIndexes(schema)...)
	steps = append(steps, "DELETE FROM "+schema+"item_summary",
		fmt.Sprintf(itemSummarySQL, schema, noGoldOrd, noItemTime))
	steps = append(steps, itemSummaryIndexes(schema)...)
	for _, q := range steps {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	if schema == "temp." {
		if _, err := tx.ExecContext(ctx, "DELETE FROM temp.item_summary_state"); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO temp.item_summary_state (stamp) VALUES (?)", stamp)
	} else {
		_, err = tx.ExecContext(ctx, `INSERT INTO settings(key, value) VALUES (?, ?)
			ON CONFLICT(key) DO UPDATE SET value = excluded.value`, itemSummaryKey, stamp)
	}
	if err != nil {
		return err
	}
	return tx.Commit()
}
