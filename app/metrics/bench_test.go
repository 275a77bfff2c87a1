package metrics

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
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
