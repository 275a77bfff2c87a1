package ingest

import (
	"fmt"
	"path/filepath"
	"strings"

	"labelqa/app/remedy"
)

// doccano exports one file per project member, named after the member
// (alice.jsonl, alice.csv); a collaborative project's export, which merges every
// member's labels, is named all.jsonl. The records name no labeler.

// fileLabeler is the labeler a file is named after: its base name without the
// extension, or "" when that is empty or one of the tool's default names.
func fileLabeler(file string, defaults ...string) string {
	base := filepath.Base(file)
	base = strings.TrimSpace(strings.TrimSuffix(base, filepath.Ext(base)))
	if base == "." || base == string(filepath.Separator) {
		return ""
	}
	for _, d := range defaults {
		if strings.EqualFold(base, d) {
			return ""
		}
	}
	return base
}

// doccanoDefault is the name of a collaborative doccano project's export.
const doccanoDefault = "all"

// doccanoNoLabeler is the refusal for a doccano file whose labeler is unknown.
func doccanoNoLabeler(file string) error {
	base := filepath.Base(file)
	return remedy.With(fmt.Errorf("doccano names the labeler only by the file name, and %s is the export of a collaborative project, which merges every member's labels; "+
		"turn collaborative annotation off in the doccano project settings and export again (one file per member, named after the member), or name the labeler's key", base), remedy.Map("annotator_id", "key"))
}

// doccanoShape reports whether names (a CSV header or a JSON record's keys)
// hold doccano's columns: shape when id, label and a text key are present (the
// label key may also be cats), exact when besides these only doccano's Comments
// and columns that are no canonical field (nor named by --map) are: the header
// doccano writes, which alone makes --format auto read a file as doccano.
func doccanoShape(names []string, opts *Options) (shape, exact bool) {
	var id, label, text, comments bool
	other := false
	for _, n := range names {
		n = strings.TrimSpace(strings.TrimPrefix(n, "\uFEFF"))
		switch n {
		case "id":
			id = true
			continue
		case "label", "cats":
			label = true
			continue
		case "text", "data", "filename":
			text = true
			continue
		case "Comments":
			comments = true
			continue
		}
		if _, ok := headerIndex[normalizeHeader(n)]; ok {
			other = true
		}
		for _, col := range opts.Map {
			if col == n || normalizeHeader(col) == normalizeHeader(n) {
				other = true
			}
		}
	}
	shape = id && label && text
	return shape, shape && comments && !other
}

// isDoccanoHeader reports whether a CSV header is exactly a doccano export's
// (doccanoShape); a file whose header is not is read as a canonical CSV unless
// --format doccano is given.
func isDoccanoHeader(header []string, opts *Options) bool {
	_, exact := doccanoShape(header, opts)
	return exact
}

// isDoccanoObject reports whether a JSON record is a doccano export's: its keys
// are doccano's (doccanoShape) and its label (or cats) is a list.
func isDoccanoObject(o map[string]any, opts *Options) bool {
	lab, ok := o["label"]
	if !ok {
		lab = o["cats"] // intent detection projects
	}
	if _, list := lab.([]any); !list {
		return false
	}
	_, exact := doccanoShape(sortedObjKeys(o), opts)
	return exact
}

// doccanoHint adds to a canonical file's "no column for annotator_id" error
// err, when its columns look like a doccano export's, that the doccano
// format would take the labeler from the file's name.
func doccanoHint(err error, names []string, opts *Options) error {
	if shape, _ := doccanoShape(names, opts); !shape {
		return err
	}
	return remedy.With(fmt.Errorf("%w; if this is a doccano export, whose labeler is the file's name, choose the doccano format", err), remedy.Format("doccano"))
}

// doccanoColumns adjusts a doccano CSV's mapping: an item-id column from the
// example's meta (ad_id…) wins over doccano's own id, data or filename (older
// and image projects) is the content when no text column is, and a column named
// like a labeler (a meta column such as user) is not the labeler: doccano records
// never name one, so only --map annotator_id=COLUMN picks a column.
func doccanoColumns(m *mapping, header []string, opts *Options, gold bool) {
	if _, ok := opts.Map["annotator_id"]; !ok {
		m.col[fAnnotator] = -1
	}
	if _, ok := opts.Map["item_id"]; !ok {
		if c := m.col[fItemID]; c >= 0 && normalizeHeader(header[c]) == "id" {
			best, rank := -1, 1<<30
			for i, h := range header {
				n := normalizeHeader(h)
				if hm, ok := headerIndex[n]; ok && hm.f == fItemID && n != "id" && m.colF[i] == fNone && hm.rank < rank {
					best, rank = i, hm.rank
				}
			}
			if best >= 0 {
				m.col[fItemID] = best
			}
		}
	}
	if m.col[fContent] < 0 && !gold {
		for i, h := range header {
			if n := normalizeHeader(h); (n == "data" || n == "filename") && m.colF[i] == fNone {
				m.col[fContent] = i
				break
			}
		}
	}
	m.rebuild(header)
}

// doccano reads one record of a doccano JSONL or JSON export: the labels one
// member gave one example. An example the member did not label (an empty label
// list) is skipped.
func (h *objHandler) doccano(o jsonObj) error {
	s, b := h.s, h.b
	labelKey := ""
	if want := s.opts.Map["label"]; want != "" {
		for _, k := range sortedObjKeys(o.v) {
			if k == want || (labelKey == "" && normalizeHeader(k) == normalizeHeader(want)) {
				labelKey = k
			}
		}
	} else {
		for _, k := range []string{"label", "labels", "cats"} {
			if _, ok := o.v[k]; ok {
				labelKey = k
				break
			}
		}
	}
	// doccano records never name their labeler (a meta key like "user" is the
	// example's, not the labeler's): only --map annotator_id=KEY picks a key.
	annKey := ""
	mapped := s.opts.Map["annotator_id"] != "" && !s.gold
	if want := s.opts.Map["annotator_id"]; mapped {
		for _, k := range sortedObjKeys(o.v) {
			if k == want || (annKey == "" && normalizeHeader(k) == normalizeHeader(want)) {
				annKey = k
			}
		}
		if annKey == "" && !h.checked {
			s.errs.Add(&Error{File: s.file, Row: o.line, Err: remedy.With(fmt.Errorf("annotator_id is mapped to key %q, but the first doccano record has no such key; keys found: %s; leave annotator_id unmapped to take the labeler from the file's name, or map it to one of them", want, quoteList(sortedObjKeys(o.v))), remedy.Map("annotator_id", "key"))})
			h.stop = true
			return nil
		}
	}
	ann := ""
	if mapped {
		ann = getStr(o.v, annKey) // a record without the key: annotator_id is empty
	} else if !s.gold {
		if h.docAnn == "" {
			if h.docAnn = fileLabeler(s.file, doccanoDefault); h.docAnn == "" {
				s.errs.Add(&Error{File: s.file, Row: o.line, Err: doccanoNoLabeler(s.file)})
				h.stop = true
				return nil
			}
			s.sum.FileLabeler = h.docAnn
		}
		ann = h.docAnn
	}
	itemKey := h.itemKey(o.v, "id")
	if itemKey == "" {
		itemKey = "id"
	}
	if !h.checked {
		h.checked = true
		s.sum.Columns = ColumnMapping{"item_id": itemKey, "label": labelKey}
		if _, ok := o.v["Comments"]; ok {
			s.sum.Columns["comment"] = "Comments"
		}
		for _, k := range []string{"text", "data", "filename"} {
			if _, ok := o.v[k]; ok && !s.gold {
				s.sum.Columns["content"] = k
				break
			}
		}
		if mapped {
			s.sum.Columns["annotator_id"] = annKey
		} else if !s.gold {
			s.sum.Columns["annotator_id"] = "file name (" + ann + ")"
		}
	}
	v, has := o.v[labelKey]
	switch x := v.(type) {
	case nil:
		if has {
			s.sum.Skipped++ // not labeled by this member
			return nil
		}
	case []any:
		if len(x) == 0 {
			s.sum.Skipped++
			return nil
		}
	case string:
		if strings.TrimSpace(x) == "" {
			s.sum.Skipped++
			return nil
		}
	}
	row := o.line
	b.start(row)
	b.set(fItemID, getStr(o.v, itemKey), row, 0)
	b.set(fAnnotator, ann, row, 0)
	h.setMapped(o.v, row, fItemID, fAnnotator, fLabel, fComment)
	if !s.gold && b.rec.Content == "" {
		for _, k := range []string{"data", "filename"} {
			if t := getStr(o.v, k); t != "" {
				b.set(fContent, t, row, 0)
				break
			}
		}
	}
	if !has {
		b.addHint(row, 0, fLabel, remedy.Map("label", "key"), "the doccano record has no label list; keys found: %s; name the key that holds it", quoteList(sortedObjKeys(o.v)))
		return h.finish()
	}
	lrow := keyLine(o.raw, labelKey, row)
	switch x := v.(type) {
	case []any:
		for _, el := range x {
			t, ok := scalarText(el)
			if !ok {
				b.addf(lrow, 0, fLabel, "%s holds %s, not a label name: this looks like a sequence-labeling or relation project; LabelQA reads doccano text and image classification exports", labelKey, typeName(el))
				break
			}
			b.set(fLabel, t, lrow, 0)
		}
	case map[string]any:
		b.addf(lrow, 0, fLabel, "%s is an object, not a list of label names like [\"positive\"]; export the doccano project again as JSONL", labelKey)
	default:
		t, _ := scalarText(x)
		b.set(fLabel, t, lrow, 0)
	}
	switch c := o.v["Comments"].(type) {
	case []any:
		b.set(fComment, strings.Join(appendTexts(nil, c), "; "), row, 0)
	case string:
		b.set(fComment, c, row, 0)
	}
	return h.finish()
}

// itemKey returns the best item-id key of obj with a value, skipping the keys in
// except, or "".
func (h *objHandler) itemKey(obj map[string]any, except ...string) string {
	best, bestRank := "", 1<<30
outer:
	for k, v := range obj {
		for _, e := range except {
			if k == e {
				continue outer
			}
		}
		if hm := h.lookup(k); hm.f == fItemID && (hm.rank < bestRank || (hm.rank == bestRank && k < best)) {
			if t, ok := scalarText(v); ok && strings.TrimSpace(t) != "" {
				best, bestRank = k, hm.rank
			}
		}
	}
	return best
}

// hasField reports whether a header or key list has a column for f: one named
// like it, or any when --map names f.
func hasField(names []string, opts *Options, f field) bool {
	if opts.Map[fieldNames[f]] != "" {
		return true
	}
	for _, n := range names {
		if hm, ok := headerIndex[normalizeHeader(n)]; ok && hm.f == f {
			return true
		}
	}
	return false
}
