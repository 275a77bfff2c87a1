package cli

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"labelqa/app/core"
	"labelqa/app/demo"
	"labelqa/app/metrics"
	lqareport "labelqa/app/report"
)

// auditWorkbook writes the audit workbook of the demo project's first
// vendor (30 judgments, seed 4) and returns its path, the header row and
// the data rows.
func auditWorkbook(t *testing.T, dir string) (proj, path string, header int, rows [][]string) {
	t.Helper()
	ctx := context.Background()
	proj, _, err := core.CreateDemo(ctx, filepath.Join(dir, "demo"), demo.Options{Items: 60, Seed: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := core.OpenReadOnly(ctx, proj)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	a, err := p.Analyze(ctx, core.Query{}, metrics.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(dir, "audit.xlsx")
	in := &lqareport.Input{Project: p, Analysis: a, Vendor: core.Vendors(a.Data)[0], Sample: lqareport.SampleOptions{Size: 30, Seed: 4},
		Lang: lqareport.EN, Version: "test", Now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	if err := lqareport.Write(ctx, "audit", in, path); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	all, err := f.GetRows(core.AuditSheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range all {
		if len(r) > 0 && r[0] == core.AuditRefHeader {
			return proj, path, i + 1, all[i+1:]
		}
	}
	t.Fatal("no audit table")
	return
}

func setCells(t *testing.T, src, dst string, cells map[string]string) {
	t.Helper()
	f, err := excelize.OpenFile(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for c, v := range cells {
		if err := f.SetCellStr(core.AuditSheet, c, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(dst); err != nil {
		t.Fatal(err)
	}
}

func cellAt(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col+1, row)
	return c
}

func TestAuditImportCommand(t *testing.T) {
	dir := t.TempDir()
	proj, sheet, header, rows := auditWorkbook(t, dir)

	// Before any audit, metrics says null.
	code, stdout, stderr := run(t, "metrics", proj, "--json")
	if code != 0 || !strings.Contains(stdout, `"audit": null`) {
		t.Fatalf("metrics before: %d %s %.300s", code, stderr, stdout)
	}

	// Usage and refusals, pinned.
	fill := map[string]string{}
	for i := range rows {
		fill[cellAt(core.AuditColCorrect, header+1+i)] = []string{"yes", "no", "yes"}[i%3]
	}
	good := filepath.Join(dir, "good.xlsx")
	setCells(t, sheet, good, fill)
	bad := filepath.Join(dir, "bad.xlsx")
	badCells := map[string]string{
		cellAt(core.AuditColAuditorLabel, header+3): "aprove",
		cellAt(core.AuditColItem, header+5):         rows[4][core.AuditColItem] + "x",
		cellAt(core.AuditColRootCause, header+6):    "gremlins",
	}
	for k, v := range fill {
		if _, ok := badCells[k]; !ok {
			badCells[k] = v
		}
	}
	setCells(t, sheet, bad, badCells)
	var got strings.Builder
	for _, c := range []struct {
		code int
		args []string
	}{
		{ExitUsage, []string{"audit"}},
		{ExitUsage, []string{"audit", "list", proj}},
		{ExitUsage, []string{"audit", "import", proj}},
		{ExitUsage, []string{"audit", "import", proj, filepath.Join(dir, "audit.csv")}},
		{ExitFail, []string{"audit", "import", proj, bad}},
		{ExitFail, []string{"audit", "import", proj, sheet}},
	} {
		code, stdout, stderr := run(t, c.args...)
		if code != c.code || stdout != "" {
			t.Errorf("labelqa %s: exit %d (want %d), stdout %q, stderr %q", strings.Join(c.args, " "), code, c.code, stdout, stderr)
		}
		got.WriteString("$ labelqa " + strings.Join(c.args, " ") + "\n" + stderr + "exit " + strconv.Itoa(code) + "\n\n")
	}
	golden(t, "audit_import", dir, got.String())

	code, stdout, stderr = run(t, "audit", "import", proj, good, "--auditor", "qa1", "--json")
	if code != 0 {
		t.Fatalf("import: %d %s", code, stderr)
	}
	var res struct {
		Schema                      string
		Audited, Correct, Incorrect int
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil || res.Schema != auditImportSchema || res.Audited != 30 || res.Incorrect != 10 {
		t.Fatalf("import JSON %s (%v)", stdout, err)
	}
	if code, _, stderr := run(t, "audit", "import", proj, good); code != ExitFail || !strings.Contains(stderr, "already imported") {
		t.Errorf("second import: %d %s", code, stderr)
	}

	// metrics --json now carries the audit accuracy.
	code, stdout, _ = run(t, "metrics", proj, "--json")
	var m struct {
		Audit *struct {
			Audits, Correct int
			Method          string
			Accuracy        struct{ Value, CILow, CIHigh *float64 } `json:"accuracy"`
		} `json:"audit"`
	}
	if code != 0 || json.Unmarshal([]byte(stdout), &m) != nil || m.Audit == nil {
		t.Fatalf("metrics after import: %d %.300s", code, stdout)
	}
	if m.Audit.Audits != 30 || m.Audit.Correct != 20 || m.Audit.Accuracy.Value == nil {
		t.Errorf("audit object %+v", *m.Audit)
	}
	// The text output says it too, with the same figures.
	if code, stdout, _ := run(t, "metrics", proj); code != 0 || !strings.Contains(stdout, "Audit accuracy") ||
		!strings.Contains(stdout, "(30 audited judgments, 20 correct; "+m.Audit.Method+")") {
		t.Errorf("metrics text after import: %d %.600s", code, stdout)
	}
	// A filter that leaves out every audited judgment: null again.
	code, stdout, _ = run(t, "metrics", proj, "--json", "--vendor", "nobody-at-all")
	if code == 0 && !strings.Contains(stdout, `"audit": null`) {
		t.Errorf("filtered metrics: %.300s", stdout)
	}
}
