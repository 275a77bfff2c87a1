package metrics

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"labelqa/app/dataset"
)

// refDir holds copies of the reference data sets and their published values
// (expected.json; sources in testdata/reference/README.md), so that a clean
// clone runs these tests. Missing data fails the test: it never skips.
const refDir = "testdata/reference"

type expectation struct {
	Value     float64        `json:"value"`
	Tolerance float64        `json:"tolerance"`
	Source    string         `json:"source"`
	Params    map[string]any `json:"params"`
}

type refMeta struct {
	Categories []string `json:"categories_ordered"`
}

func loadJSON(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(refDir, name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// reportJSON runs Compute and returns the marshalled object as generic
// JSON, so the test reads exactly what "labelqa metrics --json" prints.
func reportJSON(t *testing.T, d *dataset.Dataset, o Options) map[string]any {
	t.Helper()
	rep, err := Compute(context.Background(), d, o)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// lookup follows a path of object keys; ok is false when a key is missing.
func lookup(m any, path ...string) (any, bool) {
	for _, k := range path {
		o, isObj := m.(map[string]any)
		if !isObj {
			return nil, false
		}
		if m, isObj = o[k]; !isObj {
			return nil, false
		}
	}
	return m, true
}

// refKey is a parsed expected.json key: coef[.weights=W][.level=L][.category=C|.class=C|.average=A][.stat].
type refKey struct {
	coef, weights, level, category, class, average, item, stat string
}

func parseRefKey(key string) refKey {
	parts := strings.Split(key, ".")
	k := refKey{coef: parts[0]}
	for _, p := range parts[1:] {
		name, val, isKV := strings.Cut(p, "=")
		switch {
		case !isKV:
			k.stat = p
		case name == "weights":
			k.weights = val
		case name == "level":
			k.level = val
		case name == "category":
			k.category = val
		case name == "class":
			k.class = val
		case name == "average":
			k.average = val
		case name == "item":
			k.item = val
		}
	}
	return k
}

// skipReason says why an expected entry is not asserted here ("" means
// assert it). Entries in another published convention than the one the
// metrics JSON reports are asserted by analysis/agreement's
// reference_test.go through the functions that implement that convention.
func skipReason(file string, k refKey, e expectation) string {
	se, _ := e.Params["se"].(string)
	switch {
	case k.coef == "fleiss_item_agreement":
		return "per-item agreement is not in the metrics JSON (agreement.ItemAgreement)"
	case k.stat == "z" || k.stat == "se0" || k.stat == "p_value_one_sided":
		return "null-hypothesis SE / z test (FleissKappaNull, CohenKappaASE), not the irrCAC convention"
	case strings.Contains(se, "ASE") && k.stat != "":
		return "SAS/statsmodels asymptotic SE and normal interval (CohenKappaASE); the JSON follows irrCAC"
	case k.stat == "p_value" && strings.Contains(e.Source, "afergadis/irrCAC"):
		return "two-sided p-value of irrCAC's Python port (TwoSidedPValue); the JSON's is one-sided as R irrCAC"
	case strings.HasPrefix(file, "sklearn_prfs"):
		return "" // gold measures, handled apart
	}
	return ""
}

// optionsFor is the command-line convention a key's value is reported in.
func optionsFor(k refKey) Options {
	o := DefaultOptions()
	n := named(k.weights, k.level)
	o.Weights, o.Level, o.LevelSet = n.Weights, n.Level, n.LevelSet
	return o
}

// agreementValue reads a key's value from the metrics JSON.
func agreementValue(t *testing.T, m map[string]any, k refKey) (any, bool) {
	t.Helper()
	stat := k.stat
	switch stat {
	case "", "exact", "gwet2015":
		stat = "value"
	}
	switch {
	case k.coef == "category_proportion":
		return lookup(m, "agreement", "per_label", k.category, "proportion")
	case k.category != "":
		return lookup(m, "agreement", "per_label", k.category, k.coef)
	}
	if k.coef == "krippendorff_alpha" {
		// The JSON says which convention alpha follows.
		want, field := k.level, "level"
		if want == "" {
			want, field = k.weights, "weights"
		}
		if got, _ := lookup(m, "agreement", k.coef, field); got != want {
			t.Errorf("krippendorff_alpha.%s = %v, want %q", field, got, want)
		}
	}
	return lookup(m, "agreement", k.coef, stat)
}

func TestReferenceDatasets(t *testing.T) {
	var expected map[string]map[string]expectation
	var meta map[string]refMeta
	loadJSON(t, "expected.json", &expected)
	loadJSON(t, "datasets_meta.json", &meta)
	files, _ := filepath.Glob(filepath.Join(refDir, "*.csv"))
	if len(files) == 0 {
		t.Fatalf("no reference CSV files in %s", refDir)
	}
	asserted, skipped := 0, map[string]int{}
	for _, path := range files {
		file := filepath.Base(path)
		exp := expected[file]
		if strings.HasPrefix(file, "sklearn_prfs") {
			asserted += checkPRFS(t, path, meta[file].Categories, exp)
			continue
		}
		d, err := dataset.FromFiles(context.Background(), []string{path}, "", dataset.Options{Labels: meta[file].Categories})
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		cache := map[[2]string]map[string]any{}
		keys := make([]string, 0, len(exp))
		for key := range exp {
			keys = append(keys, key)
		}
		sort.Strings(keys)
		for _, key := range keys {
			e := exp[key]
			k := parseRefKey(key)
			if why := skipReason(file, k, e); why != "" {
				skipped[why]++
				continue
			}
			o := optionsFor(k)
			m, ok := cache[[2]string{k.weights, k.level}]
			if !ok {
				m = reportJSON(t, d, o)
				cache[[2]string{k.weights, k.level}] = m
			}
			v, ok := agreementValue(t, m, k)
			got, isNum := v.(float64)
			if !ok || !isNum {
				t.Errorf("%s %s: not in the metrics JSON (got %v)", file, key, v)
				continue
			}
			if math.Abs(got-e.Value) > e.Tolerance {
				t.Errorf("%s %s = %.10g, want %.10g ± %g", file, key, got, e.Value, e.Tolerance)
			}
			asserted++
		}
	}
	for why, n := range skipped {
		t.Logf("not asserted here (%d): %s", n, why)
	}
	t.Logf("asserted %d reference values through the metrics JSON", asserted)
	if asserted < 250 {
		t.Fatalf("only %d reference values asserted; the key parsing has drifted from expected.json", asserted)
	}
}

// checkPRFS splits the gold/pred judgments into a golden-set file and a
// batch, runs the metrics and asserts precision, recall, F1 and support.
func checkPRFS(t *testing.T, path string, labels []string, exp map[string]expectation) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	var goldRef, predRef string
	for _, e := range exp {
		goldRef, _ = e.Params["reference"].(string)
		predRef, _ = e.Params["prediction"].(string)
		break
	}
	dir := t.TempDir()
	var g, b strings.Builder
	g.WriteString("item_id,label\n")
	b.WriteString("item_id,annotator_id,label\n")
	for _, r := range recs[1:] {
		switch r[1] {
		case goldRef:
			g.WriteString(r[0] + "," + r[2] + "\n")
		case predRef:
			b.WriteString(r[0] + "," + r[1] + "," + r[2] + "\n")
		}
	}
	goldPath, batchPath := filepath.Join(dir, "gold.csv"), filepath.Join(dir, "pred.csv")
	os.WriteFile(goldPath, []byte(g.String()), 0o644)
	os.WriteFile(batchPath, []byte(b.String()), 0o644)
	d, err := dataset.FromFiles(context.Background(), []string{batchPath}, goldPath, dataset.Options{Labels: labels})
	if err != nil {
		t.Fatal(err)
	}
	m := reportJSON(t, d, DefaultOptions())
	n := 0
	for key, e := range exp {
		k := parseRefKey(key)
		var v any
		var ok bool
		if k.average != "" {
			v, ok = lookup(m, "gold", k.average, k.coef)
		} else {
			v, ok = lookup(m, "gold", "per_label", k.class, k.coef)
		}
		got, isNum := v.(float64)
		if !ok || !isNum {
			t.Errorf("prfs %s: not in the metrics JSON (got %v)", key, v)
			continue
		}
		if math.Abs(got-e.Value) > e.Tolerance {
			t.Errorf("prfs %s = %.10g, want %.10g ± %g", key, got, e.Value, e.Tolerance)
		}
		n++
	}
	if n != 21 {
		t.Errorf("asserted %d precision/recall/F1/support values, want 21", n)
	}
	return n
}
