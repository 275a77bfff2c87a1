package remedy

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"testing"
)

// flags names hints the way a command line would, for the tests.
func flags(h Hint) string {
	switch h.Action {
	case MapField:
		return "--map " + h.Field + "=" + h.Value + h.Holder
	case ChooseFormat:
		return "--format " + h.Value
	case SkipImported:
		return "--skip-existing"
	case AcceptLabels:
		return "--add-labels"
	}
	return ""
}

// posError is like ingest.Error: a position before the text, a byte offset after.
type posError struct{ err error }

func (e *posError) Error() string { return "b.csv:3: " + e.err.Error() + " (byte 12)" }
func (e *posError) Unwrap() error { return e.err }

// reworded wraps an error but says it in other words.
type reworded struct{ err error }

func (e *reworded) Error() string { return "the import failed" }
func (e *reworded) Unwrap() error { return e.err }

func TestRender(t *testing.T) {
	sentinel := errors.New("this file was already imported")
	mapLabel := With(errors.New("no column for label; name the right column"), Map("label", "COLUMN"))
	tests := []struct {
		name  string
		err   error
		plain string
		cli   string
	}{
		{"no remedy", errors.New("the disk is full"), "the disk is full", "the disk is full"},
		{"at the end", mapLabel,
			"no column for label; name the right column",
			"no column for label; name the right column (--map label=COLUMN)"},
		{"inside a position error", &posError{With(errors.New("label is new; fix the file or accept new labels"), Do(AcceptLabels))},
			"b.csv:3: label is new; fix the file or accept new labels (byte 12)",
			"b.csv:3: label is new; fix the file or accept new labels (--add-labels) (byte 12)"},
		{"wrapped by fmt.Errorf", fmt.Errorf("a.csv: %w", With(fmt.Errorf("%w; skip files imported before", sentinel), Do(SkipImported))),
			"a.csv: this file was already imported; skip files imported before",
			"a.csv: this file was already imported; skip files imported before (--skip-existing)"},
		{"two remedies, each after its words",
			With(fmt.Errorf("%w; if this is a doccano export, choose the doccano format", mapLabel), Format("doccano")),
			"no column for label; name the right column; if this is a doccano export, choose the doccano format",
			"no column for label; name the right column (--map label=COLUMN); if this is a doccano export, choose the doccano format (--format doccano)"},
		{"several hints of one remedy", With(errors.New("no columns for item_id, label; name the right columns"), Map("item_id", "COLUMN"), Map("label", "COLUMN")),
			"no columns for item_id, label; name the right columns",
			"no columns for item_id, label; name the right columns (--map item_id=COLUMN --map label=COLUMN)"},
		{"a hint the face has no name for", With(errors.New("name the version"), Do(NameGoldVersion)),
			"name the version", "name the version"},
		{"a wrapper that rewords", &reworded{mapLabel}, "the import failed", "the import failed (--map label=COLUMN)"},
		{"a joined error", errors.Join(errors.New("first"), mapLabel),
			"first\nno column for label; name the right column",
			"first\nno column for label; name the right column (--map label=COLUMN)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.plain {
				t.Errorf("Error() = %q, want %q", got, tt.plain)
			}
			if got := Render(tt.err, flags); got != tt.cli {
				t.Errorf("Render = %q, want %q", got, tt.cli)
			}
			if got := Render(tt.err, func(Hint) string { return "" }); got != tt.plain {
				t.Errorf("Render without names = %q, want the plain text %q", got, tt.plain)
			}
		})
	}
	if Render(nil, flags) != "" {
		t.Error("Render(nil) is not empty")
	}
}

func TestWithKeepsTheChain(t *testing.T) {
	err := fmt.Errorf("x.lqa: %w", With(fmt.Errorf("%w; check the path", fs.ErrNotExist), Create("x.lqa")))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Error("errors.Is does not see through With")
	}
	hints, ok := Of(err)
	if !ok || !slices.Equal(hints, []Hint{{Action: CreateProject, Value: "x.lqa"}}) {
		t.Errorf("Of = %v, %v", hints, ok)
	}
	if _, ok := Of(errors.New("plain")); ok {
		t.Error("Of finds a remedy in a plain error")
	}
	if With(nil, Do(SkipImported)) != nil {
		t.Error("With(nil) is not nil")
	}
	nested := With(fmt.Errorf("%w; or choose xlsx", With(errors.New("map it"), Map("label", "key"))), Format("xlsx"))
	if got, want := All(nested), []Hint{Format("xlsx"), Map("label", "key")}; !slices.Equal(got, want) {
		t.Errorf("All = %v, want %v", got, want)
	}
	if SkipImported.String() != "skip files imported before" || Action(0).String() != "no action" {
		t.Errorf("String: %q, %q", SkipImported, Action(0))
	}
}

func TestTag(t *testing.T) {
	for h, want := range map[Hint]string{
		Map("label", "column"):         "hint: map a field label=COLUMN",
		MapTo("annotator_id", "owner"): "hint: map a field annotator_id=owner",
		Format("doccano"):              "hint: choose the format doccano",
		Do(SkipImported):               "hint: skip files imported before",
		Create("a.lqa"):                "hint: create a project a.lqa",
	} {
		if got := Tag(h); got != want {
			t.Errorf("Tag(%+v) = %q, want %q", h, got, want)
		}
	}
}

func TestRenderEmptyText(t *testing.T) {
	if got := Render(With(errors.New(""), Do(SkipImported)), flags); got != " (--skip-existing)" {
		t.Errorf("empty text: %q", got)
	}
}
