package core

import (
	"math"
	"time"

	"labelqa/app/dataset"
	"labelqa/app/query"
)

// filterDataset is the Dataset dataset.FromStore(q) reads, taken from the
// project's unfiltered Dataset full without a second read of the project:
// the judgments q keeps, in the same (annotation id) order, with items,
// annotators, queues and SOP versions coded in the order the kept
// judgments meet them, as the store's read codes them. A filter change on a
// million judgments takes tens of milliseconds this way against one to four
// seconds through SQL (docs/PERFORMANCE.md).
//
// The predicate is the query's own (query.Matcher), the one the store's SQL
// and the files' reader apply. TestFilterDatasetAsStore
// holds the two to the same judgments.
func filterDataset(full *dataset.Dataset, q Query) *dataset.Dataset {
	// Every query condition but the time is a property of the annotator, the
	// queue and the SOP version: test each combination once, without the
	// time (tested below).
	untimed := q
	untimed.From, untimed.To = time.Time{}, time.Time{}
	m := untimed.Matcher()
	type key struct{ ann, queue, sop int32 }
	ok := map[key]bool{}
	keep := func(j int) bool {
		k := key{full.Annotator[j], full.Queue[j], full.SOP[j]}
		v, seen := ok[k]
		if !seen {
			a := &full.Annotators[k.ann]
			v = m.Match(query.Judgment{Vendor: a.Vendor, Team: a.Team, Market: a.Market, Reviewer: a.ID,
				Queue: full.Queues[k.queue], SOP: full.SOPs[k.sop]})
			ok[k] = v
		}
		return v
	}
	// The time, the one condition of the judgment itself, as Matcher
	// tests it: From <= at < To, an unknown time outside any window.
	from, to := int64(math.MinInt64), int64(math.MaxInt64)
	if !q.From.IsZero() {
		from = q.From.UnixMilli()
	}
	if !q.To.IsZero() {
		to = q.To.UnixMilli()
	}
	timed := !q.From.IsZero() || !q.To.IsZero()
	d := &dataset.Dataset{
		Labels: full.Labels, Allow: full.Allow, OrderDeclared: full.OrderDeclared,
		Extra: map[int][]int32{}, GoldItems: full.GoldItems,
		Filtered: true, DuplicatesUnknown: true,
	}
	itemCode := codes(len(full.Items))
	annCode := codes(len(full.Annotators))
	queueCode := codes(len(full.Queues))
	sopCode := codes(len(full.SOPs))
	recode := func(table []int32, c int32, n *int) int32 {
		if table[c] < 0 {
			table[c] = int32(*n)
			*n++
		}
		return table[c]
	}
	var nItems, nAnns, nQueues, nSOPs int
	var itemFrom []int32 // new item code -> full's
	for j := range full.Item {
		at := full.At[j]
		if (timed && (at == math.MinInt64 || at < from || at >= to)) || !keep(j) {
			continue
		}
		ic := recode(itemCode, full.Item[j], &nItems)
		if int(ic) == len(itemFrom) {
			itemFrom = append(itemFrom, full.Item[j])
		}
		ac := recode(annCode, full.Annotator[j], &nAnns)
		if int(ac) == len(d.Annotators) {
			d.Annotators = append(d.Annotators, full.Annotators[full.Annotator[j]])
		}
		qc := recode(queueCode, full.Queue[j], &nQueues)
		if int(qc) == len(d.Queues) {
			d.Queues = append(d.Queues, full.Queues[full.Queue[j]])
		}
		sc := recode(sopCode, full.SOP[j], &nSOPs)
		if int(sc) == len(d.SOPs) {
			d.SOPs = append(d.SOPs, full.SOPs[full.SOP[j]])
		}
		if ex, ok := full.Extra[j]; ok {
			d.Extra[len(d.Item)] = ex
		}
		d.Item = append(d.Item, ic)
		d.Annotator = append(d.Annotator, ac)
		d.Label = append(d.Label, full.Label[j])
		d.Queue = append(d.Queue, qc)
		d.Round = append(d.Round, full.Round[j])
		d.At = append(d.At, at)
		d.Duration = append(d.Duration, full.Duration[j])
		d.SOP = append(d.SOP, sc)
	}
	d.Items = make([]string, len(itemFrom))
	d.Gold = make([]int32, len(itemFrom))
	for i, f := range itemFrom {
		d.Items[i] = full.Items[f]
		d.Gold[i] = full.Gold[f]
		if d.Gold[i] >= 0 {
			d.GoldInScope++
		}
	}
	return d
}

// codes is a code table of n entries, all -1 (not met yet).
func codes(n int) []int32 {
	t := make([]int32, n)
	for i := range t {
		t[i] = -1
	}
	return t
}
