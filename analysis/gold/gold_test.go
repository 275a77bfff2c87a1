package gold

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// refDir holds copies of the reference data sets this package's tests read and
// their published values (sources in testdata/reference/README.md), so that a
// clean clone runs them. Missing data fails the test: it never skips.
const refDir = "testdata/reference"

// readCSV reads a long-format file, skipping the header.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows[1:]
}

type expectation struct {
	Value     float64        `json:"value"`
	Tolerance float64        `json:"tolerance"`
	Source    string         `json:"source"`
	Params    map[string]any `json:"params"`
}

func readExpected(t *testing.T) map[string]map[string]expectation {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(refDir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]map[string]expectation
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func readMeta(t *testing.T) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(refDir, "datasets_meta.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]struct {
		Categories []string `json:"categories_ordered"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for k, v := range m {
		out[k] = v.Categories
	}
	return out
}

// splitPair turns a two-annotator file into (pred, ref) code slices, item by
// item, with ref the annotator named refName.
func splitPair(t *testing.T, rows [][]string, cats []string, refName string) (pred, ref []int32) {
	t.Helper()
	code := map[string]int32{}
	for i, c := range cats {
		code[c] = int32(i)
	}
	type pr struct{ p, r int32 }
	byItem := map[string]*pr{}
	var order []string
	for _, row := range rows {
		it, ann, lab := row[0], row[1], row[2]
		c, ok := code[lab]
		if !ok {
			t.Fatalf("label %q not declared", lab)
		}
		x := byItem[it]
		if x == nil {
			x = &pr{-1, -1}
			byItem[it] = x
			order = append(order, it)
		}
		if ann == refName {
			x.r = c
		} else {
			x.p = c
		}
	}
	for _, it := range order {
		pred = append(pred, byItem[it].p)
		ref = append(ref, byItem[it].r)
	}
	return pred, ref
}

// measure looks a measure name of expected.json up in a Classification.
func measure(t *testing.T, c Classification, cats []string, name string) float64 {
	t.Helper()
	parts := strings.SplitN(name, ".", 2)
	stat, sel := parts[0], ""
	if len(parts) == 2 {
		sel = parts[1]
	}
	if stat == "cohen_kappa" {
		switch sel {
		case "":
			return c.CohenKappa
		case "weights=linear":
			return CohenKappa(c.Confusion, c.Q, Linear)
		case "weights=quadratic":
			return CohenKappa(c.Confusion, c.Q, Quadratic)
		}
	}
	pick := func(a Averages) float64 {
		switch stat {
		case "precision":
			return a.Precision
		case "recall":
			return a.Recall
		case "f1":
			return a.F1
		}
		t.Fatalf("unknown measure %q", name)
		return 0
	}
	switch {
	case sel == "average=macro":
		return pick(c.Macro)
	case sel == "average=micro":
		return pick(c.Micro)
	case sel == "average=weighted":
		return pick(c.Weighted)
	case strings.HasPrefix(sel, "class="):
		k := -1
		for i, cat := range cats {
			if cat == strings.TrimPrefix(sel, "class=") {
				k = i
			}
		}
		if k < 0 {
			t.Fatalf("unknown class in %q", name)
		}
		s := c.PerLabel[k]
		switch stat {
		case "support":
			return s.Support
		case "precision", "recall", "f1":
			return pick(Averages{s.Precision, s.Recall, s.F1})
		}
	}
	t.Fatalf("unknown measure %q", name)
	return 0
}

// TestSklearnReference checks every measure expected.json gives for the
// sklearn_* files (values and tolerances from expected.json; sources:
// scikit-learn 1.2.1 precision_recall_fscore_support docstring and
// test_classification.py::test_cohen_kappa).
func TestSklearnReference(t *testing.T) {
	exp := readExpected(t)
	meta := readMeta(t)
	files := []struct{ file, ref string }{
		{"sklearn_prfs_cat_dog_pig_gold.csv", "gold"},
		// Two raters, no gold: kappa is symmetric, so rater1 plays gold.
		{"sklearn_weighted_kappa_3cat.csv", "rater1"},
	}
	n := 0
	for _, f := range files {
		rows := readCSV(t, filepath.Join(refDir, f.file))
		cats := meta[f.file]
		pred, ref := splitPair(t, rows, cats, f.ref)
		c := Classify(pred, ref, len(cats), nil)
		ms := exp[f.file]
		if len(ms) == 0 {
			t.Fatalf("%s: no expected measures", f.file)
		}
		for name, e := range ms {
			if p, ok := e.Params["reference"].(string); ok && p != f.ref {
				t.Fatalf("%s: reference is %q, test uses %q", f.file, p, f.ref)
			}
			got := measure(t, c, cats, name)
			if math.IsNaN(got) || math.Abs(got-e.Value) > e.Tolerance {
				t.Errorf("%s %s = %.6g, want %.6g ± %g (%s)", f.file, name, got, e.Value, e.Tolerance, e.Source)
			}
			n++
		}
	}
	if n < 20 {
		t.Errorf("only %d measures checked", n)
	}
}

func near(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol
}

// TestWilson: Newcombe (1998), Statistics in Medicine 17:857–872, table I,
// method 3 (score interval without continuity correction), 4 decimals.
func TestWilson(t *testing.T) {
	for _, tc := range []struct{ x, n, lo, hi float64 }{
		{81, 263, 0.2553, 0.3662},
		{15, 148, 0.0624, 0.1605},
		{0, 20, 0, 0.1611},
		{1, 29, 0.0061, 0.1718},
	} {
		p := Wilson(tc.x, tc.n, Z95)
		if !near(p.Low, tc.lo, 5e-5) || !near(p.High, tc.hi, 5e-5) || p.Value != tc.x/tc.n {
			t.Errorf("Wilson(%v,%v) = [%.5f, %.5f], want [%.4f, %.4f]", tc.x, tc.n, p.Low, p.High, tc.lo, tc.hi)
		}
	}
	if p := Wilson(0, 0, Z95); !math.IsNaN(p.Value) || !math.IsNaN(p.Low) {
		t.Errorf("Wilson(0,0) = %+v, want NaN", p)
	}
}

// TestMCC: scikit-learn test_classification.py (test_matthews_corrcoef and
// test_matthews_corrcoef_multiclass).
func TestMCC(t *testing.T) {
	// Binary docstring example: [+1,+1,+1,-1] vs [+1,-1,+1,+1] → −1/3.
	c := Classify([]int32{1, 0, 1, 1}, []int32{1, 1, 1, 0}, 2, nil)
	if !near(c.MCC, -1.0/3, 1e-12) {
		t.Errorf("binary MCC = %v, want -1/3", c.MCC)
	}
	// Multi-class minimum: y_true [0,0,1,1,2,2], y_pred [2,2,0,0,1,1] → −0.5.
	c = Classify([]int32{2, 2, 0, 0, 1, 1}, []int32{0, 0, 1, 1, 2, 2}, 3, nil)
	if !near(c.MCC, -0.5, 1e-12) {
		t.Errorf("multiclass MCC = %v, want -0.5", c.MCC)
	}
	// Hand computation from the formula: y_true [0,0,1,1,2], y_pred
	// [1,1,0,0,0]: c=0, s=5, t=(2,2,1), p=(3,2,0) → −10/sqrt((25−13)(25−9)).
	c = Classify([]int32{1, 1, 0, 0, 0}, []int32{0, 0, 1, 1, 2}, 3, nil)
	if want := -10 / math.Sqrt(12*16); !near(c.MCC, want, 1e-12) {
		t.Errorf("multiclass MCC = %v, want %v", c.MCC, want)
	}
	// Constant prediction: sklearn returns 0.0; LabelQA NaN (undefined).
	c = Classify([]int32{0, 0, 0}, []int32{0, 1, 1}, 2, nil)
	if !math.IsNaN(c.MCC) {
		t.Errorf("constant-prediction MCC = %v, want NaN", c.MCC)
	}
}

// TestZeroDivision: a declared label never predicted has NaN precision per
// label but counts as 0 in the macro average (sklearn zero_division="warn");
// a declared label absent from gold and predictions is left out of the
// averages (sklearn labels=None).
func TestZeroDivision(t *testing.T) {
	// labels 0,1,2,3; 3 unused everywhere; 2 is gold once, never predicted;
	// 1 is predicted once, never gold.
	ref := []int32{0, 0, 2, 0}
	pred := []int32{0, 0, 0, 1}
	c := Classify(pred, ref, 4, nil)
	if !math.IsNaN(c.PerLabel[2].Precision) || c.PerLabel[2].Recall != 0 || c.PerLabel[2].F1 != 0 {
		t.Errorf("label 2 = %+v", c.PerLabel[2])
	}
	if c.PerLabel[1].Precision != 0 || !math.IsNaN(c.PerLabel[1].Recall) || c.PerLabel[1].F1 != 0 {
		t.Errorf("label 1 = %+v", c.PerLabel[1])
	}
	l3 := c.PerLabel[3]
	if !math.IsNaN(l3.Precision) || !math.IsNaN(l3.Recall) || !math.IsNaN(l3.F1) || l3.Support != 0 {
		t.Errorf("label 3 = %+v", l3)
	}
	// Hand computation, labels L = {0,1,2}:
	// label 0: TP=2, pred=3, support=3 → P=2/3, R=2/3, F1=2/3.
	// label 1: P=0, R=NaN→0, F1=0. label 2: P=NaN→0, R=0, F1=0.
	if !near(c.Macro.Precision, (2.0/3)/3, 1e-15) || !near(c.Macro.Recall, (2.0/3)/3, 1e-15) {
		t.Errorf("macro = %+v", c.Macro)
	}
	// weighted by support 3,0,1 over 4.
	if !near(c.Weighted.Precision, 3*(2.0/3)/4, 1e-15) || !near(c.Weighted.F1, 3*(2.0/3)/4, 1e-15) {
		t.Errorf("weighted = %+v", c.Weighted)
	}
	if !near(c.Micro.F1, 0.5, 1e-15) || !near(c.Accuracy.Value, 0.5, 1e-15) {
		t.Errorf("micro = %+v, accuracy %v", c.Micro, c.Accuracy.Value)
	}
}

// TestEvaluatePooled: every annotation on a gold item is one prediction;
// duplicates count; unanswered gold and non-gold items do not.
func TestEvaluatePooled(t *testing.T) {
	gold := []int32{0, 1, -1, 1} // item 3 has gold but no answer
	item := []int32{0, 0, 0, 1, 1, 2}
	label := []int32{0, 0, 1, 1, 0, 1}
	c := Evaluate(item, label, gold, 2, nil)
	if c.Items != 2 || c.Annotations != 5 {
		t.Fatalf("items %d annotations %v, want 2, 5", c.Items, c.Annotations)
	}
	want := []float64{2, 1, 1, 1} // rows gold, cols given
	for k := range want {
		if c.Confusion[k] != want[k] {
			t.Fatalf("confusion = %v, want %v", c.Confusion, want)
		}
	}
	if c.Accuracy.Value != 0.6 {
		t.Errorf("accuracy = %v", c.Accuracy.Value)
	}
	// Cohen: po = .6, row (3,2), col (3,2) → pe = (9+4)/25 = .52 → κ = .08/.48.
	if !near(c.CohenKappa, 0.08/0.48, 1e-12) {
		t.Errorf("kappa = %v", c.CohenKappa)
	}
	// Weights double item 0's first row.
	w := []float64{2, 1, 1, 1, 1, 1}
	c = Evaluate(item, label, gold, 2, w)
	if c.Annotations != 6 || c.Confusion[0] != 3 {
		t.Errorf("weighted: %v %v", c.Annotations, c.Confusion)
	}
	acc := AccuracyBy(item, label, gold, []int32{0, 1, 0, 1, 0, 1}, 3)
	if acc[0].N != 3 || acc[0].Successes != 1 || acc[1].N != 2 || acc[1].Successes != 2 || !math.IsNaN(acc[2].Value) {
		t.Errorf("AccuracyBy = %+v", acc)
	}
}

func TestEnforcement(t *testing.T) {
	// labels: 0 approve (allowed), 1 adult, 2 scam.
	allowed := []bool{true, false, false}
	gold := []int32{0, 0, 1, 2, -1}
	item := []int32{0, 0, 1, 2, 2, 3, 3, 3, 4}
	label := []int32{0, 1, 2, 0, 1, 2, 1, 0, 1}
	rater := []int32{0, 1, 0, 0, 1, 0, 1, 1, 0}
	r := EnforcementErrors(item, label, gold, allowed, rater, 2)
	// allowed-gold annotations: items 0,1 → 3, of which over: (0,1),(1,2) = 2.
	if r.Overall.Over.N != 3 || r.Overall.Over.Successes != 2 {
		t.Errorf("over = %+v", r.Overall.Over)
	}
	// violation-gold annotations: items 2,3 → 5; under: (2,0),(3,0) = 2; wrong policy (3,1) = 1.
	if r.Overall.Under.N != 5 || r.Overall.Under.Successes != 2 || r.Overall.WrongPolicy != 1 {
		t.Errorf("under = %+v", r.Overall)
	}
	// rater 0: allowed-gold 2 (over 1), violation 2 (under 1); rater 1: 1 (1), 3 (1).
	g0, g1 := r.ByGroup[0], r.ByGroup[1]
	if g0.Over.N != 2 || g0.Over.Successes != 1 || g0.Under.N != 2 || g0.Under.Successes != 1 {
		t.Errorf("rater 0 = %+v", g0)
	}
	if g1.Over.N != 1 || g1.Over.Successes != 1 || g1.Under.N != 3 || g1.Under.Successes != 1 {
		t.Errorf("rater 1 = %+v", g1)
	}
	if r.OverByGiven[1] != 1 || r.OverByGiven[2] != 1 || r.UnderByGold[1] != 1 || r.UnderByGold[2] != 1 {
		t.Errorf("by label: %v %v", r.OverByGiven, r.UnderByGold)
	}
	if r.ByGold[0].Over.N != 3 || !math.IsNaN(r.ByGold[0].Under.Value) || r.ByGold[2].Under.N != 3 {
		t.Errorf("by gold = %+v", r.ByGold)
	}
}
