package store

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"labelqa/app/targets"
)

func TestTargetsRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, err := Create(ctx, filepath.Join(t.TempDir(), "p.lqa"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	set := func(tg targets.Target) {
		t.Helper()
		if err := s.SetTarget(ctx, tg); err != nil {
			t.Fatal(err)
		}
	}
	set(targets.Target{Metric: "gold_accuracy", Target: 0.9, Amber: 0.85})
	set(targets.Target{Metric: "gold_accuracy", Vendor: "V", Market: "NO", Target: 0.95, Amber: math.NaN()})
	set(targets.Target{Metric: "gold_accuracy", Target: 0.92, Amber: 0.88}) // replaces the first
	got, err := s.Targets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Target != 0.92 || got[0].Amber != 0.88 || got[1].Vendor != "V" || got[1].Market != "NO" || got[1].HasAmber() {
		t.Fatalf("targets = %+v", got)
	}
	if ok, err := s.DeleteTarget(ctx, "gold_accuracy", "V", "", "NO"); !ok || err != nil {
		t.Fatalf("delete: %v %v", ok, err)
	}
	if ok, _ := s.DeleteTarget(ctx, "gold_accuracy", "V", "", "NO"); ok {
		t.Fatal("deleted twice")
	}
	if got, _ := s.Targets(ctx); len(got) != 1 {
		t.Fatalf("after delete: %+v", got)
	}
}
