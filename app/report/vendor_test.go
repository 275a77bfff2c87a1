package report

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"labelqa/app/core"
	"labelqa/app/metrics"
)

// vendorInput is the Input of a vendor workbook of v: the project at path
// opened read-only and analysed once for v's judgments.
func vendorInput(t *testing.T, path, v string, lang Lang) *Input {
	t.Helper()
	ctx := context.Background()
	p, err := core.OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	q := core.Query{Vendor: v}
	a, err := p.Analyze(ctx, q, metrics.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := core.TargetSet{{Metric: "gold_accuracy", Target: 0.9, Amber: 0.85}, {Metric: "gold_accuracy", Vendor: v, Target: 0.8, Amber: 0.7}}
	return &Input{Project: p, Analysis: a, Query: q, Targets: ts, Vendor: v, Lang: lang, Version: "9.9.9",
		Now: time.Date(2025, 4, 1, 12, 30, 0, 0, time.UTC)}
}

// xlsxParts returns every part of the .xlsx (XML and the rest), by name.
func xlsxParts(t *testing.T, path string) map[string][]byte {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	out := map[string][]byte{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = b
	}
	return out
}

// searchParts reports every part holding one of forbidden (letter case
// ignored; XML escapes of & < > ' " undone first).
func searchParts(t *testing.T, parts map[string][]byte, forbidden []string) {
	t.Helper()
	unescape := strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&apos;", "'", "&quot;", `"`, "&#39;", "'", "&#34;", `"`)
	for name, b := range parts {
		s := strings.ToLower(unescape.Replace(string(b)))
		for _, f := range forbidden {
			if f != "" && strings.Contains(s, strings.ToLower(f)) {
				i := strings.Index(s, strings.ToLower(f))
				t.Errorf("%s holds %q: …%s…", name, f, s[max(0, i-80):min(len(s), i+len(f)+80)])
			}
		}
	}
}

// TestVendorWorkbookDemo: the vendor workbook of each demo vendor holds no
// other vendor's name (or its slug in a file name), no reviewer id of
// theirs, and no id of a gold item still in use, in any part of the file;
// it has its sheets, figures of the vendor's analysis, and a trend chart.
func TestVendorWorkbookDemo(t *testing.T) {
	ctx := context.Background()
	path := demoProject(t)
	raw, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	strs := func(q string, args ...any) []string {
		rows, err := raw.Query(q, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			rows.Scan(&s)
			out = append(out, s)
		}
		return out
	}
	vendors := strs("SELECT DISTINCT vendor FROM annotators ORDER BY vendor")
	if len(vendors) != 3 {
		t.Fatalf("demo vendors %q", vendors)
	}
	// Gold items served in a queue other than practice: still in use.
	inUse := strs(`SELECT DISTINCT i.ext_id FROM gold_labels g JOIN items i ON i.id = g.item_id
		WHERE EXISTS (SELECT 1 FROM annotations n JOIN queues q ON q.id = n.queue_id WHERE n.item_id = g.item_id AND q.name <> 'practice')`)
	if len(inUse) == 0 {
		t.Fatal("no gold in use in the demo")
	}
	for i, v := range vendors {
		if testing.Short() && i > 0 {
			break
		}
		in := vendorInput(t, path, v, Langs[i%len(Langs)])
		out := filepath.Join(t.TempDir(), "vendor.xlsx")
		if err := Write(ctx, "vendor", in, out); err != nil {
			t.Fatal(err)
		}
		var forbidden []string
		for _, o := range vendors {
			if o != v {
				forbidden = append(forbidden, o, strings.ReplaceAll(strings.ToLower(o), " ", "-"))
			}
		}
		forbidden = append(forbidden, strs("SELECT ext_id FROM annotators WHERE vendor <> ?", v)...)
		forbidden = append(forbidden, inUse...)
		parts := xlsxParts(t, out)
		searchParts(t, parts, forbidden)
		if t.Failed() {
			return
		}
		f, err := excelize.OpenFile(out)
		if err != nil {
			t.Fatal(err)
		}
		w := newWorkbook("vendor", in) // for the sheet names in the language
		want := []string{w.T("sheet.summary"), w.T("vendor.sheet.reviewers"), w.T("vendor.sheet.queues"), w.T("vendor.sheet.weeks"),
			w.T("vendor.sheet.confusion"), w.T("vendor.sheet.errors"), w.T("sheet.definitions"), w.T("sheet.sources")}
		if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s: sheets %v, want %v", v, got, want)
		}
		// The Summary's gold accuracy is the vendor analysis's.
		cell := findCell(t, f, want[0], w.T("vendor.fig.gold"))
		got, _ := f.GetCellValue(want[0], cellRight(t, cell, 1), excelize.Options{RawCellValue: true})
		if acc := float64(in.Analysis.Report().Gold.Accuracy.Value); !near(got, acc) {
			t.Errorf("%s: Summary gold accuracy %q, want %v", v, got, acc)
		}
		// Charts on the Summary and the Weeks sheet.
		if n := countParts(t, out, "xl/charts/chart"); n != 2 {
			t.Errorf("%s: %d charts, want 2", v, n)
		}
		// The Sources list only the vendor's batch files.
		slug := strings.ReplaceAll(strings.ToLower(v), " ", "-")
		rows, _ := f.GetRows(want[7])
		files := 0
		for _, r := range rows {
			if len(r) > 1 && (strings.HasSuffix(r[0], ".csv") || strings.HasSuffix(r[0], ".xlsx")) {
				files++
				if !strings.Contains(r[0], slug) && !strings.HasPrefix(r[0], "gold_") {
					t.Errorf("%s: source file %q", v, r[0])
				}
			}
		}
		if files == 0 {
			t.Errorf("%s: no source files listed", v)
		}
		f.Close()
	}
}

// TestVendorWorkbookText: input text reaches the Errors sheet as string
// cells equal to the input (never a formula), with another vendor's name
// and reviewer id redacted; an error on gold in use shows neither the item
// nor its answer; a workbook from the analysis of several vendors, or
// without a vendor, is refused.
func TestVendorWorkbookText(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "fjord-and-manila-trust-ops.lqa") // the Sources sheet names the project
	p, err := core.Create(ctx, path, []string{"approve", "scam", "=spam"}, []string{"approve"})
	if err != nil {
		t.Fatal(err)
	}
	hostile := []string{"=1+1", "+SUM(A1:A2)", "-2+3", "@cmd", "=HYPERLINK(\"http://x\")"}
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.Write([]string{"item_id", "annotator_id", "label", "vendor", "queue", "submitted_at", "duration_s", "content", "comment"})
	for i, h := range hostile {
		item := "ad-practice-" + string(rune('a'+i))
		cw.Write([]string{item, "no_rev01", "scam", "Fjord Review AS", "practice", "2025-03-04T10:00:00Z", "20", h, h + " like ph_rev09 of Manila Trust Ops"})
		cw.Write([]string{item, "ph_rev09", "approve", "Manila Trust Ops", "practice", "2025-03-04T11:00:00Z", "20", h, "ok"})
	}
	cw.Write([]string{"ad-honeypot-777", "no_rev01", "scam", "Fjord Review AS", "live", "2025-03-05T10:00:00Z", "20", "secret honeypot text", "honeypot comment"})
	// A queue of Fjord's named after another vendor: the Queues sheet redacts it.
	cw.Write([]string{"ad-overflow-1", "no_rev01", "approve", "Fjord Review AS", "manila-trust-ops-overflow", "2025-03-05T11:00:00Z", "20", "overflow ad", ""})
	cw.Flush()
	batch := filepath.Join(dir, "b.csv")
	os.WriteFile(batch, b.Bytes(), 0o644)
	if _, err := p.Import(ctx, batch, core.ImportOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	var g bytes.Buffer
	gw := csv.NewWriter(&g)
	gw.Write([]string{"item_id", "label", "rationale", "sop_section"})
	for i, h := range hostile {
		gw.Write([]string{"ad-practice-" + string(rune('a'+i)), "approve", h, "-1 section"})
	}
	gw.Write([]string{"ad-honeypot-777", "=spam", "HONEYPOT-RATIONALE", "9.9"})
	gw.Flush()
	gold := filepath.Join(dir, "g.csv")
	os.WriteFile(gold, g.Bytes(), 0o644)
	if _, err := p.ImportGold(ctx, gold, core.GoldOptions{Version: "v1"}, nil); err != nil {
		t.Fatal(err)
	}
	p.Close()

	in := vendorInput(t, path, "Fjord Review AS", EN)
	out := filepath.Join(dir, "v.xlsx")
	if err := Write(ctx, "vendor", in, out); err != nil {
		t.Fatal(err)
	}
	searchParts(t, xlsxParts(t, out), []string{"Manila Trust Ops", "manila-trust-ops", "ph_rev09", "ad-honeypot-777", "secret honeypot", "HONEYPOT-RATIONALE", "honeypot comment"})
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Errors")
	if err != nil {
		t.Fatal(err)
	}
	hdr := -1
	for i, r := range rows {
		if len(r) > 0 && r[0] == "Item" {
			hdr = i
		}
	}
	if hdr < 0 || len(rows) < hdr+1+len(hostile) {
		t.Fatalf("Errors sheet rows %q", rows)
	}
	// Five practice errors (newest first: all at one time, then by id); the
	// honeypot error is counted, not listed (its reviewer, queue, week and
	// given label would pick the item out).
	seen := map[string]bool{}
	for k := 0; k < len(hostile); k++ {
		r := rows[hdr+1+k]
		row := hdr + 2 + k                  // 1-based sheet row
		for _, c := range []int{7, 8, 10} { // content, rationale, comment
			ref := cellName(c, row)
			if typ, _ := f.GetCellType("Errors", ref); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
				t.Errorf("Errors!%s is %v, want a string cell", ref, typ)
			}
			if fm, _ := f.GetCellFormula("Errors", ref); fm != "" {
				t.Errorf("Errors!%s has the formula %q", ref, fm)
			}
		}
		if r[7] != r[8] {
			t.Errorf("row %d: content %q and rationale %q differ", row, r[7], r[8])
		}
		if want := r[7] + " like " + core.Redacted + " of " + core.Redacted; r[10] != want {
			t.Errorf("row %d: comment %q, want %q", row, r[10], want)
		}
		if r[5] != "scam" || r[6] != "approve" || r[9] != "-1 section" {
			t.Errorf("row %d: %q", row, r)
		}
		seen[r[7]] = true
	}
	for _, h := range hostile {
		if !seen[h] {
			t.Errorf("content %q not on the Errors sheet as it was", h)
		}
	}
	if len(rows) != hdr+1+len(hostile) {
		t.Errorf("the Errors sheet lists %d rows, want the %d practice errors only", len(rows)-hdr-1, len(hostile))
	}

	// Refusals.
	all := vendorInput(t, path, "Fjord Review AS", EN)
	a, err := all.Project.Analyze(ctx, core.Query{}, metrics.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	all.Analysis = a
	if err := Write(ctx, "vendor", all, filepath.Join(dir, "x.xlsx")); !errors.Is(err, ErrVendorScope) {
		t.Errorf("analysis of every vendor: %v, want ErrVendorScope", err)
	}
	none := vendorInput(t, path, "Fjord Review AS", EN)
	none.Vendor, none.Query = "", core.Query{}
	if err := Write(ctx, "vendor", none, filepath.Join(dir, "y.xlsx")); !errors.Is(err, ErrVendorScope) {
		t.Errorf("no vendor: %v, want ErrVendorScope", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.xlsx")); err == nil {
		t.Error("a refused workbook was written")
	}
}

// TestVendorWorkbookFromExport: the vendor workbook of a vendor-scoped
// project (labelqa export) needs no --vendor and holds the same vendor only.
func TestVendorWorkbookFromExport(t *testing.T) {
	ctx := context.Background()
	src, err := core.OpenReadOnly(ctx, demoProject(t))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	exp := filepath.Join(t.TempDir(), "fjord.lqa")
	if _, err := src.ExportVendor(ctx, "Fjord Review AS", exp); err != nil {
		t.Fatal(err)
	}
	in := vendorInput(t, exp, "", NB)
	in.Vendor = ""
	out := filepath.Join(t.TempDir(), "v.xlsx")
	if err := Write(ctx, "vendor", in, out); err != nil {
		t.Fatal(err)
	}
	searchParts(t, xlsxParts(t, out), []string{"Manila Trust Ops", "Nusantara BPO", "manila-trust-ops", "nusantara-bpo", "ph_rev01", "id_rev01"})
}

// TestVendorWorkbookAudits: with audit outcomes, the Summary shows the
// audit accuracy of the analysis's KPI figures (Clopper-Pearson interval).
func TestVendorWorkbookAudits(t *testing.T) {
	in := vendorInput(t, demoProject(t), "Manila Trust Ops", EN)
	for j := 0; j < 40; j++ { // 30 of 40 right
		in.Audits = append(in.Audits, metrics.AuditOutcome{Judgment: 3 * j, Correct: j%4 != 0, InclusionProbability: 1})
	}
	out := filepath.Join(t.TempDir(), "v.xlsx")
	if err := Write(context.Background(), "vendor", in, out); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cell := findCell(t, f, "Summary", "Audit accuracy")
	want := in.Analysis.KPI(in.Audits).Overall.AuditAccuracy
	if float64(want.Value) != 0.75 {
		t.Fatalf("KPI audit accuracy %v, want 30/40", want.Value)
	}
	for i, v := range []float64{float64(want.Value), float64(want.CILow), float64(want.CIHigh)} {
		got, _ := f.GetCellValue("Summary", cellRight(t, cell, 1+i), excelize.Options{RawCellValue: true})
		if !near(got, v) {
			t.Errorf("audit accuracy column %d: %q, want %v", i, got, v)
		}
	}
}

// TestVendorWorkbookEmpty: a selection without any of the vendor's
// judgments still gives a workbook, which says so.
func TestVendorWorkbookEmpty(t *testing.T) {
	ctx := context.Background()
	in := vendorInput(t, demoProject(t), "Fjord Review AS", EN)
	in.Query = core.Query{From: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}.WithinVendor("Fjord Review AS")
	a, err := in.Project.Analyze(ctx, in.Query, metrics.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	in.Analysis = a
	out := filepath.Join(t.TempDir(), "v.xlsx")
	if err := Write(ctx, "vendor", in, out); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	findCell(t, f, "Summary", "• No judgment of Fjord Review AS is in this selection: widen the period or the filters.")
}
