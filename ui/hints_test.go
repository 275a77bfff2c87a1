package ui

import (
	"errors"
	"testing"

	"labelqa/app/remedy"
)

// TestControlHints names the control for each action of the core, or none
// where the workbench has no control for it yet; a new action fails here
// until it is decided.
func TestControlHints(t *testing.T) {
	want := map[remedy.Action]string{
		remedy.MapField:         "", // no column mapping in the Import view yet
		remedy.ChooseSheet:      "", // nor a sheet choice
		remedy.ChooseFormat:     "choose under “Format”",
		remedy.AcceptLabels:     "turn on “Accept labels outside the project's label set”",
		remedy.SkipImported:     "turn on “Skip files imported before”",
		remedy.ChooseDuplicates: "choose under “Repeated rows”",
		remedy.NameGoldVersion:  "", // golden sets are imported with the CLI only
		remedy.CreateProject:    "File › New project…",
	}
	for a := remedy.Action(1); a.String() != "no action"; a++ {
		w, ok := want[a]
		if !ok {
			t.Errorf("action %q: no control decided; add it to controlHint (or \"\" when there is none)", a)
			continue
		}
		if got := controlHint(remedy.Hint{Action: a}); got != w {
			t.Errorf("action %q: %q, want %q", a, got, w)
		}
	}
	if got := controlHint(remedy.Format("doccano")); got != "choose “doccano” under “Format”" {
		t.Errorf("Format(doccano): %q", got)
	}
	err := remedy.With(errors.New("a.csv: this file was already imported into the project; to pass over it, skip files imported before"), remedy.Do(remedy.SkipImported))
	if got, want := problemWords(err), "a.csv: this file was already imported into the project; to pass over it, skip files imported before (turn on “Skip files imported before”)"; got != want {
		t.Errorf("problemWords = %q, want %q", got, want)
	}
}
