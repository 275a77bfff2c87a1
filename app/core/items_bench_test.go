package core

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"labelqa/app/demo"
	"labelqa/app/metrics"
)

// bigProject imports the 1,000,000-row canonical CSV into a new project.
func bigProject(b *testing.B) *Project {
	b.Helper()
	dir := b.TempDir()
	csvPath := filepath.Join(dir, "big.csv")
	if err := demo.WriteCanonicalCSVFile(csvPath, 1_000_000, 1); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	p, err := Create(ctx, filepath.Join(dir, "items.lqa"), nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { p.Close() })
	if _, err := p.Import(ctx, csvPath, ImportOptions{}, nil); err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkItemsPage pages the items of a 1,000,000-judgment project: the
// summary's build after the import (once, logged), each sort's index on
// its first page (logged), then a page of 100 for each sort (first page, ascending and descending), a page half way down the
// list (keyset: as fast as the first), an id-prefix search and a vendor
// filter. Figures: docs/PERFORMANCE.md.
func BenchmarkItemsPage(b *testing.B) {
	p := bigProject(b)
	ctx := context.Background()
	start := time.Now()
	if _, err := p.Items(ctx, ItemQuery{Limit: 1}); err != nil {
		b.Fatal(err)
	}
	b.Logf("item summary built in %v", time.Since(start))
	page := func(b *testing.B, q ItemQuery) {
		start := time.Now()
		if _, err := p.Items(ctx, q); err != nil { // the sort's index, on its first page
			b.Fatal(err)
		}
		b.Logf("first call %v", time.Since(start))
		for b.Loop() {
			pg, err := p.Items(ctx, q)
			if err != nil {
				b.Fatal(err)
			}
			if len(pg.Rows) != q.Limit && q.Search != "ad-9999" {
				b.Fatalf("%d rows, want %d", len(pg.Rows), q.Limit)
			}
		}
	}
	names := []string{"item", "judgments", "labels", "disagreement", "gold", "first", "last"}
	for s := SortItemID; s <= SortLastAt; s++ {
		for _, desc := range []bool{false, true} {
			b.Run(fmt.Sprintf("first/%s/desc=%v", names[s], desc), func(b *testing.B) {
				page(b, ItemQuery{Sort: s, Desc: desc, Limit: 100})
			})
		}
	}
	for _, s := range []ItemSort{SortItemID, SortDisagreement} {
		// The cursor half way down: 50 pages of 5,000 rows.
		q := ItemQuery{Sort: s, Limit: 5000}
		for range 50 {
			pg, err := p.Items(ctx, q)
			if err != nil {
				b.Fatal(err)
			}
			q.After = pg.Next
		}
		q.Limit = 100
		b.Run("deep/"+names[s], func(b *testing.B) { page(b, q) })
	}
	b.Run("search/prefix", func(b *testing.B) {
		page(b, ItemQuery{Search: "ad-001", Sort: SortJudgments, Desc: true, Limit: 100})
	})
	b.Run("search/rare", func(b *testing.B) {
		// About 70 of 700,000 items: the page reads the whole sort index.
		page(b, ItemQuery{Search: "ad-9999", Sort: SortJudgments, Desc: true, Limit: 100})
	})
	b.Run("search/broad", func(b *testing.B) {
		// Every item: the prefix's range is the whole index, sorted.
		page(b, ItemQuery{Search: "ad-", Sort: SortJudgments, Desc: true, Limit: 100})
	})
	b.Run("filter/vendor", func(b *testing.B) {
		page(b, ItemQuery{Filter: Query{Vendor: "Fjord Review AS"}, Sort: SortDisagreement, Desc: true, Limit: 100})
	})
}

// BenchmarkAnalyzeQuery1M times what a filter change costs on a
// 1,000,000-judgment project: the judgments a query selects read through
// SQL (a first query) and taken in memory from the unfiltered Dataset (a
// filter change once the unfiltered data were read), and the whole
// re-analysis of a filter change (the data, then the report).
func BenchmarkAnalyzeQuery1M(b *testing.B) {
	p := bigProject(b)
	ctx := context.Background()
	forget := func() { p.mu.Lock(); p.data = nil; p.mu.Unlock() } // keeps p.full
	b.Run("sql/all", func(b *testing.B) {
		for b.Loop() {
			p.changed()
			if _, err := p.Data(ctx, Query{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	// The whole first analysis of the project: read every judgment, then
	// analyse (issue 10's target: under 1.5 s).
	b.Run("analyze/all", func(b *testing.B) {
		for b.Loop() {
			p.changed()
			a, err := p.Analyze(ctx, Query{}, metrics.DefaultOptions(), nil)
			if err != nil {
				b.Fatal(err)
			}
			_ = a.Report()
		}
	})
	for _, c := range []struct {
		name string
		q    Query
	}{{"vendor", Query{Vendor: "Fjord Review AS"}}, {"queue", Query{Queue: "live"}}, {"week", Query{From: time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 3, 17, 0, 0, 0, 0, time.UTC)}}} {
		var n int
		b.Run("sql/"+c.name, func(b *testing.B) {
			for b.Loop() {
				p.changed()
				d, err := p.Data(ctx, c.q)
				if err != nil {
					b.Fatal(err)
				}
				n = d.Len()
			}
		})
		if _, err := p.Data(ctx, Query{}); err != nil {
			b.Fatal(err)
		}
		b.Run("memory/"+c.name, func(b *testing.B) {
			for b.Loop() {
				forget()
				d, err := p.Data(ctx, c.q)
				if err != nil {
					b.Fatal(err)
				}
				if d.Len() != n {
					b.Fatalf("%d judgments in memory, %d through SQL", d.Len(), n)
				}
			}
			b.ReportMetric(float64(n), "judgments")
		})
		b.Run("reanalyze/"+c.name, func(b *testing.B) {
			for b.Loop() {
				forget()
				a, err := p.Analyze(ctx, c.q, metrics.DefaultOptions(), nil)
				if err != nil {
					b.Fatal(err)
				}
				_ = a.Report()
			}
		})
	}
}
