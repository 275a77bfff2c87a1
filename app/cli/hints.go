package cli

import (
	"strings"

	"labelqa/app/remedy"
)

// The core's messages say what to do in plain words and carry the action
// (app/remedy); the CLI names its flag for it after those words, as in
// "name the right column (--map label=COLUMN)". errText is an error as the
// CLI prints it; every error of the core that reaches stderr passes through
// it (report, and the ingest option checks).

// flagHint is the flag (or command) that does what h says.
func flagHint(h remedy.Hint) string {
	switch h.Action {
	case remedy.MapField:
		field := h.Field
		if field == "" {
			field = "FIELD"
		}
		v := h.Value
		if v == "" {
			v = strings.ToUpper(h.Holder)
		}
		if v == "" {
			v = "COLUMN"
		}
		return "--map " + field + "=" + shellQuote(v)
	case remedy.ChooseSheet:
		return "--sheet NAME"
	case remedy.ChooseFormat:
		if h.Value != "" {
			return "--format " + h.Value
		}
		return "--format FORMAT"
	case remedy.AcceptLabels:
		return "--add-labels"
	case remedy.SkipImported:
		return "--skip-existing"
	case remedy.ChooseDuplicates:
		return "--duplicates last|first|keep"
	case remedy.NameGoldVersion:
		return "--version NAME"
	case remedy.CreateProject:
		if h.Value != "" {
			return "labelqa init " + shellQuote(h.Value)
		}
		return "labelqa init"
	}
	return ""
}

// errText is err's text with the CLI's flags for what it says to do.
func errText(err error) string { return remedy.Render(err, flagHint) }
