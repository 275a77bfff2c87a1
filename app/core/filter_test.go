package core

import (
	"context"
	"math"
	"reflect"
	"testing"
	"time"

	"labelqa/app/dataset"
	"labelqa/app/demo"
)

// sameDataset compares every field of two Datasets, NaN durations equal.
func sameDataset(t *testing.T, name string, got, want *dataset.Dataset) {
	t.Helper()
	g, w := *got, *want
	if len(g.Duration) != len(w.Duration) {
		t.Fatalf("%s: %d durations, want %d", name, len(g.Duration), len(w.Duration))
	}
	for j := range g.Duration {
		if math.Float64bits(g.Duration[j]) != math.Float64bits(w.Duration[j]) {
			t.Fatalf("%s: duration %d is %v, want %v", name, j, g.Duration[j], w.Duration[j])
		}
	}
	g.Duration, w.Duration = nil, nil
	gv, wv := reflect.ValueOf(g), reflect.ValueOf(w)
	for i := range gv.NumField() {
		if !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
			t.Fatalf("%s: field %s differs:\n got %v\nwant %v", name, gv.Type().Field(i).Name, gv.Field(i).Interface(), wv.Field(i).Interface())
		}
	}
}

// TestFilterDatasetAsStore: a filtered query taken in memory from the
// unfiltered Dataset is, field by field, the Dataset the store's SQL reads
// for it, on the demo project (three vendors and markets, five queues,
// times over four weeks, gold).
func TestFilterDatasetAsStore(t *testing.T) {
	ctx := context.Background()
	path, _, err := CreateDemo(ctx, t.TempDir(), demo.Options{Items: 300, Seed: 3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	full, err := p.Data(ctx, Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(full.Queues) < 2 || len(full.SOPs) < 1 || full.GoldItems == 0 {
		t.Fatalf("the demo lacks variety: queues %v, SOPs %v, %d gold items", full.Queues, full.SOPs, full.GoldItems)
	}
	mid := time.UnixMilli(full.At[len(full.At)/2]).UTC()
	for _, c := range []struct {
		name string
		q    Query
	}{
		{"vendor", Query{Vendor: full.Annotators[0].Vendor}},
		{"market", Query{Market: full.Annotators[len(full.Annotators)-1].Market}},
		{"queue in capitals", Query{Queue: "PRACTICE"}},
		{"queue", Query{Queue: full.Queues[len(full.Queues)-1]}},
		{"from", Query{From: mid}},
		{"to", Query{To: mid}},
		{"window and vendor", Query{From: mid.Add(-72 * time.Hour), To: mid, Vendor: full.Annotators[0].Vendor}},
		{"no such vendor", Query{Vendor: "nobody"}},
		{"team", Query{Team: full.Annotators[0].Team}},
		{"reviewer", Query{Reviewer: full.Annotators[1].ID}},
		{"SOP version", Query{SOP: full.SOPs[len(full.SOPs)-1]}},
		{"vendor scope", Query{}.WithinVendor(full.Annotators[0].Vendor)},
		{"scope and another vendor", Query{Vendor: "nobody"}.WithinVendor(full.Annotators[0].Vendor)},
		{"empty window", Query{From: time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2001, 2, 1, 0, 0, 0, 0, time.UTC)}},
	} {
		want, err := dataset.FromStore(ctx, p.s, c.q)
		if err != nil {
			t.Fatal(err)
		}
		got, err := p.Data(ctx, c.q)
		if err != nil {
			t.Fatal(err)
		}
		if c.name != "no such vendor" && c.name != "empty window" && c.name != "scope and another vendor" && (want.Len() == 0 || want.Len() == full.Len()) {
			t.Fatalf("%s: the store keeps %d of %d judgments: not a test of the filter", c.name, want.Len(), full.Len())
		}
		sameDataset(t, c.name, got, want)
	}
	// The unfiltered query again is the cached Dataset itself.
	if again, _ := p.Data(ctx, Query{}); again != full {
		t.Error("the unfiltered Dataset was read again")
	}
}
