package project

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"labelqa/app/demo"
	"labelqa/app/store"
)

// writeBigCSV generates the benchmark's canonical CSV once per process.
func writeBigCSV(b *testing.B, dir string, rows int) string {
	b.Helper()
	path := filepath.Join(dir, "big.csv")
	if err := demo.WriteCanonicalCSVFile(path, rows, 1); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkImport1M imports a 1,000,000-row canonical CSV into a fresh
// project, and (when the sqlite3 shell is installed) times `.import` of the
// same file into a bare table for comparison. Figures: docs/PERFORMANCE.md.
func BenchmarkImport1M(b *testing.B) {
	const rows = 1_000_000
	dir := b.TempDir()
	csvPath := writeBigCSV(b, dir, rows)
	ctx := context.Background()
	var elapsed time.Duration
	n := 0
	for b.Loop() {
		b.StopTimer()
		p := filepath.Join(dir, "bench.lqa")
		os.Remove(p)
		os.Remove(p + "-wal")
		os.Remove(p + "-shm")
		s, err := store.Create(ctx, p)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		res, err := Import(ctx, s, csvPath, ImportOptions{}, nil)
		elapsed += time.Since(start)
		n++
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		if res.Rows != rows {
			b.Fatalf("imported %d rows, want %d", res.Rows, rows)
		}
		s.Close()
		b.StartTimer()
	}
	perImport := elapsed / time.Duration(n)
	b.ReportMetric(float64(rows)/perImport.Seconds(), "rows/s")

	if sqlite3, err := exec.LookPath("sqlite3"); err == nil {
		bare := filepath.Join(dir, "bare.db")
		os.Remove(bare)
		start := time.Now()
		cmd := exec.Command(sqlite3, bare, "-cmd", ".mode csv", ".import "+csvPath+" bare")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("sqlite3 .import: %v\n%s", err, out)
		}
		b.ReportMetric(perImport.Seconds()/time.Since(start).Seconds(), "x-sqlite3-import")
	}
}

// BenchmarkCounts1M times `labelqa metrics --counts` on a project holding a
// million annotations: the counts come from the tables' indexes.
func BenchmarkCounts1M(b *testing.B) {
	dir := b.TempDir()
	csvPath := writeBigCSV(b, dir, 1_000_000)
	ctx := context.Background()
	p := filepath.Join(dir, "counts.lqa")
	s, err := store.Create(ctx, p)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := Import(ctx, s, csvPath, ImportOptions{}, nil); err != nil {
		b.Fatal(err)
	}
	b.Run("Counts", func(b *testing.B) {
		for b.Loop() {
			c, err := s.Counts(ctx)
			if err != nil || c.Annotations != 1_000_000 {
				b.Fatalf("%+v %v", c, err)
			}
		}
	})
	dims := []store.Dimension{store.ByVendor, store.ByQueue, store.ByMarket, store.ByLabel}
	// The overview's four breakdowns: one pass (Breakdowns) against four
	// GROUP BYs (CountBy).
	b.Run("Breakdowns", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Breakdowns(ctx, dims...); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("CountBy", func(b *testing.B) {
		for b.Loop() {
			for _, d := range dims {
				if _, err := s.CountBy(ctx, d); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
