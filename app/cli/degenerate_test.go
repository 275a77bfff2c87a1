package cli

import (
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// degenerate is a project (and, where there is one, the batch file it was
// imported from) at the edge of what the measures can take.
type degenerate struct {
	name   string
	labels string // --labels of init; "" for none
	batch  string // CSV imported after init; "" for none
	gold   string // golden set imported after it; "" for none
}

var degenerates = []degenerate{
	{name: "no labels"},
	{name: "labels ,,, refused, then no labels", labels: ""},
	{name: "no judgments", labels: "approve,misleading_claims"},
	{name: "one judgment", batch: "item_id,annotator_id,label\nad1,ann1,approve\n"},
	{name: "one reviewer", batch: "item_id,annotator_id,label,submitted_at\nad1,ann1,approve,2026-11-02\nad2,ann1,misleading_claims,2026-11-03\nad3,ann1,approve,2026-11-04\n"},
	{name: "gold only", labels: "approve,misleading_claims", gold: "item_id,label\nad1,approve\nad2,misleading_claims\n"},
	{name: "every judgment on one item", batch: "item_id,annotator_id,label\nad1,ann1,approve\nad1,ann2,misleading_claims\nad1,ann3,approve\n",
		gold: "item_id,label\nad1,approve\n"},
	{name: "unanimous", batch: "item_id,annotator_id,label,vendor,queue\nad1,ann1,approve,V,live\nad1,ann2,approve,V,live\nad2,ann1,approve,W,live\nad2,ann2,approve,W,live\n",
		gold: "item_id,label\nad1,approve\nad2,approve\n"},
	{name: "one label declared, unanimous", labels: "approve", batch: "item_id,annotator_id,label\nad1,ann1,approve\nad1,ann2,approve\n"},
	{name: "first import refused", labels: "", batch: "item_id,annotator_id,label\n,ann1,approve\n"},
	{name: "multi-label only", batch: "item_id,annotator_id,label\nad1,ann1,approve|misleading_claims\nad1,ann2,approve|misleading_claims\n"},
	{name: "only 2RQA re-labels", batch: "item_id,annotator_id,label,queue,round,duration_s,submitted_at\nad1,qa1,approve,2rqa,2,5,2026-11-02T08:00:00Z\nad1,qa2,approve,2rqa,2,0,2026-11-02T08:00:00Z\n",
		gold: "item_id,label\nad9,approve\n"},
}

// noPanic fails when a command's output shows a panic or the recovered
// internal error: in tests the recover must not hide a bug.
func noPanic(t *testing.T, args []string, code int, stdout, stderr string) {
	t.Helper()
	for _, bad := range []string{"internal error", "panic", "goroutine ", "NaN"} {
		if strings.Contains(stderr, bad) || strings.Contains(stdout, bad) {
			t.Errorf("labelqa %s: exit %d, output shows %q:\n%s\n%s", strings.Join(args, " "), code, bad, stdout, stderr)
		}
	}
}

// TestDegenerateProjects runs every command on projects with no labels, no
// judgments, one judgment, one reviewer, only gold, one item and unanimous
// judgments: none may panic (metrics used to: "agreement: NCats must be at
// least 1"), each exits 0 with zeros and n/a, and its JSON and CSV parse.
func TestDegenerateProjects(t *testing.T) {
	for _, dg := range degenerates {
		t.Run(dg.name, func(t *testing.T) {
			dir := t.TempDir()
			proj := filepath.Join(dir, "p.lqa")
			do := func(want int, args ...string) (string, string) {
				t.Helper()
				code, stdout, stderr := run(t, args...)
				noPanic(t, args, code, stdout, stderr)
				if code != want {
					t.Errorf("labelqa %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, stdout, stderr)
				}
				if code != 0 && stderr == "" {
					t.Errorf("labelqa %s: exit %d without a message", strings.Join(args, " "), code)
				}
				return stdout, stderr
			}
			if strings.HasPrefix(dg.name, "labels ,,,") {
				do(ExitUsage, "init", proj, "--labels", ",,,")
			}
			if dg.labels != "" {
				do(0, "init", proj, "--labels", dg.labels)
			} else {
				do(0, "init", proj)
			}
			do(ExitFail, "init", proj) // exists
			var inputs [][]string      // the project, and the files themselves
			inputs = append(inputs, []string{proj})
			if dg.batch != "" {
				batch := write(t, dir, "batch.csv", dg.batch)
				want := 0
				if dg.name == "first import refused" {
					want = ExitFail
				}
				do(want, "import", proj, batch)
				if want == 0 {
					files := []string{batch}
					if dg.labels != "" {
						files = append(files, "--labels", dg.labels)
					}
					if dg.gold != "" {
						files = append(files, "--gold", write(t, dir, "gold.csv", dg.gold))
					}
					inputs = append(inputs, files)
				}
			} else {
				// A batch file without rows is refused, with a message.
				header := write(t, dir, "header.csv", "item_id,annotator_id,label\n")
				do(ExitFail, "metrics", header)
				do(ExitFail, "import", proj, header)
			}
			if dg.gold != "" {
				do(0, "gold", proj, write(t, dir, "gold.csv", dg.gold))
			}
			for _, in := range inputs {
				with := func(args ...string) []string { return append(append(args[:1:1], in...), args[1:]...) }
				out, _ := do(0, with("metrics")...)
				if !strings.Contains(out, " on ") || !strings.Contains(out, " by ") || !strings.Contains(out, "Agreement") {
					t.Errorf("metrics %v:\n%s", in, out)
				}
				out, _ = do(0, with("metrics", "--json")...)
				var m struct {
					Schema    string         `json:"schema"`
					Counts    map[string]any `json:"counts"`
					Agreement map[string]any `json:"agreement"`
				}
				if err := json.Unmarshal([]byte(out), &m); err != nil || m.Schema != "labelqa.metrics/v1" || m.Counts == nil || m.Agreement == nil {
					t.Errorf("metrics --json %v: %v\n%s", in, err, out)
				}
				for _, opt := range [][]string{{"--weights", "quadratic"}, {"--weights", "linear", "--level", "ordinal"}, {"--level", "interval"},
					{"--level", "ratio"}, {"--weights", "circular"}, {"--weights", "bipolar"}, {"--ties", "random"}, {"--ties", "fractional"}, {"--ds-tol", "0", "--ds-iterations", "3"}} {
					out, _ = do(0, with(append([]string{"metrics", "--json"}, opt...)...)...)
					if !json.Valid([]byte(out)) {
						t.Errorf("metrics %v: %s", opt, out)
					}
					do(0, with(append([]string{"scorecard", "--by", "vendor"}, opt[len(opt)-2:]...)...)...)
				}
				do(0, with("metrics", "--counts")...)
				out, _ = do(0, with("metrics", "--counts", "--json")...)
				if !json.Valid([]byte(out)) {
					t.Errorf("--counts --json: %s", out)
				}
				for _, by := range []string{"reviewer", "vendor", "team", "queue", "market", "sop", "week"} {
					out, _ = do(0, with("scorecard", "--by", by)...)
					if out == "" {
						t.Errorf("scorecard --by %s printed nothing", by)
					}
					out, _ = do(0, with("scorecard", "--by", by, "--json")...)
					if !json.Valid([]byte(out)) {
						t.Errorf("scorecard --by %s --json: %s", by, out)
					}
					out, _ = do(0, with("scorecard", "--by", by, "--csv")...)
					recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
					if err != nil || len(recs) == 0 || recs[0][0] != by {
						t.Errorf("scorecard --by %s --csv: %v\n%s", by, err, out)
					}
				}
				// A filter naming nothing is refused, also here.
				do(ExitFail, with("metrics", "--vendor", "Nobody Ltd")...)
				do(ExitFail, with("scorecard", "--queue", "nowhere")...)
			}
			do(0, "help")
			do(0, "help", "metrics")
			do(0, "version")
		})
	}
}
