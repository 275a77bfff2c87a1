package metrics

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"labelqa/analysis/agreement"
	"labelqa/analysis/truth"
	"labelqa/app/dataset"
)

// countDS makes dawidSkene count its calls for the test's duration.
func countDS(t *testing.T) *atomic.Int64 {
	t.Helper()
	var n atomic.Int64
	orig := dawidSkene
	dawidSkene = func(item, rater, label []int32, nItems, nRaters, q int, o *truth.DSOptions) truth.DSResult {
		n.Add(1)
		return orig(item, rater, label, nItems, nRaters, q, o)
	}
	t.Cleanup(func() { dawidSkene = orig })
	return &n
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sameAsLegacy checks that one Analyze gives the report and every
// grouping's scorecards of the former Compute and Scorecards, byte for byte
// in JSON, and that it ran Dawid-Skene once for all of them.
func sameAsLegacy(t *testing.T, name string, d *dataset.Dataset, o Options) {
	t.Helper()
	ctx := context.Background()
	calls := countDS(t)
	a, err := Analyze(ctx, d, o, nil)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	got := jsonOf(t, a.Report())
	cards := map[string]string{}
	for b := range ByKeys {
		sc, err := a.Scorecards(By(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		cards[ByKeys[b]] = jsonOf(t, sc)
	}
	a.Weekly()
	want := int64(1)
	if len(d.Labels) == 0 {
		want = 0 // nothing to infer
	}
	if n := calls.Load(); n != want {
		t.Errorf("%s: Dawid-Skene ran %d times for one analysis, its report, every grouping and the weekly series", name, n)
	}
	old, err := legacyCompute(ctx, d, o)
	if err != nil {
		t.Fatal(err)
	}
	if want := jsonOf(t, old); got != want {
		t.Errorf("%s: Report differs from the former Compute:\n%s\nwant\n%s", name, got, want)
	}
	for _, by := range ByKeys {
		old, err := legacyScorecards(ctx, d, by, o)
		if err != nil {
			t.Fatal(err)
		}
		if want := jsonOf(t, old); cards[by] != want {
			t.Errorf("%s: Scorecards(%s) differs from the former Scorecards:\n%s\nwant\n%s", name, by, cards[by], want)
		}
	}
}

func TestAnalyzeSameAsLegacyDemo(t *testing.T) {
	d, _ := demoDataset(t, 1)
	sameAsLegacy(t, "demo", d, DefaultOptions())
	o := DefaultOptions()
	o.Weights, o.Ties, o.DSSmoothing = agreement.Quadratic, truth.TiesFractional, 0.5
	sameAsLegacy(t, "demo, quadratic, fractional, smoothed", d, o)
	o = DefaultOptions()
	o.Weights, o.Level, o.LevelSet, o.Ties, o.Seed, o.DSIterations, o.DSTol = agreement.Linear, agreement.Nominal, true, truth.TiesRandom, 7, 5, 0
	sameAsLegacy(t, "demo, linear, nominal set, random", d, o)
	o = DefaultOptions()
	o.AllowLabels = []string{"misleading_claims"}
	sameAsLegacy(t, "demo, allow labels", d, o)
}

func TestAnalyzeSameAsLegacySmall(t *testing.T) {
	sameAsLegacy(t, "two raters", filesDataset(t, twoRaters, "item_id,label\na,approve\nb,scam\nz,approve\n", "approve", "scam"), DefaultOptions())
	sameAsLegacy(t, "no judgments", &dataset.Dataset{Labels: []string{"approve", "scam"}}, DefaultOptions())
	sameAsLegacy(t, "no labels", &dataset.Dataset{}, DefaultOptions())
}

func TestAnalyzeSameAsLegacyReference(t *testing.T) {
	var meta map[string]refMeta
	files, _ := filepath.Glob(filepath.Join(refDir, "*.csv"))
	if len(files) == 0 {
		t.Skip("no reference CSV files")
	}
	loadJSON(t, "datasets_meta.json", &meta)
	for _, path := range files {
		file := filepath.Base(path)
		d, err := dataset.FromFiles(context.Background(), []string{path}, "", dataset.Options{Labels: meta[file].Categories})
		if err != nil {
			continue // the precision/recall file is not a batch
		}
		sameAsLegacy(t, file, d, DefaultOptions())
		sameAsLegacy(t, file+", quadratic, interval", d, named("quadratic", "interval"))
	}
}

func TestAnalyzeProgress(t *testing.T) {
	d, _ := demoDataset(t, 2)
	for _, d := range []*dataset.Dataset{d, {}} {
		var seen []string
		last := 0
		_, err := Analyze(context.Background(), d, DefaultOptions(), func(step string, done, total int) {
			if total != len(Steps) || done != last+1 {
				t.Errorf("progress %s %d/%d after %d", step, done, total, last)
			}
			last = done
			seen = append(seen, step)
		})
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(seen)
		want := slices.Sorted(slices.Values(Steps))
		if !slices.Equal(seen, want) {
			t.Errorf("steps %v, want each of %v once", seen, want)
		}
	}
}

func TestAnalyzeCancelled(t *testing.T) {
	d, _ := demoDataset(t, 3)
	ctx, cancel := context.WithCancel(context.Background())
	_, err := Analyze(ctx, d, DefaultOptions(), func(step string, _, _ int) {
		if step == StepPrepare {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
}

// Reading an analysis from several goroutines (the race detector checks
// that nothing is written) gives the same figures each time.
func TestAnalysisReadOnly(t *testing.T) {
	d, _ := demoDataset(t, 4)
	a, err := Analyze(context.Background(), d, DefaultOptions(), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := jsonOf(t, a.Report())
	wantCards, _ := a.Scorecards(ByVendor)
	done := make(chan string, 4)
	for range 4 {
		go func() {
			r := a.Report()
			r.Counts = Counts{} // a face may replace top-level fields
			sc, _ := a.Scorecards(ByVendor)
			a.Weekly()
			b, _ := json.Marshal(sc)
			done <- string(b)
		}()
	}
	wb, _ := json.Marshal(wantCards)
	for range 4 {
		if got := <-done; got != string(wb) {
			t.Errorf("vendor cards changed:\n%s", got)
		}
	}
	if got := jsonOf(t, a.Report()); got != want {
		t.Error("the report changed after it was read")
	}
}

func TestWeekly(t *testing.T) {
	batch := `item_id,annotator_id,label,vendor,queue,round,submitted_at
a,x,approve,V1,live,1,2025-03-10T08:00:00Z
a,q,scam,QA,2rqa,2,2025-03-17T08:00:00Z
b,x,scam,V1,live,1,2025-03-16T23:59:00Z
b,q,scam,QA,2rqa,2,2025-03-17T09:00:00Z
c,y,approve,V2,live,1,2024-12-31T09:00:00Z
c,q,approve,QA,live,2,
`
	d := filesDataset(t, batch, "item_id,label\na,approve\nb,scam\n", "approve", "scam")
	a, err := Analyze(context.Background(), d, DefaultOptions(), nil)
	if err != nil {
		t.Fatal(err)
	}
	w := a.Weekly()
	type row struct {
		key, start     string
		n, gold, right int
	}
	var got []row
	for _, p := range w {
		right := 0
		if p.GoldAccuracy.Value.OK() {
			right = int(float64(p.GoldAccuracy.Value)*float64(p.GoldAnnotations) + 0.5)
		}
		got = append(got, row{p.Key, p.Start.Format(time.RFC3339), p.Annotations, p.GoldAnnotations, right})
	}
	want := []row{
		{"2025-W01", "2024-12-30T00:00:00Z", 1, 0, 0},
		{"2025-W11", "2025-03-10T00:00:00Z", 2, 2, 2},
		{"2025-W12", "2025-03-17T00:00:00Z", 2, 2, 1},
	}
	if !slices.Equal(got, want) {
		t.Errorf("weekly %+v, want %+v", got, want)
	}
	sc, _ := a.Scorecards(ByWeek)
	for i, c := range sc.Cards {
		if jsonOf(t, c) != jsonOf(t, w[i].Card) {
			t.Errorf("week %s: series and scorecard differ", c.Key)
		}
	}
	if got := isoWeekStart("2026-W53"); got.Format("2006-01-02") != "2026-12-28" {
		t.Errorf("2026-W53 starts %v", got)
	}
}
