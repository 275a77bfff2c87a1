package report

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"labelqa/app/targets"
)

// Kind is how a column's values are stored and shown.
type Kind int

// Column kinds. Numbers are stored as numbers; the kind gives the number
// format (in the workbook's language).
const (
	KText    Kind = iota // a string cell, whatever it holds (never a formula)
	KInt                 // #,##0
	KPct                 // a proportion shown as 0.0%
	KDec2                // 0.00
	KDec3                // 0.000 (coefficients)
	KSeconds             // 0.0 (seconds)
	KDate                // a date in the language's form
	KWeek                // an ISO week, as text (2025-W11)
	KStatus              // red / amber / green, as text, coloured
)

// Col is one column of a Table.
type Col struct {
	Head  string
	Kind  Kind
	Width float64 // 0: fitted to the values
}

// Formatted is a value shown with another kind than its column's (the
// Summary's figures mix percentages, coefficients and seconds in one
// column).
type Formatted struct {
	V    any
	Kind Kind
}

// As returns v shown as kind k.
func As(k Kind, v any) Formatted { return Formatted{v, k} }

// ChartKind is a native chart's type.
type ChartKind int

// Chart types.
const (
	Line   ChartKind = iota // trends over weeks
	Bar                     // horizontal bars
	Column                  // vertical bars
	Pareto                  // columns of counts and a cumulative-share line on a secondary axis
)

// Chart is a native chart over a Table's columns: categories from column
// Cat, one series per column in Series (named by its heading).
type Chart struct {
	Kind    ChartKind
	Title   string
	Table   *Table
	Cat     int
	Series  []int
	Percent bool // the values are proportions: the value axis shows 0%
	// Cumulative is Pareto's cumulative-share column (a proportion), drawn
	// as a line on a secondary 0–100% axis.
	Cumulative int
}

type blockKind int

const (
	bTitle blockKind = iota
	bHeading
	bNote
	bGap
	bPair
	bFinding
	bTable
	bChart
)

type block struct {
	kind  blockKind
	text  string
	value string
	table *Table
	chart *Chart
}

// chartRows is how many rows a chart takes (300 px at 20 px a row, and a
// margin).
const chartRows = 17

// Sheet is one worksheet: blocks laid out top to bottom.
type Sheet struct {
	w      *Workbook
	name   string
	blocks []block
}

// Title adds the sheet's title line.
func (s *Sheet) Title(text string) { s.blocks = append(s.blocks, block{kind: bTitle, text: text}) }

// Heading adds a section heading.
func (s *Sheet) Heading(text string) { s.blocks = append(s.blocks, block{kind: bHeading, text: text}) }

// Note adds a line of explanation (wrapped across the sheet's width).
func (s *Sheet) Note(text string) { s.blocks = append(s.blocks, block{kind: bNote, text: text}) }

// Gap adds an empty row.
func (s *Sheet) Gap() { s.blocks = append(s.blocks, block{kind: bGap}) }

// Pair adds a "label: value" line (label in column A, value in B).
func (s *Sheet) Pair(label, value string) {
	s.blocks = append(s.blocks, block{kind: bPair, text: label, value: value})
}

// Chart adds a native chart at this place of the sheet.
func (s *Sheet) Chart(c Chart) {
	s.blocks = append(s.blocks, block{kind: bChart, chart: &c})
}

// Name is the sheet's name.
func (s *Sheet) Name() string { return s.name }

// Table adds a table: an Excel table (autofilter, structured name) with a
// frozen header when it is the sheet's first. name is an identifier
// (letters, digits, _), unique in the workbook.
func (s *Sheet) Table(name string, cols ...Col) *Table {
	t := &Table{sheet: s, name: s.w.tableName(name), cols: cols}
	s.blocks = append(s.blocks, block{kind: bTable, table: t})
	return t
}

// Table is a block of rows under a header row.
type Table struct {
	sheet   *Sheet
	name    string
	cols    []Col
	rows    [][]any
	colorBy [][2]int
	heat    [][2]int
	// heatErrors are confusion matrices (HeatMapErrors).
	heatErrors [][2]int
	lists      map[int][]string
	header     int // 1-based row of the header, set by layout
	// keys are how many leading columns name a row; editable the columns
	// the reader fills in.
	keys     int
	editable map[int]bool
}

// Keys says the first n columns name a row (vendor, queue, week; an
// item): on the sheet's first table they stay in sight while scrolling
// right and print on every page.
func (t *Table) Keys(n int) { t.keys = max(0, min(n, len(t.cols))) }

// Editable makes cols the columns the reader fills in: unlocked and
// tinted, the rest of the sheet protected (without a password) against
// slips.
func (t *Table) Editable(cols ...int) {
	if t.editable == nil {
		t.editable = map[int]bool{}
	}
	for _, c := range cols {
		t.editable[c] = true
	}
}

// Row appends a row: string (always a string cell), int, float64 (NaN and
// ±Inf: blank), time.Time, targets.Status, bool, Formatted, nil (blank).
func (t *Table) Row(values ...any) {
	if len(values) > len(t.cols) {
		panic(fmt.Sprintf("report: table %s has %d columns, row has %d values", t.name, len(t.cols), len(values)))
	}
	t.rows = append(t.rows, values)
}

// Len is the number of rows.
func (t *Table) Len() int { return len(t.rows) }

// ColorBy colours valueCol (and statusCol itself) red, amber or green by
// the status in statusCol, with conditional formats.
func (t *Table) ColorBy(valueCol, statusCol int) {
	t.colorBy = append(t.colorBy, [2]int{valueCol, statusCol})
}

// HeatMap shades the numbers of columns fromCol..toCol from white (lowest)
// to red (highest), with a colour-scale conditional format.
func (t *Table) HeatMap(fromCol, toCol int) { t.heat = append(t.heat, [2]int{fromCol, toCol}) }

// HeatMapErrors shades a confusion matrix whose row i has its diagonal in
// column fromCol+i: the off-diagonal cells (the errors) from white to red
// among themselves, the diagonal (the agreements) green, so that the
// errors are not drowned by the far larger counts of right answers.
func (t *Table) HeatMapErrors(fromCol, toCol int) {
	t.heatErrors = append(t.heatErrors, [2]int{fromCol, toCol})
}

// DataList makes col a drop-down of values (a blank is allowed) on every
// row, with data validation.
func (t *Table) DataList(col int, values []string) {
	if t.lists == nil {
		t.lists = map[int][]string{}
	}
	t.lists[col] = values
}

// Cell is the A1 reference of a data cell (row 0 is the first data row).
// It holds once the blocks above the table are complete; on the Summary
// the framework's own lines come first, so use it on other sheets.
func (t *Table) Cell(row, col int) string {
	t.sheet.layout()
	return cellName(col, t.header+1+row)
}

// layout places every block: tables learn their header row.
func (s *Sheet) layout() int {
	r := 1
	for _, b := range s.blocks {
		switch b.kind {
		case bTable:
			b.table.header = r
			n := len(b.table.rows)
			if n == 0 {
				n = 1 // the "no rows" line
			}
			r += n + 1
		case bChart:
			r += chartRows
		default:
			r++
		}
	}
	return r
}

// Figure is one key figure of the Summary.
type Figure struct {
	Key       string // the metric (a target metric or definition key): names the cell
	Label     string
	Kind      Kind
	Value     float64
	Low, High float64 // the interval; NaN: none
	Target    float64 // NaN: none
	Status    targets.Status
	N         int // the count the figure rests on; 0: none shown
}

// Summary is the first sheet: the framework writes the title, period,
// scope and filters, then the key figures and findings, then what the
// builder adds (charts, tables).
type Summary struct {
	*Sheet
	figures  []Figure
	findings []string
	figTable *Table // the key figures, once laid out
}

// Figure adds a key figure.
func (s *Summary) Figure(f Figure) { s.figures = append(s.figures, f) }

// Finding adds one plain sentence.
func (s *Summary) Finding(sentence string) { s.findings = append(s.findings, sentence) }

// Workbook is a workbook being laid out by a builder.
type Workbook struct {
	kind    string
	in      *Input
	lang    Lang
	summary *Summary
	sheets  []*Sheet
	defs    []string
	tables  map[string]bool
	names   map[string]bool
}

func newWorkbook(kind string, in *Input) *Workbook {
	w := &Workbook{kind: kind, in: in, lang: in.Lang, tables: map[string]bool{}, names: map[string]bool{}}
	w.summary = &Summary{Sheet: &Sheet{w: w, name: w.T("sheet.summary")}}
	w.sheets = []*Sheet{w.summary.Sheet}
	return w
}

// Lang is the workbook's language.
func (w *Workbook) Lang() Lang { return w.lang }

// Kind is the workbook's kind (kpi, rca, audit, vendor).
func (w *Workbook) Kind() string { return w.kind }

// T returns key's text in the workbook's language, filled with args. A key
// nobody registered is a programming error; it shows as the key itself so
// that a workbook is still written, and the test of every text catches it.
func (w *Workbook) T(key string, args ...any) string {
	s, ok := Text(key, w.lang)
	if !ok {
		s = key
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Pct formats a proportion as a percentage for a sentence (93.1%).
func (w *Workbook) Pct(v float64) string { return w.lang.formatPct(v) }

// Num formats a number with the language's separators.
func (w *Workbook) Num(v float64, decimals int) string { return w.lang.formatNum(v, decimals) }

// Date formats a date for a sentence.
func (w *Workbook) Date(t time.Time) string { return w.lang.formatDate(t) }

// Summary is the first sheet.
func (w *Workbook) Summary() *Summary { return w.summary }

// Sheet adds a sheet after those added before; name is shown as given
// (translated by the caller), made valid and unique.
func (w *Workbook) Sheet(name string) *Sheet {
	s := &Sheet{w: w, name: w.sheetName(name)}
	w.sheets = append(w.sheets, s)
	return s
}

// Define lists metrics on the Definitions sheet (each once, in order).
func (w *Workbook) Define(keys ...string) {
	for _, k := range keys {
		if !slices.Contains(w.defs, k) {
			w.defs = append(w.defs, k)
		}
	}
}

// sheetName makes name a valid, unique sheet name: no []:*?/\, no leading
// or trailing quote, at most 31 characters.
func (w *Workbook) sheetName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) || r < 0x20 {
			return '-'
		}
		return r
	}, name)
	name = strings.Trim(strings.TrimSpace(name), "'")
	if name == "" {
		name = "Sheet"
	}
	name = truncateRunes(name, 31)
	base := name
	for i := 2; ; i++ {
		taken := false
		for _, s := range w.sheets {
			if strings.EqualFold(s.name, name) {
				taken = true
			}
		}
		if !taken {
			return name
		}
		suffix := fmt.Sprintf(" (%d)", i)
		name = truncateRunes(base, 31-len(suffix)) + suffix
	}
}

// tableName makes name a valid, unique Excel table name.
func (w *Workbook) tableName(name string) string {
	name = identifier(name)
	base := name
	for i := 2; w.tables[strings.ToLower(name)]; i++ {
		name = fmt.Sprintf("%s_%d", base, i)
	}
	w.tables[strings.ToLower(name)] = true
	return name
}

// identifier keeps letters, digits and _ of s, starting with a letter or
// _, and never looking like a cell reference (A1, R1C1).
func identifier(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_'):
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '.':
			b.WriteByte('_')
		}
	}
	out := b.String()
	if out == "" || out[0] >= '0' && out[0] <= '9' {
		out = "T_" + out
	}
	if looksLikeCell(out) {
		out = "T_" + out
	}
	return truncateRunes(out, 200)
}

// looksLikeCell tells names Excel would read as a cell (letters then
// digits, or R/C forms).
func looksLikeCell(s string) bool {
	u := strings.ToUpper(s)
	i := 0
	for i < len(u) && u[i] >= 'A' && u[i] <= 'Z' {
		i++
	}
	if i > 0 && i <= 3 && i < len(u) {
		j := i
		for j < len(u) && u[j] >= '0' && u[j] <= '9' {
			j++
		}
		if j == len(u) {
			return true
		}
	}
	return u == "R" || u == "C" || strings.HasPrefix(u, "R") && strings.ContainsAny(u, "0123456789") && !strings.Contains(u, "_")
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n])
}

// maxCellChars is Excel's limit on a cell's text.
const maxCellChars = 32767

// cleanText makes input text safe for a cell: characters XML 1.0 cannot
// hold become U+FFFD, and text beyond Excel's 32,767 characters is cut
// with an ellipsis (a longer cell makes Excel report a damaged file).
func cleanText(s string) string {
	ok := utf8.ValidString(s)
	for _, r := range s {
		if !xmlChar(r) {
			ok = false
			break
		}
	}
	if !ok {
		var b strings.Builder
		for _, r := range s {
			if !xmlChar(r) {
				r = '\uFFFD'
			}
			b.WriteRune(r)
		}
		s = b.String()
	}
	if utf16Len(s) > maxCellChars {
		// Excel counts UTF-16 units; a rune outside the BMP takes two.
		units, cut := 0, 0
		for i, r := range s {
			n := 1
			if r > 0xFFFF {
				n = 2
			}
			if units+n > maxCellChars-1 {
				cut = i
				break
			}
			units += n
		}
		s = s[:cut] + "…"
	}
	return s
}

// utf16Len is the length of s in UTF-16 units, as Excel counts a cell.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r > 0xFFFF {
			n++
		}
	}
	return n
}

func xmlChar(r rune) bool {
	return r == 0x9 || r == 0xA || r == 0xD || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// cellName is the A1 name of a 0-based column and 1-based row.
func cellName(col, row int) string { return colName(col) + fmt.Sprint(row) }

func colName(col int) string {
	s := ""
	for col++; col > 0; col = (col - 1) / 26 {
		s = string(rune('A'+(col-1)%26)) + s
	}
	return s
}

// undefined reports a number a cell leaves blank.
func undefined(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
