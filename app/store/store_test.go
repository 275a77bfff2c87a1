package store

import (
	"bufio"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"labelqa/app/inputerr"
	"labelqa/app/query"
	"labelqa/app/rules"
)

func newProject(t *testing.T) *Store {
	t.Helper()
	s, err := Create(context.Background(), filepath.Join(t.TempDir(), "p.lqa"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func rec(row int, item, ann, label string) *Judgment {
	r := &Judgment{At: NoTime, DurationS: math.NaN()}
	r.Row, r.ItemID, r.AnnotatorID = row, item, ann
	r.Labels = strings.Split(label, "|")
	return r
}

// importRecords runs one batch through a BatchWriter as the import command does.
func importRecords(t *testing.T, s *Store, name, dups string, add bool, recs ...*Judgment) (BatchResult, error) {
	t.Helper()
	ctx := context.Background()
	w, err := s.BeginBatch(ctx, BatchInfo{FileName: name, Size: 100, SHA256: name, Format: "csv", Duplicates: rules.DuplicatePolicy(dups), AddLabels: add})
	if err != nil {
		return BatchResult{}, err
	}
	defer w.Rollback()
	for _, r := range recs {
		if err := w.Add(ctx, r); err != nil {
			var ie *inputerr.Error
			if !errors.As(err, &ie) {
				return BatchResult{}, err
			}
		}
	}
	return w.Commit(ctx, "csv", map[string]string{"item_id": "item_id"})
}

func TestCreateReopenMigrated(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.lqa")
	s, err := Create(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DeclareLabels(ctx, []string{"approve", "scam"}, nil); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Create(ctx, path); !errors.Is(err, ErrProjectExists) {
		t.Fatalf("Create over an existing file: got %v, want ErrProjectExists", err)
	}
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var v int
	s.db.QueryRow("PRAGMA user_version").Scan(&v)
	if v != SchemaVersion() {
		t.Fatalf("user_version = %d, want %d", v, SchemaVersion())
	}
	var mode string
	s.db.QueryRow("PRAGMA journal_mode").Scan(&mode)
	if mode != "wal" {
		t.Fatalf("journal_mode = %q, want wal", mode)
	}
	var ps int
	s.db.QueryRow("PRAGMA page_size").Scan(&ps)
	if ps != pageSize {
		t.Fatalf("page_size = %d, want %d", ps, pageSize)
	}
	var fk int
	s.db.QueryRow("PRAGMA foreign_keys").Scan(&fk)
	if fk != 1 {
		t.Fatal("foreign keys are off")
	}
	labels, _ := s.Labels(ctx)
	if len(labels) != 2 || labels[0].Name != "approve" || !labels[0].Allow || labels[1].Allow {
		t.Fatalf("labels = %+v", labels)
	}
}

func TestOpenRefusesOtherFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := Open(ctx, filepath.Join(dir, "missing.lqa")); !errors.Is(err, ErrNoProject) {
		t.Fatalf("missing file: %v", err)
	}
	junk := filepath.Join(dir, "junk.lqa")
	os.WriteFile(junk, []byte("this is not a database at all, just text that is long enough"), 0o644)
	if _, err := Open(ctx, junk); !errors.Is(err, ErrNotProject) {
		t.Fatalf("text file: %v", err)
	}
	// A SQLite file of another program.
	other := filepath.Join(dir, "other.db")
	db, err := sql.Open("sqlite", "file:"+other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE t(x); PRAGMA application_id = 42"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(ctx, other); !errors.Is(err, ErrNotProject) {
		t.Fatalf("other program's database: %v", err)
	}
}

func TestImportNewerSchemaRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.lqa")
	s, _ := Create(ctx, path)
	s.db.Exec(fmt.Sprintf("PRAGMA user_version = %d", SchemaVersion()+1))
	s.Close()
	if _, err := Open(ctx, path); !errors.Is(err, ErrNewerProject) {
		t.Fatalf("got %v, want ErrNewerProject", err)
	}
}

func TestBatchCodesAndCounts(t *testing.T) {
	s := newProject(t)
	ctx := context.Background()
	r1 := rec(2, "ad1", "ann1", "approve")
	r1.Vendor, r1.Market, r1.Queue = "Nusantara", "ID", "live"
	r1.At = time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC).UnixMilli()
	r1.DurationS = 12.5
	res, err := importRecords(t, s, "a.csv", DupLast, false,
		r1, rec(3, "ad1", "ann2", "scam"), rec(4, "ad2", "ann1", "scam|adult"), rec(5, "=SUM(A1)", "ann2", "approve"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 4 || res.Stored != 4 || res.NewItems != 3 || res.NewAnnotators != 2 || len(res.NewLabels) != 3 {
		t.Fatalf("result %+v", res)
	}
	// The import turns per-row foreign-key checks off; every reference must
	// still hold, and the checks must be back on afterwards.
	fkRows, err := s.db.Query("PRAGMA foreign_key_check")
	if err != nil {
		t.Fatal(err)
	}
	if fkRows.Next() {
		t.Fatal("PRAGMA foreign_key_check found a dangling reference after an import")
	}
	fkRows.Close()
	var fk int
	s.db.QueryRow("PRAGMA foreign_keys").Scan(&fk)
	if fk != 1 {
		t.Fatal("foreign keys were left off after an import")
	}
	c, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := Counts{Items: 3, Annotators: 2, Annotations: 4, Labels: []string{"adult", "approve", "scam"}}
	if fmt.Sprint(c) != fmt.Sprint(want) {
		t.Fatalf("counts %+v, want %+v", c, want)
	}
	ext, _ := s.ItemExtIDs(ctx)
	found := false
	for _, e := range ext {
		found = found || e == "=SUM(A1)"
	}
	if !found {
		t.Fatal("formula-looking item id was not stored as written")
	}
	var multi int
	s.EachAnnotation(ctx, query.Query{}, func(a *Annotation) error {
		if len(a.Extra) == 1 {
			multi++
		}
		if a.ID == 1 && (!a.HasTime || a.DurationS != 12.5 || a.Queue != "live") {
			t.Errorf("first annotation %+v", a)
		}
		return nil
	})
	if multi != 1 {
		t.Fatalf("multi-label annotations = %d, want 1", multi)
	}
	vendors, _ := s.CountBy(ctx, ByVendor)
	if len(vendors) != 2 {
		t.Fatalf("by vendor %+v", vendors)
	}
	if n, _ := s.Annotators(ctx); n[0].Vendor != "Nusantara" || n[0].Market != "ID" {
		t.Fatalf("annotator %+v", n[0])
	}
	f := query.Query{Vendor: "Nusantara"}
	var got int
	s.EachAnnotation(ctx, f, func(*Annotation) error { got++; return nil })
	if got != 2 {
		t.Fatalf("vendor filter: %d annotations, want 2", got)
	}
}

func TestDuplicatePolicies(t *testing.T) {
	at := func(r *Judgment, h int) *Judgment {
		r.At = time.Date(2026, 11, 2, h, 0, 0, 0, time.UTC).UnixMilli()
		return r
	}
	cases := []struct {
		policy    string
		wantLabel string // surviving label of (x, a)
		stored    int
		err       bool
	}{
		{DupLast, "late", 1, false},
		{DupFirst, "first", 1, false},
		{DupKeep, "", 3, false},
		{DupError, "", 0, true},
	}
	for _, c := range cases {
		t.Run(c.policy, func(t *testing.T) {
			s := newProject(t)
			// Row 3 is the latest submission even though row 4 comes after it.
			res, err := importRecords(t, s, "d.csv", c.policy, false,
				at(rec(2, "x", "a", "first"), 8), at(rec(3, "x", "a", "late"), 10), at(rec(4, "x", "a", "middle"), 9))
			if c.err {
				l, ok := inputerr.AsList(err)
				if !ok || l.Len() != 2 || !strings.Contains(l.Errs[0].Error(), "d.csv:3: annotator \"a\" already labeled item \"x\" on row 2") {
					t.Fatalf("got %v", err)
				}
				if c, _ := s.Counts(context.Background()); c.Annotations != 0 {
					t.Fatal("a refused import left annotations behind")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Duplicates != 2 || res.Stored != c.stored {
				t.Fatalf("%+v", res)
			}
			if c.wantLabel != "" {
				labels, _ := s.Labels(context.Background())
				var got string
				s.EachAnnotation(context.Background(), query.Query{}, func(a *Annotation) error {
					for _, l := range labels {
						if l.ID == a.Label {
							got = l.Name
						}
					}
					return nil
				})
				if got != c.wantLabel {
					t.Fatalf("survivor %q, want %q", got, c.wantLabel)
				}
			}
		})
	}
}

func TestDuplicatesAcrossBatches(t *testing.T) {
	s := newProject(t)
	ctx := context.Background()
	if _, err := importRecords(t, s, "one.csv", DupLast, false, rec(2, "x", "a", "approve"), rec(3, "y", "a", "approve")); err != nil {
		t.Fatal(err)
	}
	res, err := importRecords(t, s, "two.csv", DupLast, true, rec(2, "x", "a", "scam"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Duplicates != 1 {
		t.Fatalf("%+v", res)
	}
	c, _ := s.Counts(ctx)
	if c.Annotations != 2 || c.Duplicates != 1 {
		t.Fatalf("counts %+v", c)
	}
	_, err = importRecords(t, s, "three.csv", DupError, true, rec(7, "y", "a", "scam"))
	if err == nil || !strings.Contains(err.Error(), "three.csv:7: annotator \"a\" already labeled item \"y\" in one.csv row 3") {
		t.Fatalf("got %v", err)
	}
}

func TestUnknownLabelDidYouMean(t *testing.T) {
	s := newProject(t)
	ctx := context.Background()
	s.DeclareLabels(ctx, []string{"approve", "misleading_claims"}, nil)
	_, err := importRecords(t, s, "batch.csv", DupLast, false, rec(1289, "x", "a", "aprove"), rec(1290, "y", "a", "weather"))
	l, ok := inputerr.AsList(err)
	if !ok || l.Len() != 2 {
		t.Fatalf("got %v", err)
	}
	if got := l.Errs[0].Error(); got != `batch.csv:1289: label "aprove" is not in the project's label set (did you mean "approve"?); fix the file or accept labels outside the label set` {
		t.Fatalf("got %q", got)
	}
	if got := l.Errs[1].Error(); !strings.Contains(got, `"weather" is not in the project's label set; fix the file, or accept labels outside the label set to add it`) {
		t.Fatalf("got %q", got)
	}
	if c, _ := s.Counts(ctx); c.Annotations != 0 || c.Items != 0 {
		t.Fatalf("refused import changed the project: %+v", c)
	}
	var items int
	s.db.QueryRow("SELECT count(*) FROM items").Scan(&items)
	if items != 0 {
		t.Fatal("refused import left items behind")
	}
	if _, err := importRecords(t, s, "batch2.csv", DupLast, true, rec(2, "y", "a", "weather")); err != nil {
		t.Fatal(err)
	}
	labels, _ := s.Labels(ctx)
	if len(labels) != 3 || labels[2].Name != "weather" || labels[2].Order != 2 {
		t.Fatalf("labels %+v", labels)
	}
}

func TestSameFileTwiceRefused(t *testing.T) {
	s := newProject(t)
	if _, err := importRecords(t, s, "a.csv", DupLast, false, rec(2, "x", "a", "ok")); err != nil {
		t.Fatal(err)
	}
	_, err := importRecords(t, s, "a.csv", DupLast, false, rec(2, "x", "a", "ok"))
	if !errors.Is(err, ErrBatchExists) {
		t.Fatalf("got %v", err)
	}
}

func TestGoldImport(t *testing.T) {
	s := newProject(t)
	ctx := context.Background()
	importRecords(t, s, "a.csv", DupLast, false, rec(2, "x", "a", "approve"), rec(3, "y", "a", "scam"))
	gold := func(name, version string, recs ...GoldRow) (GoldResult, error) {
		return s.ImportGold(ctx, GoldInfo{FileName: name, SHA256: name, Format: "csv", Version: version}, func(add GoldFunc) (string, error) {
			for i := range recs {
				if err := add(&recs[i]); err != nil {
					var ie *inputerr.Error
					if !errors.As(err, &ie) {
						return "", err
					}
				}
			}
			return "", nil
		})
	}
	res, err := gold("dir/gds_v1.csv", "", GoldRow{Row: 2, ItemID: "x", Labels: []string{"scam"}}, GoldRow{Row: 3, ItemID: "never_seen", Labels: []string{"approve"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Version != "gds_v1" || res.Items != 2 || res.NewItems != 1 {
		t.Fatalf("%+v", res)
	}
	if _, err := gold("other.csv", "gds_v1", GoldRow{Row: 2, ItemID: "x", Labels: []string{"approve"}}); !errors.Is(err, ErrGoldVersionExists) {
		t.Fatalf("got %v", err)
	}
	if _, err := gold("v2.csv", "v2", GoldRow{Row: 2, ItemID: "x", Labels: []string{"approve"}}); err != nil {
		t.Fatal(err)
	}
	cur, _ := s.CurrentGold(ctx)
	labels, _ := s.Labels(ctx)
	name := map[int64]string{}
	for _, l := range labels {
		name[l.ID] = l.Name
	}
	if len(cur) != 2 {
		t.Fatalf("current gold %v", cur)
	}
	for _, l := range cur {
		if name[l] != "approve" {
			t.Fatalf("current gold should come from the newest version: %v", cur)
		}
	}
	_, err = gold("bad.csv", "v3", GoldRow{Row: 5, ItemID: "x", Labels: []string{"scma"}}, GoldRow{Row: 6, ItemID: "x", Labels: []string{"scam"}}, GoldRow{Row: 7, ItemID: "x", Labels: []string{"approve"}})
	l, ok := inputerr.AsList(err)
	if !ok || l.Len() != 2 || !strings.Contains(l.Errs[0].Error(), `did you mean "scam"`) || !strings.Contains(l.Errs[1].Error(), "bad.csv:7: item \"x\" already has a gold answer on row 6") {
		t.Fatalf("got %v", err)
	}
	if v, _ := s.GoldVersions(ctx); len(v) != 2 {
		t.Fatalf("refused gold import left a version: %+v", v)
	}
}

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{{"aprove", "approve", 1}, {"", "abc", 3}, {"kitten", "sitting", 3}, {"å", "a", 1}} {
		if got := editDistance(c.a, c.b); got != c.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
}

// The kill test: a child process imports a large batch and is SIGKILLed at
// several points; the project must be exactly as before and sound.
const killHelperEnv = "LABELQA_STORE_KILL_HELPER"

func TestMain(m *testing.M) {
	if path := os.Getenv(killHelperEnv); path != "" {
		os.Exit(killHelper(path))
	}
	os.Exit(m.Run())
}

// killHelper imports 400,000 records, printing a line every 20,000, then
// commits and prints "committed".
func killHelper(path string) int {
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	w, err := s.BeginBatch(ctx, BatchInfo{FileName: "big.csv", Size: 1 << 24, SHA256: "big", Format: "csv", AddLabels: true})
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	r := &Judgment{}
	for i := 0; i < 400000; i++ {
		*r = Judgment{Labels: r.Labels[:0], At: NoTime}
		r.Row, r.ItemID, r.AnnotatorID = i+2, "item"+strconv.Itoa(i/3), "ann"+strconv.Itoa(i%90)
		r.Labels = append(r.Labels, "l"+strconv.Itoa(i%5))
		r.DurationS = math.Mod(float64(i), 60)
		if err := w.Add(ctx, r); err != nil {
			fmt.Println("error", err)
			return 1
		}
		if i%20000 == 0 {
			fmt.Println("rows", i)
		}
	}
	fmt.Println("committing")
	if _, err := w.Commit(ctx, "csv", nil); err != nil {
		fmt.Println("error", err)
		return 1
	}
	fmt.Println("committed")
	return 0
}

func TestImportKilledLeavesProjectUnchanged(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.lqa")
	s, err := Create(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := importRecords(t, s, "small.csv", DupLast, false, rec(2, "x", "a", "l0"), rec(3, "y", "b", "l1")); err != nil {
		t.Fatal(err)
	}
	before, _ := s.Counts(ctx)
	s.Close()

	// Kill after 0 (at once), 1, 6 and 15 progress lines, and during commit.
	for _, after := range []string{"start", "rows 0", "rows 100000", "rows 280000", "committing"} {
		t.Run(after, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), killHelperEnv+"="+path)
			out, _ := cmd.StdoutPipe()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(out)
			if after != "start" {
				for sc.Scan() {
					if sc.Text() == after {
						break
					}
					if strings.HasPrefix(sc.Text(), "error") {
						t.Fatal(sc.Text())
					}
				}
			}
			cmd.Process.Signal(syscall.SIGKILL)
			cmd.Wait()

			s, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if ok, err := s.IntegrityCheck(ctx); err != nil || ok != "ok" {
				t.Fatalf("integrity_check: %q %v", ok, err)
			}
			after, _ := s.Counts(ctx)
			if fmt.Sprint(after) != fmt.Sprint(before) {
				t.Fatalf("killed import changed the project: %+v, before %+v", after, before)
			}
			if b, _ := s.Batches(ctx); len(b) != 1 {
				t.Fatalf("killed import left a batch row: %d batches", len(b))
			}
		})
	}
}

// TestFeedStoresEveryColumn sends more than one chunk of annotations and of
// items through the import's feed tables and reads every column back, NULLs
// included; the feed tables and their registry entries must be gone after a
// commit and after a failed import.
func TestFeedStoresEveryColumn(t *testing.T) {
	s := newProject(t)
	const n = 2*itemRowsPerInsert + 7
	var recs []*Judgment
	for i := 0; i < n; i++ {
		r := rec(i+2, fmt.Sprintf("ad%d", i), fmt.Sprintf("ann%d", i%3), "approve")
		r.Content = fmt.Sprintf("text %d, \"quoted\"", i)
		r.Round = i % 2
		r.Queue, r.SOPVersion, r.Template = "live", "v3", "ads"
		if i%2 == 0 {
			r.At = 1740963765000 + int64(i)
			r.DurationS = float64(i) / 4
			r.Comment = "=cmd|' /C calc'!A0"
			r.Labels = []string{"scam", "adult"}
		}
		recs = append(recs, r)
	}
	if _, err := importRecords(t, s, "feed.csv", DupLast, true, recs...); err != nil {
		t.Fatal(err)
	}
	rows, err := s.db.Query(`SELECT n.id, i.ext_id, i.content, n.round, n.submitted_at, n.duration_s, n.comment, n.extra_labels IS NOT NULL,
		q.name, v.name, m.name, n.batch_id, n.src_row
		FROM annotations n JOIN items i ON i.id = n.item_id JOIN queues q ON q.id = n.queue_id
		JOIN sop_versions v ON v.id = n.sop_id JOIN templates m ON m.id = n.template_id ORDER BY n.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := 0
	for rows.Next() {
		var id, round, batch, srcRow int64
		var ext, content, queue, sop, tmpl string
		var at sql.NullInt64
		var dur sql.NullFloat64
		var comment sql.NullString
		var multi bool
		if err := rows.Scan(&id, &ext, &content, &round, &at, &dur, &comment, &multi, &queue, &sop, &tmpl, &batch, &srcRow); err != nil {
			t.Fatal(err)
		}
		i := got
		got++
		even := i%2 == 0
		if ext != fmt.Sprintf("ad%d", i) || content != fmt.Sprintf("text %d, \"quoted\"", i) || round != int64(i%2) ||
			srcRow != int64(i+2) || batch != 1 || queue != "live" || sop != "v3" || tmpl != "ads" {
			t.Fatalf("row %d: %d %q %q round %d src %d batch %d %s %s %s", i, id, ext, content, round, srcRow, batch, queue, sop, tmpl)
		}
		if at.Valid != even || dur.Valid != even || comment.Valid != even || multi != even {
			t.Fatalf("row %d: NULLs wrong: at %v dur %v comment %v extra %v", i, at, dur, comment, multi)
		}
		if even && (at.Int64 != 1740963765000+int64(i) || dur.Float64 != float64(i)/4 || comment.String != "=cmd|' /C calc'!A0") {
			t.Fatalf("row %d: %v %v %q", i, at, dur, comment.String)
		}
	}
	if got != n {
		t.Fatalf("read %d annotations, want %d", got, n)
	}
	assertNoFeeds := func(when string) {
		t.Helper()
		var temp int
		if err := s.db.QueryRow("SELECT count(*) FROM sqlite_temp_master").Scan(&temp); err != nil {
			t.Fatal(err)
		}
		feeds.Lock()
		left := len(feeds.m)
		feeds.Unlock()
		if temp != 0 || left != 0 {
			t.Fatalf("%s: %d temporary tables and %d registered feeds left", when, temp, left)
		}
	}
	assertNoFeeds("after a commit")
	if _, err := importRecords(t, s, "bad.csv", DupError, false, rec(2, "x", "a", "approve"), rec(3, "x", "a", "approve")); err == nil {
		t.Fatal("a refused duplicate committed")
	}
	assertNoFeeds("after a failed import")
}

// TestImportWithForeignKeysOn: every chunk's items and annotators are stored
// before the annotations that refer to them, so an import also succeeds with
// the checks on.
func TestImportWithForeignKeysOn(t *testing.T) {
	bulkForeignKeysOff = false
	defer func() { bulkForeignKeysOff = true }()
	s := newProject(t)
	var recs []*Judgment
	for i := 0; i < 3*rowsPerInsert+5; i++ {
		recs = append(recs, rec(i+2, fmt.Sprintf("ad%d", i/2), fmt.Sprintf("ann%d", i%5), "approve"))
	}
	res, err := importRecords(t, s, "fk.csv", DupLast, true, recs...)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stored != len(recs) {
		t.Fatalf("stored %d, want %d", res.Stored, len(recs))
	}
}

// TestConcurrentImportWaits: a second process's import waits for the first
// one's write transaction (BEGIN IMMEDIATE and the busy timeout) instead of
// failing with "database is locked".
func TestConcurrentImportWaits(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.lqa")
	s1, err := Create(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s1.Close()
	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	w, err := s1.BeginBatch(ctx, BatchInfo{FileName: "a.csv", Size: 10, SHA256: "a", Duplicates: rules.DupLast, AddLabels: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(ctx, rec(2, "ad1", "ann1", "approve")); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := importRecords(t, s2, "b.csv", DupLast, true, rec(2, "ad2", "ann2", "approve"))
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("the second import did not wait for the first: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	if _, err := w.Commit(ctx, "csv", nil); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("the second import after the first committed: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the second import is still waiting 30 s after the first committed")
	}
	c, err := s2.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c.Annotations != 2 || c.Items != 2 {
		t.Fatalf("counts %+v, want both imports", c)
	}
}

// TestCollect: rows reach the function in id order with their values, an
// error from the function comes back as itself, no row gives 0, and the
// registry is empty afterwards.
func TestCollect(t *testing.T) {
	s := newProject(t)
	ctx := context.Background()
	if _, err := importRecords(t, s, "c.csv", DupLast, true, rec(2, "a", "x", "approve"), rec(3, "b", "x", "approve"), rec(4, "c", "y", "scam")); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	n, err := s.collect(ctx, "SELECT "+collectFunc+"(?, id, ext_id) FROM (SELECT * FROM items ORDER BY id)", nil, func(row []driver.Value) error {
		ids = append(ids, asInt(row[0]))
		return nil
	})
	if err != nil || n != 3 || fmt.Sprint(ids) != "[1 2 3]" {
		t.Fatalf("collect: %d rows %v, %v", n, ids, err)
	}
	stop := errors.New("stop here")
	if _, err := s.collect(ctx, "SELECT "+collectFunc+"(?, id) FROM items", nil, func([]driver.Value) error { return stop }); err != stop {
		t.Fatalf("collect returned %v, want the function's own error", err)
	}
	if n, err := s.collect(ctx, "SELECT "+collectFunc+"(?, id) FROM items WHERE id > 99", nil, func([]driver.Value) error { return nil }); err != nil || n != 0 {
		t.Fatalf("no rows: %d, %v", n, err)
	}
	collectors.Lock()
	left := len(collectors.m)
	collectors.Unlock()
	if left != 0 {
		t.Fatalf("%d collectors left registered", left)
	}
}

// TestBreakdownsMatchCountBy: the one-pass breakdowns equal CountBy's SQL
// for every dimension.
func TestBreakdownsMatchCountBy(t *testing.T) {
	s := newProject(t)
	ctx := context.Background()
	var recs []*Judgment
	vendors := []string{"A", "B", "", "C"}
	for i := 0; i < 500; i++ {
		r := rec(i+2, fmt.Sprintf("ad%d", i%170), fmt.Sprintf("ann%d", i%13), []string{"approve", "scam", "adult", "approve|scam"}[i%4])
		r.Vendor, r.Market, r.Queue = vendors[(i%13)%4], []string{"ID", "NO"}[(i%13)%2], []string{"live", "2rqa", ""}[i%3]
		recs = append(recs, r)
	}
	if _, err := importRecords(t, s, "b.csv", DupKeep, true, recs...); err != nil {
		t.Fatal(err)
	}
	dims := []Dimension{ByVendor, ByMarket, ByQueue, ByLabel}
	got, err := s.Breakdowns(ctx, dims...)
	if err != nil {
		t.Fatal(err)
	}
	for _, dim := range dims {
		want, err := s.CountBy(ctx, dim)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got[dim]) != fmt.Sprint(want) {
			t.Errorf("%s: Breakdowns %v, CountBy %v", dim, got[dim], want)
		}
	}
	if _, err := s.Breakdowns(ctx, "colour"); err == nil {
		t.Error("an unknown dimension was accepted")
	}
}

// TestStoredAcrossBatches: a batch's Stored is the annotations it keeps,
// whichever duplicates (of its own rows, of earlier batches') went.
func TestStoredAcrossBatches(t *testing.T) {
	for _, c := range []struct {
		policy string
		stored int
	}{{DupLast, 2}, {DupFirst, 1}, {DupKeep, 3}} {
		t.Run(c.policy, func(t *testing.T) {
			s := newProject(t)
			if _, err := importRecords(t, s, "one.csv", DupLast, false, rec(2, "x", "a", "approve"), rec(3, "y", "a", "approve")); err != nil {
				t.Fatal(err)
			}
			res, err := importRecords(t, s, "two.csv", c.policy, true, rec(2, "x", "a", "scam"), rec(3, "z", "a", "scam"), rec(4, "z", "a", "approve"))
			if err != nil {
				t.Fatal(err)
			}
			var n int
			if err := s.db.QueryRow("SELECT count(*) FROM annotations WHERE batch_id = ?", res.BatchID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if res.Stored != c.stored || n != c.stored {
				t.Fatalf("Stored %d, the batch holds %d; want %d", res.Stored, n, c.stored)
			}
		})
	}
}
