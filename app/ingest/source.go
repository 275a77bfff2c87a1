package ingest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encodings reported in Summary.Encoding.
const (
	EncUTF8        = "utf-8"
	EncUTF8BOM     = "utf-8-bom"
	EncUTF16LE     = "utf-16le"
	EncUTF16BE     = "utf-16be"
	EncWindows1252 = "windows-1252"
)

const sniffSize = 64 << 10

// progressEvery is how many raw bytes pass between two Progress calls.
const progressEvery = 64 << 10

// countingReader counts raw bytes, reports progress and notices cancellation.
type countingReader struct {
	r        io.Reader
	ctx      context.Context
	n        int64
	total    int64
	last     int64
	progress func(done, total int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.progress != nil && c.n-c.last >= progressEvery {
		c.last = c.n
		c.progress(c.n, c.total)
	}
	return n, err
}

// textProblem is a structural problem found while decoding the byte stream.
type textProblem struct {
	line   int   // 1-based line where the problem is
	offset int64 // 1-based byte offset in the decoded text
	msg    string
}

func (e *textProblem) Error() string { return e.msg }

// utf8Checker passes UTF-8 text through, failing on NUL bytes and invalid UTF-8.
type utf8Checker struct {
	r     io.Reader
	carry []byte // an incomplete UTF-8 sequence at the end of the previous chunk
	lines int    // newlines passed so far
	off   int64  // bytes passed so far
	err   error
	eol   []byte // what ends a line: nl, or cr in a file with CR-only line ends
}

func (u *utf8Checker) Read(p []byte) (int, error) {
	if u.err != nil {
		return 0, u.err
	}
	n, err := u.r.Read(p)
	buf := p[:n]
	if i := bytes.IndexByte(buf, 0); i >= 0 {
		u.fail(buf, i, "the file holds a NUL byte here, so it is not text (binary data or a UTF-16 file without its byte-order mark); export it again as CSV (UTF-8), TSV, XLSX, JSON or JSONL")
		return 0, u.err
	}
	start := 0
	if len(u.carry) > 0 {
		need := utf8SeqLen(u.carry[0])
		for len(u.carry) < need && start < len(buf) {
			u.carry = append(u.carry, buf[start])
			start++
		}
		if len(u.carry) == need {
			if r, size := utf8.DecodeRune(u.carry); r == utf8.RuneError && size <= 1 {
				u.fail(buf, 0, invalidUTF8Msg)
				return 0, u.err
			}
			u.carry = u.carry[:0]
		} else if err == nil {
			u.off += int64(n)
			return n, nil
		}
	}
	end := len(buf)
	if err == nil {
		// keep an incomplete trailing sequence for the next chunk
		for k := 1; k <= 3 && end-k >= start; k++ {
			c := buf[end-k]
			if c < 0x80 {
				break
			}
			if c >= 0xC0 {
				if utf8SeqLen(c) > k {
					u.carry = append(u.carry[:0], buf[end-k:]...)
					end -= k
				}
				break
			}
		}
	}
	if !utf8.Valid(buf[start:end]) {
		i := start
		for i < end {
			r, size := utf8.DecodeRune(buf[i:end])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			i += size
		}
		u.fail(buf, i, invalidUTF8Msg)
		return 0, u.err
	}
	if err != nil && len(u.carry) > 0 {
		u.fail(buf, len(buf), invalidUTF8Msg)
		return 0, u.err
	}
	u.lines += bytes.Count(buf, u.eol)
	u.off += int64(n)
	return n, err
}

var nl = []byte{'\n'}

const invalidUTF8Msg = "the text is not valid UTF-8 here, though the start of the file was; the file mixes encodings, so re-save it as UTF-8 (in Excel: Save As, CSV UTF-8)"

func (u *utf8Checker) fail(buf []byte, i int, msg string) {
	u.err = &textProblem{line: u.lines + bytes.Count(buf[:i], u.eol) + 1, offset: u.off + int64(i) + 1, msg: msg}
}

func utf8SeqLen(c byte) int {
	switch {
	case c >= 0xF0:
		return 4
	case c >= 0xE0:
		return 3
	case c >= 0xC0:
		return 2
	}
	return 1
}

// nulChecker fails on NUL characters in decoded text (UTF-16 and Windows-1252 input).
type nulChecker struct {
	r     io.Reader
	lines int
	off   int64
	eol   []byte
}

func (c *nulChecker) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if i := bytes.IndexByte(p[:n], 0); i >= 0 {
		return 0, &textProblem{line: c.lines + bytes.Count(p[:i], c.eol) + 1, offset: c.off + int64(i) + 1,
			msg: "the file holds a NUL character here, so it is not text; export it again as CSV, TSV, XLSX, JSON or JSONL"}
	}
	c.lines += bytes.Count(p[:n], c.eol)
	c.off += int64(n)
	return n, err
}

// sniffEncoding decides the text encoding from the first bytes of a file.
// head is at most sniffSize bytes; full says whether it is the whole file.
//
// The Windows-1252 heuristic: a file is read as Windows-1252 when its first 64 KiB
// are not valid UTF-8, hold no valid UTF-8 multi-byte sequence at all (a file
// that has both is a mix of encodings), hold no NUL or other control byte
// besides tab, CR, LF and form feed, and none of the five bytes Windows-1252
// leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D). Otherwise the file is refused.
func sniffEncoding(head []byte, full bool) (enc string, skip int, problem string, at int) {
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return EncUTF8BOM, 3, "", -1
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return EncUTF16LE, 0, "", -1
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return EncUTF16BE, 0, "", -1
	}
	if i := bytes.IndexByte(head, 0); i >= 0 {
		if looksUTF16(head) {
			return "", 0, "the file looks like UTF-16 text without a byte-order mark, which cannot be read safely; export it again as CSV UTF-8, or as Unicode text from Excel (which writes the mark)", -1
		}
		return "", 0, "the file is not text (it holds NUL bytes); choose a CSV, TSV, XLSX, JSON or JSONL export", i
	}
	check := head
	if !full {
		// drop an incomplete sequence cut by the sniff window
		for k := 1; k <= 3 && k <= len(check); k++ {
			c := check[len(check)-k]
			if c < 0x80 {
				break
			}
			if c >= 0xC0 {
				if utf8SeqLen(c) > k {
					check = check[:len(check)-k]
				}
				break
			}
		}
	}
	if utf8.Valid(check) {
		return EncUTF8, 0, "", -1
	}
	multi, controls, undefined := 0, 0, 0
	firstBad, firstCtl := -1, -1
	for i := 0; i < len(check); {
		c := check[i]
		if c < 0x80 {
			if c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != '\f' {
				controls++
				if firstCtl < 0 {
					firstCtl = i
				}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(check[i:])
		if r != utf8.RuneError || size > 1 {
			multi++
			i += size
			continue
		}
		if firstBad < 0 {
			firstBad = i
		}
		switch c {
		case 0x81, 0x8D, 0x8F, 0x90, 0x9D:
			undefined++
			if firstCtl < 0 {
				firstCtl = i
			}
		}
		i++
	}
	switch {
	case multi > 0:
		return "", 0, "the file is neither valid UTF-8 nor Windows-1252: it mixes UTF-8 with another encoding; re-save it as UTF-8 (in Excel: Save As, CSV UTF-8)", firstBad
	case controls > 0 || undefined > 0:
		return "", 0, "the file is not text in a known encoding (it holds control or undefined bytes); re-save it as UTF-8 (in Excel: Save As, CSV UTF-8)", firstCtl
	}
	return EncWindows1252, 0, "", -1
}

func looksUTF16(head []byte) bool {
	if len(head) < 4 {
		return false
	}
	even, odd := 0, 0
	for i := 0; i+1 < len(head); i += 2 {
		if head[i] == 0 {
			even++
		}
		if head[i+1] == 0 {
			odd++
		}
	}
	half := len(head) / 4
	return even > half || odd > half
}

// decodeReader wraps raw (positioned after skip bytes) to yield UTF-8 text.
func decodeReader(raw io.Reader, enc string) io.Reader {
	return decodeReaderEOL(raw, enc, false)
}

// decodeReaderEOL is decodeReader; with crOnly (a file whose lines end in CR
// alone, as old Mac programs write them) it also turns each line end into LF,
// and problems are named by those lines.
func decodeReaderEOL(raw io.Reader, enc string, crOnly bool) io.Reader {
	eol := nl
	if crOnly {
		eol = cr
	}
	var r io.Reader
	switch enc {
	case EncUTF16LE:
		r = &nulChecker{r: transform.NewReader(raw, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()), eol: eol}
	case EncUTF16BE:
		r = &nulChecker{r: transform.NewReader(raw, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()), eol: eol}
	case EncWindows1252:
		r = &nulChecker{r: transform.NewReader(raw, charmap.Windows1252.NewDecoder()), eol: eol}
	default:
		r = &utf8Checker{r: raw, eol: eol}
	}
	if crOnly {
		r = &crReader{r: r}
	}
	return r
}

var cr = []byte{'\r'}

// crOnlyLines reports whether decoded text that starts a file ends its lines
// in CR alone: it holds a CR that is not its last byte, and no LF.
func crOnlyLines(text []byte) bool {
	i := bytes.IndexByte(text, '\r')
	return i >= 0 && i < len(text)-1 && bytes.IndexByte(text, '\n') < 0
}

// crReader turns CR, and CR LF, into LF.
type crReader struct {
	r      io.Reader
	prevCR bool
}

func (c *crReader) Read(p []byte) (int, error) {
	for {
		n, err := c.r.Read(p)
		w := 0
		for _, b := range p[:n] {
			switch {
			case b == '\n' && c.prevCR:
				c.prevCR = false
				continue
			case b == '\r':
				b = '\n'
				c.prevCR = true
			default:
				c.prevCR = false
			}
			p[w] = b
			w++
		}
		if w > 0 || err != nil || n == 0 {
			return w, err
		}
	}
}

// decodeHead decodes a sniffed head for format detection; errors are ignored.
func decodeHead(head []byte, enc string, skip int) []byte {
	out, err := io.ReadAll(io.LimitReader(decodeReader(bytes.NewReader(head[skip:]), enc), sniffSize*2))
	if err != nil {
		var tp *textProblem
		if errors.As(err, &tp) {
			return out
		}
	}
	return out
}

func textProblemError(file string, tp *textProblem) *Error {
	return &Error{File: file, Row: tp.line, Offset: tp.offset, Err: errors.New(tp.msg)}
}
