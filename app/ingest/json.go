package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// lineIndex remembers where the newlines of the text are, to name JSON positions by line.
type lineIndex struct {
	r    io.Reader
	off  int64
	nls  []int64 // offsets of newlines at or after the pruning point
	base int     // newlines pruned
}

func (l *lineIndex) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	b := p[:n]
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			break
		}
		l.nls = append(l.nls, l.off+int64(i+j))
		i += j + 1
	}
	l.off += int64(n)
	return n, err
}

// line is the 1-based line holding the byte at 0-based offset off.
func (l *lineIndex) line(off int64) int {
	k := sort.Search(len(l.nls), func(i int) bool { return l.nls[i] >= off })
	return l.base + k + 1
}

// prune forgets newlines before off (positions asked later are never earlier).
func (l *lineIndex) prune(off int64) {
	k := sort.Search(len(l.nls), func(i int) bool { return l.nls[i] >= off })
	if k > 1024 && k > len(l.nls)/2 {
		l.base += k
		l.nls = append(l.nls[:0], l.nls[k:]...)
	}
}

// jsonObj is one decoded JSON object with where it came from.
type jsonObj struct {
	v    map[string]any
	raw  []byte
	line int
	off  int64 // 0-based offset of its first byte
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a text"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// readJSON reads a JSON array of objects, or one object (or several in a row).
func (s *scanner) readJSON(r *bufio.Reader, format string) error {
	rc := &recordCap{r: r}
	li := &lineIndex{r: rc}
	dec := json.NewDecoder(li)
	first, err := peekNonSpace(r)
	if err != nil {
		if tp := asTextProblem(err); tp != nil {
			s.errs.Add(textProblemError(s.file, tp))
			return nil
		}
		return s.problem("the file holds only blank lines; choose the exported batch file")
	}
	h := s.newObjHandler(format)
	array := first == '['
	if array {
		if _, err := dec.Token(); err != nil {
			return s.jsonStructural(err, li, dec)
		}
	} else if first != '{' {
		return s.problemAt(1, "the file is not JSON (it starts with %q); choose a JSON array of objects, JSONL, CSV or XLSX export", string(rune(first)))
	}
	n := 0
	for {
		if array && !dec.More() {
			break
		}
		var raw json.RawMessage
		rc.mark = dec.InputOffset()
		// where the next element starts, when the decoder has read that far
		next, found := rc.mark, false
		var peek [32]byte
		k, _ := dec.Buffered().Read(peek[:])
		for i, c := range peek[:k] {
			if c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != ',' {
				next, found = rc.mark+int64(i), true
				break
			}
		}
		err := dec.Decode(&raw)
		if err == io.EOF && !array {
			break
		}
		if err == nil && len(raw) > MaxRecordBytes { // the cap reader allows a little read-ahead
			err = errTooLong
		}
		if errors.Is(err, errTooLong) {
			where := "that starts here"
			if !found {
				where = "after this point"
			}
			s.errs.Add(&Error{File: s.file, Row: li.line(next), Offset: next + 1, Err: fmt.Errorf("the JSON record %s is longer than %s (the limit for one record), so reading stops here; export the records in smaller parts, and keep long item content in files named by their path or URL", where, sizeText(MaxRecordBytes))})
			return nil
		}
		if err != nil {
			return s.jsonStructural(err, li, dec)
		}
		n++
		end := dec.InputOffset()
		start := end - int64(len(raw))
		line := li.line(start)
		li.prune(start)
		v, bad := parseJSON(raw)
		if bad != nil {
			s.sum.Rows++
			s.errs.Add(&Error{File: s.file, Row: line + bytes.Count(raw[:bad.off], nl), Offset: start + int64(bad.off) + 1, Err: jsonRefusal(bad)})
			continue
		}
		obj, ok := v.(map[string]any)
		if !ok {
			what := "array element"
			if !array {
				what = "value"
			}
			s.errs.Add(&Error{File: s.file, Row: line, Offset: start + 1, Err: fmt.Errorf("the %s is %s, not an object; each record must be an object like {\"item_id\": …, \"annotator_id\": …, \"label\": …}", what, typeName(v))})
			s.sum.Rows++
			continue
		}
		if err := h.handle(jsonObj{v: obj, raw: raw, line: line, off: start}); err != nil {
			return err
		}
		if h.stop {
			return nil
		}
		if n&1023 == 0 {
			if err := s.ctx.Err(); err != nil {
				return err
			}
		}
	}
	if array {
		if _, err := dec.Token(); err != nil {
			return s.jsonStructural(err, li, dec)
		}
		if _, err := dec.Token(); err != io.EOF {
			off := dec.InputOffset()
			if err != nil {
				return s.jsonStructural(err, li, dec)
			}
			s.errs.Add(&Error{File: s.file, Row: li.line(off), Offset: off, Err: errors.New("there is more text after the closing ] of the JSON array; remove it or export the file again")})
			return nil
		}
	}
	if n == 0 {
		return s.problemAt(1, "the JSON array is empty: the file has no records; export the batch again with its records")
	}
	h.end()
	return nil
}

func peekNonSpace(r *bufio.Reader) (byte, error) {
	for {
		b, err := r.Peek(1)
		if err != nil {
			return 0, err
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n', '\f':
			r.ReadByte()
			continue
		}
		return b[0], nil
	}
}

func asTextProblem(err error) *textProblem {
	var tp *textProblem
	if errors.As(err, &tp) {
		return tp
	}
	return nil
}

// jsonStructural records a problem after which the JSON cannot be read on.
func (s *scanner) jsonStructural(err error, li *lineIndex, dec *json.Decoder) error {
	if tp := asTextProblem(err); tp != nil {
		s.errs.Add(textProblemError(s.file, tp))
		return nil
	}
	if ctxErr := s.ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || err == io.EOF:
		off := li.off
		s.errs.Add(&Error{File: s.file, Row: li.line(max(off-1, 0)), Offset: off, Err: errors.New("the JSON ends in the middle of a value, so the file looks truncated; export it again")})
	case errors.As(err, &se):
		s.errs.Add(&Error{File: s.file, Row: li.line(max(se.Offset-1, 0)), Offset: se.Offset, Err: fmt.Errorf("invalid JSON (%s); fix the file or export it again", strings.TrimPrefix(se.Error(), "json: "))})
	case errors.As(err, &te):
		s.errs.Add(&Error{File: s.file, Row: li.line(te.Offset), Offset: te.Offset + 1, Err: fmt.Errorf("invalid JSON (%v); fix the file or export it again", err)})
	default:
		off := dec.InputOffset()
		s.errs.Add(&Error{File: s.file, Row: li.line(off), Offset: off + 1, Err: fmt.Errorf("invalid JSON (%s); fix the file or export it again", strings.TrimPrefix(err.Error(), "json: "))})
	}
	return nil
}

// readJSONL reads one JSON object per line.
func (s *scanner) readJSONL(r *bufio.Reader, format string) error {
	h := s.newObjHandler(format)
	var long []byte
	lineNo := 0
	var off int64
	n := 0
	for {
		chunk, err := r.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			if len(long)+len(chunk) > MaxRecordBytes {
				s.errs.Add(&Error{File: s.file, Row: lineNo + 1, Offset: off + 1, Err: fmt.Errorf("the line is longer than %s (the limit for one record), so reading stops here; split the record or export the file again", sizeText(MaxRecordBytes))})
				return nil
			}
			long = append(long, chunk...)
			continue
		}
		line := chunk
		if long != nil {
			long = append(long, chunk...)
			line = long
		}
		if len(bytes.TrimRight(line, "\r\n")) > MaxRecordBytes {
			s.errs.Add(&Error{File: s.file, Row: lineNo + 1, Offset: off + 1, Err: fmt.Errorf("the line is longer than %s (the limit for one record), so reading stops here; split the record or export the file again", sizeText(MaxRecordBytes))})
			return nil
		}
		if err != nil && err != io.EOF {
			if tp := asTextProblem(err); tp != nil {
				s.errs.Add(textProblemError(s.file, tp))
				return nil
			}
			return err
		}
		atEOF := err == io.EOF
		lineNo++
		start := off
		off += int64(len(line))
		text := bytes.TrimSpace(line)
		if len(text) > 0 {
			n++
			if e := s.jsonlLine(h, text, lineNo, start+int64(bytes.Index(line, text[:1])), atEOF && line[len(line)-1] != '\n'); e != nil {
				return e
			}
			if h.stop {
				return nil
			}
		}
		long = nil
		if atEOF {
			break
		}
		if lineNo&1023 == 0 {
			if err := s.ctx.Err(); err != nil {
				return err
			}
		}
	}
	if n == 0 {
		return s.problem("the file holds only blank lines; choose the exported batch file")
	}
	h.end()
	return nil
}

func (s *scanner) jsonlLine(h *objHandler, text []byte, lineNo int, start int64, last bool) error {
	if json.Valid(text) {
		v, bad := parseJSON(text)
		if bad != nil {
			s.sum.Rows++
			s.errs.Add(&Error{File: s.file, Row: lineNo, Offset: start + int64(bad.off) + 1, Err: jsonRefusal(bad)})
			return nil
		}
		return s.jsonlValue(h, v, text, lineNo, start)
	}
	d := json.NewDecoder(bytes.NewReader(text))
	d.UseNumber()
	var v any
	err := d.Decode(&v)
	if err == nil {
		if _, e := d.Token(); e != io.EOF {
			s.sum.Rows++
			s.errs.Add(&Error{File: s.file, Row: lineNo, Offset: start + d.InputOffset() + 1, Err: errors.New("there is more text after the JSON object on this line; put one object per line")})
			return nil
		}
	}
	if err != nil {
		s.sum.Rows++
		var se *json.SyntaxError
		switch {
		case errors.Is(err, io.ErrUnexpectedEOF) && last:
			s.errs.Add(&Error{File: s.file, Row: lineNo, Offset: start + int64(len(text)), Err: errors.New("the last line ends in the middle of a JSON object, so the file looks truncated; export it again")})
			h.stop = true
		case errors.Is(err, io.ErrUnexpectedEOF):
			s.errs.Add(&Error{File: s.file, Row: lineNo, Offset: start + int64(len(text)), Err: errors.New("the JSON object on this line is incomplete; put each whole object on one line")})
		case errors.As(err, &se):
			s.errs.Add(&Error{File: s.file, Row: lineNo, Offset: start + se.Offset, Err: fmt.Errorf("invalid JSON (%s); fix the line or export the file again", strings.TrimPrefix(se.Error(), "json: "))})
		default:
			s.errs.Add(&Error{File: s.file, Row: lineNo, Err: fmt.Errorf("invalid JSON (%s); fix the line or export the file again", strings.TrimPrefix(err.Error(), "json: "))})
		}
		return nil
	}
	return s.jsonlValue(h, v, text, lineNo, start)
}

func (s *scanner) jsonlValue(h *objHandler, v any, text []byte, lineNo int, start int64) error {
	obj, ok := v.(map[string]any)
	if !ok {
		s.sum.Rows++
		s.errs.Add(&Error{File: s.file, Row: lineNo, Offset: start + 1, Err: fmt.Errorf("the line holds %s, not an object; each line must be an object like {\"item_id\": …, \"annotator_id\": …, \"label\": …}", typeName(v))})
		return nil
	}
	return h.handle(jsonObj{v: obj, raw: text, line: lineNo, off: start})
}

// parseChoicesCell reads a Label Studio CSV cell {"choices": ["a", "b"]}: ok
// when it is one; bad when it is one that parseJSON refuses (a key twice, NUL,
// half a surrogate pair).
func parseChoicesCell(v string) (choices []string, ok bool, bad error) {
	if !json.Valid([]byte(v)) {
		return nil, false, nil
	}
	x, p := parseJSON([]byte(v))
	if p != nil {
		return nil, false, errors.New(p.msg)
	}
	cs, _ := get(x, "choices").([]any)
	for _, c := range cs {
		t, isText := c.(string)
		if !isText {
			return nil, false, nil
		}
		choices = append(choices, t)
	}
	return choices, len(choices) > 0, nil
}

// jsonRefusal is the message for a record parseJSON refuses.
func jsonRefusal(p *jsonProblem) error {
	return fmt.Errorf("%s; the record is not read", p.msg)
}

// ---- values ----

// text converts a scalar JSON value to the text a field reads.
func scalarText(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", true
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

// keyLine finds the line of "key": inside an object's raw text.
func keyLine(raw []byte, key string, startLine int) int {
	k, _ := json.Marshal(key)
	i := bytes.Index(raw, append(k, ':'))
	if i < 0 {
		i = bytes.Index(raw, k)
	}
	if i < 0 {
		return startLine
	}
	return startLine + bytes.Count(raw[:i], nl)
}
