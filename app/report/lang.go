package report

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Lang is a workbook's language: headings, definitions, findings, number
// and date formats.
type Lang string

// The languages every workbook is written in.
const (
	EN Lang = "en"
	ID Lang = "id"
	NB Lang = "nb"
)

// Langs are every language, in the order --lang lists them.
var Langs = []Lang{EN, ID, NB}

// ParseLang reads --lang: en, id or nb ("" is English). Regional spellings
// (en-GB, id-ID, nb-NO, no) are accepted.
func ParseLang(s string) (Lang, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "en", "en-us", "en-gb", "english":
		return EN, nil
	case "id", "id-id", "in", "indonesian", "bahasa":
		return ID, nil
	case "nb", "nb-no", "no", "nn", "norwegian", "norsk":
		return NB, nil
	}
	return "", fmt.Errorf("unknown language %q: use en (English), id (Indonesian) or nb (Norwegian)", s)
}

// tag is the language's BCP 47 tag, for the document properties.
func (l Lang) tag() string {
	switch l {
	case ID:
		return "id-ID"
	case NB:
		return "nb-NO"
	}
	return "en-US"
}

// locale is the number-format locale prefix (an LCID, as Excel writes it)
// that makes LibreOffice and Excel show the language's decimal separator
// and date order whatever the reader's own settings; English keeps the
// reader's.
func (l Lang) locale() string {
	switch l {
	case ID:
		return "[$-421]"
	case NB:
		return "[$-414]"
	}
	return ""
}

// dateFormat is the language's usual numeric date, as a number format.
func (l Lang) dateFormat() string {
	switch l {
	case ID:
		return "dd/mm/yyyy"
	case NB:
		return "dd.mm.yyyy"
	}
	return "yyyy-mm-dd"
}

// Tr is one text in every language. It may hold fmt verbs, filled by
// Workbook.T's arguments.
type Tr struct{ EN, ID, NB string }

// In returns the text in l.
func (t Tr) In(l Lang) string {
	switch l {
	case ID:
		return t.ID
	case NB:
		return t.NB
	}
	return t.EN
}

var (
	textsMu sync.RWMutex
	texts   = map[string]Tr{}
)

// Texts registers keyed texts; each workbook's file calls it in init with
// keys prefixed by its kind ("kpi.…"). A key registered twice is a
// programming error.
func Texts(m map[string]Tr) {
	textsMu.Lock()
	defer textsMu.Unlock()
	for k, v := range m {
		if _, dup := texts[k]; dup {
			panic("report: text " + k + " registered twice")
		}
		texts[k] = v
	}
}

// TextKeys lists every registered key, sorted (the test that every text
// exists in every language reads it).
func TextKeys() []string {
	textsMu.RLock()
	defer textsMu.RUnlock()
	keys := make([]string, 0, len(texts))
	for k := range texts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Text returns key's text in l, and whether it exists.
func Text(key string, l Lang) (string, bool) {
	textsMu.RLock()
	defer textsMu.RUnlock()
	t, ok := texts[key]
	if !ok {
		return "", false
	}
	return t.In(l), true
}

// separators are the language's decimal and thousands separators in text.
func (l Lang) separators() (dec, thousands string) {
	switch l {
	case ID:
		return ",", "."
	case NB:
		return ",", "\u00a0"
	}
	return ".", ","
}

// formatNum writes v with decimals decimals and the language's separators;
// "–" when v is undefined.
func (l Lang) formatNum(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	dec, th := l.separators()
	var b strings.Builder
	if v < 0 && strings.Trim(s, "0.") != "" {
		b.WriteString("−")
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(th)
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString(dec)
		b.WriteString(frac)
	}
	return b.String()
}

// formatPct writes a proportion as a percentage with one decimal: 93.1%,
// 93,1% (Indonesian), 93,1 % (Norwegian, with a no-break space).
func (l Lang) formatPct(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	s := l.formatNum(v*100, 1)
	if l == NB {
		return s + "\u00a0%"
	}
	return s + "%"
}

// formatDate writes a date in the language's usual numeric form.
func (l Lang) formatDate(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	t = t.UTC()
	switch l {
	case ID:
		return t.Format("02/01/2006")
	case NB:
		return t.Format("02.01.2006")
	}
	return t.Format("2006-01-02")
}
