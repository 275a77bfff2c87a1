package cli

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestTargetsSetListDelete(t *testing.T) {
	dir := t.TempDir()
	proj := filepath.Join(dir, "ads.lqa")
	if code, _, stderr := run(t, "init", proj, "--labels", "approve,misleading_claims"); code != 0 {
		t.Fatalf("init: %d %s", code, stderr)
	}
	for _, args := range [][]string{
		{"targets", "set", proj, "--metric", "gold_accuracy", "--target", "95%", "--amber", "92%"},
		{"targets", "set", proj, "--metric", "gold_accuracy", "--target", "0.97", "--vendor", "=Fjord Review AS", "--queue", "Live"},
		{"targets", "set", proj, "--metric", "aht_median_s", "--target", "30", "--amber", "40", "--market", "NO"},
		// Replaces the first: the same metric and scope.
		{"targets", "set", proj, "--metric", "gold_accuracy", "--target", "94%", "--amber", "0.9"},
	} {
		if code, _, stderr := run(t, args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
	}
	code, out, stderr := run(t, "targets", "list", proj, "--json")
	if code != 0 {
		t.Fatalf("list: %d %s", code, stderr)
	}
	var got struct {
		Schema  string `json:"schema"`
		Targets []struct {
			Metric, Vendor, Queue, Market string
			Target                        float64
			Amber                         *float64
			HigherIsBetter                bool `json:"higher_is_better"`
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.Schema != "labelqa.targets/v1" || len(got.Targets) != 3 {
		t.Fatalf("schema %q, %d targets:\n%s", got.Schema, len(got.Targets), out)
	}
	// Ordered by metric, vendor, queue, market (the store's order).
	aht, global, fjord := got.Targets[0], got.Targets[1], got.Targets[2]
	if aht.Metric != "aht_median_s" || aht.Market != "NO" || aht.Target != 30 || aht.Amber == nil || *aht.Amber != 40 || aht.HigherIsBetter {
		t.Errorf("aht target: %+v", aht)
	}
	if global.Metric != "gold_accuracy" || global.Vendor != "" || global.Target != 0.94 || global.Amber == nil || *global.Amber != 0.9 || !global.HigherIsBetter {
		t.Errorf("global gold target: %+v", global)
	}
	if fjord.Vendor != "=Fjord Review AS" || fjord.Queue != "live" || fjord.Target != 0.97 || fjord.Amber != nil {
		t.Errorf("vendor target (queue stored lower-cased, no amber: null): %+v", fjord)
	}
	if !strings.Contains(out, `"amber": null`) {
		t.Errorf("a target without amber band has amber null:\n%s", out)
	}

	code, out, _ = run(t, "targets", "list", proj)
	if code != 0 || !strings.Contains(out, "94%") || !strings.Contains(out, "lower") || !strings.Contains(out, "(any)") {
		t.Errorf("text list: %d\n%s", code, out)
	}

	// Delete with the queue in another case: queues match ignoring case.
	if code, out, stderr := run(t, "targets", "delete", proj, "--metric", "gold_accuracy", "--vendor", "=Fjord Review AS", "--queue", "LIVE"); code != 0 || !strings.Contains(out, "deleted") {
		t.Fatalf("delete: %d %s %s", code, out, stderr)
	}
	code, _, stderr = run(t, "targets", "delete", proj, "--metric", "gold_accuracy", "--vendor", "=Fjord Review AS", "--queue", "live")
	if code != ExitFail || !strings.Contains(stderr, "no target") || !strings.Contains(stderr, "targets list") {
		t.Errorf("deleting a missing target: %d %s", code, stderr)
	}
	_, out, _ = run(t, "targets", "list", proj, "--json")
	if strings.Contains(out, "Fjord") {
		t.Errorf("deleted target still listed:\n%s", out)
	}
}

func TestTargetsRefusals(t *testing.T) {
	dir := t.TempDir()
	proj := filepath.Join(dir, "ads.lqa")
	run(t, "init", proj, "--labels", "approve,misleading_claims")
	var transcript strings.Builder
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"targets"}, ExitUsage, "want set, list or delete"},
		{[]string{"targets", "show", proj}, ExitUsage, "unknown subcommand"},
		{[]string{"targets", "set", proj, "--target", "95%"}, ExitUsage, "--metric is required"},
		{[]string{"targets", "set", proj, "--metric", "accuracy", "--target", "95%"}, ExitUsage, "unknown metric"},
		{[]string{"targets", "set", proj, "--metric", "gold_accuracy"}, ExitUsage, "--target is required"},
		{[]string{"targets", "set", proj, "--metric", "gold_accuracy", "--target", "95"}, ExitUsage, "between 0 and 1"},
		{[]string{"targets", "set", proj, "--metric", "gold_accuracy", "--target", "high"}, ExitUsage, "0.95 or 95%"},
		{[]string{"targets", "set", proj, "--metric", "units_per_hour", "--target", "95%"}, ExitUsage, "not a rate"},
		{[]string{"targets", "set", proj, "--metric", "gold_accuracy", "--target", "90%", "--amber", "95%"}, ExitUsage, "must not be above"},
		{[]string{"targets", "set", proj, "--metric", "overturn_rate", "--target", "5%", "--amber", "2%"}, ExitUsage, "must not be below"},
		{[]string{"targets", "list"}, ExitUsage, "want one project"},
		{[]string{"targets", "list", filepath.Join(dir, "x.csv")}, ExitFail, "not a project"},
		{[]string{"targets", "delete", proj}, ExitUsage, "--metric is required"},
	} {
		code, _, stderr := run(t, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", c.args[1:], code, stderr, c.code, c.want)
		}
		transcript.WriteString("$ labelqa " + strings.Join(c.args, " ") + "\n" + stderr + "exit " + strconv.Itoa(code) + "\n\n")
	}
	golden(t, "targets_errors", dir, transcript.String())
	_, out, _ := run(t, "targets", "list", proj, "--json")
	if !strings.Contains(out, `"targets": []`) {
		t.Errorf("refused targets were stored:\n%s", out)
	}
}
