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
// controls, DEL, and the bidirectional overrides and isolates that reorder
// what the line shows.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
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
