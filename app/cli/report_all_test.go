package cli

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestReportAll writes every workbook in each language from one command
// and reopens each: Summary first, Definitions and Sources last.
func TestReportAll(t *testing.T) {
	p := reportDemo(t)
	for _, lang := range []string{"en", "id", "nb"} {
		dir := filepath.Join(t.TempDir(), lang)
		code, stdout, stderr := run(t, "report", "all", p, "-o", dir, "--lang", lang, "--vendor", "Fjord Review AS", "--size", "50")
		if code != ExitOK {
			t.Fatalf("%s: exit %d: %s", lang, code, stderr)
		}
		for _, name := range []string{"kpi.xlsx", "rca.xlsx", "audit-Fjord Review AS.xlsx", "vendor-Fjord Review AS.xlsx"} {
			path := filepath.Join(dir, name)
			if !strings.Contains(stdout, path) {
				t.Errorf("%s: stdout %q does not name %s", lang, stdout, path)
			}
			f, err := excelize.OpenFile(path)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			sheets := f.GetSheetList()
			want := map[string][3]string{"en": {"Summary", "Definitions", "Sources"}, "id": {"Ringkasan", "Definisi", "Sumber"}, "nb": {"Sammendrag", "Definisjoner", "Kilder"}}[lang]
			if sheets[0] != want[0] || !slices.Contains(sheets, want[1]) || !slices.Contains(sheets, want[2]) {
				t.Errorf("%s %s: sheets %v", lang, name, sheets)
			}
			f.Close()
		}
	}
}
