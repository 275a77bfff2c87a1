package ingest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"labelqa/app/demo"
)

// scanLog scans data with the delimited fast path on or off and logs, in order,
// every record handed out, every Progress call, the summary and every error,
// so that two scans can be compared exactly. cancelAt > 0 cancels the scan from
// the callback of that record.
func scanLog(name string, data []byte, gold, fast bool, cancelAt int) string {
	old := fastDelimited
	fastDelimited = fast
	defer func() { fastDelimited = old }()
	var b strings.Builder
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	opts := Options{Progress: func(done, total int64) { fmt.Fprintf(&b, "progress %d/%d\n", done, total) }}
	var sum Summary
	var err error
	if gold {
		sum, err = ScanGoldBytes(ctx, name, data, opts, func(r *GoldRecord) error {
			fmt.Fprintf(&b, "gold %+v\n", *r)
			if n++; n == cancelAt {
				cancel()
			}
			return nil
		})
	} else {
		sum, err = ScanBytes(ctx, name, data, opts, func(r *Record) error {
			fmt.Fprintf(&b, "rec %+v\n", *r)
			if n++; n == cancelAt {
				cancel()
			}
			return nil
		})
	}
	fmt.Fprintf(&b, "summary %+v\n", sum)
	if l, ok := AsList(err); ok {
		fmt.Fprintf(&b, "errors total %d\n", l.Total)
		for _, e := range l.Errs {
			fmt.Fprintf(&b, "error file=%q sheet=%q row=%d col=%d offset=%d field=%q: %s\n", e.File, e.Sheet, e.Row, e.Col, e.Offset, e.Field, e.Err)
		}
		fmt.Fprintf(&b, "text %q\n", l.Error())
	} else if err != nil {
		fmt.Fprintf(&b, "error %T %v\n", err, err)
	}
	return b.String()
}

func checkSame(t *testing.T, name string, data []byte, cancelAt int) {
	t.Helper()
	for _, gold := range []bool{false, true} {
		want := scanLog(name, data, gold, false, cancelAt)
		got := scanLog(name, data, gold, true, cancelAt)
		if got != want {
			t.Fatalf("%s (gold %v, cancel at %d, %d bytes %.200q): fast path differs from encoding/csv:\n%s",
				name, gold, cancelAt, len(data), data, firstDiff(want, got))
		}
	}
}

func firstDiff(want, got string) string { return lineDiff(" csv", want, "fast", got) }

// lineDiff shows the first line where two logs differ, each under its label.
func lineDiff(aName, a, bName, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d\n%s: %.600s\n%s: %.600s", i+1, aName, x, bName, y)
		}
	}
	return "(same)"
}

var fuzzNames = []string{"f.csv", "f.tsv", "f.ssv", "f.txt"}

// fastPathSeeds are inputs of the table tests plus cases aimed at the fast path.
func fastPathSeeds(t testing.TB) [][]byte {
	var seeds [][]byte
	for _, c := range errorCases {
		if strings.HasSuffix(c.file, ".csv") {
			seeds = append(seeds, []byte(c.text))
		}
	}
	base := "item_id;annotator_id;label;duration_s\n1;Bjørn;godkjent;12,5\n"
	for _, s := range []string{
		base, "\uFEFF" + base, strings.ReplaceAll(base, ";", "\t"), strings.ReplaceAll(base, "\n", "\r\n"),
		"Item ID,Worker,Decision,Vendor,Team,Market,Queue,Round,Timestamp,AHT,SOP,Template,Text,Notes,Error Type,RCA,extra\r\n" +
			"ad-1,w1,approve,acme,t1,NO,Live,1,2024-05-15T12:09:16Z,12.5,v4,tpl,=SUM(A1),+1,-2,@cmd,zzz\r\n" +
			"ad-2,w2, adult_content | misleading_claims ||,acme,t1,ID,2RQA,2,2024-05-15 12:09:16,0,,,\"two\r\nlines\",,,,\r\n" +
			"ad-3,w3,approve,,,,,,1716200000,,,,,,,,\r\n",
		"Item ID,Worker,Decision,Queue,Round,Timestamp,AHT\r\nad-1,w1,a|b,Live,1,2024-05-15T12:09:16Z,12.5\r\n\"x\ny\",w2,=SUM(A1),2RQA,2,1716200000,0\r\n",
		"\"agreement\",\"annotation_id\",\"annotator\",\"id\",\"sentiment\"\n100,1,\"a@b\",5,\"{\"\"choices\"\": [\"\"x\"\"]}\"\n",
		"item_id,annotator_id,label\n1,a,x\r\n\r\n\n2,b,y\r",
		"item_id,annotator_id,label\n1,a,x\r\r\n2,b,\"y\r\nz\"\r\n3,c,\"q\"\"\"\r",
		"item_id,annotator_id,label\n1,a,\"x\"\n2,b,\"y\n",
		"item_id,annotator_id,label\n1,a,\"x\",\n2,b,\"\"\n3,c,\"\"\"\"\n4,d,\"a\"\"\n\"\"b\"\n",
		"item_id,annotator_id,label\n1,a,x,\n2,b,\n\n3,c,y,z\n , , \n",
		"item_id,annotator_id,label\n1,a,\"x\" \n2,b,y\n",
		"item_id,annotator_id,label\n1,a,\"x\n\n\ny\"\n2,b,y",
		"item_id,annotator_id,label\n1,a,\"x\r",
		"item_id,annotator_id,label\n1,a,\"x\n\r",
		"item_id,annotator_id,label\n1,a,\"x\"",
		"item_id,annotator_id,label\n1,a,\"",
		"item_id,annotator_id,label\n1,a,x\"",
		"item_id,annotator_id,label,comment\n1,a,x,\"" + strings.Repeat("long ", 2000) + "\"\n2,b," + strings.Repeat("y", 9000) + ",z\n",
	} {
		seeds = append(seeds, []byte(s))
	}
	files, _ := filepath.Glob("testdata/formats/*.csv")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, data)
	}
	return seeds
}

func TestFastPathMatchesCSV(t *testing.T) {
	for i, s := range fastPathSeeds(t) {
		for _, name := range fuzzNames {
			checkSame(t, fmt.Sprintf("seed %d %s", i, name), s, 0)
		}
	}
}

// TestFastPathMatchesCSVLarge compares files larger than the read buffers:
// canonical batches, with quoted and multi-line fields, CRLF, long lines, and
// problems (stray quotes, bad UTF-8, NUL, unclosed quotes) at many places,
// including across the 4 KiB and 64 KiB read boundaries.
func TestFastPathMatchesCSVLarge(t *testing.T) {
	var canon bytes.Buffer
	rows := 3000
	if testing.Short() {
		rows = 800
	}
	if err := demo.WriteCanonicalCSV(&canon, rows, 7); err != nil {
		t.Fatal(err)
	}
	base := canon.Bytes()
	checkSame(t, "canonical.csv", base, 0)
	checkSame(t, "canonical.csv", bytes.ReplaceAll(base, []byte("\n"), []byte("\r\n")), 0)
	checkSame(t, "canonical.ssv", bytes.ReplaceAll(base, []byte(","), []byte(";")), 0)
	checkSame(t, "canonical.csv", base, 10)
	checkSame(t, "canonical.csv", base, rows/2)
	rnd := rand.New(rand.NewSource(1))
	inserts := []string{"\"", "x\"y", "\xff", "\x00", "\r", "\r\n", "\n", ",", "\"\"", "\n\n", "\xe2\x82"}
	n := 200
	if testing.Short() {
		n = 40
	}
	for i := 0; i < n; i++ {
		at := rnd.Intn(len(base))
		switch i % 4 {
		case 1: // near a 64 KiB boundary
			at = (rnd.Intn(len(base)/(64<<10)+1))*(64<<10) + rnd.Intn(9) - 4
		case 2: // near a 4 KiB boundary
			at = (rnd.Intn(len(base)/4096+1))*4096 + rnd.Intn(9) - 4
		}
		at = max(0, min(at, len(base)))
		ins := inserts[rnd.Intn(len(inserts))]
		data := append(append(append([]byte(nil), base[:at]...), ins...), base[at:]...)
		if i%7 == 3 {
			data = data[:rnd.Intn(len(data))]
		}
		checkSame(t, fmt.Sprintf("mutant %d (%q at %d).csv", i, ins, at), data, 0)
	}
}

func FuzzFastPathMatchesCSV(f *testing.F) {
	for _, s := range fastPathSeeds(f) {
		f.Add(s, uint8(0))
	}
	f.Add([]byte("a;b\n1;2\n"), uint8(2))
	f.Add([]byte("a\tb\n1\t2\n"), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		name := fuzzNames[int(kind)%len(fuzzNames)]
		checkReaderSame(t, data, kind)
		done := make(chan string, 1)
		go func() { // report a hang as a failure, with its input
			for _, cancelAt := range []int{0, int(kind) - 127} {
				if cancelAt < 0 {
					break
				}
				for _, gold := range []bool{false, true} {
					want := scanLog(name, data, gold, false, cancelAt)
					if got := scanLog(name, data, gold, true, cancelAt); got != want {
						done <- fmt.Sprintf("%s (gold %v, cancel at %d): fast path differs from encoding/csv:\n%s", name, gold, cancelAt, firstDiff(want, got))
						return
					}
				}
			}
			done <- ""
		}()
		select {
		case msg := <-done:
			if msg != "" {
				t.Fatal(msg)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("the scans did not finish in 20 s")
		}
	})
}

// chunkReader returns data in pieces of varying size and, from errAt on, fails
// with a sticky error (like the text decoders do).
type chunkReader struct {
	data  []byte
	off   int
	n     int
	seed  int
	errAt int
}

var errChunk = fmt.Errorf("chunk reader fails here")

func (c *chunkReader) Read(p []byte) (int, error) {
	if c.errAt >= 0 && c.off >= c.errAt {
		return 0, errChunk
	}
	if c.off >= len(c.data) {
		return 0, io.EOF
	}
	c.n++
	k := min(len(p), 1+(c.n*131+c.seed)%5000, len(c.data)-c.off)
	if c.errAt >= 0 {
		k = min(k, c.errAt-c.off)
	}
	copy(p, c.data[c.off:c.off+k])
	c.off += k
	return k, nil
}

// readerLog reads data with delimReader (fast path on or off) and logs every
// record, its line and every error.
func readerLog(data []byte, delim rune, seed, errAt int, fast bool) string {
	old := fastDelimited
	fastDelimited = fast
	defer func() { fastDelimited = old }()
	d := newDelimReader(&chunkReader{data: data, seed: seed, errAt: errAt}, delim)
	var b strings.Builder
	for fails := 0; fails < 3; {
		rec, err := d.Read()
		if err == io.EOF {
			b.WriteString("EOF\n")
			break
		}
		if err != nil {
			fails++
			fmt.Fprintf(&b, "error %T %v\n", err, err)
			continue
		}
		fmt.Fprintf(&b, "line %d %q\n", d.Line(), rec)
	}
	return b.String()
}

func checkReaderSame(t *testing.T, data []byte, kind uint8) {
	t.Helper()
	delim := []rune{',', '\t', ';'}[int(kind)%3]
	errAt := -1
	if kind&0x80 != 0 && len(data) > 0 {
		errAt = int(kind) * 7 % (len(data) + 1)
	}
	want := readerLog(data, delim, int(kind), errAt, false)
	if got := readerLog(data, delim, int(kind), errAt, true); got != want {
		t.Fatalf("delimReader (delim %q, error at %d, %d bytes %.200q) differs from encoding/csv:\n%s", delim, errAt, len(data), data, firstDiff(want, got))
	}
}

func TestFastPathReaderMatchesCSV(t *testing.T) {
	for _, s := range fastPathSeeds(t) {
		for kind := 0; kind < 256; kind += 17 {
			checkReaderSame(t, s, uint8(kind))
		}
	}
}
