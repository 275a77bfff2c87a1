package report

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"labelqa/app/core"
	"labelqa/app/dataset"
	"labelqa/app/metrics"
)

// kpiVendors are vendor names a spreadsheet could take for formulas.
var kpiVendors = []string{"=Fjord Review AS", "+Nusantara BPO", "-Dash", "@At"}

// kpiHostileProject is a project whose vendors, markets and queue come
// from hostile input text, with gold, two weeks, 2RQA and targets.
func kpiHostileProject(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "hostile.lqa")
	p, err := core.Create(ctx, path, []string{"approve", "scam"}, []string{"approve"})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var b strings.Builder
	b.WriteString("item_id,annotator_id,label,vendor,market,queue,round,submitted_at,duration_s\n")
	gold := "item_id,label\n"
	markets := []string{"=NO", "\tID", "+SE", "@DK"}
	for week, day := range []int{10, 17} {
		for i := 0; i < 8; i++ {
			item := fmt.Sprintf("w%d-i%d", week, i)
			g := "approve"
			if i%2 == 1 {
				g = "scam"
			}
			gold += item + "," + g + "\n"
			for v, vendor := range kpiVendors {
				for r := 0; r < 2; r++ {
					label := g
					if (i+v+r+week)%4 == 0 {
						label = map[string]string{"approve": "scam", "scam": "approve"}[g]
					}
					fmt.Fprintf(&b, "%s,r%d%d,%s,\"%s\",\"%s\",=live,1,2025-03-%02dT%02d:%02d:00Z,%d\n",
						item, v, r, label, vendor, markets[v], day, 8+v, i*2+r, 10+i+r)
				}
			}
			fmt.Fprintf(&b, "%s,qa1,%s,Quality Team,NO,2rqa,2,2025-03-%02dT15:%02d:00Z,20\n", item, g, day, i)
		}
	}
	batch := filepath.Join(dir, "batch.csv")
	goldPath := filepath.Join(dir, "gold.csv")
	os.WriteFile(batch, []byte(b.String()), 0o644)
	os.WriteFile(goldPath, []byte(gold), 0o644)
	if _, err := p.Import(ctx, batch, core.ImportOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := p.ImportGold(ctx, goldPath, core.GoldOptions{Version: "v1"}, nil); err != nil {
		t.Fatal(err)
	}
	for _, tg := range []core.Target{
		{Metric: "gold_accuracy", Target: 0.9, Amber: 0.8},
		{Metric: "fleiss_kappa", Vendor: kpiVendors[0], Target: 0.6, Amber: math.NaN()},
		{Metric: "aht_median_s", Queue: "=live", Market: "=NO", Target: 30, Amber: 40},
	} {
		if err := p.SetTarget(ctx, tg); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func kpiInput(t *testing.T, path string, lang Lang) *Input {
	t.Helper()
	ctx := context.Background()
	p, err := core.OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	a, err := p.Analyze(ctx, core.Query{}, metrics.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := p.Targets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	in := input(t, lang)
	in.Project, in.Analysis, in.Targets = p, a, ts
	return in
}

func writeKPI(t *testing.T, in *Input) (*excelize.File, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "kpi.xlsx")
	if err := Write(context.Background(), "kpi", in, out); err != nil {
		t.Fatal(err)
	}
	if keep := os.Getenv("LABELQA_KEEP_KPI"); keep != "" {
		b, _ := os.ReadFile(out)
		os.WriteFile(keep+"-"+string(in.Lang)+".xlsx", b, 0o644)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f, out
}

// rawNumber reads a cell that must hold a number.
func rawNumber(t *testing.T, f *excelize.File, sheet, cell string) float64 {
	t.Helper()
	if typ, _ := f.GetCellType(sheet, cell); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("%s!%s has type %v, want a number", sheet, cell, typ)
	}
	raw, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		t.Errorf("%s!%s = %q, want a number", sheet, cell, raw)
		return math.NaN()
	}
	return v
}

func isStringCell(t *testing.T, f *excelize.File, sheet, cell, want string) {
	t.Helper()
	got, _ := f.GetCellValue(sheet, cell)
	if got != want {
		t.Errorf("%s!%s = %q, want %q", sheet, cell, got, want)
	}
	if fo, _ := f.GetCellFormula(sheet, cell); fo != "" {
		t.Errorf("%s!%s became the formula %q", sheet, cell, fo)
	}
	if typ, _ := f.GetCellType(sheet, cell); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
		t.Errorf("%s!%s has type %v, want a string", sheet, cell, typ)
	}
}

// columnOf finds a heading in a sheet's header row (the row holding
// first) and returns its column index.
func columnOf(t *testing.T, f *excelize.File, sheet, first, head string) (col, headerRow int) {
	t.Helper()
	rows, _ := f.GetRows(sheet)
	for r, row := range rows {
		if len(row) == 0 || row[0] != first {
			continue
		}
		for c, v := range row {
			if v == head {
				return c, r + 1
			}
		}
	}
	t.Fatalf("%s: no heading %q in a row starting %q", sheet, head, first)
	return 0, 0
}

func TestKPIWorkbook(t *testing.T) {
	in := kpiInput(t, kpiHostileProject(t), EN)
	f, out := writeKPI(t, in)
	k := in.Analysis.KPI(nil)

	want := []string{"Summary", "KPI by week", "KPI by vendor", "Trends", "Targets", "Definitions", "Sources"}
	if got := f.GetSheetList(); strings.Join(got[:min(len(got), len(want))], "|") != strings.Join(want, "|") {
		t.Fatalf("sheets %v, want %v first", got, want)
	}

	// Every row of the weekly KPI, its keys as strings, its figures as
	// numbers equal to the analysis's.
	const weeks = "KPI by week"
	goldCol, hdr := columnOf(t, f, weeks, "Vendor", "Gold accuracy")
	jCol, _ := columnOf(t, f, weeks, "Vendor", "Judgments")
	kCol, _ := columnOf(t, f, weeks, "Vendor", "Fleiss' kappa")
	statusCol, _ := columnOf(t, f, weeks, "Vendor", "Gold status")
	if len(k.Weeks) != 2*len(kpiVendors)+2 { // 4 vendors and Quality Team, two weeks
		t.Fatalf("%d week rows", len(k.Weeks))
	}
	for i, r := range k.Weeks {
		row := hdr + 1 + i
		isStringCell(t, f, weeks, cellName(0, row), r.Vendor)
		isStringCell(t, f, weeks, cellName(1, row), r.Queue)
		isStringCell(t, f, weeks, cellName(2, row), r.Market)
		isStringCell(t, f, weeks, cellName(3, row), r.Week)
		if v := rawNumber(t, f, weeks, cellName(jCol, row)); v != float64(r.Judgments) {
			t.Errorf("row %d judgments %v, want %d", row, v, r.Judgments)
		}
		if v := rawNumber(t, f, weeks, cellName(goldCol, row)); math.Abs(v-float64(r.GoldAccuracy.Value)) > 1e-12 {
			t.Errorf("row %d gold accuracy %v, want %v", row, v, r.GoldAccuracy.Value)
		}
		if r.FleissKappa.Value.OK() {
			if v := rawNumber(t, f, weeks, cellName(kCol, row)); math.Abs(v-float64(r.FleissKappa.Value)) > 1e-12 {
				t.Errorf("row %d Fleiss %v, want %v", row, v, r.FleissKappa.Value)
			}
		}
		st, _ := in.Targets.Rate("gold_accuracy", r.Vendor, r.Queue, r.Market, float64(r.GoldAccuracy.Value))
		if got, _ := f.GetCellValue(weeks, cellName(statusCol, row)); got != w(in).T("status."+st.String()) {
			t.Errorf("row %d status %q, want %s", row, got, st)
		}
	}
	for _, v := range kpiVendors {
		findCell(t, f, weeks, v)
	}
	// (A leading tab or CR cannot reach a KPI cell: import trims fields.)
	if cf, _ := f.GetConditionalFormats(weeks); len(cf) == 0 {
		t.Error("no RAG conditional formats on the weekly KPI")
	}
	// A vendor-specific target rates only that vendor: Fleiss' kappa has a
	// status column.
	columnOf(t, f, weeks, "Vendor", "Fleiss status")

	// The vendor roll-up equals the analysis's vendor scorecards.
	const vendors = "KPI by vendor"
	sc, err := in.Analysis.Scorecards(metrics.ByVendor)
	if err != nil {
		t.Fatal(err)
	}
	vGold, vHdr := columnOf(t, f, vendors, "Vendor", "Gold accuracy")
	vUPH, _ := columnOf(t, f, vendors, "Vendor", "Units per hour")
	for i, c := range sc.Cards {
		row := vHdr + 1 + i
		isStringCell(t, f, vendors, cellName(0, row), c.Key)
		if v := rawNumber(t, f, vendors, cellName(vGold, row)); math.Abs(v-float64(c.GoldAccuracy.Value)) > 1e-12 {
			t.Errorf("%s gold accuracy %v, scorecard %v", c.Key, v, c.GoldAccuracy.Value)
		}
		if v := rawNumber(t, f, vendors, cellName(vUPH, row)); math.Abs(v-float64(c.UnitsPerHour)) > 1e-9 {
			t.Errorf("%s units per hour %v, scorecard %v", c.Key, v, c.UnitsPerHour)
		}
	}

	// The Summary's gold accuracy is the report's.
	rep := in.Analysis.Report()
	cell := findCell(t, f, "Summary", "Gold accuracy")
	if v := rawNumber(t, f, "Summary", cellRight(t, cell, 1)); math.Abs(v-float64(rep.Gold.Accuracy.Value)) > 1e-12 {
		t.Errorf("Summary gold accuracy %v, report %v", v, rep.Gold.Accuracy.Value)
	}

	// Trends: one column per vendor, headed by its name as a string.
	for _, v := range kpiVendors {
		c := findCell(t, f, "Trends", v)
		isStringCell(t, f, "Trends", c, v)
	}
	// Targets: the vendor scope as a string.
	isStringCell(t, f, "Targets", findCell(t, f, "Targets", kpiVendors[0]), kpiVendors[0])
	isStringCell(t, f, "Targets", findCell(t, f, "Targets", "=live"), "=live")

	// Charts: the Summary's and the three trends.
	if n := countParts(t, out, "xl/charts/chart"); n != 4 {
		t.Errorf("%d charts, want 4", n)
	}
	// No audits: the audit columns are left out, and the Summary says why.
	if rows, _ := f.GetRows(weeks); strings.Contains(strings.Join(rows[hdr-1], "|"), "Audit") {
		t.Error("audit columns without audits")
	}
	findCell(t, f, "Summary", w(in).T("kpi.note.noaudits"))
}

// w is a workbook of in's language, for its texts.
func w(in *Input) *Workbook { return newWorkbook("kpi", in) }

func TestKPIWorkbookAuditsAndFindings(t *testing.T) {
	in := kpiInput(t, kpiHostileProject(t), EN)
	d := in.Analysis.Data
	for j := 0; j < d.Len(); j += 3 {
		in.Audits = append(in.Audits, metrics.AuditOutcome{Judgment: j, Correct: j%2 == 0, InclusionProbability: 0.5})
	}
	f, _ := writeKPI(t, in)
	k := in.Analysis.KPI(in.Audits)
	col, hdr := columnOf(t, f, "KPI by vendor", "Vendor", "Audit accuracy")
	nCol, _ := columnOf(t, f, "KPI by vendor", "Vendor", "Audit n")
	for i, r := range k.Vendors {
		if r.AuditAccuracy.N == 0 {
			if got, _ := f.GetCellValue("KPI by vendor", cellName(col, hdr+1+i)); got != "" {
				t.Errorf("%s has no audits but audit accuracy %q", r.Vendor, got)
			}
			continue
		}
		if v := rawNumber(t, f, "KPI by vendor", cellName(col, hdr+1+i)); math.Abs(v-float64(r.AuditAccuracy.Value)) > 1e-12 {
			t.Errorf("%s audit accuracy %v, want %v", r.Vendor, v, r.AuditAccuracy.Value)
		}
		if v := rawNumber(t, f, "KPI by vendor", cellName(nCol, hdr+1+i)); v != r.AuditAccuracy.N {
			t.Errorf("%s audits %v, want %v", r.Vendor, v, r.AuditAccuracy.N)
		}
	}
	findCell(t, f, "Summary", w(in).T("kpi.note.weighted"))
	rows, _ := f.GetRows("Summary")
	covered := false
	for _, r := range rows {
		covered = covered || len(r) > 0 && strings.HasPrefix(r[0], "Audit accuracy rests on ")
	}
	if !covered {
		t.Error("the Summary does not say which audited judgments audit accuracy rests on")
	}
}

func TestKPIFindingSentences(t *testing.T) {
	for _, lang := range Langs {
		b := &kpiBuild{w: w(&Input{Lang: lang})}
		f := metrics.KPIFinding{Metric: "gold_accuracy", Vendor: "Fjord Review AS", PrevWeek: "2025-W10", Week: "2025-W11",
			Before: metrics.Interval{Value: 0.931}, After: metrics.Interval{Value: 0.864}, PValue: 0.0004,
			Gold: "misleading_claims", Given: "approve", PairBefore: 4, PairAfter: 9}
		s := b.findingText(f)
		for _, want := range []string{"Fjord Review AS", b.w.Pct(0.931), b.w.Pct(0.864), "2025-W11", "2025-W10", "misleading_claims → approve", "4 → 9", "< "} {
			if !strings.Contains(s, want) {
				t.Errorf("%s: %q lacks %q", lang, s, want)
			}
		}
		if strings.Contains(s, "%!") {
			t.Errorf("%s: bad verbs in %q", lang, s)
		}
		f.Metric, f.Gold, f.After.Value, f.PValue = "overturn_rate", "", 0.99, 0.004
		if s := b.findingText(f); strings.Contains(s, "%!") || !strings.Contains(s, b.w.Num(0.004, 3)) {
			t.Errorf("%s: %q", lang, s)
		}
		// Every kpi text with verbs renders without a formatting error.
		for _, k := range TextKeys() {
			if tx, _ := Text(k, lang); strings.HasPrefix(k, "kpi.col.") && strings.Contains(tx, "%s") {
				if s := b.w.T(k, "X"); strings.Contains(s, "%!") {
					t.Errorf("%s %s: %q", lang, k, s)
				}
			}
		}
	}
}

func TestKPIWorkbookLanguages(t *testing.T) {
	for lang, sheet := range map[Lang]string{ID: "KPI per minggu", NB: "KPI per uke"} {
		in := input(t, lang) // the demo project
		f, _ := writeKPI(t, in)
		if got := f.GetSheetName(1); got != sheet {
			t.Errorf("%s: second sheet %q, want %q", lang, got, sheet)
		}
		k := in.Analysis.KPI(nil)
		rows, _ := f.GetRows(sheet)
		found := false
		for _, r := range rows {
			if len(r) > 3 && r[3] == k.Weeks[0].Week && r[0] == k.Weeks[0].Vendor {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no row of %s %s", lang, k.Weeks[0].Vendor, k.Weeks[0].Week)
		}
	}
}

// TestKPIWorkbookControlText writes a workbook from a hand-built Dataset
// (no import to trim its text) whose vendor, market, queue and labels
// start with a tab, a CR and formula characters: each must come back as
// the same string cell.
func TestKPIWorkbookControlText(t *testing.T) {
	vendors := []string{"\t=tab vendor", "\r=cr vendor"}
	markets := []string{"\t@market", "\r-market"}
	d := &dataset.Dataset{
		Items:  []string{"i1", "i2", "i3"},
		Labels: []string{"approve", "=bad"}, Allow: []bool{true, false}, OrderDeclared: []bool{true, true},
		Queues: []string{"\t+queue"}, SOPs: []string{""},
		Gold: []int32{0, 1, -1}, GoldItems: 2, Extra: map[int][]int32{},
	}
	for v := range vendors {
		for r := 0; r < 2; r++ {
			d.Annotators = append(d.Annotators, dataset.Annotator{ID: fmt.Sprintf("r%d%d", v, r), Vendor: vendors[v], Market: markets[v]})
		}
	}
	at := time.Date(2025, 3, 10, 8, 0, 0, 0, time.UTC).UnixMilli()
	for it := 0; it < 3; it++ {
		for a := range d.Annotators {
			d.Item = append(d.Item, int32(it))
			d.Annotator = append(d.Annotator, int32(a))
			d.Label = append(d.Label, int32((it+a)%2))
			d.Queue = append(d.Queue, 0)
			d.Round = append(d.Round, 1)
			d.At = append(d.At, at+int64(it*60000+a*1000))
			d.Duration = append(d.Duration, float64(10+a))
			d.SOP = append(d.SOP, 0)
		}
	}
	a, err := core.AnalyzeData(context.Background(), d, metrics.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	in := &Input{Analysis: a, Targets: core.TargetSet{{Metric: "gold_accuracy", Vendor: vendors[0], Target: 0.9, Amber: math.NaN()}},
		Lang: EN, Version: "9.9.9", Now: time.Date(2025, 4, 1, 12, 0, 0, 0, time.UTC)}
	f, _ := writeKPI(t, in)
	for _, sheet := range []string{"KPI by week", "KPI by vendor"} {
		for _, s := range append(append([]string{}, vendors...), markets...) {
			isStringCell(t, f, sheet, findCell(t, f, sheet, s), s)
		}
	}
	isStringCell(t, f, "Targets", findCell(t, f, "Targets", vendors[0]), vendors[0])
	// Table headings are trimmed by the framework (the trends' vendor
	// columns), and stay strings.
	for _, v := range vendors {
		isStringCell(t, f, "Trends", findCell(t, f, "Trends", v[1:]), v[1:])
	}
	isStringCell(t, f, "KPI by week", findCell(t, f, "KPI by week", "\t+queue"), "\t+queue")
}

// An empty project (and one without submission times) still gets a
// workbook: the tables say they have no rows, the charts that there is
// nothing to draw.
func TestKPIWorkbookEmpty(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "empty.lqa")
	p, err := core.Create(ctx, path, []string{"approve", "scam"}, []string{"approve"})
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	in := kpiInput(t, path, NB)
	f, _ := writeKPI(t, in)
	findCell(t, f, "KPI per uke", w(in).T("table.empty"))
	if got := f.GetSheetList(); len(got) < 7 {
		t.Errorf("sheets %v", got)
	}
}
