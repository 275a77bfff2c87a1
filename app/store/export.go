package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"labelqa/app/query"
)

// PracticeQueue is the queue of training items with feedback (DOMAIN.md):
// the one queue whose golden answers a vendor may see.
const PracticeQueue = "practice"

// VendorScopeKey is the settings key of a vendor-scoped project's vendor
// (written by ExportVendor). core applies it to every read.
const VendorScopeKey = "vendor_scope"

// Errors of ExportVendor that the faces tell apart.
var (
	// ErrNoVendor: the vendor has no judgments in the project.
	ErrNoVendor = errors.New("no judgments of that vendor")
	// ErrExportOverSource: the export would replace the project it reads.
	ErrExportOverSource = errors.New("the export would replace its own source")
)

// VendorScope returns the vendor a vendor-scoped project (an export) is
// limited to, and whether it is.
func (s *Store) VendorScope(ctx context.Context) (_ string, _ bool, err error) {
	defer s.explain(ctx, &err)
	var v string
	err = s.db.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", VendorScopeKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return v, err == nil, err
}

// Vendors lists the vendors of annotators with judgments, sorted.
func (s *Store) Vendors(ctx context.Context) (_ []string, err error) {
	defer s.explain(ctx, &err)
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT a.vendor FROM annotators a
		WHERE EXISTS (SELECT 1 FROM annotations n NOT INDEXED WHERE n.annotator_id = a.id) ORDER BY a.vendor`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Forbidden is what must not appear in anything given to vendor: the
// other vendors' names and their reviewer ids. Every annotator of the
// project counts, with judgments or not.
type Forbidden struct {
	Vendors   []string
	Reviewers []string
}

// ForbiddenFor returns the names and reviewer ids of every vendor but
// vendor.
func (s *Store) ForbiddenFor(ctx context.Context, vendor string) (_ Forbidden, err error) {
	defer s.explain(ctx, &err)
	var f Forbidden
	rows, err := s.db.QueryContext(ctx, "SELECT ext_id, vendor FROM annotators WHERE vendor <> ? ORDER BY id", vendor)
	if err != nil {
		return f, err
	}
	defer rows.Close()
	seen := map[string]bool{}
	for rows.Next() {
		var id, v string
		if err := rows.Scan(&id, &v); err != nil {
			return f, err
		}
		f.Reviewers = append(f.Reviewers, id)
		if v != "" && !seen[v] {
			seen[v] = true
			f.Vendors = append(f.Vendors, v)
		}
	}
	sort.Strings(f.Vendors)
	return f, rows.Err()
}

// Redactor is the Redactor of f.
func (f Forbidden) Redactor() *Redactor { return NewRedactor(f.Vendors, f.Reviewers) }

// vendorCTE selects, in schema p ("main." or "src."), with ?1 the vendor:
// vn the vendor's judgments, vi the items they touch, and pg those of vi
// whose golden answers the vendor may see: gold items judged (by anyone)
// in the practice queue only. A gold item served in any other queue (live,
// test, 2RQA) is still in use and stays hidden.
func vendorCTE(p string) string {
	return strings.NewReplacer("{p}", p).Replace(`WITH
vn AS (SELECT n.id, n.item_id, n.batch_id FROM {p}annotations n WHERE n.annotator_id IN (SELECT id FROM {p}annotators WHERE vendor = ?1)),
vi AS (SELECT DISTINCT item_id FROM vn),
pg AS (SELECT v.item_id FROM vi v WHERE EXISTS (SELECT 1 FROM {p}gold_labels g WHERE g.item_id = v.item_id)
	AND NOT EXISTS (SELECT 1 FROM {p}annotations n JOIN {p}queues q ON q.id = n.queue_id WHERE n.item_id = v.item_id AND q.name <> '` + PracticeQueue + `'))
`)
}

// vendorFacts are the counts the vendor's batches and golden-set versions
// are listed with, read in one pass over the judgments (through the
// collector) instead of vendorCTE's scans and GROUP BYs, which took 1.9 s
// of a 1,000,000-judgment project's vendor workbook. They equal what
// vendorCTE selects (TestVendorFactsMatchCTE).
type vendorFacts struct {
	kept, total map[int64]int // per batch: the vendor's rows, all rows (judgments, gold answers, audits)
	pgVersion   map[int64]int // per golden-set version: answers of items the vendor may see (vendorCTE's pg)
}

// readVendorFacts counts, in schema p, vendor's judgments per batch and
// every batch's, the gold items whose answers the vendor may see (judged
// by the vendor, and by anyone in the practice queue only: pg), their
// answers per version, and the audits of the vendor's judgments.
func readVendorFacts(ctx context.Context, db *sql.DB, p, vendor string) (*vendorFacts, error) {
	vf := &vendorFacts{kept: map[int64]int{}, total: map[int64]int{}, pgVersion: map[int64]int{}}
	ids := func(query string, args ...any) (map[int64]bool, error) {
		rows, err := db.QueryContext(ctx, query, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := map[int64]bool{}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			out[id] = true
		}
		return out, rows.Err()
	}
	mine, err := ids("SELECT id FROM "+p+"annotators WHERE vendor = ?", vendor)
	if err != nil {
		return nil, err
	}
	practice, err := ids("SELECT id FROM "+p+"queues WHERE name = ?", PracticeQueue)
	if err != nil {
		return nil, err
	}
	var maxItem int64
	if err := db.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM "+p+"items").Scan(&maxItem); err != nil {
		return nil, err
	}
	// Per item: judged by the vendor (1), judged in a queue other than
	// practice by anyone (2).
	item := make([]uint8, maxItem+1)
	i64 := func(v any) int64 { n, _ := v.(int64); return n }
	if _, err := collect(ctx, db, "SELECT "+collectFunc+"(?, batch_id, annotator_id, item_id, queue_id) FROM "+p+"annotations", nil,
		func(row []driver.Value) error {
			b, a, it, q := i64(row[0]), i64(row[1]), i64(row[2]), i64(row[3])
			vf.total[b]++
			if it < 0 || it > maxItem {
				return fmt.Errorf("annotation of item %d beyond the items table", it)
			}
			if mine[a] {
				vf.kept[b]++
				item[it] |= 1
			}
			if !practice[q] {
				item[it] |= 2
			}
			return nil
		}); err != nil {
		return nil, err
	}
	versionBatch := map[int64]int64{}
	rows, err := db.QueryContext(ctx, "SELECT id, batch_id FROM "+p+"gold_versions")
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var v int64
		var b sql.NullInt64
		if err := rows.Scan(&v, &b); err != nil {
			rows.Close()
			return nil, err
		}
		if b.Valid {
			versionBatch[v] = b.Int64
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if _, err := collect(ctx, db, "SELECT "+collectFunc+"(?, version_id, item_id) FROM "+p+"gold_labels", nil,
		func(row []driver.Value) error {
			v, it := i64(row[0]), i64(row[1])
			b, hasBatch := versionBatch[v]
			if hasBatch {
				vf.total[b]++
			}
			if it >= 0 && it <= maxItem && item[it] == 1 { // the vendor's, never outside practice
				vf.pgVersion[v]++
				if hasBatch {
					vf.kept[b]++
				}
			}
			return nil
		}); err != nil {
		return nil, err
	}
	rows, err = db.QueryContext(ctx, "SELECT u.batch_id, n.annotator_id FROM "+p+"audits u LEFT JOIN "+p+"annotations n ON n.id = u.annotation_id WHERE u.batch_id IS NOT NULL")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var b int64
		var a sql.NullInt64
		if err := rows.Scan(&b, &a); err != nil {
			return nil, err
		}
		vf.total[b]++
		if a.Valid && mine[a.Int64] {
			vf.kept[b]++
		}
	}
	return vf, rows.Err()
}

// vendorBatches is the batches the judgments, visible golden answers and
// audits of a vendor come from, as a vendor may see them (VendorBatches).
func vendorBatches(ctx context.Context, db *sql.DB, p, vendor string, r *Redactor) (_ []Batch, shared []bool, _ error) {
	vf, err := readVendorFacts(ctx, db, p, vendor)
	if err != nil {
		return nil, nil, err
	}
	rows, err := db.QueryContext(ctx, `SELECT b.id, b.kind, b.file_name, b.size, b.sha256, b.format, b.imported_at, b.rows, b.stored, b.duplicates, b.dup_policy, b.mapping
FROM `+p+`batches b ORDER BY b.id`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var out []Batch
	for rows.Next() {
		var b Batch
		var at, mapping string
		if err := rows.Scan(&b.ID, &b.Kind, &b.FileName, &b.Size, &b.SHA256, &b.Format, &at, &b.Rows, &b.Stored, &b.Duplicates, &b.DupPolicy, &mapping); err != nil {
			return nil, nil, err
		}
		kept, total := vf.kept[b.ID], vf.total[b.ID]
		if kept == 0 {
			continue
		}
		b.ImportedAt, _ = time.Parse(time.RFC3339, at)
		_ = json.Unmarshal([]byte(mapping), &b.Mapping)
		out = append(out, vendorBatch(b, kept, total, r))
		shared = append(shared, kept < total)
	}
	return out, shared, rows.Err()
}

// vendorBatch is b as a vendor may see it: the file's base name (a folder
// can name anyone) with other vendors' names redacted, the column map
// redacted, and, when the file also held others' rows (kept < total), the
// vendor's row count and no size or duplicate count (they measure the
// others' share; an export also numbers the rows of such a file 1, 2, ...
// in their order, as their places in the file would too). The SHA-256 stays: it names the file the figures came
// from and reveals nothing of its content.
func vendorBatch(b Batch, kept, total int, r *Redactor) Batch {
	name, redacted := r.Text(baseName(b.FileName))
	b.FileName = name
	b.Mapping, _ = r.Mapping(b.Mapping)
	if redacted {
		// A file whose name named another vendor gets a neutral name: what
		// redaction leaves of a name can still tell part of another
		// ("[redacted]_and_bravo.csv" of "acme-plus_and_bravo.csv").
		b.FileName = fmt.Sprintf("shared-batch-%d%s", b.ID, strings.ToLower(filepath.Ext(baseName(b.FileName))))
	}
	if kept < total {
		b.Rows, b.Stored, b.Duplicates, b.Size = kept, kept, 0, 0
	}
	return b
}

// baseName is the last element of a path of either separator.
func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// VendorBatches lists the batches holding vendor's judgments, the golden
// answers vendor may see and the audits of its judgments, oldest first, as
// a vendor may see them: base file names with other vendors' names
// redacted, and a file that also held other vendors' rows counted with the
// vendor's rows only (no size, no duplicate count).
func (s *Store) VendorBatches(ctx context.Context, vendor string) (_ []Batch, err error) {
	defer s.explain(ctx, &err)
	f, err := s.ForbiddenFor(ctx, vendor)
	if err != nil {
		return nil, err
	}
	b, _, err := vendorBatches(ctx, s.db, "main.", vendor, f.Redactor())
	return b, err
}

// ExportResult is what ExportVendor wrote.
type ExportResult struct {
	Vendor      string `json:"vendor"`
	Path        string `json:"path"`
	Annotations int    `json:"annotations"`
	Annotators  int    `json:"annotators"`
	Items       int    `json:"items"`
	Batches     int    `json:"batches"`
	// GoldItems are the practice-queue gold items kept with their answers;
	// WithheldGold the gold items the vendor judged whose answers stay out
	// (still in use in another queue).
	GoldItems    int `json:"gold_items"`
	WithheldGold int `json:"withheld_gold_items"`
	Audits       int `json:"audits"`
	Tags         int `json:"root_cause_tags"`
	Targets      int `json:"targets"`
	// Redacted counts the values in which another vendor's name or reviewer
	// id was replaced.
	Redacted int   `json:"redacted_values"`
	Bytes    int64 `json:"bytes"`
}

// ExportVendor writes a new project at dst holding only vendor's part of
// this one: its annotators and judgments, the items they touch (content
// redacted), the label set, the batches they come from (as VendorBatches
// shows them), the golden answers of practice-queue items only, the audits
// and root-cause tags of its judgments (none on a gold item still in use)
// and the targets of every vendor or of vendor. Every free text (content,
// comments, rationale, notes, names of queues, SOP versions, templates,
// categories and golden-set versions, column maps) has other vendors'
// names and reviewer ids replaced by Redacted. Ids are renumbered, so
// their gaps tell nothing of the rest. The file records the scope
// (VendorScopeKey), is VACUUMed (and written with secure_delete), and is
// written to a temporary file in dst's folder and renamed into place: dst
// is replaced only when it is an earlier vendor-scoped export, and never
// when it is this project.
func (s *Store) ExportVendor(ctx context.Context, vendor, dst string) (res ExportResult, err error) {
	defer s.explain(ctx, &err)
	res.Vendor, res.Path = vendor, dst
	if vendor == "" {
		return res, fmt.Errorf("name the vendor to export: %w", ErrNoVendor)
	}
	if scope, ok, err := s.VendorScope(ctx); err != nil {
		return res, err
	} else if ok && scope != vendor {
		return res, fmt.Errorf("this project holds vendor %q only, so it cannot export vendor %q: %w", scope, vendor, ErrNoVendor)
	}
	vendors, err := s.Vendors(ctx)
	if err != nil {
		return res, err
	}
	if !slices.Contains(vendors, vendor) {
		return res, noVendorErr(vendor, vendors)
	}
	if err := s.checkExportPath(ctx, dst); err != nil {
		return res, err
	}
	f, err := s.ForbiddenFor(ctx, vendor)
	if err != nil {
		return res, err
	}

	dir := filepath.Dir(dst)
	tf, err := os.CreateTemp(dir, "."+filepath.Base(dst)+".*.tmp")
	if err != nil {
		return res, fileErr(dst, err, fmt.Sprintf("cannot write in %s (%v); choose a folder you can write to", dir, PathErrText(err)), ErrIO)
	}
	tmp := tf.Name()
	tf.Close()
	os.Remove(tmp) // Create makes the file itself and never replaces one
	d, err := Create(ctx, tmp)
	if err != nil {
		return res, err
	}
	defer func() {
		if d != nil {
			d.Close()
		}
		if err != nil {
			removeProject(tmp)
		}
	}()
	if err := d.fillExport(ctx, s, vendor, f.Redactor(), &res); err != nil {
		return res, err
	}
	if err := d.Close(); err != nil {
		return res, err
	}
	d = nil
	if st, err := os.Stat(tmp); err == nil {
		res.Bytes = st.Size()
	}
	if err := os.Rename(tmp, dst); err != nil {
		return res, fileErr(dst, err, fmt.Sprintf("the export was written but could not be moved into place (%v); check the folder's permissions", PathErrText(err)), ErrIO)
	}
	return res, nil
}

func noVendorErr(vendor string, vendors []string) error {
	var named []string
	for _, v := range vendors {
		if v != "" {
			named = append(named, fmt.Sprintf("%q", v))
		}
	}
	if len(named) == 0 {
		return fmt.Errorf("the project has no judgments of vendor %q (its reviewers name no vendor): %w", vendor, ErrNoVendor)
	}
	return fmt.Errorf("the project has no judgments of vendor %q; its vendors are %s (letter case counts): %w", vendor, strings.Join(named, ", "), ErrNoVendor)
}

// checkExportPath refuses an export path that is this project, a folder,
// or a file other than an earlier vendor-scoped export.
func (s *Store) checkExportPath(ctx context.Context, dst string) error {
	dir := filepath.Dir(dst)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fileErr(dst, err, fmt.Sprintf("the folder %s does not exist; create it first, or choose another folder", dir), ErrNoFolder)
	}
	src, _ := filepath.Abs(s.path)
	abs, _ := filepath.Abs(dst)
	st, err := os.Stat(dst)
	if errors.Is(err, fs.ErrNotExist) {
		if src == abs {
			return fileErr(dst, nil, "this is the project being exported; choose another file for the export", ErrExportOverSource)
		}
		return nil
	}
	if err != nil {
		return fileErr(dst, err, fmt.Sprintf("cannot check the export file (%v); choose another file", PathErrText(err)), ErrIO)
	}
	if srcSt, err := os.Stat(s.path); src == abs || (err == nil && os.SameFile(st, srcSt)) {
		return fileErr(dst, nil, "this is the project being exported; choose another file for the export", ErrExportOverSource)
	}
	if st.IsDir() {
		return fileErr(dst, nil, "a folder of that name exists; choose a file name for the export", ErrProjectExists)
	}
	if IsSQLite(dst) {
		if old, err := OpenReadOnly(ctx, dst); err == nil {
			_, scoped, err := old.VendorScope(ctx)
			old.Close()
			if err == nil && scoped {
				return nil // an earlier export: replaced
			}
		}
	}
	return fileErr(dst, nil, "a file of that name exists and is not an earlier vendor export; LabelQA replaces only those: delete it, or choose another name", ErrProjectExists)
}

// fillExport copies vendor's part of src into d, a new project, in one
// transaction, then VACUUMs d.
func (d *Store) fillExport(ctx context.Context, src *Store, vendor string, r *Redactor, res *ExportResult) error {
	batches, shared, err := vendorBatches(ctx, src.db, "main.", vendor, r)
	if err != nil {
		return err
	}
	tok, call, done := registerRedactor(r)
	defer done()
	if _, err := d.db.ExecContext(ctx, "PRAGMA secure_delete = ON"); err != nil {
		return err
	}
	ro := url.Values{"mode": {"ro"}}
	uri := "file:" + (&url.URL{Path: src.path}).EscapedPath() + "?" + ro.Encode()
	if _, err := d.db.ExecContext(ctx, "ATTACH DATABASE ? AS src", uri); err != nil {
		return err
	}
	attached := true
	defer func() {
		if attached {
			d.db.Exec("DETACH DATABASE src")
		}
	}()
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	exec := func(q string, args ...any) (int, error) {
		r, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return 0, fmt.Errorf("export: %w (in %.60s)", err, strings.TrimSpace(q))
		}
		n, _ := r.RowsAffected()
		return int(n), nil
	}
	// Old ids to new: dense, in the old order.
	for _, q := range []string{
		`CREATE TEMP TABLE x_annotator (old INTEGER PRIMARY KEY, new INTEGER NOT NULL)`,
		`CREATE TEMP TABLE x_ann (old INTEGER PRIMARY KEY, new INTEGER NOT NULL)`,
		`CREATE TEMP TABLE x_item (old INTEGER PRIMARY KEY, new INTEGER NOT NULL)`,
		`CREATE TEMP TABLE x_gold (item INTEGER PRIMARY KEY)`,
		`CREATE TEMP TABLE x_withheld (item INTEGER PRIMARY KEY)`,
		`CREATE TEMP TABLE x_batch (old INTEGER PRIMARY KEY, new INTEGER NOT NULL, shared INTEGER NOT NULL)`,
	} {
		if _, err := exec(q); err != nil {
			return err
		}
	}
	if res.Annotators, err = exec(`INSERT INTO temp.x_annotator SELECT id, row_number() OVER (ORDER BY id) FROM src.annotators WHERE vendor = ?1`, vendor); err != nil {
		return err
	}
	if _, err := exec(`INSERT INTO temp.x_ann SELECT id, row_number() OVER (ORDER BY id) FROM src.annotations WHERE annotator_id IN (SELECT old FROM temp.x_annotator)`); err != nil {
		return err
	}
	if _, err := exec(`INSERT INTO temp.x_item SELECT item_id, row_number() OVER (ORDER BY item_id) FROM (SELECT DISTINCT n.item_id FROM src.annotations n JOIN temp.x_ann x ON x.old = n.id)`); err != nil {
		return err
	}
	if res.GoldItems, err = exec(vendorCTE("src.")+`INSERT INTO temp.x_gold SELECT item_id FROM pg`, vendor); err != nil {
		return err
	}
	if res.WithheldGold, err = exec(`INSERT INTO temp.x_withheld SELECT old FROM temp.x_item WHERE old NOT IN (SELECT item FROM temp.x_gold)
		AND EXISTS (SELECT 1 FROM src.gold_labels g WHERE g.item_id = temp.x_item.old)`); err != nil {
		return err
	}
	for i, b := range batches {
		if _, err := exec(`INSERT INTO temp.x_batch VALUES (?, ?, ?)`, b.ID, i+1, boolInt(shared[i])); err != nil {
			return err
		}
	}

	// The label set, whole, and the dictionaries the judgments use.
	if _, err := exec(`INSERT INTO labels (id, name, ord, allow) SELECT id, name, ord, allow FROM src.labels`); err != nil {
		return err
	}
	if _, err := exec(`INSERT INTO settings (key, value) SELECT key, value FROM src.settings WHERE key = ?`, declaredLabelsKey); err != nil {
		return err
	}
	if _, err := exec(`INSERT INTO settings (key, value) VALUES (?, ?)`, VendorScopeKey, vendor); err != nil {
		return err
	}
	for _, dict := range []struct{ table, col string }{
		{"queues", "queue_id"}, {"sop_versions", "sop_id"}, {"templates", "template_id"},
		{"error_categories", "error_category_id"}, {"root_causes", "root_cause_id"},
	} {
		q := fmt.Sprintf(`INSERT INTO %[1]s (id, name) SELECT id, %[3]s(?1, 2, name, id) FROM src.%[1]s
			WHERE id IN (SELECT n.%[2]s FROM src.annotations n JOIN temp.x_ann x ON x.old = n.id)`, dict.table, dict.col, redactFunc)
		if _, err := exec(q, tok); err != nil {
			return err
		}
	}
	for i, b := range batches {
		mapping, err := json.Marshal(b.Mapping)
		if err != nil {
			return err
		}
		if b.Mapping == nil {
			mapping = []byte("{}")
		}
		if _, err := exec(`INSERT INTO batches (id, kind, file_name, size, sha256, format, imported_at, rows, stored, duplicates, dup_policy, mapping)
			SELECT ?, kind, ?, ?, sha256, format, imported_at, ?, ?, ?, dup_policy, ? FROM src.batches WHERE id = ?`,
			i+1, b.FileName, b.Size, b.Rows, b.Stored, b.Duplicates, string(mapping), b.ID); err != nil {
			return err
		}
	}
	res.Batches = len(batches)
	steps := []struct {
		n *int
		q string
	}{
		{nil, `INSERT INTO annotators (id, ext_id, vendor, team, market)
			SELECT x.new, {r}(?1, 1, a.ext_id, x.new), a.vendor, {r}(?1, 0, a.team, 0), {r}(?1, 0, a.market, 0)
			FROM src.annotators a JOIN temp.x_annotator x ON x.old = a.id ORDER BY x.new`},
		{&res.Items, `INSERT INTO items (id, ext_id, content)
			SELECT x.new, {r}(?1, 1, i.ext_id, x.new), {r}(?1, 0, i.content, 0) FROM src.items i JOIN temp.x_item x ON x.old = i.id ORDER BY x.new`},
		{&res.Annotations, `INSERT INTO annotations (id, item_id, annotator_id, label_id, extra_labels, queue_id, round, submitted_at, duration_s,
				sop_id, template_id, comment, batch_id, src_row, error_category_id, root_cause_id)
			SELECT x.new, xi.new, xa.new, n.label_id, n.extra_labels, n.queue_id, n.round, n.submitted_at, n.duration_s,
				n.sop_id, n.template_id, {r}(?1, 0, n.comment, 0), xb.new,
				CASE WHEN xb.shared THEN row_number() OVER (PARTITION BY n.batch_id ORDER BY n.src_row, n.id) ELSE n.src_row END,
				-- an error category or root cause on a gold item still in use
				-- says the judgment was wrong against it (over_enforcement: the
				-- answer is approve): they stay behind
				CASE WHEN n.item_id IN (SELECT item FROM temp.x_withheld) THEN NULL ELSE n.error_category_id END,
				CASE WHEN n.item_id IN (SELECT item FROM temp.x_withheld) THEN NULL ELSE n.root_cause_id END
			FROM src.annotations n JOIN temp.x_ann x ON x.old = n.id JOIN temp.x_item xi ON xi.old = n.item_id
			JOIN temp.x_annotator xa ON xa.old = n.annotator_id JOIN temp.x_batch xb ON xb.old = n.batch_id ORDER BY x.new`},
		{nil, `INSERT INTO gold_versions (id, name, batch_id, created_at)
			SELECT v.id, {r}(?1, 2, v.name, v.id), xb.new, v.created_at FROM src.gold_versions v JOIN temp.x_batch xb ON xb.old = v.batch_id
			WHERE EXISTS (SELECT 1 FROM src.gold_labels g WHERE g.version_id = v.id AND g.item_id IN (SELECT item FROM temp.x_gold))`},
		{nil, `INSERT INTO gold_labels (version_id, item_id, label_id, extra_labels, rationale, sop_section, src_row)
			SELECT g.version_id, xi.new, g.label_id, g.extra_labels, {r}(?1, 0, g.rationale, 0), {r}(?1, 0, g.sop_section, 0),
				CASE WHEN xb.shared THEN row_number() OVER (PARTITION BY g.version_id ORDER BY g.src_row, g.item_id) ELSE g.src_row END
			FROM src.gold_labels g JOIN temp.x_item xi ON xi.old = g.item_id
			JOIN src.gold_versions v ON v.id = g.version_id JOIN temp.x_batch xb ON xb.old = v.batch_id WHERE g.item_id IN (SELECT item FROM temp.x_gold)`},
		// Audits of the vendor's judgments, none on a gold item still in
		// use: the auditor's label there is the answer the golden set keeps.
		{&res.Audits, `INSERT INTO audits (id, annotation_id, auditor, correct_label, verdict, error_category, comment, audited_at, batch_id, root_cause, inclusion_probability)
			SELECT row_number() OVER (ORDER BY u.id), x.new, {r}(?1, 0, u.auditor, 0), u.correct_label, u.verdict, {r}(?1, 0, u.error_category, 0),
				{r}(?1, 0, u.comment, 0), u.audited_at, xb.new, {r}(?1, 0, u.root_cause, 0), u.inclusion_probability
			FROM src.audits u JOIN temp.x_ann x ON x.old = u.annotation_id LEFT JOIN temp.x_batch xb ON xb.old = u.batch_id
			WHERE (SELECT n.item_id FROM src.annotations n WHERE n.id = u.annotation_id) NOT IN (SELECT item FROM temp.x_withheld)
			ORDER BY u.id`},
		// Tags of the vendor's judgments and of the items they touch, none
		// on a gold item still in use: a tag there (wrong_gold above all)
		// would tell the item is golden.
		{&res.Tags, `INSERT INTO root_cause_tags (id, annotation_id, item_id, root_cause, note, tagged_by, tagged_at)
			SELECT row_number() OVER (ORDER BY t.id), xa.new, xi.new, {r}(?1, 0, t.root_cause, 0), {r}(?1, 0, t.note, 0), {r}(?1, 0, t.tagged_by, 0), t.tagged_at
			FROM src.root_cause_tags t LEFT JOIN temp.x_ann xa ON xa.old = t.annotation_id
			LEFT JOIN temp.x_item xi ON xi.old = coalesce(t.item_id, (SELECT item_id FROM src.annotations WHERE id = t.annotation_id))
			WHERE (t.annotation_id IS NULL OR xa.new IS NOT NULL) AND xi.new IS NOT NULL
				AND xi.old NOT IN (SELECT item FROM temp.x_withheld) ORDER BY t.id`},
		{&res.Targets, `INSERT INTO targets (metric, vendor, queue, market, target, amber, set_at)
			SELECT metric, vendor, {r}(?1, 0, queue, 0), {r}(?1, 0, market, 0), target, amber, set_at FROM src.targets WHERE vendor IN ('', ?2) ORDER BY id`},
	}
	for _, st := range steps {
		n, err := exec(strings.ReplaceAll(st.q, "{r}", redactFunc), tok, vendor)
		if err != nil {
			return err
		}
		if st.n != nil {
			*st.n = n
		}
	}
	for _, t := range []string{"x_annotator", "x_ann", "x_item", "x_gold", "x_withheld", "x_batch"} {
		if _, err := exec("DROP TABLE temp." + t); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if _, err := d.db.ExecContext(ctx, "DETACH DATABASE src"); err != nil {
		return err
	}
	attached = false
	call.mu.Lock()
	res.Redacted = call.changed
	call.mu.Unlock()
	// Nothing of the source was ever written here unredacted, but VACUUM
	// anyway: the file holds its live pages only.
	_, err = d.db.ExecContext(ctx, "VACUUM")
	return err
}

// VendorError is one judgment of a vendor whose (first) label is not its
// item's current gold answer, as the vendor may see it. Visible: the item
// is practice-queue gold (see vendorCTE), so its id, content, answer,
// rationale and the reviewer's comment are given (with other vendors'
// names and reviewer ids redacted); otherwise the gold item is still in use
// and only the reviewer, queue, given label and time are.
type VendorError struct {
	Visible    bool
	Item       string
	Content    string
	Reviewer   string
	Queue      string
	Given      string
	Gold       string
	Rationale  string
	SOPSection string
	Comment    string
	At         int64 // Unix ms; HasTime false when unknown
	HasTime    bool
}

// VendorErrors returns up to limit errors against gold of vendor's
// judgments that q selects (q is narrowed to vendor), visible ones first,
// newest first, and how many errors there are, visible and in all.
func (s *Store) VendorErrors(ctx context.Context, vendor string, q query.Query, limit int) (_ []VendorError, visible, total int, err error) {
	defer s.explain(ctx, &err)
	q = q.WithinVendor(vendor)
	f, err := s.ForbiddenFor(ctx, vendor)
	if err != nil {
		return nil, 0, 0, err
	}
	r := f.Redactor()
	w, args, _ := where(q)
	cond := " WHERE n.label_id <> g.label_id"
	if w != "" {
		cond += " AND " + strings.TrimPrefix(w, " WHERE ")
	}
	join := `FROM annotations n
		JOIN (SELECT item_id, label_id, rationale, sop_section FROM gold_labels h
			WHERE version_id = (SELECT max(version_id) FROM gold_labels k WHERE k.item_id = h.item_id)) g ON g.item_id = n.item_id
		JOIN annotators a ON a.id = n.annotator_id`
	visibleSQL := `NOT EXISTS (SELECT 1 FROM annotations m JOIN queues mq ON mq.id = m.queue_id WHERE m.item_id = n.item_id AND mq.name <> '` + PracticeQueue + `')`
	// One pass counts every error and keeps the first limit (a count query
	// beside the list ran the same join twice).
	rows, err := s.db.QueryContext(ctx, `SELECT `+visibleSQL+` AS visible, i.ext_id, i.content, a.ext_id, qu.name, l.name, gl.name,
			g.rationale, g.sop_section, coalesce(n.comment, ''), n.submitted_at
		`+join+` JOIN items i ON i.id = n.item_id JOIN queues qu ON qu.id = n.queue_id
		JOIN labels l ON l.id = n.label_id JOIN labels gl ON gl.id = g.label_id`+cond+`
		ORDER BY visible DESC, n.submitted_at IS NULL, n.submitted_at DESC, n.id`, args...)
	if err != nil {
		return nil, 0, 0, err
	}
	defer rows.Close()
	var out []VendorError
	for rows.Next() {
		var e VendorError
		var at sql.NullInt64
		if err := rows.Scan(&e.Visible, &e.Item, &e.Content, &e.Reviewer, &e.Queue, &e.Given, &e.Gold, &e.Rationale, &e.SOPSection, &e.Comment, &at); err != nil {
			return nil, 0, 0, err
		}
		e.At, e.HasTime = at.Int64, at.Valid
		total++
		if e.Visible {
			visible++
		}
		if len(out) >= limit {
			continue
		}
		if e.Visible {
			e.Item, _ = r.Name(e.Item)
			e.Content, _ = r.Text(e.Content)
			e.Rationale, _ = r.Text(e.Rationale)
			e.SOPSection, _ = r.Text(e.SOPSection)
			e.Comment, _ = r.Text(e.Comment)
		} else {
			e.Item, e.Content, e.Gold, e.Rationale, e.SOPSection, e.Comment = "", "", "", "", "", ""
		}
		e.Queue, _ = r.Text(e.Queue)
		out = append(out, e)
	}
	return out, visible, total, rows.Err()
}

// VendorGoldVersions lists the golden-set versions holding answers vendor
// may see (practice-queue gold it judged), oldest first, each counting
// those answers only, names redacted as an export writes them.
func (s *Store) VendorGoldVersions(ctx context.Context, vendor string) (_ []GoldVersion, err error) {
	defer s.explain(ctx, &err)
	f, err := s.ForbiddenFor(ctx, vendor)
	if err != nil {
		return nil, err
	}
	r := f.Redactor()
	vf, err := readVendorFacts(ctx, s.db, "main.", vendor)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, created_at FROM gold_versions ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []GoldVersion
	for rows.Next() {
		var g GoldVersion
		var at string
		if err := rows.Scan(&g.ID, &g.Name, &at); err != nil {
			return nil, err
		}
		if g.Items = vf.pgVersion[g.ID]; g.Items == 0 {
			continue
		}
		if n, changed := r.Text(g.Name); changed {
			g.Name = fmt.Sprintf("%s#%d", n, g.ID)
		}
		g.CreatedAt, _ = time.Parse(time.RFC3339, at)
		out = append(out, g)
	}
	return out, rows.Err()
}
