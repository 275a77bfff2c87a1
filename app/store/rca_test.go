package store

import (
	"labelqa/app/query"

	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// TestErrorCategoryRootCause: each judgment's error_category and root_cause
// are stored (through two dictionaries, across several loader chunks) and
// read back by EachAnnotation; an empty one is NULL, not an entry. The
// first chunk has none at all, and only the second has comments and the
// third further labels: each goes in through an INSERT of the optional
// columns it fills (colMask).
func TestErrorCategoryRootCause(t *testing.T) {
	s := newProject(t)
	ctx := context.Background()
	cats := []string{"", "policy_miss", "wrong_label", "policy_miss"}
	causes := []string{"sop_ambiguity", "", "training_gap"}
	want := func(i int) (string, string) {
		if i < rowsPerInsert {
			return "", ""
		}
		return cats[i%len(cats)], causes[i%len(causes)]
	}
	var recs []*Judgment
	n := 2*rowsPerInsert + 3
	noCat, noCause := 0, 0
	for i := range n {
		r := rec(i+2, fmt.Sprintf("ad%d", i), fmt.Sprintf("ann%d", i%7), "approve")
		r.ErrorCategory, r.RootCause = want(i)
		switch i / rowsPerInsert {
		case 1:
			r.Comment = fmt.Sprint("note ", i)
		case 2:
			r.Labels = []string{"approve", "scam"}
		}
		if r.ErrorCategory == "" {
			noCat++
		}
		if r.RootCause == "" {
			noCause++
		}
		recs = append(recs, r)
	}
	if _, err := importRecords(t, s, "rca.csv", DupLast, true, recs...); err != nil {
		t.Fatal(err)
	}
	i := 0
	err := s.EachAnnotation(ctx, query.Query{}, func(a *Annotation) error {
		if multi := i/rowsPerInsert == 2; multi != (len(a.Extra) == 1) {
			return fmt.Errorf("annotation %d: extra labels %v", a.ID, a.Extra)
		}
		if c, r := want(i); a.ErrorCategory != c || a.RootCause != r {
			return fmt.Errorf("annotation %d: error_category %q, root_cause %q; want %q, %q", a.ID, a.ErrorCategory, a.RootCause, c, r)
		}
		i++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if i != n {
		t.Fatalf("read %d annotations, want %d", i, n)
	}
	for _, c := range []struct {
		q    string
		want int
	}{
		{"SELECT count(*) FROM error_categories", 2},
		{"SELECT count(*) FROM root_causes", 2},
		{"SELECT count(*) FROM annotations WHERE error_category_id IS NULL", noCat},
		{"SELECT count(*) FROM annotations WHERE root_cause_id IS NULL", noCause},
		{"SELECT count(*) FROM annotations WHERE comment = 'note ' || (src_row - 2)", rowsPerInsert},
		{"SELECT count(*) FROM annotations WHERE comment IS NOT NULL", rowsPerInsert},
	} {
		var got int
		if err := s.db.QueryRow(c.q).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s: %d, want %d", c.q, got, c.want)
		}
	}
	var bad int
	if err := s.db.QueryRow("SELECT count(*) FROM pragma_foreign_key_check").Scan(&bad); err != nil || bad != 0 {
		t.Fatalf("foreign_key_check: %d rows, %v", bad, err)
	}
}

// TestMigrateSchema1: a project of schema 1 (before error categories and
// root causes) opens as the current schema with its annotations intact,
// reading neither, and takes imports that carry them.
func TestMigrateSchema1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.lqa")
	cur := migrations
	migrations = cur[:1]
	s, err := Create(ctx, path)
	migrations = cur
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"INSERT INTO items(id, ext_id) VALUES (1, 'ad1')",
		"INSERT INTO annotators(id, ext_id, vendor) VALUES (1, 'ann1', 'V')",
		"INSERT INTO labels(id, name, ord, allow) VALUES (1, 'approve', 0, 1)",
		"INSERT INTO queues(id, name) VALUES (1, '')",
		"INSERT INTO sop_versions(id, name) VALUES (1, '')",
		"INSERT INTO templates(id, name) VALUES (1, '')",
		`INSERT INTO batches(id, file_name, size, sha256, format, imported_at, rows, stored, duplicates, dup_policy, mapping)
			VALUES (1, 'old.csv', 10, 'old', 'csv', '2026-11-01T00:00:00Z', 1, 1, 0, 'last', '{}')`,
		"INSERT INTO annotations(item_id, annotator_id, label_id, queue_id, sop_id, template_id, batch_id, src_row) VALUES (1, 1, 1, 1, 1, 1, 1, 2)",
	} {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	s.Close()

	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var v int
	if err := s.db.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != SchemaVersion() {
		t.Fatalf("user_version %d (%v), want %d", v, err, SchemaVersion())
	}
	var got []Annotation
	each := func() {
		got = got[:0]
		if err := s.EachAnnotation(ctx, query.Query{}, func(a *Annotation) error {
			got = append(got, *a)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	each()
	if len(got) != 1 || got[0].ErrorCategory != "" || got[0].RootCause != "" || got[0].Item != 1 {
		t.Fatalf("migrated annotations: %+v", got)
	}
	r := rec(2, "ad2", "ann1", "approve")
	r.ErrorCategory, r.RootCause = "policy_miss", "tool_issue"
	if _, err := importRecords(t, s, "new.csv", DupLast, false, r); err != nil {
		t.Fatal(err)
	}
	each()
	if len(got) != 2 || got[1].ErrorCategory != "policy_miss" || got[1].RootCause != "tool_issue" {
		t.Fatalf("after an import: %+v", got)
	}
}
