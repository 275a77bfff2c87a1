// Package inputerr holds the problems of an input file at a position
// (file:row:col), gathered like go/scanner.ErrorList: the readers (app/ingest)
// and the writers (app/store) report them in the same words. It imports only
// app/remedy (what the user can do about a problem).
package inputerr

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"labelqa/app/remedy"
)

// MaxErrors is how many problems an ErrorList keeps for display; the rest are counted.
const MaxErrors = 20

// Error is a problem at a position in an input file. Row and Col are 1-based;
// zero means unknown. Sheet is set for XLSX input; Offset (bytes, 1-based) for JSON.
type Error struct {
	File   string
	Sheet  string
	Row    int
	Col    int
	Offset int64
	Field  string
	Err    error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Sheet != "" {
		fmt.Fprintf(&b, "[%s]", e.Sheet)
	}
	if e.Row > 0 {
		fmt.Fprintf(&b, ":%d", e.Row)
		if e.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Col)
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	if e.Offset > 0 {
		fmt.Fprintf(&b, " (byte %d)", e.Offset)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ErrorList gathers position errors like go/scanner.ErrorList, keeping the
// first MaxErrors and counting the rest.
type ErrorList struct {
	Errs  []*Error
	Total int
}

// Add records e.
func (l *ErrorList) Add(e *Error) {
	l.Total++
	if len(l.Errs) < MaxErrors {
		l.Errs = append(l.Errs, e)
	}
}

// Addf records a formatted error at a position.
func (l *ErrorList) Addf(file string, row, col int, field, format string, args ...any) {
	l.Add(&Error{File: file, Row: row, Col: col, Field: field, Err: fmt.Errorf(format, args...)})
}

// Len is the number of problems found, shown or not.
func (l *ErrorList) Len() int { return l.Total }

// Sort orders the kept errors by file, sheet, row and column.
func (l *ErrorList) Sort() {
	sort.SliceStable(l.Errs, func(i, j int) bool {
		a, b := l.Errs[i], l.Errs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Sheet != b.Sheet {
			return a.Sheet < b.Sheet
		}
		if a.Row != b.Row {
			return a.Row < b.Row
		}
		return a.Col < b.Col
	})
}

// Err returns the list as an error, or nil when it is empty.
func (l *ErrorList) Err() error {
	if l.Total == 0 {
		return nil
	}
	return l
}

// Error gives every kept problem on its own line and "and N more" when some were dropped.
func (l *ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l.Errs {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	if more := l.Total - len(l.Errs); more > 0 {
		fmt.Fprintf(&b, "\nand %d more", more)
	}
	return b.String()
}

// Lines returns one string per kept problem plus a final "and N more" line when needed.
func (l *ErrorList) Lines() []string {
	out := make([]string, 0, len(l.Errs)+1)
	for _, e := range l.Errs {
		out = append(out, e.Error())
	}
	return l.more(out)
}

// RenderLines is Lines with the actions each problem carries named as a
// face names them (remedy.Render): the CLI's flags, the workbench's controls.
func (l *ErrorList) RenderLines(name func(remedy.Hint) string) []string {
	out := make([]string, 0, len(l.Errs)+1)
	for _, e := range l.Errs {
		out = append(out, remedy.Render(e, name))
	}
	return l.more(out)
}

func (l *ErrorList) more(out []string) []string {
	if more := l.Total - len(l.Errs); more > 0 {
		out = append(out, fmt.Sprintf("and %d more", more))
	}
	return out
}

// AsList returns err as an *ErrorList when it is one or wraps one.
func AsList(err error) (*ErrorList, bool) {
	var l *ErrorList
	ok := errors.As(err, &l)
	return l, ok
}
