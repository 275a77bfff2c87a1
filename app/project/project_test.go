package project

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"labelqa/app/demo"
	"labelqa/app/ingest"
	"labelqa/app/store"
)

// TestImportSameFileTwice: the first import into an empty project hashes
// the file while it reads it, and the batch must still record the file's
// SHA-256; a second import is refused, --skip-existing skips it, and neither
// changes the project.
func TestImportSameFileTwice(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	csv := filepath.Join(dir, "batch.csv")
	if err := demo.WriteCanonicalCSVFile(csv, 20_000, 3); err != nil {
		t.Fatal(err)
	}
	s := newStore(t, dir)
	res, err := Import(ctx, s, csv, ImportOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 20_000 || res.Skipped {
		t.Fatalf("first import: %+v", res)
	}
	data, err := os.ReadFile(csv)
	if err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256(data)
	batches, err := s.Batches(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(batches) != 1 || batches[0].SHA256 != hex.EncodeToString(want[:]) || batches[0].Size != int64(len(data)) {
		t.Fatalf("batch row %+v, want SHA-256 %x and size %d", batches, want, len(data))
	}
	before, _ := s.Counts(ctx)

	if _, err := Import(ctx, s, csv, ImportOptions{}, nil); !errors.Is(err, store.ErrBatchExists) {
		t.Fatalf("second import: got %v, want ErrBatchExists", err)
	}
	res, err = Import(ctx, s, csv, ImportOptions{SkipExisting: true}, nil)
	if err != nil || !res.Skipped {
		t.Fatalf("--skip-existing: %+v, %v", res, err)
	}
	after, _ := s.Counts(ctx)
	batches, _ = s.Batches(ctx)
	if after.Annotations != before.Annotations || len(batches) != 1 {
		t.Fatalf("refused imports changed the project: %+v -> %+v, %d batches", before, after, len(batches))
	}
}

// TestImportReportsWriting: the last progress report of an import has read
// the whole file and says the project is being written.
func TestImportReportsWriting(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	csv := filepath.Join(dir, "batch.csv")
	if err := demo.WriteCanonicalCSVFile(csv, 5_000, 4); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(csv)
	s := newStore(t, dir)
	var last [3]int64
	writing := 0
	_, err := Import(ctx, s, csv, ImportOptions{}, func(b, total, rows int64) {
		last = [3]int64{b, total, rows}
		if total == Writing {
			writing++
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if writing != 1 || last != [3]int64{st.Size(), Writing, 5_000} {
		t.Fatalf("last report %v (%d writing reports), want [%d %d 5000]", last, writing, st.Size(), Writing)
	}
}

// TestImportIdenticalMemberFiles: doccano writes one file per member and
// names the labeler only in the file name. Two members who agree on every
// item write identical files; both are imported (the batch is the content
// and the labeler), and importing one of them again is still refused.
func TestImportIdenticalMemberFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	data := `{"id": 1, "text": "Gratis iPhone, klik di sini", "label": ["financial_scam"], "Comments": []}
{"id": 2, "text": "Sepatu lari diskon 20%", "label": ["approve"], "Comments": []}
`
	var paths []string
	for _, name := range []string{"alice.jsonl", "bob.jsonl"} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	s := newStore(t, dir)
	for _, p := range paths {
		res, err := Import(ctx, s, p, ImportOptions{}, nil)
		if err != nil || res.Skipped || res.Stored != 2 {
			t.Fatalf("%s: %+v, %v", filepath.Base(p), res, err)
		}
	}
	if c, _ := s.Counts(ctx); c.Annotators != 2 || c.Annotations != 4 {
		t.Fatalf("counts %+v, want two members' four judgments", c)
	}
	if _, err := Import(ctx, s, paths[1], ImportOptions{}, nil); !errors.Is(err, store.ErrBatchExists) {
		t.Fatalf("bob.jsonl again: %v, want ErrBatchExists", err)
	}
	if res, err := Import(ctx, s, paths[0], ImportOptions{SkipExisting: true}, nil); err != nil || !res.Skipped {
		t.Fatalf("alice.jsonl with --skip-existing: %+v, %v", res, err)
	}
}

// newStore creates a project in dir, closed when the test ends.
func newStore(t *testing.T, dir string) *store.Store {
	t.Helper()
	s, err := store.Create(context.Background(), filepath.Join(dir, "p.lqa"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestImportWorkbookSheets: the batch key names the sheet, so a workbook's
// second sheet can be imported after its first ("already imported" before),
// and each sheet, named in any case, only once.
func TestImportWorkbookSheets(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "Batch")
	f.NewSheet("Other")
	f.SetSheetRow("Batch", "A1", &[]any{"item_id", "annotator_id", "label"})
	f.SetSheetRow("Batch", "A2", &[]any{"ad-1", "r1", "approve"})
	f.SetSheetRow("Other", "A1", &[]any{"item_id", "annotator_id", "label"})
	f.SetSheetRow("Other", "A2", &[]any{"ad-2", "r2", "approve"})
	p := filepath.Join(dir, "b.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	f.Close()
	s := newStore(t, dir)
	for _, sheet := range []string{"", "Other"} {
		res, err := Import(ctx, s, p, ImportOptions{Ingest: ingest.Options{Sheet: sheet}}, nil)
		if err != nil || res.Skipped || res.Stored != 1 {
			t.Fatalf("sheet %q: %+v, %v", sheet, res, err)
		}
	}
	for _, sheet := range []string{"", "batch", "OTHER"} {
		if _, err := Import(ctx, s, p, ImportOptions{Ingest: ingest.Options{Sheet: sheet}}, nil); !errors.Is(err, store.ErrBatchExists) {
			t.Errorf("sheet %q again: %v, want ErrBatchExists", sheet, err)
		}
	}
	if res, err := Import(ctx, s, p, ImportOptions{Ingest: ingest.Options{Sheet: "Other"}, SkipExisting: true}, nil); err != nil || !res.Skipped {
		t.Errorf("Other with --skip-existing: %+v, %v", res, err)
	}
	if c, _ := s.Counts(ctx); c.Annotations != 2 {
		t.Errorf("counts %+v, want the two sheets' two judgments", c)
	}
}

// TestImportGoldWorkbookSheets: a golden-set workbook's sheets are batches
// of their own too, so its second sheet can be imported after its first,
// each once; a refused or skipped sheet changes nothing.
func TestImportGoldWorkbookSheets(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "GDS v1")
	f.NewSheet("GDS v2")
	f.SetSheetRow("GDS v1", "A1", &[]any{"item_id", "label"})
	f.SetSheetRow("GDS v1", "A2", &[]any{"ad-1", "approve"})
	f.SetSheetRow("GDS v2", "A1", &[]any{"item_id", "label"})
	f.SetSheetRow("GDS v2", "A2", &[]any{"ad-1", "APPROVE"}) // another spelling: one label
	p := filepath.Join(dir, "gold.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	f.Close()
	s := newStore(t, dir)
	for i, sheet := range []string{"", "GDS v2"} {
		res, err := ImportGold(ctx, s, p, GoldOptions{Ingest: ingest.Options{Sheet: sheet}, Version: fmt.Sprint("v", i+1)}, nil)
		if err != nil || res.Skipped || res.Items != 1 {
			t.Fatalf("sheet %q: %+v, %v", sheet, res, err)
		}
	}
	for _, sheet := range []string{"", "gds v1", "GDS V2"} {
		if _, err := ImportGold(ctx, s, p, GoldOptions{Ingest: ingest.Options{Sheet: sheet}, Version: "v9"}, nil); !errors.Is(err, store.ErrBatchExists) {
			t.Errorf("sheet %q again: %v, want ErrBatchExists", sheet, err)
		}
	}
	if res, err := ImportGold(ctx, s, p, GoldOptions{Ingest: ingest.Options{Sheet: "GDS v2"}, Version: "v9", SkipExisting: true}, nil); err != nil || !res.Skipped {
		t.Errorf("GDS v2 with skip: %+v, %v", res, err)
	}
	if b, _ := s.Batches(ctx); len(b) != 2 {
		t.Errorf("%d batches, want the two sheets'", len(b))
	}
}

// TestInitRefusesControlCharacters: init --labels took ESC, tab and line
// breaks into labels that an import refuses in a label ("holds a control
// character"), and a golden-set version name took ESC and BEL. Now each is
// refused as ErrBadName, before anything is created or written.
func TestInitRefusesControlCharacters(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, c := range []struct{ labels, allow []string }{
		{[]string{"a\tb", "c"}, nil}, {[]string{"a\nb"}, nil}, {[]string{"a\x1b[31mb"}, nil},
		{[]string{"a\x07"}, nil}, {[]string{"a\u0085b"}, nil}, {[]string{"a"}, []string{"a\x00"}},
	} {
		p := filepath.Join(dir, "p.lqa")
		err := Init(ctx, p, c.labels, c.allow)
		if !errors.Is(err, ErrBadName) || !strings.Contains(err.Error(), "control character") {
			t.Errorf("%q %q: got %v", c.labels, c.allow, err)
		}
		if _, serr := os.Stat(p); serr == nil {
			t.Fatalf("%q: a project was created", c.labels)
		}
	}
	p := filepath.Join(dir, "g.lqa")
	if err := Init(ctx, p, []string{"a", "b"}, nil); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	g := filepath.Join(dir, "g.csv")
	os.WriteFile(g, []byte("item_id,label\ni1,a\n"), 0o644)
	if err := CheckVersionName("v\x1b]0;X\a"); !errors.Is(err, ErrBadName) {
		t.Fatalf("CheckVersionName: got %v", err)
	}
	if err := CheckVersionName("2026-12 v1"); err != nil {
		t.Fatal(err)
	}
	if _, err := ImportGold(ctx, s, g, GoldOptions{Version: "v\x1b]0;X\a"}, nil); !errors.Is(err, ErrBadName) {
		t.Fatalf("gold version with ESC: got %v", err)
	}
	if vs, err := s.GoldVersions(ctx); err != nil || len(vs) != 0 {
		t.Fatalf("versions %v, %v", vs, err)
	}
}

// TestGoldMixedVersions: a golden-set file whose gds_version column named v1
// on row 2 and v2 on row 3 was stored as one version "v1" holding both rows,
// without a word. It is refused naming the row and both values, writing
// nothing; a version name given for the whole file ignores the column.
func TestGoldMixedVersions(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	p := filepath.Join(dir, "p.lqa")
	if err := Init(ctx, p, []string{"approve", "reject"}, nil); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	g := filepath.Join(dir, "g.csv")
	os.WriteFile(g, []byte("item_id,label,gds_version\ni1,approve,v1\ni2,reject,v2\n"), 0o644)
	_, err = ImportGold(ctx, s, g, GoldOptions{}, nil)
	if err == nil || !strings.Contains(err.Error(), `g.csv:3:3: gds_version "v2" differs from "v1" on row 2`) {
		t.Fatalf("got %v", err)
	}
	if vs, _ := s.GoldVersions(ctx); len(vs) != 0 {
		t.Fatalf("stored %v", vs)
	}
	res, err := ImportGold(ctx, s, g, GoldOptions{Version: "2026-12"}, nil)
	if err != nil || res.Version != "2026-12" || res.Items != 2 {
		t.Fatalf("explicit version: %+v, %v", res, err)
	}
}
