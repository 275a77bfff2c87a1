package demo

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
)

// Header is the canonical batch header the sample writes, in order.
var Header = []string{
	"item_id", "annotator_id", "label", "vendor", "team", "market", "queue", "round",
	"submitted_at", "duration_s", "sop_version", "template", "content", "comment",
	"error_category", "root_cause",
}

// GoldHeader is the golden-set file header.
var GoldHeader = []string{"item_id", "label", "rationale", "sop_section", "gds_version"}

// row is one judgment.
type row struct {
	item    string
	rv      *reviewer
	label   int
	queue   string
	round   int
	at      time.Time
	dur     float64
	sop     *sop
	content string
	comment string
	// errCat and cause are the error_category and root_cause columns:
	// set on some wrong first-round judgments of golden items (tagError).
	errCat string
	cause  string
}

// needsQuote reports whether a CSV field must be quoted for separator sep.
func needsQuote(s string, sep byte) bool {
	if s == "" {
		return false
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case sep, '"', '\n', '\r':
			return true
		}
	}
	return false
}

// appendField appends one CSV field (RFC 4180 quoting).
func appendField(b []byte, s string, sep byte) []byte {
	if !needsQuote(s, sep) {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

// appendRecord appends fields as one CSV line ending in CRLF-free "\n".
func appendRecord(b []byte, sep byte, fields ...string) []byte {
	for i, f := range fields {
		if i > 0 {
			b = append(b, sep)
		}
		b = appendField(b, f, sep)
	}
	return append(b, '\n')
}

// appendDuration appends seconds with one decimal; decimal comma when sep is ';'.
func appendDuration(b []byte, d float64, sep byte) []byte {
	n := len(b)
	b = strconv.AppendFloat(b, d, 'f', 1, 64)
	if sep == ';' {
		for i := n; i < len(b); i++ {
			if b[i] == '.' {
				b[i] = ','
			}
		}
	}
	return b
}

// appendRow appends a judgment as one canonical CSV line.
func appendRow(b []byte, rw *row, sep byte) []byte {
	b = appendField(b, rw.item, sep)
	b = append(b, sep)
	b = append(b, rw.rv.id...)
	b = append(b, sep)
	b = append(b, Labels[rw.label]...)
	b = append(b, sep)
	b = appendField(b, rw.rv.m.vendor, sep)
	b = append(b, sep)
	b = appendField(b, rw.rv.team, sep)
	b = append(b, sep)
	b = append(b, rw.rv.m.code...)
	b = append(b, sep)
	b = append(b, rw.queue...)
	b = append(b, sep)
	b = strconv.AppendInt(b, int64(rw.round), 10)
	b = append(b, sep)
	b = rw.at.AppendFormat(b, time.RFC3339)
	b = append(b, sep)
	b = appendDuration(b, rw.dur, sep)
	b = append(b, sep)
	b = append(b, rw.sop.version...)
	b = append(b, sep)
	b = append(b, rw.sop.template...)
	b = append(b, sep)
	b = appendField(b, rw.content, sep)
	b = append(b, sep)
	b = appendField(b, rw.comment, sep)
	b = append(b, sep)
	b = append(b, rw.errCat...)
	b = append(b, sep)
	b = append(b, rw.cause...)
	return append(b, '\n')
}

// sink is one CSV file being written.
type sink struct {
	path string
	f    *os.File
	w    *bufio.Writer
	sep  byte
	rows int64
}

// sinks opens CSV files on first use and remembers every file it created.
type sinks struct {
	dir   string
	open  map[string]*sink
	files []string
	buf   []byte
}

func newSinks(dir string) *sinks { return &sinks{dir: dir, open: map[string]*sink{}} }

// get returns the sink for a file name under dir, creating the file with
// header when it is first asked for.
func (s *sinks) get(name string, sep byte, header []string) (*sink, error) {
	if k, ok := s.open[name]; ok {
		return k, nil
	}
	path := filepath.Join(s.dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	s.files = append(s.files, path)
	k := &sink{path: path, f: f, w: bufio.NewWriterSize(f, 64<<10), sep: sep}
	s.open[name] = k
	if _, err := k.w.Write(appendRecord(nil, sep, header...)); err != nil {
		return nil, err
	}
	return k, nil
}

// write appends a judgment to the named file.
func (s *sinks) write(name string, sep byte, rw *row) error {
	k, err := s.get(name, sep, Header)
	if err != nil {
		return err
	}
	s.buf = appendRow(s.buf[:0], rw, sep)
	k.rows++
	_, err = k.w.Write(s.buf)
	return err
}

// writeFields appends a record of plain fields to the named file.
func (s *sinks) writeFields(name string, header []string, fields ...string) error {
	k, err := s.get(name, ',', header)
	if err != nil {
		return err
	}
	s.buf = appendRecord(s.buf[:0], ',', fields...)
	k.rows++
	_, err = k.w.Write(s.buf)
	return err
}

// close flushes and closes every file, returning the first error.
func (s *sinks) close() error {
	var first error
	names := make([]string, 0, len(s.open))
	for n := range s.open {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		k := s.open[n]
		if err := k.w.Flush(); err != nil && first == nil {
			first = err
		}
		if err := k.f.Close(); err != nil && first == nil {
			first = err
		}
	}
	s.open = map[string]*sink{}
	return first
}

// remove deletes every file created (after a failure or cancellation).
func (s *sinks) remove() {
	for _, p := range s.files {
		os.Remove(p)
	}
}

// writeXLSX writes judgments as a workbook with one sheet, the way a
// labeling tool's Excel export looks: text cells are written with
// SetCellStr, so ad copy starting with "=" stays text, never a formula;
// round and duration are numbers.
func writeXLSX(path string, rows []row) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	const sheet = "Export"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	for c, h := range Header {
		cell, _ := excelize.CoordinatesToCellName(c+1, 1)
		if err := f.SetCellStr(sheet, cell, h); err != nil {
			return err
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	if err := f.SetRowStyle(sheet, 1, 1, bold); err != nil {
		return err
	}
	for i := range rows {
		rw := &rows[i]
		r := i + 2
		text := []string{
			rw.item, rw.rv.id, Labels[rw.label], rw.rv.m.vendor, rw.rv.team, rw.rv.m.code, rw.queue,
			"", rw.at.Format(time.RFC3339), "", rw.sop.version, rw.sop.template, rw.content, rw.comment,
			rw.errCat, rw.cause,
		}
		for c, v := range text {
			cell, _ := excelize.CoordinatesToCellName(c+1, r)
			switch c {
			case 7:
				err = f.SetCellInt(sheet, cell, int64(rw.round))
			case 9:
				err = f.SetCellFloat(sheet, cell, rw.dur, 1, 64)
			default:
				if v == "" {
					continue
				}
				err = f.SetCellStr(sheet, cell, v)
			}
			if err != nil {
				return err
			}
		}
	}
	widths := []struct {
		col string
		w   float64
	}{{"A", 14}, {"B", 12}, {"C", 20}, {"D", 18}, {"I", 26}, {"L", 15}, {"M", 70}, {"N", 30}, {"O", 18}, {"P", 18}}
	for _, cw := range widths {
		if err := f.SetColWidth(sheet, cw.col, cw.col, cw.w); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(out)
	if _, err := f.WriteTo(bw); err != nil {
		out.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
