package ui

import (
	"cmp"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// column is one column of a sortTable: a title, a width, and how to show
// and order a row's value.
type column[T any] struct {
	title string
	width float32
	text  func(T) string
	num   func(T) int64 // numeric columns: shown right-aligned, ordered by number
}

// textCol is a column of text, ordered alphabetically.
func textCol[T any](title string, width float32, text func(T) string) column[T] {
	return column[T]{title: title, width: width, text: text}
}

// numCol is a column of integers, right-aligned and ordered by value.
func numCol[T any](title string, width float32, num func(T) int64) column[T] {
	return column[T]{title: title, width: width, num: num,
		text: func(r T) string { return count(num(r)) }}
}

func (c column[T]) compare(a, b T) int {
	if c.num != nil {
		return cmp.Compare(c.num(a), c.num(b))
	}
	return strings.Compare(strings.ToLower(c.text(a)), strings.ToLower(c.text(b)))
}

// sortTable is a table of rows with a header row; tapping a column's header
// sorts by that column, tapping it again reverses the order.
type sortTable[T any] struct {
	*widget.Table
	cols    []column[T]
	rows    []T
	sortCol int // -1 keeps the order rows were given in
	desc    bool
}

func newSortTable[T any](cols []column[T]) *sortTable[T] {
	t := &sortTable[T]{cols: cols, sortCol: -1}
	t.Table = widget.NewTableWithHeaders(
		func() (int, int) { return len(t.rows), len(t.cols) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			if id.Row < 0 || id.Row >= len(t.rows) || id.Col >= len(t.cols) {
				l.SetText("")
				return
			}
			if t.cols[id.Col].num != nil {
				l.Alignment = fyne.TextAlignTrailing
			} else {
				l.Alignment = fyne.TextAlignLeading
			}
			l.SetText(t.cell(id.Row, id.Col))
		})
	t.ShowHeaderColumn = false
	t.CreateHeader = func() fyne.CanvasObject {
		b := widget.NewButton("", nil)
		b.Importance = widget.LowImportance
		b.Alignment = widget.ButtonAlignLeading
		b.IconPlacement = widget.ButtonIconTrailingText
		return b
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		b := o.(*widget.Button)
		if id.Col < 0 || id.Col >= len(t.cols) {
			b.SetText("")
			b.SetIcon(nil)
			b.OnTapped = nil
			return
		}
		col := id.Col
		b.OnTapped = func() { t.sortBy(col) }
		b.Icon = t.headerIcon(col)
		b.SetText(t.cols[col].title)
	}
	for i, c := range cols {
		t.SetColumnWidth(i, c.width)
	}
	return t
}

// setRows shows rows, in the current sort order. The table keeps rows.
func (t *sortTable[T]) setRows(rows []T) {
	t.rows = rows
	t.sort()
	t.Refresh()
}

// sortBy orders the rows by column col, ascending; if they already are, descending.
func (t *sortTable[T]) sortBy(col int) {
	if t.sortCol == col {
		t.desc = !t.desc
	} else {
		t.sortCol, t.desc = col, false
	}
	t.sort()
	t.Refresh()
}

func (t *sortTable[T]) sort() {
	if t.sortCol < 0 || t.sortCol >= len(t.cols) {
		return
	}
	c := t.cols[t.sortCol]
	slices.SortStableFunc(t.rows, func(a, b T) int {
		if t.desc {
			return c.compare(b, a)
		}
		return c.compare(a, b)
	})
}

// cell is the text shown at row, col.
func (t *sortTable[T]) cell(row, col int) string { return t.cols[col].text(t.rows[row]) }

// headerIcon is the arrow beside the title of the column the rows are
// sorted by, nil beside the others.
func (t *sortTable[T]) headerIcon(col int) fyne.Resource {
	switch {
	case col != t.sortCol:
		return nil
	case t.desc:
		return theme.MenuDropDownIcon()
	}
	return theme.MenuDropUpIcon()
}
