package metrics

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"labelqa/analysis/agreement"
	"labelqa/analysis/truth"
	"labelqa/app/dataset"
)

func filesDataset(t *testing.T, batch, goldCSV string, labels ...string) *dataset.Dataset {
	t.Helper()
	dir := t.TempDir()
	bp := filepath.Join(dir, "batch.csv")
	if err := os.WriteFile(bp, []byte(batch), 0o644); err != nil {
		t.Fatal(err)
	}
	gp := ""
	if goldCSV != "" {
		gp = filepath.Join(dir, "gold.csv")
		os.WriteFile(gp, []byte(goldCSV), 0o644)
	}
	d, err := dataset.FromFiles(context.Background(), []string{bp}, gp, dataset.Options{Labels: labels})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func keysOf(m map[string]any) string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	sort.Strings(k)
	return strings.Join(k, ",")
}

const twoRaters = `item_id,annotator_id,label,vendor,submitted_at,duration_s
a,x,approve,V1,2025-03-10T08:00:00Z,10
a,y,approve,V2,2025-03-10T08:01:00Z,12
b,x,scam,V1,2025-03-10T08:02:00Z,9
b,y,approve,V2,2025-03-10T08:03:00Z,20
c,x,scam,V1,2025-03-10T08:04:00Z,11
c,y,scam,V2,2025-03-10T08:05:00Z,14
d,x,approve,V1,2025-03-10T08:06:00Z,7
d,y,approve,V2,2025-03-10T08:07:00Z,8
`

func TestJSONShape(t *testing.T) {
	d := filesDataset(t, twoRaters, "item_id,label\na,approve\nb,scam\nz,approve\n", "approve", "scam")
	m := reportJSON(t, d, DefaultOptions())
	if got := keysOf(m); got != "aggregation,agreement,annotators,audit,counts,gold,schema,warnings" {
		t.Fatalf("top-level keys %s", got)
	}
	if m["schema"] != "labelqa.metrics/v1" {
		t.Fatalf("schema %v", m["schema"])
	}
	if got := keysOf(m["counts"].(map[string]any)); got != "annotations,annotators,duplicates,gold_items,items,labels" {
		t.Fatalf("counts keys %s", got)
	}
	ag := m["agreement"].(map[string]any)
	for _, k := range []string{"items_used", "percent_agreement", "cohen_kappa", "scott_pi", "fleiss_kappa", "conger_kappa",
		"gwet_ac1", "brennan_prediger", "krippendorff_alpha", "bangdiwala_b", "per_label", "pairwise"} {
		if _, ok := ag[k]; !ok {
			t.Errorf("agreement.%s missing (two annotators)", k)
		}
	}
	if _, ok := ag["gwet_ac2"]; ok {
		t.Error("gwet_ac2 without --weights")
	}
	// Bangdiwala's B carries irrCAC's precision measures like every other
	// coefficient: B = (2² + 1²) / (2·3 + 2·1) = 0.625 by hand.
	b, _ := ag["bangdiwala_b"].(map[string]any)
	if v, _ := b["value"].(float64); v != 0.625 {
		t.Errorf("bangdiwala_b.value %v, want 0.625", b["value"])
	}
	se, okSE := b["se"].(float64)
	lo, okLo := b["ci_low"].(float64)
	hi, okHi := b["ci_high"].(float64)
	if _, okP := b["p_value"].(float64); !okSE || !okLo || !okHi || !okP || !(se > 0 && lo < 0.625 && hi >= 0.625 && hi <= 1) {
		t.Errorf("bangdiwala_b precision %v", b)
	}
	if _, ok := ag["krippendorff_alpha_masi"]; ok {
		t.Error("MASI alpha without multi-label judgments")
	}
	for _, k := range []string{"fleiss_kappa", "cohen_kappa"} {
		if got := keysOf(ag[k].(map[string]any)); got != "ci_high,ci_low,p_value,pa,pe,se,value" {
			t.Errorf("%s keys %s", k, got)
		}
	}
	if v, _ := lookup(m, "agreement", "krippendorff_alpha", "level"); v != "nominal" {
		t.Errorf("alpha level %v", v)
	}
	if got := keysOf(ag["per_label"].(map[string]any)["scam"].(map[string]any)); !strings.Contains(got, "fleiss_kappa") || !strings.Contains(got, "specific_agreement") {
		t.Errorf("per_label keys %s", got)
	}
	pw := ag["pairwise"].([]any)
	if len(pw) != 1 || keysOf(pw[0].(map[string]any)) != "a,b,cohen_kappa,items,percent_agreement" {
		t.Errorf("pairwise %v", pw)
	}
	g := m["gold"].(map[string]any)
	for _, k := range []string{"annotations", "items", "accuracy", "cohen_kappa", "matthews_corrcoef", "macro", "micro", "weighted", "per_label", "confusion"} {
		if _, ok := g[k]; !ok {
			t.Errorf("gold.%s missing", k)
		}
	}
	// 4 annotations on 2 answered gold items; z (gold, unanswered) does not count.
	if g["annotations"] != 4.0 || g["items"] != 2.0 {
		t.Errorf("gold annotations %v items %v", g["annotations"], g["items"])
	}
	if v, _ := lookup(m, "gold", "accuracy", "value"); v != 0.75 {
		t.Errorf("gold accuracy %v, want 0.75", v)
	}
	if v, _ := lookup(m, "gold", "confusion", "matrix"); len(v.([]any)) != 2 {
		t.Errorf("confusion %v", v)
	}
	anns := m["annotators"].([]any)
	if len(anns) != 2 {
		t.Fatalf("annotators %v", anns)
	}
	a0 := anns[0].(map[string]any)
	for _, k := range []string{"id", "vendor", "annotations", "gold_annotations", "gold_accuracy", "agreement_with_majority", "median_duration_s", "dawid_skene_accuracy"} {
		if _, ok := a0[k]; !ok {
			t.Errorf("annotators[0].%s missing", k)
		}
	}
	if a0["id"] != "x" || a0["vendor"] != "V1" || a0["median_duration_s"] != 9.5 {
		t.Errorf("annotator x: %v", a0)
	}
	agg := m["aggregation"].(map[string]any)
	if keysOf(agg) != "dawid_skene,majority_vote,weighted_majority_vote" {
		t.Errorf("aggregation keys %s", keysOf(agg))
	}
	for _, k := range []string{"items", "iterations", "converged", "gold_accuracy"} {
		if _, ok := agg["dawid_skene"].(map[string]any)[k]; !ok {
			t.Errorf("dawid_skene.%s missing", k)
		}
	}
	for _, k := range []string{"items", "ties", "gold_accuracy"} {
		if _, ok := agg["majority_vote"].(map[string]any)[k]; !ok {
			t.Errorf("majority_vote.%s missing", k)
		}
	}
	// Item b is a 1-1 tie: first label (approve) wins, gold is scam.
	if v, _ := lookup(m, "aggregation", "majority_vote", "ties"); v != 1.0 {
		t.Errorf("ties %v", v)
	}
	if v, _ := lookup(m, "aggregation", "majority_vote", "gold_accuracy"); v != 0.5 {
		t.Errorf("majority vote gold accuracy %v, want 0.5", v)
	}
	mf := reportJSON(t, d, Options{Ties: truth.TiesFractional, DSIterations: 5})
	if v, _ := lookup(mf, "aggregation", "majority_vote", "gold_accuracy"); v != 0.75 {
		t.Errorf("fractional majority vote gold accuracy %v, want 0.75", v)
	}
	if v, _ := lookup(mf, "aggregation", "dawid_skene", "iterations"); v != 5.0 {
		t.Errorf("--ds-tol 0 --ds-iterations 5 ran %v rounds", v)
	}

	// Weights: AC2 instead of AC1, alpha says it uses the weights.
	mw := reportJSON(t, d, named("quadratic", ""))
	if _, ok := lookup(mw, "agreement", "gwet_ac2", "value"); !ok {
		t.Error("gwet_ac2 missing with --weights")
	}
	if _, ok := lookup(mw, "agreement", "gwet_ac1"); ok {
		t.Error("gwet_ac1 with --weights")
	}
	if v, _ := lookup(mw, "agreement", "krippendorff_alpha", "weights"); v != "quadratic" {
		t.Errorf("alpha weights %v", v)
	}
	if _, ok := lookup(mw, "agreement", "krippendorff_alpha", "level"); ok {
		t.Error("alpha has both level and weights")
	}
	// --level wins for alpha.
	ml := reportJSON(t, d, named("quadratic", "interval"))
	if v, _ := lookup(ml, "agreement", "krippendorff_alpha", "level"); v != "interval" {
		t.Errorf("alpha level %v", v)
	}
}

func TestUndefinedIsNull(t *testing.T) {
	// One annotator, no gold.
	d := filesDataset(t, "item_id,annotator_id,label\na,x,approve\nb,x,scam\n", "", "approve", "scam")
	m := reportJSON(t, d, DefaultOptions())
	if v, ok := m["gold"]; !ok || v != nil {
		t.Errorf("gold = %v, want null", v)
	}
	ag := m["agreement"].(map[string]any)
	for _, k := range []string{"percent_agreement", "fleiss_kappa", "conger_kappa", "gwet_ac1", "brennan_prediger", "krippendorff_alpha"} {
		if v, ok := ag[k]; !ok || v != nil {
			t.Errorf("agreement.%s = %v (present %v), want null", k, v, ok)
		}
	}
	for _, k := range []string{"cohen_kappa", "scott_pi", "bangdiwala_b"} {
		if _, ok := ag[k]; ok {
			t.Errorf("agreement.%s present with one annotator", k)
		}
	}
	if v, _ := lookup(m, "agreement", "undefined", "cohen_kappa"); !strings.Contains(v.(string), "two") {
		t.Errorf("reason %v", v)
	}
	if v, _ := lookup(m, "aggregation", "majority_vote", "gold_accuracy"); v != nil {
		t.Errorf("gold accuracy without gold: %v", v)
	}
	anns := m["annotators"].([]any)
	if v := anns[0].(map[string]any)["agreement_with_majority"]; v != nil {
		t.Errorf("agreement with majority for a lone annotator: %v", v)
	}

	// No judgments at all.
	empty := &dataset.Dataset{Labels: []string{"approve"}, Allow: []bool{true}, Extra: map[int][]int32{}}
	me := reportJSON(t, empty, DefaultOptions())
	if v, _ := lookup(me, "agreement", "fleiss_kappa"); v != nil {
		t.Errorf("fleiss on nothing: %v", v)
	}
}

func TestMultiLabelMASI(t *testing.T) {
	d := filesDataset(t, "item_id,annotator_id,label\na,x,scam|adult\na,y,scam\nb,x,approve\nb,y,approve\nc,x,adult\nc,y,adult|scam\n", "", "approve", "scam", "adult")
	m := reportJSON(t, d, DefaultOptions())
	v, ok := lookup(m, "agreement", "krippendorff_alpha_masi", "value")
	if !ok {
		t.Fatalf("krippendorff_alpha_masi missing: %v", m["agreement"])
	}
	if f := v.(float64); !(f > 0 && f < 1) {
		t.Errorf("MASI alpha %v", f)
	}
	// Single-label agreement uses only item b (both single-label).
	if v, _ := lookup(m, "agreement", "items_used"); v != 1.0 {
		t.Errorf("items_used %v", v)
	}
}

func TestOrderIndependent(t *testing.T) {
	// The same judgments in another row order give the same bytes.
	lines := strings.Split(strings.TrimSpace(twoRaters), "\n")
	rev := []string{lines[0]}
	for i := len(lines) - 1; i > 0; i-- {
		rev = append(rev, lines[i])
	}
	a := filesDataset(t, twoRaters, "item_id,label\na,approve\nb,scam\n", "approve", "scam")
	b := filesDataset(t, strings.Join(rev, "\n")+"\n", "item_id,label\nb,scam\na,approve\n", "approve", "scam")
	ra, _ := Compute(context.Background(), a, DefaultOptions())
	rb, _ := Compute(context.Background(), b, DefaultOptions())
	ja, jb := mustJSON(t, ra), mustJSON(t, rb)
	if ja != jb {
		t.Fatalf("row order changed the metrics:\n%s\n%s", ja, jb)
	}
}

func TestCancelled(t *testing.T) {
	d := filesDataset(t, twoRaters, "", "approve", "scam")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Compute(ctx, d, DefaultOptions()); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
}

func TestBadOptions(t *testing.T) {
	for _, o := range []Options{{Weights: agreement.Bipolar + 1}, {Level: agreement.RatioLevel + 1, LevelSet: true}, {Ties: truth.TiesFractional + 1},
		{DSIterations: -1}, {DSIterations: MaxDSIterations + 1}, {DSTol: math.NaN()}, {DSSmoothing: -0.5}, {DSSmoothing: math.Inf(1)}} {
		if err := o.Validate(); err == nil {
			t.Errorf("%+v accepted", o)
		} else if strings.Contains(err.Error(), "--") {
			t.Errorf("%+v: %q names a flag", o, err)
		}
		if _, err := Analyze(context.Background(), &dataset.Dataset{}, o, nil); err == nil {
			t.Errorf("Analyze took %+v", o)
		}
	}
	if err := DefaultOptions().Validate(); err != nil {
		t.Error(err)
	}
	if err := (Options{}).Validate(); err != nil {
		t.Error(err)
	}
	// The parse functions' words: what is wrong, what to use, no flag.
	for _, c := range []struct {
		err  error
		want string
	}{
		{second(ParseWeights("cubic")), `unknown weights "cubic": use none, linear, quadratic, ordinal, radical, ratio, circular or bipolar`},
		{second(ParseLevel("nominalish")), `unknown level "nominalish": use nominal, ordinal, interval or ratio`},
		{second(ParseTies("coin")), `unknown tie rule "coin": use first, random or fractional`},
		{second(ParseBy("planet")), `unknown grouping "planet": use reviewer, vendor, team, queue, market, sop, week`},
		{second(ParseBy("Vendor")), `unknown grouping "Vendor": use reviewer, vendor, team, queue, market, sop, week`},
	} {
		if c.err == nil || c.err.Error() != c.want {
			t.Errorf("got %v, want %s", c.err, c.want)
		}
	}
	for s, want := range map[string]agreement.WeightKind{"": agreement.Identity, "none": agreement.Identity, " Quadratic ": agreement.Quadratic, "bipolar": agreement.Bipolar} {
		if k, err := ParseWeights(s); err != nil || k != want {
			t.Errorf("ParseWeights(%q) = %v, %v", s, k, err)
		}
	}
	for s, want := range map[string]truth.TieRule{"": truth.TiesFirst, "Random": truth.TiesRandom, "fractional": truth.TiesFractional} {
		if r, err := ParseTies(s); err != nil || r != want {
			t.Errorf("ParseTies(%q) = %v, %v", s, r, err)
		}
	}
	if l, err := ParseLevel("INTERVAL"); err != nil || l != agreement.Interval {
		t.Errorf("ParseLevel(INTERVAL) = %v, %v", l, err)
	}
	for i, k := range ByKeys {
		if b, err := ParseBy(k); err != nil || b != By(i) || b.String() != k {
			t.Errorf("ParseBy(%q) = %v, %v", k, b, err)
		}
	}
}

func second[T any](_ T, err error) error { return err }

// named is Options{} with weights and level given by name ("" leaves them
// unset).
func named(weights, level string) Options {
	var o Options
	k, err := ParseWeights(weights)
	if err != nil {
		panic(err)
	}
	o.Weights = k
	if level != "" {
		l, err := ParseLevel(level)
		if err != nil {
			panic(err)
		}
		o.Level, o.LevelSet = l, true
	}
	return o
}

func TestScorecardsByWeekAndQA(t *testing.T) {
	batch := `item_id,annotator_id,label,vendor,queue,round,submitted_at
a,x,approve,V1,live,1,2025-03-10T08:00:00Z
a,q,scam,QA,2rqa,2,2025-03-17T08:00:00Z
b,x,scam,V1,live,1,2025-03-10T09:00:00Z
b,q,scam,QA,2rqa,2,2025-03-17T09:00:00Z
c,y,approve,V2,live,1,2025-03-11T09:00:00Z
c,q,approve,QA,live,2,2025-03-17T09:05:00Z
`
	d := filesDataset(t, batch, "", "approve", "scam")
	rep, err := Scorecards(context.Background(), d, ByWeek, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Cards) != 2 || rep.Cards[0].Key != "2025-W11" || rep.Cards[1].Key != "2025-W12" {
		t.Fatalf("weeks %+v", rep.Cards)
	}
	rv, _ := Scorecards(context.Background(), d, ByReviewer, DefaultOptions())
	byKey := map[string]Card{}
	for _, c := range rv.Cards {
		byKey[c.Key] = c
	}
	// x: 2 round-1 judgments re-labelled, 1 changed; y: 1, unchanged.
	if c := byKey["x"]; c.Overturn.N != 2 || c.Overturn.Value != 0.5 {
		t.Errorf("x overturn %+v", c.Overturn)
	}
	if c := byKey["y"]; c.Overturn.N != 1 || c.Overturn.Value != 0 {
		t.Errorf("y overturn %+v", c.Overturn)
	}
	if c := byKey["q"]; c.Overturn.N != 0 || c.Overturn.Value.OK() {
		t.Errorf("QA reviewer overturn %+v", c.Overturn)
	}
	if _, err := Scorecards(context.Background(), d, By(len(ByKeys)), DefaultOptions()); err == nil {
		t.Error("an unknown grouping was accepted")
	}
	if ISOWeek(1735603200000) != "2025-W01" { // 2024-12-31 is in ISO week 2025-W01
		t.Errorf("ISO week of 2024-12-31: %s", ISOWeek(1735603200000))
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSortItemKeys: the radix sort gives the (hash, ID) order of a
// comparison sort, runs of equal hashes included.
func TestSortItemKeys(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{0, 1, 2, 1000, 50_000} {
		ids := make([]string, n)
		keys := make([]itemKey, n)
		for i := range keys {
			ids[i] = fmt.Sprintf("ad-%d", rng.IntN(1<<30))
			h := rng.Uint64()
			if i%7 == 0 {
				h = uint64(i % 5) // collisions, and keys sharing high digits
			}
			keys[i] = itemKey{h, int32(i)}
		}
		want := slices.Clone(keys)
		slices.SortFunc(want, func(a, b itemKey) int {
			if a.h != b.h {
				return cmp.Compare(a.h, b.h)
			}
			return strings.Compare(ids[a.idx], ids[b.idx])
		})
		got := sortItemKeys(keys, ids)
		for i := range want {
			if got[i].h != want[i].h || ids[got[i].idx] != ids[want[i].idx] {
				t.Fatalf("n=%d: position %d holds %v, want %v", n, i, got[i], want[i])
			}
		}
	}
}

// TestPairwiseCapped: one item labeled by many reviewers makes a pair of
// every two of them (12.5 million for 5,000, a 1.7 GB JSON); the report
// lists the MaxPairwise pairs sharing the most items, in reviewer order,
// with the total and a warning. A report under the cap lists every pair.
func TestPairwiseCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("item_id,annotator_id,label\n")
	const raters = 150 // 11,175 pairs on item x
	for r := 0; r < raters; r++ {
		fmt.Fprintf(&b, "x,r%03d,%s\n", r, []string{"approve", "scam"}[r%2])
	}
	// r000 and r001 also share item y: theirs is the one pair with 2 items.
	b.WriteString("y,r000,approve\ny,r001,approve\n")
	path := filepath.Join(t.TempDir(), "many.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := dataset.FromFiles(context.Background(), []string{path}, "", dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Compute(context.Background(), d, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	a := rep.Agreement
	if len(a.Pairwise) != MaxPairwise || a.PairwiseTotal != raters*(raters-1)/2 {
		t.Fatalf("pairs %d, total %d", len(a.Pairwise), a.PairwiseTotal)
	}
	if p := a.Pairwise[0]; p.A != "r000" || p.B != "r001" || p.Items != 2 {
		t.Errorf("first pair %+v, want r000-r001 on 2 items", p)
	}
	for i := 1; i < len(a.Pairwise); i++ {
		x, y := a.Pairwise[i-1], a.Pairwise[i]
		if x.A > y.A || x.A == y.A && x.B >= y.B {
			t.Fatalf("pairs %d and %d out of order: %+v %+v", i-1, i, x, y)
		}
	}
	if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "10000 of 11175 reviewer pairs") {
		t.Errorf("warnings %q", rep.Warnings)
	}
}
