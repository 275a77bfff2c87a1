package core

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"labelqa/app/dataset"
	"labelqa/app/metrics"
)

// itemWant is what a test expects of one item's row.
type itemWant struct {
	judgments, labels, disagree int
	gold                        string
	first, last                 int64 // Unix ms, 0 when unknown
}

var testLabels = []string{"approve", "scam", "spam"}

// writeItemsCSV writes a batch of n items with a varied number of
// judgments, labels and times, and returns what each item's row must say
// (gold added by the caller).
func writeItemsCSV(t *testing.T, dir, name string, n, seed int) (string, map[string]*itemWant) {
	t.Helper()
	var b strings.Builder
	b.WriteString("item_id,annotator_id,label,vendor,submitted_at\n")
	want := map[string]*itemWant{}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		item := fmt.Sprintf("it-%04d", (i*7919+seed)%10000)
		w := &itemWant{}
		want[item] = w
		k := 1 + (i*seed)%5
		counts := map[string]int{}
		for a := range k {
			label := testLabels[(i+a*(i%3))%3]
			counts[label]++
			vendor := []string{"VA", "VB"}[a%2] // an annotator's vendor is one
			at := ""
			if i%4 != 0 {
				ts := base.Add(time.Duration(i*60+a) * time.Minute)
				at = ts.Format(time.RFC3339)
				ms := ts.UnixMilli()
				if w.first == 0 || ms < w.first {
					w.first = ms
				}
				w.last = max(w.last, ms)
			}
			fmt.Fprintf(&b, "%s,rev-%d,%s,%s,%s\n", item, a, label, vendor, at)
		}
		top := 0
		for _, c := range counts {
			top = max(top, c)
		}
		w.judgments, w.labels, w.disagree = k, len(counts), k-top
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, want
}

// allPages pages through q with a small limit and returns every row.
func allPages(t *testing.T, p *Project, q ItemQuery) []ItemRow {
	t.Helper()
	var rows []ItemRow
	for range 10_000 {
		page, err := p.Items(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Rows) > q.Limit {
			t.Fatalf("page of %d rows, limit %d", len(page.Rows), q.Limit)
		}
		rows = append(rows, page.Rows...)
		if page.Next.IsZero() {
			return rows
		}
		q.After = page.Next
	}
	t.Fatal("paging never ended")
	return nil
}

// sortKey is the figure a sort orders by, as the store keeps it.
func sortKey(s ItemSort, r ItemRow, goldOrd map[string]int) (int64, string) {
	switch s {
	case SortItemID:
		return 0, r.ExtID
	case SortJudgments:
		return int64(r.Judgments), ""
	case SortLabels:
		return int64(r.Labels), ""
	case SortDisagreement:
		return int64(r.Disagreeing), ""
	case SortGold:
		if !r.HasGold {
			return 1 << 62, ""
		}
		return int64(goldOrd[r.Gold]), ""
	case SortFirstAt:
		if r.FirstAt.IsZero() {
			return -1 << 62, ""
		}
		return r.FirstAt.UnixMilli(), ""
	case SortLastAt:
		if r.LastAt.IsZero() {
			return -1 << 62, ""
		}
		return r.LastAt.UnixMilli(), ""
	}
	panic("sort")
}

// TestItemsPaging: every sort, ascending and descending, pages through
// every labeled item exactly once, in (key, id) order, with the figures
// the batch and the golden set give; a prefix search and a vendor filter
// keep the items they name; a new import is seen by the next page.
func TestItemsPaging(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	p, err := Create(ctx, filepath.Join(dir, "p.lqa"), testLabels, []string{"approve"})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	csv, want := writeItemsCSV(t, dir, "a.csv", 230, 3)
	if _, err := p.Import(ctx, csv, ImportOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	var gold strings.Builder
	gold.WriteString("item_id,label\n")
	n := 0
	for item, w := range want {
		if n++; n%3 == 0 {
			w.gold = testLabels[n%3]
			fmt.Fprintf(&gold, "%s,%s\n", item, w.gold)
		}
	}
	gpath := filepath.Join(dir, "gold.csv")
	os.WriteFile(gpath, []byte(gold.String()), 0o644)
	if _, err := p.ImportGold(ctx, gpath, GoldOptions{Version: "v1"}, nil); err != nil {
		t.Fatal(err)
	}
	if gv, err := p.GoldVersions(ctx); err != nil || len(gv) != 1 || gv[0].Name != "v1" || gv[0].Items != n/3 {
		t.Fatalf("golden-set versions %+v, %v; want v1 of %d items", gv, err, n/3)
	}
	if ls, err := p.Labels(ctx); err != nil || len(ls) != 3 || ls[0].Name != "approve" || !ls[0].Allow {
		t.Fatalf("labels %+v, %v", ls, err)
	}
	if o, err := p.Overview(ctx, ByVendor); err != nil || len(o.By[ByVendor]) != 2 || o.Counts.Items != len(want) || len(o.By[ByLabel]) != 0 {
		t.Fatalf("overview %+v, %v", o, err)
	}
	if b, err := p.Batches(ctx); err != nil || len(b) != 2 || b[0].Kind != "annotations" || b[1].Kind != "gold" {
		t.Fatalf("batches %+v, %v", b, err)
	}
	goldOrd := map[string]int{}
	for i, l := range testLabels {
		goldOrd[l] = i
	}
	check := func(t *testing.T, rows []ItemRow, want map[string]*itemWant) {
		t.Helper()
		if len(rows) != len(want) {
			t.Fatalf("%d rows, want %d", len(rows), len(want))
		}
		seen := map[string]bool{}
		for _, r := range rows {
			w, ok := want[r.ExtID]
			if !ok || seen[r.ExtID] {
				t.Fatalf("row %q: unexpected or repeated", r.ExtID)
			}
			seen[r.ExtID] = true
			var first, last int64
			if !r.FirstAt.IsZero() {
				first, last = r.FirstAt.UnixMilli(), r.LastAt.UnixMilli()
			}
			if r.Judgments != w.judgments || r.Labels != w.labels || r.Disagreeing != w.disagree ||
				r.Gold != w.gold || r.HasGold != (w.gold != "") || first != w.first || last != w.last {
				t.Fatalf("row %q: %+v, want %+v", r.ExtID, r, *w)
			}
		}
	}
	for s := SortItemID; s <= SortLastAt; s++ {
		for _, desc := range []bool{false, true} {
			t.Run(fmt.Sprintf("sort%d/desc=%v", s, desc), func(t *testing.T) {
				rows := allPages(t, p, ItemQuery{Sort: s, Desc: desc, Limit: 17})
				check(t, rows, want)
				for i := 1; i < len(rows); i++ {
					an, at := sortKey(s, rows[i-1], goldOrd)
					bn, bt := sortKey(s, rows[i], goldOrd)
					c := cmp.Or(cmp.Compare(an, bn), strings.Compare(at, bt), cmp.Compare(rows[i-1].ID, rows[i].ID))
					if desc {
						c = -c
					}
					if c >= 0 {
						t.Fatalf("rows %d and %d out of order: %+v then %+v", i-1, i, rows[i-1], rows[i])
					}
				}
			})
		}
	}

	// Search by id prefix.
	prefixed := map[string]*itemWant{}
	for item, w := range want {
		if strings.HasPrefix(item, "it-1") {
			prefixed[item] = w
		}
	}
	check(t, allPages(t, p, ItemQuery{Search: "it-1", Sort: SortJudgments, Desc: true, Limit: 9}), prefixed)

	// A filter keeps items with a judgment of vendor VB (rev-1 and rev-3:
	// the items of two or more judgments).
	vb := allPages(t, p, ItemQuery{Filter: Query{Vendor: "VB"}, Limit: 50})
	d, err := p.Data(ctx, Query{Vendor: "VB"})
	if err != nil {
		t.Fatal(err)
	}
	inScope := map[string]bool{}
	for _, it := range d.Item {
		inScope[d.Items[it]] = true
	}
	if len(vb) != len(inScope) || len(vb) == 0 || len(vb) == len(want) {
		t.Fatalf("vendor filter: %d rows, %d items in scope, %d in all", len(vb), len(inScope), len(want))
	}
	for _, r := range vb {
		if !inScope[r.ExtID] {
			t.Fatalf("vendor filter lists %q, which has no VB judgment", r.ExtID)
		}
	}

	// A cursor of another sort is refused.
	page, err := p.Items(ctx, ItemQuery{Sort: SortJudgments, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Items(ctx, ItemQuery{Sort: SortLabels, After: page.Next}); !errors.Is(err, ErrBadCursor) {
		t.Fatalf("cursor of another sort: %v, want ErrBadCursor", err)
	}

	// A second batch: the summary is rebuilt on the next page.
	csv2, want2 := writeItemsCSV(t, dir, "b.csv", 40, 11)
	if _, err := p.Import(ctx, csv2, ImportOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	rows := allPages(t, p, ItemQuery{Limit: 100})
	total := len(want)
	for item := range want2 {
		if _, ok := want[item]; !ok {
			total++
		}
	}
	if len(rows) != total {
		t.Fatalf("after a second import: %d rows, want %d", len(rows), total)
	}
}

// TestItemsReadOnly: a project opened read-only pages its items whether
// the file's summary is up to date or not, and writes nothing.
func TestItemsReadOnly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "p.lqa")
	p, err := Create(ctx, path, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	csv, want := writeItemsCSV(t, dir, "a.csv", 60, 5)
	if _, err := p.Import(ctx, csv, ImportOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	p.Close()
	for _, fresh := range []bool{false, true} {
		if fresh { // the writer builds the file's summary
			p, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.Items(ctx, ItemQuery{}); err != nil {
				t.Fatal(err)
			}
			p.Close()
		}
		st, _ := os.Stat(path)
		ro, err := OpenReadOnly(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		rows := allPages(t, ro, ItemQuery{Sort: SortDisagreement, Limit: 7})
		ro.Close()
		if len(rows) != len(want) {
			t.Fatalf("fresh=%v: %d rows, want %d", fresh, len(rows), len(want))
		}
		if st2, _ := os.Stat(path); !st2.ModTime().Equal(st.ModTime()) || st2.Size() != st.Size() {
			t.Fatalf("fresh=%v: reading the items changed the file", fresh)
		}
	}
}

// TestAnalyzeCache: Analyze reads what Data reads, and an import through
// the project is seen by the next analysis.
func TestAnalyzeCache(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	p, err := Create(ctx, filepath.Join(dir, "p.lqa"), testLabels, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	csv, _ := writeItemsCSV(t, dir, "a.csv", 50, 3)
	res, err := p.Import(ctx, csv, ImportOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	a, err := p.Analyze(ctx, Query{}, metrics.DefaultOptions(), func(step string, done, total int) { steps = append(steps, step) })
	if err != nil {
		t.Fatal(err)
	}
	if a.Data.Len() != res.Stored || len(steps) != len(metrics.Steps) {
		t.Fatalf("analysed %d judgments (steps %v), imported %d", a.Data.Len(), steps, res.Stored)
	}
	d, _ := p.Data(ctx, Query{})
	if d != a.Data {
		t.Fatal("Data after Analyze read the project again")
	}
	if rep := a.Report(); rep.Counts.Annotations != res.Stored {
		t.Fatalf("report: %+v", rep)
	}
	csv2, _ := writeItemsCSV(t, dir, "b.csv", 20, 7)
	res2, err := p.Import(ctx, csv2, ImportOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	a2, err := p.Analyze(ctx, Query{}, metrics.DefaultOptions(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if a2.Data == a.Data || a2.Data.Len() <= a.Data.Len() || a2.Data.Len() > res.Stored+res2.Stored {
		t.Fatalf("after an import: %d judgments, before %d", a2.Data.Len(), a.Data.Len())
	}
	// The files' variant reads the same judgments as the project.
	fa, err := AnalyzeFiles(ctx, []string{csv}, "", FileOptions{}, Query{Vendor: "VA"}, metrics.DefaultOptions(), nil)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := dataset.FromFiles(ctx, []string{csv}, "", dataset.Options{Query: Query{Vendor: "VA"}})
	if fa.Data.Len() != want.Len() || fa.Data.Len() == 0 {
		t.Fatalf("AnalyzeFiles: %d judgments, want %d", fa.Data.Len(), want.Len())
	}
}

// TestSentinels: the faces' errors.Is checks against project's sentinels
// match the errors of the layers below.
func TestSentinels(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := Open(ctx, filepath.Join(dir, "none.lqa")); !errors.Is(err, ErrNoProject) {
		t.Fatalf("open of a missing project: %v, want ErrNoProject", err)
	}
	path := filepath.Join(dir, "p.lqa")
	p, err := Create(ctx, path, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := Create(ctx, path, nil, nil); !errors.Is(err, ErrProjectExists) {
		t.Fatalf("create over a project: %v, want ErrProjectExists", err)
	}
	notProj := filepath.Join(dir, "x.lqa")
	os.WriteFile(notProj, []byte("hello, not a database, but long enough to be read as a file header."), 0o644)
	if _, err := OpenReadOnly(ctx, notProj); !errors.Is(err, ErrNotProject) {
		t.Fatalf("open of a text file: %v, want ErrNotProject", err)
	}
	csv := filepath.Join(dir, "a.csv")
	os.WriteFile(csv, []byte("item_id,annotator_id,label\nx,a,approve\n"), 0o644)
	if _, err := p.Import(ctx, csv, ImportOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Import(ctx, csv, ImportOptions{}, nil); !errors.Is(err, ErrBatchExists) {
		t.Fatalf("second import: %v, want ErrBatchExists", err)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("item_id,annotator_id,label\n,a,approve\n"), 0o644)
	_, err = p.Import(ctx, bad, ImportOptions{}, nil)
	if l, ok := AsInputErrors(err); !ok || len(l.Errs) == 0 {
		t.Fatalf("import of a bad file: %v, want an InputErrorList", err)
	}
}
