package ingest

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// Tests of the doccano, CVAT for images 1.1 and Argilla readers.

// rec builds an expected record: no duration unless set.
func rec(row int, item, ann string, labels ...string) Record {
	return Record{Row: row, ItemID: item, AnnotatorID: ann, Labels: labels, DurationS: math.NaN()}
}

func with(r Record, f func(*Record)) Record { f(&r); return r }

// sameRecords compares records field by field, NaN durations equal.
func sameRecords(got, want []Record) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		g, w := got[i], want[i]
		if math.IsNaN(g.DurationS) && math.IsNaN(w.DurationS) {
			g.DurationS, w.DurationS = 0, 0
		}
		if !reflect.DeepEqual(g, w) {
			return false
		}
	}
	return true
}

func showRecords(rs []Record) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "\n  %+v", r)
	}
	return b.String()
}

const argillaText = "Lose 10kg in 7 days with this one pill!"

// TestNewToolExportExamples reads each example export of /work/shared/formats
// (copied to testdata/formats) with --format auto and with its explicit name.
func TestNewToolExportExamples(t *testing.T) {
	argilla := func(row1, row2 int) []Record {
		r := func(row int, user, label string) Record {
			return with(rec(row, "rec-000123", "9a7d3c1e-0000-0000-0000-00000000000"+user, label), func(r *Record) {
				r.Vendor, r.Queue, r.Content = "vendor-a", "live", argillaText
			})
		}
		return []Record{r(row1, "1", "violating"), r(row2, "2", "non_violating")}
	}
	cases := []struct {
		file, format string
		want         []Record
		columns      ColumnMapping
		fileLabeler  string
	}{
		{"doccano_annotator_a.jsonl", "doccano", []Record{
			with(rec(1, "1", "doccano_annotator_a", "negative"), func(r *Record) { r.Content = "Terrible customer service." }),
			with(rec(2, "2", "doccano_annotator_a", "positive"), func(r *Record) { r.Content, r.Comment = "Really great transaction.", "check SOP 4.2" }),
		}, ColumnMapping{"item_id": "id", "annotator_id": "file name (doccano_annotator_a)", "label": "label", "content": "text", "comment": "Comments"}, "doccano_annotator_a"},
		{"doccano_text_classification.csv", "doccano", []Record{
			with(rec(2, "1", "doccano_text_classification", "negative"), func(r *Record) { r.Content = "Terrible customer service." }),
			with(rec(3, "2", "doccano_text_classification", "positive"), func(r *Record) { r.Content, r.Comment = "Really great transaction.", "check SOP 4.2" }),
		}, ColumnMapping{"item_id": "id", "annotator_id": "file name (doccano_text_classification)", "label": "label", "content": "text", "comment": "Comments"}, "doccano_text_classification"},
		{"cvat_for_images_1.1_tags.xml", "cvat", []Record{
			rec(41, "creative_000123.jpg", "cvat_for_images_1.1_tags", "violating"),
			rec(46, "creative_000124.jpg", "cvat_for_images_1.1_tags", "non_violating"),
		}, ColumnMapping{"item_id": "image name", "annotator_id": "file name (cvat_for_images_1.1_tags)", "label": "image tag label"}, "cvat_for_images_1.1_tags"},
		{"argilla_records_to_json.json", "argilla", argilla(20, 24),
			ColumnMapping{"item_id": "id", "annotator_id": "responses.label[].user_id", "label": "responses.label[].value"}, ""},
		{"argilla_record_flattened.json", "argilla", argilla(8, 9),
			ColumnMapping{"item_id": "id", "annotator_id": "label.responses.users", "label": "label.responses"}, ""},
	}
	for _, c := range cases {
		for _, format := range []string{"auto", c.format} {
			var recs []Record
			sum, err := Scan(context.Background(), filepath.Join("testdata", "formats", c.file), Options{Format: format}, func(r *Record) error {
				recs = append(recs, copyRec(r))
				return nil
			})
			if err != nil {
				t.Errorf("%s (--format %s): %v", c.file, format, err)
				continue
			}
			if !sameRecords(recs, c.want) {
				t.Errorf("%s (--format %s):\n got%s\nwant%s", c.file, format, showRecords(recs), showRecords(c.want))
			}
			if sum.Format != c.format || sum.Rows != len(c.want) || sum.Records != len(c.want) || sum.Skipped != 0 || !reflect.DeepEqual(sum.Columns, c.columns) || sum.FileLabeler != c.fileLabeler {
				t.Errorf("%s (--format %s): summary %+v", c.file, format, sum)
			}
		}
	}
}

// TestNewToolExportShapes covers the variations real exports have beyond the examples.
func TestNewToolExportShapes(t *testing.T) {
	cvatMeta := func(units string) string {
		return `<?xml version="1.0" encoding="utf-8"?>
<annotations>
  <version>1.1</version>
  <meta>` + units + `
    <dumped>2024-05-15 12:09:16.799808+03:00</dumped>
  </meta>
`
	}
	task := func(id, assignee string) string {
		a := ""
		if assignee != "" {
			a = "<username>" + assignee + "</username><email></email>"
		}
		return `
    <task><id>` + id + `</id><name>batch</name>
      <segments><segment><id>9` + id + `</id><start>0</start><stop>1</stop></segment></segments>
      <owner><username>admin</username><email></email></owner>
      <assignee>` + a + `</assignee>
    </task>`
	}
	segmentsTask := func(id, assignee string, segments int) string { // a task of several jobs
		segs := ""
		for i := 0; i < segments; i++ {
			segs += fmt.Sprintf("<segment><id>%d</id><start>%d</start><stop>%d</stop></segment>", i+1, i, i)
		}
		return `
    <task><id>` + id + `</id><name>batch</name><segments>` + segs + `</segments>
      <owner><username>admin</username></owner>
      <assignee><username>` + assignee + `</username></assignee>
    </task>`
	}
	cases := []struct {
		name, file, text string
		opts             Options
		format           string
		want             []Record
		skipped          int
		fileLabeler      string
	}{
		{"doccano meta item id, data key, unlabeled example", "alice.jsonl",
			`{"id": 7, "data": "Buy now", "label": ["spam", "scam"], "ad_id": "AD-7", "queue": "Live"}` + "\n" +
				`{"id": 8, "data": "ok", "label": [], "ad_id": "AD-8"}` + "\n",
			Options{Format: "doccano"}, "doccano", []Record{with(rec(1, "AD-7", "alice", "spam", "scam"), func(r *Record) { r.Content, r.Queue = "Buy now", "live" })}, 1, "alice"},
		{"doccano JSON array, comment list", "bob.json",
			`[{"id": 1, "text": "t", "label": ["x"], "Comments": ["a", "b"]}, {"id": 2, "text": "u", "label": null, "Comments": []}]`,
			Options{}, "doccano", []Record{with(rec(1, "1", "bob", "x"), func(r *Record) { r.Content, r.Comment = "t", "a; b" })}, 1, "bob"},
		{"doccano meta key named like a labeler is not the labeler", "frank.jsonl",
			`{"id": 1, "text": "t", "label": ["x"], "Comments": [], "user": "customer_88"}`,
			Options{Format: "doccano"}, "doccano", []Record{with(rec(1, "1", "frank", "x"), func(r *Record) { r.Content = "t" })}, 0, "frank"},
		{"doccano labeler key named with --map annotator_id", "all.jsonl",
			`{"id": 1, "text": "t", "label": ["x"], "Comments": [], "user": "carol"}`,
			Options{Format: "doccano", Map: map[string]string{"annotator_id": "user"}}, "doccano", []Record{with(rec(1, "1", "carol", "x"), func(r *Record) { r.Content = "t" })}, 0, ""},
		{"doccano file named like a copy", "alice (1).jsonl",
			`{"id": 1, "text": "t", "label": ["x"], "Comments": []}`,
			Options{}, "doccano", []Record{with(rec(1, "1", "alice (1)", "x"), func(r *Record) { r.Content = "t" })}, 0, "alice (1)"},
		{"doccano CSV with meta column, multi-label and an unlabeled row", "dave.csv",
			"id,text,ad_id,label,Comments\n1,t,AD-1,b#a,\n2,u,AD-2,,\n",
			Options{Format: "doccano"}, "doccano", []Record{with(rec(2, "AD-1", "dave", "b", "a"), func(r *Record) { r.Content = "t" })}, 1, "dave"},
		{"doccano CSV named explicitly: a labeler column is the example's meta", "x.csv",
			"id,text,label,annotator\n1,t,x#y,erin\n",
			Options{Format: "doccano"}, "doccano", []Record{with(rec(2, "1", "x", "x", "y"), func(r *Record) { r.Content = "t" })}, 0, "x"},
		{"doccano CSV, labeler column named with --map annotator_id", "x.csv",
			"id,text,label,annotator\n1,t,x#y,erin\n",
			Options{Format: "doccano", Map: map[string]string{"annotator_id": "annotator"}}, "doccano", []Record{with(rec(2, "1", "erin", "x", "y"), func(r *Record) { r.Content = "t" })}, 0, ""},
		{"the same CSV without --format is canonical", "x.csv",
			"id,text,label,annotator\n1,t,x#y,erin\n",
			Options{}, "csv", []Record{with(rec(2, "1", "erin", "x#y"), func(r *Record) { r.Content = "t" })}, 0, ""},
		{"a canonical CSV with a Comments column is not doccano's", "x.csv",
			"ad_id,id,text,label,Comments,annotator\nAD-1,1,t,x#y,note,erin\n",
			Options{}, "csv", []Record{with(rec(2, "1", "erin", "x#y"), func(r *Record) { r.Content, r.Comment = "t", "note" })}, 0, ""}, // canonical: id before ad_id
		{"cvat task assignee, several tags, untagged and box-only images", "annotations.xml",
			cvatMeta(task("4", "alice")) + `  <image id="0" name="a.jpg" width="10" height="10">
    <tag label="violating" source="manual"><attribute name="policy">counterfeit</attribute></tag>
    <tag label="counterfeit" source="manual"></tag>
  </image>
  <image id="1" name="b.jpg" width="10" height="10"></image>
  <image id="2" name="c.jpg" width="10" height="10"><box label="logo" xtl="1" ytl="1" xbr="2" ybr="2"></box></image>
</annotations>
`, Options{}, "cvat", []Record{rec(12, "a.jpg", "alice", "violating", "counterfeit")}, 2, ""},
		{"cvat job export", "annotations.xml",
			cvatMeta(`<job><id>12</id><owner><username>admin</username></owner><assignee><username>bob</username></assignee></job>`) +
				`<image id="0" name="a.jpg"><tag label="ok"/></image></annotations>`,
			Options{}, "cvat", []Record{rec(7, "a.jpg", "bob", "ok")}, 0, ""},
		{"cvat project export: each image's task", "annotations.xml",
			cvatMeta(`<project><id>1</id><tasks>`+task("1", "alice")+task("2", "bob")+`</tasks><owner><username>admin</username></owner></project>`) +
				`<image id="0" name="a.jpg" subset="default" task_id="1"><tag label="x"/></image>
<image id="1" name="b.jpg" subset="default" task_id="2"><tag label="y"/></image></annotations>`,
			Options{}, "cvat", []Record{rec(17, "1/a.jpg", "alice", "x"), rec(18, "2/b.jpg", "bob", "y")}, 0, ""},
		{"cvat project export: same image name in two tasks, two items", "annotations.xml",
			cvatMeta(`<project><id>1</id><tasks>`+task("1", "alice")+task("2", "bob")+`</tasks></project>`) +
				`<image id="0" name="a.jpg" subset="default" task_id="1"><tag label="x"/></image>
<image id="1" name="a.jpg" subset="default" task_id="2"><tag label="y"/></image></annotations>`,
			Options{}, "cvat", []Record{rec(17, "1/a.jpg", "alice", "x"), rec(18, "2/a.jpg", "bob", "y")}, 0, ""},
		{"cvat task of several jobs, its assignee asked for", "annotations.xml",
			cvatMeta(segmentsTask("4", "alice", 2)) + `<image id="0" name="a.jpg"><tag label="x"/></image></annotations>`,
			Options{Map: map[string]string{"annotator_id": "assignee"}}, "cvat", []Record{rec(11, "a.jpg", "alice", "x")}, 0, ""},
		{"cvat task of several jobs without an assignee: the file name", "carol.xml",
			cvatMeta(segmentsTask("4", "", 3)) + `<image id="0" name="a.jpg"><tag label="x"/></image></annotations>`,
			Options{}, "cvat", []Record{rec(11, "a.jpg", "carol", "x")}, 0, "carol"},
		{"cvat labeler from --map annotator_id=owner", "annotations.xml",
			cvatMeta(task("4", "")) + `<image id="0" name="a.jpg"><tag label="x"/></image></annotations>`,
			Options{Map: map[string]string{"annotator_id": "owner"}}, "cvat", []Record{rec(12, "a.jpg", "admin", "x")}, 0, ""},
		{"cvat by content, labeler from the file name", "frank.txt",
			cvatMeta(task("4", "")) + `<image id="0" name="a.jpg"><tag label="x"/></image></annotations>`,
			Options{}, "cvat", []Record{rec(12, "a.jpg", "frank", "x")}, 0, "frank"},
		{"argilla multi-label question by --map, discarded and draft skipped, metadata item id", "b.json", `[
 {"id": "r1", "fields": {"text": "t"}, "metadata": {"ad_id": "AD-1"},
  "responses": {
   "policy": [
    {"value": ["a", "b"], "user_id": "u1", "status": "submitted"},
    {"value": ["c"], "user_id": "u2", "status": "discarded"},
    {"value": ["d"], "user_id": "u3", "status": "draft"}],
   "notes": [{"value": "free text", "user_id": "u1"}]},
  "suggestions": {}, "vectors": {}, "_server_id": "s1"}]`,
			Options{Map: map[string]string{"label": "policy"}}, "argilla", []Record{with(rec(5, "AD-1", "u1", "a", "b"), func(r *Record) { r.Content = "t" })}, 2, ""},
		{"argilla picks the question named like a label", "b.json",
			`[{"id": "r1", "fields": {"text": "t"}, "responses": {"label": [{"value": "x", "user_id": "u1"}], "comment": [{"value": "why", "user_id": "u1"}]}}]`,
			Options{}, "argilla", []Record{with(rec(1, "r1", "u1", "x"), func(r *Record) { r.Content = "t" })}, 0, ""},
		{"argilla: a record with suggestions only does not choose the question", "b.json", `[
 {"id": "r1", "fields": {"text": "t"}, "responses": {}, "suggestions": {"label": {"value": "x", "score": 0.9}}},
 {"id": "r2", "fields": {"text": "u"}, "responses": {"policy": [{"value": "y", "user_id": "u1"}]}, "suggestions": {"label": {"value": "x"}}}]`,
			Options{}, "argilla", []Record{with(rec(3, "r2", "u1", "y"), func(r *Record) { r.Content = "u" })}, 0, ""},
		{"argilla flattened: a suggestion does not choose the question", "b.jsonl",
			`{"id": "r1", "label.suggestion": "x", "policy.responses": ["y"], "policy.responses.users": ["u1"]}` + "\n",
			Options{}, "argilla", []Record{rec(1, "r1", "u1", "y")}, 0, ""},
		{"argilla answers without a status are submitted", "b.json",
			`[{"id": "r1", "fields": {}, "responses": {"label": [{"value": "x", "user_id": "u1"}, {"value": "y", "user_id": "u2", "status": "draft"}]}}]`,
			Options{}, "argilla", []Record{rec(1, "r1", "u1", "x")}, 1, ""},
		{"argilla 1.x feedback records", "b.json",
			`[{"external_id": "e1", "fields": {"text": "t"}, "metadata": {}, "responses": [{"user_id": "u1", "values": {"label": {"value": "x"}}, "status": "submitted", "updated_at": "2024-05-15T12:09:16Z"}]}]`,
			Options{}, "argilla", []Record{with(rec(1, "e1", "u1", "x"), func(r *Record) { r.Content, r.SubmittedAt = "t", ts("2024-05-15T12:09:16Z") })}, 0, ""},
		{"argilla flattened JSONL (datasets export)", "b.jsonl",
			`{"id": "r1", "text": "t", "ad_id": "AD-1", "label.responses": ["x", "y"], "label.responses.users": ["u1", "u2"], "label.responses.status": ["submitted", "discarded"]}` + "\n" +
				`{"id": "r2", "text": "u", "ad_id": "AD-2", "label.responses": null, "label.responses.users": null, "label.responses.status": null}` + "\n",
			Options{}, "argilla", []Record{with(rec(1, "AD-1", "u1", "x"), func(r *Record) { r.Content = "t" })}, 1, ""},
	}
	for _, c := range cases {
		out := scanText(c.file, c.text, c.opts)
		if out.err != nil {
			t.Errorf("%s: %v", c.name, out.err)
			continue
		}
		if !sameRecords(out.recs, c.want) {
			t.Errorf("%s:\n got%s\nwant%s", c.name, showRecords(out.recs), showRecords(c.want))
		}
		if out.sum.Format != c.format || out.sum.Skipped != c.skipped || out.sum.FileLabeler != c.fileLabeler {
			t.Errorf("%s: format %q, skipped %d, file labeler %q; want %q, %d, %q", c.name, out.sum.Format, out.sum.Skipped, out.sum.FileLabeler, c.format, c.skipped, c.fileLabeler)
		}
	}
}

// TestNewToolExportGold: golden sets need no labeler, so doccano's collaborative
// export and CVAT files without an assignee read as gold. --format auto never
// takes a golden set for doccano: a gold file's id, label, text columns are
// canonical (labels split on "|", not "#").
func TestNewToolExportGold(t *testing.T) {
	cases := []struct{ file, text, format, read string }{
		{"all.jsonl", `{"id": 1, "text": "t", "label": ["x", "y"], "Comments": []}`, "doccano", "doccano"},
		{"all.jsonl", `{"id": 1, "text": "t", "label": ["x", "y"], "Comments": []}`, "", "jsonl"},
		{"g.csv", "id,text,label,Comments\n1,t,x#y,\n", "doccano", "doccano"},
		{"g.csv", "id,label,text\n1,x|y,t\n", "", "csv"},
		{"g.csv", "id,text,label,Comments\n1,t,x|y,\n", "", "csv"},
		{"annotations.xml", `<annotations><image id="0" name="1"><tag label="x"/><tag label="y"/></image></annotations>`, "", "cvat"},
	}
	for _, c := range cases {
		g := scanGoldText(c.file, c.text, Options{Format: c.format})
		row := 1
		if strings.HasSuffix(c.file, ".csv") {
			row = 2
		}
		if g.err != nil || len(g.golds) != 1 || !reflect.DeepEqual(g.golds[0], GoldRecord{Row: row, ItemID: "1", Labels: []string{"x", "y"}}) || g.sum.Format != c.read || g.sum.FileLabeler != "" {
			t.Errorf("%s %q (--format %q): %s %+v %v", c.file, c.text, c.format, g.sum.Format, g.golds, g.err)
		}
	}
}

// TestDetectionLeavesCanonicalFiles: the new shapes do not capture canonical files.
func TestDetectionLeavesCanonicalFiles(t *testing.T) {
	cases := []struct{ file, text, format string }{
		{"b.jsonl", `{"id": 1, "text": "t", "label": ["x"], "worker": "w"}`, "jsonl"},
		{"b.json", `[{"item_id": 1, "annotator_id": "w", "label": ["x"], "responses": 3}]`, "json"},
		{"b.csv", "id,text,label,rater\n1,t,x,w\n", "csv"},
		{"b.csv", "ID,Text,Label,Rater\n1,t,x,w\n", "csv"},
		// doccano's Comments beside a labeler column: a canonical file.
		{"b.csv", "id,text,label,Comments,annotator\n1,t,x#y,c,w\n", "csv"},
		{"b.jsonl", `{"id": 1, "text": "t", "label": ["x"], "Comments": "c", "annotator": "w"}`, "jsonl"},
		// doccano's columns with a labeler named by --map: canonical too.
		{"b.csv", "id,text,label,Comments,who\n1,t,x,,w\n", "csv"},
	}
	for _, c := range cases {
		opts := Options{}
		if strings.Contains(c.text, "who") {
			opts.Map = map[string]string{"annotator_id": "who"}
		}
		out := scanText(c.file, c.text, opts)
		if out.err != nil || out.sum.Format != c.format || len(out.recs) != 1 || out.sum.FileLabeler != "" || out.recs[0].AnnotatorID != "w" {
			t.Errorf("%s %q: format %q, %d records, %v", c.file, c.text, out.sum.Format, len(out.recs), out.err)
		}
	}
}

// TestCVATHostile: deep nesting, huge tokens and the other caps are refused
// quickly, without panics and without holding the file.
func TestCVATHostile(t *testing.T) {
	deep := "<annotations>" + strings.Repeat("<x>", 10000)
	out := scanText("b.xml", deep, Options{})
	if len(out.lines) != 1 || !strings.Contains(out.lines[0], "nests more than 64 elements deep") {
		t.Errorf("deep: %v", out.lines)
	}
	if testing.Short() {
		return
	}
	big := strings.Repeat("a", 3<<20)
	cases := []struct{ name, text, want string }{
		{"huge token", "<annotations><image id=\"0\" name=\"" + strings.Repeat("a", MaxXMLToken+1<<20) + "\"/></annotations>",
			"b.xml:1: an XML tag, text or comment here is longer than 4 MiB"},
		{"huge open elements", "<annotations>\n<meta a=\"" + big + "\">\n<task b=\"" + big + "\"></task></meta></annotations>",
			"b.xml:3: the elements open here hold more than 4 MiB of names and attributes"},
		{"huge tag labels", "<annotations>\n<image id=\"0\" name=\"a.jpg\">\n<tag label=\"" + big + "\"/>\n<tag label=\"" + big + "\"/></image></annotations>",
			"b.xml:4: the image \"a.jpg\" has more than 10000 <tag>s (or more than 4 MiB of tag labels)"},
	}
	for _, c := range cases {
		out = scanText("b.xml", c.text, Options{})
		if len(out.lines) != 1 || !strings.HasPrefix(out.lines[0], c.want) {
			t.Errorf("%s: %v", c.name, out.lines)
		}
	}
}
