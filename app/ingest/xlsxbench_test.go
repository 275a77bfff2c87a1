package ingest

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"labelqa/app/demo"
)

// writeBenchXLSX writes a rows-record, 14-column batch like an analyst's export
// with excelize's StreamWriter.
func writeBenchXLSX(tb testing.TB, rows int) string {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		tb.Fatal(err)
	}
	h := make([]any, len(demo.Header))
	for i, v := range demo.Header {
		h[i] = v
	}
	if err := sw.SetRow("A1", h); err != nil {
		tb.Fatal(err)
	}
	labels := []string{"approve", "misleading_claims", "adult_content", "approve|misleading_claims"}
	row := make([]any, len(demo.Header))
	for i := 0; i < rows; i++ {
		row[0] = fmt.Sprintf("ad-%07d", i/3)
		row[1] = fmt.Sprintf("ann-%03d", i%300)
		row[2] = labels[i%4]
		row[3] = fmt.Sprintf("vendor-%d", i%5)
		row[4] = "team-a"
		row[5] = "de-DE"
		row[6] = "Live"
		row[7] = 1 + i%2
		row[8] = fmt.Sprintf("2024-05-%02dT%02d:%02d:%02dZ", 1+i%28, i%24, i%60, (i*7)%60)
		row[9] = float64(i%90) + float64(i%10)/10
		row[10] = "v3"
		row[11] = "tmpl-7"
		row[12] = fmt.Sprintf("Buy the new phone %d now & save — only today <b>", i%977)
		row[13] = ""
		if i%7 == 0 {
			row[13] = "unsure, check policy 4.2"
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			tb.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		tb.Fatal(err)
	}
	p := filepath.Join(tb.TempDir(), "bench.xlsx")
	if err := f.SaveAs(p); err != nil {
		tb.Fatal(err)
	}
	return p
}

// BenchmarkScanXLSX scans a 100,000-row workbook with the XLSX fast path and,
// for comparison, with excelize's row iterator alone.
func BenchmarkScanXLSX(b *testing.B) {
	const rows = 100_000
	p := writeBenchXLSX(b, rows)
	benchScanPaths(b, p, &fastXLSX, "excelize", rows)
}
