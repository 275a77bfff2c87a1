package ingest

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// Tool exports whose one object holds N answers (a Label Studio task with N
// annotations, a SageMaker worker response with N answers, an Argilla record
// with N responses) must be read in time and memory linear in N: each answer's
// line used to be found by searching the object's text from its start again.

func labelStudioTask(n int) string {
	var b strings.Builder
	b.WriteString("[{\"id\": 1, \"data\": {\"text\": \"t\"}, \"annotations\": [\n")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "  {\"id\": %d,\n   \"completed_by\": %d,\n   \"result\": [{\"value\": {\"choices\": [\"ok\"]}}]}", i+1, i+1)
	}
	b.WriteString("\n]}]\n")
	return b.String()
}

func sagemakerWorkerFile(n int) string {
	var b strings.Builder
	b.WriteString("{\"answers\": [\n")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "  {\"workerId\": \"w%d\",\n   \"answerContent\": {\"crowd-classifier\": {\"label\": \"p\"}}}", i)
	}
	b.WriteString("\n]}\n")
	return b.String()
}

func argillaRecord(n int) string {
	var b strings.Builder
	b.WriteString("[{\"id\": \"r1\", \"fields\": {\"text\": \"t\"}, \"responses\": {\"label\": [\n")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "  {\"value\": \"x\", \"user_id\": \"u%d\"}", i)
	}
	b.WriteString("\n]}}]\n")
	return b.String()
}

var manyAnswers = []struct {
	name, file string
	gen        func(int) string
	line       func(i int) int // line of answer i
}{
	{"labelstudio", "ls.json", labelStudioTask, func(i int) int { return 3 + 3*i }},
	{"sagemaker-worker", "x/7/w.json", sagemakerWorkerFile, func(i int) int { return 2 + 2*i }},
	{"argilla", "b.json", argillaRecord, func(i int) int { return 2 + i }},
}

// allocBytes is the memory one scan of text allocates.
func allocBytes(t *testing.T, name, text string, want int) uint64 {
	t.Helper()
	data := []byte(text)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	n := 0
	_, err := ScanBytes(context.Background(), name, data, Options{}, func(r *Record) error { n++; return nil })
	runtime.ReadMemStats(&after)
	if err != nil || n != want {
		t.Fatalf("%s: %d records, %v", name, n, err)
	}
	return after.TotalAlloc - before.TotalAlloc
}

// TestManyAnswersLinear compares the bytes allocated at N and 4N answers: about
// 4 times as many when linear, 16 when quadratic (the old search copied the
// object's text once per answer). It asserts no wall time.
func TestManyAnswersLinear(t *testing.T) {
	const n = 2000
	for _, c := range manyAnswers {
		small := allocBytes(t, c.file, c.gen(n), n)
		large := allocBytes(t, c.file, c.gen(4*n), 4*n)
		if ratio := float64(large) / float64(small); ratio > 6 {
			t.Errorf("%s: %d answers allocate %d bytes, %d answers %d: %.1f times as much, so reading is not linear", c.name, n, small, 4*n, large, ratio)
		}
	}
}

// TestManyAnswersLines: each answer is still named by its own line.
func TestManyAnswersLines(t *testing.T) {
	for _, c := range manyAnswers {
		var rows []int
		_, err := ScanBytes(context.Background(), c.file, []byte(c.gen(50)), Options{}, func(r *Record) error { rows = append(rows, r.Row); return nil })
		if err != nil || len(rows) != 50 {
			t.Fatalf("%s: %d records, %v", c.name, len(rows), err)
		}
		for i, r := range rows {
			if r != c.line(i) {
				t.Errorf("%s: answer %d on line %d, want %d", c.name, i, r, c.line(i))
				break
			}
		}
	}
}

// BenchmarkManyAnswers reads one object with 20,000 answers (the user's
// Label Studio task that did not finish in 9 minutes).
func BenchmarkManyAnswers(b *testing.B) {
	for _, c := range manyAnswers {
		data := []byte(c.gen(20_000))
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ScanBytes(context.Background(), c.file, data, Options{}, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
