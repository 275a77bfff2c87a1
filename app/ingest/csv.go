package ingest

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// quoteCounter counts double quotes in the decoded text, to notice a quoted
// field left open at the end of the file (encoding/csv accepts it silently).
type quoteCounter struct {
	r      io.Reader
	quotes int
}

func (q *quoteCounter) Read(p []byte) (int, error) {
	n, err := q.r.Read(p)
	q.quotes += bytes.Count(p[:n], quote)
	return n, err
}

var quote = []byte{'"'}

func delimName(d rune) string {
	switch d {
	case '\t':
		return "tab"
	case ';':
		return `";"`
	}
	return `","`
}

// readDelimited reads CSV, TSV and semicolon-separated text.
func (s *scanner) readDelimited(r io.Reader, delim rune) error {
	qc := &quoteCounter{r: r}
	cr := newDelimReader(qc, delim)
	s.sum.Delimiter = delim
	if s.sum.Format == "" {
		s.sum.Format = delimiterFormat(delim)
	}
	quoteTrouble := false
	var header []string
	headerLine := 1
	for header == nil {
		rec, err := cr.Read()
		if err == io.EOF {
			return s.problem("the file holds only blank lines; choose the exported batch file")
		}
		if err != nil {
			if done, ferr := s.csvError(err, &quoteTrouble); done {
				return ferr
			}
			return nil // a broken header: nothing else can be read meaningfully
		}
		headerLine = cr.Line()
		header = append([]string(nil), rec...)
	}
	var guess func([]string, []bool) int
	if isLabelStudioHeader(header) {
		guess = labelStudioGuess
		s.sum.Format = "labelstudio-csv"
	}
	// doccano CSV: asked for, or (batches only) doccano's exact header.
	doccano := s.sum.Format == "doccano" || (guess == nil && !s.gold && isDoccanoHeader(header, &s.opts))
	external := fNone
	if doccano {
		s.sum.Format = "doccano"
		external = fAnnotator
	}
	m, err := matchHeader(header, &s.opts, s.gold, guess, external)
	if err != nil {
		if !doccano && guess == nil && !s.gold && !hasField(header, &s.opts, fAnnotator) {
			err = doccanoHint(err, header, &s.opts)
		}
		s.errs.Add(&Error{File: s.file, Row: headerLine, Err: err})
		return nil
	}
	docAnn := "" // doccano: the labeler, from the file name
	if doccano {
		doccanoColumns(m, header, &s.opts, s.gold)
		if m.col[fAnnotator] < 0 && !s.gold {
			if docAnn = fileLabeler(s.file, doccanoDefault); docAnn == "" {
				s.errs.Add(&Error{File: s.file, Row: headerLine, Err: doccanoNoLabeler(s.file)})
				return nil
			}
			m.columns["annotator_id"] = "file name (" + docAnn + ")"
			s.sum.FileLabeler = docAnn
		}
	}
	s.sum.Columns = m.columns
	s.sum.Ignored = m.ignored
	var cols [numFields]int
	for f := range cols {
		cols[f] = m.col[f] + 1
	}
	b := newBuilder(s.file, s.gold, s.errs)
	b.decComma = delim != ','
	b.sheet2 = true
	lastLine := headerLine
	rows := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			if done, ferr := s.csvError(err, &quoteTrouble); done {
				return ferr
			}
			rows++
			continue
		}
		line := cr.Line()
		lastLine = line
		if len(rec) != len(header) {
			if blankRecord(rec) {
				continue
			}
			rows++
			s.sum.Rows = rows
			s.errs.Add(&Error{File: s.file, Row: line, Col: min(len(rec), len(header)) + 1, Err: fmt.Errorf(
				"the row has %d fields but the header has %d; quote any field that contains the delimiter %s or a line break, and check for a missing or extra delimiter",
				len(rec), len(header), delimName(delim))})
			continue
		}
		if rec[m.col[fItemID]] == "" && blankRecord(rec) {
			continue
		}
		if doccano && strings.TrimSpace(rec[m.col[fLabel]]) == "" {
			s.sum.Skipped++ // an example this member did not label
			continue
		}
		rows++
		b.start(line)
		for _, c := range m.used {
			if doccano && m.colF[c] == fLabel { // doccano joins labels with "#"
				for _, l := range strings.Split(rec[c], "#") {
					b.set(fLabel, l, line, c+1)
				}
				continue
			}
			b.set(m.colF[c], rec[c], line, c+1)
		}
		if docAnn != "" {
			b.set(fAnnotator, docAnn, line, 0)
		}
		if err := b.finish(&cols, s.fn, s.gfn); err != nil {
			return fatal{err}
		}
		if !b.bad {
			s.sum.Records++
		}
		if rows&4095 == 0 {
			if err := s.ctx.Err(); err != nil {
				return err
			}
		}
	}
	s.sum.Rows = rows
	if qc.quotes%2 == 1 && !quoteTrouble {
		s.errs.Add(&Error{File: s.file, Row: lastLine, Err: errors.New(
			`a quoted field that starts in this record is never closed, so it runs to the end of the file; add the closing " (or double a quote meant as text: "")`)})
	}
	if rows == 0 && s.errs.Total == 0 && s.sum.Skipped == 0 {
		s.errs.Add(&Error{File: s.file, Row: headerLine, Err: errors.New("the file has a header but no records; export the batch again with its rows")})
	}
	return nil
}

func blankRecord(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// csvError records a csv read error. done reports whether reading must stop.
func (s *scanner) csvError(err error, quoteTrouble *bool) (done bool, ferr error) {
	var pe *csv.ParseError
	var tp *textProblem
	var tl *tooLong
	switch {
	case errors.As(err, &tl):
		row := tl.line
		if tl.after {
			row = 0
		}
		s.errs.Add(&Error{File: s.file, Row: row, Col: tl.col, Err: tl})
		return true, nil
	case errors.As(err, &tp):
		s.errs.Add(textProblemError(s.file, tp))
		return true, nil
	case errors.As(err, &pe):
		*quoteTrouble = true
		where := ""
		if pe.Line != pe.StartLine {
			where = fmt.Sprintf(" (on line %d)", pe.Line)
		}
		var msg string
		switch {
		case errors.Is(pe.Err, csv.ErrBareQuote):
			msg = fmt.Sprintf(`stray " in a field that is not quoted%s; put the whole field in quotes and double the quote inside ("5"" screen")`, where)
		case errors.Is(pe.Err, csv.ErrQuote):
			msg = fmt.Sprintf(`a quoted field is not closed properly%s: a quote inside a quoted field must be doubled (""), and every quoted field needs a closing quote followed by the delimiter or the end of the line`, where)
		default:
			msg = fmt.Sprintf("cannot read this record (%v); check the quoting", pe.Err)
		}
		s.errs.Add(&Error{File: s.file, Row: pe.StartLine, Err: errors.New(msg)})
		return false, nil
	}
	return true, err
}
