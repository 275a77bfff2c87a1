package report

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"gonum.org/v1/gonum/stat/distuv"

	"labelqa/app/core"
	"labelqa/app/demo"
	"labelqa/app/metrics"
)

// auditProject makes a writable demo project of its own (an import writes).
func auditProject(t *testing.T) (*core.Project, *core.Analysis) {
	t.Helper()
	ctx := context.Background()
	path, _, err := core.CreateDemo(ctx, t.TempDir(), demo.Options{Items: 150, Seed: 11}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := core.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	a, err := p.Analyze(ctx, core.Query{}, metrics.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p, a
}

// auditTable finds the Audit sheet's header row (1-based) and its data rows.
func auditTable(t *testing.T, f *excelize.File) (int, [][]string) {
	t.Helper()
	rows, err := f.GetRows(core.AuditSheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == core.AuditRefHeader {
			return i + 1, rows[i+1:]
		}
	}
	t.Fatal("no header row on the Audit sheet")
	return 0, nil
}

func cell(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col+1, row)
	return c
}

// TestAuditRoundTrip writes the audit workbook of one vendor from a demo
// project, fills it as an auditor would (with excelize), refuses a sheet
// with an unknown label and an edited annotator id (naming the cells, and
// storing nothing), imports the good one and checks the stored outcomes
// and the accuracy against the stratified estimator computed here.
func TestAuditRoundTrip(t *testing.T) {
	ctx := context.Background()
	p, a := auditProject(t)
	vendors := core.Vendors(a.Data)
	if len(vendors) < 2 {
		t.Fatalf("demo has vendors %v", vendors)
	}
	vendor := vendors[0]
	dir := t.TempDir()
	out := filepath.Join(dir, "audit.xlsx")

	// No vendor: the error says what the vendor is for and lists them.
	err := Write(ctx, "audit", &Input{Project: p, Analysis: a, Lang: EN}, out)
	if !errors.Is(err, core.ErrNoAuditVendor) || !strings.Contains(err.Error(), vendors[1]) || !strings.Contains(err.Error(), "one vendor") {
		t.Fatalf("no vendor: %v", err)
	}

	in := &Input{Project: p, Analysis: a, Vendor: vendor, Sample: SampleOptions{Size: 60, Seed: 5}, Lang: NB, Version: "test", Now: time.Now()}
	if err := Write(ctx, "audit", in, out); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	sheets := f.GetSheetList()
	if sheets[0] != "Sammendrag" || sheets[1] != core.AuditSheet {
		t.Fatalf("sheets %v", sheets)
	}
	header, rows := auditTable(t, f)
	if len(rows) != 60 {
		t.Fatalf("%d rows on the Audit sheet, want 60", len(rows))
	}
	// Read-only columns: ref a number, item and reviewer strings.
	first := header + 1
	for col, want := range map[int]excelize.CellType{core.AuditColRef: excelize.CellTypeNumber, core.AuditColItem: excelize.CellTypeSharedString,
		core.AuditColAnnotator: excelize.CellTypeSharedString, core.AuditColProbability: excelize.CellTypeNumber} {
		typ, err := f.GetCellType(core.AuditSheet, cell(col, first))
		numeric := want == excelize.CellTypeNumber && typ == excelize.CellTypeUnset // a number cell has no t attribute
		text := want == excelize.CellTypeSharedString && typ == excelize.CellTypeInlineString
		if err != nil || (typ != want && !numeric && !text) {
			t.Errorf("column %d: cell type %v, want %v", col, typ, want)
		}
	}
	// Drop-downs on the auditor label, the answer and the root cause.
	dvs, err := f.GetDataValidations(core.AuditSheet)
	if err != nil {
		t.Fatal(err)
	}
	lists := map[string]bool{}
	for _, dv := range dvs {
		lists[strings.Split(dv.Sqref, ":")[0]] = true
	}
	for _, col := range []int{core.AuditColAuditorLabel, core.AuditColCorrect, core.AuditColRootCause} {
		if !lists[cell(col, first)] {
			t.Errorf("no drop-down starting at %s (have %v)", cell(col, first), lists)
		}
	}
	// Every row is the vendor's, and the same seed draws the same refs.
	again := filepath.Join(dir, "again.xlsx")
	if err := Write(ctx, "audit", in, again); err != nil {
		t.Fatal(err)
	}
	g, _ := excelize.OpenFile(again)
	_, rows2 := auditTable(t, g)
	g.Close()
	for i := range rows {
		if rows[i][core.AuditColRef] != rows2[i][core.AuditColRef] {
			t.Fatalf("row %d: ref %s, then %s with the same seed", i, rows[i][0], rows2[i][0])
		}
	}

	// Fill it: a third agree by the auditor label alone, a third answer no
	// with another label and a root cause, a third answer yes ("ja").
	labels := a.Data.Labels
	other := func(l string) string {
		if l == labels[0] {
			return labels[1]
		}
		return labels[0]
	}
	wrongRefs := map[int64]bool{}
	for i, r := range rows {
		row := first + i
		given := r[core.AuditColGivenLabel]
		switch i % 3 {
		case 0:
			f.SetCellStr(core.AuditSheet, cell(core.AuditColAuditorLabel, row), given)
		case 1:
			f.SetCellStr(core.AuditSheet, cell(core.AuditColAuditorLabel, row), other(given))
			f.SetCellStr(core.AuditSheet, cell(core.AuditColCorrect, row), "nei")
			f.SetCellStr(core.AuditSheet, cell(core.AuditColRootCause, row), "training_gap")
			f.SetCellStr(core.AuditSheet, cell(core.AuditColComment, row), "=SUM(A1) missed the claim")
			ref, _ := strconv.ParseInt(r[0], 10, 64)
			wrongRefs[ref] = true
		case 2:
			f.SetCellStr(core.AuditSheet, cell(core.AuditColCorrect, row), "ja")
		}
	}
	good := filepath.Join(dir, "filled.xlsx")
	if err := f.SaveAs(good); err != nil {
		t.Fatal(err)
	}
	// The bad copy: an unknown label on the 5th row, an edited reviewer id on the 8th.
	badRow, editRow := first+4, first+7
	f.SetCellStr(core.AuditSheet, cell(core.AuditColAuditorLabel, badRow), "not_a_label")
	f.SetCellStr(core.AuditSheet, cell(core.AuditColAnnotator, editRow), "someone_else")
	bad := filepath.Join(dir, "bad.xlsx")
	if err := f.SaveAs(bad); err != nil {
		t.Fatal(err)
	}
	f.Close()

	_, err = p.ImportAudit(ctx, bad, core.AuditImportOptions{Auditor: "qa1"})
	var cells *core.AuditCellErrors
	if !errors.As(err, &cells) {
		t.Fatalf("bad sheet: %v", err)
	}
	msg := err.Error()
	for _, want := range []string{
		fmt.Sprintf("bad.xlsx:Audit!%s: unknown label \"not_a_label\"", cell(core.AuditColAuditorLabel, badRow)),
		fmt.Sprintf("bad.xlsx:Audit!%s: the annotator id was edited", cell(core.AuditColAnnotator, editRow)),
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if got, _ := p.Audits(ctx); len(got) != 0 {
		t.Fatalf("a refused import stored %d audits", len(got))
	}

	res, err := p.ImportAudit(ctx, good, core.AuditImportOptions{Auditor: "qa1"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Audited != 60 || res.Incorrect != 20 || res.Correct != 40 {
		t.Fatalf("import: %+v", res)
	}
	if _, err := p.ImportAudit(ctx, good, core.AuditImportOptions{}); !errors.Is(err, core.ErrBatchExists) {
		t.Errorf("second import of the same file: %v", err)
	}
	stored, err := p.Audits(ctx)
	if err != nil || len(stored) != 60 {
		t.Fatalf("stored %d audits (%v)", len(stored), err)
	}
	for _, x := range stored {
		if x.Auditor != "qa1" || (x.Verdict == core.VerdictIncorrect) != wrongRefs[x.Annotation] {
			t.Fatalf("audit of %d: %+v", x.Annotation, x)
		}
		if x.Verdict == core.VerdictIncorrect && (x.RootCause != "training_gap" || x.Comment != "=SUM(A1) missed the claim" || x.AuditorLabel == x.Judgment.Label) {
			t.Fatalf("incorrect audit of %d: %+v", x.Annotation, x)
		}
	}

	// Outcomes land on the judgments the sheet showed.
	a2, err := p.Analyze(ctx, core.Query{}, metrics.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	outs, err := p.AuditOutcomes(ctx, a2)
	if err != nil || len(outs) != 60 {
		t.Fatalf("%d outcomes (%v)", len(outs), err)
	}
	d := a2.Data
	byItemAnn := map[string]bool{}
	for _, r := range rows {
		byItemAnn[r[core.AuditColItem]+"\x00"+r[core.AuditColAnnotator]] = true
	}
	wrong := 0
	for _, o := range outs {
		if !byItemAnn[d.Items[d.Item[o.Judgment]]+"\x00"+d.Annotators[d.Annotator[o.Judgment]].ID] {
			t.Fatalf("outcome on judgment %d, which the sheet did not show", o.Judgment)
		}
		if !o.Correct {
			wrong++
		}
	}
	if wrong != 20 {
		t.Errorf("%d incorrect outcomes, want 20", wrong)
	}

	// Accuracy: the stratified estimator, by hand from the sheet's rows and
	// the vendor's judgments per (queue, market, given label):
	// p = Σ (N_h/N) p_h, v = Σ (N_h/N)² (1 − n_h/N_h) s_h²/n_h, where N
	// counts the strata the sample reached (a stratum too small for a unit
	// of a proportional allocation is represented by the others, as the
	// ratio form of Horvitz-Thompson does).
	Nh := map[auditKey]float64{}
	N := 0.0
	for j := range d.Len() {
		an := d.Annotators[d.Annotator[j]]
		if an.Vendor == vendor {
			Nh[auditKey{d.Queues[d.Queue[j]], an.Market, d.Labels[d.Label[j]]}]++
			N++
		}
	}
	nh, xh := map[auditKey]float64{}, map[auditKey]float64{}
	for i, r := range rows {
		k := auditKey{r[core.AuditColQueue], r[core.AuditColMarket], r[core.AuditColGivenLabel]}
		nh[k]++
		if i%3 != 1 {
			xh[k]++
		}
	}
	N = 0
	for k := range nh {
		N += Nh[k]
	}
	var pst, v float64
	for k, n := range nh {
		W, ph := Nh[k]/N, xh[k]/n
		pst += W * ph
		if n > 1 {
			v += W * W * (1 - n/Nh[k]) * (n / (n - 1) * ph * (1 - ph)) / n
		} else {
			// A stratum of one: its deviation from the overall mean (the
			// estimator's lonely-stratum rule).
			v += (1 - n/Nh[k]) * math.Pow(W*(ph-pst0(nh, xh, Nh, N)), 2)
		}
	}
	acc, err := p.AuditAccuracy(ctx, a2)
	if err != nil || acc == nil {
		t.Fatalf("accuracy: %v %v", acc, err)
	}
	if acc.Audits != 60 || acc.Correct != 40 {
		t.Errorf("accuracy counts %+v", acc)
	}
	if math.Abs(float64(acc.Accuracy.Value)-pst) > 1e-9 || math.Abs(float64(acc.Accuracy.SE)-math.Sqrt(v)) > 1e-9 {
		t.Errorf("accuracy %v (se %v), want %v (se %v) [%s]", acc.Accuracy.Value, acc.Accuracy.SE, pst, math.Sqrt(v), acc.Method)
	}
	// Korn-Graubard: the exact interval at the effective size p(1−p)/v.
	neff := pst * (1 - pst) / v
	low := distuv.Beta{Alpha: neff * pst, Beta: neff*(1-pst) + 1}.Quantile(0.025)
	high := distuv.Beta{Alpha: neff*pst + 1, Beta: neff * (1 - pst)}.Quantile(0.975)
	if math.Abs(float64(acc.Accuracy.CILow)-low) > 1e-9 || math.Abs(float64(acc.Accuracy.CIHigh)-high) > 1e-9 || !(low < pst && pst < high) {
		t.Errorf("interval [%v, %v], want [%v, %v] around %v", acc.Accuracy.CILow, acc.Accuracy.CIHigh, low, high, pst)
	}
}

// pst0 is the stratified estimate (for the lonely-stratum term).
type auditKey struct{ q, m, l string }

func pst0(nh, xh, Nh map[auditKey]float64, N float64) float64 {
	var p float64
	for k, n := range nh {
		p += Nh[k] / N * xh[k] / n
	}
	return p
}

// TestAuditHostileText: item ids, content, reviewer ids, vendor names and
// comments that a spreadsheet could read as formulas come out of the audit
// workbook as the same string cells, and an auditor's comment and error
// category of that kind are stored as written.
func TestAuditHostileText(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	vendor := "=Vendor+1"
	texts := []string{"=1+1", "+SUM(A1:A2)", "-2+3", "@cmd", "\t=tab", "\r=cr", "=HYPERLINK(\"http://x\")"}
	var b strings.Builder
	b.WriteString("item_id,annotator_id,label,vendor,market,queue,content,comment,submitted_at\n")
	csvQ := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
	for i, s := range texts {
		for r := range 2 {
			fmt.Fprintf(&b, "%s,%s,%s,%s,%s,live,%s,%s,2025-03-1%dT10:00:00Z\n", csvQ(fmt.Sprintf("%s item%d", s, i)), csvQ(fmt.Sprintf("%s rev%d", s, r)),
				csvQ([]string{"approve", "=SUM(A1)"}[(i+r)%2]), csvQ(vendor), csvQ(s+"mk"), csvQ(s+" content"), csvQ(s+" comment"), r)
		}
	}
	csvPath := filepath.Join(dir, "batch.csv")
	if err := os.WriteFile(csvPath, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := core.Create(ctx, filepath.Join(dir, "p.lqa"), []string{"approve", "=SUM(A1)"}, []string{"approve"})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := p.Import(ctx, csvPath, core.ImportOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	a, err := p.Analyze(ctx, core.Query{}, metrics.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "audit.xlsx")
	if err := Write(ctx, "audit", &Input{Project: p, Analysis: a, Vendor: vendor, Sample: SampleOptions{Size: 100}, Lang: ID}, out); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	header, rows := auditTable(t, f)
	if len(rows) != 2*len(texts) {
		t.Fatalf("%d rows, want every judgment (%d)", len(rows), 2*len(texts))
	}
	norm := func(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "\r", "\n")) }
	for i := range rows {
		row := header + 1 + i
		for _, col := range []int{core.AuditColItem, core.AuditColAnnotator, core.AuditColMarket, core.AuditColContent} {
			ref := cell(col, row)
			if fm, _ := f.GetCellFormula(core.AuditSheet, ref); fm != "" {
				t.Errorf("%s holds formula %q", ref, fm)
			}
			typ, _ := f.GetCellType(core.AuditSheet, ref)
			if typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
				t.Errorf("%s: cell type %v, want a string", ref, typ)
			}
		}
		v := rows[i][core.AuditColContent]
		found := false
		for _, s := range texts {
			if norm(v) == norm(s+" content") {
				found = true
			}
		}
		if !found {
			t.Errorf("content %q is none of the input texts", v)
		}
		f.SetCellStr(core.AuditSheet, cell(core.AuditColCorrect, row), "tidak")
		f.SetCellStr(core.AuditSheet, cell(core.AuditColErrorCategory, row), "=err"+strconv.Itoa(i))
		f.SetCellStr(core.AuditSheet, cell(core.AuditColComment, row), "@note")
	}
	// No cell of any sheet is a formula, and the vendor's name and the
	// hostile label are there as written.
	seen := map[string]bool{}
	for _, sh := range f.GetSheetList() {
		all, _ := f.GetRows(sh)
		for r, cols := range all {
			for c, v := range cols {
				if v == "" {
					continue
				}
				if fm, _ := f.GetCellFormula(sh, cell(c, r+1)); fm != "" {
					t.Errorf("%s!%s holds formula %q", sh, cell(c, r+1), fm)
				}
				for _, want := range []string{vendor, "=SUM(A1)"} {
					if v == want {
						seen[sh+" "+want] = true
					}
				}
			}
		}
	}
	for _, want := range []string{"Ringkasan " + vendor, core.AuditSheet + " =SUM(A1)"} {
		if !seen[want] {
			t.Errorf("%q not found as written (have %v)", want, seen)
		}
	}
	filled := filepath.Join(dir, "filled.xlsx")
	if err := f.SaveAs(filled); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := p.ImportAudit(ctx, filled, core.AuditImportOptions{Auditor: "+qa"}); err != nil {
		t.Fatal(err)
	}
	stored, err := p.Audits(ctx)
	if err != nil || len(stored) != len(rows) {
		t.Fatalf("%d audits stored (%v)", len(stored), err)
	}
	for _, x := range stored {
		if !strings.HasPrefix(x.ErrorCategory, "=err") || x.Comment != "@note" || x.Auditor != "+qa" || x.Verdict != core.VerdictIncorrect {
			t.Errorf("stored %+v", x.AuditRow)
		}
	}
}

// TestAuditLibreOfficeResave: an auditor who fills the sheet in
// LibreOffice saves it again as .xlsx in LibreOffice's own way (its own
// shared strings, styles and number cells); the import reads that file
// alike. It runs where soffice is installed (make deps-full).
func TestAuditLibreOfficeResave(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice (soffice) is not installed: make deps-full installs it")
	}
	if testing.Short() {
		t.Skip("-short")
	}
	ctx := context.Background()
	p, a := auditProject(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "audit.xlsx")
	if err := Write(ctx, "audit", &Input{Project: p, Analysis: a, Vendor: core.Vendors(a.Data)[1], Sample: SampleOptions{Size: 25, Seed: 2}, Lang: EN}, out); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	header, rows := auditTable(t, f)
	for i := range rows {
		f.SetCellStr(core.AuditSheet, cell(core.AuditColCorrect, header+1+i), []string{"yes", "no"}[i%2])
	}
	filled := filepath.Join(dir, "filled.xlsx")
	if err := f.SaveAs(filled); err != nil {
		t.Fatal(err)
	}
	f.Close()
	resaved := filepath.Join(dir, "lo")
	cctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	msg, err := exec.CommandContext(cctx, soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--norestore",
		"--convert-to", "xlsx", "--outdir", resaved, filled).CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, msg)
	}
	res, err := p.ImportAudit(ctx, filepath.Join(resaved, "filled.xlsx"), core.AuditImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Audited != 25 || res.Correct != 13 || res.Incorrect != 12 {
		t.Errorf("import of the LibreOffice file: %+v", res)
	}
}

// TestAuditFromAnotherProject: a sheet imported into a project that did
// not write it is refused in one line, and nothing is stored.
func TestAuditFromAnotherProject(t *testing.T) {
	ctx := context.Background()
	p, a := auditProject(t)
	out := filepath.Join(t.TempDir(), "audit.xlsx")
	in := &Input{Project: p, Analysis: a, Vendor: core.Vendors(a.Data)[0], Sample: SampleOptions{Size: 40, Seed: 2}, Lang: EN, Version: "test", Now: time.Now()}
	if err := Write(ctx, "audit", in, out); err != nil {
		t.Fatal(err)
	}
	path, _, err := core.CreateDemo(ctx, t.TempDir(), demo.Options{Items: 150, Seed: 12}, nil)
	if err != nil {
		t.Fatal(err)
	}
	other, err := core.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	_, err = other.ImportAudit(ctx, out, core.AuditImportOptions{})
	if err == nil || !strings.Contains(err.Error(), "another project") || strings.Count(err.Error(), "\n") > 0 {
		t.Fatalf("a sheet of another project: %v; want one line saying so", err)
	}
	ta, err := other.Analyze(ctx, core.Query{}, metrics.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := other.AuditOutcomes(ctx, ta); err != nil || len(got) != 0 {
		t.Errorf("the refused sheet stored %d audits (%v)", len(got), err)
	}
}
