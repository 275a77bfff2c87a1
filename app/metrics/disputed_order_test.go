package metrics

import (
	"context"
	"testing"
)

// gold.disputed lists the strongest evidence first: items where both tests
// fire, then by the suggested label's posterior; each carries its votes.
// (Ordered by skilled reviewers first, an item whose posterior still backed
// gold at 0.999 came before items the posterior contradicted.)
func TestDisputedOrderAndVotes(t *testing.T) {
	d, _ := demoDataset(t, 1)
	rep, err := Compute(context.Background(), d, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	disp := rep.Gold.Disputed
	if len(disp) < 2 {
		t.Fatalf("%d disputes", len(disp))
	}
	tests := func(g DisputedGold) int {
		n := 0
		for _, b := range []bool{g.ByPosterior, g.ByReviewers} {
			if b {
				n++
			}
		}
		return n
	}
	for i, g := range disp {
		n := 0
		for _, v := range g.Votes {
			n += v
		}
		if n < 1 || g.Votes[g.Suggested] < 1 && g.ByReviewers {
			t.Errorf("%s: votes %v", g.Item, g.Votes)
		}
		if i == 0 {
			continue
		}
		p := disp[i-1]
		if tests(p) < tests(g) || tests(p) == tests(g) && p.Posterior < g.Posterior {
			t.Errorf("dispute %d (%s, tests %d, posterior %v) after %s (tests %d, posterior %v)",
				i, g.Item, tests(g), g.Posterior, p.Item, tests(p), p.Posterior)
		}
	}
}
