package metrics

import (
	"math"
	"slices"
	"testing"

	"labelqa/app/dataset"
)

// Strata are coded in the order of their names (queue, market, label),
// whatever codes the Dataset gave those values.
func TestAuditStrata(t *testing.T) {
	d := &dataset.Dataset{
		Labels:     []string{"scam", "approve"}, // declared order, not sorted
		Queues:     []string{"practice", "live"},
		Annotators: []dataset.Annotator{{ID: "a", Market: "NO"}, {ID: "b", Market: "ID"}},
		Item:       []int32{0, 0, 1, 1, 2},
		Annotator:  []int32{0, 1, 0, 1, 0},
		Label:      []int32{0, 1, 1, 1, 0},
		Queue:      []int32{0, 1, 1, 1, 0},
	}
	// Keys: j0 (practice, NO, scam), j1 (live, ID, approve), j2 (live, NO, approve),
	// j3 (live, ID, approve), j4 (practice, NO, scam). Sorted: live/ID/approve 0,
	// live/NO/approve 1, practice/NO/scam 2.
	got := AuditStrata(d, []int{0, 1, 2, 3, 4})
	if want := []int{2, 0, 1, 0, 2}; !slices.Equal(got, want) {
		t.Errorf("strata %v, want %v", got, want)
	}
	if got := AuditStrata(d, []int{4, 2}); !slices.Equal(got, []int{1, 0}) {
		t.Errorf("strata of a subset %v", got)
	}
}

func TestAuditAccuracyOf(t *testing.T) {
	d := &dataset.Dataset{
		Labels: []string{"approve"}, Queues: []string{"live"}, Annotators: []dataset.Annotator{{ID: "a"}},
		Item: []int32{0, 1, 2, 3}, Annotator: []int32{0, 0, 0, 0}, Label: []int32{0, 0, 0, 0}, Queue: []int32{0, 0, 0, 0},
	}
	if AuditAccuracyOf(d, nil, 0.95) != nil {
		t.Error("no outcomes: want nil")
	}
	// Unknown probabilities count as a census: Clopper-Pearson on 3 of 4.
	a := AuditAccuracyOf(d, []AuditOutcome{{0, true, 0}, {1, true, math.NaN()}, {2, false, 1}, {3, true, 1}}, 0.95)
	if a.Method != "clopper-pearson" || a.Audits != 4 || a.Correct != 3 || float64(a.Accuracy.Value) != 0.75 || a.Confidence != 0.95 {
		t.Errorf("got %+v", a)
	}
}
