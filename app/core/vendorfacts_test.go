package core

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"testing"

	"labelqa/app/demo"
)

// TestVendorFactsMatchCTE: the vendor's batches and golden-set versions
// (counted in one pass over the judgments) are those the SQL definition
// selects, with the same counts, for every demo vendor: the query below is
// that definition, run by SQLite.
func TestVendorFactsMatchCTE(t *testing.T) {
	ctx := context.Background()
	path, _, err := CreateDemo(ctx, t.TempDir(), demo.Options{Items: 400, Seed: 9}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const cte = `WITH
vn AS (SELECT n.id, n.item_id, n.batch_id FROM annotations n WHERE n.annotator_id IN (SELECT id FROM annotators WHERE vendor = ?1)),
vi AS (SELECT DISTINCT item_id FROM vn),
pg AS (SELECT v.item_id FROM vi v WHERE EXISTS (SELECT 1 FROM gold_labels g WHERE g.item_id = v.item_id)
	AND NOT EXISTS (SELECT 1 FROM annotations n JOIN queues q ON q.id = n.queue_id WHERE n.item_id = v.item_id AND q.name <> 'practice')),
k AS (
	SELECT batch_id, count(*) AS kept FROM vn GROUP BY batch_id
	UNION ALL
	SELECT gv.batch_id, count(*) FROM gold_versions gv JOIN gold_labels g ON g.version_id = gv.id WHERE g.item_id IN (SELECT item_id FROM pg) GROUP BY gv.id
	UNION ALL
	SELECT u.batch_id, count(*) FROM audits u WHERE u.batch_id IS NOT NULL AND u.annotation_id IN (SELECT id FROM vn) GROUP BY u.batch_id),
t AS (
	SELECT batch_id, count(*) AS total FROM annotations GROUP BY batch_id
	UNION ALL
	SELECT gv.batch_id, count(*) FROM gold_versions gv JOIN gold_labels g ON g.version_id = gv.id GROUP BY gv.id
	UNION ALL
	SELECT batch_id, count(*) FROM audits WHERE batch_id IS NOT NULL GROUP BY batch_id)
`
	vendors := Vendors(mustData(t, p))
	for _, v := range vendors {
		rows, err := db.Query(cte+`SELECT b.id, (SELECT sum(kept) FROM k WHERE k.batch_id = b.id), (SELECT sum(total) FROM t WHERE t.batch_id = b.id)
			FROM batches b WHERE b.id IN (SELECT batch_id FROM k) ORDER BY b.id`, v)
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64][2]int{}
		for rows.Next() {
			var id int64
			var kept, total int
			if err := rows.Scan(&id, &kept, &total); err != nil {
				t.Fatal(err)
			}
			want[id] = [2]int{kept, total}
		}
		rows.Close()
		got, err := p.VendorBatches(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d batches, the definition selects %d", v, len(got), len(want))
		}
		shared := 0
		for _, b := range got {
			w, ok := want[b.ID]
			if !ok {
				t.Errorf("%s: batch %d listed, not selected by the definition", v, b.ID)
				continue
			}
			if w[0] < w[1] {
				shared++
				if b.Rows != w[0] {
					t.Errorf("%s: shared batch %d counts %d rows, the definition %d", v, b.ID, b.Rows, w[0])
				}
			}
		}
		if shared == 0 {
			t.Errorf("%s: no shared batch: the test checks no count", v)
		}
		gv, err := db.Query(cte+`SELECT v.id, count(*) FROM gold_versions v JOIN gold_labels g ON g.version_id = v.id
			WHERE g.item_id IN (SELECT item_id FROM pg) GROUP BY v.id ORDER BY v.id`, v)
		if err != nil {
			t.Fatal(err)
		}
		var wantV []string
		for gv.Next() {
			var id int64
			var n int
			gv.Scan(&id, &n)
			wantV = append(wantV, fmt.Sprint(id, ":", n))
		}
		gv.Close()
		versions, err := p.VendorGoldVersions(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		var gotV []string
		for _, g := range versions {
			gotV = append(gotV, fmt.Sprint(g.ID, ":", g.Items))
		}
		if len(wantV) == 0 {
			t.Errorf("%s: no visible gold version: the test checks no count", v)
		}
		if fmt.Sprint(gotV) != fmt.Sprint(wantV) {
			t.Errorf("%s: gold versions %v, the definition %v", v, gotV, wantV)
		}
	}
}

func mustData(t *testing.T, p *Project) *Dataset {
	t.Helper()
	d, err := p.Data(context.Background(), Query{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}
