package rules

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Labels that differ only in letter case, in the Unicode form of their
// characters (a precomposed "é" or "e" with a combining accent, full-width
// letters) or in surrounding spaces are the same label: "approve",
// "APPROVE" and " Approve" are one label, spelled as it was first declared or
// met. LabelKey is that sameness: Unicode NFKC, then case folding, of the
// trimmed name.
func LabelKey(name string) string {
	name = strings.TrimSpace(name)
	ascii := true
	for i := 0; i < len(name); i++ {
		if name[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(name)
	}
	return cases.Fold().String(norm.NFKC.String(name))
}

// ControlAt is the byte offset of the first control character in v, -1 when
// none: C0 controls (U+0000 to U+001F; in free text tab, LF and CR are text),
// DEL (U+007F) and C1 controls (U+0080 to U+009F). Terminal escapes (ESC, BEL,
// CSI…) in ids and labels would garble every listing and report.
func ControlAt(v string, free bool) int {
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c < 0x20:
			if free && (c == '\t' || c == '\n' || c == '\r') {
				continue
			}
			return i
		case c == 0x7F:
			return i
		case c == 0xC2 && i+1 < len(v) && v[i+1] >= 0x80 && v[i+1] <= 0x9F:
			return i
		}
	}
	return -1
}

var controlNames = map[rune]string{0: "NUL", 7: "BEL", 8: "backspace", '\t': "tab", '\n': "line break", '\v': "vertical tab", '\f': "form feed", '\r': "carriage return", 0x1B: "ESC", 0x7F: "DEL", 0x9B: "CSI"}

// CheckName refuses a name a user gives the core outside an import file (a
// declared label, a golden-set version name, ...) when it holds a control
// character, by the rule and in the words an import applies to ids and
// labels; what names it ("label"). nil when v holds none.
func CheckName(what, v string) error {
	if i := ControlAt(v, false); i >= 0 {
		return ControlText(what, v, i, false)
	}
	return nil
}

func ControlText(fieldName, v string, i int, free bool) error {
	r, _ := utf8.DecodeRuneInString(v[i:])
	name := fmt.Sprintf("U+%04X", r)
	if n, ok := controlNames[r]; ok {
		name = fmt.Sprintf("%s, U+%04X", n, r)
	}
	what := "ids, labels and names are one line of plain text"
	if free {
		what = "text may hold tabs and line breaks, but no other control character"
	}
	return fmt.Errorf("%s %s holds a control character (%s) at character %d, which would garble what LabelQA shows and writes; %s: remove it", fieldName, strconv.Quote(Clip(v)), name, utf8.RuneCountInString(v[:i])+1, what)
}

// Clip shortens a value quoted in a message to 40 bytes and an ellipsis.
func Clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
