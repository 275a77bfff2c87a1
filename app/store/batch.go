package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"labelqa/app/ingest"
)

// Duplicate policies for (item, annotator) pairs seen more than once.
const (
	DupLast  = "last"  // the latest submission replaces earlier ones (default)
	DupFirst = "first" // the earliest stays, later ones are dropped
	DupKeep  = "keep"  // every row is a separate judgment
	DupError = "error" // a duplicate is an error and the import is refused
)

// ValidDupPolicy reports whether p names a duplicate policy.
func ValidDupPolicy(p string) bool {
	switch p {
	case DupLast, DupFirst, DupKeep, DupError:
		return true
	}
	return false
}

// BatchInfo describes the file being imported.
type BatchInfo struct {
	FileName   string // as the user gave it; shown in errors and reports
	Size       int64
	SHA256     string
	Format     string
	Duplicates string // DupLast when empty
	AddLabels  bool   // accept labels outside a declared label set
}

// BatchResult is what an import stored.
type BatchResult struct {
	BatchID       int64
	Rows          int // records read
	Stored        int // annotations kept
	Duplicates    int // (item, annotator) rows that repeated an earlier one
	NewItems      int
	NewAnnotators int
	NewLabels     []string
}

// BatchWriter streams one batch file into the project inside a single
// transaction. Nothing is visible to other readers, and nothing survives a
// crash, until Commit returns.
type BatchWriter struct {
	s    *Store
	tx   *sql.Tx
	info BatchInfo
	res  BatchResult

	batchID      int64
	nextAnnID    int64
	nextItemID   int64
	nextAnnotID  int64
	nextLabelID  int64
	hadData      bool // the project held annotations before this import
	labelsClosed bool // the project has a declared label set
	droppedIdx   bool

	items      map[string]int64
	annotators map[string]*annotatorRow
	labels     map[string]int64
	labelNames []string // existing labels, for did-you-mean
	seen       map[pairKey]seenRow
	toDelete   []int64
	errs       ingest.ErrorList

	insItem  *sql.Stmt
	insAnnot *sql.Stmt
	insLabel *sql.Stmt
	insMany  *sql.Stmt
	pending  []any // flattened rows waiting for insMany
	nPending int
}

type annotatorRow struct {
	id                   int64
	vendor, team, market string
	changed              bool
}

type pairKey struct{ item, annotator int64 }

type seenRow struct {
	id  int64
	at  int64 // Unix ms, math.MinInt64 when unknown
	row int32
}

const annotationCols = 14

// rowsPerInsert rows go into one multi-row INSERT: fewer statement executions,
// well under SQLite's limit of 32766 bound parameters.
const rowsPerInsert = 256

// BeginBatch starts an import. The caller must call Commit or Rollback.
func (s *Store) BeginBatch(ctx context.Context, info BatchInfo) (*BatchWriter, error) {
	if info.Duplicates == "" {
		info.Duplicates = DupLast
	}
	if !ValidDupPolicy(info.Duplicates) {
		return nil, fmt.Errorf("unknown duplicate policy %q (use last, first, keep or error)", info.Duplicates)
	}
	if exists, err := s.BatchExists(ctx, info.SHA256); err != nil {
		return nil, err
	} else if exists {
		return nil, fmt.Errorf("%s: %w (use --skip-existing to skip it)", info.FileName, ErrBatchExists)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	w := &BatchWriter{s: s, tx: tx, info: info,
		items: map[string]int64{}, annotators: map[string]*annotatorRow{},
		labels: map[string]int64{}, seen: map[pairKey]seenRow{}}
	if err := w.load(ctx); err != nil {
		tx.Rollback()
		return nil, err
	}
	return w, nil
}

func (w *BatchWriter) load(ctx context.Context) error {
	tx := w.tx
	var n int64
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM annotations").Scan(&n); err != nil {
		return err
	}
	w.hadData = n > 0
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id),0)+1 FROM annotations").Scan(&w.nextAnnID); err != nil {
		return err
	}
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id),0)+1 FROM items").Scan(&w.nextItemID); err != nil {
		return err
	}
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id),0)+1 FROM annotators").Scan(&w.nextAnnotID); err != nil {
		return err
	}
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id),0)+1 FROM labels").Scan(&w.nextLabelID); err != nil {
		return err
	}
	if err := scanMap(ctx, tx, "SELECT ext_id, id FROM items", w.items); err != nil {
		return err
	}
	if err := scanMap(ctx, tx, "SELECT name, id FROM labels", w.labels); err != nil {
		return err
	}
	for name := range w.labels {
		w.labelNames = append(w.labelNames, name)
	}
	sort.Strings(w.labelNames)
	w.labelsClosed = len(w.labels) > 0
	rows, err := tx.QueryContext(ctx, "SELECT id, ext_id, vendor, team, market FROM annotators")
	if err != nil {
		return err
	}
	for rows.Next() {
		a := &annotatorRow{}
		var ext string
		if err := rows.Scan(&a.id, &ext, &a.vendor, &a.team, &a.market); err != nil {
			rows.Close()
			return err
		}
		w.annotators[ext] = a
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}

	res, err := tx.ExecContext(ctx, `INSERT INTO batches(kind, file_name, size, sha256, format, imported_at, rows, stored, duplicates, dup_policy, mapping)
		VALUES ('annotations', ?, ?, ?, ?, ?, 0, 0, 0, ?, '{}')`,
		w.info.FileName, w.info.Size, w.info.SHA256, w.info.Format, time.Now().UTC().Format(time.RFC3339), w.info.Duplicates)
	if err != nil {
		return err
	}
	if w.batchID, err = res.LastInsertId(); err != nil {
		return err
	}
	// A load into a small project rebuilds the indexes once at the end; a
	// small load into a big project keeps them (rebuilding would cost more).
	estRows := w.info.Size / 60
	if n < 4*estRows {
		for _, q := range dropAnnotationIndexes {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		w.droppedIdx = true
	}
	if w.insItem, err = tx.PrepareContext(ctx, "INSERT INTO items(id, ext_id, content) VALUES (?, ?, ?)"); err != nil {
		return err
	}
	if w.insAnnot, err = tx.PrepareContext(ctx, "INSERT INTO annotators(id, ext_id, vendor, team, market) VALUES (?, ?, ?, ?, ?)"); err != nil {
		return err
	}
	if w.insLabel, err = tx.PrepareContext(ctx, "INSERT INTO labels(id, name, ord, allow) VALUES (?, ?, ?, ?)"); err != nil {
		return err
	}
	if w.insMany, err = tx.PrepareContext(ctx, insertAnnotationsSQL(rowsPerInsert)); err != nil {
		return err
	}
	w.pending = make([]any, 0, rowsPerInsert*annotationCols)
	return nil
}

func scanMap(ctx context.Context, tx *sql.Tx, q string, m map[string]int64) error {
	rows, err := tx.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var v int64
		if err := rows.Scan(&k, &v); err != nil {
			return err
		}
		m[k] = v
	}
	return rows.Err()
}

func insertAnnotationsSQL(n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO annotations(id, item_id, annotator_id, label_id, extra_labels, queue, round, submitted_at, duration_s, sop_version, template, comment, batch_id, src_row) VALUES ")
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", annotationCols), ",") + ")"
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(one)
	}
	return b.String()
}

// Add stores one record. Problems with the record (an unknown label, a
// refused duplicate) come back as *ingest.Error and are also kept in the
// writer's list; other errors are failures of the project file.
func (w *BatchWriter) Add(ctx context.Context, r *ingest.Record) error {
	w.res.Rows++
	labelID, extra, perr := w.labelIDs(r.Row, r.Labels)
	if perr != nil {
		w.errs.Add(perr)
		return perr
	}
	itemID, err := w.itemID(ctx, r.ItemID, r.Content)
	if err != nil {
		return err
	}
	annID, err := w.annotatorID(ctx, r)
	if err != nil {
		return err
	}

	at := int64(math.MinInt64)
	var atVal any
	if r.HasTime() {
		at = r.SubmittedAt.UnixMilli()
		atVal = at
	}
	id := w.nextAnnID
	key := pairKey{itemID, annID}
	if prev, dup := w.seen[key]; dup {
		w.res.Duplicates++
		switch w.info.Duplicates {
		case DupError:
			e := &ingest.Error{File: w.info.FileName, Row: r.Row, Field: "annotator_id",
				Err: fmt.Errorf("annotator %q already labeled item %q on row %d; choose how to treat repeats with --duplicates last|first|keep", r.AnnotatorID, r.ItemID, prev.row)}
			w.errs.Add(e)
			return e
		case DupFirst:
			return nil
		case DupLast:
			if prev.at != math.MinInt64 && at != math.MinInt64 && at < prev.at {
				return nil // the earlier row in the file is the later submission
			}
			w.toDelete = append(w.toDelete, prev.id)
		}
	}
	if w.info.Duplicates != DupKeep {
		w.seen[key] = seenRow{id: id, at: at, row: int32(r.Row)}
	} else if _, dup := w.seen[key]; !dup {
		w.seen[key] = seenRow{id: id, at: at, row: int32(r.Row)}
	}
	w.nextAnnID++

	var dur any
	if r.HasDuration() {
		dur = r.DurationS
	}
	w.pending = append(w.pending, id, itemID, annID, labelID, extra, r.Queue, r.Round, atVal, dur,
		r.SOPVersion, r.Template, r.Comment, w.batchID, r.Row)
	w.nPending++
	if w.nPending == rowsPerInsert {
		return w.flush(ctx)
	}
	return nil
}

func (w *BatchWriter) flush(ctx context.Context) error {
	if w.nPending == 0 {
		return nil
	}
	var err error
	if w.nPending == rowsPerInsert {
		_, err = w.insMany.ExecContext(ctx, w.pending...)
	} else {
		_, err = w.tx.ExecContext(ctx, insertAnnotationsSQL(w.nPending), w.pending...)
	}
	w.pending = w.pending[:0]
	w.nPending = 0
	return err
}

func (w *BatchWriter) itemID(ctx context.Context, ext, content string) (int64, error) {
	if id, ok := w.items[ext]; ok {
		return id, nil
	}
	ext = strings.Clone(ext)
	id := w.nextItemID
	w.nextItemID++
	if _, err := w.insItem.ExecContext(ctx, id, ext, content); err != nil {
		return 0, err
	}
	w.items[ext] = id
	w.res.NewItems++
	return id, nil
}

func (w *BatchWriter) annotatorID(ctx context.Context, r *ingest.Record) (int64, error) {
	if a, ok := w.annotators[r.AnnotatorID]; ok {
		// The latest non-empty vendor, team and market win.
		if r.Vendor != "" && r.Vendor != a.vendor {
			a.vendor, a.changed = strings.Clone(r.Vendor), true
		}
		if r.Team != "" && r.Team != a.team {
			a.team, a.changed = strings.Clone(r.Team), true
		}
		if r.Market != "" && r.Market != a.market {
			a.market, a.changed = strings.Clone(r.Market), true
		}
		return a.id, nil
	}
	a := &annotatorRow{id: w.nextAnnotID, vendor: strings.Clone(r.Vendor), team: strings.Clone(r.Team), market: strings.Clone(r.Market)}
	w.nextAnnotID++
	if _, err := w.insAnnot.ExecContext(ctx, a.id, strings.Clone(r.AnnotatorID), a.vendor, a.team, a.market); err != nil {
		return 0, err
	}
	w.annotators[strings.Clone(r.AnnotatorID)] = a
	w.res.NewAnnotators++
	return a.id, nil
}

// labelIDs codes a record's labels; the first is the annotation's label,
// the rest go into extra_labels.
func (w *BatchWriter) labelIDs(row int, names []string) (int64, string, *ingest.Error) {
	var first int64
	var extra strings.Builder
	for i, name := range names {
		id, ok := w.labels[name]
		if !ok {
			if w.labelsClosed && !w.info.AddLabels {
				return 0, "", &ingest.Error{File: w.info.FileName, Row: row, Field: "label", Err: unknownLabel(name, w.labelNames)}
			}
			name = strings.Clone(name)
			id = w.nextLabelID
			w.nextLabelID++
			// Inserted now for the foreign key; its order is set in finish.
			if _, err := w.insLabel.Exec(id, name, 1<<30+id, boolInt(IsAllowName(name))); err != nil {
				return 0, "", &ingest.Error{File: w.info.FileName, Row: row, Field: "label", Err: err}
			}
			w.labels[name] = id
			w.res.NewLabels = append(w.res.NewLabels, name)
		}
		if i == 0 {
			first = id
			continue
		}
		if extra.Len() > 0 {
			extra.WriteByte(',')
		}
		extra.WriteString(strconv.FormatInt(id, 10))
	}
	return first, extra.String(), nil
}

// Errors returns the record problems found so far.
func (w *BatchWriter) Errors() *ingest.ErrorList { return &w.errs }

// Commit finishes the import: new labels, annotator updates, duplicates
// against earlier batches, indexes, and the batch row. It refuses to commit
// while record problems remain.
func (w *BatchWriter) Commit(ctx context.Context, format string, mapping map[string]string) (BatchResult, error) {
	if err := w.errs.Err(); err != nil {
		w.Rollback()
		return BatchResult{}, err
	}
	if err := w.flush(ctx); err != nil {
		w.Rollback()
		return BatchResult{}, err
	}
	if err := w.finish(ctx, format, mapping); err != nil {
		w.Rollback()
		return BatchResult{}, err
	}
	if err := w.tx.Commit(); err != nil {
		return BatchResult{}, err
	}
	w.tx = nil
	return w.res, nil
}

func (w *BatchWriter) finish(ctx context.Context, format string, mapping map[string]string) error {
	tx := w.tx
	if err := w.insertNewLabels(ctx); err != nil {
		return err
	}
	for ext, a := range w.annotators {
		if a.changed {
			if _, err := tx.ExecContext(ctx, "UPDATE annotators SET vendor=?, team=?, market=? WHERE id=?", a.vendor, a.team, a.market, a.id); err != nil {
				return fmt.Errorf("annotator %s: %w", ext, err)
			}
		}
	}
	if err := w.deleteIDs(ctx, w.toDelete); err != nil {
		return err
	}
	if w.droppedIdx {
		for _, q := range annotationIndexes {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
	}
	if w.hadData {
		if err := w.crossBatchDuplicates(ctx); err != nil {
			return err
		}
	}
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM annotations WHERE batch_id=?", w.batchID).Scan(&w.res.Stored); err != nil {
		return err
	}
	if w.res.Rows == 0 {
		return fmt.Errorf("%s: the file has no records to import", w.info.FileName)
	}
	m, _ := json.Marshal(mapping)
	if format == "" {
		format = w.info.Format
	}
	_, err := tx.ExecContext(ctx, "UPDATE batches SET rows=?, stored=?, duplicates=?, mapping=?, format=? WHERE id=?",
		w.res.Rows, w.res.Stored, w.res.Duplicates, string(m), format, w.batchID)
	w.res.BatchID = w.batchID
	return err
}

// insertNewLabels orders the labels first seen in this import. Labels of a
// project's first import are ordered by name; later additions go after the
// declared ones in the order they were met.
func (w *BatchWriter) insertNewLabels(ctx context.Context) error {
	if len(w.res.NewLabels) == 0 {
		return nil
	}
	var maxOrd int
	if err := w.tx.QueryRowContext(ctx, "SELECT coalesce(max(ord), -1) FROM labels WHERE ord < ?", 1<<30).Scan(&maxOrd); err != nil {
		return err
	}
	names := append([]string(nil), w.res.NewLabels...)
	if !w.labelsClosed {
		sort.Strings(names)
	}
	for i, name := range names {
		if _, err := w.tx.ExecContext(ctx, "UPDATE labels SET ord=? WHERE id=?", maxOrd+1+i, w.labels[name]); err != nil {
			return err
		}
	}
	return nil
}

func (w *BatchWriter) deleteIDs(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	del, err := w.tx.PrepareContext(ctx, "DELETE FROM annotations WHERE id=?")
	if err != nil {
		return err
	}
	defer del.Close()
	for _, id := range ids {
		if _, err := del.ExecContext(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// crossBatchDuplicates applies the duplicate policy to pairs this batch
// shares with earlier batches.
func (w *BatchWriter) crossBatchDuplicates(ctx context.Context) error {
	rows, err := w.tx.QueryContext(ctx, `
		SELECT n.id, coalesce(n.submitted_at, -9223372036854775808), n.src_row,
		       o.id, coalesce(o.submitted_at, -9223372036854775808), b.file_name, o.src_row,
		       i.ext_id, a.ext_id
		FROM annotations n
		JOIN annotations o ON o.item_id = n.item_id AND o.annotator_id = n.annotator_id AND o.batch_id <> n.batch_id
		JOIN batches b ON b.id = o.batch_id
		JOIN items i ON i.id = n.item_id
		JOIN annotators a ON a.id = n.annotator_id
		WHERE n.batch_id = ?`, w.batchID)
	if err != nil {
		return err
	}
	var del []int64
	for rows.Next() {
		var nID, nAt, nRow, oID, oAt, oRow int64
		var oFile, item, ann string
		if err := rows.Scan(&nID, &nAt, &nRow, &oID, &oAt, &oFile, &oRow, &item, &ann); err != nil {
			rows.Close()
			return err
		}
		w.res.Duplicates++
		switch w.info.Duplicates {
		case DupError:
			w.errs.Add(&ingest.Error{File: w.info.FileName, Row: int(nRow), Field: "annotator_id",
				Err: fmt.Errorf("annotator %q already labeled item %q in %s row %d; choose how to treat repeats with --duplicates last|first|keep", ann, item, oFile, oRow)})
		case DupFirst:
			del = append(del, nID)
		case DupLast:
			if nAt != math.MinInt64 && oAt != math.MinInt64 && nAt < oAt {
				del = append(del, nID)
			} else {
				del = append(del, oID)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if err := w.errs.Err(); err != nil {
		return err
	}
	sort.Slice(del, func(i, j int) bool { return del[i] < del[j] })
	del = compactIDs(del)
	return w.deleteIDs(ctx, del)
}

func compactIDs(ids []int64) []int64 {
	out := ids[:0]
	for i, id := range ids {
		if i == 0 || id != ids[i-1] {
			out = append(out, id)
		}
	}
	return out
}

// Rollback abandons the import; the project is as it was before BeginBatch.
func (w *BatchWriter) Rollback() {
	if w.tx != nil {
		w.tx.Rollback()
		w.tx = nil
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// IsAllowName reports whether a label name is, by convention, the
// allow/approve decision rather than a violation class.
func IsAllowName(name string) bool {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "approve", "approved", "allow", "allowed", "ok", "pass", "safe", "no_violation", "none", "clean", "benign", "acceptable":
		return true
	}
	return false
}
