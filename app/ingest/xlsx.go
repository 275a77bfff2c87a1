package ingest

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/xuri/excelize/v2"

	"labelqa/app/remedy"
)

// Limits for XLSX input, which is a zip archive and can be a zip bomb.
const (
	// MaxXLSXUnzipped is the most a workbook may unpack to, summing the sizes its
	// zip directory declares; reading also stops once that many bytes came out.
	MaxXLSXUnzipped = 1 << 30
	// MaxXLSXPart is the most one part other than a worksheet or the shared strings
	// may unpack to (those parts are held in memory by the XLSX library).
	MaxXLSXPart = 128 << 20
	// MaxXLSXRatio is the highest unpacked/packed ratio accepted for a part over
	// MaxXLSXRatioFloor bytes; real worksheets compress about 5 to 30 times.
	MaxXLSXRatio      = 200
	MaxXLSXRatioFloor = 16 << 20
	// MaxXLSXCells is the most cells a sheet may have.
	MaxXLSXCells = 50_000_000
)

var errXLSXLimit = errors.New("over the limit")

// capReader stops with errXLSXLimit once more than max bytes were read.
type capReader struct {
	r   io.Reader
	n   int64
	max int64
}

func (c *capReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.max {
		return n, errXLSXLimit
	}
	return n, err
}

func human(n uint64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KiB", (n+1023)>>10)
}

const bombAdvice = "LabelQA refuses it as a possible zip bomb; if the workbook is real, export the batch as CSV"

// checkZip looks at a workbook's zip directory and reads its worksheets through a
// byte cap before the XLSX library opens it.
func (s *scanner) checkZip() error {
	zr, err := zip.NewReader(s.ra, s.size)
	if err != nil {
		return s.problem("the workbook is damaged or incomplete (it is not a readable zip archive: %v), perhaps cut short while it was downloaded or copied; copy or export it again", err)
	}
	if problem := notWorkbook(zr); problem != "" {
		return s.problem("%s", problem)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > MaxXLSXUnzipped {
			return s.problem("the workbook declares more than %s of unpacked data (limit %s); %s", human(total), human(MaxXLSXUnzipped), bombAdvice)
		}
	}
	var budget int64 = MaxXLSXUnzipped
	for _, f := range zr.File {
		name := strings.ToLower(f.Name)
		big := strings.HasPrefix(name, "xl/worksheets/") || name == "xl/sharedstrings.xml"
		if !big && f.UncompressedSize64 > MaxXLSXPart {
			return s.problem("the workbook part %s unpacks to %s (limit %s per part); %s", f.Name, human(f.UncompressedSize64), human(MaxXLSXPart), bombAdvice)
		}
		if f.UncompressedSize64 > MaxXLSXRatioFloor && f.CompressedSize64 > 0 && f.UncompressedSize64/f.CompressedSize64 > MaxXLSXRatio {
			return s.problem("the workbook part %s unpacks %d times (%s to %s; limit %d times); %s", f.Name, f.UncompressedSize64/f.CompressedSize64,
				human(f.CompressedSize64), human(f.UncompressedSize64), MaxXLSXRatio, bombAdvice)
		}
		if !big {
			continue
		}
		// Read the part through a cap: its declared size, and what is left of the total.
		rc, err := f.Open()
		if err != nil {
			return s.problem("the workbook part %s cannot be read (%v); open it in Excel and save it again", f.Name, err)
		}
		limit := min(int64(f.UncompressedSize64), budget)
		cr := &capReader{r: rc, max: limit}
		cells, err := countCells(s, cr)
		rc.Close()
		budget -= cr.n
		switch {
		case errors.Is(err, errXLSXLimit) || errors.Is(err, zip.ErrFormat):
			return s.problem("the workbook part %s unpacks to more than its zip directory declares (%s) or than the %s limit; %s", f.Name, human(f.UncompressedSize64), human(MaxXLSXUnzipped), bombAdvice)
		case errors.Is(err, errCells):
			return s.problem("the sheet %s has more than %d cells (limit); split the batch or export it as CSV", f.Name, MaxXLSXCells)
		case err != nil:
			if ctxErr := s.ctx.Err(); ctxErr != nil {
				return ctxErr
			}
			return s.problem("the workbook part %s is damaged (%v); open it in Excel and save it again", f.Name, err)
		}
		if strings.HasPrefix(name, "xl/worksheets/") {
			s.cells += cells
		}
	}
	return nil
}

// notWorkbook says what a zip archive is when it is not an XLSX workbook.
func notWorkbook(zr *zip.Reader) string {
	has := map[string]bool{}
	var names []string
	for _, f := range zr.File {
		n := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		has[n] = true
		if len(names) < 5 {
			names = append(names, f.Name)
		}
	}
	switch {
	case hasPrefix(has, "xl/"): // the parts of a workbook, if damaged ones
		return ""
	case has["mimetype"] && has["content.xml"]:
		return "the file is an OpenDocument (.ods) spreadsheet, not an XLSX workbook; open it in LibreOffice or Excel and save it as .xlsx (Excel 2007-365) or CSV UTF-8"
	case has["word/document.xml"]:
		return "the file is a Word document, not an XLSX workbook; choose the exported batch file"
	case has["ppt/presentation.xml"]:
		return "the file is a PowerPoint presentation, not an XLSX workbook; choose the exported batch file"
	case len(names) == 0:
		return "the file is an empty zip archive, not an XLSX workbook; choose the exported batch file"
	}
	return fmt.Sprintf("the file is a zip archive but not an XLSX workbook (it holds %s); if the batch is inside, unzip it and import that file", quoteList(names)+map[bool]string{true: ", …"}[len(zr.File) > len(names)])
}

func hasPrefix(has map[string]bool, prefix string) bool {
	for n := range has {
		if strings.HasPrefix(n, prefix) {
			return true
		}
	}
	return false
}

var errCells = errors.New("too many cells")

// countCells reads r to the end counting cell elements ("<c " or "<c>").
func countCells(s *scanner, r io.Reader) (int64, error) {
	buf := make([]byte, 256<<10)
	var cells int64
	var tail [3]byte
	nt := 0
	for {
		if err := s.ctx.Err(); err != nil {
			return cells, err
		}
		n, err := r.Read(buf[3:])
		chunk := buf[3-nt : 3+n]
		copy(buf[3-nt:3], tail[:nt])
		cells += int64(bytes.Count(chunk, []byte("<c ")) + bytes.Count(chunk, []byte("<c>")))
		if cells > MaxXLSXCells {
			return cells, errCells
		}
		if len(chunk) >= 2 { // a match needs 3 bytes, so a 2-byte tail is never counted twice
			nt = 2
			copy(tail[:], chunk[len(chunk)-2:])
		} else {
			nt = 0
		}
		if err == io.EOF {
			return cells, nil
		}
		if err != nil {
			return cells, err
		}
	}
}

// pickSheet chooses among a workbook's sheets the first or the one
// Options.Sheet names (exactly, or else ignoring case).
func (s *scanner) pickSheet(sheets []string) (string, bool) {
	if len(sheets) == 0 {
		return "", false
	}
	if s.opts.Sheet == "" {
		return sheets[0], true
	}
	for _, n := range sheets {
		if n == s.opts.Sheet {
			return n, true
		}
	}
	sheet := ""
	for _, n := range sheets {
		if strings.EqualFold(n, s.opts.Sheet) {
			sheet = n
		}
	}
	return sheet, sheet != ""
}

// openExcelize opens the workbook with excelize and the sheet readXLSX reads,
// checks the sheet (checkSheet) and sets it.f, it.rows and it.tmpDir. It is
// false after a problem was recorded (or the read was cancelled: it.cancel).
//
// excelize unpacks large parts to temporary files named excelize-*, which
// File.Close removes; but some of its failed opens return no File to close.
// So each open gets a directory of its own, removed in close, whatever
// happened.
func (it *xlsxRows) openExcelize() bool {
	s := it.s
	dir, err := os.MkdirTemp("", "labelqa-xlsx-")
	if err != nil {
		s.problem("no temporary directory to read the workbook in (%v); free some disk space or set TMPDIR", err)
		return false
	}
	it.tmpDir = dir
	xo := excelize.Options{UnzipSizeLimit: MaxXLSXUnzipped, UnzipXMLSizeLimit: 16 << 20, TmpDir: dir}
	var f *excelize.File
	if s.path != "" {
		f, err = excelize.OpenFile(s.path, xo)
	} else {
		f, err = excelize.OpenReader(io.NewSectionReader(s.ra, 0, s.size), xo)
	}
	it.f = f // excelize returns a File with some errors: close removes its files
	if err != nil {
		s.problem("the workbook cannot be opened (%v); open it in Excel and save it again as .xlsx", err)
		return false
	}
	if err := s.ctx.Err(); err != nil {
		it.cancel = err
		return false
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		s.problem("the workbook has no sheets; export the batch again")
		return false
	}
	sheet, found := s.pickSheet(sheets)
	if !found {
		s.problemHint(remedy.Do(remedy.ChooseSheet), "the workbook has no sheet %q; sheets found: %s; choose one of them", s.opts.Sheet, quoteList(sheets))
		return false
	}
	s.sum.Sheet = sheet
	if it.sheet != "" && sheet != it.sheet || it.loc != nil && sheet != it.loc.name {
		it.fatal = fmt.Errorf("the workbook changed while it was read")
		return false
	}
	it.sheet = sheet
	if it.loc == nil {
		s.problem("the sheet %q holds no rows LabelQA can find (is it a chart sheet?); choose the sheet with the batch, or open the workbook in Excel and save it again", sheet)
		return false
	}
	// The number of shared strings, for checkSheet.
	nsst := 0
	switch {
	case it.fs != nil && it.fs.haveSST:
		nsst = len(it.fs.sst)
	case it.loc.sstFile != nil:
		if nsst, err = s.checkSharedStrings(it.loc.sstFile, f.CharsetReader); err != nil {
			return it.checkFailed(err)
		}
	}
	if it.lastRow, err = s.checkSheet(it.loc.part, nsst, f.CharsetReader); err != nil {
		return it.checkFailed(err)
	}
	if it.rows, err = f.Rows(sheet); err != nil {
		s.problem("the sheet %q cannot be read (%v); open the workbook in Excel and save it again", sheet, err)
		return false
	}
	return true
}

// checkFailed records a check's fault (or the cancellation); false.
func (it *xlsxRows) checkFailed(err error) bool {
	var f *sheetFault
	if errors.As(err, &f) {
		// The damaged sheet is the one problem reported, and nothing of it
		// counts as read, whether the fast reader handed over rows before
		// the damage or excelize is to read it all: both paths end alike.
		s := it.s
		*s.errs = ErrorList{}
		s.sum.Columns, s.sum.Ignored, s.sum.Records = nil, nil, 0
		s.errs.Add(s.sheetFaultError(it.sheet, f))
	} else {
		it.cancel = err
	}
	return false
}

// xlsxRows iterates over a sheet's rows with the fast reader, handing over to
// excelize where it gives up, or with excelize alone.
type xlsxRows struct {
	s       *scanner
	loc     *sheetLoc  // the sheet's part, nil if not located
	fs      *fastSheet // the fast reader's view of it, with the shared strings
	sheet   string
	fast    *sheetReader
	f       *excelize.File
	rows    *excelize.Rows
	tmpDir  string
	seek    int // rows.Next calls
	lastRow int // the number of the sheet's last row element (checkSheet)
	row     int // the sheet row number of rec
	rec     []string
	err     error // reading rec
	fatal   error // the workbook changed under a hand-over
	cancel  error // the context's error, met in a check
	stopped bool  // opening it with excelize at a hand-over failed
}

var rawCells = excelize.Options{RawCellValue: true}

func (it *xlsxRows) next() bool {
	if it.fast != nil {
		row, rec, ok := it.fast.next()
		if ok {
			it.row, it.rec, it.err = row, rec, nil
			return true
		}
		if !it.fast.failed {
			fastXLSXStats.read.Add(1)
			return false
		}
		// Hand over to excelize after the last row read.
		fastXLSXStats.handedOver.Add(1)
		skip := it.fast.row
		it.fast.Close()
		it.fast = nil
		if !it.openExcelize() {
			it.stopped = true
			return false
		}
		// Replay the rows read so far, so that excelize's iterator is where
		// it would be had it read them.
		for it.seek < skip {
			if it.seek&1023 == 1023 {
				if err := it.s.ctx.Err(); err != nil {
					it.cancel, it.stopped = err, true
					return false
				}
			}
			if !it.rows.Next() {
				return false
			}
			it.seek++
			if _, err := it.rows.Columns(rawCells); err != nil {
				it.fatal = fmt.Errorf("the workbook changed while it was read")
				return false
			}
		}
	}
	if !it.rows.Next() {
		return false
	}
	it.seek++
	it.row = it.seek
	it.rec, it.err = it.rows.Columns(rawCells)
	return true
}

// error is the excelize iterator's error after the last row, or an error when
// it stopped before the last row checkSheet saw.
func (it *xlsxRows) error() error {
	if it.rows == nil {
		return nil
	}
	if err := it.rows.Error(); err != nil {
		return err
	}
	if it.seek < it.lastRow {
		return fmt.Errorf("the XLSX library stopped after row %d of %d", it.seek, it.lastRow)
	}
	return nil
}

func (it *xlsxRows) close() {
	if it.fast != nil {
		it.fast.Close()
	}
	if it.rows != nil {
		it.rows.Close()
	}
	if it.f != nil {
		it.f.Close()
	}
	if it.tmpDir != "" {
		os.RemoveAll(it.tmpDir)
	}
}

// readXLSX reads the first sheet (or Options.Sheet) of a workbook. A panic
// (in excelize, say) becomes an error, after the workbook was closed and its
// temporary files removed.
func (s *scanner) readXLSX() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("reading the workbook failed (%v); export the batch as CSV and import that, and report the problem", r)
		}
	}()
	return s.readXLSXSheet()
}

func (s *scanner) readXLSXSheet() error {
	s.sum.Format = "xlsx"
	if err := s.checkZip(); err != nil || s.errs.Total > 0 {
		return err
	}
	loc, problem := s.locateSheet()
	if problem != "" {
		return s.problem("%s", problem)
	}
	if err := s.ctx.Err(); err != nil {
		return err
	}
	it := &xlsxRows{s: s, loc: loc}
	defer it.close()
	date1904 := false
	if fastXLSX {
		if fs, ok := s.openFastXLSX(loc); ok {
			it.fs = fs // its shared strings serve the sheet check
			if sr, ok := fs.open(); ok {
				it.fast, it.sheet, date1904 = sr, fs.name, fs.date1904
			}
		}
		if it.fast == nil {
			fastXLSXStats.declined.Add(1)
		}
	}
	if err := s.ctx.Err(); err != nil {
		return err
	}
	if it.fast == nil {
		if !it.openExcelize() {
			if it.fatal != nil {
				return it.fatal
			}
			return it.cancel
		}
		if p, err := it.f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
			date1904 = *p.Date1904
		}
	}
	sheet := it.sheet
	s.sum.Sheet = sheet
	b := newBuilder(s.file, s.gold, s.errs)
	b.sheet = sheet
	b.xlsx = true
	b.decComma = true // text cells typed in a decimal-comma locale
	b.date1904 = date1904
	var header []string
	var m *mapping
	var cols [numFields]int
	headerRow := 0
	rowNum := 0
	var cells int64
	n, blanks := 0, 0
	for it.next() {
		rowNum = it.row
		rec, err := it.rec, it.err
		if err != nil {
			s.errs.Add(&Error{File: s.file, Sheet: sheet, Row: rowNum, Err: fmt.Errorf("this row cannot be read (%v); open the workbook in Excel and save it again", err)})
			return nil
		}
		cells += int64(len(rec))
		if cells > MaxXLSXCells {
			return s.problem("the sheet %q has more than %d cells (limit); split the batch or export it as CSV", sheet, MaxXLSXCells)
		}
		if blankRecord(rec) {
			// excelize steps through the numbers of missing rows one by one
			if blanks++; blanks&1023 == 0 {
				if err := s.ctx.Err(); err != nil {
					return err
				}
			}
			continue
		}
		if header == nil {
			header = rec
			headerRow = rowNum
			var guess func([]string, []bool) int
			if isLabelStudioHeader(header) {
				guess = labelStudioGuess
			}
			m, err = matchHeader(header, &s.opts, s.gold, guess, fNone)
			if err != nil {
				s.errs.Add(&Error{File: s.file, Sheet: sheet, Row: rowNum, Err: err})
				return nil
			}
			s.sum.Columns, s.sum.Ignored = m.columns, m.ignored
			for f := range cols {
				cols[f] = m.col[f] + 1
			}
			continue
		}
		n++
		b.start(rowNum)
		for _, c := range m.used {
			v := ""
			if c < len(rec) {
				v = rec[c]
			}
			b.set(m.colF[c], v, rowNum, c+1)
		}
		if err := b.finish(&cols, s.fn, s.gfn); err != nil {
			return fatal{err}
		}
		if !b.bad {
			s.sum.Records++
		}
		if n&1023 == 0 {
			if err := s.ctx.Err(); err != nil {
				return err
			}
			// Progress in the file's bytes, by the share of the worksheets'
			// cells read (counted by checkZip).
			if s.opts.Progress != nil && s.cells > 0 {
				s.opts.Progress(s.size*min(cells, s.cells)/s.cells, s.size)
			}
		}
	}
	if it.fatal != nil {
		return it.fatal
	}
	if it.stopped {
		return it.cancel
	}
	if err := it.error(); err != nil {
		s.errs.Add(&Error{File: s.file, Sheet: sheet, Row: rowNum + 1, Err: fmt.Errorf("the sheet cannot be read past this row (%v); open the workbook in Excel and save it again", err)})
	}
	s.sum.Rows = n
	switch {
	case header == nil:
		return s.problemHint(remedy.Do(remedy.ChooseSheet), "the sheet %q is empty; choose the sheet with the batch", sheet)
	case n == 0 && s.errs.Total == 0:
		s.errs.Add(&Error{File: s.file, Sheet: sheet, Row: headerRow, Err: errors.New("the sheet has a header but no records; export the batch again with its rows")})
	}
	return nil
}
