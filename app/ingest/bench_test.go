package ingest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"labelqa/app/demo"
)

func writeCanonicalCSV(b *testing.B, rows int) string {
	p := filepath.Join(b.TempDir(), "batch.csv")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("item_id,annotator_id,label,vendor,queue,submitted_at,duration_s,round\n")
	labels := []string{"approve", "misleading_claims", "adult_content", "approve|misleading_claims"}
	for i := 0; i < rows; i++ {
		fmt.Fprintf(w, "ad-%07d,ann-%03d,%s,vendor-%d,Live,2024-05-%02dT%02d:%02d:%02dZ,%d.%d,1\n",
			i/3, i%300, labels[i%4], i%5, 1+i%28, i%24, i%60, (i*7)%60, i%90, i%10)
	}
	w.Flush()
	f.Close()
	return p
}

func benchmarkScanCSV(b *testing.B, rows int) {
	p := writeCanonicalCSV(b, rows)
	st, _ := os.Stat(p)
	b.SetBytes(st.Size())
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n = 0
		_, err := Scan(context.Background(), p, Options{}, func(r *Record) error { n++; return nil })
		if err != nil || n != rows {
			b.Fatalf("%d rows, %v", n, err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkScanCSV(b *testing.B) {
	for _, rows := range []int{100, 10_000, 1_000_000} {
		b.Run(fmt.Sprint(rows), func(b *testing.B) { benchmarkScanCSV(b, rows) })
	}
}

// BenchmarkScanCanonicalCSV scans the 14-column canonical batch of the demo
// (quoted ad texts, some spanning lines) with the delimited fast path and, for
// comparison, with encoding/csv alone.
func BenchmarkScanCanonicalCSV(b *testing.B) {
	p := filepath.Join(b.TempDir(), "canonical.csv")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	if err := demo.WriteCanonicalCSV(f, 1_000_000, 1); err != nil {
		b.Fatal(err)
	}
	f.Close()
	benchScanPaths(b, p, &fastDelimited, "encoding-csv", 0)
}

// benchScanPaths scans the file at p with a reader's fast path on ("fast")
// and off (slow), reporting rows/s; want, when not 0, is the record count.
func benchScanPaths(b *testing.B, p string, fastPath *bool, slow string, want int) {
	st, _ := os.Stat(p)
	for _, fast := range []bool{true, false} {
		name := "fast"
		if !fast {
			name = slow
		}
		b.Run(name, func(b *testing.B) {
			old := *fastPath
			*fastPath = fast
			defer func() { *fastPath = old }()
			b.SetBytes(st.Size())
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				n = 0
				if _, err := Scan(context.Background(), p, Options{}, func(r *Record) error { n++; return nil }); err != nil {
					b.Fatal(err)
				}
			}
			if want != 0 && n != want {
				b.Fatalf("%d records, want %d", n, want)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
