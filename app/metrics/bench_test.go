package metrics

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"labelqa/app/dataset"
	"labelqa/app/demo"
)

// benchFiles writes rows canonical judgments and a golden set for about 5%
// of the items (every 20th item in file order, gold = the item's first
// judgment's label: deterministic, and close to what reviewers give).
func benchFiles(b *testing.B, dir string, rows int) (batch, goldPath string) {
	b.Helper()
	batch = filepath.Join(dir, "batch.csv")
	if err := demo.WriteCanonicalCSVFile(batch, rows, 1); err != nil {
		b.Fatal(err)
	}
	d, err := dataset.FromFiles(context.Background(), []string{batch}, "", dataset.Options{})
	if err != nil {
		b.Fatal(err)
	}
	goldPath = filepath.Join(dir, "gold.csv")
	g, _ := os.Create(goldPath)
	gw := bufio.NewWriter(g)
	fmt.Fprintln(gw, "item_id,label")
	seen := make([]bool, len(d.Items))
	for j, it := range d.Item {
		if !seen[it] {
			seen[it] = true
			if it%20 == 0 {
				fmt.Fprintf(gw, "%s,%s\n", d.Items[it], d.Labels[d.Label[j]])
			}
		}
	}
	gw.Flush()
	g.Close()
	return batch, goldPath
}

// BenchmarkMetricsFromCSV1M reads a million judgments and a golden set from
// files and computes everything "labelqa metrics" reports: agreement with
// pairwise tables, gold, per-reviewer scorecards, majority vote and 50
// Dawid-Skene rounds.
func BenchmarkMetricsFromCSV1M(b *testing.B) {
	dir := b.TempDir()
	batch, goldPath := benchFiles(b, dir, 1_000_000)
	o := DefaultOptions()
	o.DSIterations, o.DSTol = 50, 0
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		d, err := dataset.FromFiles(context.Background(), []string{batch}, goldPath, dataset.Options{})
		if err != nil {
			b.Fatal(err)
		}
		rep, err := Compute(context.Background(), d, o)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Counts.Annotations != 1_000_000 || rep.Gold == nil || len(rep.Annotators) == 0 || rep.Aggregation.DawidSkene.Iterations != 50 {
			b.Fatalf("unexpected report: %+v", rep.Counts)
		}
	}
}

// BenchmarkAnalyze1M analyses a million judgments already in memory (read
// once from the CSV of BenchmarkMetricsFromCSV1M, with its golden set) with
// the default options: "Analyze" is one Analyze and what "labelqa metrics"
// and "labelqa scorecard" read from it (the report and the reviewers'
// cards); "Analyze+groupings" adds every other grouping and the weekly
// series; "legacy" is the former Compute plus Scorecards, each preparing
// the data and running Dawid-Skene. Run side by side:
//
//	go test -run '^$' -bench Analyze1M -benchtime 3x ./app/metrics/
func BenchmarkAnalyze1M(b *testing.B) {
	dir := b.TempDir()
	batch, goldPath := benchFiles(b, dir, 1_000_000)
	d, err := dataset.FromFiles(context.Background(), []string{batch}, goldPath, dataset.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	o := DefaultOptions()
	check := func(rep *Report, sc *ScorecardReport) {
		if rep.Counts.Annotations != 1_000_000 || rep.Gold == nil || len(rep.Annotators) == 0 || len(sc.Cards) == 0 {
			b.Fatalf("unexpected report: %+v", rep.Counts)
		}
	}
	b.Run("Analyze", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCPU(b)()
		for b.Loop() {
			a, err := Analyze(ctx, d, o, nil)
			if err != nil {
				b.Fatal(err)
			}
			sc, _ := a.Scorecards(ByReviewer)
			check(a.Report(), sc)
		}
	})
	b.Run("Analyze+groupings", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCPU(b)()
		for b.Loop() {
			a, err := Analyze(ctx, d, o, nil)
			if err != nil {
				b.Fatal(err)
			}
			for by := range ByKeys {
				sc, _ := a.Scorecards(By(by))
				check(a.Report(), sc)
			}
			a.Weekly()
		}
	})
	b.Run("legacy", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCPU(b)()
		for b.Loop() {
			rep, err := legacyCompute(ctx, d, o)
			if err != nil {
				b.Fatal(err)
			}
			sc, err := legacyScorecards(ctx, d, "reviewer", o)
			if err != nil {
				b.Fatal(err)
			}
			check(rep, sc)
		}
	})
}

// reportCPU starts counting the process's CPU time (user + system, every
// goroutine) and returns the func that reports it per op as cpu-s/op: on a
// shared machine wall time depends on the neighbours, CPU time much less.
func reportCPU(b *testing.B) func() {
	start := cpuSeconds()
	return func() { b.ReportMetric((cpuSeconds()-start)/float64(b.N), "cpu-s/op") }
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime)
}
