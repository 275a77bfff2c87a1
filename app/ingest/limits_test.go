package ingest

import (
	"context"
	"runtime"
	"strings"
	"testing"
)

// oversized returns inputs of every text format holding one value of size
// bytes, and the message each must end in.
func oversized(size int) []struct{ name, file, text, want string } {
	big := strings.Repeat("x", size)
	lines := strings.Repeat(strings.Repeat("y", 99)+"\n", size/100+1)
	return []struct{ name, file, text, want string }{
		{"csv quoted field with line breaks", "b.csv", "item_id,annotator_id,label,content\n1,a,x,ok\n2,a,x,\"" + lines + "\"\n", "this field is longer than"},
		{"csv unquoted field", "b.csv", "item_id,annotator_id,label,content\n1,a,x,ok\n2,a,x," + big + "\n", "this field is longer than"},
		{"csv quoted field on one line", "b.csv", "item_id,annotator_id,label,content\n2,a,x,\"" + big + "\"\n", "this field is longer than"},
		{"tsv", "b.tsv", "item_id\tannotator_id\tlabel\tcontent\n2\ta\tx\t\"" + lines + "\"\n", "this field is longer than"},
		{"ssv", "b.csv", "item_id;annotator_id;label;content\n2;a;x;\"" + lines + "\"\n", "this field is longer than"},
		{"csv after a quoting error", "b.csv", "item_id,annotator_id,label,content\n1,a,x\"y,ok\n2,a,x,\"" + lines + "\"\n", "is longer than"},
		{"json", "b.json", `[{"item_id": "1", "annotator_id": "a", "label": "x", "content": "` + big + `"}]`, "the limit for one record), so reading stops here; export the records in smaller parts, and keep long item content in files named by their path or URL"},
		{"jsonl", "b.jsonl", `{"item_id": "1", "annotator_id": "a", "label": "x", "content": "` + big + `"}` + "\n", "(the limit for one record), so reading stops here; split the record or export the file again"},
		{"label studio", "ls.json", `[{"id": 1, "data": {"text": "` + big + `"}, "annotations": []}]`, "(the limit for one record), so reading stops here"},
	}
}

// TestSizeLimitsBoundMemory: a value far over the limits is refused with its
// position while the reader allocates (in all, not at once) at most 10 times
// the record limit,
// never the value's size (a 500 MB field used to take 3 GB).
func TestSizeLimitsBoundMemory(t *testing.T) {
	f, r := MaxFieldBytes, MaxRecordBytes
	MaxFieldBytes, MaxRecordBytes = 1<<20, 4<<20
	defer func() { MaxFieldBytes, MaxRecordBytes = f, r }()
	for _, c := range oversized(64 << 20) {
		data := []byte(c.text)
		for _, fast := range []bool{true, false} {
			fastDelimited = fast
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := ScanBytes(context.Background(), c.file, data, Options{}, nil)
			runtime.ReadMemStats(&after)
			fastDelimited = true
			l, _ := AsList(err)
			want := c.want
			if !fast && strings.Contains(want, "field") {
				want = "is longer than" // encoding/csv, after a quoting error: the record's limit
			}
			if l == nil || !strings.Contains(l.Error(), want) {
				t.Errorf("%s (fast %v): got %v", c.name, fast, err)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 10*uint64(MaxRecordBytes) {
				t.Errorf("%s (fast %v): allocated %d MiB for a limit of %d MiB", c.name, fast, alloc>>20, MaxRecordBytes>>20)
			}
		}
	}
}

// TestSizeLimitsReal: one byte over the real field limit is refused, the
// limit itself is read.
func TestSizeLimitsReal(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 16 MiB values")
	}
	at := strings.Repeat("x", MaxFieldBytes)
	for _, v := range []string{at, at + "x"} {
		for _, c := range []struct{ file, text string }{
			{"b.csv", "item_id,annotator_id,label,content\n1,a,x,\"" + v + "\"\n"},
			{"b.json", `[{"item_id": "1", "annotator_id": "a", "label": "x", "content": "` + v + `"}]`},
		} {
			n := 0
			_, err := ScanBytes(context.Background(), c.file, []byte(c.text), Options{}, func(r *Record) error { n++; return nil })
			switch {
			case len(v) == MaxFieldBytes && (err != nil || n != 1):
				t.Errorf("%s: a value of exactly the limit: %d records, %v", c.file, n, err)
			case len(v) > MaxFieldBytes && (err == nil || !strings.Contains(err.Error(), "longer than 16 MiB (the limit for one field)")):
				t.Errorf("%s: a value over the limit: %v", c.file, err)
			}
		}
	}
}

// TestCROnlyLineEnds: a file whose lines end in CR alone (old Mac programs)
// is read line by line, in every text format, with editor line numbers.
func TestCROnlyLineEnds(t *testing.T) {
	for _, c := range []struct{ name, text string }{
		{"b.csv", "item_id,annotator_id,label,comment\r1,a,x,\r\r2,b,y,\"two\rlines\"\r"},
		{"b.tsv", "item_id\tannotator_id\tlabel\tcomment\r1\ta\tx\t\r\r2\tb\ty\t\"two\rlines\"\r"},
		{"b.csv", "item_id;annotator_id;label;comment\r1;a;x;\r\r2;b;y;\"two\rlines\"\r"},
		{"b.jsonl", `{"item_id": "1", "annotator_id": "a", "label": "x"}` + "\r\r" + `{"item_id": "2", "annotator_id": "b", "label": "y", "comment": "two\nlines"}` + "\r"},
		{"b.txt", `{"item_id": "1", "annotator_id": "a", "label": "x"}` + "\r\r" + `{"item_id": "2", "annotator_id": "b", "label": "y", "comment": "two\nlines"}` + "\r"},
		{"b.json", "[\r" + `{"item_id": "1", "annotator_id": "a", "label": "x"},` + "\r\r" + `{"item_id": "2", "annotator_id": "b", "label": "y", "comment": "two\nlines"}` + "\r]"},
	} {
		out := scanText(c.name, c.text, Options{})
		if out.err != nil || len(out.recs) != 2 {
			t.Errorf("%s %q: %d records, %v", c.name, c.text, len(out.recs), out.err)
			continue
		}
		row := 4 // header or [, record, blank line, record
		if out.sum.Format == "jsonl" {
			row = 3
		}
		if r := out.recs[1]; r.Row != row || r.Comment != "two\nlines" {
			t.Errorf("%s: %+v", c.name, r)
		}
	}
}

// TestDuplicateNamesDisambiguated: a second column or key named like one read
// is refused (errors.golden) unless it is not read: a synonym that loses to
// the canonical name, or a name --map spells exactly.
func TestDuplicateNamesDisambiguated(t *testing.T) {
	for _, c := range []struct {
		name, text string
		opts       Options
		label      string
	}{
		{"b.csv", "id,id,item_id,annotator_id,label\nq,r,1,a,x\n", Options{}, "x"},
		{"b.csv", "item_id,annotator_id,Label,label\n1,a,x,y\n", Options{Map: map[string]string{"label": "label"}}, "y"},
		{"b.csv", "item_id,annotator_id,label,label,verdict\n1,a,x,y,z\n", Options{Map: map[string]string{"label": "verdict"}}, "z"},
		{"b.csv", "item_id,annotator_id,label,extra,extra\n1,a,x,y,z\n", Options{}, "x"},
		{"b.json", `[{"item_id": "1", "annotator_id": "a", "Label": "x", "label": "y"}]`, Options{Map: map[string]string{"label": "Label"}}, "x"},
		{"b.json", `[{"item_id": "1", "annotator_id": "a", "label": "x", "answer": "y", "Answer": "z"}]`, Options{}, "x"},
	} {
		out := scanText(c.name, c.text, c.opts)
		if out.err != nil || len(out.recs) != 1 || out.recs[0].Labels[0] != c.label {
			t.Errorf("%s %q: %+v %v", c.name, c.text, out.recs, out.err)
		}
	}
}

// TestRecordLimitReal: a JSONL line or a JSON element one byte over the real
// record limit is refused at its line, and one at the limit is read.
func TestRecordLimitReal(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 64 MiB lines")
	}
	head := `{"item_id": "1", "annotator_id": "a", "label": "x", "extra": "`
	for _, over := range []bool{false, true} {
		n := MaxRecordBytes - len(head) - len(`"}`)
		if over {
			n++
		}
		first := `{"item_id": "0", "annotator_id": "a", "label": "x"}`
		big := head + strings.Repeat("y", n) + `"}`
		for _, c := range []struct{ file, text, want string }{
			{"b.jsonl", first + "\n" + big + "\n", "b.jsonl:2: the line is longer than 64 MiB (the limit for one record)"},
			{"b.json", "[" + first + ",\n " + big + "]", "b.json:2: the JSON record that starts here is longer than 64 MiB (the limit for one record)"},
		} {
			recs := 0
			_, err := ScanBytes(context.Background(), c.file, []byte(c.text), Options{}, func(r *Record) error { recs++; return nil })
			switch {
			case !over && (err != nil || recs != 2):
				t.Errorf("%s: a record of exactly the limit: %d records, %v", c.file, recs, err)
			case over && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Errorf("%s: a record over the limit: %v", c.file, err)
			}
		}
	}
}
