package store

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"labelqa/app/query"
)

// rcaStore holds gold item g1 (gold scam) labeled approve by ann1 twice
// (the keep policy), scam by ann2 and approve by ann3 of vendor VB, and
// item n1 without gold.
func rcaStore(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	s := newProject(t)
	recs := []*Judgment{
		rec(2, "g1", "ann1", "approve"), rec(3, "g1", "ann2", "scam"), rec(4, "g1", "ann1", "approve"),
		rec(5, "g1", "ann3", "approve"), rec(6, "n1", "ann1", "scam"),
	}
	recs[0].Comment, recs[0].RootCause, recs[0].ErrorCategory = "first", "sop_ambiguity", "missed"
	recs[2].Comment = "second"
	recs[0].Content, recs[3].Vendor = "=1+1", "VB"
	if _, err := importRecords(t, s, "b.csv", "keep", true, recs...); err != nil {
		t.Fatal(err)
	}
	_, err := s.ImportGold(ctx, GoldInfo{FileName: "gold.csv", SHA256: "gold", Format: "csv", Version: "v1", AddLabels: true},
		func(add GoldFunc) (string, error) {
			return "", add(&GoldRow{Row: 2, ItemID: "g1", Labels: []string{"scam"}, Rationale: "=why", SOPSection: "4.5"})
		})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestErrorNotesAndTags: ErrorNotes lists the judgments off their item's
// gold answer in annotation id order (both of ann1's under keep), with
// their comment, file causes, tag causes and notes (an item tag on each);
// a filter narrows them and the tags alike; refused tags name what to do.
func TestErrorNotesAndTags(t *testing.T) {
	ctx := context.Background()
	s := rcaStore(t)
	for _, tg := range []Tag{{Item: "g1", Annotator: "ann1", Cause: "training_gap", Note: "\t=note"}, {Item: "g1", Cause: "other"}} {
		if _, err := s.AddTag(ctx, tg); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddTag(ctx, Tag{Item: "nope", Cause: "other"}); !errors.Is(err, ErrNoItem) {
		t.Errorf("unknown item: %v", err)
	}
	if _, err := s.AddTag(ctx, Tag{Item: "n1", Annotator: "ann2", Cause: "other"}); !errors.Is(err, ErrNoJudgment) || !strings.Contains(err.Error(), "(ann1)") {
		t.Errorf("annotator who did not label the item: %v", err)
	}
	notes, err := s.ErrorNotes(ctx, query.Query{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range notes {
		got = append(got, strings.Join([]string{n.Item, n.Annotator, n.Comment, n.RootCause, n.ErrorCategory, strings.Join(n.Tags, "+"), strings.Join(n.Notes, "+")}, "/"))
	}
	// The tag of ann1's judgment is on the latest of the two.
	want := []string{"g1/ann1/first/sop_ambiguity/missed/other/", "g1/ann1/second///training_gap+other/\t=note", "g1/ann3////other/"}
	if !slices.Equal(got, want) {
		t.Errorf("notes\n%q\nwant\n%q", got, want)
	}
	if vb, _ := s.ErrorNotes(ctx, query.Query{Vendor: "VB"}); len(vb) != 1 || vb[0].Annotator != "ann3" {
		t.Errorf("VB notes %+v", vb)
	}
	c, err := s.ItemContents(ctx, []int64{notes[2].ItemID, 999})
	if err != nil || len(c) != 1 || c[notes[2].ItemID] != "=1+1" {
		t.Errorf("contents %v, %v", c, err)
	}
	g, err := s.GoldNotes(ctx)
	if err != nil || g["g1"] != (GoldNote{Rationale: "=why", SOPSection: "4.5", Version: "v1"}) || len(g) != 1 {
		t.Errorf("gold notes %+v, %v", g, err)
	}
	tags, err := s.Tags(ctx, query.Query{Vendor: "VB"})
	if err != nil || len(tags) != 1 || tags[0].Annotator != "" {
		t.Errorf("VB tags (the item tag only) %+v, %v", tags, err)
	}
}

// TestAddTagReadOnly: a project opened read-only takes no tag.
func TestAddTagReadOnly(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.lqa")
	s, err := Create(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := importRecords(t, s, "b.csv", "last", true, rec(2, "x", "ann1", "approve")); err != nil {
		t.Fatal(err)
	}
	s.Close()
	ro, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if _, err := ro.AddTag(ctx, Tag{Item: "x", Cause: "other"}); !errors.Is(err, ErrReadOnly) {
		t.Errorf("read-only AddTag: %v", err)
	}
	if tags, err := ro.Tags(ctx, query.Query{}); err != nil || len(tags) != 0 {
		t.Errorf("tags after a refused write: %v, %v", tags, err)
	}
}
