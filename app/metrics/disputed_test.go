package metrics

import (
	"context"
	"testing"

	"labelqa/app/dataset"
	"labelqa/app/demo"
	"labelqa/app/project"
	"labelqa/app/query"
	"labelqa/app/store"
)

// The demo sample plants wrong gold answers; the report must put them
// among the disputed gold items, with the label reviewers actually give.
func TestDisputedGoldFindsPlantedWrongGold(t *testing.T) {
	ctx := context.Background()
	d, res := demoDataset(t, 3)
	rep, err := Compute(ctx, d, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Gold == nil {
		t.Fatal("no gold in the demo project")
	}
	rank := map[string]int{}
	for i, g := range rep.Gold.Disputed {
		rank[g.Item] = i
	}
	for _, w := range res.Planted.WrongGold {
		i, ok := rank[w.ItemID]
		if !ok {
			t.Errorf("planted wrong gold %s (gold %s, true %s) is not disputed", w.ItemID, w.GoldLabel, w.TrueLabel)
			continue
		}
		g := rep.Gold.Disputed[i]
		if g.Gold != w.GoldLabel || g.Suggested != w.TrueLabel {
			t.Errorf("%s disputed as %s -> %s, want %s -> %s", w.ItemID, g.Gold, g.Suggested, w.GoldLabel, w.TrueLabel)
		}
		if i >= 10 {
			t.Errorf("%s ranks %d among %d disputes; the strongest evidence should come first", w.ItemID, i+1, len(rep.Gold.Disputed))
		}
	}
	t.Logf("%d disputed gold items; %d planted", len(rep.Gold.Disputed), len(res.Planted.WrongGold))
}

// demoDataset makes the demo project of seed in a temporary folder and
// reads it back as a Dataset.
func demoDataset(t *testing.T, seed int64) (*dataset.Dataset, demo.Result) {
	t.Helper()
	ctx := context.Background()
	path, res, err := project.CreateDemo(ctx, t.TempDir(), demo.Options{Seed: seed}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	d, err := dataset.FromStore(ctx, s, query.Query{})
	if err != nil {
		t.Fatal(err)
	}
	return d, res
}
