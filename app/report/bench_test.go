package report

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"labelqa/app/core"
	"labelqa/app/demo"
	"labelqa/app/metrics"
)

// bigProject is a 1,000,000-judgment project (demo.WriteCanonicalCSVFile
// imported), or the project LABELQA_BIG names.
func bigProject(b *testing.B) *core.Project {
	b.Helper()
	ctx := context.Background()
	path := os.Getenv("LABELQA_BIG")
	if path == "" {
		dir := b.TempDir()
		csvPath := filepath.Join(dir, "big.csv")
		if err := demo.WriteCanonicalCSVFile(csvPath, 1_000_000, 1); err != nil {
			b.Fatal(err)
		}
		path = filepath.Join(dir, "big.lqa")
		p, err := core.Create(ctx, path, nil, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := p.Import(ctx, csvPath, core.ImportOptions{}, nil); err != nil {
			b.Fatal(err)
		}
		p.Close()
	}
	p, err := core.OpenReadOnly(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { p.Close() })
	return p
}

// BenchmarkWorkbooks1M times what "labelqa report all --vendor V" does on
// a 1,000,000-judgment project, step by step: the one analysis of every
// judgment, the vendor's scoped analysis, and each workbook written from
// them (issue 11's target: all four in under 5 s). Figures:
// docs/PERFORMANCE.md.
func BenchmarkWorkbooks1M(b *testing.B) {
	p := bigProject(b)
	ctx := context.Background()
	const vendor = "Fjord Review AS"
	opts := metrics.DefaultOptions()
	dir := b.TempDir()
	var wide, scoped *core.Analysis
	var err error
	b.Run("analyze/all", func(b *testing.B) {
		for b.Loop() {
			if wide, err = p.Analyze(ctx, core.Query{}, opts, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("analyze/vendor", func(b *testing.B) {
		for b.Loop() {
			if scoped, err = p.Analyze(ctx, core.Query{}.WithinVendor(vendor), opts, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	// A -bench filter may skip the analyses above: the writes need them.
	if wide == nil {
		if wide, err = p.Analyze(ctx, core.Query{}, opts, nil); err != nil {
			b.Fatal(err)
		}
	}
	if scoped == nil {
		if scoped, err = p.Analyze(ctx, core.Query{}.WithinVendor(vendor), opts, nil); err != nil {
			b.Fatal(err)
		}
	}
	ts, err := p.Targets(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for _, kind := range []string{"kpi", "rca", "audit", "vendor"} {
		b.Run("write/"+kind, func(b *testing.B) {
			in := &Input{Project: p, Analysis: wide, Targets: ts, Lang: EN, Version: "bench", Now: time.Now(),
				Sample: SampleOptions{Seed: 1, Margin: 0.03, Confidence: 0.95}}
			switch kind {
			case "audit":
				in.Vendor = vendor
			case "vendor":
				in.Vendor, in.Analysis, in.Query = vendor, scoped, core.Query{}.WithinVendor(vendor)
			}
			for b.Loop() {
				if err := Write(ctx, kind, in, filepath.Join(dir, kind+".xlsx")); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
