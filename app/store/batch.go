package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"labelqa/app/inputerr"
	"labelqa/app/remedy"
	"labelqa/app/rules"
)

// The duplicate policies' names, as plain strings for callers that still
// keep them so (the workbench's import view); the policy is
// rules.DuplicatePolicy.
const (
	DupLast  = string(rules.DupLast)
	DupFirst = string(rules.DupFirst)
	DupKeep  = string(rules.DupKeep)
	DupError = string(rules.DupError)
)

// Judgment is one row of a batch file as the store keeps it: one
// annotator's label(s) for one item. The writer copies what it keeps, so a
// caller may reuse one Judgment for every row (the import does).
type Judgment struct {
	Row                  int // 1-based line or sheet row in the file: positions of problems, src_row
	ItemID, AnnotatorID  string
	Labels               []string // at least one; the first is the annotation's label
	Vendor, Team, Market string   // "" keeps the annotator's earlier value (rules.MergeAttribute)
	Queue                string
	Round                int
	At                   int64   // submission time, Unix ms; NoTime when unknown
	DurationS            float64 // NaN when unknown
	SOPVersion, Template string
	Content, Comment     string
	ErrorCategory        string // what kind of error the judgment is, "" when not said
	RootCause            string // why it was made (RCA), "" when not said
}

// NoTime is a Judgment's At when the file gives no submission time.
const NoTime = rules.NoTime

// BatchInfo describes the file being imported.
type BatchInfo struct {
	FileName   string // as the user gave it; shown in errors and reports
	Size       int64
	SHA256     string // "" when the caller sets it with SetSHA256 during the import
	Format     string
	Duplicates rules.DuplicatePolicy // rules.DupLast when empty
	AddLabels  bool                  // accept labels outside a declared label set
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

	itemIDs    map[string]int64
	annotators map[string]*annotatorRow
	labels     *labelCoder
	seen       *pairSet // (item, annotator) pairs of this file
	toDelete   []int64
	errs       inputerr.ErrorList

	queues    dict
	sops      dict
	templates dict
	errCats   dict // error categories; "" is NULL, not an entry
	causes    dict // root causes; likewise

	insAnnot    *sql.Stmt
	insLabel    *sql.Stmt
	pending     []annotationRow // annotations not yet handed to the loader
	pendingCols colMask         // the optional columns some of them fill
	items       itemChunk       // new items not yet handed to the loader
	extText     strings.Builder // the current block of item ids kept in itemIDs (see keepExt)
	firstID     int64           // the first annotation id of this batch
	deletedNew  int64           // annotations of this batch deleted as duplicates
	firstItemID int64           // the first new item's id
	load_       *loader
	annFeed     *feed
	itemFeed    *feed
}

// loader runs the INSERTs on its own goroutine, so that reading and coding
// the file (one core) overlaps with SQLite's work (the other). Chunks arrive
// in order over a small channel and go in through the import's feeds (see
// feed.go); the first error stops it.
type loader struct {
	ch        chan chunk
	closed    bool
	freeAnn   chan []annotationRow
	freeItems chan itemChunk
	done      chan struct{}
	failed    chan struct{} // closed at the first error
	err       error
	annFeed   *feed
	itemFeed  *feed
	insAnn    map[colMask]*sql.Stmt // by the optional columns a chunk fills (prepared when first needed)
	prepAnn   func(colMask) (*sql.Stmt, error)
	insItems  *sql.Stmt
	ctx       context.Context
	anns      int64 // rows the annotation inserts stored (checkIDs)
	items     int64 // rows the item inserts stored
}

// changes is the rows an insert stored; 0 when the driver cannot say,
// which checkIDs then refuses.
func changes(res sql.Result) int64 {
	n, _ := res.RowsAffected()
	return n
}

// chunk holds either annotations or items.
type chunk struct {
	ann   []annotationRow
	cols  colMask // the optional columns some annotation fills
	items itemChunk
}

// itemChunk is a chunk of new items; their contents are copied into text,
// which is reused with the chunk (SQLite has copied them by then), so a
// million-row import allocates no string per content.
type itemChunk struct {
	rows []itemRow
	text []byte
}

// add appends an item whose id text the caller keeps, copying content.
func (c *itemChunk) add(ext, content string) {
	row := itemRow{ext: ext}
	if content != "" {
		n := len(c.text)
		c.text = append(c.text, content...)
		// Should the append have moved text, earlier rows keep pointing into
		// the old array, which they keep alive; nothing writes there again.
		row.content = unsafe.String(&c.text[n], len(content))
	}
	c.rows = append(c.rows, row)
}

func newLoader(ctx context.Context, annFeed, itemFeed *feed, prepAnn func(colMask) (*sql.Stmt, error), insItems *sql.Stmt) *loader {
	l := &loader{ch: make(chan chunk, 8), freeAnn: make(chan []annotationRow, 12), freeItems: make(chan itemChunk, 12),
		done: make(chan struct{}), failed: make(chan struct{}), annFeed: annFeed, itemFeed: itemFeed, insAnn: map[colMask]*sql.Stmt{}, prepAnn: prepAnn, insItems: insItems, ctx: ctx}
	go l.run(l.ch)
	return l
}

func (l *loader) run(ch <-chan chunk) {
	defer close(l.done)
	for c := range ch {
		if l.err != nil {
			continue // drain after a failure
		}
		if c.items.rows != nil {
			l.itemFeed.src = itemRows(c.items.rows)
			var res sql.Result
			if res, l.err = l.insItems.ExecContext(l.ctx); l.err == nil {
				l.items += changes(res)
			}
			l.itemFeed.src = nil
			clear(c.items.rows) // drop the strings; SQLite copied them
			select {
			case l.freeItems <- itemChunk{rows: c.items.rows[:0], text: c.items.text[:0]}:
			default:
			}
		} else {
			l.annFeed.src = annotationRows(c.ann)
			ins, ok := l.insAnn[c.cols]
			if !ok {
				if ins, l.err = l.prepAnn(c.cols); l.err == nil {
					l.insAnn[c.cols] = ins
				}
			}
			var res sql.Result
			if l.err == nil {
				if res, l.err = ins.ExecContext(l.ctx); l.err == nil {
					l.anns += changes(res)
				}
			}
			l.annFeed.src = nil
			clear(c.ann)
			select {
			case l.freeAnn <- c.ann[:0]:
			default:
			}
		}
		if l.err != nil {
			close(l.failed)
		}
	}
}

// annBuffer and itemBuffer return an empty chunk, recycled when one is free.
func (l *loader) annBuffer() []annotationRow {
	select {
	case b := <-l.freeAnn:
		return b
	default:
		return make([]annotationRow, 0, rowsPerInsert)
	}
}

func (l *loader) itemBuffer() itemChunk {
	select {
	case b := <-l.freeItems:
		return b
	default:
		return itemChunk{rows: make([]itemRow, 0, itemRowsPerInsert), text: make([]byte, 0, 128*itemRowsPerInsert)}
	}
}

// wait closes the loader and returns its first error.
func (l *loader) wait() error {
	if !l.closed {
		close(l.ch)
		l.closed = true
	}
	<-l.done
	return l.err
}

type annotatorRow struct {
	id                   int64
	vendor, team, market string
	changed              bool
}

// merge applies rules.MergeAttribute to one of a's attributes, copying a
// new value out of the caller's buffer.
func (a *annotatorRow) merge(attr *string, next string) {
	if v := rules.MergeAttribute(*attr, next); v != *attr {
		*attr, a.changed = strings.Clone(v), true
	}
}

// pairKey packs an (item, annotator) pair into one word (see pairSet).
func pairKey(item, annotator int64) uint64 { return uint64(item)<<24 | uint64(annotator) }

// maxAnnotators is the most annotators a project can hold (pairKey's 24 bits).
const maxAnnotators = 1<<24 - 1

// Rows go to the loader in chunks: one INSERT ... SELECT per chunk.
const (
	rowsPerInsert     = 1024
	itemRowsPerInsert = 2048
)

// dict codes the few distinct names of a column (queues, SOP versions,
// templates) as integer ids, adding new names as they are met.
type dict struct {
	table    string
	ids      map[string]int64
	ins      *sql.Stmt
	lastName string
	lastID   int64
}

func loadDict(ctx context.Context, tx *sql.Tx, table string) (dict, error) {
	d := dict{table: table, ids: map[string]int64{}}
	if err := scanMap(ctx, tx, "SELECT name, id FROM "+table, d.ids); err != nil {
		return d, err
	}
	var err error
	d.ins, err = tx.PrepareContext(ctx, "INSERT INTO "+table+"(name) VALUES (?)")
	return d, err
}

func (d *dict) id(ctx context.Context, name string) (int64, error) {
	if name == d.lastName && d.lastID != 0 {
		return d.lastID, nil // consecutive rows nearly always repeat the value
	}
	if id, ok := d.ids[name]; ok {
		d.lastName, d.lastID = name, id
		return id, nil
	}
	res, err := d.ins.ExecContext(ctx, name)
	if err != nil {
		return 0, err
	}
	id, err := res.LastInsertId()
	d.ids[strings.Clone(name)] = id
	return id, err
}

// bulkForeignKeysOff turns foreign-key checks off during an import; the
// rows go in an order that satisfies them either way (tests check both).
var bulkForeignKeysOff = true

// BeginBatch starts an import. The caller must call Commit or Rollback.
func (s *Store) BeginBatch(ctx context.Context, info BatchInfo) (_ *BatchWriter, err error) {
	defer s.explain(ctx, &err)
	if _, err := rules.ParseDuplicatePolicy(string(info.Duplicates)); err != nil {
		return nil, err
	}
	info.Duplicates = info.Duplicates.OrDefault()
	if err := s.checkBeforeWrite(ctx); err != nil {
		return nil, err
	}
	if info.SHA256 != "" {
		if exists, err := s.BatchExists(ctx, info.SHA256); err != nil {
			return nil, err
		} else if exists {
			return nil, remedy.With(fmt.Errorf("%s: %w; to pass over it, skip files imported before", info.FileName, ErrBatchExists), remedy.Do(remedy.SkipImported))
		}
	}
	// The writer assigns every id itself from maps of what exists, so
	// per-row foreign-key probes (seven per annotation) only cost time. They
	// are off for this connection during the import and back on after it;
	// the tests run PRAGMA foreign_key_check after imports.
	if bulkForeignKeysOff {
		if _, err := s.db.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return nil, err
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		s.db.ExecContext(context.Background(), "PRAGMA foreign_keys = ON")
		return nil, err
	}
	w := &BatchWriter{s: s, tx: tx, info: info, annotators: map[string]*annotatorRow{}}
	if err := w.load(ctx); err != nil {
		w.Rollback()
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
	var res sql.Result
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
	// Sized up front, the maps never rehash while a big file streams in.
	hint := rowsHint(w.info.Size)
	w.itemIDs = make(map[string]int64, int(w.nextItemID-1)+hint*3/4)
	w.seen = newPairSet(int(w.nextItemID)+hint*3/4, hint)
	if err := loadItemIDs(ctx, tx, w.itemIDs); err != nil {
		return err
	}
	var err error
	if w.queues, err = loadDict(ctx, tx, "queues"); err != nil {
		return err
	}
	if w.sops, err = loadDict(ctx, tx, "sop_versions"); err != nil {
		return err
	}
	if w.templates, err = loadDict(ctx, tx, "templates"); err != nil {
		return err
	}
	if w.errCats, err = loadDict(ctx, tx, "error_categories"); err != nil {
		return err
	}
	if w.causes, err = loadDict(ctx, tx, "root_causes"); err != nil {
		return err
	}
	if w.labels, err = loadLabelCoder(ctx, tx); err != nil {
		return err
	}
	w.labelsClosed = len(w.labels.names) > 0
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

	sum := w.info.SHA256
	if sum == "" {
		sum = pendingSHA256 // unique: one import at a time holds the write lock
	}
	res, err = tx.ExecContext(ctx, `INSERT INTO batches(kind, file_name, size, sha256, format, imported_at, rows, stored, duplicates, dup_policy, mapping)
		VALUES ('annotations', ?, ?, ?, ?, ?, 0, 0, 0, ?, '{}')`,
		w.info.FileName, w.info.Size, sum, w.info.Format, time.Now().UTC().Format(time.RFC3339), string(w.info.Duplicates))
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
	if w.insAnnot, err = tx.PrepareContext(ctx, "INSERT INTO annotators(id, ext_id, vendor, team, market) VALUES (?, ?, ?, ?, ?)"); err != nil {
		return err
	}
	if w.insLabel, err = tx.PrepareContext(ctx, "INSERT INTO labels(id, name, ord, allow) VALUES (?, ?, ?, ?)"); err != nil {
		return err
	}
	w.annFeed = newFeed("annotations", annotationFeedCols)
	w.itemFeed = newFeed("items", itemFeedCols)
	for _, f := range []*feed{w.annFeed, w.itemFeed} {
		if _, err := tx.ExecContext(ctx, f.createSQL()); err != nil {
			return err
		}
	}
	prepAnn := func(cols colMask) (*sql.Stmt, error) {
		return tx.PrepareContext(ctx, insertAnnotationsSQL(w.annFeed.name, w.batchID, cols))
	}
	insItems, err := tx.PrepareContext(ctx, insertItems+w.itemFeed.columns(nil)+" FROM temp."+w.itemFeed.name)
	if err != nil {
		return err
	}
	w.firstID, w.firstItemID = w.nextAnnID, w.nextItemID
	w.load_ = newLoader(ctx, w.annFeed, w.itemFeed, prepAnn, insItems)
	w.pending = w.load_.annBuffer()
	w.items = w.load_.itemBuffer()
	return nil
}

// rowsHint guesses how many rows a batch file of size bytes holds, low
// rather than high (a map sized too big costs memory, one too small only
// grows): 180 bytes a row, as in an export with ad copy; at most 8 M.
func rowsHint(size int64) int {
	return int(min(max(size, 0)/180, 8<<20))
}

// loadItemIDs reads the project's items into m (external id -> id), through
// the collector: a big project holds hundreds of thousands.
func loadItemIDs(ctx context.Context, tx *sql.Tx, m map[string]int64) error {
	_, err := collect(ctx, tx, "SELECT "+collectFunc+"(?, ext_id, id) FROM items", nil, func(row []driver.Value) error {
		ext, _ := row[0].(string)
		m[strings.Clone(ext)] = asInt(row[1]) // the text is SQLite's memory
		return nil
	})
	return err
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

const insertItems = "INSERT INTO items(ext_id, content) SELECT "

// annotationColumns are the annotation feed's columns, in its order.
var annotationColumns = [annotationFeedCols]string{"item_id", "annotator_id", "label_id", "extra_labels", "queue_id", "round",
	"submitted_at", "duration_s", "sop_id", "template_id", "comment", "src_row", "error_category_id", "root_cause_id"}

// colMask says which of the optional columns (NULL in most rows of most
// files) a chunk of annotations fills. Each column a feed hands SQLite
// costs a callback and a few opcodes a row, so a chunk goes in through an
// INSERT that leaves out the optional columns it does not fill (NULL).
type colMask uint8

const (
	colExtra colMask = 1 << iota
	colComment
	colErrCat
	colCause
)

// optionalColumns are the feed columns of each colMask bit.
var optionalColumns = map[int]colMask{3: colExtra, 10: colComment, 12: colErrCat, 13: colCause}

// insertAnnotationsSQL is the INSERT ... SELECT of a chunk that fills the
// optional columns cols.
func insertAnnotationsSQL(feed string, batchID int64, cols colMask) string {
	names, values := []string{"batch_id"}, []string{strconv.FormatInt(batchID, 10)}
	for i, name := range annotationColumns {
		if bit, optional := optionalColumns[i]; optional && cols&bit == 0 {
			continue
		}
		names, values = append(names, name), append(values, "c"+strconv.Itoa(i))
	}
	return "INSERT INTO annotations(" + strings.Join(names, ", ") + ") SELECT " + strings.Join(values, ", ") + " FROM temp." + feed
}

// Add stores one judgment. Problems with it (an unknown label, a refused
// duplicate) come back as *inputerr.Error and are also kept in the
// writer's list; other errors are failures of the project file. Add keeps
// nothing of j: the caller may reuse it.
func (w *BatchWriter) Add(ctx context.Context, j *Judgment) (err error) {
	defer w.s.explain(ctx, &err)
	w.res.Rows++
	labelID, extra, err := w.labelIDs(ctx, j.Row, j.Labels)
	if err != nil {
		var perr *inputerr.Error
		if errors.As(err, &perr) {
			w.errs.Add(perr)
		}
		return err
	}
	itemID, err := w.itemID(ctx, j.ItemID, j.Content)
	if err != nil {
		return err
	}
	annID, err := w.annotatorID(ctx, j)
	if err != nil {
		return err
	}

	at := j.At
	id := w.nextAnnID
	pi, steps := w.seen.find(itemID, annID)
	dup := pi >= 0
	if dup {
		prev := w.seen.at(pi)
		w.res.Duplicates++
		switch w.info.Duplicates.Resolve(prev.at, at) {
		case rules.Refuse:
			e := &inputerr.Error{File: w.info.FileName, Row: j.Row, Field: "annotator_id",
				Err: remedy.With(fmt.Errorf("annotator %q already labeled item %q on row %d; choose how to treat repeats", j.AnnotatorID, j.ItemID, prev.row), remedy.Do(remedy.ChooseDuplicates))}
			w.errs.Add(e)
			return e
		case rules.DropNew:
			return nil
		case rules.DropOld:
			w.toDelete = append(w.toDelete, w.firstID+int64(prev.off))
		}
	}
	// Under keep the pair's first row stays the one a later row meets.
	if r := (seenRow{at: at, off: uint32(id - w.firstID), row: uint32(j.Row)}); !dup {
		w.seen.add(itemID, annID, r, steps)
	} else if w.info.Duplicates != rules.DupKeep {
		prev := w.seen.at(pi)
		prev.at, prev.off, prev.row = r.at, r.off, r.row
	}
	w.nextAnnID++

	queue, err := w.queues.id(ctx, j.Queue)
	if err != nil {
		return err
	}
	sop, err := w.sops.id(ctx, j.SOPVersion)
	if err != nil {
		return err
	}
	tmpl, err := w.templates.id(ctx, j.Template)
	if err != nil {
		return err
	}
	var errCat, cause int64
	if j.ErrorCategory != "" {
		if errCat, err = w.errCats.id(ctx, j.ErrorCategory); err != nil {
			return err
		}
		w.pendingCols |= colErrCat
	}
	if j.RootCause != "" {
		if cause, err = w.causes.id(ctx, j.RootCause); err != nil {
			return err
		}
		w.pendingCols |= colCause
	}
	if extra != "" {
		w.pendingCols |= colExtra
	}
	if j.Comment != "" {
		w.pendingCols |= colComment
	}
	w.pending = append(w.pending, annotationRow{item: itemID, annotator: annID, label: labelID, extra: extra,
		queue: queue, round: int64(j.Round), at: at, dur: j.DurationS, hasDur: !math.IsNaN(j.DurationS),
		sop: sop, template: tmpl, comment: j.Comment, srcRow: int64(j.Row), errCat: errCat, cause: cause})
	if len(w.pending) == rowsPerInsert {
		return w.flush(ctx)
	}
	return nil
}

// flush hands the buffered items, then annotations, to the loader, so that
// every row a chunk refers to is stored before it (foreign keys hold even
// with their checks on).
func (w *BatchWriter) flush(ctx context.Context) error {
	if err := w.flushItems(ctx); err != nil {
		return err
	}
	if len(w.pending) == 0 {
		return nil
	}
	if err := w.send(ctx, chunk{ann: w.pending, cols: w.pendingCols}); err != nil {
		return err
	}
	w.pending, w.pendingCols = w.load_.annBuffer(), 0
	return nil
}

func (w *BatchWriter) flushItems(ctx context.Context) error {
	if len(w.items.rows) == 0 {
		return nil
	}
	if err := w.send(ctx, chunk{items: w.items}); err != nil {
		return err
	}
	w.items = w.load_.itemBuffer()
	return nil
}

func (w *BatchWriter) send(ctx context.Context, c chunk) error {
	select {
	case w.load_.ch <- c:
	case <-ctx.Done():
		return ctx.Err()
	}
	// A failed insert stops the import at the next chunk.
	select {
	case <-w.load_.failed:
		return w.load_.wait()
	default:
	}
	return nil
}

func (w *BatchWriter) itemID(ctx context.Context, ext, content string) (int64, error) {
	if id, ok := w.itemIDs[ext]; ok {
		return id, nil
	}
	ext = w.keepExt(ext)
	id := w.nextItemID
	w.nextItemID++
	w.itemIDs[ext] = id
	w.res.NewItems++
	w.items.add(ext, content)
	if len(w.items.rows) == itemRowsPerInsert {
		return id, w.flushItems(ctx)
	}
	return id, nil
}

// keepExt copies a new item's id out of the caller's buffer for as long as
// the import runs. The ids go one after another into 64 KiB blocks (a
// strings.Builder never rewrites what it holds, so the strings stay valid
// as it grows): a million-row import keeps 700,000 ids, and one allocation
// per id and one per content were nearly a fifth of its allocations.
func (w *BatchWriter) keepExt(ext string) string {
	const block = 64 << 10
	if len(ext) > block/16 {
		return strings.Clone(ext)
	}
	b := &w.extText
	if b.Cap()-b.Len() < len(ext) {
		*b = strings.Builder{}
		b.Grow(block)
	}
	n := b.Len()
	b.WriteString(ext)
	return b.String()[n:]
}

func (w *BatchWriter) annotatorID(ctx context.Context, j *Judgment) (int64, error) {
	if a, ok := w.annotators[j.AnnotatorID]; ok {
		a.merge(&a.vendor, j.Vendor)
		a.merge(&a.team, j.Team)
		a.merge(&a.market, j.Market)
		return a.id, nil
	}
	if w.nextAnnotID > maxAnnotators {
		return 0, fmt.Errorf("the project already holds %d annotators, the most LabelQA stores", maxAnnotators)
	}
	a := &annotatorRow{id: w.nextAnnotID, vendor: strings.Clone(j.Vendor), team: strings.Clone(j.Team), market: strings.Clone(j.Market)}
	w.nextAnnotID++
	if _, err := w.insAnnot.ExecContext(ctx, a.id, strings.Clone(j.AnnotatorID), a.vendor, a.team, a.market); err != nil {
		return 0, err
	}
	w.annotators[strings.Clone(j.AnnotatorID)] = a
	w.res.NewAnnotators++
	return a.id, nil
}

// labelIDs codes a record's labels; the first is the annotation's label,
// the rest go into extra_labels. Another spelling of a known label (see
// LabelKey) is that label, and a label repeated in one judgment counts once.
// A label outside a closed set is an *inputerr.Error; any other error is a
// failure of the project file.
func (w *BatchWriter) labelIDs(ctx context.Context, row int, names []string) (int64, string, error) {
	var first int64
	var extra strings.Builder
	var ids [8]int64
	seen := ids[:0]
	for _, name := range names {
		id, ok := w.labels.lookup(name)
		if !ok {
			if w.labelsClosed && !w.info.AddLabels {
				return 0, "", &inputerr.Error{File: w.info.FileName, Row: row, Field: "label", Err: unknownLabel(name, w.labels.names)}
			}
			name = strings.Clone(name)
			id = w.nextLabelID
			w.nextLabelID++
			// Inserted now for the foreign key; its order is set in finish.
			if _, err := w.insLabel.ExecContext(ctx, id, name, 1<<30+id, boolInt(rules.IsApproveName(name))); err != nil {
				return 0, "", err
			}
			w.labels.add(name, id)
			w.res.NewLabels = append(w.res.NewLabels, name)
		}
		if slices.Contains(seen, id) {
			continue
		}
		seen = append(seen, id)
		if len(seen) == 1 {
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

// pendingSHA256 stands in the batch row until SetSHA256 is called.
const pendingSHA256 = "pending"

// SetSHA256 records the file's SHA-256 when the caller hashes the file while
// the import runs, and refuses a file imported before with ErrBatchExists.
func (w *BatchWriter) SetSHA256(ctx context.Context, sum string) (err error) {
	defer w.s.explain(ctx, &err)
	var n int
	if err := w.tx.QueryRowContext(ctx, "SELECT count(*) FROM batches WHERE sha256 = ? AND id != ?", sum, w.batchID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return remedy.With(fmt.Errorf("%s: %w; to pass over it, skip files imported before", w.info.FileName, ErrBatchExists), remedy.Do(remedy.SkipImported))
	}
	if _, err := w.tx.ExecContext(ctx, "UPDATE batches SET sha256 = ? WHERE id = ?", sum, w.batchID); err != nil {
		return err
	}
	w.info.SHA256 = sum
	return nil
}

// Commit finishes the import: new labels, annotator updates, duplicates
// against earlier batches, indexes, and the batch row. It refuses to commit
// while record problems remain.
func (w *BatchWriter) Commit(ctx context.Context, format string, mapping map[string]string) (_ BatchResult, err error) {
	defer w.s.explain(ctx, &err)
	if err := w.errs.Err(); err != nil {
		w.Rollback()
		return BatchResult{}, err
	}
	if w.info.SHA256 == "" {
		w.Rollback()
		return BatchResult{}, fmt.Errorf("%s: the import has no SHA-256 (call SetSHA256)", w.info.FileName)
	}
	if err := w.flush(ctx); err != nil {
		w.Rollback()
		return BatchResult{}, err
	}
	if err := w.load_.wait(); err != nil {
		w.Rollback()
		return BatchResult{}, err
	}
	if err := w.finish(ctx, format, mapping); err != nil {
		w.Rollback()
		return BatchResult{}, err
	}
	if err := w.dropFeeds(ctx); err != nil {
		w.Rollback()
		return BatchResult{}, err
	}
	err = w.tx.Commit()
	w.tx = nil
	dropFeed(w.annFeed)
	dropFeed(w.itemFeed)
	w.foreignKeysOn()
	if err != nil {
		return BatchResult{}, err
	}
	return w.res, nil
}

func (w *BatchWriter) foreignKeysOn() {
	w.s.db.ExecContext(context.Background(), "PRAGMA foreign_keys = ON")
}

func (w *BatchWriter) finish(ctx context.Context, format string, mapping map[string]string) error {
	tx := w.tx
	if err := w.checkIDs(ctx); err != nil {
		return err
	}
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
	// checkIDs counted the batch's annotations; the deletes said how many of
	// them went (a second count of a million rows took 0.1 s).
	w.res.Stored = int(w.nextAnnID - w.firstID - w.deletedNew)
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

// checkIDs confirms that SQLite gave the new annotations and items the ids
// the writer assigned them (the feeds leave ids to SQLite; see annotationRow).
//
// The inserts stored n rows (their counts), each with the next rowid (the
// largest + 1) unless the largest is already 2^63-1; so when n is the
// number of ids assigned and the largest id is the last assigned, the ids
// are exactly the assigned ones. That reads one row of the b-tree where
// counting the batch's rows read them all (0.15 s for a million).
func (w *BatchWriter) checkIDs(ctx context.Context) error {
	for _, t := range []struct {
		table          string
		first, next, n int64
	}{{"annotations", w.firstID, w.nextAnnID, w.load_.anns}, {"items", w.firstItemID, w.nextItemID, w.load_.items}} {
		n := t.n
		var last int64
		if err := w.tx.QueryRowContext(ctx, "SELECT coalesce(max(id), ?) FROM "+t.table, t.first-1).Scan(&last); err != nil {
			return err
		}
		if n != t.next-t.first || last != t.next-1 {
			return fmt.Errorf("%s: SQLite stored %s ids %d..%d (%d rows), expected %d..%d, so the import was not committed and the project is unchanged; "+
				"import the file again, and if this repeats, run labelqa on a copy of the project and report it", w.info.FileName, t.table, last-n+1, last, n, t.first, t.next-1)
		}
	}
	return nil
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
		SortLabelNames(names)
	}
	for i, name := range names {
		if _, err := w.tx.ExecContext(ctx, "UPDATE labels SET ord=? WHERE id=?", maxOrd+1+i, w.labels.ids[name]); err != nil {
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
		res, err := del.ExecContext(ctx, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if id >= w.firstID {
			w.deletedNew += n
		}
	}
	return nil
}

// crossBatchDuplicates applies the duplicate policy to pairs this batch
// shares with earlier batches. Only annotations of items the project held
// before this import can repeat one (items it created have no earlier
// annotation), which spares most of the index probes.
func (w *BatchWriter) crossBatchDuplicates(ctx context.Context) error {
	rows, err := w.tx.QueryContext(ctx, `
		SELECT n.id, coalesce(n.submitted_at, -9223372036854775808), n.src_row,
		       o.id, coalesce(o.submitted_at, -9223372036854775808), b.file_name, o.src_row,
		       i.ext_id, a.ext_id
		FROM annotations n
		JOIN annotations o ON o.item_id = n.item_id AND o.annotator_id = n.annotator_id AND o.id < ?
		JOIN batches b ON b.id = o.batch_id
		JOIN items i ON i.id = n.item_id
		JOIN annotators a ON a.id = n.annotator_id
		WHERE n.id >= ? AND n.item_id < ?`, w.firstID, w.firstID, w.firstItemID)
	if err != nil {
		return err
	}
	var del []int64
	// Under keep every row stays, so a pair's rows meet every earlier row
	// of the pair here; a repeat is counted once per row that repeats, as
	// reading the files counts it: the batch's later rows of the pair were
	// counted against its first, which is counted here once.
	var counted map[[2]string]bool
	if w.info.Duplicates == rules.DupKeep {
		counted = map[[2]string]bool{}
	}
	for rows.Next() {
		var nID, nAt, nRow, oID, oAt, oRow int64
		var oFile, item, ann string
		if err := rows.Scan(&nID, &nAt, &nRow, &oID, &oAt, &oFile, &oRow, &item, &ann); err != nil {
			rows.Close()
			return err
		}
		if counted != nil {
			if k := [2]string{item, ann}; !counted[k] {
				counted[k] = true
				w.res.Duplicates++
			}
			continue // keep: both rows stay
		}
		w.res.Duplicates++
		switch w.info.Duplicates.Resolve(oAt, nAt) {
		case rules.Refuse:
			w.errs.Add(&inputerr.Error{File: w.info.FileName, Row: int(nRow), Field: "annotator_id",
				Err: remedy.With(fmt.Errorf("annotator %q already labeled item %q in %s row %d; choose how to treat repeats", ann, item, oFile, oRow), remedy.Do(remedy.ChooseDuplicates))})
		case rules.DropNew:
			del = append(del, nID)
		case rules.DropOld:
			del = append(del, oID)
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

// dropFeeds removes the import's feed tables inside its transaction.
func (w *BatchWriter) dropFeeds(ctx context.Context) error {
	for _, f := range []*feed{w.annFeed, w.itemFeed} {
		if f == nil {
			continue
		}
		if _, err := w.tx.ExecContext(ctx, f.dropSQL()); err != nil {
			return err
		}
	}
	return nil
}

// Rollback abandons the import; the project is as it was before BeginBatch.
func (w *BatchWriter) Rollback() {
	if w.load_ != nil {
		w.load_.wait()
	}
	if w.tx != nil {
		w.tx.Rollback() // also drops the feed tables it created
		w.tx = nil
		w.foreignKeysOn()
	}
	for _, f := range []*feed{w.annFeed, w.itemFeed} {
		if f != nil {
			dropFeed(f)
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// IsAllowName is rules.IsApproveName.
func IsAllowName(name string) bool { return rules.IsApproveName(name) }
