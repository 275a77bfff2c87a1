package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"labelqa/app/inputerr"
)

// AuditSheet is the name of the sheet an audit workbook's auditors fill,
// the same in every language (app/report writes it, ReadAudit reads it).
const AuditSheet = "Audit"

// AuditRefHeader heads the first column of the audit table, in every
// language: the row holding it is the table's header row.
const AuditRefHeader = "ref"

// The audit table's columns, in order (0-based; A is AuditColRef). The
// first nine are the sampled judgment, read-only; the last five the
// auditor fills. docs/CLI.md documents them.
const (
	AuditColRef           = iota // the judgment's reference (its annotation id)
	AuditColItem                 // item id
	AuditColAnnotator            // annotator id
	AuditColQueue                // queue
	AuditColMarket               // market
	AuditColGivenLabel           // the label the reviewer gave
	AuditColContent              // the item's content
	AuditColSubmittedAt          // when the judgment was submitted
	AuditColProbability          // its inclusion probability
	AuditColAuditorLabel         // the label the auditor finds right
	AuditColCorrect              // yes / no / unclear
	AuditColErrorCategory        // free text
	AuditColRootCause            // one of rules.RootCauses
	AuditColComment              // free text
	AuditColumns                 // how many columns the table has
)

// AuditSheetRow is one data row of a filled audit sheet, as text: Cells[c]
// is the value of column c (AuditCol...), trimmed of surrounding spaces;
// Row is its 1-based sheet row.
type AuditSheetRow struct {
	Row   int
	Cells [AuditColumns]string
}

// Blank reports whether the row holds nothing at all.
func (r *AuditSheetRow) Blank() bool {
	for _, c := range r.Cells {
		if c != "" {
			return false
		}
	}
	return true
}

// AuditFile is what ReadAudit read: the file's size and SHA-256 and its
// data rows.
type AuditFile struct {
	Name   string // the file's base name, as errors name it
	Size   int64
	SHA256 string
	Rows   []AuditSheetRow
}

// CellErrors are the problems of a filled sheet, each at its cell, written
// as a spreadsheet names a cell: "audit.xlsx:Audit!F17: unknown label ...".
// Errors are gathered (inputerr.ErrorList) and nothing is stored while any
// remain.
type CellErrors struct{ inputerr.ErrorList }

// Error gives every kept problem on its own line, and "and N more".
func (l *CellErrors) Error() string { return strings.Join(l.Lines(), "\n") }

// Lines returns one line per kept problem, plus "and N more" when some
// were dropped.
func (l *CellErrors) Lines() []string {
	out := make([]string, 0, len(l.Errs)+1)
	for _, e := range l.Errs {
		out = append(out, CellText(e))
	}
	if more := l.Total - len(l.Errs); more > 0 {
		out = append(out, fmt.Sprintf("and %d more", more))
	}
	return out
}

// CellText writes e as "FILE:SHEET!A1: problem" (the row alone when the
// column is unknown: "FILE:SHEET!17").
func CellText(e *inputerr.Error) string {
	pos := e.File
	if e.Sheet != "" {
		pos += ":" + e.Sheet
	}
	if e.Row > 0 {
		ref := fmt.Sprint(e.Row)
		if e.Col > 0 {
			ref, _ = excelize.CoordinatesToCellName(e.Col, e.Row)
		}
		if e.Sheet != "" {
			pos += "!" + ref
		} else {
			pos += ":" + ref
		}
	}
	return pos + ": " + e.Err.Error()
}

// Addf records a problem at column col (0-based, AuditCol...) of the sheet
// row row.
func (l *CellErrors) Addf(file string, row, col int, format string, args ...any) {
	l.Add(&inputerr.Error{File: file, Sheet: AuditSheet, Row: row, Col: col + 1, Err: fmt.Errorf(format, args...)})
}

// ReadAudit reads the Audit sheet of a filled audit workbook: the rows
// after the header row (the first whose column A is AuditRefHeader), blank
// rows dropped. A workbook without that sheet or header is refused with a
// CellErrors naming what is missing.
func ReadAudit(path string) (*AuditFile, error) {
	name := filepath.Base(path)
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if st.Size() > MaxXLSXUnzipped {
		return nil, fmt.Errorf("%s: %d bytes is larger than an audit workbook can be", name, st.Size())
	}
	h := sha256.New()
	if _, err := io.Copy(h, fh); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	out := &AuditFile{Name: name, Size: st.Size(), SHA256: hex.EncodeToString(h.Sum(nil))}
	if _, err := fh.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	dir, err := os.MkdirTemp("", "labelqa-audit-")
	if err != nil {
		return nil, fmt.Errorf("no temporary directory to read the workbook in (%v); free some disk space or set TMPDIR", err)
	}
	defer os.RemoveAll(dir)
	f, err := excelize.OpenReader(fh, excelize.Options{UnzipSizeLimit: MaxXLSXUnzipped, UnzipXMLSizeLimit: 16 << 20, TmpDir: dir})
	if err != nil {
		return nil, fmt.Errorf("%s: the workbook cannot be opened (%v); open it in Excel and save it again as .xlsx", name, err)
	}
	defer f.Close()
	var errs CellErrors
	sheet := ""
	for _, s := range f.GetSheetList() {
		if strings.EqualFold(s, AuditSheet) {
			sheet = s
		}
	}
	if sheet == "" {
		errs.Add(&inputerr.Error{File: name, Err: fmt.Errorf("no sheet named %q: import the audit workbook labelqa report audit wrote, with its %s sheet filled", AuditSheet, AuditSheet)})
		return nil, &errs
	}
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("%s: the %s sheet cannot be read (%v); open it in Excel and save it again as .xlsx", name, sheet, err)
	}
	header := -1
	for i, r := range rows {
		if len(r) > 0 && strings.EqualFold(strings.TrimSpace(r[0]), AuditRefHeader) {
			header = i
			break
		}
	}
	if header < 0 {
		errs.Add(&inputerr.Error{File: name, Sheet: AuditSheet, Err: fmt.Errorf("no header row (a row whose first cell is %q): the sheet's table was removed or moved", AuditRefHeader)})
		return nil, &errs
	}
	for i := header + 1; i < len(rows); i++ {
		r := AuditSheetRow{Row: i + 1}
		for c := 0; c < len(rows[i]) && c < AuditColumns; c++ {
			r.Cells[c] = strings.TrimSpace(rows[i][c])
		}
		if !r.Blank() {
			out.Rows = append(out.Rows, r)
		}
	}
	return out, nil
}
