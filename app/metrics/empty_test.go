package metrics

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"labelqa/app/dataset"
)

// TestComputeWithoutLabels: a project created without a label set and not
// imported into has no categories; the analysis packages panic on that
// ("agreement: NCats must be at least 1"), so Compute must not call them.
func TestComputeWithoutLabels(t *testing.T) {
	rep, err := Compute(context.Background(), &dataset.Dataset{}, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{`"annotations":0`, `"percent_agreement":null`, `"krippendorff_alpha":null`, `"gold":null`, `"annotators":[]`, `"gold_accuracy":null`, "no labels yet"} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %s in %s", want, s)
		}
	}
	if _, err := Scorecards(context.Background(), &dataset.Dataset{}, ByReviewer, DefaultOptions()); err != nil {
		t.Fatal(err)
	}
}
