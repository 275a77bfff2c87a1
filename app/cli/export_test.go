package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExport: "labelqa export" writes a project of one vendor that the
// other commands read scoped to it, prints its JSON with a schema, and
// says what to do on bad usage, an unknown vendor and the source as output.
func TestExport(t *testing.T) {
	dir := t.TempDir()
	proj := filepath.Join(dir, "p.lqa")
	batch := write(t, dir, "batch.csv", goodCSV)
	if code, _, stderr := run(t, "init", proj, "--labels", "approve,misleading_claims,=SUM(A1)"); code != 0 {
		t.Fatalf("init: %d %s", code, stderr)
	}
	if code, _, stderr := run(t, "import", proj, batch); code != 0 {
		t.Fatalf("import: %d %s", code, stderr)
	}
	out := filepath.Join(dir, "fjord.lqa")
	code, stdout, stderr := run(t, "export", proj, "--vendor", "Fjord Review AS", "-o", out, "--json")
	if code != 0 {
		t.Fatalf("export: %d %s", code, stderr)
	}
	var res struct {
		Schema      string `json:"schema"`
		Vendor      string `json:"vendor"`
		Annotations int    `json:"annotations"`
		Annotators  int    `json:"annotators"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	// goodCSV: ann3 of Fjord Review AS judged ad2 and ad3.
	if res.Schema != ExportSchema || res.Vendor != "Fjord Review AS" || res.Annotations != 2 || res.Annotators != 1 {
		t.Errorf("export JSON %+v", res)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Nusantara", "nusantara", "ann1", "ann2"} {
		if strings.Contains(string(raw), s) {
			t.Errorf("the export holds %q", s)
		}
	}
	if code, _, stderr := run(t, "metrics", out, "--vendor", "Nusantara BPO"); code != ExitFail || !strings.Contains(stderr, "outside this view") {
		t.Errorf("metrics of another vendor on the export: %d %q", code, stderr)
	}
	if code, stdout, stderr := run(t, "metrics", out, "--json"); code != 0 || !strings.Contains(stdout, `"annotations": 2`) {
		t.Errorf("metrics on the export: %d %s %s", code, stdout, stderr)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"export", proj, "-o", out}, ExitUsage, "name the vendor with --vendor"},
		{[]string{"export", proj, "--vendor", "Fjord Review AS"}, ExitUsage, "name the file to write with -o"},
		{[]string{"export", proj, "--vendor", "Fjord Review AS", "-o", out, "--format", "parquet"}, ExitUsage, "--format lqa"},
		{[]string{"export", proj, "--vendor", "Fjord", "-o", out}, ExitFail, `its vendors are "Fjord Review AS", "Nusantara BPO"`},
		{[]string{"export", proj, "--vendor", "Fjord Review AS", "-o", proj}, ExitFail, "choose another file for the export"},
		{[]string{"export", out, "--vendor", "Nusantara BPO", "-o", filepath.Join(dir, "n.lqa")}, ExitFail, "outside this view"},
	} {
		code, _, stderr := run(t, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: %d %q, want %d and %q", c.args[1:], code, stderr, c.code, c.want)
		}
	}
}
