package ingest

import (
	"fmt"
	"sort"
	"strings"

	"labelqa/app/remedy"
)

// field is a canonical field of a batch or golden-set record.
type field int

const (
	fItemID field = iota
	fAnnotator
	fLabel
	fVendor
	fTeam
	fMarket
	fQueue
	fRound
	fSubmittedAt
	fDuration
	fSOPVersion
	fTemplate
	fContent
	fComment
	fErrorCat
	fRootCause
	fRationale
	fSOPSection
	fGDSVersion
	numFields
	fNone field = -1
)

var fieldNames = [numFields]string{
	"item_id", "annotator_id", "label", "vendor", "team", "market", "queue", "round",
	"submitted_at", "duration_s", "sop_version", "template", "content", "comment",
	"error_category", "root_cause", "rationale", "sop_section", "gds_version",
}

func (f field) String() string {
	if f >= 0 && f < numFields {
		return fieldNames[f]
	}
	return "?"
}

// Synonyms lists, per canonical field, the header names recognised for it, in
// order of preference (the canonical name itself always wins). Names are
// compared after normalizeHeader: lower case, without spaces, hyphens,
// underscores and dots. docs/FORMATS.md lists the same table.
var Synonyms = map[string][]string{
	"item_id":        {"item", "task_id", "id", "object", "object_id", "ad_id", "content_id", "creative_id", "external_id"},
	"annotator_id":   {"worker", "worker_id", "labeler", "labeler_id", "labeller", "rater", "rater_id", "user", "user_id", "annotator", "reviewer", "reviewer_id", "completed_by", "created_by"},
	"label":          {"answer", "decision", "labels", "choice", "choices", "class", "verdict", "gold_label", "correct_label", "expected_label", "true_label", "ground_truth"},
	"vendor":         {"vendor_name", "bpo", "supplier"},
	"team":           {"team_name", "site"},
	"market":         {"country", "locale", "language", "lang"},
	"queue":          {"queue_name"},
	"round":          {"qa_round", "review_round", "pass"},
	"submitted_at":   {"timestamp", "time", "created_at", "submitted", "submission_time", "completed_at", "datetime", "date"},
	"duration_s":     {"duration", "lead_time", "time_spent", "handling_time", "aht", "time_spent_in_seconds", "seconds_to_create", "duration_seconds", "seconds"},
	"sop_version":    {"sop", "guideline_version", "policy_version"},
	"template":       {"template_version", "labeling_template"},
	"content":        {"text", "url", "image", "image_url", "body", "ad_text", "row_data", "html", "audio", "video"},
	"comment":        {"comments", "note", "notes", "remark", "feedback"},
	"error_category": {"error_type", "error"},
	"root_cause":     {"rca", "cause"},
	"rationale":      {"explanation", "reason", "justification"},
	"sop_section":    {"section", "policy_section"},
	"gds_version":    {"gold_version", "golden_set_version"},
}

type headerMatch struct {
	f    field
	rank int
}

// headerIndex maps a normalized header to its field and preference rank.
var headerIndex = func() map[string]headerMatch {
	m := make(map[string]headerMatch)
	for f := field(0); f < numFields; f++ {
		m[normalizeHeader(fieldNames[f])] = headerMatch{f, 0}
		for i, s := range Synonyms[fieldNames[f]] {
			k := normalizeHeader(s)
			if _, ok := m[k]; !ok {
				m[k] = headerMatch{f, i + 1}
			}
		}
	}
	return m
}()

// normalizeHeader lower-cases h and drops spaces, hyphens, underscores and dots,
// so that "Item ID", "item-id" and "ITEM_ID" compare equal.
func normalizeHeader(h string) string {
	h = strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))
	for i := 0; i < len(h); i++ {
		if h[i] >= 0x80 {
			var b strings.Builder
			for _, r := range strings.ToLower(h) {
				switch r {
				case ' ', '-', '_', '.', '\t':
					continue
				}
				b.WriteRune(r)
			}
			return b.String()
		}
	}
	b := make([]byte, 0, len(h))
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case c == ' ' || c == '-' || c == '_' || c == '.' || c == '\t':
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return string(b)
}

// FieldByName returns the canonical field for a canonical name or synonym.
func fieldByName(name string) (field, bool) {
	m, ok := headerIndex[normalizeHeader(name)]
	if !ok || m.rank != 0 {
		return fNone, false
	}
	return m.f, true
}

// activeFields says which fields a mode reads.
func fieldActive(f field, gold bool) bool {
	switch f {
	case fItemID, fLabel:
		return true
	case fRationale, fSOPSection, fGDSVersion:
		return gold
	}
	return !gold
}

func requiredFields(gold bool) []field {
	if gold {
		return []field{fItemID, fLabel}
	}
	return []field{fItemID, fAnnotator, fLabel}
}

// ColumnMapping names, per canonical field, the header (or JSON key) it was read from.
type ColumnMapping map[string]string

// String lists the mapping as field=header pairs in field order.
func (m ColumnMapping) String() string {
	var parts []string
	for f := field(0); f < numFields; f++ {
		if h, ok := m[fieldNames[f]]; ok {
			parts = append(parts, fieldNames[f]+"="+h)
		}
	}
	return strings.Join(parts, ", ")
}

// mapping is the result of matching a header row.
type mapping struct {
	col     [numFields]int // 0-based column per field, -1 when absent
	used    []int          // columns in use, ascending
	colF    []field        // field per column, fNone when ignored
	ignored []string
	columns ColumnMapping
}

// checkMapOption validates Options.Map field names.
func checkMapOption(m map[string]string) error {
	var bad []string
	for k := range m {
		if _, ok := fieldByName(k); !ok {
			bad = append(bad, k)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	sort.Strings(bad)
	// The hint names the mapping, so it follows "the column mapping names
	// unknown field": a face shows its name for the mapping there.
	unknown := remedy.With(fmt.Errorf("the column mapping names unknown field %q", bad[0]), remedy.Map("", "column"))
	return fmt.Errorf("%w; use one of %s", unknown, strings.Join(fieldNames[:], ", "))
}

// matchHeader maps header names to fields. labelGuess, when set, is tried for the
// label column when nothing matches (Label Studio CSV and JSON_MIN name it after the
// labeling config). It returns an error message (without position) when a required
// field has no column, other than one the reader supplies itself (external, or
// fNone: doccano files take the annotator from the file name).
func matchHeader(header []string, opts *Options, gold bool, labelGuess func(header []string, taken []bool) int, external field) (*mapping, error) {
	m := &mapping{colF: make([]field, len(header)), columns: ColumnMapping{}}
	for i := range m.col {
		m.col[i] = -1
	}
	for i := range m.colF {
		m.colF[i] = fNone
	}
	rank := [numFields]int{}
	taken := make([]bool, len(header))
	// Explicit --map first.
	for _, name := range sortedKeys(opts.Map) {
		h := opts.Map[name]
		f, _ := fieldByName(name)
		var exact, loose []int
		for i, hh := range header {
			if strings.TrimSpace(hh) == h {
				exact = append(exact, i)
			} else if normalizeHeader(hh) == normalizeHeader(h) {
				loose = append(loose, i)
			}
		}
		found := exact
		if len(found) == 0 {
			found = loose
		}
		if len(found) == 0 {
			return nil, remedy.With(fmt.Errorf("%s is mapped to column %q, but the file has no such column; headers found: %s; map %s to one of them", name, h, quoteList(header), name), remedy.Map(name, "column"))
		}
		if len(found) > 1 {
			return nil, fmt.Errorf("%s is mapped to column %q, but columns %d (%q) and %d (%q) are both named so, and which one to read is unclear; rename or remove one of them",
				name, h, found[0]+1, strings.TrimSpace(header[found[0]]), found[1]+1, strings.TrimSpace(header[found[1]]))
		}
		idx := found[0]
		if !fieldActive(f, gold) {
			continue
		}
		m.col[f] = idx
		rank[f] = -1
		taken[idx] = true
	}
	// twin[f] is a column named like the one chosen for f (the same name, or
	// one that compares equal): which of the two to read is unclear.
	var twin [numFields]int
	for i := range twin {
		twin[i] = -1
	}
	for i, h := range header {
		if taken[i] {
			continue
		}
		hm, ok := headerIndex[normalizeHeader(h)]
		if !ok || !fieldActive(hm.f, gold) {
			continue
		}
		if m.col[hm.f] >= 0 && rank[hm.f] == hm.rank {
			if twin[hm.f] < 0 {
				twin[hm.f] = i
			}
			continue
		}
		if m.col[hm.f] >= 0 && rank[hm.f] < hm.rank {
			continue
		}
		if old := m.col[hm.f]; old >= 0 {
			taken[old] = false
		}
		m.col[hm.f] = i
		rank[hm.f] = hm.rank
		taken[i] = true
		twin[hm.f] = -1
	}
	for f := field(0); f < numFields; f++ {
		if j := twin[f]; j >= 0 {
			i := m.col[f]
			return nil, remedy.With(fmt.Errorf("columns %d (%q) and %d (%q) both name %s, and which one to read is unclear; rename or remove one of them, or, when they are spelled differently, name the one to read",
				i+1, strings.TrimSpace(header[i]), j+1, strings.TrimSpace(header[j]), fieldNames[f]), remedy.Map(fieldNames[f], "header"))
		}
	}
	if m.col[fLabel] < 0 && labelGuess != nil {
		if i := labelGuess(header, taken); i >= 0 {
			m.col[fLabel] = i
			taken[i] = true
		}
	}
	var missing []string
	for _, f := range requiredFields(gold) {
		if m.col[f] < 0 && f != external {
			missing = append(missing, fieldNames[f])
		}
	}
	if len(missing) > 0 {
		hints := make([]remedy.Hint, len(missing))
		for i, f := range missing {
			hints[i] = remedy.Map(f, "column")
		}
		what := "column"
		if len(missing) > 1 {
			what = "columns"
		}
		return nil, remedy.With(fmt.Errorf("no %s for %s (required); headers found: %s; name the right %s",
			what, strings.Join(missing, ", "), quoteList(header), what), hints...)
	}
	m.rebuild(header)
	return m, nil
}

// rebuild derives colF, used, ignored and columns from col.
func (m *mapping) rebuild(header []string) {
	m.used, m.ignored, m.columns = nil, nil, ColumnMapping{}
	for i := range m.colF {
		m.colF[i] = fNone
	}
	for f := field(0); f < numFields; f++ {
		if c := m.col[f]; c >= 0 {
			m.colF[c] = f
			m.columns[fieldNames[f]] = strings.TrimSpace(header[c])
		}
	}
	for i, h := range header {
		if m.colF[i] >= 0 {
			m.used = append(m.used, i)
		} else if strings.TrimSpace(h) != "" {
			m.ignored = append(m.ignored, strings.TrimSpace(h))
		}
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func quoteList(h []string) string {
	if len(h) == 0 {
		return "(none)"
	}
	const max = 30
	var b strings.Builder
	for i, s := range h {
		if i == max {
			fmt.Fprintf(&b, ", … (%d more)", len(h)-max)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		s = strings.TrimSpace(s)
		if len(s) > 60 {
			s = s[:60] + "…"
		}
		fmt.Fprintf(&b, "%q", s)
	}
	return b.String()
}

// Label Studio CSV and JSON_MIN columns that are never the label.
var labelStudioKnown = map[string]bool{
	"agreement": true, "annotationid": true, "updatedat": true, "history": true,
	"draftcreatedat": true, "groundtruth": false, "innerid": true, "project": true,
}

// labelStudioGuess picks the label column of a Label Studio CSV / JSON_MIN export:
// the one column that is neither a known Label Studio column nor mapped.
func labelStudioGuess(header []string, taken []bool) int {
	found := -1
	for i, h := range header {
		if taken[i] || strings.TrimSpace(h) == "" {
			continue
		}
		n := normalizeHeader(h)
		if labelStudioKnown[n] {
			continue
		}
		if _, ok := headerIndex[n]; ok {
			continue
		}
		if found >= 0 {
			return -1 // ambiguous: ask for --map
		}
		found = i
	}
	return found
}

// isLabelStudioHeader reports whether a header looks like a Label Studio CSV or JSON_MIN export.
func isLabelStudioHeader(header []string) bool {
	var ann, annID bool
	for _, h := range header {
		switch normalizeHeader(h) {
		case "annotator":
			ann = true
		case "annotationid":
			annID = true
		}
	}
	return ann && annID
}
