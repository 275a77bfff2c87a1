package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Text that came from input (labels, ids, vendors, file names) can hold
// terminal control bytes: ESC starts a sequence that can recolour, retitle
// or clear the terminal (OSC 8 makes links), BEL rings, CR overwrites the
// line. Every text writer of the CLI passes such text through safeText (or
// quote), and JSON goes through writeJSON. CSV is data and is written as it
// is (app/csvsafe neutralises formulas).

// unsafeRune reports whether r must not reach a terminal raw: C0 and C1
// controls, DEL, and the bidirectional overrides, isolates and marks that
// reorder what the line shows.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069,
		r == 0x200e, r == 0x200f, r == 0x061c: // LRM, RLM, ALM: invisible, they reorder too
		return true
	}
	return false
}

// safeText returns s with control characters, bidi controls and invalid
// UTF-8 escaped as \t, \n, \x1b, \u202e and \xff; every printable character
// (Bahasa Indonesia, Norwegian æøå, CJK, emoji) is kept as it is.
func safeText(s string) string {
	clean := true
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || unsafeRune(r) {
			clean = false
			break
		}
		i += n
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x80 && unsafeRune(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// safeList is safeText of each element, joined by sep.
func safeList(list []string, sep string) string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = safeText(s)
	}
	return strings.Join(out, sep)
}

// quote is s in double quotes with Go's escapes (%q), which escapes every
// non-printable character and keeps printable Unicode.
// The bidi controls are not graphic, so it escapes them too.
func quote(s string) string { return strconv.Quote(s) }

// writeJSON writes v as indented JSON. encoding/json escapes C0 controls;
// DEL, C1 controls and the bidi controls it leaves raw (valid JSON, but live
// on some terminals) are escaped here as \u00XX: inside a JSON string an
// escape is the same character, so readers see the same values.
func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	b = append(jsonSafe(b), '\n')
	_, err = w.Write(b)
	return err
}

func jsonSafe(b []byte) []byte {
	if !bytes.ContainsFunc(b, func(r rune) bool { return r >= 0x7f && unsafeRune(r) }) {
		return b
	}
	var out bytes.Buffer
	out.Grow(len(b) + 64)
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r >= 0x7f && unsafeRune(r) {
			fmt.Fprintf(&out, `\u%04x`, r)
		} else {
			out.Write(b[i : i+n])
		}
		i += n
	}
	return out.Bytes()
}

// textWriter is the last guard of the text output on stdout: whatever a
// text writer prints passes through it, and any terminal control left in
// it (a field a writer forgot to pass through safeText) is escaped as
// safeText does. Newlines and tabs pass, since the writers' own layout uses
// them; fields must still go through safeText so that their own newlines
// and tabs cannot fake lines or columns. A UTF-8 sequence split between two
// writes is held until it is whole.
type textWriter struct {
	w       io.Writer
	pending []byte
}

func newTextWriter(w io.Writer) *textWriter { return &textWriter{w: w} }

func (t *textWriter) Write(p []byte) (int, error) {
	n := len(p)
	b := p
	if len(t.pending) > 0 {
		b = append(t.pending, p...)
		t.pending = nil
	}
	var out []byte
	clean := 0 // b[clean:i] is not copied yet
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 && !utf8.FullRune(b[i:]) {
			// An incomplete sequence at the end: keep it for the next write.
			out = append(out, b[clean:i]...)
			t.pending = append([]byte(nil), b[i:]...)
			clean = len(b)
			break
		}
		bad := r == utf8.RuneError && size == 1 || r != '\n' && r != '\t' && unsafeRune(r)
		if bad {
			out = append(out, b[clean:i]...)
			if r >= 0x7f && size > 1 || r == 0x7f {
				// \u escapes: the same character inside a JSON string
				// (JSON passes here too, and encoding/json leaves DEL, C1
				// and the bidi controls raw).
				out = fmt.Appendf(out, `\u%04x`, r)
			} else {
				out = append(out, safeText(string(b[i:i+size]))...)
			}
			clean = i + size
		}
		i += size
	}
	if clean == 0 && len(t.pending) == 0 {
		_, err := t.w.Write(b)
		return n, err
	}
	out = append(out, b[clean:]...)
	_, err := t.w.Write(out)
	return n, err
}

// Flush writes a sequence left incomplete at the end, escaped.
func (t *textWriter) Flush() error {
	if len(t.pending) == 0 {
		return nil
	}
	_, err := io.WriteString(t.w, safeText(string(t.pending)))
	t.pending = nil
	return err
}
