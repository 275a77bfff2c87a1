package core

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"labelqa/app/metrics"
	"labelqa/app/query"
	"labelqa/app/targets"
)

// The vendor fixture: three vendors, Fjord (exported) and two others, on
// items of every kind a vendor export must tell apart.
const (
	fjord    = "Fjord Review AS"
	manila   = "Manila Trust Ops"
	nusantar = "Nusantara BPO"

	// Gold items. Practice ones may be shown to the vendor; the others are
	// still in use.
	itemPractice1   = "ad-practice-0001"
	itemPractice2   = "ad-practice-0002"
	itemLiveGold    = "ad-honeypot-4711"   // gold, judged by Fjord in live
	itemLiveGoldFar = "ad-honeypot-9922"   // gold, judged by Manila only
	itemExamGold    = "ad-exam-gold-3301"  // gold, judged by Fjord in the test queue
	itemMixedGold   = "ad-mixed-gold-5150" // gold, judged by Fjord in practice and by Manila in live
	itemManilaOnly  = "ad-manila-only-8080"

	secretRationale = "LIVE-ANSWER-RATIONALE-SECRET"
)

// otherReviewers are the reviewer ids of the vendors not exported.
var otherReviewers = []string{"ph_rev01", "ph_rev02", "id_rev01"}

// hostile is input text that a spreadsheet would read as a formula.
var hostile = []string{"=HYPERLINK(\"http://x\")", "+cmd", "-1+1", "@SUM(A1)", "\tTab", "\rCR"}

// buildVendorProject writes and imports the fixture's batches, golden set,
// targets, audits and root-cause tags.
func buildVendorProject(t *testing.T, dir string) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(dir, "all.lqa")
	p, err := Create(ctx, path, testLabels, []string{"approve"})
	if err != nil {
		t.Fatal(err)
	}
	header := []string{"item_id", "annotator_id", "label", "vendor", "team", "market", "queue", "submitted_at", "duration_s", "content", "Nusantara BPO note"}
	type row = []string
	j := func(item, ann, label, vendor, queue, day, content, comment string) row {
		team, market := "OSL-1", "NO"
		switch vendor {
		case manila:
			team, market = "MNL-Day", "PH"
		case nusantar:
			team, market = "JKT-A", "ID"
		}
		return row{item, ann, label, vendor, team, market, queue, "2025-03-0" + day + "T10:00:00Z", "30", content, comment}
	}
	files := map[string][]row{
		// A file of Fjord's own.
		"live_fjord-review-as_W10.csv": {
			j("ad-live-0001", "no_rev01", "approve", fjord, "live", "3", "Ad like the ones Manila Trust Ops flagged", "agreed with ph_rev01 on this"),
			j("ad-live-0002", "no_rev02", "scam", fjord, "live", "3", hostile[0], hostile[1]),
			j(itemLiveGold, "no_rev01", "spam", fjord, "live", "4", "Cheap watches", hostile[2]),
			j(itemExamGold, "no_rev02", "spam", fjord, "test", "4", "Exam ad", hostile[3]),
		},
		// A file all vendors share, named after another vendor.
		"practice_manila-trust-ops_and_all.csv": {
			j(itemPractice1, "no_rev01", "scam", fjord, "practice", "5", "Practice ad one", hostile[4]),
			j(itemPractice1, "ph_rev01", "scam", manila, "practice", "5", "Practice ad one", "mine"),
			j(itemPractice2, "no_rev02", "spam", fjord, "practice", "5", "Practice ad two", "Manila Trust Ops said spam"),
			j(itemPractice2, "id_rev01", "approve", nusantar, "practice", "5", "Practice ad two", "fine"),
			j(itemMixedGold, "no_rev01", "spam", fjord, "practice", "6", "Mixed ad", "see nusantara-bpo guidance"),
			j(itemMixedGold, "ph_rev02", "spam", manila, "live", "6", "Mixed ad", ""),
			j(itemLiveGold, "ph_rev01", "spam", manila, "live", "6", "Cheap watches", ""),
			j(itemLiveGoldFar, "ph_rev02", "approve", manila, "live", "6", "Far ad", "Manila only"),
			j(itemManilaOnly, "ph_rev01", "approve", manila, "live", "7", "Manila's own ad", "x"),
		},
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.Write(header)
		w.WriteAll(files[name])
		fp := filepath.Join(dir, name)
		if err := os.WriteFile(fp, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		opts := ImportOptions{}
		opts.Ingest.Map = map[string]string{"comment": "Nusantara BPO note"}
		if _, err := p.Import(ctx, fp, opts, nil); err != nil {
			t.Fatalf("import %s: %v", name, err)
		}
	}
	var g bytes.Buffer
	w := csv.NewWriter(&g)
	w.Write([]string{"item_id", "label", "rationale", "sop_section"})
	w.WriteAll([][]string{
		{itemPractice1, "scam", "Unlike what Manila Trust Ops did, this is a scam", "4.5 Scams"},
		{itemPractice2, "approve", "=1+1 plain ad", "2.1"},
		{itemLiveGold, "spam", secretRationale, "3.3"},
		{itemLiveGoldFar, "spam", secretRationale, "3.3"},
		{itemExamGold, "scam", secretRationale, "4.5"},
		{itemMixedGold, "spam", secretRationale, "3.3"},
	})
	gp := filepath.Join(dir, "gold_GDS-1.csv")
	if err := os.WriteFile(gp, g.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := p.ImportGold(ctx, gp, GoldOptions{Version: "GDS-1"}, nil); err != nil {
		t.Fatal(err)
	}
	for _, tg := range []targets.Target{
		{Metric: "gold_accuracy", Target: 0.9, Amber: 0.85},
		{Metric: "gold_accuracy", Vendor: fjord, Target: 0.92, Amber: 0.88},
		{Metric: "gold_accuracy", Vendor: manila, Target: 0.95, Amber: 0.9},
	} {
		if err := p.SetTarget(ctx, tg); err != nil {
			t.Fatal(err)
		}
	}
	p.Close()
	// Audits and tags (their writers are other work of issue 11): one audit
	// of a Fjord judgment naming another vendor, tags on a Fjord judgment,
	// on the live gold item (wrong_gold: it must not reach Fjord) and on
	// Manila's item.
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`INSERT INTO audits (annotation_id, auditor, verdict, comment) SELECT n.id, 'qa-team', 'incorrect', 'same error as Manila Trust Ops' FROM annotations n JOIN items i ON i.id = n.item_id JOIN annotators a ON a.id = n.annotator_id WHERE i.ext_id = 'ad-live-0002' AND a.vendor = 'Fjord Review AS'`,
		// An error category and a root cause on Fjord's judgment of the
		// live gold item: they tell the judgment was wrong against gold.
		`INSERT INTO error_categories (name) VALUES ('over_enforcement')`,
		`INSERT INTO root_causes (name) VALUES ('training_gap')`,
		`UPDATE annotations SET error_category_id = (SELECT id FROM error_categories WHERE name = 'over_enforcement'), root_cause_id = (SELECT id FROM root_causes WHERE name = 'training_gap') WHERE item_id = (SELECT id FROM items WHERE ext_id = '` + itemLiveGold + `')`,
		// An audit of Fjord's judgment of the live gold item: the auditor's
		// label there is the withheld answer, so it must not reach Fjord.
		`INSERT INTO audits (annotation_id, auditor, correct_label, verdict) SELECT n.id, 'qa-team', n.label_id, 'correct' FROM annotations n JOIN items i ON i.id = n.item_id WHERE i.ext_id = '` + itemLiveGold + `' AND n.annotator_id IN (SELECT id FROM annotators WHERE vendor = 'Fjord Review AS')`,
		`INSERT INTO root_cause_tags (annotation_id, item_id, root_cause, note, tagged_by) SELECT n.id, n.item_id, 'training_gap', 'coach like ph_rev02', 'qa' FROM annotations n JOIN items i ON i.id = n.item_id WHERE i.ext_id = 'ad-live-0002'`,
		`INSERT INTO root_cause_tags (item_id, root_cause, note, tagged_by) SELECT id, 'wrong_gold', 'gold answer is wrong', 'qa' FROM items WHERE ext_id = '` + itemLiveGold + `'`,
		`INSERT INTO root_cause_tags (item_id, root_cause, note, tagged_by) SELECT id, 'carelessness', 'Manila item', 'qa' FROM items WHERE ext_id = '` + itemManilaOnly + `'`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// forbiddenStrings are what the export of Fjord must not hold anywhere.
func forbiddenStrings() []string {
	f := []string{manila, nusantar, "manila-trust-ops", "nusantara-bpo", "manila_trust", itemLiveGoldFar, itemManilaOnly, secretRationale}
	return append(f, otherReviewers...)
}

// TestExportVendor: the export of one vendor holds its judgments and
// nothing of the others: no name or reviewer id of theirs in any table or
// anywhere in the file's bytes, no answer of a gold item still in use, the
// items only Fjord touched; it records its scope, which no query can
// widen.
func TestExportVendor(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := buildVendorProject(t, dir)
	p, err := OpenReadOnly(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	out := filepath.Join(dir, "fjord.lqa")
	res, err := p.ExportVendor(ctx, fjord, out)
	if err != nil {
		t.Fatal(err)
	}
	// Fjord: 4 + 3 judgments by 2 reviewers on 7 items, from 2 batch files
	// and the gold file; practice gold items 1 and 2 kept; the live, exam
	// and mixed gold items withheld.
	want := ExportResult{Vendor: fjord, Path: out, Annotations: 7, Annotators: 2, Items: 7, Batches: 3,
		GoldItems: 2, WithheldGold: 3, Audits: 1, Tags: 1, Targets: 2, Redacted: res.Redacted, Bytes: res.Bytes}
	if res != want {
		t.Errorf("export result\n got %+v\nwant %+v", res, want)
	}
	if res.Redacted == 0 {
		t.Error("nothing was redacted")
	}
	{
		db := openRaw(t, out)
		got := column(t, db, `SELECT count(*) FROM annotations n JOIN items i ON i.id = n.item_id WHERE i.ext_id = '`+itemLiveGold+`' AND (n.error_category_id IS NOT NULL OR n.root_cause_id IS NOT NULL)`)
		db.Close()
		if len(got) != 1 || got[0] != "0" {
			t.Errorf("the live gold item's judgment keeps its error category or root cause: %v", got)
		}
	}
	// Every table, value by value, then the raw bytes.
	for _, where := range searchTables(t, out, forbiddenStrings()) {
		t.Error(where)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lower := bytes.ToLower(raw)
	for _, s := range forbiddenStrings() {
		if bytes.Contains(lower, []byte(strings.ToLower(s))) {
			t.Errorf("the file's bytes hold %q", s)
		}
	}
	for _, side := range []string{"-wal", "-journal"} {
		if st, err := os.Stat(out + side); err == nil && st.Size() > 0 {
			t.Errorf("%s left beside the export (%d bytes)", side, st.Size())
		}
	}
	db := openRaw(t, out)
	// Only practice gold, and the hostile text kept as it was.
	if got := column(t, db, `SELECT i.ext_id FROM gold_labels g JOIN items i ON i.id = g.item_id ORDER BY i.ext_id`); strings.Join(got, ",") != itemPractice1+","+itemPractice2 {
		t.Errorf("gold items %v, want the two practice items", got)
	}
	if got := column(t, db, `SELECT file_name FROM batches ORDER BY id`); strings.Join(got, ",") != "live_fjord-review-as_W10.csv,shared-batch-2.csv,gold_GDS-1.csv" {
		t.Errorf("batch file names %v", got)
	}
	if got := column(t, db, `SELECT rows || '/' || stored || '/' || size FROM batches ORDER BY id`); got[1] != "3/3/0" || got[2] != "2/2/0" {
		t.Errorf("batch rows/stored/size %v: the shared file and the gold file must count Fjord's rows only", got)
	}
	// Text that reads as a formula is kept as it is (the import trims the
	// leading tab and CR of the last two).
	// The shared file's rows are Fjord's numbered 1, 2, 3; Fjord's own file
	// keeps its places (the CSV's data rows are lines 2 to 5).
	if got := column(t, db, `SELECT n.batch_id || ':' || n.src_row FROM annotations n ORDER BY n.batch_id, n.src_row`); strings.Join(got, ",") != "1:2,1:3,1:4,1:5,2:1,2:2,2:3" {
		t.Errorf("batch:row of the judgments %v", got)
	}
	if got := column(t, db, `SELECT src_row FROM gold_labels ORDER BY src_row`); strings.Join(got, ",") != "1,2" {
		t.Errorf("rows of the gold answers %v", got)
	}
	comments := column(t, db, `SELECT coalesce(comment, '') FROM annotations UNION ALL SELECT content FROM items`)
	for _, h := range hostile[:4] {
		if !slices.Contains(comments, h) {
			t.Errorf("comment %q lost: %q", h, comments)
		}
	}
	if got := column(t, db, `SELECT root_cause FROM root_cause_tags`); strings.Join(got, ",") != "training_gap" {
		t.Errorf("tags %v: only the tag of Fjord's judgment, none on a gold item in use", got)
	}
	if got := column(t, db, `SELECT vendor FROM targets ORDER BY vendor`); strings.Join(got, ",") != ","+fjord {
		t.Errorf("targets of vendors %q", got)
	}
	if got := column(t, db, `SELECT max(id) || '/' || count(*) FROM items`); got[0] != "7/7" {
		t.Errorf("item ids not renumbered densely: max/count %v", got)
	}
	db.Close()

	// The export opens scoped: another vendor is refused, the vendor's own
	// figures come back, and the scope cannot be widened by an export.
	e, err := OpenReadOnly(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if v, ok := e.Scope(); !ok || v != fjord {
		t.Fatalf("scope %q %v", v, ok)
	}
	if _, err := e.Analyze(ctx, Query{Vendor: manila}, metrics.Options{}, nil); !errors.Is(err, query.ErrOutsideScope) {
		t.Errorf("another vendor's analysis: %v, want ErrOutsideScope", err)
	}
	if _, err := e.Data(ctx, Query{}.WithinVendor(manila)); !errors.Is(err, query.ErrOutsideScope) {
		t.Errorf("a query scoped to another vendor: %v, want ErrOutsideScope", err)
	}
	a, err := e.Analyze(ctx, Query{}, metrics.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Data.Item) != 7 || len(a.Data.Annotators) != 2 {
		t.Errorf("export's analysis: %d judgments by %d reviewers, want 7 by 2", len(a.Data.Item), len(a.Data.Annotators))
	}
	for _, an := range a.Data.Annotators {
		if an.Vendor != fjord {
			t.Errorf("annotator %+v in the export", an)
		}
	}
	if _, err := e.ExportVendor(ctx, manila, filepath.Join(dir, "m.lqa")); !errors.Is(err, query.ErrOutsideScope) {
		t.Errorf("export of another vendor from the export: %v", err)
	}
	if v, _ := e.Vendors(ctx); len(v) != 1 || v[0] != fjord {
		t.Errorf("vendors of the export: %q", v)
	}
	if _, err := e.Items(ctx, ItemQuery{Filter: Query{Vendor: manila}}); !errors.Is(err, query.ErrOutsideScope) {
		t.Errorf("items of another vendor: %v", err)
	}
	page, err := e.Items(ctx, ItemQuery{})
	if err != nil || len(page.Rows) != 7 {
		t.Errorf("items of the export: %d %v", len(page.Rows), err)
	}
	// The gold items still in use are items like any other: no gold answer.
	for _, r := range page.Rows {
		if want := r.ExtID == itemPractice1 || r.ExtID == itemPractice2; r.HasGold != want {
			t.Errorf("item %s: has gold %v, want %v", r.ExtID, r.HasGold, want)
		}
	}
	// A writable open is scoped the same way.
	w, err := Open(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Analyze(ctx, Query{Vendor: nusantar}, metrics.Options{}, nil); !errors.Is(err, query.ErrOutsideScope) {
		t.Errorf("writable open, another vendor: %v", err)
	}
	w.Close()
}

// TestExportVendorRefusals: an unknown vendor, the source itself as the
// output, and a file that is not an earlier export are refused; an earlier
// export is replaced.
func TestExportVendorRefusals(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := buildVendorProject(t, dir)
	p, err := OpenReadOnly(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := p.ExportVendor(ctx, "fjord review as", filepath.Join(dir, "x.lqa")); !errors.Is(err, ErrNoVendor) || !strings.Contains(err.Error(), `"Fjord Review AS"`) {
		t.Errorf("unknown vendor: %v", err)
	}
	if _, err := p.ExportVendor(ctx, fjord, src); !errors.Is(err, ErrExportOverSource) {
		t.Errorf("export over the source: %v", err)
	}
	other := filepath.Join(dir, "notes.txt")
	os.WriteFile(other, []byte("keep me"), 0o644)
	if _, err := p.ExportVendor(ctx, fjord, other); !errors.Is(err, ErrProjectExists) {
		t.Errorf("export over another file: %v", err)
	}
	if b, _ := os.ReadFile(other); string(b) != "keep me" {
		t.Error("the other file was changed")
	}
	out := filepath.Join(dir, "fjord.lqa")
	for i := range 2 { // the second replaces the first
		if _, err := p.ExportVendor(ctx, fjord, out); err != nil {
			t.Fatalf("export %d: %v", i+1, err)
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// searchTables reads every value of every table of the project at path
// and reports each that holds one of forbidden (ignoring letter case).
func searchTables(t *testing.T, path string, forbidden []string) []string {
	t.Helper()
	db := openRaw(t, path)
	defer db.Close()
	tables := column(t, db, `SELECT name FROM sqlite_schema WHERE type = 'table'`)
	var found []string
	for _, tb := range tables {
		rows, err := db.Query("SELECT * FROM " + tb)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				s := strings.ToLower(fmt.Sprint(v))
				if b, ok := v.([]byte); ok {
					s = strings.ToLower(string(b))
				}
				for _, f := range forbidden {
					if strings.Contains(s, strings.ToLower(f)) {
						found = append(found, fmt.Sprintf("%s.%s holds %q: %q", tb, cols[i], f, s))
					}
				}
			}
		}
		rows.Close()
	}
	return found
}

func openRaw(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	return db
}

func column(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s sql.NullString
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s.String)
	}
	return out
}

// TestVendorErrors: the errors of a vendor's judgments against gold, those
// on practice gold with item, answer, rationale and comment (redacted),
// those on gold still in use without them; in the export the withheld
// gold makes no error at all.
func TestVendorErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := buildVendorProject(t, dir)
	p, err := OpenReadOnly(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	// Fjord's two errors: spam for practice item 2 (gold approve) and spam
	// for the exam item (gold scam).
	errs, visible, total, err := p.VendorErrors(ctx, fjord, Query{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if visible != 1 || total != 2 || len(errs) != 2 {
		t.Fatalf("errors: %d visible of %d, %d rows: %+v", visible, total, len(errs), errs)
	}
	want := []VendorError{
		{Visible: true, Item: itemPractice2, Content: "Practice ad two", Reviewer: "no_rev02", Queue: "practice", Given: "spam", Gold: "approve",
			Rationale: "=1+1 plain ad", SOPSection: "2.1", Comment: Redacted + " said spam", At: errs[0].At, HasTime: true},
		{Reviewer: "no_rev02", Queue: "test", Given: "spam", At: errs[1].At, HasTime: true},
	}
	for i := range want {
		if errs[i] != want[i] {
			t.Errorf("error %d\n got %+v\nwant %+v", i, errs[i], want[i])
		}
	}
	if _, _, n, err := p.VendorErrors(ctx, fjord, Query{Queue: "live"}, 10); err != nil || n != 0 {
		t.Errorf("live errors: %d %v", n, err)
	}
	out := filepath.Join(dir, "fjord.lqa")
	if _, err := p.ExportVendor(ctx, fjord, out); err != nil {
		t.Fatal(err)
	}
	e, err := OpenReadOnly(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if errs, visible, total, err := e.VendorErrors(ctx, fjord, Query{}, 10); err != nil || visible != 1 || total != 1 || errs[0].Item != itemPractice2 {
		t.Errorf("errors in the export: %d of %d %+v %v", visible, total, errs, err)
	}
	if _, _, _, err := e.VendorErrors(ctx, manila, Query{Vendor: manila}, 10); !errors.Is(err, query.ErrOutsideScope) {
		t.Errorf("another vendor's errors from the export: %v", err)
	}
}
