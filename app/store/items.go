package store

import (
	"labelqa/app/query"

	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite/vtab"
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
	Filter query.Query
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

// broadPrefix is how many items a search prefix matches beyond which it
// is not read through its range of the ext_id index (a variable for tests).
var broadPrefix = 5000

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
	schema, err := s.ensureItemSummary(ctx)
	if err != nil {
		return ItemPage{}, err
	}
	col := itemSortColumns[q.Sort]
	if schema, err = s.ensureSortIndex(ctx, schema, col); err != nil {
		return ItemPage{}, err
	}
	if q.Search != "" {
		if _, err = s.ensureSortIndex(ctx, schema, itemSortColumns[SortItemID]); err != nil {
			return ItemPage{}, err
		}
	}
	var conds []string
	var args []any
	if q.Search != "" {
		// A prefix is a range of the ext_id index: no UTF-8 byte is 0xff.
		// SQLite always reads that range and, for another sort, sorts it:
		// fine for a selective prefix, 4 s a page for one every item has.
		// A prefix of many items ("+" keeps SQLite off the ext_id index)
		// is tested row by row along the sort's index instead, which meets
		// a hundred matches soon when they are that many.
		lhs := "s.ext_id"
		if q.Sort != SortItemID {
			var n int
			if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 FROM item_summary WHERE ext_id >= ? AND ext_id < ? LIMIT ?)",
				q.Search, q.Search+"\xff", broadPrefix).Scan(&n); err != nil {
				return ItemPage{}, err
			}
			if n >= broadPrefix {
				lhs = "+s.ext_id"
			}
		}
		conds = append(conds, lhs+" >= ? AND "+lhs+" < ?")
		args = append(args, q.Search, q.Search+"\xff")
	}
	if where, wargs, joined := where(q.Filter); where != "" {
		join := ""
		if joined {
			join = " JOIN annotators a ON a.id = n.annotator_id"
		}
		conds = append(conds, "EXISTS (SELECT 1 FROM annotations n"+join+where+" AND n.item_id = s.item_id)")
		args = append(args, wargs...)
	}
	dir, cmp := "ASC", ">"
	if q.Desc {
		dir, cmp = "DESC", "<"
	}
	order := " ORDER BY s." + col + " " + dir + ", s.item_id " + dir + " LIMIT ?"
	part := func(extra ...string) string {
		c := append(slices.Clip(conds), extra...)
		if len(c) == 0 {
			return "SELECT * FROM item_summary s" + order
		}
		return "SELECT * FROM item_summary s WHERE " + strings.Join(c, " AND ") + order
	}
	inner := part()
	innerArgs := append(slices.Clip(args), limit+1)
	if !q.After.IsZero() {
		// After the cursor: the rest of its key's rows, then the keys
		// beyond it, each a seek into the (key, item_id) index. SQLite
		// seeks a row value (key, item_id) > (?, ?) on the key alone and
		// filters item_id row by row: a deep page of a key that half the
		// items share took 130 ms.
		var key any = q.After.num
		if q.Sort == SortItemID {
			key = q.After.text
		}
		inner = "SELECT * FROM (" + part("s."+col+" = ?", "s.item_id "+cmp+" ?") + ") UNION ALL SELECT * FROM (" + part("s."+col+" "+cmp+" ?") + ")"
		innerArgs = append(append(slices.Clip(args), key, q.After.id, limit+1), args...)
		innerArgs = append(innerArgs, key, limit+1)
	}
	// The page's rows are found in the summary's indexes first; content
	// and the gold label's name are looked up for those rows only.
	query := `SELECT p.item_id, p.ext_id, coalesce(i.content, ''), p.judgments, p.labels, p.disagree,
		coalesce(l.name, ''), p.gold_label IS NOT NULL, p.first_at, p.last_at, p.` + col + `
		FROM (SELECT * FROM (` + inner + `) ORDER BY ` + col + ` ` + dir + `, item_id ` + dir + ` LIMIT ?) p
		LEFT JOIN items i ON i.id = p.item_id LEFT JOIN labels l ON l.id = p.gold_label
		ORDER BY p.` + col + ` ` + dir + `, p.item_id ` + dir
	args = append(innerArgs, limit+1)
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

// summaryRows are item_summary rows for a feed: item_id, judgments,
// labels, disagree, gold_label, gold_ord, first_at, last_at (ext_id is
// joined from items).
type summaryRows struct {
	item                           []int64
	judgments, labels, disagree    []int32
	gold, goldOrd, firstAt, lastAt []int64
}

const summaryFeedCols = 8

func (r *summaryRows) Len() int { return len(r.item) }

func (r *summaryRows) Column(i, col int) vtab.Value {
	switch col {
	case 0:
		return r.item[i]
	case 1:
		return int64(r.judgments[i])
	case 2:
		return int64(r.labels[i])
	case 3:
		return int64(r.disagree[i])
	case 4:
		if r.gold[i] == 0 {
			return nil
		}
		return r.gold[i]
	case 5:
		return r.goldOrd[i]
	case 6:
		return r.firstAt[i]
	}
	return r.lastAt[i]
}

// summarize reads the annotations and the current golden set into
// item_summary rows, in item id order. One scan of the annotations in
// rowid order; each item's judgments are chained (head, next), as items
// have a handful. SQL's GROUP BY item_id, label_id then GROUP BY item_id
// took 8 to 20 s on a million judgments (two sorts through temporary
// B-trees); this takes under a second.
func (s *Store) summarize(ctx context.Context) (*summaryRows, error) {
	var maxItem int64
	if err := s.db.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM items").Scan(&maxItem); err != nil {
		return nil, err
	}
	head := make([]int32, maxItem+1)
	for i := range head {
		head[i] = -1
	}
	var next, label []int32
	var at []int64
	_, err := s.collect(ctx, "SELECT "+collectFunc+"(?, item_id, label_id, submitted_at) FROM annotations", nil, func(row []driver.Value) error {
		item := asInt(row[0])
		if item < 1 || item > maxItem {
			return fmt.Errorf("store: annotation of item %d, beyond the items table", item)
		}
		j := int32(len(next))
		next = append(next, head[item])
		head[item] = j
		label = append(label, int32(asInt(row[1])))
		t, ok := row[2].(int64)
		if !ok {
			t = noItemTime
		}
		at = append(at, t)
		return nil
	})
	if err != nil {
		return nil, err
	}
	gold, err := s.CurrentGold(ctx)
	if err != nil {
		return nil, err
	}
	labels, err := s.Labels(ctx)
	if err != nil {
		return nil, err
	}
	ord := map[int64]int64{}
	for _, l := range labels {
		ord[l.ID] = int64(l.Order)
	}
	r := &summaryRows{}
	counts := map[int32]int32{}
	for item := int64(1); item <= maxItem; item++ {
		if head[item] < 0 {
			continue
		}
		clear(counts)
		n, top := int32(0), int32(0)
		first, last := noItemTime, noItemTime
		for j := head[item]; j >= 0; j = next[j] {
			n++
			c := counts[label[j]] + 1
			counts[label[j]] = c
			top = max(top, c)
			if t := at[j]; t != noItemTime {
				if first == noItemTime || t < first {
					first = t
				}
				last = max(last, t)
			}
		}
		g, o := gold[item], noGoldOrd
		if g != 0 {
			o = ord[g]
		}
		r.item = append(r.item, item)
		r.judgments = append(r.judgments, n)
		r.labels = append(r.labels, int32(len(counts)))
		r.disagree = append(r.disagree, n-top)
		r.gold = append(r.gold, g)
		r.goldOrd = append(r.goldOrd, o)
		r.firstAt = append(r.firstAt, first)
		r.lastAt = append(r.lastAt, last)
	}
	return r, nil
}

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

// ensureSortIndex makes the index on (col, item_id) of schema's
// item_summary unless it is there. Each sort's index is made on the first
// page asked in that order after the summary was built: a million
// judgments' 700,000 items take about a second per index (two for ext_id),
// and a list is mostly read in one or two orders. A project opened
// read-only whose file lacks the index copies its summary into the
// connection's temporary schema and indexes that; it returns the schema
// the summary is then read from.
func (s *Store) ensureSortIndex(ctx context.Context, schema, col string) (string, error) {
	master := "sqlite_master"
	if schema == "temp." {
		master = "sqlite_temp_master"
	}
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM "+master+" WHERE type = 'index' AND name = ?", "item_summary_"+col).Scan(&n); err != nil || n > 0 {
		return schema, err
	}
	if schema == "main." && s.ReadOnly() {
		stamp, err := batchStamp(ctx, s.db)
		if err != nil {
			return "", err
		}
		if err := s.buildItemSummary(ctx, "temp.", stamp); err != nil {
			return "", err
		}
		schema = "temp."
	}
	return schema, s.writeSummary(ctx, schema, func() error {
		_, err := s.db.ExecContext(ctx, fmt.Sprintf("CREATE INDEX IF NOT EXISTS %sitem_summary_%s ON item_summary(%s, item_id)", schema, col, col))
		return err
	})
}

// writeSummary runs fn, which writes schema's item summary. A read-only
// connection is query_only: it is lifted for fn, which then writes only
// the connection's temporary schema.
func (s *Store) writeSummary(ctx context.Context, schema string, fn func() error) (err error) {
	if schema == "temp." && !s.write {
		if _, err := s.db.ExecContext(ctx, "PRAGMA query_only = 0"); err != nil {
			return err
		}
		defer func() {
			if _, e := s.db.ExecContext(context.WithoutCancel(ctx), "PRAGMA query_only = 1"); err == nil {
				err = e
			}
		}()
	}
	return fn()
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
// connection's temporary schema, which it returns ("main." or "temp.").
// A million judgments take about three seconds (see docs/PERFORMANCE.md);
// every later page reads the summary only.
func (s *Store) ensureItemSummary(ctx context.Context) (string, error) {
	stamp, err := batchStamp(ctx, s.db)
	if err != nil {
		return "", err
	}
	var temp string
	switch err := s.db.QueryRowContext(ctx, "SELECT stamp FROM temp.item_summary_state").Scan(&temp); {
	case err == nil:
		if temp == stamp {
			return "temp.", nil
		}
		return "temp.", s.buildItemSummary(ctx, "temp.", stamp)
	case !strings.Contains(err.Error(), "no such table") && !errors.Is(err, sql.ErrNoRows):
		return "", err
	}
	var built string
	if err := s.db.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", itemSummaryKey).Scan(&built); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	if built == stamp {
		return "main.", nil
	}
	if s.ReadOnly() {
		return "temp.", s.buildItemSummary(ctx, "temp.", stamp)
	}
	if err := s.checkBeforeWrite(ctx); err != nil {
		return "", err
	}
	return "main.", s.buildItemSummary(ctx, "main.", stamp)
}

// buildItemSummary fills schema's item_summary in one transaction and
// records stamp as what it was built from. The sort indexes are dropped
// first and made again when a page asks for them (ensureSortIndex).
func (s *Store) buildItemSummary(ctx context.Context, schema, stamp string) error {
	return s.writeSummary(ctx, schema, func() error { return s.fillItemSummary(ctx, schema, stamp) })
}

func (s *Store) fillItemSummary(ctx context.Context, schema, stamp string) error {
	rows, err := s.summarize(ctx)
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	f := newFeed("item_summary", summaryFeedCols)
	defer dropFeed(f)
	f.src = rows
	steps := []string{}
	if schema == "temp." {
		steps = append(steps, itemSummaryTemp)
	}
	steps = append(steps, dropItemSummaryIndexes(schema)...)
	steps = append(steps, "DELETE FROM "+schema+"item_summary", f.createSQL(),
		"INSERT INTO "+schema+"item_summary (item_id, ext_id, judgments, labels, disagree, gold_label, gold_ord, first_at, last_at) "+
			"SELECT c0, i.ext_id, c1, c2, c3, c4, c5, c6, c7 FROM temp."+f.name+" JOIN items i ON i.id = c0",
		f.dropSQL())
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
