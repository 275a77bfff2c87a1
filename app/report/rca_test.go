package report

import (
	"archive/zip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"labelqa/app/core"
	"labelqa/app/metrics"
)

// rcaHostile is where input text lands in the RCA workbook, each value one
// a spreadsheet could read as a formula (= + - @, a tab, a CR first). An
// import trims the fields of batch and gold files (app/ingest), so text
// starting with a tab or a CR reaches the workbook through the notes of
// tags, which are kept as typed.
var rcaHostile = map[string]string{
	"item":      "@g1",
	"annotator": "=ann1",
	"content":   "=1+1 cure",
	"comment":   "+tab comment",
	"rationale": "-cr rationale",
	"note":      "\t=tab note",
	"note2":     "\r=cr note",
	"section":   "+SUM(A1:A2)",
	"category":  "-2+3",
	"vendor":    `=HYPERLINK("http://x")`,
	"market":    "@ID",
	"sop":       "-v3",
	"cause":     "=evil()",
}

// rcaProject writes a small project as JSON lines (which carry a tab or CR
// exactly): g1 is labeled approve by three of four reviewers against gold
// misleading_claims, g2 has one error, g3 none.
func rcaProject(t *testing.T) (*core.Project, string) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	h := rcaHostile
	type row map[string]any
	var batch []row
	add := func(item, ann, label, vendor, market, sop string, extra row) {
		r := row{"item_id": item, "annotator_id": ann, "label": label, "vendor": vendor, "market": market, "sop_version": sop,
			"submitted_at": "2025-03-04T10:00:00Z", "content": "content of " + item}
		if item == h["item"] {
			r["content"] = h["content"]
		}
		for k, v := range extra {
			r[k] = v
		}
		batch = append(batch, r)
	}
	add(h["item"], h["annotator"], "approve", h["vendor"], h["market"], h["sop"], row{"comment": h["comment"], "error_category": h["category"], "root_cause": h["cause"]})
	add(h["item"], "ann2", "approve", h["vendor"], h["market"], h["sop"], nil)
	add(h["item"], "ann3", "approve", "Fjord Review AS", "NO", "v4", row{"root_cause": "sop_ambiguity"})
	add(h["item"], "ann4", "misleading_claims", "Fjord Review AS", "NO", "v4", nil)
	add("g2", h["annotator"], "misleading_claims", h["vendor"], h["market"], h["sop"], nil)
	add("g2", "ann3", "approve", "Fjord Review AS", "NO", "v4", nil)
	add("g3", "ann2", "scam", h["vendor"], h["market"], h["sop"], nil)
	add("g3", "ann4", "scam", "Fjord Review AS", "NO", "v4", nil)
	gold := []row{
		{"item_id": h["item"], "label": "misleading_claims", "rationale": h["rationale"], "sop_section": h["section"]},
		{"item_id": "g2", "label": "approve", "rationale": "plain offer", "sop_section": "2.1 No violation"},
		{"item_id": "g3", "label": "scam", "rationale": "guaranteed returns", "sop_section": "4.5 Financial scams"},
	}
	writeJSONL := func(name string, rows []row) string {
		var b strings.Builder
		for _, r := range rows {
			j, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			b.Write(j)
			b.WriteByte('\n')
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	path := filepath.Join(dir, "rca.lqa")
	p, err := core.Create(ctx, path, []string{"approve", "misleading_claims", "scam"}, []string{"approve"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	if _, err := p.Import(ctx, writeJSONL("batch.jsonl", batch), core.ImportOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := p.ImportGold(ctx, writeJSONL("gold.jsonl", gold), core.GoldOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	for _, tg := range []core.Tag{
		{Item: h["item"], Annotator: "ann2", Cause: "sop_ambiguity"},
		{Item: h["item"], Annotator: h["annotator"], Cause: "other", Note: h["note"]},
		{Item: "g2", Annotator: h["annotator"], Cause: "carelessness", Note: h["note2"]},
	} {
		if _, err := p.AddTag(ctx, tg); err != nil {
			t.Fatal(err)
		}
	}
	return p, dir
}

func rcaInput(t *testing.T, p *core.Project, lang Lang) *Input {
	t.Helper()
	a, err := p.Analyze(context.Background(), core.Query{}, metrics.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &Input{Project: p, Analysis: a, Lang: lang, Version: "9.9.9",
		Targets: core.TargetSet{{Metric: "gold_accuracy", Target: 0.9, Amber: 0.8}},
		Now:     time.Date(2025, 4, 1, 12, 0, 0, 0, time.UTC)}
}

// TestRCAWorkbook writes the RCA workbook of rcaProject, reopens it and
// checks its sheets, that the Pareto's counts are numbers equal to the
// RCA's (the analysis's confusion matrix), the Pareto chart (columns and
// a cumulative line), and that every input text is the same string cell.
func TestRCAWorkbook(t *testing.T) {
	ctx := context.Background()
	p, dir := rcaProject(t)
	in := rcaInput(t, p, EN)
	out := filepath.Join(dir, "rca.xlsx")
	if err := Write(ctx, "rca", in, out); err != nil {
		t.Fatal(err)
	}
	if keep := os.Getenv("LABELQA_KEEP_RCA"); keep != "" {
		b, _ := os.ReadFile(out)
		os.WriteFile(keep, b, 0o644)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := []string{"Summary", "Pareto", "By SOP", "By vendor and market", "Examples", "Root causes", "Disputed gold", "Definitions", "Sources"}
	if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("sheets %v, want %v", got, want)
	}

	// Errors: g1 misleading_claims → approve by three reviewers, g2
	// approve → misleading_claims by one: 4 of 8 judgments on gold.
	r, err := p.RCA(ctx, in.Analysis, core.Query{}, core.RCAOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Errors != 4 || len(r.Pairs) != 2 || r.Pairs[0].Count != 3 {
		t.Fatalf("RCA errors %d, pairs %+v", r.Errors, r.Pairs)
	}
	for i, pr := range r.Pairs {
		row := 4 + i // title, note, header
		if v, _ := f.GetCellValue("Pareto", "B"+strconv.Itoa(row)); v != pr.Gold+" → "+pr.Given {
			t.Errorf("Pareto B%d = %q, want the pair %s → %s", row, v, pr.Gold, pr.Given)
		}
		for col, want := range map[string]float64{"E": float64(pr.Count), "F": pr.Share, "G": pr.Cumulative} {
			ref := col + strconv.Itoa(row)
			if typ, _ := f.GetCellType("Pareto", ref); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
				t.Errorf("Pareto %s has type %v, want a number", ref, typ)
			}
			raw, _ := f.GetCellValue("Pareto", ref, excelize.Options{RawCellValue: true})
			if !near(raw, want) {
				t.Errorf("Pareto %s = %q, want %v", ref, raw, want)
			}
		}
	}
	if shown, _ := f.GetCellValue("Pareto", "F4"); shown != "75.0%" {
		t.Errorf("Pareto F4 shows %q, want 75.0%%", shown)
	}
	// The summary's findings name the top pair and its cause: of g1's three
	// errors, ann2's (tag) and ann3's (file) are sop_ambiguity.
	findCell(t, f, "Summary", "• misleading_claims → approve is 75.0% of all errors; 66.7% of them are attributed to SOP ambiguity.")
	// The Summary's Pareto chart: columns plus a line.
	if n := countParts(t, out, "xl/charts/chart"); n != 1 {
		t.Errorf("%d chart parts, want 1", n)
	}
	chartXML := readPart(t, out, "xl/charts/chart1.xml")
	if !strings.Contains(chartXML, "barChart") || !strings.Contains(chartXML, "lineChart") {
		t.Errorf("the Pareto chart has no columns and line: %.300s", chartXML)
	}
	cf, _ := f.GetConditionalFormats("Pareto")
	if len(cf) == 0 {
		t.Error("no heat map on the Pareto sheet")
	}

	// Every input text, wherever it lands, is the same string cell.
	sheets := map[string][]string{
		"Examples":             {"item", "annotator", "content", "comment", "rationale", "section", "category", "note", "note2"},
		"By SOP":               {"section", "sop"},
		"By vendor and market": {"vendor", "market"},
		"Root causes":          {"cause", "category"},
		"Disputed gold":        {"item", "rationale", "section"},
	}
	for sheet, keys := range sheets {
		for _, k := range keys {
			ref := findCell(t, f, sheet, rcaHostile[k])
			if typ, _ := f.GetCellType(sheet, ref); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
				t.Errorf("%s %s (%s) has type %v, want a string", sheet, ref, k, typ)
			}
			if fo, _ := f.GetCellFormula(sheet, ref); fo != "" {
				t.Errorf("%s %s (%s) became the formula %q", sheet, ref, k, fo)
			}
		}
	}
	// The suggested action of SOP ambiguity names its section and pair.
	findCell(t, f, "Root causes", "Clarify SOP section +SUM(A1:A2) with examples of misleading_claims → approve.")
	// g1: three approve against gold, a clear majority.
	findCell(t, f, "Disputed gold", "approve 3, misleading_claims 1")
}

// TestRCAWorkbookLanguages: the Indonesian and Norwegian workbooks carry
// their sheet names and formats; a project without gold gets a workbook
// that says so.
func TestRCAWorkbookLanguages(t *testing.T) {
	ctx := context.Background()
	p, dir := rcaProject(t)
	for _, tc := range []struct {
		lang  Lang
		sheet string
		pct   string
	}{{ID, "Akar masalah", "75,0%"}, {NB, "Rotårsaker", "75,0\u00a0%"}} {
		out := filepath.Join(dir, string(tc.lang)+".xlsx")
		if err := Write(ctx, "rca", rcaInput(t, p, tc.lang), out); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if idx, _ := f.GetSheetIndex(tc.sheet); idx < 0 {
			t.Errorf("%s: no sheet %q in %v", tc.lang, tc.sheet, f.GetSheetList())
		}
		rows, _ := f.GetRows(f.GetSheetName(0))
		found := false
		for _, row := range rows {
			for _, v := range row {
				if strings.Contains(v, tc.pct) {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("%s: no finding with %q on the summary", tc.lang, tc.pct)
		}
		f.Close()
	}

	// No golden set.
	empty, err := core.Create(ctx, filepath.Join(dir, "nogold.lqa"), []string{"approve", "scam"}, []string{"approve"})
	if err != nil {
		t.Fatal(err)
	}
	defer empty.Close()
	batch := filepath.Join(dir, "b.csv")
	os.WriteFile(batch, []byte("item_id,annotator_id,label\nad1,a1,approve\nad1,a2,scam\n"), 0o644)
	if _, err := empty.Import(ctx, batch, core.ImportOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "nogold.xlsx")
	if err := Write(ctx, "rca", rcaInput(t, empty, EN), out); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	findCell(t, f, "Summary", "• The project has no golden set, so no error against gold can be counted: import one with labelqa gold.")
}

func readPart(t *testing.T, path, name string) string {
	t.Helper()
	z, err := zipOpen(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	for _, f := range z.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			var b strings.Builder
			buf := make([]byte, 32<<10)
			for {
				n, err := rc.Read(buf)
				b.Write(buf[:n])
				if err != nil {
					break
				}
			}
			return b.String()
		}
	}
	t.Fatalf("%s has no part %s", path, name)
	return ""
}

func zipOpen(path string) (*zip.ReadCloser, error) { return zip.OpenReader(path) }
