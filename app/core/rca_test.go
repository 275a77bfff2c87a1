package core

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"labelqa/app/demo"
	"labelqa/app/metrics"
)

// rcaBatch is a hand-built batch: four gold items, one without gold. The
// expected figures of TestRCAHandBuilt are counted from it by hand (see
// the comments there). Text starts with = + - @ and holds a tab, as input
// text may.
const rcaBatch = `item_id,annotator_id,label,vendor,market,sop_version,content,comment,root_cause,error_category
g1,r1,approve,VA,ID,v3,=1+1 cure in 3 days,+looks fine,sop_ambiguity,
g1,r2,approve,VA,ID,v3,=1+1 cure in 3 days,,,
g1,r3,misleading_claims,VB,NO,v4,=1+1 cure in 3 days,,,
g2,r1,approve,VA,ID,v3,"@everyone	buy",,SOP ambiguity,
g2,r2,misleading_claims,VA,ID,v3,"@everyone	buy",,,
g2,r3,approve,VB,NO,v4,"@everyone	buy",-ok,,missed_violation
g3,r1,misleading_claims,VA,ID,v3,invest now,,,
g3,r3,approve,VB,NO,v4,invest now,,training_gap,
g4,r2,scam,VA,ID,v3,shoes sale,,,
g4,r3,approve,VB,NO,v4,shoes sale,,,
n1,r1,scam,VA,ID,v3,no gold here,,,
`

const rcaGold = `item_id,label,rationale,sop_section
g1,misleading_claims,Cure claim,4.1 Misleading
g2,misleading_claims,"=HYPERLINK(""x"")",4.1 Misleading
g3,scam,Guaranteed returns,
g4,approve,Plain offer,2.1 No violation
`

func rcaProject(t *testing.T) *Project {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	p, err := Create(ctx, filepath.Join(dir, "rca.lqa"), []string{"approve", "misleading_claims", "scam"}, []string{"approve"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	for name, text := range map[string]string{"batch.csv": rcaBatch, "gold.csv": rcaGold} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.Import(ctx, filepath.Join(dir, "batch.csv"), ImportOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := p.ImportGold(ctx, filepath.Join(dir, "gold.csv"), GoldOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	return p
}

type pairWant struct {
	gold, given string
	count       int64
	share, cum  float64
}

func checkPairs(t *testing.T, what string, got []ConfusedPair, want []pairWant) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d pairs %+v, want %d", what, len(got), got, len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Gold != w.gold || g.Given != w.given || g.Count != w.count || math.Abs(g.Share-w.share) > 1e-12 || math.Abs(g.Cumulative-w.cum) > 1e-12 {
			t.Errorf("%s pair %d: %+v, want %+v", what, i, g, w)
		}
	}
}

// TestRCAHandBuilt checks every part of the RCA of rcaBatch against counts
// made by hand. Errors (gold → given): misleading_claims → approve on g1 by
// r1 and r2 and on g2 by r1 and r3 (4); scam → misleading_claims g3/r1,
// scam → approve g3/r3, approve → scam g4/r2 (1 each): 7 errors of 10
// judgments on gold items. The three pairs of 1 follow in label order
// (approve, misleading_claims, scam) of gold, then of given.
func TestRCAHandBuilt(t *testing.T) {
	ctx := context.Background()
	p := rcaProject(t)
	for _, tg := range []Tag{
		{Item: "g1", Annotator: "r2", Cause: "sop_ambiguity"},
		{Item: "g2", Cause: "SOP-ambiguity", Note: "=cmd|' /C calc'!A0"}, // the item: both its errors
		{Item: "g3", Annotator: "r1", Cause: "wrong_gold"},
	} {
		if _, err := p.AddTag(ctx, tg); err != nil {
			t.Fatal(err)
		}
	}
	a, err := p.Analyze(ctx, Query{}, metrics.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := p.RCA(ctx, a, Query{}, RCAOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.HasGold || r.Judgments != 10 || r.Errors != 7 || math.Abs(r.ErrorRate-0.7) > 1e-12 {
		t.Fatalf("judgments %d, errors %d, rate %v; want 10, 7, 0.7", r.Judgments, r.Errors, r.ErrorRate)
	}
	checkPairs(t, "overall", r.Pairs, []pairWant{
		{"misleading_claims", "approve", 4, 4.0 / 7, 4.0 / 7},
		{"approve", "scam", 1, 1.0 / 7, 5.0 / 7},
		{"scam", "approve", 1, 1.0 / 7, 6.0 / 7},
		{"scam", "misleading_claims", 1, 1.0 / 7, 1},
	})
	// Sections: g1, g2 "4.1 Misleading"; g3 has none, so its gold label's
	// name; g4 "2.1 No violation"; n1 (no gold) enters no matrix.
	type groupWant struct {
		key               string
		judgments, errors int64
	}
	checkGroups := func(what string, got []RCAGroup, want []groupWant) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: %d groups %+v, want %d", what, len(got), got, len(want))
		}
		for i, w := range want {
			if got[i].Key != w.key || got[i].Judgments != w.judgments || got[i].Errors != w.errors {
				t.Errorf("%s group %d: %s %d/%d, want %s %d/%d", what, i, got[i].Key, got[i].Errors, got[i].Judgments, w.key, w.errors, w.judgments)
			}
		}
	}
	checkGroups("section", r.BySection, []groupWant{{"4.1 Misleading", 6, 4}, {"scam", 2, 2}, {"2.1 No violation", 2, 1}})
	checkPairs(t, "section scam", r.BySection[1].Pairs, []pairWant{{"scam", "approve", 1, 0.5, 0.5}, {"scam", "misleading_claims", 1, 0.5, 1}})
	// r1 and r2 (VA, ID) work under v3, r3 (VB, NO) under v4.
	checkGroups("sop", r.BySOP, []groupWant{{"v3", 6, 5}, {"v4", 4, 2}})
	checkGroups("vendor", r.ByVendor, []groupWant{{"VA", 6, 5}, {"VB", 4, 2}})
	checkGroups("market", r.ByMarket, []groupWant{{"ID", 6, 5}, {"NO", 4, 2}})

	// The top pair: all four errors are sop_ambiguity (g1/r1 and g2/r1 by
	// file, g1/r2 and g2's both by tag); three carry a tag.
	top := r.Top[0]
	if top.TopCause != "sop_ambiguity" || top.TopCauseShare != 1 || top.Tagged["sop_ambiguity"] != 3 || top.Stored["sop_ambiguity"] != 2 {
		t.Errorf("top pair causes: %s %v, tagged %v, stored %v", top.TopCause, top.TopCauseShare, top.Tagged, top.Stored)
	}
	// Examples: one per item, in the project's order: g1 by r1, g2 by r1.
	if len(top.Examples) != 2 {
		t.Fatalf("examples %+v", top.Examples)
	}
	e := top.Examples[0]
	if e.Item != "g1" || e.Annotator != "r1" || e.Content != "=1+1 cure in 3 days" || e.Comment != "+looks fine" ||
		e.Rationale != "Cure claim" || e.Gold != "misleading_claims" || e.Given != "approve" || e.SOPSection != "4.1 Misleading" {
		t.Errorf("first example %+v", e)
	}
	if e := top.Examples[1]; e.Item != "g2" || e.Content != "@everyone\tbuy" || e.Rationale != `=HYPERLINK("x")` || !slices.Equal(e.Causes, []string{"sop_ambiguity"}) ||
		!slices.Equal(e.Notes, []string{"=cmd|' /C calc'!A0"}) {
		t.Errorf("second example %+v", e)
	}

	causes := map[string]CauseCount{}
	for _, c := range r.Causes {
		causes[c.Cause] = c
	}
	if got := r.Causes[0].Cause; got != "sop_ambiguity" || len(r.Causes) != 7 {
		t.Errorf("causes listed %d, first %s", len(r.Causes), got)
	}
	for _, w := range []struct {
		cause                  string
		stored, tagged, errors int64
		section, pair          string
	}{
		{"sop_ambiguity", 2, 3, 4, "4.1 Misleading", "misleading_claims>approve"},
		{"training_gap", 1, 0, 1, "scam", "scam>approve"},
		{"wrong_gold", 0, 1, 1, "scam", "scam>misleading_claims"},
		{"carelessness", 0, 0, 0, "", ""},
	} {
		c := causes[w.cause]
		pair := ""
		if c.TopPair != nil {
			pair = c.TopPair.Gold + ">" + c.TopPair.Given
		}
		if c.Stored != w.stored || c.Tagged != w.tagged || c.Errors != w.errors || c.TopSection != w.section || pair != w.pair {
			t.Errorf("cause %s: %+v (pair %s), want %+v", w.cause, c, pair, w)
		}
	}
	if r.Untagged != 1 { // approve → scam on g4
		t.Errorf("untagged %d, want 1", r.Untagged)
	}
	if len(r.Categories) != 1 || r.Categories[0] != (NameCount{"missed_violation", 1, 1.0 / 7}) {
		t.Errorf("categories %+v", r.Categories)
	}
	// g1 and g2: two of three judgments give approve against gold
	// misleading_claims; g3 and g4 are ties.
	var disputed []string
	for _, x := range r.Disputed {
		disputed = append(disputed, x.Item+":"+x.Suggested)
		if !x.ByMajority || x.Votes["approve"] != 2 {
			t.Errorf("disputed %+v", x)
		}
	}
	slices.Sort(disputed)
	if !slices.Equal(disputed, []string{"g1:approve", "g2:approve"}) {
		t.Errorf("disputed %v", disputed)
	}

	// A filter: vendor VB's judgments only (r3).
	q := Query{Vendor: "VB"}
	av, err := p.Analyze(ctx, q, metrics.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rv, err := p.RCA(ctx, av, q, RCAOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkPairs(t, "VB", rv.Pairs, []pairWant{{"misleading_claims", "approve", 1, 0.5, 0.5}, {"scam", "approve", 1, 0.5, 1}})
	if c := rv.Top[0]; c.Tagged["sop_ambiguity"] != 1 || len(c.Examples) != 1 || c.Examples[0].Comment != "-ok" {
		t.Errorf("VB top pair %+v", c)
	}
}

// TestRCAMatchesConfusion: on the demo project, the RCA's pairs are the
// analysis's confusion matrix off its diagonal, and every breakdown's
// groups sum to it cell by cell.
func TestRCAMatchesConfusion(t *testing.T) {
	ctx := context.Background()
	path, _, err := CreateDemo(ctx, t.TempDir(), demo.Options{Items: 300, Seed: 5}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	for _, q := range []Query{{}, {Queue: "live"}} {
		a, err := p.Analyze(ctx, q, metrics.Options{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		r, err := p.RCA(ctx, a, q, RCAOptions{})
		if err != nil {
			t.Fatal(err)
		}
		c := a.Report().Gold.Confusion
		idx := func(l string) int { return slices.Index(c.Labels, l) }
		var errs int64
		cells := map[[2]int]int64{}
		for g, row := range c.Matrix {
			for k, n := range row {
				if g != k && n > 0 {
					errs += n
					cells[[2]int{g, k}] = n
				}
			}
		}
		if r.Errors != errs || len(r.Pairs) != len(cells) || errs == 0 {
			t.Fatalf("%+v: errors %d, pairs %d; confusion has %d errors in %d cells", q, r.Errors, len(r.Pairs), errs, len(cells))
		}
		for _, pr := range r.Pairs {
			if cells[[2]int{idx(pr.Gold), idx(pr.Given)}] != pr.Count {
				t.Errorf("%+v: pair %s → %s counts %d, confusion %d", q, pr.Gold, pr.Given, pr.Count, cells[[2]int{idx(pr.Gold), idx(pr.Given)}])
			}
		}
		for name, groups := range map[string][]RCAGroup{"section": r.BySection, "sop": r.BySOP, "vendor": r.ByVendor, "market": r.ByMarket} {
			sum := map[[2]int]int64{}
			var judgments int64
			for _, g := range groups {
				judgments += g.Judgments
				for _, pr := range g.Pairs {
					sum[[2]int{idx(pr.Gold), idx(pr.Given)}] += pr.Count
				}
			}
			if judgments != int64(a.Report().Gold.Annotations) || len(sum) != len(cells) {
				t.Errorf("%+v by %s: %d judgments, %d cells; want %d, %d", q, name, judgments, len(sum), a.Report().Gold.Annotations, len(cells))
			}
			for k, n := range cells {
				if sum[k] != n {
					t.Errorf("%+v by %s: cell %v sums to %d, want %d", q, name, k, sum[k], n)
				}
			}
		}
		// Every error has its note: examples carry the gold rationale.
		for _, tp := range r.Top {
			for _, e := range tp.Examples {
				if e.Rationale == "" || e.SOPSection == "" {
					t.Errorf("example without rationale or section: %+v", e)
				}
			}
		}
	}
}

// TestAddTagRefuses: an unknown cause, item or annotator is refused, saying
// what to do; nothing is stored.
func TestAddTagRefuses(t *testing.T) {
	ctx := context.Background()
	p := rcaProject(t)
	for _, c := range []struct {
		tag  Tag
		is   error
		want string
	}{
		{Tag{Item: "g1", Cause: "laziness"}, nil, "choose one of sop_ambiguity, training_gap"},
		{Tag{Item: "G1", Cause: "other"}, ErrNoItem, `item "G1" is not in the project`},
		{Tag{Item: "g1", Annotator: "r9", Cause: "other"}, ErrNoJudgment, "name one of its annotators (r1, r2, r3)"},
	} {
		_, err := p.AddTag(ctx, c.tag)
		if err == nil || !strings.Contains(err.Error(), c.want) || (c.is != nil && !errors.Is(err, c.is)) {
			t.Errorf("%+v: %v, want %q", c.tag, err, c.want)
		}
	}
	tags, err := p.Tags(ctx, Query{})
	if err != nil || len(tags) != 0 {
		t.Fatalf("tags after refusals: %v, %v", tags, err)
	}
	if _, err := p.AddTag(ctx, Tag{Item: "g2", Annotator: "r3", Cause: "Training Gap", Note: " n "}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.AddTag(ctx, Tag{Item: "g1", Cause: "other"}); err != nil {
		t.Fatal(err)
	}
	// Vendor VA: r3's tag is VB's judgment, not in scope; g1's item tag is
	// (VA labeled g1).
	for _, c := range []struct {
		q    Query
		want string
	}{{Query{}, "g2/r3/training_gap/ n ,g1//other/"}, {Query{Vendor: "VA"}, "g1//other/"}, {Query{Vendor: "VB"}, "g2/r3/training_gap/ n ,g1//other/"}, {Query{Vendor: "none"}, ""}} {
		tags, err := p.Tags(ctx, c.q)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, tg := range tags {
			got = append(got, tg.Item+"/"+tg.Annotator+"/"+tg.Cause+"/"+tg.Note)
			if tg.TaggedAt.IsZero() {
				t.Errorf("tag without time: %+v", tg)
			}
		}
		if strings.Join(got, ",") != c.want {
			t.Errorf("tags of %+v: %q, want %q", c.q, strings.Join(got, ","), c.want)
		}
	}
}
