package ingest

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"io"
	"math/bits"
)

// fastDelimited switches the fast path of delimReader on; tests turn it off to
// compare it with encoding/csv.
var fastDelimited = true

// delimReader yields the records of delimited text exactly as an encoding/csv
// Reader with FieldsPerRecord -1 and ReuseRecord would, with the same errors and
// line numbers, but faster: it reads lines itself, the way csv.Reader does (the
// same 4 KiB bufio.Reader calling ReadSlice('\n'), so the reads below happen at
// the same moments), and splits them without csv's per-field bookkeeping. It
// parses well-formed records only, quoted fields included (also when they span
// lines); at the first record it does not read cleanly (a stray or misplaced
// quote, a quoted field left open, a read error) it hands that record's bytes and
// everything after it to an encoding/csv Reader for the rest of the file, adding
// the lines it has read before to the line numbers that reader reports.
type delimReader struct {
	br      *bufio.Reader // over the quote counter
	delim   byte
	numLine int    // lines read, as csv.Reader counts them
	line    int    // start line of the record returned last
	long    []byte // a line longer than br's buffer
	rec     []string
	buf     []byte // unquoted text of a record with quotes
	ends    []int  // field ends in buf, or delimiter offsets in a line
	replay  []byte // raw text of the record being read, for a hand-over

	cr   *csv.Reader // from the hand-over on, or from the start when the fast path is off
	capR *recordCap  // under cr: fails a record over MaxRecordBytes
	off  int         // lines read before cr's first line
}

func newDelimReader(r io.Reader, delim rune) *delimReader {
	d := &delimReader{delim: byte(delim)}
	if !fastDelimited || delim >= 0x80 || delim == '"' || delim == '\r' || delim == '\n' {
		d.capR = &recordCap{r: r}
		d.cr = newCSVReader(d.capR, delim)
		return d
	}
	d.br = bufio.NewReader(r)
	return d
}

func newCSVReader(r io.Reader, delim rune) *csv.Reader {
	cr := csv.NewReader(r)
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return cr
}

// Read returns the next record like csv.Reader.Read; after a nil error, Line
// gives the line it starts on.
func (d *delimReader) Read() ([]string, error) {
	if d.cr != nil {
		return d.readCSV()
	}
	return d.readFast()
}

// Line is the 1-based line where the record returned last starts.
func (d *delimReader) Line() int { return d.line }

func (d *delimReader) readCSV() ([]string, error) {
	rec, err := d.cr.Read()
	if err == nil {
		d.line, _ = d.cr.FieldPos(0)
		d.line += d.off
		d.capR.mark = d.capR.n
		return rec, nil
	}
	if errors.Is(err, errTooLong) {
		return nil, &tooLong{line: max(d.line, d.off), after: true}
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		d.capR.mark = d.capR.n // the next record's size counts from here
	}
	if d.off != 0 {
		if errors.As(err, &pe) {
			c := *pe
			c.StartLine += d.off
			c.Line += d.off
			err = &c
		}
	}
	return rec, err
}

// readLine reads a line as csv.Reader.readLine does, leaving it as read. err is
// io.EOF with a last line that has no newline, and with no line at the end.
func (d *delimReader) readLine() ([]byte, error) {
	line, err := d.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		d.long = append(d.long[:0], line...)
		for err == bufio.ErrBufferFull {
			if len(d.long) > MaxRecordBytes {
				d.numLine++
				return d.long, errTooLong
			}
			line, err = d.br.ReadSlice('\n')
			d.long = append(d.long, line...)
		}
		line = d.long
	}
	d.numLine++
	if len(line) > MaxRecordBytes {
		if text, _ := lineText(line); len(text) > MaxRecordBytes {
			return line, errTooLong
		}
	}
	return line, err
}

// lineTooLong describes a record whose first line passed MaxRecordBytes: the
// field it was in (counting delimiters outside quotes), and whether that field
// alone passed MaxFieldBytes.
func (d *delimReader) lineTooLong(raw []byte) *tooLong {
	col, start, quoted := 1, 0, false
	for i, c := range raw {
		switch {
		case c == '"':
			quoted = !quoted
		case c == d.delim && !quoted:
			col++
			start = i + 1
		}
	}
	return &tooLong{line: d.numLine, col: col, field: len(raw)-start > MaxFieldBytes}
}

// lineText is a line read by readLine without its end, as csv.Reader sees it:
// "\r\n" and "\n" end a line, and a "\r" before the end of the file is dropped.
// nl says whether the line ended with a newline.
func lineText(raw []byte) (text []byte, nl bool) {
	n := len(raw)
	switch {
	case n == 0:
		return raw, false
	case raw[n-1] == '\n':
		if n >= 2 && raw[n-2] == '\r' {
			return raw[:n-2], true
		}
		return raw[:n-1], true
	case raw[n-1] == '\r': // only at the end of the file: ReadSlice stops at '\n' otherwise
		return raw[:n-1], false
	}
	return raw, false
}

func (d *delimReader) readFast() ([]string, error) {
	var raw, text []byte
	var nl bool
	var err error
	for {
		raw, err = d.readLine()
		if err == errTooLong {
			return nil, d.lineTooLong(raw)
		}
		if err != nil && err != io.EOF {
			d.replay = d.replay[:0]
			return d.handOver(d.numLine, raw, err)
		}
		if err == io.EOF && len(raw) == 0 {
			return nil, io.EOF
		}
		text, nl = lineText(raw)
		if len(text) > 0 {
			break
		}
		// a blank line: csv.Reader skips it
	}
	d.line = d.numLine
	if bytes.IndexByte(text, '"') >= 0 {
		return d.readQuoted(raw, text, nl, err)
	}
	ends := delimOffsets(text, d.delim, d.ends[:0])
	s := string(text)
	rec := d.rec[:0]
	prev := 0
	for _, e := range ends {
		rec = append(rec, s[prev:e])
		prev = e + 1
	}
	rec = append(rec, s[prev:])
	d.rec, d.ends = rec, ends
	return rec, nil
}

// delimOffsets appends the offsets of the delimiter bytes in text to ends,
// eight bytes at a time.
func delimOffsets(text []byte, delim byte, ends []int) []int {
	const ones, low7 = 0x0101010101010101, 0x7f7f7f7f7f7f7f7f
	rep := uint64(delim) * ones
	i := 0
	for ; i+8 <= len(text); i += 8 {
		w := binary.LittleEndian.Uint64(text[i:]) ^ rep
		// 0x80 in every byte of w that is zero (the delimiter), and nothing else
		m := ^((w&low7 + low7) | w | low7)
		for m != 0 {
			ends = append(ends, i+bits.TrailingZeros64(m)>>3)
			m &= m - 1
		}
	}
	for ; i < len(text); i++ {
		if text[i] == delim {
			ends = append(ends, i)
		}
	}
	return ends
}

// readQuoted reads a record whose first line (raw, its text, whether it ended
// with a newline, and the error read with it: nil or io.EOF) holds a quote, following csv.Reader.readRecord (without
// LazyQuotes and TrimLeadingSpace). Anything but a well-formed record is handed
// over to encoding/csv.
func (d *delimReader) readQuoted(raw, text []byte, nl bool, err error) ([]string, error) {
	d.replay = d.replay[:0] // filled from raw once a second line is read
	first := raw
	buf := d.buf[:0]
	ends := d.ends[:0]
	line := text // the rest of the line, without its newline
	delim := d.delim
parseField:
	for {
		if len(line) == 0 || line[0] != '"' {
			i := bytes.IndexByte(line, delim)
			field := line
			if i >= 0 {
				field = field[:i]
			}
			if bytes.IndexByte(field, '"') >= 0 {
				return d.handOver(d.line, first, err) // stray quote
			}
			buf = append(buf, field...)
			ends = append(ends, len(buf))
			if i >= 0 {
				line = line[i+1:]
				continue parseField
			}
			break parseField
		}
		line = line[1:]
		for {
			i := bytes.IndexByte(line, '"')
			switch {
			case i >= 0:
				buf = append(buf, line[:i]...)
				line = line[i+1:]
				switch {
				case len(line) > 0 && line[0] == '"':
					buf = append(buf, '"')
					line = line[1:]
				case len(line) > 0 && line[0] == delim:
					line = line[1:]
					ends = append(ends, len(buf))
					continue parseField
				case len(line) == 0:
					ends = append(ends, len(buf))
					break parseField
				default:
					return d.handOver(d.line, first, err) // text after a closing quote
				}
			case len(line) > 0 || nl:
				buf = append(buf, line...)
				if nl {
					buf = append(buf, '\n')
				}
				if first != nil {
					d.replay = append(d.replay, first...)
					first = nil
				}
				start := 0 // where the quoted field being read starts in buf
				if len(ends) > 0 {
					start = ends[len(ends)-1]
				}
				if len(buf)-start > MaxFieldBytes {
					return nil, &tooLong{line: d.line, col: len(ends) + 1, field: true}
				}
				if len(buf) > MaxRecordBytes {
					return nil, &tooLong{line: d.line, col: len(ends) + 1}
				}
				raw, err = d.readLine()
				if err == errTooLong {
					return nil, &tooLong{line: d.line, col: len(ends) + 1, field: len(buf)-start+len(raw) > MaxFieldBytes}
				}
				d.replay = append(d.replay, raw...)
				if err != nil && (err != io.EOF || len(raw) == 0) {
					return d.handOver(d.line, nil, err) // a read error, or the file ends inside quotes
				}
				line, nl = lineText(raw)
				if len(line) == 0 && !nl {
					return d.handOver(d.line, nil, err) // the file ends inside quotes
				}
			default:
				return d.handOver(d.line, first, err) // the file ends inside quotes
			}
		}
	}
	d.buf, d.ends = buf, ends
	s := string(buf)
	rec := d.rec[:0]
	prev := 0
	for _, e := range ends {
		rec = append(rec, s[prev:e])
		prev = e
	}
	d.rec = rec
	return rec, nil
}

// handOver gives the record that starts on line start, whose text so far is
// d.replay followed by raw, to encoding/csv and reads it from there: csv.Reader
// reads that text, then err once when it is not nil (what the last read
// returned with it), then the rest of the input.
func (d *delimReader) handOver(start int, raw []byte, err error) ([]string, error) {
	d.replay = append(d.replay, raw...)
	rp := &replayReader{text: d.replay, err: err, r: d.br}
	d.replay = nil
	d.off = start - 1
	d.capR = &recordCap{r: rp}
	d.cr = newCSVReader(d.capR, rune(d.delim))
	return d.readCSV()
}

// replayReader reads text, then returns err once, then reads r.
type replayReader struct {
	text []byte
	err  error
	r    io.Reader
}

func (p *replayReader) Read(b []byte) (int, error) {
	if len(p.text) > 0 {
		n := copy(b, p.text)
		p.text = p.text[n:]
		return n, nil
	}
	if p.err != nil {
		err := p.err
		p.err = nil
		return 0, err
	}
	return p.r.Read(b)
}
