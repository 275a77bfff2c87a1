package dataset

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"labelqa/app/project"
	"labelqa/app/query"
	"labelqa/app/rules"
	"labelqa/app/store"
)

// Gold labels must be recoded with the judgments when the label order is
// not the order of first appearance (no --labels: sorted order).
func TestFromFilesGoldFollowsLabelOrder(t *testing.T) {
	dir := t.TempDir()
	batch := filepath.Join(dir, "b.csv")
	gold := filepath.Join(dir, "g.csv")
	os.WriteFile(batch, []byte("item_id,annotator_id,label\na,x,scam\nb,x,approve\nc,x,adult\n"), 0o644)
	os.WriteFile(gold, []byte("item_id,label\na,scam\nb,approve\nc,adult\nz,approve\n"), 0o644)
	for _, labels := range [][]string{nil, {"scam"}, {"approve", "scam", "adult"}} {
		d, err := FromFiles(context.Background(), []string{batch}, gold, Options{Labels: labels})
		if err != nil {
			t.Fatal(err)
		}
		for j := range d.Item {
			if g := d.Gold[d.Item[j]]; g != d.Label[j] {
				t.Errorf("labels %v: item %s gold %q, judgment %q", labels, d.Items[d.Item[j]], d.Labels[g], d.Labels[d.Label[j]])
			}
		}
		if d.GoldItems != 4 {
			t.Errorf("gold items %d", d.GoldItems)
		}
	}
}

// A superseded row's labels still join the label set, as an import
// registers them (store.BatchWriter.Add codes the labels before the
// duplicate check): the label set, and so every q-dependent coefficient,
// is the same for files and for the project they were imported into.
func TestSupersededRowLabelsJoinLabelSet(t *testing.T) {
	dir := t.TempDir()
	batch := filepath.Join(dir, "b.csv")
	os.WriteFile(batch, []byte("item_id,annotator_id,label\na,x,approve\na,x,adult\nb,y,scam\n"), 0o644)
	for _, dup := range []rules.DuplicatePolicy{rules.DupFirst, rules.DupLast} {
		d, err := FromFiles(context.Background(), []string{batch}, "", Options{Duplicates: dup})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(d.Labels, ","); got != "adult,approve,scam" {
			t.Errorf("--duplicates %s: labels %s, want adult,approve,scam", dup, got)
		}
		if d.Len() != 2 || d.Duplicates != 1 {
			t.Errorf("--duplicates %s: %d judgments, %d duplicates", dup, d.Len(), d.Duplicates)
		}
	}
}

// Labels that differ only in case, Unicode form or surrounding spaces are
// one label keeping its first spelling, in batch files, gold files and the
// declared order alike, as they are in a project (store.LabelKey).
func TestFromFilesOneLabelPerSpelling(t *testing.T) {
	dir := t.TempDir()
	batch := filepath.Join(dir, "b.csv")
	gold := filepath.Join(dir, "g.csv")
	os.WriteFile(batch, []byte("item_id,annotator_id,label\na,x,approve\na,y,APPROVE\nb,x,Scam\nb,y, scam \n"), 0o644)
	os.WriteFile(gold, []byte("item_id,label\na,Approve\nb,SCAM\n"), 0o644)
	for _, labels := range [][]string{nil, {"scam", "approve"}} {
		d, err := FromFiles(context.Background(), []string{batch}, gold, Options{Labels: labels})
		if err != nil {
			t.Fatal(err)
		}
		want := "Scam,approve" // undeclared labels sort by name
		if labels != nil {
			want = "scam,approve"
		}
		if got := strings.Join(d.Labels, ","); got != want {
			t.Errorf("labels %v: label set %q, want %q", labels, got, want)
		}
		for j := range d.Item {
			if g := d.Gold[d.Item[j]]; g != d.Label[j] {
				t.Errorf("labels %v: item %s gold %q, judgment %q", labels, d.Items[d.Item[j]], d.Labels[g], d.Labels[d.Label[j]])
			}
		}
	}
}

// A golden-set file that answers an item twice is refused beside batch
// files as a gold import into a project refuses it, naming both rows;
// before, metrics scored against whichever answer came last.
func TestFromFilesGoldAnswerTwice(t *testing.T) {
	dir := t.TempDir()
	batch := filepath.Join(dir, "b.csv")
	gold := filepath.Join(dir, "g.csv")
	os.WriteFile(batch, []byte("item_id,annotator_id,label\ni1,a1,approve\ni1,a2,reject\n"), 0o644)
	os.WriteFile(gold, []byte("item_id,label\ni1,approve\ni2,reject\ni1,reject\n"), 0o644)
	_, err := FromFiles(context.Background(), []string{batch}, gold, Options{})
	want := gold + `:4:1: item "i1" already has a gold answer on row 2; keep one answer per item in a golden-set file`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("err %v, want %q", err, want)
	}
}

// Allow labels are found by any spelling, as every other label is.
func TestFromFilesAllowAnySpelling(t *testing.T) {
	batch := filepath.Join(t.TempDir(), "b.csv")
	os.WriteFile(batch, []byte("item_id,annotator_id,label\na,x,approve\nb,x,scam\n"), 0o644)
	d, err := FromFiles(context.Background(), []string{batch}, "", Options{Allow: []string{" APPROVE"}})
	if err != nil {
		t.Fatal(err)
	}
	i, ok := d.LabelIndex("Approve")
	if !ok || !d.Allow[i] {
		t.Errorf("labels %v allow %v", d.Labels, d.Allow)
	}
	if j, _ := d.LabelIndex("scam"); d.Allow[j] {
		t.Errorf("scam allowed: %v", d.Allow)
	}
}

// Numeric labels nobody ordered sort by value (1 < 2 < 10), so weighted
// and ordinal measures use their values; they sorted as text (1 < 10 < 2)
// and the weights fell back to ranks of that order. Files and a project
// give the same order.
func TestNumericLabelsSortByValue(t *testing.T) {
	dir := t.TempDir()
	batch := filepath.Join(dir, "b.csv")
	var b strings.Builder
	b.WriteString("item_id,annotator_id,label\n")
	for i, l := range []string{"10", "2", "1", "9", "3", "2.5"} {
		fmt.Fprintf(&b, "i%d,x,%s\ni%d,y,%s\n", i, l, i, l)
	}
	os.WriteFile(batch, []byte(b.String()), 0o644)
	want := "1,2,2.5,3,9,10"
	d, err := FromFiles(context.Background(), []string{batch}, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(d.Labels, ","); got != want {
		t.Errorf("files: labels %s, want %s", got, want)
	}
	s, err := store.Create(context.Background(), filepath.Join(dir, "p.lqa"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := project.Import(context.Background(), s, batch, project.ImportOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	pd, err := FromStore(context.Background(), s, query.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(pd.Labels, ","); got != want {
		t.Errorf("project: labels %s, want %s", got, want)
	}
	for _, mixed := range [][]string{{"10", "2", "a"}, {"b", "a"}} {
		store.SortLabelNames(mixed)
		if !sort.StringsAreSorted(mixed) {
			t.Errorf("not all numbers: %v, want sorted by name", mixed)
		}
	}
}
