package store

import (
	"context"
	"errors"
	"math"
	"testing"
)

func TestAuditsRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := newProject(t)
	if err := s.DeclareLabels(ctx, []string{"approve", "scam"}, nil); err != nil {
		t.Fatal(err)
	}
	a := rec(2, "=item1", "r1", "approve")
	a.Vendor, a.Queue, a.Content, a.Comment, a.At = "V", "live", "+content", "@comment", 1_700_000_000_000
	b := rec(3, "=item1", "r2", "scam")
	b.Vendor, b.Queue = "V", "live"
	c := rec(4, "item2", "r1", "scam")
	c.Vendor, c.Queue = "V", "practice"
	if _, err := importRecords(t, s, "b.csv", "last", false, a, b, c); err != nil {
		t.Fatal(err)
	}
	refs, err := s.JudgmentsOfItems(ctx, []string{"=item1", "nope"})
	if err != nil || len(refs) != 2 {
		t.Fatalf("refs %+v, %v", refs, err)
	}
	r := refs[0]
	if r.Item != "=item1" || r.Annotator != "r1" || r.Label != "approve" || r.Queue != "live" || r.Content != "+content" ||
		r.Comment != "@comment" || r.Vendor != "V" || !r.HasTime || r.SubmittedAt != 1_700_000_000_000 || refs[1].HasTime {
		t.Fatalf("ref %+v", r)
	}
	byID, err := s.JudgmentsByID(ctx, []int64{refs[1].ID, 999})
	if err != nil || len(byID) != 1 || byID[refs[1].ID].Annotator != "r2" {
		t.Fatalf("by id %+v, %v", byID, err)
	}
	labels, _ := s.Labels(ctx)
	scam := labels[1].ID
	rows := []AuditRow{
		{Annotation: refs[0].ID, Auditor: "qa", CorrectLabel: scam, Verdict: "incorrect", RootCause: "training_gap", Comment: "=x", InclusionProbability: 0.25},
		{Annotation: refs[1].ID, Auditor: "qa", CorrectLabel: scam, Verdict: "correct", InclusionProbability: math.NaN()},
	}
	batch, err := s.ImportAudits(ctx, AuditInfo{FileName: "audit.xlsx", Size: 10, SHA256: "sum1", Format: "xlsx", Rows: 3}, rows)
	if err != nil || batch == 0 {
		t.Fatal(batch, err)
	}
	if _, err := s.ImportAudits(ctx, AuditInfo{FileName: "audit.xlsx", SHA256: "sum1"}, rows); !errors.Is(err, ErrBatchExists) {
		t.Fatalf("same file again: %v", err)
	}
	// A later file re-audits the first judgment: its verdict wins.
	if _, err := s.ImportAudits(ctx, AuditInfo{FileName: "audit2.xlsx", SHA256: "sum2"}, []AuditRow{
		{Annotation: refs[0].ID, Verdict: "unclear", InclusionProbability: 1}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Audits(ctx)
	if err != nil || len(got) != 2 {
		t.Fatalf("audits %+v, %v", got, err)
	}
	if got[0].Annotation != refs[0].ID || got[0].Verdict != "unclear" || got[0].InclusionProbability != 1 || got[0].Judgment.Item != "=item1" {
		t.Errorf("re-audited: %+v", got[0])
	}
	if got[1].Verdict != "correct" || got[1].AuditorLabel != "scam" || !math.IsNaN(got[1].InclusionProbability) || got[1].Batch != batch {
		t.Errorf("second: %+v", got[1])
	}
	bs, _ := s.Batches(ctx)
	if len(bs) != 3 || bs[1].Kind != "audit" || bs[1].Rows != 3 || bs[1].Stored != 2 {
		t.Errorf("batches %+v", bs)
	}
}
