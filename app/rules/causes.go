package rules

import (
	"fmt"
	"slices"
	"strings"
)

// RootCauses are the causes an error can be tagged with (RCA tags, the
// audit sheet's drop-down), in the order lists show them. The workbooks
// translate them and suggest an action for each (app/report).
var RootCauses = []string{
	"sop_ambiguity",    // the SOP section is unclear or silent on the case
	"training_gap",     // the SOP is clear; the reviewer did not know or apply it
	"tool_or_template", // the labeling tool or template misled or failed
	"wrong_gold",       // the golden answer itself is wrong
	"guideline_change", // the SOP changed and the reviewer followed the old one
	"carelessness",     // a slip: the reviewer knew the rule
	"other",
}

// ParseRootCause returns the cause named s (ignoring letter case, spaces
// and hyphens), or an error listing the causes.
func ParseRootCause(s string) (string, error) {
	k := strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(RootCauses, k) {
		return k, nil
	}
	return "", fmt.Errorf("unknown root cause %q: choose one of %s", s, strings.Join(RootCauses, ", "))
}
