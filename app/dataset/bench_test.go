package dataset_test

import (
	"context"
	"path/filepath"
	"testing"

	"labelqa/app/dataset"
	"labelqa/app/demo"
	"labelqa/app/project"
	"labelqa/app/query"
	"labelqa/app/store"
)

// BenchmarkFromStore1M reads a project of a million judgments into a
// Dataset, as "labelqa metrics PROJECT" and the workbench do.
func BenchmarkFromStore1M(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	csv := filepath.Join(dir, "big.csv")
	if err := demo.WriteCanonicalCSVFile(csv, 1_000_000, 1); err != nil {
		b.Fatal(err)
	}
	s, err := store.Create(ctx, filepath.Join(dir, "p.lqa"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := project.Import(ctx, s, csv, project.ImportOptions{}, nil); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		d, err := dataset.FromStore(ctx, s, query.Query{})
		if err != nil {
			b.Fatal(err)
		}
		if d.Len() != 1_000_000 {
			b.Fatalf("%d judgments", d.Len())
		}
	}
}
