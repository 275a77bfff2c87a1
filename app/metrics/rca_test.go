package metrics

import (
	"context"
	"math"
	"testing"

	"labelqa/app/dataset"
)

// TestPareto: the off-diagonal cells of a hand-made matrix, most first,
// ties in row-major (label) order; shares and the running sum counted by
// hand: errors 3+3+1+1 = 8.
func TestPareto(t *testing.T) {
	c := Confusion{Labels: []string{"a", "b", "c"}, Matrix: [][]int64{
		{5, 1, 3},
		{0, 7, 1},
		{3, 0, 9},
	}}
	pairs, errs := Pareto(c)
	want := []ConfusedPair{
		{"a", "c", 3, 3.0 / 8, 3.0 / 8}, {"c", "a", 3, 3.0 / 8, 6.0 / 8},
		{"a", "b", 1, 1.0 / 8, 7.0 / 8}, {"b", "c", 1, 1.0 / 8, 1},
	}
	if errs != 8 || len(pairs) != len(want) {
		t.Fatalf("errors %d, pairs %+v", errs, pairs)
	}
	for i, w := range want {
		p := pairs[i]
		if p.Gold != w.Gold || p.Given != w.Given || p.Count != w.Count || math.Abs(p.Share-w.Share) > 1e-15 || math.Abs(p.Cumulative-w.Cumulative) > 1e-15 {
			t.Errorf("pair %d: %+v, want %+v", i, p, w)
		}
	}
	if pairs, errs := Pareto(Confusion{Labels: []string{"a"}, Matrix: [][]int64{{4}}}); errs != 0 || len(pairs) != 0 || pairs == nil {
		t.Errorf("no errors: %+v, %d", pairs, errs)
	}
}

// TestConfusionByAndMajority: judgments split by annotator sum to the
// report's matrix; GoldErrors lists the off-diagonal judgments; the clear
// majority against gold on i1 (two b against gold a) is a MajorityDispute,
// the tie on i2 is not.
func TestConfusionByAndMajority(t *testing.T) {
	// i1 gold a: r0 b, r1 b, r2 a. i2 gold b: r0 a, r1 b. i3 no gold: r2 c.
	d := &dataset.Dataset{
		Items: []string{"i1", "i2", "i3"}, Labels: []string{"a", "b", "c"}, Allow: []bool{true, false, false},
		Annotators: []dataset.Annotator{{ID: "r0", Vendor: "V"}, {ID: "r1", Vendor: "W"}, {ID: "r2", Vendor: "V"}},
		Item:       []int32{0, 0, 0, 1, 1, 2},
		Annotator:  []int32{0, 1, 2, 0, 1, 2},
		Label:      []int32{1, 1, 0, 0, 1, 2},
		Gold:       []int32{0, 1, -1}, GoldItems: 2,
		Extra: map[int][]int32{},
	}
	n := d.Len()
	d.Queue, d.SOP, d.Round = make([]int32, n), make([]int32, n), make([]int8, n)
	d.At, d.Duration = make([]int64, n), make([]float64, n)
	for j := range d.At {
		d.At[j], d.Duration[j] = math.MinInt64, math.NaN()
	}
	d.Queues, d.SOPs = []string{""}, []string{""}
	a, err := Analyze(context.Background(), d, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	groups := a.ConfusionBy([]string{"V", "W"}, func(j int) int {
		if d.Annotators[d.Annotator[j]].Vendor == "W" {
			return 1
		}
		return 0
	})
	// V: r0 (i1 b, i2 a), r2 (i1 a): 3 judgments on gold, 2 errors. W: r1 (i1 b, i2 b): 2, 1.
	if len(groups) != 2 || groups[0].Judgments != 3 || groups[0].Errors != 2 || groups[1].Judgments != 2 || groups[1].Errors != 1 {
		t.Fatalf("groups %+v", groups)
	}
	total := a.Report().Gold.Confusion.Matrix
	for g := range total {
		for k := range total[g] {
			if s := groups[0].Confusion.Matrix[g][k] + groups[1].Confusion.Matrix[g][k]; s != total[g][k] {
				t.Errorf("cell %d,%d: groups sum to %d, report %d", g, k, s, total[g][k])
			}
		}
	}
	if e := a.GoldErrors(); len(e) != 3 || e[0] != 0 || e[1] != 1 || e[2] != 3 {
		t.Errorf("gold errors %v, want [0 1 3]", e)
	}
	md := a.MajorityDisputes()
	if len(md) != 1 || md[0].Item != "i1" || md[0].Gold != "a" || md[0].Majority != "b" || md[0].Votes["b"] != 2 || md[0].Votes["a"] != 1 {
		t.Errorf("majority disputes %+v", md)
	}
	if !md[0].GoldPosterior.OK() || !md[0].MajorityPosterior.OK() {
		t.Errorf("posteriors %+v", md[0])
	}
}
