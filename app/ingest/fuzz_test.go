package ingest

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzLimits are the size limits while fuzzing: small enough that inputs the
// fuzzer grows reach them.
func fuzzLimits(t *testing.T) {
	f, r := MaxFieldBytes, MaxRecordBytes
	MaxFieldBytes, MaxRecordBytes = 512, 4<<10
	t.Cleanup(func() { MaxFieldBytes, MaxRecordBytes = f, r })
}

// wellFormed fails t when an accepted value is not what the readers promise:
// valid UTF-8, within the field limit, trimmed, without control characters
// (tab and line breaks allowed in free text).
func wellFormed(t *testing.T, f field, v string) {
	t.Helper()
	if !utf8.ValidString(v) || len(v) > MaxFieldBytes || strings.TrimSpace(v) != v || controlAt(v, freeText(f)) >= 0 {
		t.Fatalf("%s %q accepted", fieldNames[f], v)
	}
}

func fuzzScan(t *testing.T, name string, data []byte) {
	fuzzLimits(t)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	defer func() {
		runtime.ReadMemStats(&after)
		// bounded memory: a constant for buffers plus a multiple of the input
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20+64*uint64(len(data)) {
			t.Fatalf("scanning %d bytes allocated %d", len(data), alloc)
		}
	}()
	check := func(err error) {
		if err == nil {
			return
		}
		var l *ErrorList
		if !errors.As(err, &l) {
			t.Fatalf("error %T is not an *ErrorList: %v", err, err)
		}
		if l.Len() == 0 || len(l.Errs) == 0 {
			t.Fatalf("empty error list returned")
		}
		for _, e := range l.Errs {
			if e.Err == nil || e.Err.Error() == "" || e.Row < 0 || e.Col < 0 {
				t.Fatalf("bad error %#v", e)
			}
		}
	}
	_, err := ScanBytes(context.Background(), name, data, Options{}, func(r *Record) error {
		if r.ItemID == "" || r.AnnotatorID == "" || len(r.Labels) == 0 || r.DurationS < 0 || r.Row < 1 || r.Round < 0 {
			t.Fatalf("invalid record handed out: %+v", r)
		}
		for _, l := range r.Labels {
			if l == "" {
				t.Fatalf("empty label")
			}
			wellFormed(t, fLabel, l)
		}
		for f, v := range map[field]string{fItemID: r.ItemID, fAnnotator: r.AnnotatorID, fVendor: r.Vendor, fTeam: r.Team, fMarket: r.Market,
			fQueue: r.Queue, fSOPVersion: r.SOPVersion, fTemplate: r.Template, fContent: r.Content, fComment: r.Comment, fErrorCat: r.ErrorCat, fRootCause: r.RootCause} {
			wellFormed(t, f, v)
		}
		return nil
	})
	check(err)
	_, err = ScanGoldBytes(context.Background(), name, data, Options{}, func(r *GoldRecord) error {
		if r.ItemID == "" || len(r.Labels) == 0 || r.Row < 1 {
			t.Fatalf("invalid gold record handed out: %+v", r)
		}
		for _, l := range r.Labels {
			wellFormed(t, fLabel, l)
		}
		for f, v := range map[field]string{fItemID: r.ItemID, fRationale: r.Rationale, fSOPSection: r.SOPSection, fGDSVersion: r.GDSVersion} {
			wellFormed(t, f, v)
		}
		return nil
	})
	check(err)
}

// seed adds the table tests' inputs of files with these extensions.
func seed(f *testing.F, exts ...string) {
	for _, e := range exts {
		for _, c := range errorCases {
			if strings.HasSuffix(c.file, e) {
				f.Add([]byte(c.text))
			}
		}
		for _, c := range limitCases {
			if strings.HasSuffix(c.file, e) && len(c.text) < 4096 {
				f.Add([]byte(c.text))
			}
		}
		for _, c := range manyAnswers {
			if strings.HasSuffix(c.file, e) {
				f.Add([]byte(c.gen(3)))
			}
		}
	}
}

func FuzzScanCSV(f *testing.F) {
	seed(f, ".csv")
	f.Add([]byte("Item ID,Worker,Decision,Queue,Round,Timestamp,AHT\r\nad-1,w1,a|b,Live,1,2024-05-15T12:09:16Z,12.5\r\n\"x\ny\",w2,=SUM(A1),2RQA,2,1716200000,0\r\n"))
	f.Add([]byte("item_id;annotator_id;label;duration_s\n1;a;x;12,5\n"))
	f.Add([]byte("\xff\xfei\x00t\x00e\x00m\x00\t\x00a\x00\n\x00"))
	f.Add([]byte("\"agreement\",\"annotation_id\",\"annotator\",\"id\",\"sentiment\"\n100,1,\"a@b\",5,\"{\"\"choices\"\": [\"\"x\"\"]}\"\n"))
	f.Add([]byte("id,text,ad_id,label,Comments\n1,t,AD-1,b#a,\n2,u,AD-2,,\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzScan(t, "f.csv", data) })
}

func FuzzScanJSON(f *testing.F) {
	seed(f, ".json")
	f.Add([]byte(`[{"item_id": "1", "annotator_id": "a", "label": ["x", "y"], "duration_s": 3.5, "round": 2, "submitted_at": 1716200000}]`))
	f.Add([]byte(`[{"id": 9, "data": {"text": "t"}, "annotations": [{"id": 2, "completed_by": {"id": 4}, "lead_time": 2, "result": [{"value": {"choices": ["ok"]}}]}]}]`))
	f.Add([]byte(`[{"id": 1, "annotator": "a", "annotation_id": 3, "sentiment": {"choices": ["a", "b"]}}]`))
	f.Add([]byte(`{"answers": [{"workerId": "w", "answerContent": {"crowd-classifier": {"label": "p"}}, "timeSpentInSeconds": 4}]}`))
	f.Add([]byte(`[{"id": 1, "text": "t", "label": ["x"], "Comments": ["a"]}, {"id": 2, "text": "u", "label": []}]`))
	f.Add([]byte(`[{"id": "r1", "fields": {"text": "t"}, "metadata": {"ad_id": "A"}, "responses": {"label": [{"value": ["a", "b"], "user_id": "u1", "status": "submitted"}]}, "_server_id": "s"}]`))
	f.Add([]byte(`[{"external_id": "e1", "fields": {"text": "t"}, "responses": [{"user_id": "u1", "values": {"label": {"value": "x"}}, "status": "submitted"}]}]`))
	f.Add([]byte(`{"id": "r", "text": "t", "label.responses": ["x", "y"], "label.responses.users": ["u1", "u2"], "label.responses.status": ["submitted", "draft"]}`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzScan(t, "f.json", data) })
}

func FuzzScanJSONL(f *testing.F) {
	seed(f, ".jsonl")
	f.Add([]byte(`{"item_id": "1", "annotator_id": "a", "label": "x"}` + "\n" + `{"item_id": "2", "annotator_id": "b", "label": ["y"]}` + "\n"))
	f.Add([]byte(`{"text": "t", "meta": {"ad_id": "A"}, "options": [{"id": "X"}], "_input_hash": 1, "accept": ["X"], "answer": "accept", "_timestamp": 1716200000, "_annotator_id": "s-a"}` + "\n"))
	f.Add([]byte(`{"source": "t", "mood": [1, 0], "mood-metadata": {"class-map": {"1": "a", "0": "b"}, "job-name": "labeling-job/j", "creation-date": "2020-10-18T22:18:13"}}` + "\n"))
	f.Add([]byte(`{"data_row": {"external_id": "e"}, "projects": {"p": {"labels": [{"label_details": {"created_by": "u"}, "annotations": {"classifications": [{"name": "q", "checklist_answers": [{"value": "a"}]}]}}]}}}` + "\n"))
	f.Add([]byte(`{"id": 7, "data": "Buy now", "label": ["spam"], "ad_id": "AD-7"}` + "\n" + `{"id": 8, "data": "ok", "label": []}` + "\n"))
	f.Add([]byte(`{"id": "r1", "label.responses": ["x"], "label.responses.users": ["u1"]}` + "\n" + `{"id": "r2", "label.responses": null, "label.responses.users": null}` + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzScan(t, "f.jsonl", data) })
}

func FuzzScanXML(f *testing.F) {
	seed(f, ".xml")
	f.Add([]byte(`<?xml version="1.0" encoding="utf-8"?>
<annotations><version>1.1</version>
<meta><project><tasks><task><id>1</id><owner><username>o</username></owner><assignee><username>a</username></assignee></task></tasks></project></meta>
<image id="0" name="x.jpg" task_id="1"><tag label="ok" source="manual"><attribute name="p">v</attribute></tag></image>
<image id="1" name="y.jpg"></image>
</annotations>`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzScan(t, "f.xml", data) })
}
