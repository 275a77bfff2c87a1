package metrics

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"labelqa/app/dataset"
	"labelqa/app/project"
	"labelqa/app/query"
	"labelqa/app/store"
)

// filterBatch has a repeat of (c, x) in two queues, and annotator z whose
// vendor only its later row names.
const filterBatch = `item_id,annotator_id,label,vendor,market,queue,submitted_at
a,x,approve,V1,ID,live,2025-03-10T08:00:00Z
a,y,scam,V2,NO,live,2025-03-10T08:01:00Z
b,x,scam,V1,ID,live,2025-03-11T08:00:00Z
b,y,scam,V2,NO,practice,2025-03-11T08:01:00Z
c,x,approve,V1,ID,practice,2025-03-12T08:00:00Z
c,x,scam,V1,ID,live,2025-03-12T09:00:00Z
d,z,approve,,NO,live,2025-03-13T08:00:00Z
e,z,approve,V2,NO,live,2025-03-14T08:00:00Z
`

// g and h are gold-only items nobody labeled.
const filterGold = "item_id,label\na,approve\nb,scam\nc,approve\ng,approve\nh,scam\n"

// Every count and gold figure is the filter's, for a project and for the
// files it was imported from alike. Expected values are counted by hand
// from filterBatch after the duplicate policy (last: the 09:00 live row of
// (c, x) replaces the 08:00 practice one) and with z's vendor V2.
func TestCountsFollowFilter(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	batch, goldPath := filepath.Join(dir, "b.csv"), filepath.Join(dir, "g.csv")
	os.WriteFile(batch, []byte(filterBatch), 0o644)
	os.WriteFile(goldPath, []byte(filterGold), 0o644)
	proj := filepath.Join(dir, "p.lqa")
	labels := []string{"approve", "scam"}
	if err := project.Init(ctx, proj, labels, []string{"approve"}); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, proj)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := project.Import(ctx, s, batch, project.ImportOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := project.ImportGold(ctx, s, goldPath, project.GoldOptions{Version: "v1"}, nil); err != nil {
		t.Fatal(err)
	}
	day := func(d int) time.Time { return time.Date(2025, 3, d, 0, 0, 0, 0, time.UTC) }
	type want struct {
		items, annotators, annotations, goldItems, goldAnnotations, goldAnswered, fileDups int
	}
	for _, c := range []struct {
		name string
		f    query.Query
		want want
	}{
		{"none", query.Query{}, want{5, 3, 7, 5, 5, 3, 1}},
		{"vendor V1", query.Query{Vendor: "V1"}, want{3, 1, 3, 3, 3, 3, 1}},
		{"vendor V2", query.Query{Vendor: "V2"}, want{4, 2, 4, 2, 2, 2, 0}},
		{"queue practice", query.Query{Queue: "practice"}, want{1, 1, 1, 1, 1, 1, 0}},
		{"queue Live", query.Query{Queue: "Live"}, want{5, 3, 6, 3, 4, 3, 0}},
		{"market NO", query.Query{Market: "NO"}, want{4, 2, 4, 2, 2, 2, 0}},
		{"from 03-12", query.Query{From: day(12)}, want{3, 2, 3, 1, 1, 1, 1}},
		{"to 03-12", query.Query{To: day(12)}, want{2, 2, 4, 2, 4, 2, 0}},
		{"from 03-13 to 03-14", query.Query{From: day(13), To: day(14)}, want{1, 1, 1, 0, 0, 0, 0}},
	} {
		dp, err := dataset.FromStore(ctx, s, c.f)
		if err != nil {
			t.Fatal(err)
		}
		df, err := dataset.FromFiles(ctx, []string{batch}, goldPath, dataset.Options{Labels: labels, Query: c.f})
		if err != nil {
			t.Fatal(err)
		}
		var reports [2]string
		for si, src := range []struct {
			name string
			d    *dataset.Dataset
		}{{"project", dp}, {"files", df}} {
			rep, err := Compute(ctx, src.d, DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			k := rep.Counts
			// A golden set exists under every filter: gold is an object,
			// never null, even when no gold item is in scope.
			if rep.Gold == nil {
				t.Fatalf("%s, %s: gold is null", c.name, src.name)
			}
			gotGold := [2]int{rep.Gold.Annotations, rep.Gold.Items}
			got := want{k.Items, k.Annotators, k.Annotations, k.GoldItems, gotGold[0], gotGold[1], -1}
			if k.Duplicates != nil {
				got.fileDups = *k.Duplicates
			}
			w := c.want
			if src.name == "project" && c.name != "none" {
				w.fileDups = -1 // a filtered project cannot tell: null
			}
			if got != w {
				t.Errorf("%s, %s: got %+v, want %+v", c.name, src.name, got, w)
			}
			if len(k.Labels) != 2 {
				t.Errorf("%s, %s: labels %v", c.name, src.name, k.Labels)
			}
			rep.Counts.Duplicates = nil
			b, _ := json.Marshal(rep)
			reports[si] = string(b)
		}
		// Beyond the counts, the whole report agrees.
		if reports[0] != reports[1] {
			t.Errorf("%s: project and files differ:\n%s\n%s", c.name, reports[0], reports[1])
		}
	}
	// The JSON says null, not 0, for the duplicates a filtered project
	// cannot count.
	dp, _ := dataset.FromStore(ctx, s, query.Query{Vendor: "V1"})
	rep, _ := Compute(ctx, dp, DefaultOptions())
	b, _ := json.Marshal(rep.Counts)
	if want := `{"items":3,"annotators":1,"annotations":3,"gold_items":3,"duplicates":null,"labels":["approve","scam"]}`; string(b) != want {
		t.Errorf("counts JSON %s, want %s", b, want)
	}
}
