package ingest

import (
	"archive/zip"
	"bytes"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// fastXLSX switches the fast worksheet reader on; tests turn it off to compare
// it with excelize's row iterator.
var fastXLSX = true

// fastXLSXStats counts, for tests, the workbooks the fast reader read to the
// end, those it declined before the first row, and its hand-overs.
var fastXLSXStats struct{ read, declined, handedOver, recovered atomic.Int64 }

// The fast XLSX reader.
//
// excelize decodes a worksheet with encoding/xml's Token API, which is most of
// the time an XLSX import takes. The fast reader scans the worksheet and the
// shared strings itself, byte by byte, for the subset of SpreadsheetML that
// spreadsheet programs write: <row r>, <c r s t> with <v>, <f> (skipped: the
// cached <v> is the value) and <is>, shared strings with a plain <t> or rich
// text runs (<r><rPr/><t/></r>), phonetic runs skipped. It yields exactly the
// rows excelize's Rows.Columns(Options{RawCellValue: true}) would, with the
// same row numbers.
//
// Which part is the sheet, the sheet names and the workbook properties still
// come from excelize: it opens a copy of the workbook whose worksheets and
// shared strings are replaced by small stubs (the other parts are copied
// compressed), so it parses workbook.xml, its relationships, the styles and
// the rest as it always does, and reading the chosen sheet's stub tells which
// zip entry it resolves the sheet to.
//
// Anything outside the subset (another element or attribute form, a comment,
// CDATA, malformed XML, a character encoding/xml refuses, an unknown cell type,
// a shared-string index out of range, a size limit) makes it give up. Before
// the first row (the workbook, the shared strings, the worksheet up to
// <sheetData>), readXLSX then reads the whole workbook with excelize instead.
// In the sheet data, it hands over to excelize at a row boundary, the way
// delimReader hands over to encoding/csv: excelize opens the workbook, reads
// (and drops) the rows the fast reader has returned, so that its iterator is
// exactly where it would have been, and goes on from there. A row is returned
// only after the next row's start tag (or </sheetData>) was read cleanly, since
// that tag decides where excelize ends the row before it.

var errFast = errors.New("not in the fast XLSX subset")

const (
	spreadsheetNS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	stubPrefix    = "labelqa-stub-"
	maxFastItem   = 64 << 20 // the longest row or string item the fast reader buffers
	maxFastPrefix = 16 << 20 // the most worksheet XML before <sheetData>
	maxSheetRow   = 1_048_576
	maxSheetCol   = 16_384
)

// fastSheet is the chosen sheet as the fast reader sees it.
type fastSheet struct {
	name     string
	date1904 bool
	part     *zip.File
	sst      []string
	haveSST  bool // sst was read from the workbook's part
}

// sheetLoc is the chosen sheet's part, as excelize resolves it, and the
// shared strings part.
type sheetLoc struct {
	name     string
	date1904 bool
	part     *zip.File
	sstFile  *zip.File
	// caseTwins is true when two sheet names differ only in case (excelize
	// resolves such a name to either part, by map order).
	caseTwins bool
}

// locateSheet finds the sheet readXLSX reads and its part. With a problem that
// makes the workbook ambiguous, it returns what to tell the user; with nil
// and "", the sheet could not be located.
func (s *scanner) locateSheet() (loc *sheetLoc, problem string) {
	defer func() {
		if r := recover(); r != nil { // a scanner bug: the sheet is not located
			fastXLSXStats.recovered.Add(1)
			loc, problem = nil, ""
		}
	}()
	zr, err := zip.NewReader(s.ra, s.size)
	if err != nil {
		return nil, ""
	}
	// A copy of the workbook with stub worksheets, for excelize. Each stub
	// names its part with a marker no file can guess (a nonce per open), so
	// a crafted cell cannot pose as a stub. A workbook with two parts of one
	// name (which excelize may resolve either way) is refused.
	var nonce [8]byte
	if _, err := crand.Read(nonce[:]); err != nil {
		return nil, ""
	}
	marker := stubPrefix + hex.EncodeToString(nonce[:]) + "-"
	seen := make(map[string]bool, len(zr.File))
	var mini bytes.Buffer
	zw := zip.NewWriter(&mini)
	var sstFile *zip.File
	for i, f := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		if seen[name] {
			return nil, fmt.Sprintf("the workbook holds two parts named %s, so it is damaged; open it in Excel, save it again and import it again", f.Name)
		}
		seen[name] = true
		switch {
		case name == "xl/sharedstrings.xml":
			sstFile = f
			w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Store})
			if err != nil {
				return nil, ""
			}
			io.WriteString(w, `<sst xmlns="`+spreadsheetNS+`"></sst>`)
		case strings.HasPrefix(name, "xl/worksheets/") && !strings.Contains(name, "/_rels/") && !strings.HasSuffix(name, "/"):
			w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Store})
			if err != nil {
				return nil, ""
			}
			io.WriteString(w, `<worksheet xmlns="`+spreadsheetNS+`"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>`+
				marker+strconv.Itoa(i)+`</t></is></c></row></sheetData></worksheet>`)
		default:
			if err := zw.Copy(f); err != nil {
				return nil, ""
			}
		}
	}
	if err := zw.Close(); err != nil {
		return nil, ""
	}
	xo := excelize.Options{UnzipSizeLimit: MaxXLSXUnzipped, UnzipXMLSizeLimit: 16 << 20}
	ef, err := excelize.OpenReader(bytes.NewReader(mini.Bytes()), xo)
	if err != nil {
		if ef != nil {
			ef.Close()
		}
		return nil, ""
	}
	defer ef.Close()
	sheets := ef.GetSheetList()
	sheet, found := s.pickSheet(sheets)
	if !found {
		return nil, ""
	}
	lower := make(map[string]bool, len(sheets))
	twins := false
	for _, n := range sheets {
		if lower[strings.ToLower(n)] {
			twins = true
		}
		lower[strings.ToLower(n)] = true
	}
	for _, n := range sheets {
		if n != sheet && strings.EqualFold(n, sheet) {
			return nil, fmt.Sprintf("the workbook has sheets named %q and %q, whose names differ only in case, and LabelQA cannot tell which is which; rename one of them in Excel and save the workbook again", sheet, n)
		}
	}
	rows, err := ef.Rows(sheet)
	if err != nil {
		return nil, ""
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, ""
	}
	rec, err := rows.Columns()
	if err != nil || len(rec) != 1 || !strings.HasPrefix(rec[0], marker) {
		return nil, ""
	}
	i, err := strconv.Atoi(rec[0][len(marker):])
	if err != nil || i < 0 || i >= len(zr.File) {
		return nil, ""
	}
	loc = &sheetLoc{name: sheet, part: zr.File[i], sstFile: sstFile, caseTwins: twins}
	if p, err := ef.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		loc.date1904 = *p.Date1904
	}
	return loc, ""
}

// openFastXLSX reads the shared strings of the located sheet's workbook for
// the fast reader. ok is false when the fast reader cannot be used for it.
func (s *scanner) openFastXLSX(loc *sheetLoc) (fs *fastSheet, ok bool) {
	defer func() {
		if r := recover(); r != nil { // a scanner bug declines the fast path
			fastXLSXStats.recovered.Add(1)
			fs, ok = nil, false
		}
	}()
	if loc == nil || loc.caseTwins {
		return nil, false
	}
	fs = &fastSheet{name: loc.name, part: loc.part, date1904: loc.date1904}
	if loc.sstFile != nil {
		var err error
		if fs.sst, err = s.readSharedStrings(loc.sstFile); err != nil {
			return nil, false
		}
		fs.haveSST = true
	}
	return fs, true
}

// openPart opens a zip entry through a cap of its declared size, which
// checkZip has held it to.
func openPart(f *zip.File) (io.ReadCloser, *capReader, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, nil, err
	}
	return rc, &capReader{r: rc, max: int64(min(f.UncompressedSize64, MaxXLSXUnzipped))}, nil
}

// chunks buffers an XML stream for the item scanners.
type chunks struct {
	r   io.Reader
	buf []byte
	pos int // buf[pos:] is unread
	// limit (for rows) is past the last "</row>" in buf, or len(buf) at the
	// end of the stream: a row starting before it ends before it.
	limit int
	eof   bool
	err   error
}

// more reads more of the stream into buf; false at the end or on an error.
func (c *chunks) more() bool {
	if c.eof || c.err != nil {
		return false
	}
	if c.pos > 0 && c.pos >= len(c.buf)/2 {
		n := copy(c.buf, c.buf[c.pos:])
		c.buf = c.buf[:n]
		c.limit = max(c.limit-c.pos, 0)
		c.pos = 0
	}
	if cap(c.buf)-len(c.buf) < 64<<10 {
		if len(c.buf)-c.pos > maxFastItem {
			c.err = errFast
			return false
		}
		nb := make([]byte, len(c.buf), 2*cap(c.buf)+256<<10)
		copy(nb, c.buf)
		c.buf = nb
	}
	n, err := c.r.Read(c.buf[len(c.buf):cap(c.buf)])
	c.buf = c.buf[:len(c.buf)+n]
	if err == io.EOF {
		c.eof = true
	} else if err != nil {
		c.err = err
	}
	return n > 0 || err == nil
}

// find returns the offset from pos of pat, reading more as needed; -1 when the
// stream ends first.
func (c *chunks) find(from int, pat []byte) int {
	for {
		if i := bytes.Index(c.buf[c.pos+from:], pat); i >= 0 {
			return from + i
		}
		from = max(from, len(c.buf)-c.pos-len(pat)+1)
		if !c.more() {
			return -1
		}
	}
}

// nextItem skips whitespace and returns the next element: its name must be
// item (it returns the element's bytes up to its end tag, which the caller
// parses) or the container's end tag end (it returns nil, true). Anything else
// is outside the subset.
func (c *chunks) nextItem(item, end string) ([]byte, bool) {
	for {
		for c.pos < len(c.buf) && isSpace(c.buf[c.pos]) {
			c.pos++
		}
		if c.pos < len(c.buf) && len(c.buf)-c.pos >= len(end)+3 {
			break
		}
		if !c.more() {
			if c.pos < len(c.buf) {
				break
			}
			return nil, false
		}
	}
	b := c.buf[c.pos:]
	if b[0] != '<' {
		return nil, false
	}
	if bytes.HasPrefix(b[1:], []byte(end)) {
		k := c.find(0, []byte(">"))
		if k < 0 {
			return nil, false
		}
		if _, ok := endTag(c.buf[c.pos:c.pos+k+1], 0, end[1:]); !ok {
			return nil, false
		}
		return nil, true
	}
	if !bytes.HasPrefix(b[1:], []byte(item)) {
		return nil, false
	}
	// The end of the start tag: the first '>' outside quotes.
	j := 1 + len(item)
	var quote byte
	for {
		for ; j < len(c.buf)-c.pos; j++ {
			ch := c.buf[c.pos+j]
			switch {
			case quote != 0:
				if ch == quote {
					quote = 0
				}
			case ch == '"' || ch == '\'':
				quote = ch
			case ch == '>':
				goto tagEnd
			}
		}
		if !c.more() {
			return nil, false
		}
	}
tagEnd:
	if c.buf[c.pos+j-1] == '/' {
		it := c.buf[c.pos : c.pos+j+1]
		c.pos += j + 1
		return it, false
	}
	closeTag := "</" + item + ">"
	k := c.find(j, []byte(closeTag))
	if k < 0 {
		return nil, false
	}
	it := c.buf[c.pos : c.pos+k+len(closeTag)]
	c.pos += k + len(closeTag)
	return it, false
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// isInCharacterRange is encoding/xml's test for a character XML allows.
func isInCharacterRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// textSpecial marks the bytes appendText cannot copy as they are.
var textSpecial = func() (t [256]bool) {
	for ch := range 256 {
		t[ch] = ch == '&' || ch == '\r' || ch == ']' || ch == '<' || ch >= 0x80 || ch < 0x20 && ch != '\t' && ch != '\n'
	}
	return t
}()

// appendText appends character data (or an attribute value, attr) decoded as
// encoding/xml decodes it: entities and character references, "\r\n" and "\r"
// read as "\n". ok is false for anything encoding/xml refuses.
func appendText(dst, raw []byte, attr bool) ([]byte, bool) {
	plain := true
	for _, ch := range raw {
		if textSpecial[ch] {
			plain = false
			break
		}
	}
	if plain {
		return append(dst, raw...), true
	}
	var b0, b1 byte
	for i := 0; i < len(raw); {
		ch := raw[i]
		switch {
		case ch == '<':
			return dst, false
		case ch == '>' && b0 == ']' && b1 == ']' && !attr:
			return dst, false
		case ch == '&':
			j := bytes.IndexByte(raw[i:], ';')
			if j < 2 {
				return dst, false
			}
			name := raw[i+1 : i+j]
			var r rune
			switch string(name) {
			case "amp":
				r = '&'
			case "lt":
				r = '<'
			case "gt":
				r = '>'
			case "quot":
				r = '"'
			case "apos":
				r = '\''
			default:
				if name[0] != '#' || len(name) < 2 {
					return dst, false
				}
				digits, base := name[1:], 10
				if digits[0] == 'x' {
					digits, base = digits[1:], 16
				}
				if len(digits) == 0 || len(digits) > 8 {
					return dst, false
				}
				for _, d := range digits {
					if !(d >= '0' && d <= '9' || base == 16 && (d >= 'a' && d <= 'f' || d >= 'A' && d <= 'F')) {
						return dst, false
					}
				}
				n, err := strconv.ParseUint(string(digits), base, 32)
				if err != nil {
					return dst, false
				}
				r = rune(n)
			}
			if !isInCharacterRange(r) {
				return dst, false
			}
			dst = utf8.AppendRune(dst, r)
			b0, b1 = 0, 0
			i += j + 1
			continue
		case ch == '\r':
			dst = append(dst, '\n')
		case ch == '\n' && b1 == '\r':
			// "\r\n": the "\n" is written
		case ch < 0x20 && ch != '\t' && ch != '\n':
			return dst, false
		case ch >= 0x80:
			r, size := utf8.DecodeRune(raw[i:])
			if r == utf8.RuneError && size == 1 || !isInCharacterRange(r) {
				return dst, false
			}
			dst = append(dst, raw[i:i+size]...)
			b0, b1 = b1, raw[i+size-1]
			i += size
			continue
		default:
			dst = append(dst, ch)
		}
		b0, b1 = b1, ch
		i++
	}
	return dst, true
}

// tag is a start tag read by readTag.
type tag struct {
	name  []byte
	attrs []byte // the raw attributes
	empty bool   // <name .../>
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == ':' || c == '.' || c == '-'
}

// readTag reads a start tag at b[i] ('<' and a name); next is past its '>'.
func readTag(b []byte, i int) (t tag, next int, ok bool) {
	if i >= len(b) || b[i] != '<' {
		return t, 0, false
	}
	j := i + 1
	for j < len(b) && isNameByte(b[j]) {
		j++
	}
	if j == i+1 || !(b[i+1] >= 'a' && b[i+1] <= 'z' || b[i+1] >= 'A' && b[i+1] <= 'Z' || b[i+1] == '_') {
		return t, 0, false
	}
	t.name = b[i+1 : j]
	k := j
	for k < len(b) {
		switch b[k] {
		case '"', '\'':
			q := bytes.IndexByte(b[k+1:], b[k])
			if q < 0 {
				return t, 0, false
			}
			k += q + 2
			continue
		case '>':
			if b[k-1] == '/' && k-1 >= j {
				t.attrs, t.empty = b[j:k-1], true
			} else {
				t.attrs = b[j:k]
			}
			if len(t.attrs) > 0 && !isSpace(t.attrs[0]) {
				return t, 0, false
			}
			return t, k + 1, true
		}
		k++
	}
	return t, 0, false
}

// plainName accepts an ASCII name or prefix:name whose parts start with a
// letter or '_', and no xmlns declaration.
func plainName(n []byte) bool {
	part := func(p []byte) bool {
		if len(p) == 0 || !(p[0] >= 'a' && p[0] <= 'z' || p[0] >= 'A' && p[0] <= 'Z' || p[0] == '_') {
			return false
		}
		return bytes.IndexByte(p, ':') < 0
	}
	if i := bytes.IndexByte(n, ':'); i >= 0 {
		return part(n[:i]) && part(n[i+1:])
	}
	return part(n)
}

func isXMLNS(n []byte) bool {
	return string(n) == "xmlns" || bytes.HasPrefix(n, []byte("xmlns:"))
}

// nextAttr is nextAttrNS refusing namespace declarations.
func nextAttr(a []byte) (name, val, rest []byte, done, ok bool) {
	name, val, rest, done, ok = nextAttrNS(a)
	if ok && !done && isXMLNS(name) {
		return nil, nil, nil, false, false
	}
	return
}

// nextAttrNS reads the attribute at the start of a (after whitespace); it
// returns its name and raw value, and the rest. done is true when none is left.
func nextAttrNS(a []byte) (name, val, rest []byte, done, ok bool) {
	i := 0
	for i < len(a) && isSpace(a[i]) {
		i++
	}
	if i == len(a) {
		return nil, nil, nil, true, true
	}
	if i == 0 {
		return nil, nil, nil, false, false // attributes need a space before them
	}
	j := i
	for j < len(a) && isNameByte(a[j]) {
		j++
	}
	name = a[i:j]
	if !plainName(name) {
		return nil, nil, nil, false, false
	}
	for j < len(a) && isSpace(a[j]) {
		j++
	}
	if j == len(a) || a[j] != '=' {
		return nil, nil, nil, false, false
	}
	j++
	for j < len(a) && isSpace(a[j]) {
		j++
	}
	if j == len(a) || a[j] != '"' && a[j] != '\'' {
		return nil, nil, nil, false, false
	}
	q := bytes.IndexByte(a[j+1:], a[j])
	if q < 0 {
		return nil, nil, nil, false, false
	}
	return name, a[j+1 : j+1+q], a[j+2+q:], false, true
}

// attrValue decodes a raw attribute value; ok is false for what encoding/xml
// refuses.
func attrValue(raw []byte, scratch []byte) ([]byte, bool) {
	return appendText(scratch[:0], raw, true)
}

// localName is the part of an attribute name after its prefix, and whether it
// had one.
func localName(name []byte) ([]byte, bool) {
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		return name[i+1:], true
	}
	return name, false
}

// endTag reads "</name>" (with optional spaces before '>') at b[i].
func endTag(b []byte, i int, name string) (int, bool) {
	if !bytes.HasPrefix(b[i:], []byte("</")) || !bytes.HasPrefix(b[i+2:], []byte(name)) {
		return 0, false
	}
	j := i + 2 + len(name)
	for j < len(b) && isSpace(b[j]) {
		j++
	}
	if j == len(b) || b[j] != '>' {
		return 0, false
	}
	return j + 1, true
}

// textUntilTag returns the raw character data at b[i] up to the next '<'.
func textUntilTag(b []byte, i int) ([]byte, int) {
	j := bytes.IndexByte(b[i:], '<')
	if j < 0 {
		return b[i:], len(b)
	}
	return b[i : i+j], i + j
}

// skipSpace skips whitespace character data at b[i]; false when it meets other
// character data.
func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// child reads the next child of an element whose end tag is </end>, at b[i]
// after optional space: its start tag t and next past it, or at the end tag
// done with next past it. ok is false for anything else (text, a comment, a
// malformed tag, the end of b).
func child(b []byte, i int, end string) (t tag, next int, done, ok bool) {
	i = skipSpace(b, i)
	if i+1 >= len(b) || b[i] != '<' {
		return t, 0, false, false
	}
	if b[i+1] == '/' {
		next, ok = endTag(b, i, end)
		return t, next, true, ok
	}
	t, next, ok = readTag(b, i)
	return t, next, false, ok
}

// readTextElement reads the content of a text-only element (<v>, <t>, <f>)
// whose start tag t ended at i, appending it to dst.
func readTextElement(b []byte, i int, t tag, dst []byte) ([]byte, int, bool) {
	if t.empty {
		return dst, i, true
	}
	raw, j := textUntilTag(b, i)
	dst, ok := appendText(dst, raw, false)
	if !ok {
		return dst, 0, false
	}
	next, ok := endTag(b, j, string(t.name))
	return dst, next, ok
}

// checkAttrs checks a tag's attributes with check (name, decoded value).
func checkAttrs(attrs []byte, scratch *[]byte, check func(name, val []byte) bool) bool {
	for {
		name, raw, rest, done, ok := nextAttr(attrs)
		if !ok {
			return false
		}
		if done {
			return true
		}
		v, ok := attrValue(raw, *scratch)
		*scratch = v
		if !ok || !check(name, v) {
			return false
		}
		attrs = rest
	}
}

func noAttrs(attrs []byte) bool {
	for _, c := range attrs {
		if !isSpace(c) {
			return false
		}
	}
	return true
}

// Typed attributes as encoding/xml unmarshals them into excelize's structs:
// an empty value is the zero value, anything else is trimmed and parsed, so
// a value of only spaces fails (and the fast reader hands the file over).
func intAttr(v []byte) bool {
	if len(v) == 0 {
		return true // encoding/xml leaves the zero value; a blank value is an error
	}
	_, err := strconv.ParseInt(strings.TrimSpace(string(v)), 10, 64)
	return err == nil
}

func uintAttr(v []byte) bool {
	if len(v) == 0 {
		return true // encoding/xml leaves the zero value; a blank value is an error
	}
	_, err := strconv.ParseUint(strings.TrimSpace(string(v)), 10, 32)
	return err == nil
}

func floatAttr(v []byte) bool {
	if len(v) == 0 {
		return true // encoding/xml leaves the zero value; a blank value is an error
	}
	_, err := strconv.ParseFloat(strings.TrimSpace(string(v)), 64)
	return err == nil
}

func boolAttr(v []byte) bool {
	if len(v) == 0 {
		return true // encoding/xml leaves the zero value; a blank value is an error
	}
	_, err := strconv.ParseBool(strings.TrimSpace(string(v)))
	return err == nil
}

// stringItem reads the content of a string item (<si> or <is>) at b[i] up to
// the end tag </end>, as excelize's xlsxSI.String gives it: the <t> and the
// <t> of every run, concatenated and unescaped from _xHHHH_.
type stringItem struct {
	t, runs []byte
	scratch []byte
}

func (si *stringItem) read(b []byte, i int, end string) (string, int, bool) {
	v, next, ok := si.appendTo(nil, b, i, end)
	return string(v), next, ok
}

// appendTo reads like read and appends the string to dst.
func (si *stringItem) appendTo(dst, b []byte, i int, end string) ([]byte, int, bool) {
	// The common <t>text</t></end> first.
	if bytes.HasPrefix(b[i:], []byte("<t>")) {
		if j := bytes.IndexByte(b[i+3:], '<'); j >= 0 {
			k := i + 3 + j
			if bytes.HasPrefix(b[k:], []byte("</t></")) && bytes.HasPrefix(b[k+6:], []byte(end)) && k+6+len(end) < len(b) && b[k+6+len(end)] == '>' {
				start := len(dst)
				dst, ok := appendText(dst, b[i+3:k], false)
				if !ok {
					return dst, 0, false
				}
				if bytes.Contains(dst[start:], []byte("_x")) {
					dst = append(dst[:start], bstrUnmarshal(string(dst[start:]))...)
				}
				return dst, k + 7 + len(end), true
			}
		}
	}
	next, ok := si.parse(b, i, end)
	if !ok {
		return dst, 0, false
	}
	start := len(dst)
	dst = append(append(dst, si.t...), si.runs...)
	if bytes.Contains(dst[start:], []byte("_x")) {
		dst = append(dst[:start], bstrUnmarshal(string(dst[start:]))...)
	}
	return dst, next, true
}

// parse reads a string item's content into t and runs.
func (si *stringItem) parse(b []byte, i int, end string) (int, bool) {
	si.t, si.runs = si.t[:0], si.runs[:0]
	haveT := false
	for {
		t, next, done, ok := child(b, i, end)
		if !ok {
			return 0, false
		}
		if done {
			return next, true
		}
		switch string(t.name) {
		case "t":
			if haveT || !si.tAttrs(t) {
				return 0, false
			}
			haveT = true
			if si.t, i, ok = readTextElement(b, next, t, si.t); !ok {
				return 0, false
			}
		case "r":
			if i, ok = si.run(b, next, t); !ok {
				return 0, false
			}
		case "rPh":
			if i, ok = si.phonetic(b, next, t); !ok {
				return 0, false
			}
		case "phoneticPr":
			if !t.empty {
				if next, ok = endTag(b, skipSpace(b, next), "phoneticPr"); !ok {
					return 0, false
				}
			}
			ok = checkAttrs(t.attrs, &si.scratch, func(n, v []byte) bool {
				switch string(n) {
				case "fontId":
					return intAttr(v)
				}
				return bytes.IndexByte(n, ':') < 0
			})
			if !ok {
				return 0, false
			}
			i = next
		default:
			return 0, false
		}
	}
}

// tAttrs accepts a <t> with no attributes or xml:space.
func (si *stringItem) tAttrs(t tag) bool {
	return checkAttrs(t.attrs, &si.scratch, func(n, v []byte) bool { return string(n) == "xml:space" })
}

// run reads a rich text run <r><rPr>...</rPr><t>...</t></r>.
func (si *stringItem) run(b []byte, i int, rt tag) (int, bool) {
	if !noAttrs(rt.attrs) {
		return 0, false
	}
	if rt.empty {
		return i, true
	}
	haveT, havePr := false, false
	for {
		t, next, done, ok := child(b, i, "r")
		if !ok || done {
			return next, ok
		}
		switch string(t.name) {
		case "t":
			if haveT || !si.tAttrs(t) {
				return 0, false
			}
			haveT = true
			if si.runs, i, ok = readTextElement(b, next, t, si.runs); !ok {
				return 0, false
			}
		case "rPr":
			if havePr || !noAttrs(t.attrs) {
				return 0, false
			}
			havePr = true
			if i, ok = si.runProps(b, next, t); !ok {
				return 0, false
			}
		default:
			return 0, false
		}
	}
}

// runProps reads <rPr> with the properties excelize's xlsxRPr holds, each an
// empty element whose typed attributes must parse as they do there.
func (si *stringItem) runProps(b []byte, i int, pt tag) (int, bool) {
	if pt.empty {
		return i, true
	}
	for {
		t, next, done, ok := child(b, i, "rPr")
		if !ok || done {
			return next, ok
		}
		if !t.empty { // <b val="1"></b>, as excelize writes them
			if next, ok = endTag(b, skipSpace(b, next), string(t.name)); !ok {
				return 0, false
			}
		}
		var check func(n, v []byte) bool
		switch string(t.name) {
		case "rFont", "u", "vertAlign", "scheme":
			check = func(n, v []byte) bool { return true }
		case "charset", "family":
			check = func(n, v []byte) bool { return string(n) != "val" || intAttr(v) }
		case "sz":
			check = func(n, v []byte) bool { return string(n) != "val" || floatAttr(v) }
		case "b", "i", "strike", "outline", "shadow", "condense", "extend":
			check = func(n, v []byte) bool { return string(n) != "val" || boolAttr(v) }
		case "color":
			check = func(n, v []byte) bool {
				switch string(n) {
				case "auto":
					return boolAttr(v)
				case "indexed", "theme":
					return intAttr(v)
				case "tint":
					return floatAttr(v)
				}
				return true
			}
		default:
			return 0, false
		}
		if !checkAttrs(t.attrs, &si.scratch, func(n, v []byte) bool {
			return bytes.IndexByte(n, ':') < 0 && check(n, v)
		}) {
			return 0, false
		}
		i = next
	}
}

// phonetic skips a phonetic run <rPh sb eb><t>...</t></rPh>.
func (si *stringItem) phonetic(b []byte, i int, pt tag) (int, bool) {
	if !checkAttrs(pt.attrs, &si.scratch, func(n, v []byte) bool {
		switch string(n) {
		case "sb", "eb":
			return uintAttr(v)
		}
		return bytes.IndexByte(n, ':') < 0
	}) {
		return 0, false
	}
	if pt.empty {
		return i, true
	}
	haveT := false
	for {
		t, next, done, ok := child(b, i, "rPh")
		if !ok || done {
			return next, ok
		}
		if string(t.name) != "t" || haveT || !si.tAttrs(t) {
			return 0, false
		}
		haveT = true
		if si.scratch, i, ok = readTextElement(b, next, t, si.scratch[:0]); !ok {
			return 0, false
		}
	}
}

// checkProlog checks the XML before the root element (or, for a worksheet,
// before <sheetData>) the way excelize's decoder reads it: encoding/xml must
// read it without an error, and for a worksheet it must not hold an element
// named row or the end of sheetData.
func checkProlog(b []byte, root bool) bool {
	d := xml.NewDecoder(bytes.NewReader(b))
	var stack []xml.Name
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return !root || len(stack) == 0
		}
		if err != nil {
			return false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root || t.Name.Local == "row" {
				return false
			}
			stack = append(stack, t.Name)
		case xml.EndElement:
			if len(stack) == 0 || stack[len(stack)-1] != t.Name || t.Name.Local == "sheetData" {
				return false
			}
			stack = stack[:len(stack)-1]
		case xml.ProcInst:
			if t.Target != "xml" {
				return false
			}
		case xml.CharData:
			if root && len(bytes.TrimLeft(t, " \t\r\n")) > 0 {
				return false
			}
		case xml.Comment, xml.Directive:
			return false
		}
	}
}

// rootStart reads the stream up to the end of the start tag of the element
// named name (with no prefix) and returns the bytes before it and the tag.
func (c *chunks) rootStart(name string, limit int) (prolog []byte, t tag, ok bool) {
	pat := []byte("<" + name)
	from := 0
	for {
		k := c.find(from, pat)
		if k < 0 || k > limit {
			return nil, t, false
		}
		// the name must end there
		for len(c.buf)-c.pos < k+len(pat)+1 {
			if !c.more() {
				return nil, t, false
			}
		}
		ch := c.buf[c.pos+k+len(pat)]
		if !(isSpace(ch) || ch == '>' || ch == '/') {
			from = k + 1
			continue
		}
		// The tag ends at the first '>' outside a quoted value, found in one
		// pass: trying readTag at every '>' was quadratic in a tag full of
		// quoted '>'s.
		end := -1
		var quote byte
		for j := k + len(pat); end < 0; j++ {
			for len(c.buf)-c.pos <= j {
				if j > k+1<<20 || !c.more() {
					return nil, t, false
				}
			}
			switch ch := c.buf[c.pos+j]; {
			case quote != 0:
				if ch == quote {
					quote = 0
				}
			case ch == '"' || ch == '\'':
				quote = ch
			case ch == '>':
				end = j
			}
		}
		t, next, ok := readTag(c.buf[c.pos:c.pos+end+1], k)
		if !ok {
			return nil, t, false
		}
		prolog = c.buf[c.pos : c.pos+k]
		c.pos += next
		return prolog, t, true
	}
}

// readSharedStrings reads xl/sharedStrings.xml as excelize's xlsxSST holds it.
func (s *scanner) readSharedStrings(f *zip.File) ([]string, error) {
	rc, cr, err := openPart(f)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	if f.UncompressedSize64 == 0 {
		return nil, errFast
	}
	c := &chunks{r: cr}
	prolog, root, ok := c.rootStart("sst", 1<<20)
	if !ok || !checkProlog(prolog, true) {
		return nil, errFast
	}
	var scratch []byte
	ns := false
	for attrs := root.attrs; ; {
		n, raw, rest, done, ok := nextAttrNS(attrs)
		if !ok {
			return nil, errFast
		}
		if done {
			break
		}
		attrs = rest
		v, ok := attrValue(raw, scratch)
		scratch = v
		switch {
		case !ok:
			return nil, errFast
		case string(n) == "xmlns":
			ns = string(v) == spreadsheetNS
		case string(n) == "count" || string(n) == "uniqueCount":
			ok = intAttr(v)
		case isXMLNS(n):
			ok = len(v) > 0
		}
		if !ok {
			return nil, errFast
		}
	}
	if !ns {
		return nil, errFast
	}
	var sst []string
	if root.empty {
		return sst, nil
	}
	var si stringItem
	for {
		if len(sst)&4095 == 4095 {
			if err := s.ctx.Err(); err != nil {
				return nil, err
			}
		}
		item, end := c.nextItem("si", "/sst")
		if end {
			return sst, nil
		}
		if item == nil {
			if c.err != nil && c.err != errFast {
				return nil, c.err
			}
			return nil, errFast
		}
		if bytes.Contains(item, []byte("purl.oclc.org")) { // excelize rewrites Strict namespaces in the part
			return nil, errFast
		}
		t, next, ok := readTag(item, 0)
		if !ok || string(t.name) != "si" || !noAttrs(t.attrs) {
			return nil, errFast
		}
		if len(sst) >= MaxXLSXCells {
			// More strings than a sheet may have cells: refuse through the
			// excelize path's checks rather than hold them all.
			return nil, errFast
		}
		if t.empty {
			sst = append(sst, "")
			continue
		}
		s, next, ok := si.read(item, next, "si")
		if !ok || next != len(item) {
			return nil, errFast
		}
		sst = append(sst, s)
	}
}

// sheetReader yields a worksheet's rows as excelize's Rows.Next and
// Rows.Columns(Options{RawCellValue: true}) do, skipping blank rows.
type sheetReader struct {
	c      *chunks
	rc     io.ReadCloser
	sst    []string
	row    int // the sheet row number of the row handed out (or skipped as blank) last
	last   int // the sheet row number of the row parsed last
	done   bool
	failed bool

	pendingRow  int
	pendingRec  []string
	havePending bool
	si          stringItem
	text        []byte // the row's decoded text values
	vals        []cellVal
	scratch     []byte
}

// cellVal is one value of a row: text[start:end] or, with sst >= 0, a shared
// string; col is its 1-based place in the row.
type cellVal struct {
	col        int
	start, end int
	sst        int
}

func (fs *fastSheet) open() (*sheetReader, bool) {
	rc, cr, err := openPart(fs.part)
	if err != nil {
		return nil, false
	}
	sr := &sheetReader{c: &chunks{r: cr}, rc: rc, sst: fs.sst}
	prolog, t, ok := sr.c.rootStart("sheetData", maxFastPrefix)
	if !ok || !checkProlog(prolog, false) || !noAttrs(t.attrs) {
		rc.Close()
		return nil, false
	}
	sr.done = t.empty
	return sr, true
}

func (sr *sheetReader) Close() { sr.rc.Close() }

// next returns the next row with cells and its sheet row number. At the end
// of the sheet data it returns ok false; failed is then true when the reader
// met something outside its subset, and row is the sheet row number up to
// which excelize must take over.
//
// A row is returned only once the next row's start (or the end of the sheet
// data) was read: excelize's Columns reads a row's cells up to the next row
// element with a higher row number, and a row the reader cannot read may
// change what excelize makes of the one before it.
func (sr *sheetReader) next() (row int, rec []string, ok bool) {
	for !sr.failed {
		if !sr.havePending {
			if sr.done {
				return 0, nil, false
			}
			if !sr.read() {
				return 0, nil, false
			}
			continue
		}
		// Look ahead before handing out the pending row.
		prow, prec := sr.pendingRow, sr.pendingRec
		sr.havePending = false
		if !sr.done && !sr.read() && sr.failed {
			return 0, nil, false
		}
		sr.row = prow
		if len(prec) > 0 {
			return prow, prec, true
		}
	}
	return 0, nil, false
}

// read reads the next row into pending; false at the end or on a failure.
// A panic in the scanner is a failure too: excelize reads on from the last
// row handed out, rather than the import going down with it.
func (sr *sheetReader) read() (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			fastXLSXStats.recovered.Add(1)
			sr.failed, ok = true, false
		}
	}()
	c := sr.c
	for {
		for c.pos < c.limit && isSpace(c.buf[c.pos]) {
			c.pos++
		}
		if c.pos < c.limit {
			break
		}
		if !c.refill() {
			sr.failed = true
			return false
		}
	}
	b := c.buf[c.pos:c.limit]
	if bytes.HasPrefix(b, []byte("</sheetData")) {
		if _, ok := endTag(b, 0, "sheetData"); !ok {
			sr.failed = true
			return false
		}
		sr.done = true
		return false
	}
	n, row, rec, ok := sr.parseRow(b)
	if !ok {
		sr.failed = true
		return false
	}
	c.pos += n
	sr.last = row
	sr.pendingRow, sr.pendingRec, sr.havePending = row, rec, true
	return true
}

var rowEnd = []byte("</row>")

// refill reads more of the stream until buf[pos:] holds a complete row (limit
// moves past the last "</row>") or the stream ends (limit is the end); false
// when nothing is left or on an error.
func (c *chunks) refill() bool {
	for {
		rel := max(len(c.buf)-c.pos-len(rowEnd)+1, 0) // searched already
		if !c.more() {
			if c.eof && c.err == nil && c.limit < len(c.buf) {
				c.limit = len(c.buf)
				return true
			}
			return false
		}
		from := c.pos + rel // more may have moved the data to the front
		if k := bytes.LastIndex(c.buf[from:], rowEnd); k >= 0 {
			c.limit = from + k + len(rowEnd)
			return true
		}
		if c.eof {
			c.limit = len(c.buf)
			return true
		}
	}
}

// parseRow reads the <row> element at the start of b and returns its length.
func (sr *sheetReader) parseRow(b []byte) (int, int, []string, bool) {
	t, i, ok := readTag(b, 0)
	if !ok || string(t.name) != "row" {
		return 0, 0, nil, false
	}
	row := 0
	if !checkAttrs(t.attrs, &sr.scratch, func(n, v []byte) bool {
		if string(n) == "r" {
			if row != 0 {
				return false
			}
			row, ok = decDigits(v, maxSheetRow)
			return ok
		}
		l, prefixed := localName(n)
		return !prefixed || string(l) != "r"
	}) {
		return 0, 0, nil, false
	}
	switch {
	case row == 0:
		row = sr.last + 1
	case row <= sr.last:
		return 0, 0, nil, false
	}
	if row > maxSheetRow {
		return 0, 0, nil, false
	}
	if t.empty {
		return i, row, nil, true
	}
	sr.text = sr.text[:0]
	sr.vals = sr.vals[:0]
	col := 0 // excelize's cellCol
	width := 0
	for {
		ct, next, done, ok := child(b, i, "row")
		if !ok {
			return 0, 0, nil, false
		}
		if done {
			i = next
			break
		}
		if string(ct.name) != "c" {
			return 0, 0, nil, false
		}
		prevCol := col
		col++
		v, hasF, ok := sr.parseCell(b, next, ct, &col)
		if !ok || col <= prevCol {
			// a cell out of column order: checkSheet refuses the sheet
			return 0, 0, nil, false
		}
		i = v.end2
		if v.empty && !hasF {
			continue
		}
		// excelize appends col-len(cells)-1 blanks, then the value
		if col > width {
			width = col
		} else {
			width++
		}
		v.val.col = width
		sr.vals = append(sr.vals, v.val)
	}
	if len(sr.vals) == 0 {
		return i, row, nil, true
	}
	rec := make([]string, width)
	s := string(sr.text)
	for _, v := range sr.vals {
		if v.sst >= 0 {
			rec[v.col-1] = sr.sst[v.sst]
		} else {
			rec[v.col-1] = s[v.start:v.end]
		}
	}
	return i, row, rec, true
}

type parsedCell struct {
	val   cellVal
	empty bool
	end2  int // past the cell element
}

// parseCell reads a <c> element whose start tag ct ended at b[i]; col is
// excelize's cellCol, already advanced, which an r attribute sets.
func (sr *sheetReader) parseCell(b []byte, i int, ct tag, col *int) (parsedCell, bool, bool) {
	var p parsedCell
	typ := ""
	haveR, haveS, haveT := false, false, false
	for attrs := ct.attrs; ; {
		n, raw, rest, done, ok := nextAttr(attrs)
		if !ok {
			return p, false, false
		}
		if done {
			break
		}
		attrs = rest
		v, ok := attrValue(raw, sr.scratch)
		sr.scratch = v
		if !ok {
			return p, false, false
		}
		switch string(n) {
		case "r":
			c, ok := cellCol(v)
			if haveR || !ok {
				return p, false, false
			}
			haveR = true
			*col = c
		case "s":
			if haveS || !styleIndex(v) {
				return p, false, false
			}
			haveS = true
		case "t":
			if haveT {
				return p, false, false
			}
			haveT = true
			switch string(v) {
			case "s", "str", "inlineStr", "b", "n", "e", "d":
				typ = string(v)
			default:
				return p, false, false
			}
		default:
			if l, prefixed := localName(n); prefixed && (string(l) == "r" || string(l) == "s" || string(l) == "t") {
				return p, false, false
			}
		}
	}
	var vStart, vEnd int
	haveV, haveF, haveIS := false, false, false
	var isStart, isEnd int
	if !ct.empty {
		for {
			t, next, done, ok := child(b, i, "c")
			if !ok {
				return p, false, false
			}
			if done {
				i = next
				break
			}
			switch string(t.name) {
			case "v":
				if haveV || !noAttrs(t.attrs) {
					return p, false, false
				}
				haveV = true
				vStart = len(sr.text)
				if sr.text, i, ok = readTextElement(b, next, t, sr.text); !ok {
					return p, false, false
				}
				vEnd = len(sr.text)
			case "f":
				if haveF || !checkAttrs(t.attrs, &sr.scratch, formulaAttr) {
					return p, false, false
				}
				haveF = true
				if sr.scratch, i, ok = readTextElement(b, next, t, sr.scratch[:0]); !ok {
					return p, false, false
				}
			case "is":
				if haveIS || !noAttrs(t.attrs) {
					return p, false, false
				}
				haveIS = true
				if t.empty {
					i = next
					break
				}
				isStart = len(sr.text)
				if sr.text, i, ok = sr.si.appendTo(sr.text, b, next, "is"); !ok {
					return p, false, false
				}
				isEnd = len(sr.text)
			default:
				return p, false, false
			}
		}
	}
	p.end2 = i
	p.val.sst = -1
	v := sr.text[vStart:vEnd]
	switch {
	case typ == "s" && len(v) > 0:
		n, ok := decDigits(v, len(sr.sst)-1)
		if !ok || n >= len(sr.sst) {
			return p, false, false
		}
		p.val.sst = n
		p.empty = sr.sst[n] == ""
	case typ == "inlineStr" && haveIS:
		p.val.start, p.val.end = isStart, isEnd
		p.empty = isEnd == isStart
	default:
		p.val.start, p.val.end = vStart, vEnd
		p.empty = vEnd == vStart
	}
	return p, haveF, true
}

// formulaAttr checks an attribute of <f> as excelize's xlsxF unmarshals it.
func formulaAttr(n, v []byte) bool {
	l, _ := localName(n)
	switch string(l) {
	case "aca", "dt2D", "dtr", "del1", "del2", "ca", "bx":
		return boolAttr(v)
	case "si":
		return intAttr(v)
	}
	return true
}

// styleIndex says whether strconv.ParseInt(v, 10, 64) succeeds, as excelize
// needs for a cell's s.
func styleIndex(v []byte) bool {
	if len(v) > 0 && len(v) < 19 {
		for _, c := range v {
			if c < '0' || c > '9' {
				goto slow
			}
		}
		return true
	}
slow:
	_, err := strconv.ParseInt(string(v), 10, 64)
	return err == nil
}

// decDigits parses a decimal number of ASCII digits no larger than limit.
func decDigits(v []byte, limit int) (int, bool) {
	if len(v) == 0 || len(v) > 10 {
		return 0, false
	}
	n := 0
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, n <= limit
}

// cellCol is the column of a cell reference like "B7" (upper-case letters and a
// row number from 1, within Excel's limits).
func cellCol(v []byte) (int, bool) {
	i, col := 0, 0
	for i < len(v) && v[i] >= 'A' && v[i] <= 'Z' {
		col = col*26 + int(v[i]-'A'+1)
		i++
	}
	if i == 0 || i > 3 || col > maxSheetCol || i == len(v) || v[i] == '0' {
		return 0, false
	}
	row, ok := decDigits(v[i:], maxSheetRow)
	return col, ok && row > 0
}

var bstrExp = regexp.MustCompile(`_x[a-fA-F\d]{4}_`)

// bstrUnmarshal is excelize's: it decodes _xHHHH_ escapes in a string item.
func bstrUnmarshal(s string) (result string) {
	if !strings.Contains(s, "_x") {
		return s
	}
	// excelize's loop, with a builder instead of += (quadratic in the
	// number of escapes).
	var b strings.Builder
	b.Grow(len(s))
	matches, l, cursor := bstrExp.FindAllStringSubmatchIndex(s, -1), len(s), 0
	for _, match := range matches {
		b.WriteString(s[cursor:match[0]])
		subStr := s[match[0]:match[1]]
		if subStr == "_x005F_" {
			cursor = match[1]
			b.WriteString("_")
			continue
		}
		if bstrExp.MatchString(subStr) {
			cursor = match[1]
			v, _ := strconv.Unquote(`"\u` + s[match[0]+2:match[1]-1] + `"`)
			b.WriteString(v)
		}
	}
	if cursor < l {
		b.WriteString(s[cursor:])
	}
	return b.String()
}
