package metrics

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"labelqa/app/dataset"
)

// TestMetricsManyLabelsMemory: "labelqa metrics" on 20,000 judgments with
// 3,000 labels and 50 reviewers (3-5 per item, gold for about 10% of the
// items) took over 20 GB and panicked: a labels² pairwise table per reviewer
// pair, then q×q identity, coincidence, distance, weight and confusion
// matrices (72 MB each). It must now allocate well under 1 GB.
func TestMetricsManyLabelsMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates a few hundred MB")
	}
	dir := t.TempDir()
	path, goldPath := filepath.Join(dir, "many.csv"), filepath.Join(dir, "gold.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	g, err := os.Create(goldPath)
	if err != nil {
		t.Fatal(err)
	}
	w, gw := bufio.NewWriter(f), bufio.NewWriter(g)
	fmt.Fprintln(w, "item_id,annotator_id,label")
	fmt.Fprintln(gw, "item_id,label")
	rng := rand.New(rand.NewPCG(7, 1))
	for i, n := 0, 0; n < 20_000; i++ {
		k, m := rng.IntN(3000), 3+rng.IntN(3)
		for _, r := range rng.Perm(50)[:m] {
			l := k
			if rng.IntN(4) == 0 {
				l = rng.IntN(3000)
			}
			fmt.Fprintf(w, "it%d,rev%d,lab%d\n", i, r, l)
			n++
		}
		if rng.IntN(10) == 0 {
			fmt.Fprintf(gw, "it%d,lab%d\n", i, k)
		}
	}
	w.Flush()
	gw.Flush()
	f.Close()
	g.Close()
	d, err := dataset.FromFiles(context.Background(), []string{path}, goldPath, dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Labels) < 2500 || len(d.Annotators) != 50 {
		t.Fatalf("%d labels, %d annotators", len(d.Labels), len(d.Annotators))
	}
	o := DefaultOptions()
	o.DSIterations = 3
	var rep *Report
	alloc := allocated(t, func() (err error) {
		rep, err = Compute(context.Background(), d, o)
		return err
	})
	t.Logf("%d labels: metrics allocated %.0f MB", len(d.Labels), float64(alloc)/1e6)
	if alloc > 600e6 {
		t.Errorf("metrics allocated %.0f MB, want under 600 MB", float64(alloc)/1e6)
	}
	if rep.Agreement == nil || len(rep.Agreement.Pairwise) < 1000 || rep.Gold == nil || len(rep.Gold.Confusion.Matrix) != len(d.Labels) {
		t.Fatalf("incomplete report")
	}
}
