package report

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"labelqa/app/core"
	"labelqa/app/demo"
	"labelqa/app/metrics"
	"labelqa/app/targets"
)

// hostile is input text a spreadsheet could read as a formula, or that
// XML cannot hold; each must come back as the same string cell.
var hostile = []string{"=1+1", "+SUM(A1:A2)", "-2+3", "@cmd", "\t=tab", "\r=cr", "=HYPERLINK(\"http://x\")", "ok\x00nul"}

func init() {
	Texts(map[string]Tr{
		"test.sheet":   {"Detail", "Rincian", "Detaljer"},
		"test.finding": {"Gold accuracy is %s.", "Akurasi gold %s.", "Gull-nøyaktigheten er %s."},
	})
	Register("test", func(ctx context.Context, w *Workbook, in *Input) error {
		rep := in.Analysis.Report()
		acc := math.NaN()
		n := 0
		if rep.Gold != nil {
			acc, n = float64(rep.Gold.Accuracy.Value), rep.Gold.Annotations
		}
		st, tg := in.Targets.Rate("gold_accuracy", "", "", "", acc)
		target := math.NaN()
		if st != targets.None {
			target = tg.Target
		}
		w.Summary().Figure(Figure{Key: "gold_accuracy", Label: "Gold accuracy", Kind: KPct, Value: acc,
			Low: float64(rep.Gold.Accuracy.CILow), High: float64(rep.Gold.Accuracy.CIHigh), Target: target, Status: st, N: n})
		w.Summary().Finding(w.T("test.finding", w.Pct(acc)))
		w.Define("gold_accuracy", "volume")
		s := w.Sheet(w.T("test.sheet"))
		s.Title("Weekly")
		t := s.Table("Weekly", Col{Head: w.T("col.week"), Kind: KWeek}, Col{Head: w.T("col.judgments"), Kind: KInt},
			Col{Head: "Gold accuracy", Kind: KPct}, Col{Head: w.T("col.status"), Kind: KStatus})
		for _, p := range in.Analysis.Weekly() {
			st, _ := in.Targets.Rate("gold_accuracy", "", "", "", float64(p.GoldAccuracy.Value))
			t.Row(p.Key, p.Annotations, float64(p.GoldAccuracy.Value), st)
		}
		t.ColorBy(2, 3)
		w.Summary().Chart(Chart{Kind: Line, Title: "Gold accuracy by week", Table: t, Cat: 0, Series: []int{2}, Percent: true})
		x := w.Sheet("Input text")
		h := x.Table("Hostile", Col{Head: "Text"}, Col{Head: "Label"})
		for _, v := range hostile {
			h.Row(v, v)
		}
		h.DataList(1, append([]string{"a,b", "\"q\""}, hostile...))
		h.Keys(1)
		h.Editable(1)
		p := w.Sheet("Pareto")
		pt := p.Table("Pareto", Col{Head: "Pair"}, Col{Head: "Count", Kind: KInt}, Col{Head: "Cumulative", Kind: KPct})
		pt.Row("a → b", 6, 0.6)
		pt.Row("b → a", 4, 1.0)
		pt.HeatMap(1, 1)
		p.Chart(Chart{Kind: Pareto, Title: "Pareto", Table: pt, Cat: 0, Series: []int{1}, Cumulative: 2})
		return nil
	})
}

var (
	demoOnce sync.Once
	demoPath string
	demoErr  error
)

// demoProject is a small demo project shared by the tests (read-only).
func demoProject(t *testing.T) string {
	t.Helper()
	demoOnce.Do(func() {
		dir, err := os.MkdirTemp("", "labelqa-report-test-")
		if err != nil {
			demoErr = err
			return
		}
		demoPath, _, demoErr = core.CreateDemo(context.Background(), dir, demo.Options{Items: 400, Seed: 7}, nil)
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	return demoPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if demoPath != "" {
		os.RemoveAll(filepath.Dir(demoPath))
	}
	os.Exit(code)
}

// input opens the demo project read-only and analyses it once.
func input(t *testing.T, lang Lang) *Input {
	t.Helper()
	ctx := context.Background()
	p, err := core.OpenReadOnly(ctx, demoProject(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	a, err := p.Analyze(ctx, core.Query{}, metrics.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := core.TargetSet{{Metric: "gold_accuracy", Target: 0.9, Amber: 0.85}}
	return &Input{Project: p, Analysis: a, Targets: ts, Lang: lang, Version: "9.9.9",
		Now: time.Date(2025, 4, 1, 12, 30, 0, 0, time.UTC)}
}

func TestEveryTextInEveryLanguage(t *testing.T) {
	for _, k := range TextKeys() {
		for _, l := range Langs {
			if s, _ := Text(k, l); strings.TrimSpace(s) == "" {
				t.Errorf("text %s has no %s", k, l)
			}
		}
	}
	for _, k := range DefinitionKeys() {
		d, _ := definition(k)
		for _, l := range Langs {
			for what, tr := range map[string]Tr{"name": d.Name, "plain": d.Plain, "formula": d.Formula, "reference": d.Reference} {
				if strings.TrimSpace(tr.In(l)) == "" {
					t.Errorf("definition %s has no %s %s", k, l, what)
				}
			}
		}
	}
}

func TestWorkbookCraft(t *testing.T) {
	in := input(t, EN)
	out := filepath.Join(t.TempDir(), "test.xlsx")
	if err := Write(context.Background(), "test", in, out); err != nil {
		t.Fatal(err)
	}
	if keep := os.Getenv("LABELQA_KEEP"); keep != "" {
		b, _ := os.ReadFile(out)
		os.WriteFile(keep, b, 0o644)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := []string{"Summary", "Detail", "Input text", "Pareto", "Definitions", "Sources", "Lists"}
	if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	if v, _ := f.GetSheetVisible("Lists"); v {
		t.Error("the Lists sheet is visible")
	}
	// The Summary's figure is a number with a percentage format, equal to the analysis.
	rep := in.Analysis.Report()
	cell := findCell(t, f, "Summary", "Gold accuracy")
	val := cellRight(t, cell, 1)
	if typ, _ := f.GetCellType("Summary", val); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("%s is %v, want a number", val, typ)
	}
	raw, _ := f.GetCellValue("Summary", val, excelize.Options{RawCellValue: true})
	if raw == "" || !near(raw, float64(rep.Gold.Accuracy.Value)) {
		t.Errorf("Summary %s = %q, want %v", val, raw, rep.Gold.Accuracy.Value)
	}
	if shown, _ := f.GetCellValue("Summary", val); !strings.HasSuffix(shown, "%") {
		t.Errorf("Summary %s shows %q, want a percentage", val, shown)
	}
	// The defined name points at it.
	names := f.GetDefinedName()
	found := false
	for _, n := range names {
		if n.Name == "lqa_gold_accuracy" && strings.HasSuffix(n.RefersTo, "$"+strings.TrimLeft(val, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")) {
			found = true
		}
	}
	if !found {
		t.Errorf("no defined name lqa_gold_accuracy for %s in %+v", val, names)
	}
	// Input text is stored as the same string, never a formula.
	for i, v := range hostile {
		for c := 0; c < 2; c++ {
			ref := cellName(c, 2+i)
			got, _ := f.GetCellValue("Input text", ref)
			wantV := strings.ReplaceAll(v, "\x00", "\uFFFD")
			if got != wantV {
				t.Errorf("Input text %s = %q, want %q", ref, got, wantV)
			}
			if fo, _ := f.GetCellFormula("Input text", ref); fo != "" {
				t.Errorf("Input text %s became the formula %q", ref, fo)
			}
			if typ, _ := f.GetCellType("Input text", ref); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
				t.Errorf("Input text %s has type %v, want a string", ref, typ)
			}
		}
	}
	// Frozen header, charts, conditional formats, data validation, tables.
	panes, err := f.GetPanes("Detail")
	if err != nil || !panes.Freeze || panes.YSplit != 2 {
		t.Errorf("Detail panes %+v (%v), want frozen below row 2", panes, err)
	}
	for sheet, n := range map[string]int{"Summary": 1, "Pareto": 1} {
		if got := countParts(t, out, "xl/charts/chart"); got < 2 {
			t.Errorf("%d chart parts, want 2 (%s: %d)", got, sheet, n)
		}
	}
	cf, _ := f.GetConditionalFormats("Detail")
	if len(cf) == 0 {
		t.Error("no conditional formats on Detail")
	}
	dv, _ := f.GetDataValidations("Input text")
	if len(dv) != 1 || !strings.Contains(dv[0].Formula1, "Lists") {
		t.Errorf("data validations %+v, want one list from the Lists sheet", dv)
	}
	for _, sheet := range []string{"Summary", "Detail", "Sources", "Definitions"} {
		tables, _ := f.GetTables(sheet)
		if len(tables) == 0 {
			t.Errorf("%s has no Excel table", sheet)
		}
		lay, _ := f.GetPageLayout(sheet)
		orient := "landscape"
		if sheet == "Summary" {
			orient = "portrait" // one upright page
		}
		if lay.Orientation == nil || *lay.Orientation != orient || lay.FitToWidth == nil || *lay.FitToWidth != 1 {
			t.Errorf("%s page layout %+v, want %s fit to width", sheet, lay, orient)
		}
	}
	// Keys stay in sight; only the editable column can be changed.
	if p, _ := f.GetPanes("Input text"); !p.Freeze || p.XSplit != 1 || p.YSplit != 1 {
		t.Errorf("Input text panes %+v, want the first column and the heading frozen", p)
	}
	if id, _ := f.GetCellStyle("Input text", "B2"); true {
		st, _ := f.GetStyle(id)
		if st == nil || st.Protection == nil || st.Protection.Locked {
			t.Errorf("editable B2 style %+v, want unlocked", st)
		}
	}
	if !partContains(t, out, "xl/worksheets/sheet3.xml", "<sheetProtection") || partContains(t, out, "xl/worksheets/sheet2.xml", "<sheetProtection") {
		t.Error("want the sheet with an editable column protected, and only it")
	}
	props, _ := f.GetDocProps()
	if props.Language != "en-US" || props.Title != "KPI report" && props.Title != "test" && !strings.Contains(props.Title, "title.test") {
		t.Logf("doc props %+v", props)
	}
	if props.Language != "en-US" || !strings.Contains(props.Creator, "9.9.9") {
		t.Errorf("doc props %+v", props)
	}
	// Sources: every batch with its SHA-256.
	batches, _ := in.Project.Batches(context.Background())
	for _, b := range batches {
		findCell(t, f, "Sources", b.SHA256)
	}
}

func TestWorkbookLanguages(t *testing.T) {
	for _, tc := range []struct {
		lang          Lang
		sheet, status string
		numFmt        string
	}{{ID, "Ringkasan", "Kuning", "[$-421]0.0%"}, {NB, "Sammendrag", "Gul", "[$-414]0.0%"}} {
		in := input(t, tc.lang)
		out := filepath.Join(t.TempDir(), string(tc.lang)+".xlsx")
		if err := Write(context.Background(), "test", in, out); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if f.GetSheetName(0) != tc.sheet {
			t.Errorf("%s: first sheet %q, want %q", tc.lang, f.GetSheetName(0), tc.sheet)
		}
		cell := findCell(t, f, tc.sheet, "Gold accuracy")
		st, _ := f.GetCellStyle(tc.sheet, cellRight(t, cell, 1))
		style, _ := f.GetStyle(st)
		if style == nil || style.CustomNumFmt == nil || *style.CustomNumFmt != tc.numFmt {
			t.Errorf("%s: number format %+v, want %s", tc.lang, style, tc.numFmt)
		}
		props, _ := f.GetDocProps()
		if !strings.HasPrefix(props.Language, string(tc.lang)) {
			t.Errorf("%s: document language %q", tc.lang, props.Language)
		}
		f.Close()
	}
	if got := NB.formatPct(0.9314); got != "93,1\u00a0%" {
		t.Errorf("nb pct %q", got)
	}
	if got := ID.formatNum(1234567.25, 1); got != "1.234.567,3" && got != "1.234.567,2" {
		t.Errorf("id num %q", got)
	}
	if got := EN.formatNum(-1234, 0); got != "−1,234" {
		t.Errorf("en num %q", got)
	}
}

// A failing builder or a cancelled run leaves the earlier file as it was
// and no temporary file behind.
func TestWriteIsAtomic(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "kpi.xlsx")
	if err := os.WriteFile(out, []byte("earlier"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Write(ctx, "test", input(t, EN), out); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled write: %v", err)
	}
	if b, _ := os.ReadFile(out); string(b) != "earlier" {
		t.Error("a cancelled write changed the file")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	if err := Write(context.Background(), "nope", input(t, EN), out); !errors.Is(err, ErrUnknownKind) {
		t.Errorf("unknown kind: %v", err)
	}
	if err := Write(context.Background(), "test", input(t, EN), filepath.Join(dir, "kpi.xls")); err == nil {
		t.Error("wrote a workbook to a file not ending in .xlsx")
	}
}

func TestCleanTextAndNames(t *testing.T) {
	long := strings.Repeat("é", maxCellChars+10)
	if n := len([]rune(cleanText(long))); n != maxCellChars {
		t.Errorf("long text kept %d characters", n)
	}
	// Excel counts UTF-16 units: 20,000 emoji are 40,000 of them.
	if n := utf16Len(cleanText(strings.Repeat("😀", 20000))); n > maxCellChars {
		t.Errorf("emoji text kept %d UTF-16 units", n)
	}
	if got := cleanText("a\x01b\uFFFEc"); got != "a\uFFFDb\uFFFDc" {
		t.Errorf("cleanText %q", got)
	}
	w := newWorkbook("test", &Input{Lang: EN})
	if got := w.sheetName("a/b:c*d?[e]"); got != "a-b-c-d--e-" {
		t.Errorf("sheet name %q", got)
	}
	w.Sheet("Detail")
	if got := w.sheetName("detail"); got != "detail (2)" {
		t.Errorf("duplicate sheet name %q", got)
	}
	for in, want := range map[string]string{"A1": "T_A1", "1x": "T_1x", "Gold accuracy": "Gold_accuracy", "R1C1": "T_R1C1", "XFD99": "T_XFD99"} {
		if got := identifier(in); got != want {
			t.Errorf("identifier(%q) = %q, want %q", in, got, want)
		}
	}
}

func findCell(t *testing.T, f *excelize.File, sheet, text string) string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for r, row := range rows {
		for c, v := range row {
			if v == text {
				return cellName(c, r+1)
			}
		}
	}
	t.Fatalf("%s has no cell %q", sheet, text)
	return ""
}

func cellRight(t *testing.T, cell string, n int) string {
	t.Helper()
	c, r, err := excelize.CellNameToCoordinates(cell)
	if err != nil {
		t.Fatal(err)
	}
	return cellName(c-1+n, r)
}

func near(raw string, want float64) bool {
	var got float64
	if _, err := fmt.Sscan(raw, &got); err != nil {
		return false
	}
	return math.Abs(got-want) < 1e-12
}

func countParts(t *testing.T, path, prefix string) int {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	n := 0
	for _, f := range z.File {
		if strings.HasPrefix(f.Name, prefix) {
			n++
			rc, _ := f.Open()
			io.Copy(io.Discard, rc)
			rc.Close()
		}
	}
	return n
}

func partContains(t *testing.T, path, part, text string) bool {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	for _, f := range z.File {
		if f.Name == part {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			return strings.Contains(string(b), text)
		}
	}
	t.Fatalf("%s has no part %s", path, part)
	return false
}
