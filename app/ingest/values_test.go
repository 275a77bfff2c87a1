package ingest

import (
	"math"
	"strings"
	"testing"
)

// TestXLSXExcelErrorCells: a cell of type "e" (a formula that failed) is
// refused with its cell in every field, optional ones included, by the fast
// reader and by excelize alike; before, "#N/A" became an item id.
func TestXLSXExcelErrorCells(t *testing.T) {
	base := baseWorkbook(t)
	for lit := range excelErrors {
		for col, letter := range []string{"A", "B", "C", "D", "E", "F", "G"} {
			cells := []string{`<c r="A2" t="str"><v>ad-1</v></c>`, `<c r="B2" t="str"><v>r1</v></c>`, `<c r="C2" t="str"><v>ok</v></c>`,
				`<c r="D2" t="str"><v>note</v></c>`, `<c r="E2" t="str"><v>2024-05-15</v></c>`, `<c r="F2"><v>3</v></c>`, `<c r="G2"><v>1</v></c>`}
			cells[col] = `<c r="` + letter + `2" t="e"><f>X()</f><v>` + lit + `</v></c>`
			row := `<row r="2">` + strings.Join(cells, "") + `</row>`
			data := patchZip(t, base, map[string][]byte{"xl/worksheets/sheet1.xml": sheetXML(headerRow, row), "xl/sharedStrings.xml": sstXML(headerSI + moreSI)})
			compareXLSX(t, lit+" in "+letter, "b.xlsx", data, Options{}, false, readFast)
			for _, fast := range []bool{true, false} {
				log := xlsxLog("b.xlsx", data, Options{}, false, fast)
				want := "row=2 col=" + string(rune('1'+col)) + ` field="` + fieldNames[[]field{fItemID, fAnnotator, fLabel, fComment, fSubmittedAt, fDuration, fRound}[col]] + `": the cell holds the Excel error ` + lit + " "
				if !strings.Contains(log, want) || strings.Contains(log, "\nrec ") {
					t.Errorf("%s in column %s (fast %v): want a refusal %q, got\n%s", lit, letter, fast, want, log)
				}
			}
		}
	}
	// Text that merely holds an error's name, and 2001-01-01 as a serial, are read.
	row := `<row r="2"><c r="A2" t="str"><v>#N/A is not an error</v></c><c r="B2" t="str"><v>#N/A2</v></c><c r="C2" t="str"><v>ok</v></c><c r="D2" t="str"><v>see #REF! in the SOP</v></c><c r="E2"><v>36892</v></c></row>`
	data := patchZip(t, base, map[string][]byte{"xl/worksheets/sheet1.xml": sheetXML(headerRow, row), "xl/sharedStrings.xml": sstXML(headerSI + moreSI)})
	compareXLSX(t, "error names in text", "b.xlsx", data, Options{}, false, readFast)
	if log := xlsxLog("b.xlsx", data, Options{}, false, true); !strings.Contains(log, "ItemID:#N/A is not an error") || !strings.Contains(log, "SubmittedAt:2001-01-01 00:00:00") {
		t.Errorf("error names in text: %s", log)
	}
	// A golden set too.
	data = patchZip(t, base, map[string][]byte{"xl/worksheets/sheet1.xml": sheetXML(headerRow, `<row r="2"><c r="A2" t="str"><v>ad-1</v></c><c r="C2" t="e"><v>#N/A</v></c></row>`), "xl/sharedStrings.xml": sstXML(headerSI + moreSI)})
	if log := xlsxLog("g.xlsx", data, Options{}, true, true); !strings.Contains(log, "Excel error #N/A") {
		t.Errorf("gold: %s", log)
	}
}

// TestTimeWindow: every form of submitted_at is held to 2001 to 5000; before,
// 0001-01-01T00:00:00Z (Go's zero time) was accepted and stored as no time.
func TestTimeWindow(t *testing.T) {
	b := newBuilder("t", false, &ErrorList{})
	for _, ok := range []string{"2001-01-01T00:00:00Z", "2001-01-01", "2001-01-01 00:00:00", "2001-01-01T00:00", "4999-12-31T23:59:59.999Z", "4999-12-31 23:59:59 -0000", "1000000000", "978307200000", "95617583999000"} {
		if _, err := b.parseTime(ok); err != nil {
			t.Errorf("parseTime(%q): %v", ok, err)
		}
	}
	bad := []string{"0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000+00:00", "0001-01-01 00:00:00", "0001-01-01", "0001-01-01T00:00",
		"0001-01-01T00:00:00Z0000", "0001-01-01 00:00:00 +0000", "0001-01-01 00:00:00 +0000 UTC", "1970-01-01T00:00:00Z",
		"2000-12-31T23:59:59.999Z", "2001-01-01T00:00:00+00:01", "5000-01-01", "9999-12-31T23:59:59Z", "9999-12-31T23:00:00-05:00",
		"100000000000", "978307199999", "99999999999"}
	for _, v := range bad {
		if got, err := b.parseTime(v); err == nil {
			t.Errorf("parseTime(%q) = %v, accepted", v, got)
		}
	}
	b.xlsx = true
	for _, v := range []string{"1", "60", "25569", "36891.99", "2958465"} {
		if got, err := b.parseTime(v); err == nil {
			t.Errorf("Excel serial %q = %v, accepted", v, got)
		}
	}
	for v, want := range map[string]string{"36892": "2001-01-01T00:00:00Z", "1132253.5": "4999-12-31T12:00:00Z"} {
		if got, err := b.parseTime(v); err != nil || !got.Equal(ts(want)) {
			t.Errorf("Excel serial %q = %v, %v; want %s", v, got, err, want)
		}
	}
	if _, err := b.parseTime("1132254"); err == nil {
		t.Errorf("Excel serial 1132254 (5000-01-01) accepted")
	}
	if got := excelSerial(1, false); !got.Equal(ts("1900-01-01T00:00:00Z")) {
		t.Errorf("Excel serial 1 = %v, want 1900-01-01 (Excel's)", got)
	}
	if got := excelSerial(61, false); !got.Equal(ts("1900-03-01T00:00:00Z")) {
		t.Errorf("Excel serial 61 = %v, want 1900-03-01", got)
	}
	b.date1904 = true
	if _, err := b.parseTime("35429.5"); err == nil { // 1904 system: 2001-01-01 is 35430
		t.Errorf("1904 serial 35429.5 accepted")
	}
	if _, err := b.parseTime("35430"); err != nil {
		t.Errorf("1904 serial 35430: %v", err)
	}
	// No parsed time is ever the zero time (stored as "no time").
	out := scanText("b.csv", "item_id,annotator_id,label,submitted_at\n1,a,x,0001-01-01T00:00:00Z\n", Options{})
	if out.err == nil {
		t.Errorf("year 1 accepted: %+v", out.recs)
	}
}

// TestDurationLimits: a handling time is a finite number of seconds from 0 to
// 7 days; before, 1.7e308 was accepted and printed as a 309-digit median.
func TestDurationLimits(t *testing.T) {
	for _, c := range []struct {
		in   string
		comm bool
		want float64
	}{{"0", false, 0}, {"12.5", false, 12.5}, {"604800", false, 604800}, {"6.048e5", false, 604800}, {"12,5", true, 12.5}, {"604800,0", true, 604800}} {
		d, err := parseDuration(c.in, c.comm)
		if err != nil || d != c.want {
			t.Errorf("parseDuration(%q) = %v, %v; want %v", c.in, d, err, c.want)
		}
	}
	for _, v := range []string{"-0", "-0.0", "+0", "-0e5"} {
		d, err := parseDuration(v, false)
		if err != nil || d != 0 || math.Signbit(d) {
			t.Errorf("parseDuration(%q) = %v (sign %v), %v; want 0", v, d, math.Signbit(d), err)
		}
	}
	for _, c := range []struct {
		in   string
		comm bool
		want string
	}{
		{"1.7e308", false, "over 7 days"}, {"1e999", false, "over 7 days"}, {"604800.001", false, "over 7 days"}, {"1,7e308", true, "over 7 days"},
		{"1e-999", false, ""}, // underflows to 0: accepted
		{"NaN", false, "not a number"}, {"nan", false, "not a number"}, {"Inf", false, "not a number"}, {"+Inf", false, "not a number"}, {"-Infinity", false, "not a number"},
		{"0x1p3", false, "not a number"}, {"0x10", false, "not a number"}, {"1_000", false, "not a number"}, {"12,5", false, "not a number"},
		{"1.000,5", true, "not a number"}, {"1,000,5", true, "not a number"}, {"-1", false, "negative"}, {"-1e999", false, "negative"}, {"-0,5", true, "negative"},
	} {
		d, err := parseDuration(c.in, c.comm)
		if c.want == "" {
			if err != nil {
				t.Errorf("parseDuration(%q): %v", c.in, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("parseDuration(%q, %v) = %v, %v; want %q", c.in, c.comm, d, err, c.want)
		}
	}
}

// TestRoundLimits: a round is a whole number from 0 to 100; before, 258 was
// accepted and became round 2 (second-round QA) in the report's byte.
func TestRoundLimits(t *testing.T) {
	for in, want := range map[string]int{"0": 0, "-0": 0, "1": 1, "2.0": 2, "+2": 2, "100": 100, "1e2": 100} {
		if n, err := parseRound(in); err != nil || n != want {
			t.Errorf("parseRound(%q) = %d, %v; want %d", in, n, err, want)
		}
	}
	for in, want := range map[string]string{"101": "over 100", "258": "over 100", "1e999": "over 100", "99999999999999999999": "over 100",
		"-1": "negative", "-1e999": "negative", "1.5": "not a whole", "NaN": "not a whole", "0x10": "not a whole", "first": "not a whole"} {
		if n, err := parseRound(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parseRound(%q) = %d, %v; want %q", in, n, err, want)
		}
	}
}
