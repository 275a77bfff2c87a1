package ingest

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"labelqa/app/remedy"
)

// objHandler turns decoded JSON objects into records: canonical objects, or the
// shapes of the labeling tools' exports.
type objHandler struct {
	s       *scanner
	format  string // as asked: json, jsonl, or a tool export
	kind    string // as detected from the first object
	b       *builder
	keys    map[string]headerMatch
	checked bool
	stop    bool

	docAnn    string // doccano: the labeler named by the file name
	question  string // argilla: the question whose answers are the labels
	suggested bool   // argilla: a record holds suggestions (for the message when none holds an answer)
}

func (s *scanner) newObjHandler(format string) *objHandler {
	b := newBuilder(s.file, s.gold, s.errs)
	return &objHandler{s: s, format: format, b: b, keys: map[string]headerMatch{}}
}

func (h *objHandler) end() {
	s := h.s
	if h.kind == "argilla" && s.sum.Rows == 0 && s.sum.Skipped == 0 && s.errs.Total == 0 {
		if h.suggested {
			s.problem("no Argilla record holds a user's response, only suggestions (a model's predictions, which LabelQA does not read as judgments); export the dataset after users have answered, with their responses")
		} else {
			s.problem("no Argilla record holds a user's response (responses, or <question>.responses when flattened); export the dataset after it has been annotated")
		}
	}
}

// detectKind recognises a tool export by the keys of its first object.
// doccano is recognised only for batches (gold false).
func detectKind(o map[string]any, container string, gold bool, opts *Options) string {
	has := func(k string) bool { _, ok := o[k]; return ok }
	if _, ok := o["annotations"].([]any); ok && (has("data") || has("id")) {
		return "labelstudio"
	}
	if has("data_row") && has("projects") {
		return "labelbox"
	}
	if has("_input_hash") || has("_annotator_id") || (has("_session_id") && has("answer")) {
		return "prodigy"
	}
	if ans, ok := o["answers"].([]any); ok && len(ans) > 0 {
		if a, ok := ans[0].(map[string]any); ok {
			if _, ok := a["answerContent"]; ok {
				return "sagemaker-worker"
			}
			if _, ok := a["workerId"]; ok {
				return "sagemaker-worker"
			}
		}
	}
	if isArgillaObject(o) {
		return "argilla"
	}
	if sagemakerAttr(o, "") != "" {
		return "sagemaker-manifest"
	}
	keys := make([]string, 0, len(o))
	for k := range o {
		keys = append(keys, k)
	}
	if isLabelStudioHeader(keys) {
		return "labelstudio-min"
	}
	if !gold && isDoccanoObject(o, opts) {
		return "doccano" // never for golden sets: their canonical id, label, text files would be taken
	}
	return container
}

func (h *objHandler) handle(o jsonObj) error {
	s := h.s
	if h.kind == "" {
		switch h.format {
		case "json", "jsonl", "auto":
			h.kind = detectKind(o.v, h.format, s.gold, &s.opts)
		case "sagemaker":
			h.kind = "sagemaker-worker"
		default:
			h.kind = h.format
		}
		s.sum.Format = h.kind
	}
	switch h.kind {
	case "labelstudio":
		return h.labelStudio(o)
	case "labelbox":
		return h.labelbox(o)
	case "prodigy":
		return h.prodigy(o)
	case "sagemaker-manifest":
		return h.sagemakerManifest(o)
	case "sagemaker-worker":
		return h.sagemakerWorker(o)
	case "doccano":
		return h.doccano(o)
	case "argilla":
		return h.argilla(o)
	}
	return h.canonical(o)
}

// lookup maps an object key to a field (memoized).
func (h *objHandler) lookup(k string) headerMatch {
	if m, ok := h.keys[k]; ok {
		return m
	}
	m := headerMatch{f: fNone}
	for name, col := range h.s.opts.Map {
		if col == k || normalizeHeader(col) == normalizeHeader(k) {
			f, _ := fieldByName(name)
			m = headerMatch{f: f, rank: -1}
			if col == k {
				m.rank = -2 // the exact name wins over one that only compares equal
				break
			}
		}
	}
	if m.f == fNone {
		if hm, ok := headerIndex[normalizeHeader(k)]; ok {
			m = hm
		}
	}
	if m.f != fNone && !fieldActive(m.f, h.s.gold) {
		m.f = fNone
	}
	h.keys[k] = m
	return m
}

func sortedObjKeys(o map[string]any) []string {
	keys := make([]string, 0, len(o))
	for k := range o {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// canonical reads an object whose keys are field names or synonyms.
func (h *objHandler) canonical(o jsonObj) error {
	s := h.s
	keys := sortedObjKeys(o.v)
	if !h.checked {
		h.checked = true
		for name, col := range s.opts.Map {
			found := false
			for _, k := range keys {
				found = found || k == col || normalizeHeader(k) == normalizeHeader(col)
			}
			if !found {
				s.errs.Add(&Error{File: s.file, Row: o.line, Err: remedy.With(fmt.Errorf("%s is mapped to key %q, but the first object has no such key; keys found: %s; map %s to one of them", name, col, quoteList(keys), name), remedy.Map(name, "key"))})
				h.stop = true
				return nil
			}
		}
		var present [numFields]bool
		for _, k := range keys {
			if m := h.lookup(k); m.f != fNone {
				present[m.f] = true
			}
		}
		if !present[fLabel] && h.kind == "labelstudio-min" {
			taken := make([]bool, len(keys))
			for i, k := range keys {
				taken[i] = h.lookup(k).f != fNone
			}
			if i := labelStudioGuess(keys, taken); i >= 0 {
				h.keys[keys[i]] = headerMatch{f: fLabel, rank: -1}
				present[fLabel] = true
			}
		}
		var missing []string
		var hints []remedy.Hint
		for _, f := range requiredFields(s.gold) {
			if !present[f] {
				missing = append(missing, fieldNames[f])
				hints = append(hints, remedy.Map(fieldNames[f], "key"))
			}
		}
		if len(missing) > 0 {
			what := "key"
			if len(missing) > 1 {
				what = "keys"
			}
			err := remedy.With(fmt.Errorf("no %s for %s (required) in the first object; keys found: %s; name the right %s",
				what, strings.Join(missing, ", "), quoteList(keys), what), hints...)
			if !s.gold && (h.kind == "json" || h.kind == "jsonl") && !hasField(keys, &s.opts, fAnnotator) {
				err = doccanoHint(err, keys, &s.opts)
			}
			s.errs.Add(&Error{File: s.file, Row: o.line, Err: err})
			h.stop = true
			return nil
		}
		for _, k := range keys {
			if m := h.lookup(k); m.f != fNone {
				if _, ok := s.sum.Columns[fieldNames[m.f]]; !ok || m.rank < 0 {
					s.sum.Columns[fieldNames[m.f]] = k
				}
			} else {
				s.sum.Ignored = append(s.sum.Ignored, k)
			}
		}
	}
	b := h.b
	b.start(o.line)
	var rank [numFields]int
	var src [numFields]string
	var vals [numFields]any
	for i := range rank {
		rank[i] = 1 << 30
	}
	var twin [numFields]string // a key named like src[f]: which to read is unclear
	for k, v := range o.v {
		m := h.lookup(k)
		if m.f == fNone {
			continue
		}
		switch {
		case m.rank == rank[m.f]:
			twin[m.f] = max(twin[m.f], k, src[m.f])
			if k < src[m.f] {
				src[m.f], vals[m.f] = k, v
			}
		case m.rank < rank[m.f]:
			rank[m.f], src[m.f], vals[m.f], twin[m.f] = m.rank, k, v, ""
		}
	}
	for f := range twin {
		if twin[f] != "" {
			b.addf(keyLine(o.raw, twin[f], o.line), 0, field(f), "the keys %q and %q both name %s, and which one to read is unclear; rename or remove one of them", src[f], twin[f], fieldNames[f])
		}
	}
	before := len(s.errs.Errs)
	for f := field(0); f < numFields; f++ {
		if src[f] != "" {
			h.setValue(f, vals[f], o.line)
		}
	}
	if err := h.finish(); err != nil {
		return err
	}
	for _, e := range s.errs.Errs[before:] {
		if f, ok := fieldByName(e.Field); ok && src[f] != "" {
			e.Row = keyLine(o.raw, src[f], o.line)
		}
	}
	return nil
}

func (h *objHandler) finish() error {
	s := h.s
	s.sum.Rows++
	if err := h.b.finish(nil, s.fn, s.gfn); err != nil {
		return fatal{err}
	}
	if !h.b.bad {
		s.sum.Records++
	}
	return nil
}

// setValue sets field f from a JSON value, checking its type.
func (h *objHandler) setValue(f field, v any, row int) {
	b := h.b
	switch x := v.(type) {
	case []any:
		if f == fComment {
			// doccano keeps Comments as a list; its export with extra meta keys
			// is not told from a canonical file by shape.
			b.addHint(row, 0, f, remedy.Format("doccano"), "comment is a list; write a single value, or, if this is a doccano export, choose the doccano format")
			return
		}
		if f != fLabel {
			b.addf(row, 0, f, "%s is a list; write a single value", fieldNames[f])
			return
		}
		for _, el := range x {
			t, ok := scalarText(el)
			if !ok {
				b.addf(row, 0, f, "label list holds %s; write each label as a text, like [\"approve\", \"adult_content\"]", typeName(el))
				return
			}
			b.set(f, t, row, 0)
		}
	case map[string]any:
		if f == fLabel {
			if cs, ok := x["choices"].([]any); ok {
				h.setValue(f, cs, row)
				return
			}
			b.addf(row, 0, f, "label is an object; write a text or a list of texts, like \"approve\" or [\"approve\"]")
			return
		}
		b.addf(row, 0, f, "%s is an object; write a single value", fieldNames[f])
	default:
		t, _ := scalarText(v)
		b.set(f, t, row, 0)
	}
}

// ---- helpers for tool exports ----

func get(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

func getStr(v any, path ...string) string {
	t, _ := scalarText(get(v, path...))
	return strings.TrimSpace(t)
}

func getBool(v any, path ...string) bool {
	b, _ := get(v, path...).(bool)
	return b
}

// setMapped sets optional fields from an object whose keys are canonical names or
// synonyms (Label Studio task data, Prodigy meta), skipping the ones in skip.
func (h *objHandler) setMapped(obj any, row int, skip ...field) {
	m, ok := obj.(map[string]any)
	if !ok {
		return
	}
	var rank [numFields]int
	var src, twin [numFields]string
	for i := range rank {
		rank[i] = 1 << 30
	}
	for k := range m {
		hm := h.lookup(k)
		if hm.f == fNone {
			continue
		}
		switch {
		case hm.rank == rank[hm.f]:
			twin[hm.f] = max(twin[hm.f], k, src[hm.f])
			src[hm.f] = min(src[hm.f], k)
		case hm.rank < rank[hm.f]:
			rank[hm.f], src[hm.f], twin[hm.f] = hm.rank, k, ""
		}
	}
outer:
	for f := field(0); f < numFields; f++ {
		if src[f] == "" {
			continue
		}
		for _, sk := range skip {
			if f == sk {
				continue outer
			}
		}
		if twin[f] != "" {
			h.b.addf(row, 0, f, "the keys %q and %q both name %s, and which one to read is unclear; rename or remove one of them", src[f], twin[f], fieldNames[f])
			continue
		}
		if t, ok := scalarText(m[src[f]]); ok {
			h.b.set(f, t, row, 0)
		}
	}
}

// itemFrom returns the value of the best item-id key of obj, or "".
func (h *objHandler) itemFrom(obj any) string {
	m, ok := obj.(map[string]any)
	if !ok {
		return ""
	}
	best, bestRank := "", 1<<30
	bestKey := ""
	for k, v := range m {
		if hm := h.lookup(k); hm.f == fItemID && (hm.rank < bestRank || (hm.rank == bestRank && k < bestKey)) {
			if t, ok := scalarText(v); ok && strings.TrimSpace(t) != "" {
				best, bestRank, bestKey = strings.TrimSpace(t), hm.rank, k // equal ranks: the first key in order, whatever the map's
			}
		}
	}
	return best
}

// labelStudio reads one task of a Label Studio JSON export: one record per
// annotation; cancelled annotations are skipped. For ScanGold only annotations
// marked ground_truth are read.
func (h *objHandler) labelStudio(o jsonObj) error {
	s, b := h.s, h.b
	anns, _ := o.v["annotations"].([]any)
	item := h.itemFrom(o.v["data"])
	if item == "" {
		item = getStr(o.v, "id")
	}
	s.sum.Columns = ColumnMapping{"item_id": "id", "annotator_id": "annotations[].completed_by", "label": "annotations[].result[].value.choices",
		"submitted_at": "annotations[].created_at", "duration_s": "annotations[].lead_time"}
	lines := arrayKeyLines(o.raw, o.line, "completed_by", "annotations")
	for i, a := range anns {
		am, ok := a.(map[string]any)
		if !ok {
			s.sum.Rows++
			b.start(o.line)
			b.addf(o.line, 0, fNone, "annotation %d of task %s is %s, not an object; export the project again", i+1, item, typeName(a))
			continue
		}
		if getBool(am, "was_cancelled") || (s.gold && !getBool(am, "ground_truth")) {
			s.sum.Skipped++
			continue
		}
		row := o.line
		if i < len(lines) {
			row = lines[i]
		}
		b.start(row)
		b.set(fItemID, item, row, 0)
		ann := ""
		switch cb := am["completed_by"].(type) {
		case map[string]any:
			ann = getStr(cb, "email")
			if ann == "" {
				ann = getStr(cb, "id")
			}
		default:
			ann, _ = scalarText(cb)
		}
		if ann == "" {
			ann = getStr(am, "created_username")
		}
		b.set(fAnnotator, ann, row, 0)
		h.setMapped(o.v["data"], row, fItemID, fAnnotator, fLabel, fSubmittedAt, fDuration)
		results, _ := am["result"].([]any)
		want := s.opts.Map["label"]
		var labels []string
		for _, r := range results {
			if want != "" && getStr(r, "from_name") != want {
				continue
			}
			labels = appendTexts(labels, get(r, "value", "choices"))
		}
		if len(labels) == 0 { // not a choices config: take any *labels list (rectanglelabels, …)
			for _, r := range results {
				if want != "" && getStr(r, "from_name") != want {
					continue
				}
				if vm, ok := get(r, "value").(map[string]any); ok {
					for _, k := range sortedObjKeys(vm) {
						if strings.HasSuffix(k, "labels") || k == "taxonomy" {
							labels = appendTexts(labels, vm[k])
						}
					}
				}
			}
		}
		for _, l := range labels {
			b.set(fLabel, l, row, 0)
		}
		if len(labels) == 0 {
			b.addHint(row, 0, fLabel, remedy.Map("label", "from_name"), "annotation %s of task %s has no choice in result[].value.choices; check the labeling config, or pick the control that holds the labels", getStr(am, "id"), item)
		}
		b.set(fSubmittedAt, getStr(am, "created_at"), row, 0)
		b.set(fDuration, getStr(am, "lead_time"), row, 0)
		if err := h.finish(); err != nil {
			return err
		}
	}
	return nil
}

// appendTexts appends the texts of a JSON list (or a single text) to dst.
func appendTexts(dst []string, v any) []string {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if t, ok := scalarText(e); ok && t != "" {
				dst = append(dst, t)
			} else if e != nil {
				// nested taxonomy paths: take the leaf
				if l, ok := e.([]any); ok && len(l) > 0 {
					if t, ok := scalarText(l[len(l)-1]); ok {
						dst = append(dst, t)
					}
				}
			}
		}
	case string:
		if x != "" {
			dst = append(dst, x)
		}
	}
	return dst
}

// labelbox reads one data row of a Labelbox export v2: one record per label
// (labeler) in every project; skipped labels are skipped.
func (h *objHandler) labelbox(o jsonObj) error {
	s, b := h.s, h.b
	dr := o.v["data_row"]
	item := getStr(dr, "external_id")
	if item == "" {
		item = getStr(dr, "global_key")
	}
	if item == "" {
		item = getStr(dr, "id")
	}
	s.sum.Columns = ColumnMapping{"item_id": "data_row.external_id", "annotator_id": "label_details.created_by",
		"label": "annotations.classifications[]", "submitted_at": "label_details.created_at", "duration_s": "performance_details.seconds_to_create", "content": "data_row.row_data"}
	projects, _ := o.v["projects"].(map[string]any)
	want := s.opts.Map["label"]
	for _, pid := range sortedObjKeys(projects) {
		labels, _ := get(projects[pid], "labels").([]any)
		for _, l := range labels {
			if getBool(l, "performance_details", "skipped") {
				s.sum.Skipped++
				continue
			}
			b.start(o.line)
			b.set(fItemID, item, o.line, 0)
			b.set(fContent, getStr(dr, "row_data"), o.line, 0)
			b.set(fAnnotator, getStr(l, "label_details", "created_by"), o.line, 0)
			b.set(fSubmittedAt, getStr(l, "label_details", "created_at"), o.line, 0)
			b.set(fDuration, getStr(l, "performance_details", "seconds_to_create"), o.line, 0)
			cls, _ := get(l, "annotations", "classifications").([]any)
			found := false
			for _, c := range cls {
				name := getStr(c, "name")
				if want != "" && name != want && getStr(c, "value") != want {
					continue
				}
				if ra, ok := get(c, "radio_answer").(map[string]any); ok && !found {
					v := getStr(ra, "value")
					if v == "" {
						v = getStr(ra, "name")
					}
					b.set(fLabel, v, o.line, 0)
					found = true
				} else if ca, ok := get(c, "checklist_answers").([]any); ok && !found {
					for _, a := range ca {
						v := getStr(a, "value")
						if v == "" {
							v = getStr(a, "name")
						}
						b.set(fLabel, v, o.line, 0)
					}
					found = true
				} else if ta := getStr(c, "text_answer", "content"); ta != "" && b.rec.Comment == "" {
					b.set(fComment, ta, o.line, 0)
				}
			}
			if !found {
				b.addHint(o.line, 0, fLabel, remedy.Map("label", "question"), "the label by %s of data row %s has no radio or checklist answer; pick the question that holds the labels", getStr(l, "label_details", "created_by"), item)
			}
			if err := h.finish(); err != nil {
				return err
			}
		}
	}
	return nil
}

// prodigy reads one db-out line: ignored answers are skipped; a choice task gives
// the accepted option ids; a task without options gives its answer (accept/reject).
func (h *objHandler) prodigy(o jsonObj) error {
	s, b := h.s, h.b
	s.sum.Columns = ColumnMapping{"item_id": "meta item id, else _input_hash", "annotator_id": "_annotator_id", "label": "accept", "submitted_at": "_timestamp"}
	answer := getStr(o.v, "answer")
	if answer == "ignore" {
		s.sum.Skipped++
		return nil
	}
	b.start(o.line)
	item := h.itemFrom(o.v["meta"])
	if item == "" {
		item = getStr(o.v, "_input_hash")
	}
	b.set(fItemID, item, o.line, 0)
	ann := getStr(o.v, "_annotator_id")
	if ann == "" {
		ann = getStr(o.v, "_session_id")
	}
	b.set(fAnnotator, ann, o.line, 0)
	h.setMapped(o.v["meta"], o.line, fItemID, fAnnotator, fLabel, fSubmittedAt, fDuration)
	for _, k := range []string{"text", "image", "html", "audio", "video"} {
		if t := getStr(o.v, k); t != "" {
			b.set(fContent, t, o.line, 0)
			break
		}
	}
	_, hasOptions := o.v["options"]
	switch {
	case answer == "reject" || !hasOptions:
		b.set(fLabel, answer, o.line, 0)
	default:
		acc, ok := o.v["accept"].([]any)
		if !ok {
			b.addf(o.line, 0, fLabel, "accept is %s, not a list of option ids; export with prodigy db-out again", typeName(o.v["accept"]))
		}
		for _, a := range acc {
			if t, ok := scalarText(a); ok {
				b.set(fLabel, t, o.line, 0)
			}
		}
	}
	b.set(fSubmittedAt, getStr(o.v, "_timestamp"), o.line, 0)
	return h.finish()
}

// sagemakerAttr finds the label attribute of a manifest line: the key with a
// "<key>-metadata" object sibling (want, when set, chooses among several).
func sagemakerAttr(o map[string]any, want string) string {
	if want != "" {
		if _, ok := o[want+"-metadata"].(map[string]any); ok {
			return want
		}
	}
	var found []string
	for k := range o {
		if strings.HasSuffix(k, "-metadata") {
			base := strings.TrimSuffix(k, "-metadata")
			if _, ok := o[base]; ok {
				if _, ok := o[k].(map[string]any); ok {
					found = append(found, base)
				}
			}
		}
	}
	if len(found) == 0 {
		return ""
	}
	sort.Strings(found)
	return found[0]
}

// sagemakerManifest reads one line of a Ground Truth output manifest: the
// consolidated label of the job; the annotator is the job name.
func (h *objHandler) sagemakerManifest(o jsonObj) error {
	s, b := h.s, h.b
	attr := sagemakerAttr(o.v, s.opts.Map["label"])
	b.start(o.line)
	if attr == "" {
		b.addf(o.line, 0, fLabel, "no label attribute (a key with a \"<name>-metadata\" object beside it); check that this is a Ground Truth output manifest")
		return h.finish()
	}
	meta := o.v[attr+"-metadata"]
	s.sum.Columns = ColumnMapping{"item_id": "source-ref or source", "annotator_id": attr + "-metadata.job-name", "label": attr + "-metadata.class-name",
		"submitted_at": attr + "-metadata.creation-date"}
	item := h.itemFrom(o.v)
	if item == "" {
		item = getStr(o.v, "source-ref")
	}
	if item == "" {
		item = getStr(o.v, "source")
	}
	b.set(fItemID, item, o.line, 0)
	job := getStr(meta, "job-name")
	job = strings.TrimPrefix(job, "labeling-job/")
	b.set(fAnnotator, job, o.line, 0)
	if src := getStr(o.v, "source"); src != "" {
		b.set(fContent, src, o.line, 0)
	}
	classMap, _ := get(meta, "class-map").(map[string]any)
	if cn := getStr(meta, "class-name"); cn != "" {
		b.set(fLabel, cn, o.line, 0)
	} else {
		var idx []any
		switch v := o.v[attr].(type) {
		case []any:
			idx = v
		default:
			idx = []any{v}
		}
		for _, i := range idx {
			t, _ := scalarText(i)
			name := getStr(classMap, t)
			if name == "" {
				b.addf(o.line, 0, fLabel, "class %q of %s is not in %s-metadata.class-map; check the manifest", t, attr, attr)
				continue
			}
			b.set(fLabel, name, o.line, 0)
		}
	}
	b.set(fSubmittedAt, getStr(meta, "creation-date"), o.line, 0)
	return h.finish()
}

// sagemakerWorker reads a worker-response file: one record per answer; the item is
// the object index, the name of the folder holding the file.
func (h *objHandler) sagemakerWorker(o jsonObj) error {
	s, b := h.s, h.b
	item := filepath.Base(filepath.Dir(s.file))
	if item == "." || item == string(filepath.Separator) || item == "" {
		item = strings.TrimSuffix(filepath.Base(s.file), filepath.Ext(s.file))
	}
	s.sum.Columns = ColumnMapping{"item_id": "folder name (object index)", "annotator_id": "answers[].workerId", "label": "answers[].answerContent.*.label",
		"submitted_at": "answers[].submissionTime", "duration_s": "answers[].timeSpentInSeconds"}
	answers, ok := o.v["answers"].([]any)
	if !ok {
		b.start(o.line)
		b.addf(o.line, 0, fNone, "no answers list; check that this is a Ground Truth worker-response file")
		return h.finish()
	}
	lines := arrayKeyLines(o.raw, o.line, "workerId", "answers")
	for i, a := range answers {
		row := o.line
		if i < len(lines) {
			row = lines[i]
		}
		b.start(row)
		b.set(fItemID, item, row, 0)
		b.set(fAnnotator, getStr(a, "workerId"), row, 0)
		content, _ := get(a, "answerContent").(map[string]any)
		n := 0
		for _, k := range sortedObjKeys(content) {
			c := content[k]
			if l := getStr(c, "label"); l != "" {
				b.set(fLabel, l, row, 0)
				n++
			}
			for _, l := range appendTexts(nil, get(c, "labels")) {
				b.set(fLabel, l, row, 0)
				n++
			}
		}
		if n == 0 {
			b.addf(row, 0, fLabel, "answer %d has no answerContent.<task>.label; check that this is a classification job's worker response", i+1)
		}
		b.set(fSubmittedAt, getStr(a, "submissionTime"), row, 0)
		b.set(fDuration, getStr(a, "timeSpentInSeconds"), row, 0)
		if err := h.finish(); err != nil {
			return err
		}
	}
	return nil
}
