package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// run executes the CLI in-process and returns its exit status and output.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// golden compares got with testdata/NAME.golden, with the temp dir replaced
// by $DIR so the file is stable.
func golden(t *testing.T, name, dir, got string) {
	t.Helper()
	got = strings.ReplaceAll(got, dir, "$DIR")
	path := filepath.Join("testdata", name+".golden")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./app/cli -update to create it)", err)
	}
	if got != string(want) {
		t.Fatalf("output differs from %s:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

const goodCSV = `item_id,annotator_id,label,vendor,market,queue,submitted_at,duration_s
ad1,ann1,approve,Nusantara BPO,ID,live,2026-11-02T08:00:00Z,12.5
ad1,ann2,misleading_claims,Nusantara BPO,ID,live,2026-11-02T08:01:00Z,30
ad2,ann1,approve,Nusantara BPO,ID,live,2026-11-02T08:02:00Z,8
ad2,ann3,approve,Fjord Review AS,NO,live,2026-11-02T09:00:00Z,20
ad3,ann3,=SUM(A1),Fjord Review AS,NO,practice,2026-11-03T09:00:00Z,20
ad1,ann1,misleading_claims,Nusantara BPO,ID,live,2026-11-02T10:00:00Z,12.5
`

func TestInitImportMetrics(t *testing.T) {
	dir := t.TempDir()
	proj := filepath.Join(dir, "p.lqa")
	batch := write(t, dir, "batch.csv", goodCSV)
	gold := write(t, dir, "gold.csv", "item_id,label\nad1,misleading_claims\nad9,approve\n")

	if code, _, stderr := run(t, "init", proj, "--labels", "approve,misleading_claims,=SUM(A1)"); code != 0 {
		t.Fatalf("init: %d %s", code, stderr)
	}
	code, stdout, stderr := run(t, "import", proj, batch)
	if code != 0 {
		t.Fatalf("import: %d %s", code, stderr)
	}
	if !strings.Contains(stdout, "6 rows (csv), 5 stored, 1 duplicate (last), 3 new items, 3 new annotators") {
		t.Fatalf("import summary: %q", stdout)
	}
	if code, _, stderr := run(t, "import", proj, batch); code != 1 || !strings.Contains(stderr, "already imported") {
		t.Fatalf("second import: %d %q", code, stderr)
	}
	if code, stdout, _ := run(t, "import", proj, batch, "--skip-existing"); code != 0 || !strings.Contains(stdout, "skipped") {
		t.Fatalf("--skip-existing: %d %q", code, stdout)
	}
	if code, stdout, stderr := run(t, "gold", proj, gold); code != 0 || !strings.Contains(stdout, `golden-set version "gold", 2 items (1 not yet labeled)`) {
		t.Fatalf("gold: %d %q %q", code, stdout, stderr)
	}

	code, stdout, stderr = run(t, "metrics", proj, "--json")
	if code != 0 {
		t.Fatalf("metrics: %d %s", code, stderr)
	}
	var m struct {
		Schema string `json:"schema"`
		Counts struct {
			Items, Annotators, Annotations, GoldItems, Duplicates int
			Labels                                                []string
		} `json:"counts"`
	}
	if err := json.Unmarshal([]byte(stdout), &m); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if !strings.Contains(stdout, `"gold_items": 2`) || m.Schema != "labelqa.metrics/v1" || m.Counts.Items != 3 ||
		m.Counts.Annotators != 3 || m.Counts.Annotations != 5 || m.Counts.Duplicates != 1 ||
		strings.Join(m.Counts.Labels, ",") != "approve,misleading_claims,=SUM(A1)" {
		t.Fatalf("metrics counts:\n%s", stdout)
	}

	// The same files read directly give the same counts.
	code, fileOut, stderr := run(t, "metrics", batch, "--gold", gold, "--json", "--labels", "approve,misleading_claims,=SUM(A1)")
	if code != 0 {
		t.Fatalf("metrics on files: %d %s", code, stderr)
	}
	if fileOut != stdout {
		t.Fatalf("metrics on files differs from metrics on the project:\n%s\nvs\n%s", fileOut, stdout)
	}

	// --counts gives the same counts and nothing else, for the project and for the files.
	code, countsOut, _ := run(t, "metrics", proj, "--json", "--counts")
	var onlyCounts map[string]any
	if code != 0 || json.Unmarshal([]byte(countsOut), &onlyCounts) != nil || len(onlyCounts) != 2 {
		t.Fatalf("--counts: %d\n%s", code, countsOut)
	}
	if _, fileCounts, _ := run(t, "metrics", batch, "--gold", gold, "--json", "--counts", "--labels", "approve,misleading_claims,=SUM(A1)"); fileCounts != countsOut {
		t.Fatalf("--counts on files differs from the project:\n%s\nvs\n%s", fileCounts, countsOut)
	}
	var full map[string]any
	json.Unmarshal([]byte(stdout), &full)
	if !reflect.DeepEqual(full["counts"], onlyCounts["counts"]) {
		t.Fatalf("--counts differs from the full report's counts:\n%s\nvs\n%s", countsOut, stdout)
	}

	// Filters.
	code, stdout, _ = run(t, "metrics", proj, "--json", "--vendor", "Fjord Review AS")
	if code != 0 || !strings.Contains(stdout, `"annotations": 2`) {
		t.Fatalf("--vendor: %s", stdout)
	}
	code, stdout, _ = run(t, "metrics", proj, "--json", "--from", "2026-11-03")
	if code != 0 || !strings.Contains(stdout, `"annotations": 1`) {
		t.Fatalf("--from: %s", stdout)
	}
}

func TestImportRefusedLeavesProjectUnchanged(t *testing.T) {
	dir := t.TempDir()
	proj := filepath.Join(dir, "p.lqa")
	run(t, "init", proj, "--labels", "approve,misleading_claims")
	bad := write(t, dir, "bad.csv", "item_id,annotator_id,label,duration_s\nad1,ann1,approve,3\nad2,ann1,aprove,4\n,ann2,approve,5\nad3,ann2,approve,-1\n")
	code, stdout, stderr := run(t, "import", proj, bad)
	if code != 1 || stdout != "" {
		t.Fatalf("exit %d, stdout %q", code, stdout)
	}
	golden(t, "import_bad_csv", dir, stderr)
	_, out, _ := run(t, "metrics", proj, "--json")
	if !strings.Contains(out, `"annotations": 0`) || !strings.Contains(out, `"items": 0`) {
		t.Fatalf("a refused import changed the project:\n%s", out)
	}
	// Nothing was recorded, so the fixed file can be imported.
	code, _, _ = run(t, "import", proj, bad)
	if code != 1 {
		t.Fatal("a refused import must stay refusable, not be recorded as imported")
	}
}

func TestUsageErrors(t *testing.T) {
	cases := [][]string{
		{"frobnicate"},
		{"import"},
		{"import", "p.lqa"},
		{"init"},
		{"metrics"},
		{"import", "p.lqa", "x.csv", "--duplicates", "newest"},
		{"metrics", "x.csv", "--from", "yesterday"},
		{"import", "p.lqa", "x.csv", "--map", "nonsense"},
	}
	for _, args := range cases {
		if code, _, stderr := run(t, args...); code != ExitUsage || stderr == "" {
			t.Errorf("labelqa %s: exit %d, stderr %q; want 2 and a message", strings.Join(args, " "), code, stderr)
		}
	}
	if code, _, _ := run(t); code != ExitUsage {
		t.Error("no arguments in the CLI must be a usage error (main opens the GUI before that)")
	}
}

func TestHelpAndVersion(t *testing.T) {
	if code, out, _ := run(t, "version"); code != 0 || !strings.HasPrefix(out, "labelqa ") {
		t.Fatalf("version: %d %q", code, out)
	}
	if code, out, _ := run(t, "help"); code != 0 || !strings.Contains(out, "metrics") {
		t.Fatalf("help: %d %q", code, out)
	}
	if code, out, _ := run(t, "help", "import"); code != 0 || !strings.Contains(out, "--duplicates") {
		t.Fatalf("help import: %d %q", code, out)
	}
	if code, _, errOut := run(t, "import", "-h"); code != 0 || !strings.Contains(errOut, "--skip-existing") && !strings.Contains(errOut, "-skip-existing") {
		t.Fatalf("import -h: %d %q", code, errOut)
	}
}

func TestMissingProject(t *testing.T) {
	dir := t.TempDir()
	batch := write(t, dir, "b.csv", goodCSV)
	code, _, stderr := run(t, "import", filepath.Join(dir, "nope.lqa"), batch)
	if code != 1 || !strings.Contains(stderr, "labelqa init") {
		t.Fatalf("%d %q", code, stderr)
	}
}
