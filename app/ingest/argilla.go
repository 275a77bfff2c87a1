package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"labelqa/app/remedy"
)

// Argilla 2.x writes records with Dataset.records.to_json (nested: responses is
// an object of question name -> list of {value, user_id[, status]}) or, through
// to_list(flatten=True) and to_datasets, flattened ("<question>.responses",
// "<question>.responses.users", "<question>.responses.status"). Argilla 1.x
// FeedbackDataset records hold responses as a list of {user_id, values:
// {question: {value}}, status}; they are read too.

// isArgillaObject reports whether a JSON record is an Argilla record.
func isArgillaObject(o map[string]any) bool {
	has := func(k string) bool { _, ok := o[k]; return ok }
	switch o["responses"].(type) {
	case map[string]any:
		return has("fields") || has("_server_id") || has("suggestions")
	case []any:
		_, ok := o["fields"].(map[string]any)
		return ok
	}
	for k := range o {
		if strings.HasSuffix(k, ".responses.users") {
			return true
		}
	}
	return false
}

// argillaAnswer is one user's answer to the label question.
type argillaAnswer struct {
	user, status, at string
	value            any
	row              int
}

// argilla reads one record: one judgment per user who answered the label
// question. Discarded and draft answers are skipped; an answer without a status
// (exports that carry none) is read as submitted.
func (h *objHandler) argilla(o jsonObj) error {
	s, b := h.s, h.b
	id := "(no id)" // for messages
	for _, k := range []string{"_server_id", "external_id", "id"} {
		if t := getStr(o.v, k); t != "" {
			id = t
		}
	}
	// The questions the record's responses name (flattened: every question, its
	// answers null when none). Suggestions (a model's predictions) are no
	// labeler's answers: they never name the question.
	seen := map[string]bool{}
	var qs []string
	addQ := func(q string) {
		if q != "" && !seen[q] {
			seen[q] = true
			qs = append(qs, q)
		}
	}
	responses := o.v["responses"]
	flat := false
	switch r := responses.(type) {
	case map[string]any:
		for q := range r {
			addQ(q)
		}
	case []any:
		for _, x := range r {
			if vals, ok := get(x, "values").(map[string]any); ok {
				for q := range vals {
					addQ(q)
				}
			}
		}
	case nil:
		flat = true
		for k := range o.v {
			if q, ok := strings.CutSuffix(k, ".responses"); ok {
				addQ(q)
			}
		}
	default:
		s.sum.Rows++
		s.errs.Add(&Error{File: s.file, Row: keyLine(o.raw, "responses", o.line), Field: "label",
			Err: fmt.Errorf("responses of record %s is %s, not an object of questions; export the records again with Dataset.records.to_json", id, typeName(responses))})
		return nil
	}
	if !h.suggested { // for the message when no record holds an answer
		switch sg := o.v["suggestions"].(type) {
		case map[string]any:
			h.suggested = len(sg) > 0
		case []any:
			h.suggested = len(sg) > 0
		}
		for k, v := range o.v {
			h.suggested = h.suggested || (strings.HasSuffix(k, ".suggestion") && v != nil)
		}
	}
	sort.Strings(qs)
	q, ok := h.argillaQuestion(qs, o, id)
	if !ok {
		return nil
	}

	// The answers to q.
	var answers []argillaAnswer
	bad := func(row int, format string, args ...any) error { // a structural problem: no record
		s.sum.Rows++
		s.errs.Add(&Error{File: s.file, Row: row, Field: "label", Err: fmt.Errorf(format, args...)})
		return nil
	}
	switch r := responses.(type) {
	case map[string]any:
		list, isList := r[q].([]any)
		if r[q] != nil && !isList {
			return bad(keyLine(o.raw, "responses", o.line), "responses.%s of record %s is %s, not a list of answers; export the records again with Dataset.records.to_json", q, id, typeName(r[q]))
		}
		lines := arrayElemLines(o.raw, o.line, "responses", q)
		for i, x := range list {
			row := o.line
			if i < len(lines) {
				row = lines[i]
			}
			m, ok := x.(map[string]any)
			if !ok {
				if err := bad(row, "answer %d to question %q of record %s is %s, not an object with value and user_id; export the records again", i+1, q, id, typeName(x)); err != nil {
					return err
				}
				continue
			}
			answers = append(answers, argillaAnswer{user: getStr(m, "user_id"), status: getStr(m, "status"), at: argillaTime(m), value: m["value"], row: row})
		}
	case []any:
		lines := arrayElemLines(o.raw, o.line, "responses")
		for i, x := range r {
			v, ok := get(x, "values", q).(map[string]any)
			if !ok {
				continue // this user did not answer q
			}
			a := argillaAnswer{user: getStr(x, "user_id"), status: getStr(x, "status"), at: argillaTime(x), value: v["value"], row: o.line}
			if i < len(lines) {
				a.row = lines[i]
			}
			answers = append(answers, a)
		}
	default:
		key := q + ".responses"
		row := keyLine(o.raw, key, o.line)
		vals, isList := o.v[key].([]any)
		if o.v[key] != nil && !isList {
			return bad(row, "%s of record %s is %s, not a list of answers; export the records again", key, id, typeName(o.v[key]))
		}
		users, _ := o.v[key+".users"].([]any)
		status, _ := o.v[key+".status"].([]any)
		if len(users) != len(vals) {
			return bad(row, "record %s lists %d answers in %s and %d in %s.users; export the records again", id, len(vals), key, len(users), key)
		}
		lines := arrayElemLines(o.raw, o.line, key)
		for i, v := range vals {
			a := argillaAnswer{value: v, row: row}
			if i < len(lines) {
				a.row = lines[i]
			}
			a.user, _ = scalarText(users[i])
			if i < len(status) {
				a.status, _ = scalarText(status[i])
			}
			answers = append(answers, a)
		}
	}

	item, itemKey := "", ""
	if flat {
		if itemKey = h.itemKey(o.v, "id", "_server_id"); itemKey != "" {
			item = getStr(o.v, itemKey)
		}
	} else if m, ok := o.v["metadata"].(map[string]any); ok {
		if k := h.itemKey(m); k != "" {
			item, itemKey = getStr(m, k), "metadata."+k
		}
	}
	for _, k := range []string{"id", "external_id", "_server_id"} { // external_id: Argilla 1.x
		if itemKey == "" && getStr(o.v, k) != "" {
			itemKey, item = k, getStr(o.v, k)
		}
	}
	if !h.checked {
		h.checked = true
		if flat {
			s.sum.Columns = ColumnMapping{"item_id": itemKey, "annotator_id": q + ".responses.users", "label": q + ".responses"}
		} else {
			s.sum.Columns = ColumnMapping{"item_id": itemKey, "annotator_id": "responses." + q + "[].user_id", "label": "responses." + q + "[].value"}
		}
	}
	for i, a := range answers {
		switch strings.ToLower(strings.TrimSpace(a.status)) {
		case "discarded", "draft":
			s.sum.Skipped++
			continue
		}
		b.start(a.row)
		b.set(fItemID, item, a.row, 0)
		if strings.TrimSpace(a.user) == "" {
			b.addf(a.row, 0, fAnnotator, "answer %d to question %q of record %s has no user_id; export the records again with their responses", i+1, q, id)
		}
		b.set(fAnnotator, a.user, a.row, 0)
		if flat {
			h.setMapped(o.v, a.row, fItemID, fAnnotator, fLabel, fSubmittedAt, fDuration)
		} else {
			h.setMapped(o.v["fields"], a.row, fItemID, fAnnotator, fLabel, fSubmittedAt, fDuration)
			h.setMapped(o.v["metadata"], a.row, fItemID, fAnnotator, fLabel, fSubmittedAt, fDuration)
		}
		switch v := a.value.(type) {
		case nil:
			b.addf(a.row, 0, fLabel, "answer %d to question %q of record %s has no value; check the record in Argilla and export again", i+1, q, id)
		case []any:
			for _, el := range v {
				t, ok := scalarText(el)
				if !ok {
					b.addHint(a.row, 0, fLabel, remedy.Map("label", "question"), "the answers to question %q hold %s, not label names; pick a label or multi-label question", q, typeName(el))
					break
				}
				b.set(fLabel, t, a.row, 0)
			}
		case map[string]any:
			b.addHint(a.row, 0, fLabel, remedy.Map("label", "question"), "the answers to question %q are objects, not label names; pick a label or multi-label question", q)
		default:
			t, _ := scalarText(v)
			b.set(fLabel, t, a.row, 0)
		}
		b.set(fSubmittedAt, a.at, a.row, 0)
		if err := h.finish(); err != nil {
			return err
		}
	}
	return nil
}

// argillaTime is a response's time when the export carries one.
func argillaTime(r any) string {
	for _, k := range []string{"submitted_at", "updated_at", "inserted_at"} {
		if t := getStr(r, k); t != "" {
			return t
		}
	}
	return ""
}

// argillaQuestion chooses, once, the question whose answers are the labels among
// the questions qs the record's responses name (never its suggestions'):
// --map label=QUESTION, else the record's only question, else its only question
// named like a label (label, class, decision…).
func (h *objHandler) argillaQuestion(qs []string, o jsonObj, id string) (string, bool) {
	if h.question != "" {
		return h.question, true
	}
	if len(qs) == 0 {
		return "", false // no responses yet: decide at a record with some
	}
	s := h.s
	if want := s.opts.Map["label"]; want != "" {
		for _, q := range qs {
			if q == want || normalizeHeader(q) == normalizeHeader(want) {
				h.question = q
				return q, true
			}
		}
		s.errs.Add(&Error{File: s.file, Row: o.line, Err: remedy.With(fmt.Errorf("label is mapped to question %q, but record %s has no such question; questions found: %s; pick one of them", want, id, quoteList(qs)), remedy.Map("label", "question"))})
		h.stop = true
		return "", false
	}
	if len(qs) == 1 {
		h.question = qs[0]
		return h.question, true
	}
	var labelish []string
	for _, q := range qs {
		if m, ok := headerIndex[normalizeHeader(q)]; ok && m.f == fLabel {
			labelish = append(labelish, q)
		}
	}
	if len(labelish) == 1 {
		h.question = labelish[0]
		return h.question, true
	}
	s.errs.Add(&Error{File: s.file, Row: o.line, Err: remedy.With(fmt.Errorf("record %s has questions %s; pick the one whose answers are the labels", id, quoteList(qs)), remedy.Map("label", "question"))})
	h.stop = true
	return "", false
}

// arrayElemLines returns the line of each element of the array found in raw
// under the object keys of path; nil (or fewer lines) when the path is not found.
func arrayElemLines(raw []byte, startLine int, path ...string) []int {
	return arrayKeyLines(raw, startLine, "", path...)
}

// arrayKeyLines returns, for each element of the array found in raw under the
// object keys of path, the line of its first "key" (the element's own line when
// key is "" or the element has none). It reads raw once and counts its newlines
// once, so a task with N annotations costs O(N), not O(N²).
func arrayKeyLines(raw []byte, startLine int, key string, path ...string) []int {
	d := json.NewDecoder(bytes.NewReader(raw))
	for _, p := range path {
		if t, err := d.Token(); err != nil || t != json.Delim('{') {
			return nil
		}
		for {
			t, err := d.Token()
			if err != nil || t == json.Delim('}') {
				return nil
			}
			if k, _ := t.(string); k == p {
				break
			}
			var skip json.RawMessage
			if d.Decode(&skip) != nil {
				return nil
			}
		}
	}
	if t, err := d.Token(); err != nil || t != json.Delim('[') {
		return nil
	}
	var pat []byte
	if key != "" {
		pat, _ = json.Marshal(key)
	}
	var lines []int
	line, counted := startLine, 0 // newlines of raw[:counted] are in line
	for d.More() {
		var el json.RawMessage
		if d.Decode(&el) != nil {
			break
		}
		at := int(d.InputOffset()) - len(el)
		if pat != nil {
			if i := bytes.Index(el, pat); i >= 0 {
				at += i
			}
		}
		if at < counted { // cannot happen: elements come in order
			at = counted
		}
		line += bytes.Count(raw[counted:at], nl)
		counted = at
		lines = append(lines, line)
	}
	return lines
}
