package cli

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"labelqa/analysis/gold"
	"labelqa/app/metrics"
)

func wilson(x, n float64) metrics.Interval {
	p := gold.Wilson(x, n, gold.Z95)
	return metrics.Interval{Value: metrics.Float(p.Value), CILow: metrics.Float(p.Low), CIHigh: metrics.Float(p.High), N: n}
}

// rankingReport is a hand-made report with the cases "Weakest reviewers",
// "Worst labels" and "Disputed gold" got wrong: a reviewer with 0 of 3 gold
// answers right (Wilson [0%, 56.2%]) beside one with 36 of 95 ([28.8%,
// 47.9%]); a label with F1 0 over 2 gold answers; and disputed posteriors of
// 2e-08 and 1 - 1e-12 that printed as 0.000 and 1.000.
func rankingReport() *metrics.Report {
	nan := metrics.Float(math.NaN())
	labels := []string{"approve", "scam", "adult"}
	r := &metrics.Report{Counts: metrics.Counts{Labels: labels}}
	r.Gold = &metrics.Gold{
		PerLabel: map[string]metrics.LabelScores{
			"approve": {Precision: 0.9, Recall: 0.8, F1: 0.847, Support: 120},
			"scam":    {Precision: 0.7, Recall: 0.75, F1: 0.724, Support: 40},
			"adult":   {Precision: 0, Recall: 0, F1: 0, Support: 2},
		},
		Confusion: metrics.Confusion{Labels: labels, Matrix: [][]int64{{96, 20, 4}, {9, 30, 1}, {1, 1, 0}}},
		Disputed: []metrics.DisputedGold{
			{Item: "ad-1", Gold: "scam", Suggested: "approve", Posterior: 1 - 1e-12, GoldPosterior: 1e-12, ByPosterior: true, ByReviewers: true,
				Reviewers: []string{"r1", "r2", "r3", "r4"}, Votes: map[string]int{"approve": 5, "scam": 1}},
			{Item: "ad-2", Gold: "approve", Suggested: "adult", Posterior: 2e-08, GoldPosterior: 0.99999998, ByReviewers: true,
				Reviewers: []string{"r1", "r2", "r3"}, Votes: map[string]int{"approve": 6, "adult": 3}},
			{Item: "ad-3", Gold: "adult", Suggested: "scam", Posterior: 0.93, GoldPosterior: 0.0004, ByPosterior: true,
				Reviewers: []string{}, Votes: map[string]int{"scam": 2, "adult": 1}},
		},
	}
	r.Annotators = []metrics.Annotator{
		{ID: "tiny", Vendor: "V1", GoldAnnotations: 3, GoldAccuracy: wilson(0, 3), AgreementWithMajority: 0.5, AgreementScored: 4},
		{ID: "big", Vendor: "V2", GoldAnnotations: 95, GoldAccuracy: wilson(36, 95), AgreementWithMajority: 0.4, AgreementScored: 180},
		{ID: "good", Vendor: "V2", GoldAnnotations: 90, GoldAccuracy: wilson(81, 90), AgreementWithMajority: 0.85, AgreementScored: 170},
		{ID: "none", Vendor: "V1", GoldAccuracy: metrics.Interval{Value: nan, CILow: nan, CIHigh: nan}},
	}
	return r
}

func TestRankingText(t *testing.T) {
	r := rankingReport()
	var b bytes.Buffer
	printWorstLabels(&b, r)
	printWeakestReviewers(&b, r)
	printDisputedGold(&b, r)
	out := b.String()
	golden(t, "metrics_ranking", "", out)
	// The reviewer with 36 of 95 right is surely weaker than the one with
	// 0 of 3 (whose interval reaches 56%): big ranks first.
	if i, j := strings.Index(out, "  big "), strings.Index(out, "  tiny "); i < 0 || j < 0 || i > j {
		t.Errorf("big should rank before tiny:\n%s", out)
	}
	if d := out[strings.Index(out, "Disputed gold"):]; strings.Contains(d, "0.000") || strings.Contains(d, "1.000") {
		t.Errorf("a posterior rounds to 0.000 or 1.000:\n%s", out)
	}
}

func TestProb(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{{0, "0"}, {2e-08, "2.0e-08"}, {0.00099, "9.9e-04"}, {0.001, "0.001"}, {0.5, "0.500"}, {0.999, "0.999"},
		{0.9991, ">0.999"}, {1 - 1e-12, ">0.999"}, {1, ">0.999"}, {math.NaN(), "n/a"}} {
		if got := prob(metrics.Float(c.v)); got != c.want {
			t.Errorf("prob(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}

// --level ordinal on batch files without --labels: the warning goes to
// stderr (with the flag that fixes it) and into the JSON's warnings; stdout
// stays one JSON object.
func TestMetricsOrderWarning(t *testing.T) {
	dir := t.TempDir()
	batch := write(t, dir, "b.csv", "item_id,annotator_id,label\na,x,scam\na,y,approve\nb,x,adult\nb,y,adult\n")
	code, stdout, stderr := run(t, "metrics", batch, "--level", "ordinal", "--json")
	if code != 0 {
		t.Fatalf("%d %s", code, stderr)
	}
	const want = "labelqa metrics: warning: labels have no declared order; Krippendorff's alpha at the ordinal level use the sorted order adult < approve < scam; declare the label order to change it (give the order with --labels a,b,c)\n"
	if stderr != want {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
	var m struct{ Warnings []string }
	if err := json.Unmarshal([]byte(stdout), &m); err != nil || len(m.Warnings) != 1 || !strings.HasPrefix(m.Warnings[0], "labels have no declared order") {
		t.Errorf("warnings %v (%v)", m.Warnings, err)
	}
	// Declared: no warning, and an empty array.
	_, stdout, stderr = run(t, "metrics", batch, "--level", "ordinal", "--labels", "approve,scam,adult", "--json")
	if stderr != "" || !strings.Contains(stdout, `"warnings": []`) {
		t.Errorf("declared order warned: %q\n%s", stderr, stdout)
	}
}

// A filter that selects judgments but no gold item: the golden set still exists (gold is
// an object, not null), counts.gold_items is 0, and the summary says why
// there is no accuracy instead of "no golden set".
func TestMetricsFilterWithoutGold(t *testing.T) {
	_, proj, _, _ := qaProject(t)
	code, stdout, stderr := run(t, "metrics", proj, "--from", "2026-11-02T08:02:00Z", "--to", "2026-11-02T08:03:00Z")
	if code != 0 {
		t.Fatalf("%d %s", code, stderr)
	}
	if !strings.Contains(stdout, "Accuracy vs gold   n/a (no annotation selected is on a gold item)") ||
		!strings.Contains(stdout, "repeated (item, annotator) rows: not known within a filter") {
		t.Errorf("summary:\n%s", stdout)
	}
	_, stdout, _ = run(t, "metrics", proj, "--from", "2026-11-02T08:02:00Z", "--to", "2026-11-02T08:03:00Z", "--json")
	var m struct {
		Counts map[string]any
		Gold   map[string]any
	}
	if err := json.Unmarshal([]byte(stdout), &m); err != nil {
		t.Fatal(err)
	}
	if m.Counts["gold_items"] != 0.0 || m.Counts["duplicates"] != nil || m.Gold == nil || m.Gold["annotations"] != 0.0 {
		t.Errorf("counts %v, gold %v", m.Counts, m.Gold)
	}
}

// Two annotators: Bangdiwala's B is printed with its SE, interval and
// p-value like every other coefficient (B = (2² + 1²)/(2·3 + 2·1) = 0.625).
func TestBangdiwalaText(t *testing.T) {
	dir := t.TempDir()
	batch := write(t, dir, "b.csv", "item_id,annotator_id,label\na,x,approve\na,y,approve\nb,x,scam\nb,y,approve\nc,x,scam\nc,y,scam\nd,x,approve\nd,y,approve\n")
	code, stdout, stderr := run(t, "metrics", batch, "--labels", "approve,scam")
	if code != 0 {
		t.Fatalf("%d %s", code, stderr)
	}
	var line string
	for _, l := range strings.Split(stdout, "\n") {
		if strings.Contains(l, "Bangdiwala's B") {
			line = l
		}
	}
	f := strings.Fields(strings.TrimPrefix(line, "  Bangdiwala's B"))
	if len(f) != 5 || f[0] != "0.625" || !strings.HasPrefix(f[1], "[") || f[3] == "n/a" || f[4] == "n/a" {
		t.Errorf("Bangdiwala line %q", line)
	}
}
