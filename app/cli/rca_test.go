package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

const rcaCSV = `item_id,annotator_id,label,vendor,market
ad1,ann1,approve,Nusantara BPO,ID
ad1,ann2,misleading_claims,Fjord Review AS,NO
ad2,ann1,approve,Nusantara BPO,ID
`

// TestRCATagList: tags of a judgment and of an item are stored and listed
// as labelqa.rca/v1 (notes that look like formulas kept as text), a filter
// keeps the tags within it, and every refusal says what to do (pinned in
// testdata/rca_errors.golden).
func TestRCATagList(t *testing.T) {
	dir := t.TempDir()
	proj := dir + "/p.lqa"
	if code, _, stderr := run(t, "init", proj, "--labels", "approve,misleading_claims"); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := run(t, "import", proj, write(t, dir, "b.csv", rcaCSV)); code != 0 {
		t.Fatal(stderr)
	}
	for _, args := range [][]string{
		{"rca", "tag", proj, "--item", "ad1", "--annotator", "ann1", "--cause", "SOP ambiguity", "--note", "=HYPERLINK(\"x\")"},
		{"rca", "tag", proj, "--item", "ad2", "--cause", "training_gap"},
	} {
		if code, stdout, stderr := run(t, args...); code != 0 || !strings.HasPrefix(stdout, "tagged ") {
			t.Fatalf("%v: exit %d, %q %q", args, code, stdout, stderr)
		}
	}
	code, stdout, stderr := run(t, "rca", "list", proj, "--json")
	if code != 0 {
		t.Fatal(stderr)
	}
	var got struct {
		Schema string `json:"schema"`
		Tags   []map[string]string
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	if got.Schema != "labelqa.rca/v1" || len(got.Tags) != 2 {
		t.Fatalf("list: %s", stdout)
	}
	first := got.Tags[0]
	if first["item_id"] != "ad1" || first["annotator_id"] != "ann1" || first["cause"] != "sop_ambiguity" || first["note"] != `=HYPERLINK("x")` || first["tagged_at"] == "" {
		t.Errorf("first tag %v", first)
	}
	if second := got.Tags[1]; second["annotator_id"] != "" || second["cause"] != "training_gap" {
		t.Errorf("second tag %v", second)
	}
	// Fjord's judgment of ad1 is not tagged, and Fjord never labeled ad2.
	if code, stdout, _ := run(t, "rca", "list", proj, "--json", "--vendor", "Fjord Review AS"); code != 0 || !strings.Contains(stdout, `"tags": []`) {
		t.Errorf("Fjord's tags: %s", stdout)
	}
	if code, stdout, _ := run(t, "rca", "list", proj); code != 0 || !strings.Contains(stdout, "(whole item)") || !strings.Contains(stdout, "sop_ambiguity") {
		t.Errorf("text list: %s", stdout)
	}

	var b strings.Builder
	for _, args := range [][]string{
		{"rca"},
		{"rca", "untag", proj},
		{"rca", "tag", proj, "--cause", "other"},
		{"rca", "tag", proj, "--item", "ad1"},
		{"rca", "tag", proj, "--item", "ad1", "--cause", "laziness"},
		{"rca", "tag", proj, "--item", "AD1", "--cause", "other"},
		{"rca", "tag", proj, "--item", "ad2", "--annotator", "ann2", "--cause", "other"},
		{"rca", "tag", dir + "/none.lqa", "--item", "ad1", "--cause", "other"},
		{"rca", "list", proj, "--from", "2026-13-01"},
	} {
		code, _, stderr := run(t, args...)
		b.WriteString("$ labelqa " + strings.Join(args, " ") + "\n" + stderr)
		b.WriteString("exit " + string(rune('0'+code)) + "\n\n")
	}
	golden(t, "rca_errors", dir, b.String())
	if code, stdout, _ := run(t, "rca", "list", proj, "--json"); code != 0 || strings.Count(stdout, `"cause"`) != 2 {
		t.Errorf("refusals stored a tag: %s", stdout)
	}
}

// TestRCAUntag: the same cause tagged twice is one tag (the latest note);
// untag removes an item's or a judgment's tags, of one cause or all, and a
// tag that does not exist is refused with where to look.
func TestRCAUntag(t *testing.T) {
	dir := t.TempDir()
	proj := dir + "/p.lqa"
	if code, _, stderr := run(t, "init", proj, "--labels", "approve,misleading_claims"); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := run(t, "import", proj, write(t, dir, "b.csv", rcaCSV)); code != 0 {
		t.Fatal(stderr)
	}
	for _, args := range [][]string{
		{"rca", "tag", proj, "--item", "ad1", "--annotator", "ann1", "--cause", "training_gap", "--note", "first"},
		{"rca", "tag", proj, "--item", "ad1", "--annotator", "ann1", "--cause", "training gap", "--note", "second"},
		{"rca", "tag", proj, "--item", "ad1", "--annotator", "ann1", "--cause", "carelessness"},
		{"rca", "tag", proj, "--item", "ad1", "--cause", "sop_ambiguity"},
	} {
		if code, _, stderr := run(t, args...); code != 0 {
			t.Fatalf("%v: %s", args, stderr)
		}
	}
	list := func() string {
		_, stdout, _ := run(t, "rca", "list", proj, "--json")
		return stdout
	}
	if l := list(); strings.Count(l, "training_gap") != 1 || !strings.Contains(l, `"second"`) || strings.Contains(l, `"first"`) {
		t.Errorf("the same cause twice is not one tag with the latest note: %s", l)
	}
	if code, stdout, stderr := run(t, "rca", "untag", proj, "--item", "ad1", "--annotator", "ann1", "--cause", "carelessness"); code != 0 || !strings.Contains(stdout, "removed 1") {
		t.Errorf("untag one cause: exit %d, %q %q", code, stdout, stderr)
	}
	if l := list(); strings.Contains(l, "carelessness") || !strings.Contains(l, "training_gap") || !strings.Contains(l, "sop_ambiguity") {
		t.Errorf("after untagging carelessness: %s", l)
	}
	if code, _, _ := run(t, "rca", "untag", proj, "--item", "ad1"); code != 0 {
		t.Error("untag the item's own tags failed")
	}
	if l := list(); strings.Contains(l, "sop_ambiguity") || !strings.Contains(l, "training_gap") {
		t.Errorf("untagging the item removed its judgment's tags, or kept its own: %s", l)
	}
	if code, _, stderr := run(t, "rca", "untag", proj, "--item", "ad2"); code != ExitFail || !strings.Contains(stderr, "labelqa rca list") {
		t.Errorf("untag of no tag: exit %d, %q; want 1 and where to look", code, stderr)
	}
	if code, _, stderr := run(t, "rca", "untag", proj, "--item", "nope"); code != ExitFail || !strings.Contains(stderr, "not in the project") {
		t.Errorf("untag of an unknown item: exit %d, %q", code, stderr)
	}
	if code, _, _ := run(t, "rca", "untag", proj, "--item", "ad1", "--cause", "nonsense"); code != ExitUsage {
		t.Errorf("untag with an unknown cause: exit %d, want 2", code)
	}
}
