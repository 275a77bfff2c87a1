package cli

import (
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// qaCSV is a tiny live queue with a 2RQA re-label, two vendors and gold.
const qaCSV = `item_id,annotator_id,label,vendor,market,queue,round,submitted_at,duration_s
ad1,ann1,approve,Nusantara BPO,ID,live,1,2026-11-02T08:00:00Z,12.5
ad1,ann2,misleading_claims,Nusantara BPO,ID,live,1,2026-11-02T08:01:00Z,30
ad1,ann3,misleading_claims,Fjord Review AS,NO,live,1,2026-11-02T08:01:30Z,22
ad2,ann1,approve,Nusantara BPO,ID,live,1,2026-11-02T08:02:00Z,8
ad2,ann3,approve,Fjord Review AS,NO,live,1,2026-11-02T09:00:00Z,20
ad3,ann2,adult_content,Nusantara BPO,ID,live,1,2026-11-02T08:03:00Z,14
ad3,ann3,misleading_claims,Fjord Review AS,NO,live,1,2026-11-02T09:02:00Z,19
ad3,qa1,adult_content,Quality Team,ID,2rqa,2,2026-11-05T10:00:00Z,40
ad4,ann1,adult_content,Nusantara BPO,ID,live,1,2026-11-03T08:00:00Z,9
ad4,ann2,adult_content,Nusantara BPO,ID,live,1,2026-11-03T08:01:00Z,11
ad4,ann3,approve,Fjord Review AS,NO,live,1,2026-11-03T09:00:00Z,25
ad5,ann1,approve,Nusantara BPO,ID,live,1,2026-11-03T08:05:00Z,7
ad5,ann2,approve,Nusantara BPO,ID,live,1,2026-11-03T08:06:00Z,6
ad5,qa1,misleading_claims,Quality Team,ID,2rqa,2,2026-11-05T10:05:00Z,35
ad1,ann1,approve,Nusantara BPO,ID,live,1,2026-11-02T10:00:00Z,12
`

const qaGold = "item_id,label\nad1,misleading_claims\nad3,adult_content\nad4,adult_content\nad5,approve\nad9,approve\n"

const qaLabels = "approve,misleading_claims,adult_content"

// qaProject imports qaCSV and its gold into a new project.
func qaProject(t *testing.T) (dir, proj, batch, gold string) {
	t.Helper()
	dir = t.TempDir()
	proj = filepath.Join(dir, "p.lqa")
	batch = write(t, dir, "batch.csv", qaCSV)
	gold = write(t, dir, "gold.csv", qaGold)
	for _, args := range [][]string{{"init", proj, "--labels", qaLabels}, {"import", proj, batch}, {"gold", proj, gold}} {
		if code, _, stderr := run(t, args...); code != 0 {
			t.Fatalf("%v: %d %s", args, code, stderr)
		}
	}
	return
}

func TestMetricsJSONWithGold(t *testing.T) {
	_, proj, batch, gold := qaProject(t)
	code, stdout, stderr := run(t, "metrics", proj, "--json")
	if code != 0 {
		t.Fatalf("%d %s", code, stderr)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(stdout), &m); err != nil {
		t.Fatal(err)
	}
	g, _ := m["gold"].(map[string]any)
	if g == nil || g["annotations"] != 12.0 || g["items"] != 4.0 {
		t.Fatalf("gold: %v", m["gold"])
	}
	if acc := g["accuracy"].(map[string]any)["value"].(float64); acc != 8.0/12 {
		t.Errorf("accuracy %v, want 8/12", acc)
	}
	ag := m["agreement"].(map[string]any)
	if ag["items_used"] != 5.0 || ag["fleiss_kappa"] == nil {
		t.Errorf("agreement: %v", ag)
	}
	if _, two := ag["cohen_kappa"]; two {
		t.Error("cohen_kappa with four annotators")
	}
	if anns := m["annotators"].([]any); len(anns) != 4 {
		t.Errorf("annotators: %v", anns)
	}
	if ds := m["aggregation"].(map[string]any)["dawid_skene"].(map[string]any); ds["gold_accuracy"] == nil {
		t.Errorf("dawid_skene: %v", ds)
	}

	// The batch file read directly gives the same object, agreement and
	// gold included.
	code, fileOut, stderr := run(t, "metrics", batch, "--gold", gold, "--labels", qaLabels, "--json")
	if code != 0 {
		t.Fatalf("%d %s", code, stderr)
	}
	if fileOut != stdout {
		t.Fatalf("metrics on the files differ from metrics on the project:\n%s\nvs\n%s", fileOut, stdout)
	}
	// And with non-default options too.
	opts := []string{"--json", "--weights", "quadratic", "--ties", "fractional", "--ds-tol", "0", "--ds-iterations", "7"}
	_, a, _ := run(t, append([]string{"metrics", proj}, opts...)...)
	_, b, _ := run(t, append([]string{"metrics", batch, "--gold", gold, "--labels", qaLabels}, opts...)...)
	if a != b || !strings.Contains(a, `"gwet_ac2"`) || !strings.Contains(a, `"iterations": 7`) {
		t.Fatalf("with options, project and files differ or options ignored:\n%s\nvs\n%s", a, b)
	}
}

func TestMetricsText(t *testing.T) {
	dir, proj, _, _ := qaProject(t)
	code, stdout, stderr := run(t, "metrics", proj)
	if code != 0 {
		t.Fatalf("%d %s", code, stderr)
	}
	golden(t, "metrics_text", dir, stdout)
	// Two annotators: Cohen's kappa is reported, not n/a.
	_, two, _ := run(t, "metrics", proj, "--vendor", "Fjord Review AS")
	if !strings.Contains(two, "n/a (no golden set") && !strings.Contains(two, "Accuracy vs gold") {
		t.Errorf("filtered text output:\n%s", two)
	}
	_, out, _ := run(t, "metrics", proj, "--queue", "live")
	if !strings.Contains(out, "Cohen's kappa") || !strings.Contains(out, "n/a (Cohen's kappa needs exactly two") {
		t.Errorf("text output lacks the n/a reason:\n%s", out)
	}
}

func TestScorecardCSVByVendor(t *testing.T) {
	_, proj, _, _ := qaProject(t)
	code, stdout, stderr := run(t, "scorecard", proj, "--by", "vendor", "--csv")
	if code != 0 {
		t.Fatalf("%d %s", code, stderr)
	}
	recs, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 || recs[0][0] != "vendor" || recs[1][0] != "Fjord Review AS" || recs[2][0] != "Nusantara BPO" || recs[3][0] != "Quality Team" {
		t.Fatalf("rows: %v", recs)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for _, h := range []string{"annotations", "gold_annotations", "gold_accuracy", "gold_accuracy_ci_low", "gold_accuracy_ci_high",
		"over_enforcement", "under_enforcement", "agreement_with_majority", "dawid_skene_accuracy", "median_duration_s",
		"p90_duration_s", "units_per_hour", "overturn_rate", "overturn_rate_ci_low", "overturn_rate_ci_high"} {
		if _, ok := col[h]; !ok {
			t.Errorf("column %s missing", h)
		}
	}
	nusantara := recs[2]
	// ann1 (ad1 approve, ad4 adult, ad5 approve) and ann2 (4 right): 6 of 7.
	if nusantara[col["annotations"]] != "8" || nusantara[col["gold_annotations"]] != "7" || nusantara[col["gold_accuracy"]] != "0.8571428571428571" {
		t.Errorf("Nusantara: %v", nusantara)
	}
	// 2RQA: ad3 (ann2 adult kept) and ad5 (ann1, ann2 approve -> misleading): 2 of 3 overturned.
	if nusantara[col["qa_reviewed"]] != "3" || nusantara[col["overturn_rate"]] != "0.6666666666666666" {
		t.Errorf("Nusantara overturn: %v", nusantara)
	}
	// Quality Team re-labelled nothing of its own: empty cells, never NaN.
	qa := recs[3]
	if qa[col["overturn_rate"]] != "" || strings.Contains(stdout, "NaN") {
		t.Errorf("undefined values must be empty cells: %v", qa)
	}
	// JSON and text forms.
	if code, out, _ := run(t, "scorecard", proj, "--json", "--by", "week"); code != 0 || !strings.Contains(out, `"key": "2026-W45"`) {
		t.Errorf("--by week --json: %d\n%s", code, out)
	}
	if code, out, _ := run(t, "scorecard", proj); code != 0 || !strings.Contains(out, "ann1") || !strings.Contains(out, "Nusantara BPO") {
		t.Errorf("text: %d\n%s", code, out)
	}
}

func TestMetricsBadFlags(t *testing.T) {
	dir, proj, batch, _ := qaProject(t)
	_ = dir
	cases := [][]string{
		{"metrics", proj, "--weights", "cubic"},
		{"metrics", proj, "--level", "nominalish"},
		{"metrics", batch, "--ties", "coin"},
		{"metrics", batch, "--ds-iterations", "0"},
		{"metrics", batch, "--ds-iterations", "1000000000"},
		{"metrics", batch, "--ds-tol", "-1"},
		{"metrics", batch, "--ds-smoothing", "-0.5"},
		{"scorecard", proj, "--ds-smoothing", "NaN"},
		{"metrics", batch, "--seed", "minus-one"},
		{"scorecard", proj, "--by", "planet"},
		{"scorecard", proj, "--json", "--csv"},
		{"scorecard"},
		{"scorecard", proj, "--ties", "coin"},
	}
	for _, args := range cases {
		code, stdout, stderr := run(t, args...)
		if code != ExitUsage || stderr == "" || stdout != "" {
			t.Errorf("labelqa %s: exit %d, stderr %q; want 2 and a message", strings.Join(args, " "), code, stderr)
		}
	}
}

// The measure flags and --by are typed flag values: the flag package
// refuses a bad value while it parses (before any input is read: the file
// below does not exist), and the message names the flag, then says what
// is wrong and what to use in the core's words.
func TestMeasureFlagsRefusedWhileParsing(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nothing.csv")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"metrics", missing, "--ties", "coin"}, `labelqa metrics: invalid value "coin" for flag -ties: unknown tie rule "coin": use first, random or fractional; run 'labelqa metrics -h' for its flags`},
		{[]string{"metrics", missing, "--weights", "cubic"}, `invalid value "cubic" for flag -weights: unknown weights "cubic": use none, linear, quadratic, ordinal, radical, ratio, circular or bipolar`},
		{[]string{"metrics", missing, "--level", "nominalish"}, `invalid value "nominalish" for flag -level: unknown level "nominalish": use nominal, ordinal, interval or ratio`},
		{[]string{"scorecard", missing, "--by", "planet"}, `labelqa scorecard: invalid value "planet" for flag -by: unknown grouping "planet": use reviewer, vendor, team, queue, market, sop, week`},
		{[]string{"scorecard", missing, "--ds-iterations", "0"}, `invalid value "0" for flag -ds-iterations: want 1 to 10000 rounds`},
		{[]string{"metrics", missing, "--ds-iterations", "many"}, `invalid value "many" for flag -ds-iterations: want 1 to 10000 rounds`},
		{[]string{"metrics", missing, "--ds-tol", "-1"}, `invalid value "-1" for flag -ds-tol: want 0 (every round) or a positive tolerance`},
		{[]string{"metrics", missing, "--ds-tol", "NaN"}, `invalid value "NaN" for flag -ds-tol: want a number (0 runs every round)`},
		{[]string{"metrics", missing, "--ds-smoothing", "-0.5"}, `invalid value "-0.5" for flag -ds-smoothing: want 0 (maximum likelihood) or a positive pseudo-count`},
	} {
		code, stdout, stderr := run(t, c.args...)
		if code != ExitUsage || stdout != "" || !strings.Contains(stderr, c.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("labelqa %s: exit %d, stderr %q; want 2 and %q", strings.Join(c.args, " "), code, stderr, c.want)
		}
	}
	// Good values in any case, as before.
	dir, proj, _, _ := qaProject(t)
	_ = dir
	for _, args := range [][]string{
		{"metrics", proj, "--json", "--ties", "Fractional", "--weights", " Quadratic", "--level", "INTERVAL", "--ds-iterations", "3", "--ds-tol", "0", "--ds-smoothing", "0.5"},
		{"scorecard", proj, "--by", "week", "--ties", "random", "--seed", "3"},
	} {
		if code, _, stderr := run(t, args...); code != ExitOK {
			t.Errorf("labelqa %s: exit %d %s", strings.Join(args, " "), code, stderr)
		}
	}
}
