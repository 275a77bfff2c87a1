package report

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"labelqa/app/targets"
)

// styleKey names one cell style of a workbook.
type styleKey struct {
	kind     Kind
	role     int // roleCell, roleHeader, ...
	wrap     bool
	unlocked bool // a cell the reader fills in on a protected sheet
}

const (
	roleCell = iota
	roleHeader
	roleTitle
	roleHeading
	roleNote
	roleLabel
	roleFinding
)

// renderer turns a laid-out Workbook into an excelize file.
type renderer struct {
	w      *Workbook
	f      *excelize.File
	styles map[styleKey]int
	rag    [3]int // conditional styles: green, amber, red
	lists  int    // rows used on the hidden Lists sheet
	listsN string // its name
}

const (
	pageWidth = 190.0 // characters of columns a landscape A4 page shows readably
	minWidth  = 8.0
	maxWidth  = 60.0
	chartW    = 720
	chartH    = 320
	headerFil = "#DDEBF7"
)

// numFmt is the number format of a kind in the workbook's language.
func (r *renderer) numFmt(k Kind) string {
	loc := r.w.lang.locale()
	switch k {
	case KInt:
		return loc + "#,##0"
	case KPct:
		return loc + "0.0%"
	case KDec2:
		return loc + "0.00"
	case KDec3:
		return loc + "0.000"
	case KSeconds:
		return loc + "0.0"
	case KDate:
		return loc + r.w.lang.dateFormat()
	}
	return ""
}

func (r *renderer) style(k styleKey) (int, error) {
	if id, ok := r.styles[k]; ok {
		return id, nil
	}
	st := &excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: k.wrap}}
	if k.unlocked {
		st.Protection = &excelize.Protection{Locked: false}
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#FFFDE7"}} // where to write
	}
	switch k.role {
	case roleHeader:
		st.Font = &excelize.Font{Bold: true}
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{headerFil}}
		st.Border = []excelize.Border{{Type: "bottom", Color: "#5B9BD5", Style: 1}}
		st.Alignment = &excelize.Alignment{Vertical: "center", WrapText: true}
		if k.kind != KText && k.kind != KWeek {
			st.Alignment.Horizontal = "right"
		} else {
			st.Alignment.Horizontal, st.Alignment.Indent = "left", 1 // an indent needs an explicit alignment
		}
	case roleTitle:
		st.Font = &excelize.Font{Bold: true, Size: 16, Color: "#1F4E79"}
	case roleHeading:
		st.Font = &excelize.Font{Bold: true, Size: 12, Color: "#1F4E79"}
	case roleNote:
		st.Font = &excelize.Font{Italic: true, Color: "#404040"}
		st.Alignment.WrapText = true
	case roleLabel:
		st.Font = &excelize.Font{Bold: true}
	case roleFinding:
		st.Alignment.WrapText = true
	default:
		if f := r.numFmt(k.kind); f != "" {
			st.CustomNumFmt = &f
		}
		if k.kind == KText || k.kind == KWeek {
			// A little room after a right-aligned number in the column before
			// (an indent needs an explicit alignment).
			st.Alignment.Horizontal, st.Alignment.Indent = "left", 1
		}
		if k.kind == KStatus {
			st.Font = &excelize.Font{Bold: true}
			st.Alignment.Horizontal = "center"
		}
	}
	id, err := r.f.NewStyle(st)
	if err != nil {
		return 0, err
	}
	r.styles[k] = id
	return id, nil
}

// render writes the workbook: the framework's sheets, then each sheet's
// blocks, then the workbook-wide parts.
func (w *Workbook) render(ctx context.Context) (*excelize.File, error) {
	w.addSummaryHead()
	if err := w.addDefinitions(); err != nil {
		return nil, err
	}
	if err := w.addSources(ctx); err != nil {
		return nil, err
	}
	f := excelize.NewFile()
	r := &renderer{w: w, f: f, styles: map[styleKey]int{}}
	ok := false
	defer func() {
		if !ok {
			f.Close()
		}
	}()
	for i, c := range []struct{ fill, font string }{{"#C6EFCE", "#006100"}, {"#FFEB9C", "#9C5700"}, {"#FFC7CE", "#9C0006"}} {
		id, err := f.NewConditionalStyle(&excelize.Style{
			Font: &excelize.Font{Color: c.font},
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c.fill}}})
		if err != nil {
			return nil, err
		}
		r.rag[i] = id
	}
	for i, s := range w.sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			return nil, err
		}
	}
	for _, s := range w.sheets {
		if err := r.sheet(ctx, s); err != nil {
			return nil, fmt.Errorf("sheet %s: %w", s.name, err)
		}
	}
	if err := r.workbookParts(); err != nil {
		return nil, err
	}
	f.SetActiveSheet(0)
	ok = true
	return f, nil
}

// sheet writes one sheet's blocks.
func (r *renderer) sheet(ctx context.Context, s *Sheet) error {
	f, name := r.f, s.name
	s.layout()
	widths := r.widths(s)
	for c, wd := range widths {
		if err := f.SetColWidth(name, colName(c), colName(c), wd); err != nil {
			return err
		}
	}
	// Notes, findings and values span the columns of the first printed
	// page (pageWidth characters), so that no sentence runs off it.
	total := 0.0
	for _, w := range widths {
		total += w
	}
	perPage := total / math.Max(1, math.Ceil(total/pageWidth))
	if s == r.w.summary.Sheet {
		perPage = math.Inf(1) // the Summary is fitted to one page whatever its width
	}
	span, spanWidth := 0, 0.0
	for c := 0; c < len(widths)+12; c++ {
		w, limit := 9.0, perPage*0.85
		if c < len(widths) {
			w = widths[c]
		} else {
			// Past the last column, a narrow sheet's sentences get room
			// without widening what prints.
			limit = math.Max(math.Min(limit, 80), spanWidth)
		}
		if c > 0 && spanWidth+w > limit {
			break
		}
		span, spanWidth = c+1, spanWidth+w
	}
	row := 1
	frozen, printTitles, protected := false, false, false
	for _, b := range s.blocks {
		if err := ctx.Err(); err != nil {
			return err
		}
		switch b.kind {
		case bTitle, bHeading:
			role := roleTitle
			if b.kind == bHeading {
				role = roleHeading
			}
			if err := r.text(name, row, b.text, role); err != nil {
				return err
			}
			h := 21.0
			if role == roleTitle {
				h = 26
			}
			if err := f.SetRowHeight(name, row, h); err != nil {
				return err
			}
			row++
		case bNote, bFinding:
			role, text := roleNote, b.text
			if b.kind == bFinding {
				role, text = roleFinding, "• "+b.text
			}
			if err := r.text(name, row, text, role); err != nil {
				return err
			}
			if err := f.MergeCell(name, cellName(0, row), cellName(span-1, row)); err != nil {
				return err
			}
			if err := f.SetRowHeight(name, row, wrappedHeight(text, spanWidth)); err != nil {
				return err
			}
			row++
		case bGap:
			row++
		case bPair:
			if err := r.text(name, row, b.text, roleLabel); err != nil {
				return err
			}
			if err := f.SetCellStr(name, cellName(1, row), cleanText(b.value)); err != nil {
				return err
			}
			if err := f.MergeCell(name, cellName(1, row), cellName(span-1, row)); err != nil {
				return err
			}
			row++
		case bTable:
			t := b.table
			if err := r.table(ctx, t, widths); err != nil {
				return err
			}
			if !frozen && len(t.rows) > 0 {
				// The heading, and the columns that name a row (Keys), stay
				// in sight while scrolling.
				frozen = true
				panes := &excelize.Panes{Freeze: true, YSplit: t.header,
					TopLeftCell: cellName(t.keys, t.header+1), ActivePane: "bottomLeft"}
				if t.keys > 0 {
					panes.XSplit, panes.ActivePane = t.keys, "bottomRight"
				}
				if err := f.SetPanes(name, panes); err != nil {
					return err
				}
			}
			if !printTitles && len(t.rows) > 0 && s != r.w.summary.Sheet {
				// Long tables print their heading (and key columns) on every
				// page; the Summary is one page.
				printTitles = true
				ref := fmt.Sprintf("%s!$%d:$%d", quoteSheet(name), t.header, t.header)
				if t.keys > 0 {
					ref = fmt.Sprintf("%s!$A:$%s,%s", quoteSheet(name), colName(t.keys-1), ref)
				}
				if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: name, RefersTo: ref}); err != nil {
					return err
				}
			}
			if len(t.editable) > 0 && !protected {
				// Only the columns the reader fills in can be changed (no
				// password: it guards against slips, the import checks the rest).
				protected = true
				if err := f.ProtectSheet(name, &excelize.SheetProtectionOptions{AutoFilter: true, Sort: true,
					FormatColumns: true, FormatRows: true, SelectLockedCells: true, SelectUnlockedCells: true}); err != nil {
					return err
				}
			}
			n := len(t.rows)
			if n == 0 {
				n = 1
			}
			row += n + 1
		case bChart:
			if err := r.chart(name, row, b.chart); err != nil {
				return err
			}
			row += chartRows
		}
	}
	return r.pageSetup(s, widths)
}

// wrappedHeight estimates the height (points) of a wrapped line of text
// in a merged cell width characters wide.
func wrappedHeight(text string, width float64) float64 {
	return 15*textLines(text, width) + 3
}

// textLines estimates the lines text takes wrapped in a column width
// characters wide (a word does not break, so a line holds a little less
// than the width; explicit line breaks start lines).
func textLines(text string, width float64) float64 {
	n := 0.0
	for _, part := range strings.Split(text, "\n") {
		chars := float64(utf8.RuneCountInString(part))
		n += math.Max(1, math.Ceil(chars*1.15/math.Max(width-1, 5)))
	}
	return n
}

func quoteSheet(name string) string { return "'" + strings.ReplaceAll(name, "'", "''") + "'" }

func (r *renderer) text(sheet string, row int, text string, role int) error {
	cell := cellName(0, row)
	if err := r.f.SetCellStr(sheet, cell, cleanText(text)); err != nil {
		return err
	}
	id, err := r.style(styleKey{role: role})
	if err != nil {
		return err
	}
	return r.f.SetCellStyle(sheet, cell, cell, id)
}

// widths fits each column to its tables' headings and values.
func (r *renderer) widths(s *Sheet) []float64 {
	var need []float64
	set := func(c int, v float64) {
		for len(need) <= c {
			need = append(need, minWidth)
		}
		if v > need[c] {
			need[c] = v
		}
	}
	for _, b := range s.blocks {
		switch b.kind {
		case bPair:
			// The value spans the columns to its right; only the label sizes column A.
			set(0, float64(utf8.RuneCountInString(b.text))+2)
		case bTable:
			t := b.table
			for c, col := range t.cols {
				if col.Width > 0 {
					set(c, col.Width)
					continue
				}
				cells := 0.0
				for _, row := range t.rows {
					if c < len(row) {
						cells = math.Max(cells, r.displayLen(row[c], col.Kind))
					}
				}
				head := float64(utf8.RuneCountInString(col.Head))
				w := math.Max(cells, head)
				if head > cells && head > 14 {
					// Headings wrap onto two lines rather than widen a column of
					// short numbers, but never inside a word.
					w = math.Max(cells, math.Max(math.Ceil(head/2)+1, longestWord(col.Head)))
				}
				set(c, math.Min(w+2, maxWidth))
			}
		}
	}
	return need
}

// longestWord is the length of the longest space-separated word of s.
func longestWord(s string) float64 {
	n := 0
	for _, f := range strings.Fields(s) {
		n = max(n, utf8.RuneCountInString(f))
	}
	return float64(n)
}

// displayLen estimates how many characters a value takes.
func (r *renderer) displayLen(v any, k Kind) float64 {
	if fv, ok := v.(Formatted); ok {
		v, k = fv.V, fv.Kind
	}
	switch x := v.(type) {
	case nil:
		return 0
	case string:
		return float64(utf8.RuneCountInString(x))
	case targets.Status:
		return float64(utf8.RuneCountInString(r.status(x))) + 1
	case time.Time:
		return 10
	case bool:
		return 4
	}
	f, ok := number(v)
	if !ok || undefined(f) {
		return 0
	}
	switch k {
	case KPct:
		return 7
	case KDec2, KSeconds:
		return float64(len(strconv.FormatFloat(math.Abs(f), 'f', 2, 64))) + 2
	case KDec3:
		return float64(len(strconv.FormatFloat(math.Abs(f), 'f', 3, 64))) + 1
	case KInt:
		d := float64(len(strconv.FormatInt(int64(math.Abs(f)), 10)))
		return d + math.Floor((d-1)/3) + 1
	}
	return float64(len(strconv.FormatFloat(f, 'g', 6, 64)))
}

// number reads the numeric values a Row may hold.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case int32:
		return float64(x), true
	case int64:
		return float64(x), true
	case uint64:
		return float64(x), true
	case float64:
		return x, true
	case float32:
		return float64(x), true
	}
	return 0, false
}

func (r *renderer) status(s targets.Status) string {
	switch s {
	case targets.Green:
		return r.w.T("status.green")
	case targets.Amber:
		return r.w.T("status.amber")
	case targets.Red:
		return r.w.T("status.red")
	}
	return ""
}

// excelTime is a time as Excel's serial day number (1900 date system,
// UTC).
func excelTime(t time.Time) float64 {
	return float64(t.UTC().UnixMilli())/86400000 + 25569
}

// table writes a table's header and rows, its styles, conditional
// formats, data validation, and makes it an Excel table.
func (r *renderer) table(ctx context.Context, t *Table, widths []float64) error {
	f, sheet := r.f, t.sheet.name
	hdr := make([]any, len(t.cols))
	seen := map[string]int{}
	for c, col := range t.cols {
		h := cleanText(strings.TrimSpace(col.Head))
		if h == "" {
			h = fmt.Sprintf("(%d)", c+1)
		}
		// Excel table headings must be unique.
		if n := seen[strings.ToLower(h)]; n > 0 {
			h = fmt.Sprintf("%s (%d)", h, n+1)
		}
		seen[strings.ToLower(h)]++
		hdr[c] = h
	}
	if err := f.SetSheetRow(sheet, cellName(0, t.header), &hdr); err != nil {
		return err
	}
	for c, col := range t.cols {
		id, err := r.style(styleKey{kind: col.Kind, role: roleHeader})
		if err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, cellName(c, t.header), cellName(c, t.header), id); err != nil {
			return err
		}
	}
	// Headings wrap (roleHeader): give the header row the lines its
	// longest heading takes, as spreadsheets do not grow it on opening.
	hdrLines := 1.0
	for c, h := range hdr {
		if c < len(widths) {
			hdrLines = math.Max(hdrLines, textLines(h.(string), widths[c]))
		}
	}
	if hdrLines > 1 {
		if err := f.SetRowHeight(sheet, t.header, 15*math.Min(hdrLines, 4)+2); err != nil {
			return err
		}
	}
	first, last := t.header+1, t.header+len(t.rows)
	if len(t.rows) == 0 {
		return r.text(sheet, first, r.w.T("table.empty"), roleNote)
	}
	wrapCol := make([]bool, len(t.cols))
	for c, col := range t.cols {
		if col.Kind == KText {
			for _, row := range t.rows {
				if c < len(row) {
					if s, ok := row[c].(string); ok && float64(utf8.RuneCountInString(s)) > widths[c]-1 {
						wrapCol[c] = true
						break
					}
				}
			}
		}
	}
	wrapped := false
	for _, wc := range wrapCol {
		wrapped = wrapped || wc
	}
	// Column styles first; cells of another kind (Formatted) after.
	for c, col := range t.cols {
		id, err := r.style(styleKey{kind: col.Kind, wrap: wrapCol[c], unlocked: t.editable[c]})
		if err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, cellName(c, first), cellName(c, last), id); err != nil {
			return err
		}
	}
	vals := make([]any, len(t.cols))
	for i, row := range t.rows {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rowN := first + i
		for c := range vals {
			vals[c] = nil
			if c >= len(row) {
				continue
			}
			v, k := row[c], t.cols[c].Kind
			if fv, ok := v.(Formatted); ok {
				v, k = fv.V, fv.Kind
				id, err := r.style(styleKey{kind: k})
				if err != nil {
					return err
				}
				if err := f.SetCellStyle(sheet, cellName(c, rowN), cellName(c, rowN), id); err != nil {
					return err
				}
			}
			vals[c] = r.cellValue(v, k)
		}
		if err := f.SetSheetRow(sheet, cellName(0, rowN), &vals); err != nil {
			return err
		}
		if wrapped {
			// Spreadsheets do not grow a row for wrapped text on opening: give it its lines.
			lines := 1.0
			for c, v := range vals {
				if s, ok := v.(string); ok && wrapCol[c] {
					lines = math.Max(lines, textLines(s, widths[c]))
				}
			}
			if lines > 1 {
				if err := f.SetRowHeight(sheet, rowN, 15*math.Min(lines, 26)+2); err != nil {
					return err
				}
			}
		}
	}
	for _, cb := range t.colorBy {
		if err := r.ragFormat(t, cb[0], cb[1], first, last); err != nil {
			return err
		}
	}
	for _, h := range t.heat {
		if err := f.SetConditionalFormat(sheet, cellName(h[0], first)+":"+cellName(h[1], last), []excelize.ConditionalFormatOptions{{
			Type: "2_color_scale", Criteria: "=", MinType: "min", MaxType: "max", MinColor: "#FFFFFF", MaxColor: "#F8696B"}}); err != nil {
			return err
		}
	}
	for _, h := range t.heatErrors {
		var off, diag []string
		for i := 0; i < len(t.rows); i++ {
			d := h[0] + i
			for c := h[0]; c <= h[1]; c++ {
				if c == d {
					diag = append(diag, cellName(c, first+i))
				} else {
					off = append(off, cellName(c, first+i))
				}
			}
		}
		if len(off) > 0 {
			if err := f.SetConditionalFormat(sheet, strings.Join(off, " "), []excelize.ConditionalFormatOptions{{
				Type: "2_color_scale", Criteria: "=", MinType: "min", MaxType: "max", MinColor: "#FFFFFF", MaxColor: "#F8696B"}}); err != nil {
				return err
			}
		}
		if len(diag) > 0 {
			if err := f.SetConditionalFormat(sheet, strings.Join(diag, " "), []excelize.ConditionalFormatOptions{{
				Type: "formula", Criteria: "TRUE", Format: &r.rag[0]}}); err != nil {
				return err
			}
		}
	}
	for c, values := range t.lists {
		if err := r.dataList(sheet, c, first, last, values); err != nil {
			return err
		}
	}
	return f.AddTable(sheet, &excelize.Table{Range: cellName(0, t.header) + ":" + cellName(len(t.cols)-1, last),
		Name: t.name, StyleName: "TableStyleLight9", ShowRowStripes: ptr(true)})
}

func ptr[T any](v T) *T { return &v }

// axisFont is the font of charts' axis labels.
var axisFont = excelize.Font{Color: "#404040", Size: 9}

// cellValue is what SetSheetRow stores for a value: strings stay strings
// (excelize never reads a string as a formula), undefined numbers are
// blank, statuses and booleans are words.
func (r *renderer) cellValue(v any, k Kind) any {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return cleanText(x)
	case targets.Status:
		if s := r.status(x); s != "" {
			return s
		}
		return nil
	case time.Time:
		if x.IsZero() {
			return nil
		}
		return excelTime(x)
	case bool:
		if x {
			return r.w.T("word.yes")
		}
		return r.w.T("word.no")
	case fmt.Stringer:
		return cleanText(x.String())
	}
	f, ok := number(v)
	if !ok {
		return cleanText(fmt.Sprint(v))
	}
	if undefined(f) {
		return nil
	}
	if k == KInt {
		return int64(math.Round(f))
	}
	return f
}

// ragFormat colours valueCol and statusCol by the status words in
// statusCol.
func (r *renderer) ragFormat(t *Table, valueCol, statusCol, first, last int) error {
	sc := "$" + colName(statusCol) + strconv.Itoa(first)
	for i, st := range []targets.Status{targets.Green, targets.Amber, targets.Red} {
		word := strings.ReplaceAll(r.status(st), `"`, `""`)
		for _, c := range []int{valueCol, statusCol} {
			if err := r.f.SetConditionalFormat(t.sheet.name, cellName(c, first)+":"+cellName(c, last), []excelize.ConditionalFormatOptions{{
				Type: "formula", Criteria: fmt.Sprintf(`%s="%s"`, sc, word), Format: &r.rag[i]}}); err != nil {
				return err
			}
			if valueCol == statusCol {
				break
			}
		}
	}
	return nil
}

// dataList writes values to the hidden Lists sheet (a drop-down of cells
// holds any text: commas, quotes, a leading =) and validates the column
// against them.
func (r *renderer) dataList(sheet string, col, first, last int, values []string) error {
	if r.listsN == "" {
		r.listsN = r.w.sheetName(r.w.T("sheet.lists"))
		if _, err := r.f.NewSheet(r.listsN); err != nil {
			return err
		}
		if err := r.f.SetSheetVisible(r.listsN, false); err != nil {
			return err
		}
	}
	listCol := r.lists
	r.lists++
	for i, v := range values {
		if err := r.f.SetCellStr(r.listsN, cellName(listCol, i+1), cleanText(v)); err != nil {
			return err
		}
	}
	n := len(values)
	if n == 0 {
		n = 1
	}
	dv := excelize.NewDataValidation(true)
	dv.SetSqref(cellName(col, first) + ":" + cellName(col, last))
	dv.SetSqrefDropList(fmt.Sprintf("%s!$%s$1:$%s$%d", quoteSheet(r.listsN), colName(listCol), colName(listCol), n))
	dv.SetError(excelize.DataValidationErrorStyleStop, r.w.T("list.error.title"), r.w.T("list.error"))
	return r.f.AddDataValidation(sheet, dv)
}

// chart draws a native chart with its top-left corner at row.
func (r *renderer) chart(sheet string, row int, c *Chart) error {
	t := c.Table
	if t == nil || len(t.rows) == 0 {
		return r.text(sheet, row, r.w.T("chart.empty", c.Title), roleNote)
	}
	t.sheet.layout()
	ts := quoteSheet(t.sheet.name)
	first, last := t.header+1, t.header+len(t.rows)
	rng := func(col int) string {
		return fmt.Sprintf("%s!$%s$%d:$%s$%d", ts, colName(col), first, colName(col), last)
	}
	series := func(cols []int) []excelize.ChartSeries {
		var out []excelize.ChartSeries
		for _, col := range cols {
			s := excelize.ChartSeries{Name: fmt.Sprintf("%s!$%s$%d", ts, colName(col), t.header),
				Categories: rng(c.Cat), Values: rng(col)}
			if c.Kind == Line {
				s.Marker = excelize.ChartMarker{Symbol: "circle", Size: 5}
			}
			out = append(out, s)
		}
		return out
	}
	typ := excelize.Line
	switch c.Kind {
	case Bar:
		typ = excelize.Bar
	case Column, Pareto:
		typ = excelize.Col
	}
	ch := &excelize.Chart{Type: typ, Series: series(c.Series),
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: cleanText(c.Title), Font: &excelize.Font{Bold: true, Size: 12}}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: chartW, Height: chartH},
		Format:    excelize.GraphicOptions{OffsetX: 4, OffsetY: 4},
		// Axis labels in dark grey: the theme's default is too pale to read.
		XAxis: excelize.ChartAxis{Font: axisFont},
		YAxis: excelize.ChartAxis{MajorGridLines: true, Font: axisFont},
	}
	if c.Percent {
		ch.YAxis.NumFmt = excelize.ChartNumFmt{CustomNumFmt: "0%"}
		if c.Kind != Bar {
			ch.YAxis.Maximum = ptr(1.0)
		}
	}
	if c.Kind == Bar {
		ch.XAxis.ReverseOrder = true // the first row on top
	}
	var combo []*excelize.Chart
	if c.Kind == Pareto {
		line := &excelize.Chart{Type: excelize.Line, Series: series([]int{c.Cumulative}),
			YAxis: excelize.ChartAxis{Secondary: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"},
				Maximum: ptr(1.0), Minimum: ptr(0.0), Font: axisFont}}
		line.Series[0].Marker = excelize.ChartMarker{Symbol: "circle", Size: 5}
		combo = append(combo, line)
	}
	return r.f.AddChart(sheet, cellName(0, row), ch, combo...)
}

// pageSetup prints the sheet landscape, one page wide, with its name and
// page numbers in the footer.
func (r *renderer) pageSetup(s *Sheet, widths []float64) error {
	// A landscape A4 page holds about 190 characters of columns at a
	// readable size: a wider sheet prints on as many pages across as it needs.
	total := 0.0
	for _, w := range widths {
		total += w
	}
	wide := max(1, int(math.Ceil(total/pageWidth)))
	sheet := s.name
	tall, orient := 0, "landscape" // as many pages down as it takes
	if s == r.w.summary.Sheet {
		// What a manager reads first prints on one upright page.
		tall, orient, wide = 1, "portrait", 1
	}
	if err := r.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: ptr(orient),
		FitToWidth: ptr(wide), FitToHeight: ptr(tall), Size: ptr(9)}); err != nil {
		return err
	}
	if err := r.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
		return err
	}
	// Excel refuses a header or footer over 255 characters (a repair
	// prompt): the title and sheet name are cut well below.
	esc := func(s string, n int) string { return strings.ReplaceAll(truncateRunes(cleanText(s), n), "&", "&&") }
	return r.f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{
		OddFooter: "&L" + esc(r.w.title(), 80) + " — " + esc(sheet, 31) + "&R" + esc(r.w.T("page"), 20) + " &P / &N"})
}

// workbookParts writes the document properties and the defined names of
// the Summary's figures.
func (r *renderer) workbookParts() error {
	w, in := r.w, r.w.in
	now := in.Now.UTC().Format("2006-01-02T15:04:05Z")
	if err := r.f.SetDocProps(&excelize.DocProperties{
		Title: cleanText(w.title()), Subject: cleanText(w.periodText()), Creator: "LabelQA " + in.Version,
		LastModifiedBy: "LabelQA " + in.Version, Description: cleanText(w.T("doc.description")),
		Keywords: "labelqa " + w.kind, Language: w.lang.tag(), Created: now, Modified: now,
		Category: w.T("doc.category"),
	}); err != nil {
		return err
	}
	if err := r.f.SetAppProps(&excelize.AppProperties{Application: "LabelQA", AppVersion: appVersion(in.Version)}); err != nil {
		return err
	}
	s := w.summary
	for i, fg := range s.figures {
		if fg.Key == "" {
			continue
		}
		name := "lqa_" + identifier(fg.Key)
		if w.names[strings.ToLower(name)] {
			continue
		}
		w.names[strings.ToLower(name)] = true
		if err := r.f.SetDefinedName(&excelize.DefinedName{Name: name,
			Comment:  cleanText(fg.Label),
			RefersTo: fmt.Sprintf("%s!$B$%d", quoteSheet(s.name), s.figTable.header+1+i)}); err != nil {
			return err
		}
	}
	return nil
}

// appVersion is the version as the app properties want it (NN.NNNN).
func appVersion(v string) string {
	major, rest, _ := strings.Cut(v, ".")
	minor, _, _ := strings.Cut(rest, ".")
	if _, err := strconv.Atoi(major); err != nil {
		return "0.0000"
	}
	m, err := strconv.Atoi(minor)
	if err != nil {
		m = 0
	}
	return fmt.Sprintf("%s.%04d", major, m)
}
