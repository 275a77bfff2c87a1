package store

import (
	"fmt"
	"strings"
	"testing"
)

// TestPairSet: pairs are found by (item, annotator) whether the item's
// chain is short or spilled into the map (more than maxChain annotators),
// and pairs of other items never match.
func TestPairSet(t *testing.T) {
	p := newPairSet(0, 0)
	const anns = 3 * maxChain
	for a := int64(1); a <= anns; a++ {
		for _, item := range []int64{1, 5} {
			if i, _ := p.find(item, a); i >= 0 {
				t.Fatalf("(%d, %d) found before it was added", item, a)
			}
		}
		_, steps := p.find(1, a)
		p.add(1, a, seenRow{row: uint32(a)}, steps)
		if a%2 == 0 {
			_, steps := p.find(5, a)
			p.add(5, a, seenRow{row: uint32(1000 + a)}, steps)
		}
	}
	if p.head[1] != spilled || p.head[5] != spilled {
		t.Fatalf("heads %d, %d: want both spilled", p.head[1], p.head[5])
	}
	for a := int64(1); a <= anns; a++ {
		i, _ := p.find(1, a)
		if i < 0 || p.at(i).row != uint32(a) {
			t.Fatalf("(1, %d): index %d", a, i)
		}
		i, _ = p.find(5, a)
		if (a%2 == 0) != (i >= 0) || (i >= 0 && p.at(i).row != uint32(1000+a)) {
			t.Fatalf("(5, %d): index %d", a, i)
		}
	}
	if i, _ := p.find(2, 1); i >= 0 {
		t.Fatal("an item without pairs has one")
	}
	if i, _ := p.find(99, 1); i >= 0 {
		t.Fatal("an item past the heads has a pair")
	}
}

// TestDuplicatesOfAWidelyJudgedItem: an item judged by more annotators
// than a chain holds still has every repeat found, under each policy.
func TestDuplicatesOfAWidelyJudgedItem(t *testing.T) {
	const anns = 2*maxChain + 3
	for _, c := range []struct {
		policy string
		stored int
	}{{DupLast, anns + 1}, {DupFirst, anns + 1}, {DupKeep, 2*anns + 1}} {
		t.Run(c.policy, func(t *testing.T) {
			s := newProject(t)
			var recs []*Judgment
			for round := range 2 {
				for a := range anns {
					recs = append(recs, rec(len(recs)+2, "x", fmt.Sprintf("ann%d", a), []string{"approve", "scam"}[round]))
				}
			}
			recs = append(recs, rec(len(recs)+2, "y", "ann0", "approve"))
			res, err := importRecords(t, s, "wide.csv", c.policy, true, recs...)
			if err != nil {
				t.Fatal(err)
			}
			if res.Duplicates != anns || res.Stored != c.stored {
				t.Fatalf("duplicates %d, stored %d; want %d, %d", res.Duplicates, res.Stored, anns, c.stored)
			}
		})
	}
}

// TestCheckIDsRefusesOtherIDs: when SQLite gives the batch's annotations
// other ids than the writer assigned (here a row put in beforehand, past
// them, moves every next rowid on), the import is refused and the project
// is unchanged.
func TestCheckIDsRefusesOtherIDs(t *testing.T) {
	s := newProject(t)
	ctx := t.Context()
	w, err := s.BeginBatch(ctx, BatchInfo{FileName: "ids.csv", Size: 100, SHA256: "ids", Format: "csv", AddLabels: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Rollback()
	if _, err := w.tx.ExecContext(ctx, `INSERT INTO annotations(id, item_id, annotator_id, label_id, queue_id, sop_id, template_id, batch_id, src_row)
		VALUES (?, 1, 1, 1, 1, 1, 1, ?, 1)`, w.firstID+100, w.batchID); err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		if err := w.Add(ctx, rec(i+2, fmt.Sprintf("ad%d", i), "ann", "approve")); err != nil {
			t.Fatal(err)
		}
	}
	_, err = w.Commit(ctx, "csv", nil)
	if err == nil || !strings.Contains(err.Error(), "ids.csv: SQLite stored annotations ids") {
		t.Fatalf("got %v", err)
	}
	if c, _ := s.Counts(ctx); c.Annotations != 0 {
		t.Fatalf("%d annotations left behind", c.Annotations)
	}
}
