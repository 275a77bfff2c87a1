package ingest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// parseJSON builds the value of one JSON text that encoding/json has already
// found well-formed (a JSON array's element, a JSONL line), as json.Decoder
// with UseNumber would (objects map[string]any, arrays []any, numbers
// json.Number), but refuses what encoding/json silently accepts or changes:
//
//   - a key twice in one object (encoding/json keeps the last value);
//   - the NUL character (\u0000) in a text or key (a CSV or XLSX file cannot hold
//     it either);
//   - half of a UTF-16 surrogate pair (\ud800 alone), and invalid UTF-8, which
//     encoding/json turns into U+FFFD.
//
// The problem's off is the 0-based offset in raw of the key or text at fault.
func parseJSON(raw []byte) (any, *jsonProblem) {
	p := &jparser{b: raw}
	p.space()
	v := p.value()
	if p.err == nil {
		p.space()
		if p.i != len(p.b) {
			p.fail(p.i, "there is more text after the JSON value")
		}
	}
	if p.err != nil {
		return nil, p.err
	}
	return v, nil
}

type jsonProblem struct {
	off int
	msg string
}

func (e *jsonProblem) Error() string { return e.msg }

type jparser struct {
	b   []byte
	i   int
	key string // the innermost key read, for messages
	err *jsonProblem
}

func (p *jparser) fail(off int, format string, args ...any) {
	if p.err == nil {
		p.err = &jsonProblem{off: off, msg: fmt.Sprintf(format, args...)}
	}
}

func (p *jparser) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
}

// maxJSONDepth bounds nesting like encoding/json (which refuses 10,000 levels).
const maxJSONDepth = 10000

func (p *jparser) value() any { return p.valueAt(0) }

func (p *jparser) valueAt(depth int) any {
	if p.err != nil {
		return nil
	}
	if depth > maxJSONDepth {
		p.fail(p.i, "the JSON nests more than %d levels deep", maxJSONDepth)
		return nil
	}
	if p.i >= len(p.b) {
		p.fail(p.i, "the JSON value is incomplete")
		return nil
	}
	switch c := p.b[p.i]; {
	case c == '{':
		p.i++
		m := map[string]any{}
		p.space()
		if p.i < len(p.b) && p.b[p.i] == '}' {
			p.i++
			return m
		}
		for p.err == nil {
			p.space()
			at := p.i
			if p.i >= len(p.b) || p.b[p.i] != '"' {
				p.fail(p.i, "a key of an object is not a text")
				return nil
			}
			k, ok := p.str(true)
			if !ok {
				return nil
			}
			if _, dup := m[k]; dup {
				p.fail(at, "the object has the key %s twice, so which value counts is unclear (JSON readers keep only one); remove one of the two", strconv.Quote(clip(k)))
				return nil
			}
			p.space()
			if p.i >= len(p.b) || p.b[p.i] != ':' {
				p.fail(p.i, "a key of an object is not followed by :")
				return nil
			}
			p.i++
			p.space()
			p.key = k
			v := p.valueAt(depth + 1)
			if p.err != nil {
				return nil
			}
			m[k] = v
			p.space()
			if p.i < len(p.b) && p.b[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.b) && p.b[p.i] == '}' {
				p.i++
				return m
			}
			p.fail(p.i, "an object is not closed properly")
		}
		return nil
	case c == '[':
		p.i++
		l := []any{}
		p.space()
		if p.i < len(p.b) && p.b[p.i] == ']' {
			p.i++
			return l
		}
		key := p.key
		for p.err == nil {
			p.space()
			p.key = key
			v := p.valueAt(depth + 1)
			if p.err != nil {
				return nil
			}
			l = append(l, v)
			p.space()
			if p.i < len(p.b) && p.b[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.b) && p.b[p.i] == ']' {
				p.i++
				return l
			}
			p.fail(p.i, "a list is not closed properly")
		}
		return nil
	case c == '"':
		s, _ := p.str(false)
		return s
	case c == 't' || c == 'f' || c == 'n':
		for _, w := range [...]string{"true", "false", "null"} {
			if len(p.b)-p.i >= len(w) && string(p.b[p.i:p.i+len(w)]) == w {
				p.i += len(w)
				switch w {
				case "true":
					return true
				case "false":
					return false
				}
				return nil
			}
		}
	case c == '-' || ('0' <= c && c <= '9'):
		start := p.i
		for p.i < len(p.b) {
			switch d := p.b[p.i]; {
			case '0' <= d && d <= '9', d == '-', d == '+', d == '.', d == 'e', d == 'E':
				p.i++
				continue
			}
			break
		}
		return json.Number(p.b[start:p.i])
	}
	p.fail(p.i, "invalid JSON value")
	return nil
}

// str reads the text at p.i (a key when key is set).
func (p *jparser) str(key bool) (string, bool) {
	start := p.i
	p.i++
	j := p.i
	for j < len(p.b) && p.b[j] != '"' && p.b[j] != '\\' && p.b[j] >= 0x20 {
		j++
	}
	if j < len(p.b) && p.b[j] == '"' {
		seg := p.b[p.i:j]
		if !utf8.Valid(seg) {
			p.badText(start, key, "is not valid UTF-8 text; re-save the file as UTF-8")
			return "", false
		}
		p.i = j + 1
		return string(seg), true
	}
	out := make([]byte, 0, j-p.i+16)
	out = append(out, p.b[p.i:j]...)
	p.i = j
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			if !utf8.Valid(out) {
				p.badText(start, key, "is not valid UTF-8 text; re-save the file as UTF-8")
				return "", false
			}
			return string(out), true
		case c < 0x20:
			p.fail(p.i, "a text holds a raw control character")
			return "", false
		case c != '\\':
			out = append(out, c)
			p.i++
			continue
		}
		if p.i+1 >= len(p.b) {
			break
		}
		e := p.b[p.i+1]
		p.i += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := p.hex4(p.i)
			if !ok {
				p.fail(p.i-2, "a text holds a bad \\u escape")
				return "", false
			}
			p.i += 4
			switch {
			case r == 0:
				p.badText(start, key, "holds the NUL character (\\u0000), which is not text (a CSV or XLSX file cannot hold it either); remove it")
				return "", false
			case utf16.IsSurrogate(r) && r < 0xDC00:
				if p.i+6 <= len(p.b) && p.b[p.i] == '\\' && p.b[p.i+1] == 'u' {
					if r2, ok := p.hex4(p.i + 2); ok && 0xDC00 <= r2 && r2 <= 0xDFFF {
						out = utf8.AppendRune(out, utf16.DecodeRune(r, r2))
						p.i += 6
						continue
					}
				}
				fallthrough
			case utf16.IsSurrogate(r):
				p.badText(start, key, fmt.Sprintf("holds \\u%04x, half of a UTF-16 surrogate pair without its other half, which is no character (the program that wrote the file cut a character in two); fix the text or export the file again", r))
				return "", false
			default:
				out = utf8.AppendRune(out, r)
			}
		default:
			p.fail(p.i-2, "a text holds a bad escape")
			return "", false
		}
	}
	p.fail(start, "a text is not closed")
	return "", false
}

func (p *jparser) badText(start int, key bool, what string) {
	switch {
	case key:
		p.fail(start, "a key of this object %s", what)
	case p.key != "":
		p.fail(start, "the text of %s %s", strconv.Quote(clip(p.key)), what)
	default:
		p.fail(start, "a text %s", what)
	}
}

func (p *jparser) hex4(i int) (rune, bool) {
	if i+4 > len(p.b) {
		return 0, false
	}
	var r rune
	for _, c := range p.b[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
