package store

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"

	"modernc.org/sqlite"
)

// Redacted is what replaces another vendor's name or reviewer id in the
// free text of a vendor-scoped export (and of a vendor workbook).
const Redacted = "[redacted]"

// Redactor removes other vendors' names and reviewer ids from text. A name
// matches whatever its words are separated by, in any letter case, so
// "Fjord Review AS" also matches "fjord-review-as" (a batch file name) and
// "FjordReviewAS"; a reviewer id matches the same way.
//
// A Redactor is safe for use by several goroutines.
type Redactor struct {
	names *regexp.Regexp // other vendors' names; nil when there are none
	all   *regexp.Regexp // names and reviewer ids; nil when there are none
}

// NewRedactor returns the Redactor of names (other vendors' names) and ids
// (their reviewer ids). Empty strings are left out.
func NewRedactor(names, ids []string) *Redactor {
	return &Redactor{names: alternation(names), all: alternation(append(slices.Clone(names), ids...))}
}

// alternation is one case-insensitive regexp matching any of words, the
// longest first (so a longer name wins over its own prefix).
func alternation(words []string) *regexp.Regexp {
	var pats []string
	seen := map[string]bool{}
	for _, w := range words {
		p := loosePattern(w)
		if p == "" || seen[p] {
			continue
		}
		seen[p] = true
		pats = append(pats, p)
	}
	if len(pats) == 0 {
		return nil
	}
	slices.SortFunc(pats, func(a, b string) int { return len(b) - len(a) })
	return regexp.MustCompile(`(?i)(?:` + strings.Join(pats, "|") + `)`)
}

// loosePattern matches w's runs of letters and digits separated by anything
// else or nothing; a w without letters or digits matches itself.
func loosePattern(w string) string {
	w = strings.TrimSpace(w)
	if w == "" {
		return ""
	}
	words := strings.FieldsFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	if len(words) == 0 {
		return regexp.QuoteMeta(w)
	}
	for i, x := range words {
		words[i] = regexp.QuoteMeta(x)
	}
	return strings.Join(words, `[^\pL\pN]*`)
}

// Text returns s with every other vendor's name and reviewer id replaced by
// Redacted, and whether anything was.
func (r *Redactor) Text(s string) (string, bool) { return replace(r.all, s) }

// Name returns s with every other vendor's name (not reviewer ids)
// replaced by Redacted, and whether anything was. It is for identifiers
// (item and reviewer ids), where a reviewer id of another vendor inside an
// id of this vendor's ("rev1" in "rev10") names nobody.
func (r *Redactor) Name(s string) (string, bool) { return replace(r.names, s) }

func replace(re *regexp.Regexp, s string) (string, bool) {
	if re == nil || s == "" || !re.MatchString(s) {
		return s, false
	}
	return re.ReplaceAllLiteralString(s, Redacted), true
}

// Mapping returns a batch's column map with names and ids redacted in its
// keys and values (a column header can name a vendor).
func (r *Redactor) Mapping(m map[string]string) (map[string]string, bool) {
	out := make(map[string]string, len(m))
	changed := false
	for k, v := range m {
		k2, c1 := r.Text(k)
		v2, c2 := r.Text(v)
		out[k2] = v2
		changed = changed || c1 || c2
	}
	return out, changed
}

// The SQL function labelqa_redact(token, mode, text, n) applies the
// Redactor registered under token to text inside an INSERT ... SELECT, so
// another vendor's name never reaches a page of the export:
//
//	mode 0: free text (Text)
//	mode 1: an identifier (Name); a changed one gets "#n" to stay unique
//	mode 2: a dictionary name (Text); a changed one gets "#n"
//	mode 3: a batch's column map as JSON (Mapping)
//
// NULL stays NULL. Like labelqa_collect, it must not use the store.
const redactFunc = "labelqa_redact"

var redactors = struct {
	sync.Mutex
	m    map[int64]*redactCall
	next int64
}{m: map[int64]*redactCall{}}

// redactCall is one export's Redactor and its count of changed values.
type redactCall struct {
	r       *Redactor
	mu      sync.Mutex
	changed int
}

func init() {
	sqlite.MustRegisterFunction(redactFunc, &sqlite.FunctionImpl{
		NArgs:         4,
		Deterministic: true,
		Scalar: func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			tok, _ := args[0].(int64)
			redactors.Lock()
			c := redactors.m[tok]
			redactors.Unlock()
			if c == nil {
				return nil, fmt.Errorf("%s: no redactor %v", redactFunc, args[0])
			}
			var s string
			switch v := args[2].(type) {
			case nil:
				return nil, nil
			case string:
				s = v
			case []byte:
				s = string(v)
			default:
				return v, nil // a number is no name
			}
			mode, _ := args[1].(int64)
			n, _ := args[3].(int64)
			out, changed := s, false
			switch mode {
			case 0:
				out, changed = c.r.Text(s)
			case 1, 2:
				if mode == 1 {
					out, changed = c.r.Name(s)
				} else {
					out, changed = c.r.Text(s)
				}
				if changed {
					out = fmt.Sprintf("%s#%d", out, n)
				}
			case 3:
				var m map[string]string
				if err := json.Unmarshal([]byte(s), &m); err != nil {
					// Not a map: redact it as text (a JSON string stays valid
					// JSON, as Redacted holds no quote or backslash).
					out, changed = c.r.Text(s)
					break
				}
				m2, ch := c.r.Mapping(m)
				if ch {
					b, err := json.Marshal(m2)
					if err != nil {
						return nil, err
					}
					out, changed = string(b), true
				}
			default:
				return nil, fmt.Errorf("%s: unknown mode %d", redactFunc, mode)
			}
			if changed {
				c.mu.Lock()
				c.changed++
				c.mu.Unlock()
			}
			return out, nil
		},
	})
}

// registerRedactor makes r usable as labelqa_redact's token until done is
// called.
func registerRedactor(r *Redactor) (tok int64, c *redactCall, done func()) {
	c = &redactCall{r: r}
	redactors.Lock()
	redactors.next++
	tok = redactors.next
	redactors.m[tok] = c
	redactors.Unlock()
	return tok, c, func() {
		redactors.Lock()
		delete(redactors.m, tok)
		redactors.Unlock()
	}
}
