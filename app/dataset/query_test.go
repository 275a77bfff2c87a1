package dataset

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"labelqa/app/project"
	"labelqa/app/query"
	"labelqa/app/store"
)

// queryRow is one generated batch row, as the reader will see it.
type queryRow struct {
	item, ann, label, vendor, team, market, queue, sop string
	at                                                 time.Time // zero: no time
}

// queryData writes three batch files and a golden set with vendors, teams,
// markets, queues and SOP versions in mixed case, annotators whose vendor,
// team or market changes from one batch to the next (or is left empty),
// repeated (item, annotator) rows, judgments without a time, times at
// midnight and with milliseconds. It returns the files' paths and the rows
// in file order.
func queryData(t *testing.T, dir string) (paths []string, gold string, rows []queryRow) {
	r := rand.New(rand.NewPCG(10, 2026))
	pick := func(list ...string) string { return list[r.IntN(len(list))] }
	base := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	for f := range 3 {
		var b strings.Builder
		b.WriteString("item_id,annotator_id,label,vendor,team,market,queue,sop_version,submitted_at\n")
		for range 300 {
			timed := r.IntN(10) != 0
			ann := fmt.Sprintf("a%02d", r.IntN(14))
			if !timed {
				// Untimed rows have annotators of their own: a repeat
				// without a time between timed ones is resolved
				// differently by an import and by files (a duplicate
				// policy defect, not the query's).
				ann = fmt.Sprintf("u%d", r.IntN(3))
			}
			x := queryRow{item: fmt.Sprintf("i%03d", r.IntN(90)), ann: ann, label: pick("approve", "scam", "adult")}
			n := ann[len(ann)-1] - '0' // each annotator has a usual vendor, team and market
			x.vendor = []string{"Nusantara BPO", "Fjord Review AS", "fjord review as", "Quality Team", ""}[int(n)%5]
			x.team = []string{"JKT-A", "jkt-a", "OSL", ""}[int(n)%4]
			x.market = []string{"ID", "NO", "id"}[int(n)%3]
			if r.IntN(6) == 0 { // a change, or a row that says nothing
				x.vendor, x.team, x.market = pick("Nusantara BPO", "Fjord Review AS", ""), pick("JKT-A", "OSL", ""), pick("ID", "NO", "")
			}
			x.queue = pick("live", "Live", "LIVE", "practice", "2RQA", "2rqa", "test", "")
			x.sop = pick("v1", "V1", "v2", "v3", "")
			switch k := r.IntN(10); {
			case !timed:
			case k < 2: // at midnight
				x.at = base.AddDate(0, 0, r.IntN(20))
			default:
				x.at = base.Add(time.Duration(r.Int64N(int64(20*24*time.Hour))) / time.Millisecond * time.Millisecond)
			}
			at := ""
			if !x.at.IsZero() {
				at = x.at.Format(time.RFC3339Nano)
				if r.IntN(4) == 0 {
					at = x.at.In(time.FixedZone("", 3600)).Format(time.RFC3339Nano)
				}
			}
			fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%s,%s,%s,%s\n", x.item, x.ann, x.label, x.vendor, x.team, x.market, x.queue, x.sop, at)
			rows = append(rows, x)
		}
		p := filepath.Join(dir, fmt.Sprintf("b%d.csv", f))
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	var g strings.Builder
	g.WriteString("item_id,label\n")
	for i := 0; i < 95; i += 3 { // i090.. are gold items nobody labeled
		fmt.Fprintf(&g, "i%03d,%s\n", i, []string{"approve", "scam", "adult"}[i%3])
	}
	gold = filepath.Join(dir, "gold.csv")
	if err := os.WriteFile(gold, []byte(g.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return paths, gold, rows
}

// judgmentKeys lists a Dataset's judgments as text, sorted: item, annotator,
// label, time, queue, SOP version and the annotator's vendor, team, market.
func judgmentKeys(d *Dataset) []string {
	out := make([]string, d.Len())
	for j := range out {
		a := d.Annotators[d.Annotator[j]]
		out[j] = fmt.Sprintf("%s|%s|%s|%d|%s|%s|%s|%s|%s", d.Items[d.Item[j]], a.ID, d.Labels[d.Label[j]], d.At[j],
			d.Queues[d.Queue[j]], d.SOPs[d.SOP[j]], a.Vendor, a.Team, a.Market)
	}
	slices.Sort(out)
	return out
}

// judgmentOf is what query.Match reads of judgment j of d.
func judgmentOf(d *Dataset, j int) query.Judgment {
	a := d.Annotators[d.Annotator[j]]
	return query.Judgment{Vendor: a.Vendor, Team: a.Team, Market: a.Market, Reviewer: a.ID,
		Queue: d.Queues[d.Queue[j]], SOP: d.SOPs[d.SOP[j]], At: d.At[j], HasTime: d.At[j] != math.MinInt64}
}

// TestQueryStoreAndFilesAgree proves that a project (the store's SQL) and
// the files it was imported from (query.Match after the duplicate policy)
// select the same judgments for every kind of query, and that both are the
// judgments of the unfiltered project that Match selects.
func TestQueryStoreAndFilesAgree(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	paths, goldPath, rows := queryData(t, dir)
	labels := []string{"approve", "scam", "adult"}
	proj := filepath.Join(dir, "p.lqa")
	if err := project.Init(ctx, proj, labels, []string{"approve"}); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, proj)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, p := range paths {
		if _, err := project.Import(ctx, s, p, project.ImportOptions{}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := project.ImportGold(ctx, s, goldPath, project.GoldOptions{Version: "v1"}, nil); err != nil {
		t.Fatal(err)
	}
	full, err := FromStore(ctx, s, query.Query{})
	if err != nil {
		t.Fatal(err)
	}
	// The annotators' final attributes, for the duplicate count in scope:
	// the latest non-empty value of each.
	type attrs struct{ vendor, team, market string }
	final := map[string]*attrs{}
	for _, x := range rows {
		a := final[x.ann]
		if a == nil {
			a = &attrs{}
			final[x.ann] = a
		}
		for _, p := range []struct {
			dst *string
			v   string
		}{{&a.vendor, x.vendor}, {&a.team, x.team}, {&a.market, x.market}} {
			if p.v != "" {
				*p.dst = p.v
			}
		}
	}
	// A time some judgment has, and midnight of a day some judgments have.
	var exact time.Time
	for _, x := range rows {
		if !x.at.IsZero() && x.at.Nanosecond() != 0 {
			exact = x.at
			break
		}
	}
	midnight := time.Date(2025, 3, 7, 0, 0, 0, 0, time.UTC)
	ms := time.Millisecond
	v := query.Query{}.WithinVendor("Fjord Review AS")
	withVendor := func(q query.Query, vendor string) query.Query { q.Vendor = vendor; return q }
	withTeam := func(q query.Query, team string) query.Query { q.Team = team; return q }
	withFrom := func(q query.Query, from time.Time) query.Query { q.From = from; return q }
	cases := []struct {
		name string
		q    query.Query
	}{
		{"none", query.Query{}},
		{"vendor", query.Query{Vendor: "Fjord Review AS"}},
		{"vendor, other case", query.Query{Vendor: "fjord review as"}},
		{"vendor nobody has", query.Query{Vendor: "Nobody"}},
		{"team", query.Query{Team: "JKT-A"}},
		{"team, other case", query.Query{Team: "jkt-a"}},
		{"market", query.Query{Market: "NO"}},
		{"market, lower case", query.Query{Market: "id"}},
		{"queue", query.Query{Queue: "live"}},
		{"queue, mixed case", query.Query{Queue: "LiVe"}},
		{"queue 2RQA", query.Query{Queue: "2RQA"}},
		{"queue nobody has", query.Query{Queue: "exam"}},
		{"SOP", query.Query{SOP: "v1"}},
		{"SOP, other case", query.Query{SOP: "V1"}},
		{"reviewer", query.Query{Reviewer: "a03"}},
		{"reviewer, other case", query.Query{Reviewer: "A03"}},
		{"from midnight", query.Query{From: midnight}},
		{"to midnight", query.Query{To: midnight}},
		{"one day", query.Query{From: midnight, To: midnight.AddDate(0, 0, 1)}},
		{"from an exact time", query.Query{From: exact}},
		{"to an exact time", query.Query{To: exact}},
		{"the exact millisecond", query.Query{From: exact, To: exact.Add(ms)}},
		{"just after it", query.Query{From: exact.Add(ms)}},
		{"empty range", query.Query{From: exact, To: exact}},
		{"before every time", query.Query{To: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{"vendor and queue", query.Query{Vendor: "Nusantara BPO", Queue: "Live"}},
		{"team, SOP, from", query.Query{Team: "OSL", SOP: "v2", From: midnight}},
		{"market, reviewer, to", query.Query{Market: "ID", Reviewer: "a03", To: midnight.AddDate(0, 0, 5)}},
		{"everything", query.Query{Vendor: "Nusantara BPO", Team: "JKT-A", Market: "ID", Queue: "live", SOP: "v1", From: midnight.AddDate(0, 0, -6), To: midnight.AddDate(0, 0, 10)}},
		{"nothing together", query.Query{Vendor: "Quality Team", Team: "OSL", Market: "NO", Reviewer: "a00"}},
		{"scope", v},
		{"scope, its own vendor", withVendor(v, "Fjord Review AS")},
		{"scope, another vendor", withVendor(v, "Nusantara BPO")},
		{"scope, the vendor in another case", withVendor(v, "fjord review as")},
		{"scope and team", withTeam(v, "OSL")},
		{"scope and dates", withFrom(v, midnight)},
		{"two scopes", v.WithinVendor("Nusantara BPO")},
		{"the same scope twice", v.WithinVendor("Fjord Review AS")},
		{"scope without a vendor", query.Query{}.WithinVendor("")},
	}
	some := 0
	for _, c := range cases {
		dp, err := FromStore(ctx, s, c.q)
		if err != nil {
			t.Fatalf("%s: store: %v", c.name, err)
		}
		df, err := FromFiles(ctx, paths, goldPath, Options{Labels: labels, Query: c.q})
		if err != nil {
			t.Fatalf("%s: files: %v", c.name, err)
		}
		kp, kf := judgmentKeys(dp), judgmentKeys(df)
		if !slices.Equal(kp, kf) {
			t.Errorf("%s: the project gives %d judgments, the files %d; first difference: %s", c.name, len(kp), len(kf), firstDiff(kp, kf))
			continue
		}
		// The unfiltered judgments Match selects.
		var want []string
		m := c.q.Matcher()
		for j := range full.Item {
			if m.Match(judgmentOf(full, j)) {
				want = append(want, judgmentKeys(&Dataset{Items: full.Items, Annotators: full.Annotators, Labels: full.Labels,
					Queues: full.Queues, SOPs: full.SOPs, Item: full.Item[j : j+1], Annotator: full.Annotator[j : j+1],
					Label: full.Label[j : j+1], At: full.At[j : j+1], Queue: full.Queue[j : j+1], SOP: full.SOP[j : j+1]})...)
			}
		}
		slices.Sort(want)
		if !slices.Equal(kp, want) {
			t.Errorf("%s: %d judgments, Match on the unfiltered project selects %d", c.name, len(kp), len(want))
		}
		cp, cf := dp.Counts(), df.Counts()
		if cp.Items != cf.Items || cp.Annotators != cf.Annotators || cp.Annotations != cf.Annotations || cp.GoldItems != cf.GoldItems {
			t.Errorf("%s: counts: project %+v, files %+v", c.name, cp, cf)
		}
		if dp.Filtered != c.q.Filtered() || df.Filtered != c.q.Filtered() {
			t.Errorf("%s: Filtered: project %v, files %v", c.name, dp.Filtered, df.Filtered)
		}
		// Duplicates: without a query the project's record; with one the
		// project cannot tell, and the files count the rows in scope that
		// repeat an earlier row in scope.
		if !c.q.Filtered() {
			if dp.DuplicatesUnknown || dp.Duplicates != df.Duplicates || df.Duplicates == 0 {
				t.Errorf("%s: duplicates: project %d, files %d", c.name, dp.Duplicates, df.Duplicates)
			}
		} else {
			in := make([]bool, len(rows))
			dups := 0
			for i, x := range rows {
				a := final[x.ann]
				in[i] = m.Match(query.Judgment{Vendor: a.vendor, Team: a.team, Market: a.market, Reviewer: x.ann,
					Queue: strings.ToLower(x.queue), SOP: x.sop, At: x.at.UnixMilli(), HasTime: !x.at.IsZero()})
				if !in[i] {
					continue
				}
				for k := range i {
					if in[k] && rows[k].item == x.item && rows[k].ann == x.ann {
						dups++
						break
					}
				}
			}
			if !dp.DuplicatesUnknown || df.DuplicatesUnknown || df.Duplicates != dups {
				t.Errorf("%s: duplicates in scope: files %d, want %d; project unknown %v", c.name, df.Duplicates, dups, dp.DuplicatesUnknown)
			}
		}
		if len(kp) > 0 && len(kp) < full.Len() {
			some++
		}
		t.Logf("%-36s %4d judgments, %3d gold items, %3d duplicates", c.name, len(kp), cf.GoldItems, df.Duplicates)
	}
	if some < len(cases)/2 {
		t.Errorf("only %d of %d queries select some but not all judgments: the data do not test them", some, len(cases))
	}
}

// firstDiff shows where two sorted lists first differ.
func firstDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("%q against %q", a[i], b[i])
		}
	}
	if len(a) > len(b) {
		return fmt.Sprintf("%q only in the first", a[len(b)])
	}
	if len(b) > len(a) {
		return fmt.Sprintf("%q only in the second", b[len(a)])
	}
	return "none"
}
