package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

// TestItemsBroadPrefix: a search prefix that matches many items (tested
// row by row along the sort's index) pages the same rows as one read
// through its range of the ext_id index.
func TestItemsBroadPrefix(t *testing.T) {
	ctx := context.Background()
	s := newProject(t)
	// A small project written straight into its tables: 40 items, 1 to 4
	// judgments each.
	for _, q := range []string{
		"INSERT INTO batches(kind, file_name, size, sha256, format, imported_at, rows, stored, duplicates, dup_policy, mapping) VALUES ('annotations', 'b.csv', 1, 'x', 'csv', '2026-01-01T00:00:00Z', 0, 0, 0, 'last', '{}')",
		"INSERT INTO labels(id, name, ord) VALUES (1, 'a', 0), (2, 'b', 1)",
		"INSERT INTO queues(id, name) VALUES (1, '')", "INSERT INTO sop_versions(id, name) VALUES (1, '')", "INSERT INTO templates(id, name) VALUES (1, '')",
		"INSERT INTO annotators(id, ext_id) VALUES (1, 'r1'), (2, 'r2'), (3, 'r3'), (4, 'r4')",
	} {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	for i := 1; i <= 40; i++ {
		prefix := "x"
		if i%5 == 0 {
			prefix = "y"
		}
		if _, err := s.db.Exec("INSERT INTO items(id, ext_id) VALUES (?, ?)", i, fmt.Sprintf("%s-%02d", prefix, i)); err != nil {
			t.Fatal(err)
		}
		for a := 1; a <= 1+i%4; a++ {
			if _, err := s.db.Exec("INSERT INTO annotations(item_id, annotator_id, label_id, queue_id, sop_id, template_id, batch_id, src_row) VALUES (?, ?, ?, 1, 1, 1, 1, 0)", i, a, 1+(i+a)%2); err != nil {
				t.Fatal(err)
			}
		}
	}
	pages := func() []int64 {
		var ids []int64
		q := ItemQuery{Search: "x-", Sort: SortJudgments, Desc: true, Limit: 3}
		for {
			page, err := s.Items(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range page.Rows {
				ids = append(ids, r.ID)
			}
			if page.Next.IsZero() {
				return ids
			}
			q.After = page.Next
		}
	}
	ranged := pages()
	old := broadPrefix
	defer func() { broadPrefix = old }()
	broadPrefix = 5 // "x-" (32 items) is now a broad prefix
	broad := pages()
	if len(ranged) != 32 || !slices.Equal(ranged, broad) {
		t.Fatalf("by the ext_id range: %v\nalong the sort's index: %v", ranged, broad)
	}
}
