package ingest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func mustScan(t *testing.T, name, text string, opts Options) scanned {
	t.Helper()
	out := scanText(name, text, opts)
	if out.err != nil {
		t.Fatalf("%s: %v", name, out.err)
	}
	return out
}

func TestCanonicalCSV(t *testing.T) {
	text := "Item ID,Worker,Decision,Vendor,Team,Market,Queue,Round,Timestamp,AHT,SOP,Template,Text,Notes,Error Type,RCA,extra\r\n" +
		"ad-1,w1,approve,acme,t1,NO,Live,1,2024-05-15T12:09:16Z,12.5,v4,tpl,=SUM(A1),+1,-2,@cmd,zzz\r\n" +
		"ad-2,w2, adult_content | misleading_claims ||,acme,t1,ID,2RQA,2,2024-05-15 12:09:16,0,,,\"two\r\nlines\",,,,\r\n" +
		"ad-3,w3,approve,,,,,,1716200000,,,,,,,,\r\n"
	out := mustScan(t, "b.csv", text, Options{})
	if len(out.recs) != 3 {
		t.Fatalf("got %d records", len(out.recs))
	}
	r := out.recs[0]
	want := Record{Row: 2, ItemID: "ad-1", AnnotatorID: "w1", Labels: []string{"approve"}, Vendor: "acme", Team: "t1", Market: "NO",
		Queue: "live", Round: 1, SubmittedAt: ts("2024-05-15T12:09:16Z"), DurationS: 12.5, SOPVersion: "v4", Template: "tpl",
		Content: "=SUM(A1)", Comment: "+1", ErrorCat: "-2", RootCause: "@cmd"}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("record 1:\n got %+v\nwant %+v", r, want)
	}
	r = out.recs[1]
	if r.Row != 3 || !reflect.DeepEqual(r.Labels, []string{"adult_content", "misleading_claims"}) || r.Queue != "2rqa" ||
		r.Content != "two\nlines" || r.DurationS != 0 || !r.SubmittedAt.Equal(ts("2024-05-15T12:09:16Z")) {
		t.Errorf("record 2: %+v", r)
	}
	r = out.recs[2]
	if r.Row != 5 || !r.SubmittedAt.Equal(time.Unix(1716200000, 0)) || r.HasDuration() {
		t.Errorf("record 3 (starts on line 5 after the quoted newline): %+v", r)
	}
	if out.sum.Format != "csv" || out.sum.Rows != 3 || out.sum.Records != 3 || !reflect.DeepEqual(out.sum.Ignored, []string{"extra"}) ||
		out.sum.Columns["item_id"] != "Item ID" || out.sum.Columns["duration_s"] != "AHT" {
		t.Errorf("summary: %+v", out.sum)
	}
}

func TestHeaderPreferenceAndMap(t *testing.T) {
	out := mustScan(t, "b.csv", "id,item_id,user,label,answer\nrow1,it1,u,l1,a1\n", Options{})
	if r := out.recs[0]; r.ItemID != "it1" || r.Labels[0] != "l1" {
		t.Errorf("canonical name must win over synonyms: %+v", r)
	}
	out = mustScan(t, "b.csv", "ad,who,verdict,x\n1,a,yes,z\n", Options{Map: map[string]string{"item_id": "ad", "annotator_id": "WHO", "label": "x"}})
	if r := out.recs[0]; r.ItemID != "1" || r.AnnotatorID != "a" || r.Labels[0] != "z" {
		t.Errorf("--map: %+v", r)
	}
}

func TestDelimitersAndEncodings(t *testing.T) {
	base := "item_id;annotator_id;label;duration_s\n1;Bjørn;godkjent;12,5\n"
	utf16le, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(strings.ReplaceAll(base, ";", "\t"))
	utf16be, _ := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder().String(strings.ReplaceAll(base, ";", "\t"))
	cp1252, _ := charmap.Windows1252.NewEncoder().String(base)
	cases := []struct {
		name, file, text, format, enc string
		delim                         rune
	}{
		{"semicolon", "b.csv", base, "ssv", EncUTF8, ';'},
		{"utf-8 bom", "b.csv", "\uFEFF" + base, "ssv", EncUTF8BOM, ';'},
		{"tsv by content", "b.txt", strings.ReplaceAll(base, ";", "\t"), "tsv", EncUTF8, '\t'},
		{"tsv by extension", "b.tsv", strings.ReplaceAll(base, ";", "\t"), "tsv", EncUTF8, '\t'},
		{"utf-16le excel unicode text", "b.txt", utf16le, "tsv", EncUTF16LE, '\t'},
		{"utf-16be", "b.txt", utf16be, "tsv", EncUTF16BE, '\t'},
		{"windows-1252", "b.csv", cp1252, "ssv", EncWindows1252, ';'},
		{"crlf", "b.csv", strings.ReplaceAll(base, "\n", "\r\n"), "ssv", EncUTF8, ';'},
	}
	for _, c := range cases {
		out := scanText(c.file, c.text, Options{})
		if out.err != nil {
			t.Errorf("%s: %v", c.name, out.err)
			continue
		}
		r := out.recs[0]
		if r.AnnotatorID != "Bjørn" || r.DurationS != 12.5 || r.Labels[0] != "godkjent" {
			t.Errorf("%s: %+v", c.name, r)
		}
		if out.sum.Format != c.format || out.sum.Encoding != c.enc || out.sum.Delimiter != c.delim {
			t.Errorf("%s: summary %+v", c.name, out.sum)
		}
	}
}

func TestTimes(t *testing.T) {
	cases := []struct{ in, want string }{
		{"2024-05-15T12:09:16Z", "2024-05-15T12:09:16Z"},
		{"2024-05-15T12:09:16.789536Z", "2024-05-15T12:09:16.789536Z"},
		{"2024-05-15T14:09:16+02:00", "2024-05-15T12:09:16Z"},
		{"2024-05-15T12:09:16", "2024-05-15T12:09:16Z"},
		{"2024-05-15 12:09:16", "2024-05-15T12:09:16Z"},
		{"2024-05-15", "2024-05-15T00:00:00Z"},
		{"2024-05-15T12:09", "2024-05-15T12:09:00Z"},
		{"2024-05-15T12:09:16.5+0530", "2024-05-15T06:39:16.5Z"},
		{"1716200000", "2024-05-20T10:13:20Z"},
		{"1716200000.25", "2024-05-20T10:13:20.25Z"},
		{"1716200000123", "2024-05-20T10:13:20.123Z"},
	}
	b := newBuilder("t", false, &ErrorList{})
	for _, c := range cases {
		got, err := b.parseTime(c.in)
		if err != nil || !got.Equal(ts(c.want)) {
			t.Errorf("parseTime(%q) = %v, %v; want %s", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"15/05/2024", "2024-13-01", "999999999", "100000000000000", "yesterday", "2024-05-15T25:00:00Z"} {
		if _, err := b.parseTime(bad); err == nil {
			t.Errorf("parseTime(%q) accepted", bad)
		}
	}
	b.xlsx = true
	if got, _ := b.parseTime("45427.5"); !got.Equal(ts("2024-05-15T12:00:00Z")) {
		t.Errorf("excel serial: %v", got)
	}
}

func TestJSONAndJSONL(t *testing.T) {
	arr := `[
  {"item_id": "1", "annotator_id": "a", "label": ["x", "y"], "duration_s": 3.5, "round": 2, "submitted_at": 1716200000, "queue": "Practice"},
  {"Item ID": 2, "worker": 7, "answer": "=1+1", "extra": {"nested": true}}
]`
	out := mustScan(t, "b.json", arr, Options{})
	if len(out.recs) != 2 || out.sum.Format != "json" {
		t.Fatalf("%+v %+v", out.recs, out.sum)
	}
	if r := out.recs[0]; r.Row != 2 || !reflect.DeepEqual(r.Labels, []string{"x", "y"}) || r.DurationS != 3.5 || r.Round != 2 || r.Queue != "practice" {
		t.Errorf("%+v", r)
	}
	if r := out.recs[1]; r.Row != 3 || r.ItemID != "2" || r.AnnotatorID != "7" || r.Labels[0] != "=1+1" {
		t.Errorf("%+v", r)
	}
	lines := `{"item_id": "1", "annotator_id": "a", "label": "x"}` + "\n\n" + `{"item_id": "2", "annotator_id": "b", "label": "y|z"}` + "\n"
	for _, name := range []string{"b.jsonl", "b.json", "b.txt"} {
		out = mustScan(t, name, lines, Options{})
		if len(out.recs) != 2 || out.recs[1].Row != 3 || out.sum.Format != "jsonl" || len(out.recs[1].Labels) != 2 {
			t.Errorf("%s: %+v %+v", name, out.recs, out.sum)
		}
	}
}

func TestToolExports(t *testing.T) {
	type want struct {
		format    string
		item, ann string
		labels    []string
		dur       float64
		at        string
		row       int
	}
	cases := map[string]want{
		"labelstudio_json_export.json":                        {"labelstudio", "6141", "sergei@heartex.test", []string{"Positive"}, 1.849, "2024-05-15T12:09:16.789536Z", 7},
		"labelstudio_enterprise_annotation_with_reviews.json": {"labelstudio", "1", "hakan@heartex.com", []string{"Car"}, 7.662, "2022-10-31T21:19:19.13129Z", 10},
		"labelstudio_json_min.json":                           {"labelstudio-min", "6141", "sergei@heartex.test", []string{"Positive"}, 1.849, "2024-05-15T12:09:16.789536Z", 2},
		"labelstudio_csv.csv":                                 {"labelstudio-csv", "6141", "sergei@heartex.test", []string{"Positive"}, 1.849, "2024-05-15T12:09:16.789536Z", 2},
		"labelstudio_csv_with_history.csv":                    {"labelstudio-csv", "6141", "sergei@heartex.test", []string{"Positive"}, 1.849, "2024-05-15T12:09:16.789536Z", 2},
		"labelbox_export_v2.ndjson":                           {"labelbox", "ad_creative_000123.jpeg", "user@labelbox.com", []string{"second_radio_answer"}, 66, "2024-04-08T16:21:26Z", 1},
		"labelbox_export_v2.pretty.json":                      {"labelbox", "ad_creative_000123.jpeg", "user@labelbox.com", []string{"second_radio_answer"}, 66, "2024-04-08T16:21:26Z", 1},
		"prodigy_choice_dbout.jsonl":                          {"prodigy", "A-000123", "ads_policy-alex", []string{"VIOLATING_MISLEADING_HEALTH"}, math.NaN(), "2024-05-20T10:13:20Z", 1},
		"sagemaker_gt_output.manifest":                        {"sagemaker-manifest", "The food was delicious", "label-sentiment", []string{"positive"}, math.NaN(), "2020-10-18T22:18:13.527256Z", 1},
		"sagemaker_gt_output_multilabel.manifest":             {"sagemaker-manifest", "AWSDOC-EXAMPLE-BUCKET/text_file.txt", "text-label-attribute-name", []string{"approving", "sad", "critical"}, math.NaN(), "2020-02-27T21:36:25.000201Z", 1},
		"sagemaker_gt_worker_response.json":                   {"sagemaker-worker", "formats", "a12b3cdefg4h5i67", []string{"positive"}, 40.543, "2020-12-28T18:59:58.321Z", 12},
	}
	for file, w := range cases {
		var recs []Record
		sum, err := Scan(context.Background(), filepath.Join("testdata", "formats", file), Options{}, func(r *Record) error {
			recs = append(recs, copyRec(r))
			return nil
		})
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		if sum.Format != w.format || len(recs) == 0 {
			t.Errorf("%s: format %q, %d records", file, sum.Format, len(recs))
			continue
		}
		r := recs[0]
		durOK := r.DurationS == w.dur || (math.IsNaN(w.dur) && math.IsNaN(r.DurationS))
		if r.ItemID != w.item || r.AnnotatorID != w.ann || !reflect.DeepEqual(r.Labels, w.labels) || !durOK || !r.SubmittedAt.Equal(ts(w.at)) || r.Row != w.row {
			t.Errorf("%s:\n got %+v\nwant %+v", file, r, w)
		}
	}
}

func TestLabelStudioSkipsAndGold(t *testing.T) {
	text := `[{"id": 9, "data": {"text": "t", "ad_id": "A-9", "queue": "Test"}, "annotations": [
	{"id": 1, "completed_by": 3, "was_cancelled": true, "result": []},
	{"id": 2, "completed_by": {"id": 4}, "ground_truth": true, "lead_time": 2, "result": [{"from_name": "policy", "value": {"choices": ["ok"]}}, {"from_name": "other", "value": {"choices": ["zz"]}}]}]}]`
	out := mustScan(t, "ls.json", text, Options{Map: map[string]string{"label": "policy"}})
	if len(out.recs) != 1 || out.sum.Skipped != 1 || out.recs[0].ItemID != "A-9" || out.recs[0].AnnotatorID != "4" ||
		!reflect.DeepEqual(out.recs[0].Labels, []string{"ok"}) || out.recs[0].Queue != "test" {
		t.Errorf("%+v %+v", out.recs, out.sum)
	}
	g := scanGoldText("ls.json", text, Options{})
	if g.err != nil || len(g.golds) != 1 || g.golds[0].ItemID != "A-9" || !reflect.DeepEqual(g.golds[0].Labels, []string{"ok", "zz"}) {
		t.Errorf("gold: %+v %v", g.golds, g.err)
	}
}

func TestGoldCSV(t *testing.T) {
	g := scanGoldText("g.csv", "Item,Gold Label,Rationale,SOP Section,GDS Version,worker\n1,approve,clear,4.2,v3,ignored\n", Options{})
	if g.err != nil || len(g.golds) != 1 {
		t.Fatalf("%v", g.err)
	}
	want := GoldRecord{Row: 2, ItemID: "1", Labels: []string{"approve"}, Rationale: "clear", SOPSection: "4.2", GDSVersion: "v3"}
	if !reflect.DeepEqual(g.golds[0], want) {
		t.Errorf("got %+v", g.golds[0])
	}
}

func TestCallbackErrors(t *testing.T) {
	text := "item_id,annotator_id,label\n1,a,x\n2,b,y\n3,c,z\n"
	_, err := ScanBytes(context.Background(), "b.csv", []byte(text), Options{}, func(r *Record) error {
		if r.ItemID == "2" {
			return &Error{Col: 3, Field: "label", Err: errors.New(`label "y" is not in the project's label set`)}
		}
		return nil
	})
	l, ok := AsList(err)
	if !ok || l.Len() != 1 || l.Lines()[0] != `b.csv:3:3: label "y" is not in the project's label set` {
		t.Errorf("%v", err)
	}
	stop := errors.New("stop")
	n := 0
	_, err = ScanBytes(context.Background(), "b.csv", []byte(text), Options{}, func(r *Record) error { n++; return stop })
	if err != stop || n != 1 {
		t.Errorf("got %v after %d", err, n)
	}
}

func TestCancelAndProgress(t *testing.T) {
	var b strings.Builder
	b.WriteString("item_id,annotator_id,label\n")
	for i := 0; i < 50000; i++ {
		b.WriteString("item,ann,label\n")
	}
	var calls []int64
	var total int64
	out := scanText("b.csv", b.String(), Options{Progress: func(done, t int64) { calls = append(calls, done); total = t }})
	if out.err != nil || len(calls) < 5 || calls[len(calls)-1] != total || total != int64(b.Len()) {
		t.Errorf("progress calls %v total %d err %v", calls, total, out.err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err := ScanBytes(ctx, "b.csv", []byte(b.String()), Options{}, func(r *Record) error {
		if n++; n == 10 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || n >= 50000 {
		t.Errorf("cancel: %v after %d", err, n)
	}
}

func writeXLSX(t *testing.T, rows map[string][][]any, order []string) string {
	t.Helper()
	f := excelize.NewFile()
	for i, name := range order {
		if i == 0 {
			f.SetSheetName("Sheet1", name)
		} else {
			f.NewSheet(name)
		}
		for r, row := range rows[name] {
			if row == nil {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	p := filepath.Join(t.TempDir(), "b.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestXLSX(t *testing.T) {
	p := writeXLSX(t, map[string][][]any{
		"Batch": {
			{"Item ID", "Rater", "Label", "Submitted At", "Duration", "Comment"},
			{"ad-1", "r1", "approve", "2024-05-15T12:09:16Z", 12.5, "=SUM(A1)"},
			nil, // an empty row: the next record is on sheet row 4
			{"ad-2", "r2", "a|b", 45427.5, "3,5", "-2"},
			{"", "r3", "approve"},
		},
		"Other": {{"item_id", "annotator_id", "label"}, {"x", "y", "z"}},
	}, []string{"Batch", "Other"})
	var recs []Record
	sum, err := Scan(context.Background(), p, Options{}, func(r *Record) error { recs = append(recs, copyRec(r)); return nil })
	l, _ := AsList(err)
	if l == nil || len(l.Lines()) != 1 || !strings.HasSuffix(l.Lines()[0], "b.xlsx[Batch]:5:1: item_id is empty; fill it in or remove the row") {
		t.Errorf("errors: %v", err)
	}
	if len(recs) != 2 || sum.Format != "xlsx" || sum.Sheet != "Batch" || sum.Rows != 3 {
		t.Fatalf("%+v %+v", recs, sum)
	}
	if r := recs[0]; r.Row != 2 || r.DurationS != 12.5 || r.Comment != "=SUM(A1)" || !r.SubmittedAt.Equal(ts("2024-05-15T12:09:16Z")) {
		t.Errorf("%+v", r)
	}
	if r := recs[1]; r.Row != 4 || len(r.Labels) != 2 || r.DurationS != 3.5 || r.Comment != "-2" || !r.SubmittedAt.Equal(ts("2024-05-15T12:00:00Z")) {
		t.Errorf("%+v", r)
	}
	recs = nil
	sum, err = Scan(context.Background(), p, Options{Sheet: "other"}, func(r *Record) error { recs = append(recs, copyRec(r)); return nil })
	if err != nil || len(recs) != 1 || sum.Sheet != "Other" {
		t.Errorf("sheet option: %v %+v", err, recs)
	}
	_, err = Scan(context.Background(), p, Options{Sheet: "Nope"}, nil)
	if l, _ := AsList(err); l == nil || !strings.Contains(l.Lines()[0], `no sheet "Nope"; sheets found: "Batch", "Other"; choose one of them`) {
		t.Errorf("%v", err)
	}
}

// zipBomb writes an .xlsx-named zip whose worksheet is size bytes of zeros,
// deflated while it is generated; declared, when not zero, replaces the
// uncompressed size recorded in the zip (a lying header).
func zipBomb(t *testing.T, size int64, declared uint64) string {
	t.Helper()
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestSpeed)
	zeros := make([]byte, 1<<20)
	for n := int64(0); n < size; n += int64(len(zeros)) {
		fw.Write(zeros)
	}
	fw.Close()
	p := filepath.Join(t.TempDir(), "bomb.xlsx")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	if declared == 0 {
		declared = uint64(size)
	}
	h := &zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CompressedSize64: uint64(comp.Len()), UncompressedSize64: declared}
	w, err := zw.CreateRaw(h)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(w, &comp)
	zw.Close()
	f.Close()
	return p
}

func TestXLSXZipBomb(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 3 GB zip bomb")
	}
	cases := []struct {
		name     string
		size     int64
		declared uint64
		want     string
	}{
		{"3 GB of zeros", 3 << 30, 0, "bomb.xlsx: the workbook declares more than 3.0 GiB of unpacked data (limit 1.0 GiB); LabelQA refuses it as a possible zip bomb; if the workbook is real, export the batch as CSV"},
		{"lying header", 300 << 20, 1 << 20, "bomb.xlsx: the workbook part xl/worksheets/sheet1.xml unpacks to more than its zip directory declares (1.0 MiB) or than the 1.0 GiB limit; LabelQA refuses it as a possible zip bomb; if the workbook is real, export the batch as CSV"},
		{"high ratio", 100 << 20, 0, "bomb.xlsx: the workbook part xl/worksheets/sheet1.xml unpacks 824 times (125 KiB to 100.0 MiB; limit 200 times); LabelQA refuses it as a possible zip bomb; if the workbook is real, export the batch as CSV"},
	}
	for _, c := range cases {
		p := zipBomb(t, c.size, c.declared)
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Scan(context.Background(), p, Options{}, nil)
		runtime.ReadMemStats(&after)
		l, _ := AsList(err)
		if l == nil || !strings.HasSuffix(l.Lines()[0], c.want) {
			t.Errorf("%s: got %v", c.name, err)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
			t.Errorf("%s: allocated %d MiB", c.name, alloc>>20)
		}
	}
}

// TestXLSXProgress: a workbook's progress moves through the sheet (by the
// cells read), not only from 0 to the end.
func TestXLSXProgress(t *testing.T) {
	rows := [][]any{{"item_id", "annotator_id", "label"}}
	for i := 0; i < 10_000; i++ {
		rows = append(rows, []any{fmt.Sprintf("ad-%d", i), "r1", "approve"})
	}
	p := writeXLSX(t, map[string][][]any{"Batch": rows}, []string{"Batch"})
	var done []int64
	var size int64
	_, err := Scan(context.Background(), p, Options{Progress: func(d, total int64) { done = append(done, d); size = total }}, nil)
	if err != nil {
		t.Fatal(err)
	}
	between := 0
	for i, d := range done {
		if i > 0 && d < done[i-1] {
			t.Fatalf("progress went back: %v", done)
		}
		if d > 0 && d < size {
			between++
		}
	}
	if between < 5 || done[len(done)-1] != size {
		t.Fatalf("progress reports %v of %d bytes", done, size)
	}
}
