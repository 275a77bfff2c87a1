package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"labelqa/app/demo"
)

// xlsxLog scans an XLSX workbook (data, or the file at path when data is nil)
// with the fast reader on or off and logs every record, Progress call, the
// summary and every error, like scanLog.
func xlsxLog(path string, data []byte, opts Options, gold, fast bool) string {
	old := fastXLSX
	fastXLSX = fast
	defer func() { fastXLSX = old }()
	var b strings.Builder
	opts.Progress = func(done, total int64) { fmt.Fprintf(&b, "progress %d/%d\n", done, total) }
	ctx := context.Background()
	var sum Summary
	var err error
	switch {
	case gold && data == nil:
		sum, err = ScanGold(ctx, path, opts, func(r *GoldRecord) error { fmt.Fprintf(&b, "gold %+v\n", *r); return nil })
	case gold:
		sum, err = ScanGoldBytes(ctx, path, data, opts, func(r *GoldRecord) error { fmt.Fprintf(&b, "gold %+v\n", *r); return nil })
	case data == nil:
		sum, err = Scan(ctx, path, opts, func(r *Record) error { fmt.Fprintf(&b, "rec %+v\n", *r); return nil })
	default:
		sum, err = ScanBytes(ctx, path, data, opts, func(r *Record) error { fmt.Fprintf(&b, "rec %+v\n", *r); return nil })
	}
	fmt.Fprintf(&b, "summary %+v\n", sum)
	if l, ok := AsList(err); ok {
		for _, e := range l.Errs {
			fmt.Fprintf(&b, "error file=%q sheet=%q row=%d col=%d field=%q: %s\n", e.File, e.Sheet, e.Row, e.Col, e.Field, e.Err)
		}
		fmt.Fprintf(&b, "text %q\n", l.Error())
	} else if err != nil {
		fmt.Fprintf(&b, "error %T %v\n", err, err)
	}
	return b.String()
}

type fastOutcome int

const (
	anyOutcome fastOutcome = iota
	readFast               // the fast reader reads the sheet to the end
	declined               // it declines before the first row
	handedOver             // it hands over to excelize in the sheet
)

// compareXLSX requires the same log from both paths, and the fast reader's
// outcome when want is not anyOutcome.
func compareXLSX(t *testing.T, name, path string, data []byte, opts Options, gold bool, want fastOutcome) {
	t.Helper()
	slow := xlsxLog(path, data, opts, gold, false)
	r0, d0, h0 := fastXLSXStats.read.Load(), fastXLSXStats.declined.Load(), fastXLSXStats.handedOver.Load()
	fast := xlsxLog(path, data, opts, gold, true)
	r, d, h := fastXLSXStats.read.Load()-r0, fastXLSXStats.declined.Load()-d0, fastXLSXStats.handedOver.Load()-h0
	if !sameOutcome(fast, slow) {
		t.Errorf("%s: the fast reader differs from excelize:\n%s", name, xlsxDiff(fast, slow))
	}
	got := anyOutcome
	switch {
	case d > 0:
		got = declined
	case h > 0:
		got = handedOver
	case r > 0:
		got = readFast
	}
	if want != anyOutcome && got != want {
		t.Errorf("%s: fast reader outcome %d, want %d (read %d declined %d handed over %d)", name, got, want, r, d, h)
	}
}

func xlsxDiff(fast, slow string) string { return lineDiff("fast", fast, "excelize", slow) }

// sameOutcome says whether two xlsxLog logs agree: they are the same, or both
// refuse the file with the same errors (the fast reader may have handed out
// records before it met the damage it hands to excelize, and an import is all
// or nothing), or both refuse a damaged sheet.
func sameOutcome(fast, slow string) bool {
	if fast == slow {
		return true
	}
	if !strings.Contains(fast, "\ntext ") || !strings.Contains(slow, "\ntext ") {
		return false
	}
	strip := func(log string) string {
		var b strings.Builder
		for _, l := range strings.SplitAfter(log, "\n") {
			if !strings.HasPrefix(l, "rec ") && !strings.HasPrefix(l, "gold ") && !strings.HasPrefix(l, "progress ") {
				b.WriteString(l)
			}
		}
		return b.String()
	}
	if strip(fast) == strip(slow) {
		return true
	}
	// A damaged sheet: excelize alone is refused by the check before its first
	// row, the fast reader may first meet a problem in the rows before the
	// damage (a header without a required column, say) and stop there.
	return strings.Contains(fast+slow, damagedAdvice)
}

// baseWorkbook is an excelize workbook with the sheets Batch and Second.
func baseWorkbook(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "Batch")
	f.NewSheet("Second")
	f.SetCellStr("Batch", "A1", "x")
	f.SetCellStr("Second", "A1", "y")
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// patchZip replaces (or adds) parts of a zip archive; a nil value removes one.
func patchZip(t *testing.T, base []byte, parts map[string][]byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	done := map[string]bool{}
	for _, f := range zr.File {
		if p, ok := parts[f.Name]; ok {
			done[f.Name] = true
			if p == nil {
				continue
			}
			w, _ := zw.Create(f.Name)
			w.Write(p)
			continue
		}
		zw.Copy(f)
	}
	for name, p := range parts {
		if !done[name] && p != nil {
			w, _ := zw.Create(name)
			w.Write(p)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

const (
	wsHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"><dimension ref="A1:H9"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="1" width="12" customWidth="1"/></cols><sheetData>`
	wsTail   = `</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`
	sstHead  = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="12" uniqueCount="12">`
	headerSI = `<si><t>item_id</t></si><si><t>annotator_id</t></si><si><t>label</t></si><si><t>comment</t></si><si><t>submitted_at</t></si><si><t>duration_s</t></si><si><t>round</t></si>`
	// the header row with shared strings 0 to 6
	headerRow = `<row r="1" spans="1:7" x14ac:dyDescent="0.25"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>5</v></c><c r="G1" t="s"><v>6</v></c></row>`
	moreSI    = `<si><t xml:space="preserve">  spaced  text  </t></si>` + // 7
		`<si><r><rPr><b/><sz val="11"/><color theme="1"/><rFont val="Calibri"/><family val="2"/><scheme val="minor"/></rPr><t>rich </t></r><r><t xml:space="preserve">text </t></r><r><rPr><i/><u val="single"/><vertAlign val="superscript"/></rPr><t>runs</t></r></si>` + // 8
		`<si><t>日本語ラベル</t><rPh sb="0" eb="3"><t>ニホンゴ</t></rPh><phoneticPr fontId="1" type="noConversion"/></si>` + // 9
		`<si><t>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#233;&#x4E2D; line1&#10;line2` + "\r\nx\ry" + `</t></si>` + // 10
		`<si><t>under_x005F_score and tab_x0009_x and _xZZZZ_</t></si>` + // 11
		`<si><t></t></si><si/>` // 12, 13
)

func sheetXML(rows ...string) []byte {
	return []byte(wsHead + strings.Join(rows, "\n") + wsTail)
}

func sstXML(items string) []byte {
	return []byte(sstHead + items + `</sst>`)
}

// fastCases are worksheets (with the shared strings headerSI+moreSI unless
// sst is set) the fast reader must read exactly as excelize does.
var fastCases = []struct {
	name  string
	rows  []string
	sst   string
	want  fastOutcome
	sheet string
}{
	{name: "shared strings, rich text, phonetic runs, entities", rows: []string{headerRow,
		`<row r="2"><c r="A2" t="s"><v>7</v></c><c r="B2" t="s"><v>8</v></c><c r="C2" t="s"><v>9</v></c><c r="D2" t="s"><v>10</v></c></row>`,
		`<row r="3"><c r="A3" t="s"><v>11</v></c><c r="B3" t="s"><v>12</v></c><c r="C3" t="s"><v>13</v></c><c r="D3" t="s"><v>11</v></c></row>`,
	}, want: readFast},
	{name: "inline strings, numbers, booleans, errors, dates", rows: []string{headerRow,
		`<row r="2"><c r="A2" t="inlineStr"><is><t>ad-1</t></is></c><c r="B2" t="inlineStr"><is><r><t>ann</t></r><r><rPr><b val="true"/></rPr><t>-1</t></r></is></c><c r="C2" t="b"><v>1</v></c><c r="D2" t="e"><v>#N/A</v></c><c r="E2" s="3"><v>45427.5</v></c><c r="F2" t="n"><v>12.50</v></c><c r="G2"><v>1</v></c></row>`,
		`<row r="3"><c r="A3" t="str"><v>ad-2</v></c><c r="B3" t="inlineStr"><is><t xml:space="preserve"> r 2 </t></is></c><c r="C3" t="b"><v>0</v></c><c r="D3" t="d"><v>2024-05-15T12:09:16Z</v></c><c r="E3" t="d"><v>2024-05-15T12:09:16Z</v></c><c r="F3"><v>3,5</v></c><c r="G3"><v>1E-3</v></c></row>`,
		`<row r="4"><c r="A4" t="inlineStr"><is><t>Ünïcödé ✓ 😀 &#128512;</t></is></c><c r="B4" t="inlineStr"><v>ignored?</v></c><c r="C4" t="inlineStr"/><c r="D4" t="inlineStr"><is/></c><c r="E4" t="s"><v></v></c><c r="F4" t="s"/><c r="G4" t="str"/></row>`,
	}, want: readFast},
	{name: "formulas with cached values", rows: []string{headerRow,
		`<row r="2"><c r="A2" t="str"><f>CONCAT("ad-","1")</f><v>ad-1</v></c><c r="B2" t="str"><f>"r"&amp;1</f><v>r1</v></c><c r="C2" t="str"><f t="shared" ref="C2:C3" si="0">LOWER("APPROVE")</f><v>approve</v></c><c r="F2"><f>1+2</f><v>3</v></c><c r="G2" t="str"><f>""</f><v></v></c></row>`,
		`<row r="3"><c r="A3" t="str"><f>"ad-2"</f><v>ad-2</v></c><c r="B3"><f>A3</f></c><c r="C3" t="str"><f t="shared" si="0"/><v>approve</v></c><c r="D3" t="b"><f>TRUE()</f><v>1</v></c><c r="E3"><f aca="false" ca="1">NOW()</f><v>45427.25</v></c></row>`,
	}, want: readFast},
	{name: "empty cells, skipped rows, cells without r", rows: []string{headerRow,
		`<row r="2"><c r="A2" t="inlineStr"><is><t>ad-1</t></is></c><c r="B2"/><c r="C2" s="1"/><c r="D2" t="inlineStr"><is><t>c</t></is></c><c r="E2" s="2"/><c r="F2"><v>4</v></c><c r="G2" s="5"/><c r="H2" s="5"/></row>`,
		`<row r="5"><c t="inlineStr"><is><t>ad-5</t></is></c><c><v>7</v></c><c t="inlineStr"><is><t>approve</t></is></c><c r="F5"><v>1.5</v></c><c><v>2</v></c></row>`,
		`<row r="6" spans="1:7"/>`,
		`<row r="7"><c r="B7" s="1"/></row>`,
		`<row><c r="A8" t="inlineStr"><is><t>ad-8</t></is></c><c t="inlineStr"><is><t>r8</t></is></c><c><v>x</v></c></row>`,
		`<row r="12"><c r="A12" t="inlineStr"><is><t>ad-12</t></is></c><c r="B12" t="inlineStr"><is><t>r</t></is></c><c r="C12" t="inlineStr"><is><t>a|b</t></is></c><c r="AA12"><v>9</v></c></row>`,
	}, want: readFast},
	{name: "spaces and attribute forms", rows: []string{headerRow,
		"<row  r = '2'\n\t><c r=\"A2\"  t='inlineStr' ><is>\n<t>ad-1</t>\n</is></c\n><c r='B2' t=\"s\"><v>7</v ></c></row>",
		`<row r="3"><c r="A3" t="str"><v>  padded  </v></c><c r="B3" t="str"><v>r</v></c><c r="C3" t="inlineStr"><is><t xml:space="preserve">
 approve </t></is></c></row>`,
	}, want: readFast},
	{name: "no shared strings part", sst: "-", rows: []string{
		`<row r="1"><c r="A1" t="inlineStr"><is><t>item_id</t></is></c><c r="B1" t="inlineStr"><is><t>annotator_id</t></is></c><c r="C1" t="inlineStr"><is><t>label</t></is></c></row>`,
		`<row r="2"><c r="A2" t="inlineStr"><is><t>ad-1</t></is></c><c r="B2" t="inlineStr"><is><t>r1</t></is></c><c r="C2" t="inlineStr"><is><t>approve</t></is></c></row>`,
	}, want: readFast},
	{name: "second sheet by --sheet", sheet: "second", rows: []string{headerRow,
		`<row r="2"><c r="A2" t="s"><v>7</v></c></row>`}, want: readFast},
	{name: "empty sheet data", rows: []string{}, want: readFast},
	{name: "header only", rows: []string{headerRow}, want: readFast},
	// Outside the subset: declined before the first row.
	{name: "comment before sheetData", rows: []string{headerRow}, sst: "comment", want: declined},
	{name: "shared string out of range", rows: []string{headerRow, `<row r="2"><c r="A2" t="s"><v>99</v></c></row>`}, want: handedOver},
	{name: "shared strings with CDATA", sst: `<si><t><![CDATA[x]]></t></si>`, rows: []string{headerRow}, want: declined},
	{name: "shared strings with an unknown element", sst: headerSI + `<si><t>x</t><extLst/></si>`, rows: []string{headerRow}, want: declined},
	{name: "shared strings with a bad rPr value", sst: headerSI + `<si><r><rPr><sz val="big"/></rPr><t>x</t></r></si>`, rows: []string{headerRow}, want: declined},
	// Outside the subset in the sheet: handed over to excelize.
	{name: "comment in a row", rows: []string{headerRow,
		`<row r="2"><c r="A2" t="inlineStr"><is><t>ad-1</t></is></c></row>`,
		`<row r="3"><!-- note --><c r="A3" t="inlineStr"><is><t>ad-3</t></is></c></row>`,
		`<row r="4"><c r="A4" t="inlineStr"><is><t>ad-4</t></is></c></row>`}, want: handedOver},
	{name: "CDATA in a value", rows: []string{headerRow,
		`<row r="2"><c r="A2" t="str"><v><![CDATA[ad-<1>]]></v></c></row>`}, want: handedOver},
	{name: "unknown cell type", rows: []string{headerRow,
		`<row r="2"><c r="A2" t="x"><v>ad-1</v></c><c r="B2"><v>1</v></c></row>`}, want: handedOver},
	{name: "bad entity", rows: []string{headerRow,
		`<row r="2"><c r="A2" t="str"><v>ad&nbsp;1</v></c></row>`, `<row r="3"><c r="A3" t="str"><v>ad-3</v></c></row>`}, want: handedOver},
	{name: "control character reference", rows: []string{headerRow,
		`<row r="2"><c r="A2" t="str"><v>ad&#1;1</v></c></row>`}, want: handedOver},
	{name: "invalid UTF-8", rows: []string{headerRow,
		"<row r=\"2\"><c r=\"A2\" t=\"str\"><v>ad\xff1</v></c></row>"}, want: handedOver},
	{name: "mismatched end tag", rows: []string{headerRow,
		`<row r="2"><c r="A2" t="str"><v>ad-1</v></c></row>`, `<row r="3"><c r="A3" t="str"><v>ad-3</x></c></row>`, `<row r="4"><c r="A4"><v>4</v></c></row>`}, want: handedOver},
	{name: "rows out of order", rows: []string{headerRow,
		`<row r="3"><c r="A3" t="str"><v>ad-3</v></c></row>`, `<row r="2"><c r="A2" t="str"><v>ad-2</v></c></row>`, `<row><c r="A9" t="str"><v>ad-x</v></c></row>`}, want: handedOver},
	{name: "prefixed elements", rows: []string{headerRow,
		`<row r="2"><c r="A2" t="str"><v>ad-2</v></c></row>`, `<x:row r="3" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:c r="A3" t="str"><x:v>ad-3</x:v></x:c></x:row>`}, want: handedOver},
	{name: "bad cell reference", rows: []string{headerRow,
		`<row r="2"><c r="a2" t="str"><v>ad-2</v></c></row>`, `<row r="3"><c r="$A$3" t="str"><v>ad-3</v></c></row>`, `<row r="4"><c r="A0" t="str"><v>ad-4</v></c></row>`}, want: handedOver},
	{name: "bad style index", rows: []string{headerRow,
		`<row r="2"><c r="A2" s="x" t="str"><v>ad-2</v></c><c r="B2" t="str"><v>r</v></c></row>`}, want: handedOver},
	{name: "row past the last", rows: []string{headerRow,
		`<row r="2000000"><c r="A2000000" t="str"><v>ad-2</v></c></row>`}, want: handedOver},
	{name: "truncated sheet", rows: []string{headerRow,
		`<row r="2"><c r="A2" t="str"><v>ad-2</v></c></row><row r="3"><c r="A3" t="str"><v>ad-3`}, want: handedOver},
	{name: "text between cells", rows: []string{headerRow,
		`<row r="2"><c r="A2" t="str"><v>ad-2</v></c>stray<c r="B2" t="str"><v>r</v></c></row>`}, want: handedOver},
	{name: "extLst in a cell", rows: []string{headerRow,
		`<row r="2"><c r="A2" t="str"><v>ad-2</v><extLst/></c></row>`}, want: handedOver},
	{name: "cells out of column order", rows: []string{headerRow,
		`<row r="2"><c r="A2" t="str"><v>ad-2</v></c></row>`,
		`<row r="10" ht="20" customHeight="1"><c r="C10" t="inlineStr"><is><t>no id</t></is></c><c r="A10" t="inlineStr"><is><t>back</t></is></c></row>`}, want: handedOver},
	{name: "a column twice", rows: []string{headerRow,
		`<row r="2"><c r="A2" t="str"><v>ad-2</v></c><c r="B2" t="str"><v>r</v></c><c r="B2" t="str"><v>x</v></c></row>`}, want: handedOver},
	{name: "duplicate row number", rows: []string{headerRow,
		`<row r="2"><c r="A2" t="str"><v>ad-2</v></c><c r="B2" t="str"><v>r</v></c><c r="C2" t="str"><v>x</v></c></row>`,
		`<row r="2"><c r="A2" t="str"><v>ad-3</v></c><c r="B2" t="str"><v>r</v></c><c r="C2" t="str"><v>x</v></c></row>`,
		`<row r="3"><c r="A3" t="str"><v>ad-4</v></c><c r="B3" t="str"><v>r</v></c><c r="C3" t="str"><v>x</v></c></row>`}, want: handedOver},
	{name: "space in a row end tag", rows: []string{headerRow,
		`<row r="2"><c r="A2" t="str"><v>ad-2</v></c></row >`, `<row r="3"><c r="A3" t="str"><v>ad-3</v></c></row>`}, want: readFast},
	{name: "bad row number after a row", rows: []string{headerRow,
		`<row r="2"><c r="A2" t="str"><v>ad-2</v></c></row>`, `<row r="x3"><c r="B3" t="str"><v>ad-3</v></c></row>`}, want: handedOver},
	{name: "attribute name with a digit first", rows: []string{`<row><c 0="0"><v>0</v></c></row>`}, want: handedOver},
	{name: "row with an unquoted attribute", rows: []string{headerRow,
		`<row r=2><c r="A2" t="str"><v>ad-2</v></c></row>`}, want: handedOver},
	// Found in review: a sheet ending right after "<" in an inline string
	// made the scanner index past its buffer.
	{name: "truncated inside an inline string", rows: []string{headerRow,
		`<row r="2"><c r="A2" t="str"><v>ad-2</v></c></row><row r="3"><c r="A3" t="inlineStr"><is><`}, want: handedOver},
	// encoding/xml fails on a typed attribute of only spaces (excelize then
	// drops the formula or run, and with it the cell's value).
	{name: "blank formula attribute", rows: []string{headerRow,
		`<row r="2"><c r="A2" t="str"><f aca=" ">x</f><v>ad-1</v></c><c r="B2" t="str"><v>r</v></c><c r="C2" t="str"><v>approve</v></c></row>`}, want: handedOver},
	{name: "blank run property", rows: []string{headerRow,
		`<row r="2"><c r="A2" t="inlineStr"><is><r><rPr><sz val=" "/></rPr><t>ad-1</t></r></is></c><c r="B2" t="str"><v>r</v></c><c r="C2" t="str"><v>approve</v></c></row>`}, want: handedOver},
}

func TestXLSXFastDifferential(t *testing.T) {
	base := baseWorkbook(t)
	for _, c := range fastCases {
		ws := sheetXML(c.rows...)
		var sst []byte
		switch c.sst {
		case "":
			sst = sstXML(headerSI + moreSI)
		case "-":
		case "comment":
			sst = sstXML(headerSI + moreSI)
			ws = []byte(strings.Replace(string(ws), "<sheetData>", "<!-- c --><sheetData>", 1))
		default:
			sst = sstXML(c.sst)
		}
		if strings.HasPrefix(c.name, "truncated") {
			ws = ws[:len(ws)-len(wsTail)]
		}
		parts := map[string][]byte{"xl/worksheets/sheet1.xml": ws, "xl/sharedStrings.xml": sst}
		opts := Options{}
		if c.sheet != "" {
			parts = map[string][]byte{"xl/worksheets/sheet2.xml": ws, "xl/sharedStrings.xml": sst}
			opts.Sheet = c.sheet
		}
		if sst == nil {
			parts["xl/sharedStrings.xml"] = nil
		}
		data := patchZip(t, base, parts)
		compareXLSX(t, c.name, "b.xlsx", data, opts, false, c.want)
	}
}

// TestXLSXFastWorkbooks compares the two paths on the workbooks the package's
// tests write with excelize and on the demo's test batches.
func TestXLSXFastWorkbooks(t *testing.T) {
	p := writeXLSX(t, map[string][][]any{
		"Batch": {
			{"Item ID", "Rater", "Label", "Submitted At", "Duration", "Comment", "Flag", "When"},
			{"ad-1", "r1", "approve", "2024-05-15T12:09:16Z", 12.5, "=SUM(A1)", true, time.Date(2024, 5, 15, 12, 0, 0, 0, time.UTC)},
			nil,
			{"ad-2", "r2", "a|b", 45427.5, "3,5", "-2", false, 45427.25},
			{"", "r3", "approve"},
			{"ad-4", "r4", "approve", nil, nil, "  spaced & <odd> \"text\" ünï  ", nil, "tab\there"},
		},
		"Other": {{"item_id", "annotator_id", "label"}, {"x", "y", "z"}},
	}, []string{"Batch", "Other"})
	for _, sheet := range []string{"", "other", "Nope"} {
		compareXLSX(t, "TestXLSX workbook "+sheet, p, nil, Options{Sheet: sheet}, false, anyOutcome)
	}
	compareXLSX(t, "TestXLSX workbook", p, nil, Options{}, false, readFast)

	// Formulas, rich text, booleans and dates written by excelize itself.
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"item_id", "annotator_id", "label", "comment", "round", "submitted_at"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"ad-1", "r1", "approve", "x", 1, time.Date(2024, 5, 15, 9, 30, 0, 0, time.UTC)})
	f.SetCellFormula("Sheet1", "E2", "=1+1")
	f.SetCellRichText("Sheet1", "D2", []excelize.RichTextRun{{Text: "bold ", Font: &excelize.Font{Bold: true}}, {Text: "plain"}})
	f.SetSheetRow("Sheet1", "A4", &[]any{"ad-2", "r2", "approve", true, 2.5, "2024-05-15"})
	f.SetCellBool("Sheet1", "G4", false)
	rp := filepath.Join(t.TempDir(), "rich.xlsx")
	if err := f.SaveAs(rp); err != nil {
		t.Fatal(err)
	}
	compareXLSX(t, "excelize features", rp, nil, Options{}, false, readFast)

	rows := [][]any{{"item_id", "annotator_id", "label"}}
	for i := 0; i < 3000; i++ {
		rows = append(rows, []any{fmt.Sprintf("ad-%d", i), "r1", "approve"})
	}
	compareXLSX(t, "progress workbook", writeXLSX(t, map[string][][]any{"Batch": rows}, []string{"Batch"}), nil, Options{}, false, readFast)

	compareXLSX(t, "stream writer", writeBenchXLSX(t, 2500), nil, Options{}, false, readFast)

	dir := t.TempDir()
	if _, err := demo.Generate(context.Background(), dir, demo.Options{Items: 300}, nil); err != nil {
		t.Fatal(err)
	}
	n := 0
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".xlsx") {
			n++
			compareXLSX(t, path, path, nil, Options{}, false, readFast)
			data, _ := os.ReadFile(path)
			compareXLSX(t, path+" (bytes)", filepath.Base(path), data, Options{}, false, readFast)
		}
		return nil
	})
	if n == 0 {
		t.Error("the demo wrote no workbook")
	}
}

// TestXLSXFastCancel: cancellation is checked every 1,024 records on both paths.
func TestXLSXFastCancel(t *testing.T) {
	p := writeBenchXLSX(t, 5000)
	for _, fast := range []bool{true, false} {
		old := fastXLSX
		fastXLSX = fast
		ctx, cancel := context.WithCancel(context.Background())
		n := 0
		_, err := Scan(ctx, p, Options{}, func(r *Record) error {
			if n++; n == 1500 {
				cancel()
			}
			return nil
		})
		fastXLSX = old
		if err != context.Canceled || n != 2048 {
			t.Errorf("fast %v: %v after %d records", fast, err, n)
		}
	}
}

func FuzzXLSXSheet(f *testing.F) {
	for _, c := range fastCases {
		f.Add([]byte(strings.Join(c.rows, "\n")))
	}
	f.Add([]byte(headerRow + strRow("2", "ad-1", "r1", "ok") + strRow("99999999999", "ad-2", "r1", "ok")))
	f.Add([]byte(headerRow + strRow("3", "ad-1", "r1", "ok") + strRow("2", "ad-2", "r1", "ok")))
	f.Add([]byte(headerRow + strRow("2", "ad&nbsp;1", "r1", "ok") + strRow("3", "ad-2", "r1", "ok")))
	base := baseWorkbook(&testing.T{})
	sst := sstXML(headerSI + moreSI)
	f.Fuzz(func(t *testing.T, rows []byte) {
		data := patchZip(t, base, map[string][]byte{"xl/worksheets/sheet1.xml": append(append([]byte(wsHead), rows...), wsTail...), "xl/sharedStrings.xml": sst})
		slow := xlsxLog("b.xlsx", data, Options{}, false, false)
		fast := xlsxLog("b.xlsx", data, Options{}, false, true)
		if !sameOutcome(fast, slow) {
			t.Fatalf("the fast reader differs from excelize:\n%s", xlsxDiff(fast, slow))
		}
	})
}

// FuzzXLSXWorksheet builds a workbook from a fuzzed worksheet part and shared
// strings part: the fast reader and excelize alone must read it alike, or
// both refuse it with the same errors.
func FuzzXLSXWorksheet(f *testing.F) {
	for _, c := range fastCases {
		f.Add(sheetXML(c.rows...), sstXML(headerSI+moreSI))
	}
	f.Add([]byte(wsHead+headerRow+`<row r="2"><c r="A2" t="s"><v>7</v></c></row>`), sstXML(headerSI+moreSI))
	f.Add(sheetXML(headerRow, `<row r="2"><c r="A2" t="s"><v>7</v></c></row>`), sstXML(headerSI+`<si><t>a&nbsp;b</t></si>`))
	f.Add(sheetXML(headerRow, `<row r="2"><c r="A2" t="s"><v>7</v></c></row>`), sstXML(headerSI+`<si><si><t>x</t></si></si>`))
	base := baseWorkbook(&testing.T{})
	f.Fuzz(func(t *testing.T, ws, sst []byte) {
		data := patchZip(t, base, map[string][]byte{"xl/worksheets/sheet1.xml": ws, "xl/sharedStrings.xml": sst})
		slow := xlsxLog("b.xlsx", data, Options{}, false, false)
		fast := xlsxLog("b.xlsx", data, Options{}, false, true)
		if !sameOutcome(fast, slow) {
			t.Fatalf("the fast reader differs from excelize:\n%s", xlsxDiff(fast, slow))
		}
	})
}

// TestXLSXFastDeclinesAmbiguousWorkbooks: a workbook with two parts of one
// name, or sheets whose names differ only in case, is left to excelize
// (found in review: either could make the fast path read another part).
func TestXLSXFastDeclinesAmbiguousWorkbooks(t *testing.T) {
	base := baseWorkbook(t)
	ws := sheetXML(headerRow, `<row r="2"><c r="A2" t="s"><v>7</v></c><c r="B2" t="s"><v>8</v></c><c r="C2" t="s"><v>9</v></c></row>`)
	good := patchZip(t, base, map[string][]byte{"xl/worksheets/sheet1.xml": ws, "xl/sharedStrings.xml": sstXML(headerSI + moreSI)})

	// The same worksheet part twice.
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		zw.Copy(f)
		if f.Name == "xl/worksheets/sheet1.xml" {
			w, _ := zw.Create(f.Name)
			w.Write(sheetXML(headerRow))
		}
	}
	zw.Close()
	compareXLSX(t, "duplicate part", "b.xlsx", out.Bytes(), Options{}, false, anyOutcome)
	if log := xlsxLog("b.xlsx", out.Bytes(), Options{}, false, false); !strings.Contains(log, "two parts named xl/worksheets/sheet1.xml") {
		t.Errorf("duplicate part: not refused:\n%s", log)
	}

	// A start tag with '>' in a quoted value (found in review: each '>' made
	// the reader parse the tag again). Quoted '>'s in the worksheet's root
	// are read through; an attribute of <sheetData> declines.
	gt := strings.Repeat(">", 5000)
	wsq := []byte(strings.Replace(string(ws), "<sheetData>", `<sheetData x="`+gt+`">`, 1))
	compareXLSX(t, "quoted > in sheetData", "b.xlsx", patchZip(t, good, map[string][]byte{"xl/worksheets/sheet1.xml": wsq}), Options{}, false, declined)
	wsr := []byte(strings.Replace(string(ws), `<dimension ref="A1:H9"/>`, `<dimension ref="A1:H9"/><sheetPr codeName="a`+gt+`"/>`, 1))
	compareXLSX(t, "quoted > before sheetData", "b.xlsx", patchZip(t, good, map[string][]byte{"xl/worksheets/sheet1.xml": wsr}), Options{}, false, anyOutcome)

	// Sheets named Batch and batch.
	var wb []byte
	for _, f := range zr.File {
		if f.Name == "xl/workbook.xml" {
			rc, _ := f.Open()
			wb, _ = io.ReadAll(rc)
			rc.Close()
		}
	}
	renamed := bytes.Replace(wb, []byte(`name="Second"`), []byte(`name="batch"`), 1)
	if bytes.Equal(renamed, wb) {
		t.Fatal("the base workbook has no sheet named Second")
	}
	// excelize itself picks between such sheets by map order, so both paths
	// refuse to read one of them.
	twins := patchZip(t, good, map[string][]byte{"xl/workbook.xml": renamed})
	for _, fast := range []bool{true, false} {
		if log := xlsxLog("b.xlsx", twins, Options{}, false, fast); !strings.Contains(log, `sheets named "Batch" and "batch", whose names differ only in case`) {
			t.Errorf("sheet names differing in case (fast %v): not refused:\n%s", fast, log)
		}
	}
	if log := xlsxLog("b.xlsx", twins, Options{Sheet: "Batch"}, false, true); !strings.Contains(log, "differ only in case") {
		t.Errorf("sheet names differing in case, --sheet Batch: not refused:\n%s", log)
	}
}

// workbookText is a workbook (as a string, for errorCases) whose first sheet
// holds rows and whose shared strings are headerSI+moreSI; extra replaces or
// adds parts.
func workbookText(rows []string, extra map[string][]byte) string {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "Batch")
	f.NewSheet("Second")
	var base bytes.Buffer
	if _, err := f.WriteTo(&base); err != nil {
		panic(err)
	}
	parts := map[string][]byte{"xl/worksheets/sheet1.xml": sheetXML(rows...), "xl/sharedStrings.xml": sstXML(headerSI + moreSI)}
	for k, v := range extra {
		parts[k] = v
	}
	t := &testing.T{}
	return string(patchZip(t, base.Bytes(), parts))
}

// strRow is a sheet row of str cells.
func strRow(r string, vals ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<row r="%s">`, r)
	for i, v := range vals {
		fmt.Fprintf(&b, `<c r="%c%s" t="str"><v>%s</v></c>`, 'A'+i, r, v)
	}
	b.WriteString(`</row>`)
	return b.String()
}

// zipText is a zip archive of the given files, as a string.
func zipText(files map[string]string) string {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, text := range files {
		w, _ := zw.Create(name)
		io.WriteString(w, text)
	}
	zw.Close()
	return b.String()
}

// TestXLSXDamagedBothPaths: every damaged workbook of errorCases is refused
// by the fast reader and by excelize alone, with the same errors (excelize's
// row iterator used to end such a sheet early, or merge or drop its rows,
// and report success).
func TestXLSXDamagedBothPaths(t *testing.T) {
	n := 0
	for _, c := range errorCases {
		if !strings.HasSuffix(c.file, ".xlsx") {
			continue
		}
		n++
		compareXLSX(t, c.name, c.file, []byte(c.text), c.opts, c.gold, anyOutcome)
		for _, fast := range []bool{true, false} {
			if log := xlsxLog(c.file, []byte(c.text), c.opts, c.gold, fast); !strings.Contains(log, "\ntext ") || strings.Contains(log, "\nrec ") && !fast {
				t.Errorf("%s (fast %v): not refused:\n%s", c.name, fast, log)
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d XLSX error cases", n)
	}
}

// TestXLSXEveryRowOrRefused: a bad entity in row 502 of 1,001 used to store
// 501 rows and report success; a sheet without damage reports every row.
func TestXLSXEveryRowOrRefused(t *testing.T) {
	rows := []string{headerRow}
	for i := 2; i <= 1001; i++ {
		v := fmt.Sprintf("ad-%d", i)
		if i == 502 {
			v = "ad&nbsp;502"
		}
		rows = append(rows, strRow(strconv.Itoa(i), v, "r1", "approve"))
	}
	bad := []byte(workbookText(rows, nil))
	rows[501] = strRow("502", "ad-502", "r1", "approve")
	good := []byte(workbookText(rows, nil))
	for _, fast := range []bool{true, false} {
		old := fastXLSX
		fastXLSX = fast
		n := 0
		_, err := ScanBytes(context.Background(), "b.xlsx", bad, Options{}, func(*Record) error { n++; return nil })
		if l, ok := AsList(err); !ok || len(l.Errs) != 1 || l.Errs[0].Row != 502 || !strings.Contains(l.Errs[0].Err.Error(), "&nbsp;") {
			t.Errorf("fast %v: a bad entity in row 502: %v", fast, err)
		}
		n = 0
		sum, err := ScanBytes(context.Background(), "b.xlsx", good, Options{}, func(*Record) error { n++; return nil })
		if err != nil || n != 1000 || sum.Rows != 1000 || sum.Records != 1000 {
			t.Errorf("fast %v: %d records, summary %+v, %v", fast, n, sum, err)
		}
		fastXLSX = old
	}
}

// TestXLSXRowNumberJumps: a 1.4 KB workbook with <row r="99999999999"> kept
// excelize's iterator stepping through row numbers for hours (r="1000000000"
// took 14 s), deaf to cancellation. Row numbers past Excel's last row are
// refused at once; a jump to the last row is stepped through quickly, and
// cancellation is checked while stepping.
func TestXLSXRowNumberJumps(t *testing.T) {
	for _, r := range []string{"99999999999", "1000000000", "1048577"} {
		data := []byte(workbookText([]string{headerRow, strRow("2", "ad-1", "r1", "ok"), strRow(r, "ad-2", "r1", "ok")}, nil))
		for _, fast := range []bool{true, false} {
			// Before, this ran for hours (the test's timeout catches that);
			// no wall-time bound here, the machine may be slow.
			log := xlsxLog("b.xlsx", data, Options{}, false, fast)
			if !strings.Contains(log, "past the last row a sheet can have") {
				t.Errorf("r=%s fast %v:\n%s", r, fast, log)
			}
		}
	}
	data := []byte(workbookText([]string{headerRow, strRow("2", "ad-1", "r1", "ok"), strRow("1048576", "ad-2", "r1", "ok")}, nil))
	for _, fast := range []bool{true, false} {
		old := fastXLSX
		fastXLSX = fast
		var rows []int
		_, err := ScanBytes(context.Background(), "b.xlsx", data, Options{}, func(r *Record) error { rows = append(rows, r.Row); return nil })
		if err != nil || len(rows) != 2 || rows[1] != 1048576 {
			t.Errorf("row 1048576, fast %v: rows %v, %v", fast, rows, err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		_, err = ScanBytes(ctx, "b.xlsx", data, Options{}, func(r *Record) error { cancel(); return nil })
		if err != context.Canceled {
			t.Errorf("row 1048576, fast %v: cancelled after the first record: %v", fast, err)
		}
		fastXLSX = old
	}
}

// leftovers lists the files and directories excelize and the XLSX reader
// leave in dir.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	var left []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && (strings.HasPrefix(d.Name(), "excelize-") || strings.HasPrefix(d.Name(), "labelqa-xlsx-")) {
			left = append(left, p)
		}
		return nil
	})
	return left
}

// TestXLSXTempFilesRemoved: excelize unpacks a worksheet over 16 MiB to a
// temporary file. A cancelled read, a failed one, a panic in the callback,
// an open excelize fails part-way and a hand-over the check refuses must all
// remove it (a cancelled import
// left a 158 MB /tmp/excelize-* file behind).
func TestXLSXTempFilesRemoved(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 24,000-row workbook")
	}
	p := writeBenchXLSX(t, 24000) // a 19 MB worksheet
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	// The same workbook with its styles part stored and one byte of it
	// changed: excelize's open fails on the checksum after it unpacked the
	// worksheet to a temporary file, and returns no File to close.
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name != "xl/styles.xml" {
			zw.Copy(f)
			continue
		}
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Store})
		w.Write(b)
	}
	zw.Close()
	corrupt := out.Bytes()
	i := bytes.Index(corrupt, []byte("<styleSheet"))
	if i < 0 {
		t.Fatal("no styles part")
	}
	corrupt = append([]byte(nil), corrupt...)
	corrupt[i+1] = 'S'
	bad := filepath.Join(t.TempDir(), "bad.xlsx")
	if err := os.WriteFile(bad, corrupt, 0o644); err != nil {
		t.Fatal(err)
	}

	// The same sheet with an undefined entity in its last row: the fast
	// reader hands over there, and the check refuses the sheet.
	var sheet []byte
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			rc, _ := f.Open()
			sheet, _ = io.ReadAll(rc)
			rc.Close()
		}
	}
	k := bytes.LastIndex(sheet, []byte("</row>"))
	if k < 0 {
		t.Fatal("no rows")
	}
	sheet = append(append(append([]byte(nil), sheet[:k]...), "&nbsp;"...), sheet[k:]...)
	damaged := filepath.Join(t.TempDir(), "damaged.xlsx")
	if err := os.WriteFile(damaged, patchZip(t, data, map[string][]byte{"xl/worksheets/sheet1.xml": sheet}), 0o644); err != nil {
		t.Fatal(err)
	}

	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	h0 := fastXLSXStats.handedOver.Load()
	_, err = Scan(context.Background(), damaged, Options{}, func(r *Record) error { return nil })
	if l, ok := AsList(err); !ok || !strings.Contains(l.Error(), "&nbsp;") || fastXLSXStats.handedOver.Load() == h0 {
		t.Errorf("damaged last row: %v", err)
	}
	if left := leftovers(t, tmp); len(left) > 0 {
		t.Errorf("a refused hand-over left %v", left)
	}
	for _, fast := range []bool{true, false} {
		old := fastXLSX
		fastXLSX = fast
		ctx, cancel := context.WithCancel(context.Background())
		n := 0
		_, err := Scan(ctx, p, Options{}, func(r *Record) error {
			if n++; n == 1500 {
				cancel()
			}
			return nil
		})
		if err != context.Canceled {
			t.Errorf("fast %v: cancelled read: %v", fast, err)
		}
		if left := leftovers(t, tmp); len(left) > 0 {
			t.Errorf("fast %v: a cancelled read left %v", fast, left)
		}
		_, err = Scan(context.Background(), p, Options{}, func(r *Record) error { return fmt.Errorf("disk full") })
		if err == nil {
			t.Errorf("fast %v: the callback's error was lost", fast)
		}
		if left := leftovers(t, tmp); len(left) > 0 {
			t.Errorf("fast %v: a failed read left %v", fast, left)
		}
		_, err = Scan(context.Background(), p, Options{}, func(r *Record) error { panic("bug") })
		if err == nil || !strings.Contains(err.Error(), "bug") {
			t.Errorf("fast %v: a panic in the callback: %v", fast, err)
		}
		if left := leftovers(t, tmp); len(left) > 0 {
			t.Errorf("fast %v: a panic left %v", fast, left)
		}
		_, err = Scan(context.Background(), bad, Options{}, func(r *Record) error { return nil })
		if err == nil {
			t.Errorf("fast %v: a bad checksum was not noticed", fast)
		}
		t.Logf("fast %v: %v", fast, err)
		if left := leftovers(t, tmp); len(left) > 0 {
			t.Errorf("fast %v: a failed open left %v (%v)", fast, left, err)
		}
		fastXLSX = old
	}
}

// TestXLSXNestedCell: excelize ends a cell at the end of a cell inside it, so
// a sheet with one is refused on both paths.
func TestXLSXNestedCell(t *testing.T) {
	data := []byte(workbookText([]string{headerRow, `<row r="2"><c r="A2" t="str"><x><c r="B2"><v>r1</v></c></x><v>ad-1</v></c><c r="C2" t="str"><v>ok</v></c></row>`}, nil))
	compareXLSX(t, "nested cell", "b.xlsx", data, Options{}, false, handedOver)
	if log := xlsxLog("b.xlsx", data, Options{}, false, false); !strings.Contains(log, "the cell holds another c element") {
		t.Errorf("not refused:\n%s", log)
	}
	// An inner sheetData ended excelize's row there, dropping the cells after it.
	data = []byte(workbookText([]string{headerRow, `<row r="2"><c r="A2" t="str"><v>ad-1</v></c><x:sheetData xmlns:x="urn:x"/><c r="B2" t="str"><v>r1</v></c><c r="C2" t="str"><v>ok</v></c></row>`}, nil))
	compareXLSX(t, "inner sheetData", "b.xlsx", data, Options{}, false, handedOver)
	if log := xlsxLog("b.xlsx", data, Options{}, false, false); !strings.Contains(log, "sheetData element inside its rows") {
		t.Errorf("not refused:\n%s", log)
	}
}

// TestXLSXCheckDecodesLikeExcelize: the sheet check reads <v> and <f> by hand,
// and must accept, refuse and read them as DecodeElement does for excelize.
func TestXLSXCheckDecodesLikeExcelize(t *testing.T) {
	for _, in := range []string{`<v>a<b>x</b>c</v>`, `<v>a<!--x-->b<?p q?>c</v>`, `<v><![CDATA[<x>]]>y</v>`, `<f ca="maybe">x</f>`, `<f si=" 3 ">x</f>`, `<f si="">x</f>`, `<f x:ca="2" xmlns:x="u">x</f>`, `<f si="99999999999999999999">x</f>`, `<f aca="true" ca=" 1 " bx="0">x<y/></f>`, `<v>a</x>`} {
		d1 := xml.NewDecoder(strings.NewReader(in))
		tok, _ := d1.Token()
		st := tok.(xml.StartElement)
		var e1 error
		var v1 string
		if st.Name.Local == "v" {
			e1 = d1.DecodeElement(&v1, &st)
		} else {
			e1 = d1.DecodeElement(&chkF{}, &st)
		}
		d2 := xml.NewDecoder(strings.NewReader(in))
		tok, _ = d2.Token()
		st = tok.(xml.StartElement)
		var e2 error
		var v2 string
		if st.Name.Local == "v" {
			v2, e2 = elementText(d2)
		} else if e2 = formulaAttrs(st.Attr); e2 == nil {
			e2 = d2.Skip()
		}
		if v1 != v2 || (e1 == nil) != (e2 == nil) || e1 != nil && e1.Error() != e2.Error() {
			t.Errorf("%s: %q %v / %q %v", in, v1, e1, v2, e2)
		}
	}
}
