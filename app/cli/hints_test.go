package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"labelqa/app/remedy"
)

// TestEveryActionHasAFlag fails when the core gains an action the CLI has
// no flag for: its messages would then say what to do without saying how.
func TestEveryActionHasAFlag(t *testing.T) {
	n := 0
	for a := remedy.Action(1); a.String() != "no action"; a++ {
		n++
		if flagHint(remedy.Hint{Action: a, Field: "label", Holder: "column"}) == "" {
			t.Errorf("action %d (%s) has no flag", a, a)
		}
	}
	if n < 8 {
		t.Errorf("only %d actions", n)
	}
}

func TestFlagHint(t *testing.T) {
	for h, want := range map[remedy.Hint]string{
		remedy.Map("label", "column"):          "--map label=COLUMN",
		remedy.Map("", "column"):               "--map FIELD=COLUMN",
		remedy.Map("label", "from_name"):       "--map label=FROM_NAME",
		remedy.MapTo("annotator_id", "owner"):  "--map annotator_id=owner",
		remedy.MapTo("label", "Final verdict"): "--map label='Final verdict'",
		remedy.Format(""):                      "--format FORMAT",
		remedy.Format("doccano"):               "--format doccano",
		remedy.Do(remedy.ChooseSheet):          "--sheet NAME",
		remedy.Do(remedy.AcceptLabels):         "--add-labels",
		remedy.Do(remedy.SkipImported):         "--skip-existing",
		remedy.Do(remedy.ChooseDuplicates):     "--duplicates last|first|keep",
		remedy.Do(remedy.NameGoldVersion):      "--version NAME",
		remedy.Create(""):                      "labelqa init",
		remedy.Create("my ads.lqa"):            "labelqa init 'my ads.lqa'",
	} {
		if got := flagHint(h); got != want {
			t.Errorf("flagHint(%+v) = %q, want %q", h, got, want)
		}
	}
}

// TestErrorsNameTheFlag runs commands whose core errors carry an action and
// checks that stderr names the flag right after the core's words.
func TestErrorsNameTheFlag(t *testing.T) {
	dir := t.TempDir()
	proj := filepath.Join(dir, "p.lqa")
	if code, _, stderr := run(t, "init", proj, "--labels", "approve,misleading_claims,=SUM(A1)"); code != 0 {
		t.Fatal(stderr)
	}
	batch := write(t, dir, "b.csv", goodCSV)
	if code, _, stderr := run(t, "import", proj, batch); code != 0 {
		t.Fatal(stderr)
	}
	noLabel := write(t, dir, "nolabel.csv", "item_id,annotator_id,notes\nx1,alice,approve\n")
	dup := write(t, dir, "dup.csv", "item_id,annotator_id,label\nx1,alice,approve\nx1,alice,approve\n")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"import", proj, batch}, "; to pass over it, skip files imported before (--skip-existing)"},
		{[]string{"import", proj, noLabel}, `nolabel.csv:1: no column for label (required); headers found: "item_id", "annotator_id", "notes"; name the right column (--map label=COLUMN)`},
		{[]string{"import", proj, dup, "--duplicates", "error"}, "; choose how to treat repeats (--duplicates last|first|keep)"},
		{[]string{"import", filepath.Join(dir, "nope.lqa"), batch}, "check the path, or create the project first (labelqa init " + filepath.Join(dir, "nope.lqa") + ")"},
		{[]string{"metrics", noLabel}, "name the right column (--map label=COLUMN)"},
		{[]string{"import", proj, batch, "--map", "labell=verdict"}, `labelqa import: the column mapping names unknown field "labell" (--map FIELD=COLUMN); use one of item_id,`},
	} {
		_, _, stderr := run(t, c.args...)
		if !strings.Contains(stderr, c.want) {
			t.Errorf("%v: stderr\n%s\nwant it to hold\n%s", c.args, stderr, c.want)
		}
	}
}
