package metrics

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"labelqa/app/dataset"
)

// TestScorecardsManyLabelsMemory: "labelqa scorecard" on 20,000 judgments
// with 3,000 labels and 50 reviewers peaked at 14.6 GB, all of it
// Dawid-Skene's four reviewers×labels² tables (3.6 GB each). It must now
// allocate well under 1 GB.
func TestScorecardsManyLabelsMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates a few hundred MB")
	}
	path := filepath.Join(t.TempDir(), "big.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "item_id,annotator_id,label")
	rng := rand.New(rand.NewPCG(1, 1))
	for i := 0; i < 20_000/3; i++ {
		k, a := rng.IntN(3000), rng.IntN(50)
		for x := 0; x < 3; x++ {
			l := k
			if rng.IntN(4) == 0 {
				l = rng.IntN(3000)
			}
			fmt.Fprintf(w, "it%d,rev%d,lab%d\n", i, (a+7*x)%50, l)
		}
	}
	w.Flush()
	f.Close()
	d, err := dataset.FromFiles(context.Background(), []string{path}, "", dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Labels) < 2500 {
		t.Fatalf("only %d labels", len(d.Labels))
	}
	o := DefaultOptions()
	o.DSIterations = 3
	var rep *ScorecardReport
	alloc := allocated(t, func() (err error) {
		rep, err = Scorecards(context.Background(), d, ByVendor, o)
		return err
	})
	t.Logf("%d labels: scorecard allocated %.0f MB", len(d.Labels), float64(alloc)/1e6)
	if alloc > 700e6 {
		t.Errorf("scorecard allocated %.0f MB, want under 700 MB", float64(alloc)/1e6)
	}
	if len(rep.Cards) != 1 {
		t.Errorf("%d cards", len(rep.Cards))
	}
}

// allocated runs fn after a collection and returns the bytes it allocated
// (TotalAlloc: what it asked for, whatever the collector returned since).
func allocated(t *testing.T, fn func() error) uint64 {
	t.Helper()
	runtime.GC()
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	err := fn()
	runtime.ReadMemStats(&b)
	if err != nil {
		t.Fatal(err)
	}
	return b.TotalAlloc - a.TotalAlloc
}
