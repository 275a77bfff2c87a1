package ingest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"labelqa/app/remedy"
)

// Formats accepted in Options.Format ("" and "auto" detect).
var Formats = []string{
	"auto", "csv", "tsv", "ssv", "xlsx", "json", "jsonl",
	"labelstudio", "labelstudio-min", "labelstudio-csv", "labelbox", "prodigy",
	"sagemaker", "sagemaker-manifest", "sagemaker-worker", "doccano", "cvat", "argilla",
}

// Summary describes what a scan read.
//
// FileLabeler is the labeler a reader took from the file's name, because the
// export names none: a doccano file's (always, unless --map annotator_id=KEY
// names a key), or a CVAT file's when its <meta> names no assignee. It is ""
// when every labeler came from the file's content (and for golden sets). Two
// members' doccano files can be byte-identical (the same examples labeled the
// same way) and still be two labelers' judgments: the file name tells them apart.
type Summary struct {
	Format    string        // the format read: csv, tsv, ssv, xlsx, json, jsonl, or a tool export (labelstudio, …, doccano, cvat, argilla)
	Encoding  string        // utf-8, utf-8-bom, utf-16le, utf-16be, windows-1252; "" for XLSX
	Delimiter rune          // for delimited text: ',', ';' or '\t'
	Sheet     string        // the XLSX sheet read
	Rows      int           // records read, valid or not (tool exports: answers)
	Records   int           // valid records handed to the callback
	Skipped   int           // answers the tool marks as cancelled, skipped or ignored
	Columns   ColumnMapping // canonical field -> header or key it was read from
	Ignored   []string      // headers or keys that map to no field
	Bytes     int64         // size of the file
	// FileLabeler is the labeler named by the file's name, "" when none was (above).
	FileLabeler string
}

// Scan reads every record of the batch file at path and calls fn for each valid
// one, streaming. Problems with a position are gathered in an *ErrorList, which is
// returned after the whole file has been read (structural problems such as
// truncated JSON stop the reading after they are recorded); fn may return an
// *Error to add to the list. Cancelling ctx stops early with ctx.Err(). Any other
// error fn returns stops the scan and is returned as is.
func Scan(ctx context.Context, path string, opts Options, fn RecordFunc) (Summary, error) {
	return scanPath(ctx, path, opts, fn, nil, false)
}

// ScanGold reads a golden-set file like Scan: item_id and label are required,
// rationale, sop_section and gds_version optional.
func ScanGold(ctx context.Context, path string, opts Options, fn GoldFunc) (Summary, error) {
	return scanPath(ctx, path, opts, nil, fn, true)
}

// ScanBytes is Scan over data held in memory; name is used in messages and for
// detection by extension.
func ScanBytes(ctx context.Context, name string, data []byte, opts Options, fn RecordFunc) (Summary, error) {
	return scanReaderAt(ctx, name, "", bytes.NewReader(data), int64(len(data)), opts, fn, nil, false)
}

// ScanGoldBytes is ScanGold over data held in memory.
func ScanGoldBytes(ctx context.Context, name string, data []byte, opts Options, fn GoldFunc) (Summary, error) {
	return scanReaderAt(ctx, name, "", bytes.NewReader(data), int64(len(data)), opts, nil, fn, true)
}

func scanPath(ctx context.Context, path string, opts Options, fn RecordFunc, gfn GoldFunc, gold bool) (Summary, error) {
	f, err := os.Open(path)
	if err != nil {
		l := &ErrorList{}
		l.Add(&Error{File: path, Err: fmt.Errorf("cannot open the file (%v); check the path", unwrapPathErr(err))})
		return Summary{}, l
	}
	defer f.Close()
	st, err := f.Stat()
	if err == nil && st.IsDir() {
		l := &ErrorList{}
		l.Add(&Error{File: path, Err: errors.New("is a folder, not a file; choose the exported batch file")})
		return Summary{}, l
	}
	if err != nil {
		l := &ErrorList{}
		l.Add(&Error{File: path, Err: fmt.Errorf("cannot read the file (%v); check the path", err)})
		return Summary{}, l
	}
	return scanReaderAt(ctx, path, path, f, st.Size(), opts, fn, gfn, gold)
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// scanner holds the state of one scan.
type scanner struct {
	ctx   context.Context
	file  string
	path  string // on-disk path, "" for in-memory data
	ra    io.ReaderAt
	size  int64
	opts  Options
	fn    RecordFunc
	gfn   GoldFunc
	gold  bool
	errs  *ErrorList
	sum   Summary
	count *countingReader
	cells int64 // cells in the workbook's worksheets (XLSX), for progress
}

// fatal wraps an error that stops the scan and is returned as is (ctx or the callback's).
type fatal struct{ err error }

func (f fatal) Error() string { return f.err.Error() }

func scanReaderAt(ctx context.Context, name, path string, ra io.ReaderAt, size int64, opts Options, fn RecordFunc, gfn GoldFunc, gold bool) (Summary, error) {
	s := &scanner{ctx: ctx, file: name, path: path, ra: ra, size: size, opts: opts, fn: fn, gfn: gfn,
		gold: gold, errs: &ErrorList{}}
	s.sum.Bytes = size
	s.sum.Columns = ColumnMapping{}
	if s.fn == nil {
		s.fn = func(*Record) error { return nil }
	}
	if s.gfn == nil {
		s.gfn = func(*GoldRecord) error { return nil }
	}
	if err := ctx.Err(); err != nil {
		return s.sum, err
	}
	if opts.Progress != nil {
		opts.Progress(0, size)
	}
	err := s.run()
	if err != nil {
		var f fatal
		if errors.As(err, &f) {
			return s.sum, f.err
		}
		if ctxErr := ctx.Err(); ctxErr != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
			return s.sum, ctxErr
		}
		s.errs.Add(&Error{File: s.file, Err: fmt.Errorf("cannot read the file (%v); check that it is complete and readable", err)})
	}
	if err := ctx.Err(); err != nil {
		return s.sum, err
	}
	if opts.Progress != nil {
		opts.Progress(size, size)
	}
	if s.errs.Total > 0 {
		s.errs.Sort()
		return s.sum, s.errs
	}
	return s.sum, nil
}

// problem records an error without a row and ends the scan.
func (s *scanner) problem(format string, args ...any) error {
	s.errs.Add(&Error{File: s.file, Err: fmt.Errorf(format, args...)})
	return nil
}

// problemHint is problem for a message that ends with what to do about
// it, in words the hint's action names (app/remedy).
func (s *scanner) problemHint(h remedy.Hint, format string, args ...any) error {
	s.errs.Add(&Error{File: s.file, Err: remedy.With(fmt.Errorf(format, args...), h)})
	return nil
}

func (s *scanner) problemAt(row int, format string, args ...any) error {
	s.errs.Add(&Error{File: s.file, Row: row, Err: fmt.Errorf(format, args...)})
	return nil
}

func (s *scanner) run() error {
	format := strings.ToLower(strings.TrimSpace(s.opts.Format))
	if format == "" {
		format = "auto"
	}
	known := false
	for _, f := range Formats {
		known = known || f == format
	}
	if !known {
		return s.problemHint(remedy.Format(""), "unknown format %q; choose one of %s", s.opts.Format, strings.Join(Formats, ", "))
	}
	if err := checkMapOption(s.opts.Map); err != nil {
		s.errs.Add(&Error{File: s.file, Err: err})
		return nil
	}
	if s.size == 0 {
		return s.problem("the file is empty; choose the exported batch file")
	}
	head := make([]byte, min(s.size, sniffSize))
	if n, err := s.ra.ReadAt(head, 0); n < len(head) {
		return fmt.Errorf("reading the start: %w", err)
	}
	ext := strings.ToLower(filepath.Ext(s.file))
	zip := bytes.HasPrefix(head, []byte("PK\x03\x04"))
	switch {
	case bytes.HasPrefix(head, []byte("SQLite format 3\x00")):
		return s.problem("the file is a LabelQA project (a SQLite database), not a batch file; a project is opened on its own, or given first, before any batch files, and batches are imported from CSV, TSV, XLSX, JSON or JSONL exports")
	case zip && (format == "auto" || format == "xlsx"):
		return s.readXLSX()
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		// An OLE compound file: Excel 97-2003 (.xls), or an .xlsx that Excel
		// encrypted with a password, whatever the file's name.
		return s.problem("the file is a password-protected (encrypted) workbook or an old Excel 97-2003 .xls workbook, which LabelQA does not read; open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password) or save it as .xlsx (Excel Workbook) or CSV UTF-8, and import that file")
	case (format == "auto" || format == "xlsx") && (ext == ".xls" || ext == ".xlsx" || ext == ".xlsm") && htmlStart(head):
		// Web tools' "Export to Excel" often writes an HTML table named .xls.
		return s.problem("the file is a web page (an HTML table) with an Excel file name, not a workbook; open it in Excel and save it as .xlsx (Excel Workbook) or CSV UTF-8, and import that file")
	case format == "xlsx" || (format == "auto" && (ext == ".xlsx" || ext == ".xlsm")):
		return s.problemHint(remedy.Format(""), "the file is not an XLSX workbook (it is not a zip archive); check the file or choose its format")
	case zip:
		return s.problemHint(remedy.Format("xlsx"), "the file is a zip archive, not %s; unzip it, or choose the XLSX format", format)
	}
	enc, skip, bad, at := sniffEncoding(head, s.size <= sniffSize)
	if bad != "" {
		row := 0
		if at >= 0 {
			row = bytes.Count(head[:at], nl) + 1
		}
		return s.problemAt(row, "%s", bad)
	}
	s.sum.Encoding = enc
	text := decodeHead(head, enc, skip)
	crOnly := crOnlyLines(text)
	if crOnly {
		text = bytes.ReplaceAll(text, cr, nl)
	}
	trimmed := bytes.TrimLeft(text, " \t\r\n\f\uFEFF")
	if len(trimmed) == 0 && s.size <= sniffSize {
		return s.problem("the file holds only blank lines; choose the exported batch file")
	}
	if format == "auto" {
		format = detectFormat(ext, trimmed)
	}
	s.count = &countingReader{r: io.NewSectionReader(s.ra, int64(skip), s.size-int64(skip)), ctx: s.ctx, total: s.size, progress: s.opts.Progress}
	r := bufio.NewReaderSize(decodeReaderEOL(s.count, enc, crOnly), 64<<10)
	switch format {
	case "csv", "labelstudio-csv":
		return s.readDelimited(r, sniffDelimiter(text))
	case "tsv":
		return s.readDelimited(r, '\t')
	case "ssv":
		return s.readDelimited(r, ';')
	case "jsonl", "prodigy", "labelbox", "sagemaker-manifest":
		return s.readJSONL(r, format)
	case "sagemaker":
		if len(trimmed) > 0 && trimmed[0] == '{' && jsonlLike(trimmed) {
			return s.readJSONL(r, "sagemaker-manifest")
		}
		return s.readJSON(r, "sagemaker-worker")
	case "cvat":
		return s.readCVAT(r)
	case "doccano", "argilla": // JSON, JSONL, or (doccano) CSV by shape
		switch {
		case len(trimmed) > 0 && trimmed[0] == '{' && (jsonlLike(trimmed) || ext == ".jsonl" || ext == ".ndjson"):
			return s.readJSONL(r, format)
		case len(trimmed) > 0 && (trimmed[0] == '[' || trimmed[0] == '{') || format == "argilla":
			return s.readJSON(r, format)
		}
		s.sum.Format = format
		return s.readDelimited(r, sniffDelimiter(text))
	default: // json, labelstudio, labelstudio-min, sagemaker-worker
		return s.readJSON(r, format)
	}
}

// detectFormat picks a format from the extension and the first text.
func detectFormat(ext string, text []byte) string {
	switch ext {
	case ".xml":
		return "cvat"
	case ".tsv", ".tab":
		return "tsv"
	case ".ssv":
		return "ssv"
	case ".jsonl", ".ndjson", ".manifest":
		return "jsonl"
	case ".json":
		if len(text) > 0 && text[0] == '{' && jsonlLike(text) {
			return "jsonl"
		}
		return "json"
	}
	if len(text) > 0 && (text[0] == '[' || text[0] == '{') {
		if text[0] == '{' && jsonlLike(text) {
			return "jsonl"
		}
		return "json"
	}
	if len(text) > 0 && text[0] == '<' {
		return "cvat" // XML: readCVAT refuses any other root than <annotations>
	}
	return "csv"
}

// jsonlLike reports whether text starts with one JSON object on its own line followed by another.
func jsonlLike(text []byte) bool {
	i := bytes.IndexByte(text, '\n')
	if i < 0 {
		return false
	}
	first := bytes.TrimSpace(text[:i])
	if len(first) < 2 || first[0] != '{' || first[len(first)-1] != '}' {
		return false
	}
	rest := bytes.TrimLeft(text[i:], " \t\r\n")
	return len(rest) == 0 || rest[0] == '{'
}

// sniffDelimiter counts commas, semicolons and tabs outside quotes in the first
// line of text and returns the most frequent (comma on a tie or when none occur).
func sniffDelimiter(text []byte) rune {
	var comma, semi, tab int
	inQuote := false
	for _, c := range text {
		if c == '"' {
			inQuote = !inQuote
			continue
		}
		if inQuote {
			continue
		}
		if c == '\n' {
			break
		}
		switch c {
		case ',':
			comma++
		case ';':
			semi++
		case '\t':
			tab++
		}
	}
	switch {
	case tab > comma && tab >= semi:
		return '\t'
	case semi > comma:
		return ';'
	}
	return ','
}

func delimiterFormat(d rune) string {
	switch d {
	case '\t':
		return "tsv"
	case ';':
		return "ssv"
	}
	return "csv"
}

// htmlStart says whether head starts (after a BOM and spaces) like an HTML page.
func htmlStart(head []byte) bool {
	h := bytes.ToLower(bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n"))
	for _, p := range []string{"<html", "<!doctype html", "<table", "<meta"} {
		if bytes.HasPrefix(h, []byte(p)) {
			return true
		}
	}
	return false
}
