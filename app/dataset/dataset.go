// Package dataset builds the integer-coded judgment matrix that analysis
// reads, from a project or straight from batch files. Both paths give the
// same Dataset, so "labelqa metrics" answers the same for a project and for
// the files it was imported from.
package dataset

import (
	"context"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"sync/atomic"

	"labelqa/app/ingest"
	"labelqa/app/query"
	"labelqa/app/remedy"
	"labelqa/app/rules"
	"labelqa/app/store"
)

// Annotator is one coded annotator.
type Annotator struct {
	ID     string
	Vendor string
	Team   string
	Market string
}

// Dataset holds judgments as parallel slices: judgment j is annotator
// Annotator[j] giving label Label[j] to item Item[j]. Codes index Items,
// Annotators and Labels. Labels are in declared order.
type Dataset struct {
	Items      []string
	Annotators []Annotator
	Labels     []string
	Allow      []bool // per label: the allow/approve decision
	// OrderDeclared tells, per label, whether its place in Labels was
	// declared (a project's declared label set, or the --labels of batch
	// files); an undeclared label's place is the sorted order (or, in a
	// project, the order imports met it), which ordinal and weighted
	// measures then depend on.
	OrderDeclared []bool

	Item      []int32
	Annotator []int32
	Label     []int32
	Extra     map[int][]int32 // judgment -> further labels of a multi-label judgment
	Queue     []int32         // per judgment: index into Queues
	Round     []int8
	At        []int64   // Unix ms; math.MinInt64 when unknown
	Duration  []float64 // seconds; NaN when unknown
	SOP       []int32   // per judgment: index into SOPs

	// Queues and SOPs are the distinct queue names and SOP versions ("" when
	// a judgment names none). A million judgments name a handful, and codes
	// take a quarter of the memory of strings, which the collector must scan.
	Queues []string
	SOPs   []string

	Gold []int32 // per item: gold label code, -1 when none
	// GoldItems counts the whole golden set (answered or not), filter or
	// not: measures use it to tell whether there is a golden set at all.
	GoldItems int
	// Filtered is set when a filter selected the judgments; GoldInScope
	// then counts the gold items with a judgment in scope (an unanswered
	// gold item has no vendor, queue, market or time), which Counts reports.
	Filtered    bool
	GoldInScope int
	// Duplicates counts repeated (item, annotator) rows seen (with a filter,
	// rows in scope that repeat an earlier row in scope).
	Duplicates int
	// DuplicatesUnknown is set when Duplicates cannot be told: a project read
	// with a filter (a project keeps per batch how many rows it replaced, not
	// which, so it cannot say how many of them fall in the filter's scope).
	DuplicatesUnknown bool
}

// Len is the number of judgments.
func (d *Dataset) Len() int { return len(d.Item) }

// Options controls how a Dataset is built from files.
type Options struct {
	Ingest     ingest.Options
	Duplicates rules.DuplicatePolicy // rules.DupLast when empty
	Labels     []string              // declared label order; labels not listed follow in sorted order
	Allow      []string              // allow/approve labels; nil: by name (approve, allow, ...)
	// Query selects the judgments, judged as a project judges them (see
	// inScope).
	Query query.Query
}

// FromStore reads the project's annotations q selects, with the project's
// label set and its current golden set.
func FromStore(ctx context.Context, s *store.Store, q query.Query) (*Dataset, error) {
	labels, err := s.Labels(ctx)
	if err != nil {
		return nil, err
	}
	annotators, err := s.Annotators(ctx)
	if err != nil {
		return nil, err
	}
	counts, err := s.Counts(ctx)
	if err != nil {
		return nil, err
	}
	d := &Dataset{Extra: map[int][]int32{}, Duplicates: counts.Duplicates}
	if q.Filtered() {
		d.Duplicates, d.DuplicatesUnknown = 0, true
	}
	queues, sops := newNames(&d.Queues), newNames(&d.SOPs)
	// Project ids are small dense integers: codes are looked up in slices
	// indexed by them (a map per judgment cost a third of the read).
	labelCode := map[int64]int32{}
	for i, l := range labels {
		labelCode[l.ID] = int32(i)
		d.Labels = append(d.Labels, l.Name)
		d.Allow = append(d.Allow, l.Allow)
	}
	if d.OrderDeclared, err = declaredOrder(ctx, s, d.Labels); err != nil {
		return nil, err
	}
	labelByID := codeTable(labelCode)
	annByID := map[int64]store.Annotator{}
	var maxAnn int64
	for _, a := range annotators {
		annByID[a.ID] = a
		maxAnn = max(maxAnn, a.ID)
	}
	annCode := make([]int32, maxAnn+1)
	for i := range annCode {
		annCode[i] = -1
	}
	ext, err := s.ItemExtIDs(ctx)
	if err != nil {
		return nil, err
	}
	itemCode := make([]int32, len(ext))
	for i := range itemCode {
		itemCode[i] = -1
	}
	var itemIDs []int64
	if !q.Filtered() {
		// Every judgment is read: size the slices once (appending a million
		// a doubling at a time copied and faulted in twice the memory).
		n := counts.Annotations
		d.Item, d.Annotator, d.Label = make([]int32, 0, n), make([]int32, 0, n), make([]int32, 0, n)
		d.Queue, d.SOP, d.Round = make([]int32, 0, n), make([]int32, 0, n), make([]int8, 0, n)
		d.At, d.Duration = make([]int64, 0, n), make([]float64, 0, n)
		itemIDs = make([]int64, 0, counts.Items)
	}
	err = s.EachAnnotation(ctx, q, func(a *store.Annotation) error {
		if a.Item < 0 || a.Item >= int64(len(itemCode)) || a.Annotator < 0 || a.Annotator >= int64(len(annCode)) ||
			a.Label < 0 || a.Label >= int64(len(labelByID)) || labelByID[a.Label] < 0 {
			return fmt.Errorf("annotation %d refers to an item, annotator or label the project does not hold; run PRAGMA foreign_key_check on the project", a.ID)
		}
		ic := itemCode[a.Item]
		if ic < 0 {
			ic = int32(len(itemIDs))
			itemCode[a.Item] = ic
			itemIDs = append(itemIDs, a.Item)
		}
		ac := annCode[a.Annotator]
		if ac < 0 {
			ac = int32(len(d.Annotators))
			annCode[a.Annotator] = ac
			x := annByID[a.Annotator]
			d.Annotators = append(d.Annotators, Annotator{ID: x.ExtID, Vendor: x.Vendor, Team: x.Team, Market: x.Market})
		}
		j := len(d.Item)
		d.Item = append(d.Item, ic)
		d.Annotator = append(d.Annotator, ac)
		d.Label = append(d.Label, labelByID[a.Label])
		if len(a.Extra) > 0 {
			ex := make([]int32, len(a.Extra))
			for k, id := range a.Extra {
				ex[k] = labelCode[id]
			}
			d.Extra[j] = ex
		}
		d.Queue = append(d.Queue, queues.code(a.Queue))
		d.Round = append(d.Round, int8(a.Round))
		at := int64(math.MinInt64)
		if a.HasTime {
			at = a.SubmittedAt
		}
		d.At = append(d.At, at)
		dur := math.NaN()
		if a.HasDuration {
			dur = a.DurationS
		}
		d.Duration = append(d.Duration, dur)
		d.SOP = append(d.SOP, sops.code(a.SOPVersion))
		return nil
	})
	if err != nil {
		return nil, err
	}
	d.Items = make([]string, len(itemIDs))
	for i, id := range itemIDs {
		d.Items[i] = ext[id]
	}
	gold, err := s.CurrentGold(ctx)
	if err != nil {
		return nil, err
	}
	d.Gold = make([]int32, len(d.Items))
	for i := range d.Gold {
		d.Gold[i] = -1
	}
	d.GoldItems = len(gold)
	inScope := 0
	for item, label := range gold {
		if item >= 0 && item < int64(len(itemCode)) && itemCode[item] >= 0 {
			d.Gold[itemCode[item]] = labelCode[label]
			inScope++
		}
	}
	// Every item read has a judgment in scope.
	d.Filtered, d.GoldInScope = q.Filtered(), inScope
	return d, nil
}

// declaredOrder tells which of a project's labels had their place
// declared. A project that holds no record of a declaration (made before
// LabelQA recorded it, or never made) counts as declared unless its labels
// are in sorted order, the order its first import gives undeclared labels:
// a deliberate order is not flagged, an order nobody chose is.
func declaredOrder(ctx context.Context, s *store.Store, labels []string) ([]bool, error) {
	names, known, err := s.DeclaredLabels(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]bool, len(labels))
	if !known {
		if !store.LabelNamesSorted(labels) {
			for i := range out {
				out[i] = true
			}
		}
		return out, nil
	}
	set := make(map[string]bool, len(names))
	for _, n := range names {
		set[n] = true
	}
	for i, l := range labels {
		out[i] = set[l]
	}
	return out, nil
}

// codeTable turns an id -> code map into a slice indexed by id, -1 where
// no id is.
func codeTable(m map[int64]int32) []int32 {
	var n int64
	for id := range m {
		n = max(n, id+1)
	}
	t := make([]int32, n)
	for i := range t {
		t[i] = -1
	}
	for id, c := range m {
		if id >= 0 {
			t[id] = c
		}
	}
	return t
}

// builder codes records from files.
type builder struct {
	d      *Dataset
	opts   Options
	items  map[string]int32
	anns   map[string]int32
	labels map[string]int32 // every spelling met -> code
	keys   map[string]int32 // store.LabelKey -> code: one label per key, as a project has
	// Judgments of each item as a linked list (head per item, next per
	// judgment, -1 ends): items have a handful of judgments, so finding an
	// (item, annotator) repeat walks a short list instead of probing a map
	// with a million keys.
	head     []int32
	next     []int32
	dropped  []bool // judgments superseded under last/first
	queues   names
	sops     names
	errs     ingest.ErrorList
	fileName string
	// fileStart is the first judgment of the file being read; pending are
	// its pairs that repeat a pair of an earlier file under last, resolved
	// when the file ends (resolvePending).
	fileStart int
	pending   []pendingRepeat

	remaining int64        // bytes of the input files, for reserve
	bytesRead atomic.Int64 // bytes the reader has got through (all files)
	produced  atomic.Int64 // records the reader had parsed at bytesRead
	seen      int          // records handed to add (all files)
}

// FromFiles reads batch files (and optionally a golden-set file) without a
// project, applying the duplicate policy and filter as an import would.
func FromFiles(ctx context.Context, paths []string, goldPath string, opts Options) (*Dataset, error) {
	opts.Duplicates = opts.Duplicates.OrDefault()
	d := &Dataset{Extra: map[int][]int32{}}
	b := &builder{d: d, opts: opts, queues: newNames(&d.Queues), sops: newNames(&d.SOPs),
		items: map[string]int32{}, anns: map[string]int32{}, labels: map[string]int32{}, keys: map[string]int32{}}
	for _, l := range opts.Labels {
		b.label(l)
	}
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil {
			b.remaining += st.Size()
		}
	}
	for _, p := range paths {
		b.fileName = p
		b.fileStart = len(d.Item)
		err := scanPipelined(ctx, p, opts.Ingest, &b.bytesRead, &b.produced, b.add)
		if err == nil {
			b.resolvePending()
		}
		if err != nil {
			// The reader's problems and the duplicates refused while coding,
			// in one list.
			if l, ok := ingest.AsList(err); ok {
				for _, e := range b.errs.Errs {
					l.Add(e)
				}
				l.Sort()
			}
			return nil, err
		}
	}
	if err := b.errs.Err(); err != nil {
		return nil, err
	}
	scoped := opts.Query.Filtered()
	if scoped {
		b.applyFilter()
	}
	b.compact()
	if scoped {
		b.prune()
	}
	gold := map[int32]int32{}
	if goldPath != "" {
		goldRow := map[int32]int{} // item -> the row of its gold answer
		_, err := ingest.ScanGold(ctx, goldPath, opts.Ingest, func(g *ingest.GoldRecord) error {
			if len(g.Labels) == 0 {
				return nil
			}
			lc := b.label(g.Labels[0])
			ic, ok := b.items[g.ItemID]
			if !ok {
				ic = int32(len(b.d.Items))
				b.items[strings.Clone(g.ItemID)] = ic
				b.d.Items = append(b.d.Items, strings.Clone(g.ItemID))
			}
			if prev, dup := goldRow[ic]; dup {
				// As a gold import into a project refuses it; the reader
				// adds the position and gathers it with the file's other
				// problems.
				return &ingest.Error{Row: g.Row, Field: "item_id", Err: store.GoldAnswerTwice(g.ItemID, prev)}
			}
			goldRow[ic] = g.Row
			gold[ic] = lc
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	// Gold codes are set before orderLabels, which recodes them with the
	// judgments' labels.
	d = b.d
	d.Gold = make([]int32, len(d.Items))
	for i := range d.Gold {
		d.Gold[i] = -1
	}
	for ic, lc := range gold {
		d.Gold[ic] = lc
	}
	d.GoldItems = len(gold)
	// The gold items with a judgment (in scope, with a filter).
	answered := make([]bool, len(d.Items))
	for _, it := range d.Item {
		answered[it] = true
	}
	for ic := range gold {
		if answered[ic] {
			d.GoldInScope++
		}
	}
	d.Filtered = scoped
	b.orderLabels()
	return d, nil
}

func (b *builder) label(name string) int32 {
	if c, ok := b.labels[name]; ok {
		return c
	}
	// Another spelling of a known label (case, Unicode form, spaces) is that
	// label, keeping its first spelling, as an import into a project does.
	name = strings.Clone(name)
	key := store.LabelKey(name)
	if c, ok := b.keys[key]; ok {
		b.labels[name] = c
		return c
	}
	c := int32(len(b.d.Labels))
	b.labels[name] = c
	b.keys[key] = c
	b.d.Labels = append(b.d.Labels, name)
	return c
}

// inScope reports whether the query selects judgment j, judged as a
// project judges it after import: vendor, team and market are the
// annotator's (the latest non-empty value the files gave), reviewer the
// annotator's id, queue, SOP version and submission time the judgment's.
func (b *builder) inScope(m *query.Matcher, j int) bool {
	d := b.d
	a := &d.Annotators[d.Annotator[j]]
	at := d.At[j]
	return m.Match(query.Judgment{Vendor: a.Vendor, Team: a.Team, Market: a.Market, Reviewer: a.ID,
		Queue: d.Queues[d.Queue[j]], SOP: d.SOPs[d.SOP[j]], At: at, HasTime: at != math.MinInt64})
}

// applyFilter drops the judgments outside the query, after the duplicate
// policy has run on all of them, as on a project (import keeps or replaces
// repeats, the filter then reads what is kept), and counts the duplicates
// in scope: rows in scope that repeat an earlier row in scope of the same
// (item, annotator).
func (b *builder) applyFilter() {
	d := b.d
	m := b.opts.Query.Matcher()
	in := make([]bool, len(d.Item))
	for j := range in {
		in[j] = b.inScope(&m, j)
	}
	dups := 0
	for j := range d.Item {
		if !in[j] {
			continue
		}
		// The item's list runs newest first: look for an earlier row.
		for k := b.head[d.Item[j]]; k >= 0; k = b.next[k] {
			if int(k) < j && in[k] && d.Annotator[k] == d.Annotator[j] {
				dups++
				break
			}
		}
	}
	d.Duplicates = dups
	for j := range in {
		if !in[j] {
			b.dropped[j] = true
		}
	}
}

// prune removes the items and annotators no kept judgment refers to, so a
// filtered Dataset holds what it would hold had the files held only the
// judgments in scope (gold-only items are added afterwards, as always).
func (b *builder) prune() {
	d := b.d
	itemCode := make([]int32, len(d.Items))
	annCode := make([]int32, len(d.Annotators))
	for i := range itemCode {
		itemCode[i] = -1
	}
	for i := range annCode {
		annCode[i] = -1
	}
	var items []string
	var anns []Annotator
	for j, it := range d.Item {
		if itemCode[it] < 0 {
			itemCode[it] = int32(len(items))
			items = append(items, d.Items[it])
		}
		if a := d.Annotator[j]; annCode[a] < 0 {
			annCode[a] = int32(len(anns))
			anns = append(anns, d.Annotators[a])
		}
		d.Item[j], d.Annotator[j] = itemCode[it], annCode[d.Annotator[j]]
	}
	b.items = make(map[string]int32, len(items))
	for i, id := range items {
		b.items[id] = int32(i)
	}
	d.Items, d.Annotators = items, anns
	b.head, b.next = nil, nil
}

func (b *builder) add(r *ingest.Record) error {
	b.seen++
	d := b.d
	ic, ok := b.items[r.ItemID]
	if !ok {
		ic = int32(len(d.Items))
		id := strings.Clone(r.ItemID)
		b.items[id] = ic
		d.Items = append(d.Items, id)
		b.head = append(b.head, -1)
	}
	ac, ok := b.anns[r.AnnotatorID]
	if !ok {
		ac = int32(len(d.Annotators))
		id := strings.Clone(r.AnnotatorID)
		b.anns[id] = ac
		d.Annotators = append(d.Annotators, Annotator{ID: id})
	}
	a := &d.Annotators[ac]
	merge(&a.Vendor, r.Vendor)
	merge(&a.Team, r.Team)
	merge(&a.Market, r.Market)
	at := int64(math.MinInt64)
	if r.HasTime() {
		at = r.SubmittedAt.UnixMilli()
	}
	// Every row's labels join the label set, a superseded row's too, as an
	// import registers them: the set (and so q) is the project's.
	label := b.label(r.Labels[0])
	for _, l := range r.Labels[1:] {
		b.label(l)
	}
	// The pair's latest live judgment, if any.
	prev, dup := -1, false
	for k := b.head[ic]; k >= 0; k = b.next[k] {
		if d.Annotator[k] == ac && !b.dropped[k] {
			prev, dup = int(k), true
			break
		}
	}
	// superseded: this row loses to the pair's earlier one. With a filter
	// it is still kept (dropped) so that applyFilter can count the repeats
	// in scope; without one it is not stored at all.
	superseded := false
	if dup && prev < b.fileStart && b.opts.Duplicates == rules.DupLast {
		// A repeat of an earlier file's pair: as an import into a project
		// does, the file's own repeats are resolved first and the file's
		// winner then meets the earlier one (resolvePending). Under last the
		// order matters: a row without a time beats the row before it, so
		// x at 10:00 (file 1), y without a time and z at 09:00 (file 2)
		// leave x (z beats y in file 2, then x beats z), not z.
		d.Duplicates++
		b.pending = append(b.pending, pendingRepeat{old: int32(prev), item: ic, ann: ac})
		dup = false
	}
	if dup {
		d.Duplicates++
		switch b.opts.Duplicates.Resolve(d.At[prev], at) {
		case rules.Refuse:
			e := &ingest.Error{File: b.fileName, Row: r.Row, Field: "annotator_id",
				Err: remedy.With(fmt.Errorf("annotator %q already labeled item %q; choose how to treat repeats", r.AnnotatorID, r.ItemID), remedy.Do(remedy.ChooseDuplicates))}
			b.errs.Add(e)
			return e
		case rules.DropNew:
			superseded = true
		case rules.DropOld:
			b.dropped[prev] = true
		}
		if superseded && !b.opts.Query.Filtered() {
			return nil
		}
	}
	j := len(d.Item)
	if j >= reserveAfter && j == cap(d.Item) {
		b.reserve()
	}
	b.next = append(b.next, b.head[ic])
	b.head[ic] = int32(j)
	d.Item = append(d.Item, ic)
	d.Annotator = append(d.Annotator, ac)
	d.Label = append(d.Label, label)
	if len(r.Labels) > 1 {
		ex := make([]int32, 0, len(r.Labels)-1)
		for _, l := range r.Labels[1:] {
			ex = append(ex, b.label(l))
		}
		d.Extra[j] = ex
	}
	d.Queue = append(d.Queue, b.queues.code(r.Queue))
	d.Round = append(d.Round, int8(r.Round))
	d.At = append(d.At, at)
	d.Duration = append(d.Duration, r.DurationS)
	d.SOP = append(d.SOP, b.sops.code(r.SOPVersion))
	b.dropped = append(b.dropped, superseded)
	return nil
}

// pendingRepeat is a pair of the file being read that an earlier file also
// holds: old is the earlier file's judgment still in force.
type pendingRepeat struct {
	old       int32
	item, ann int32
}

// resolvePending settles, once a file is read, each of its pairs that an
// earlier file holds: the file's winner (its latest judgment of the pair
// still in force) against the earlier one, by the duplicate policy, as
// the project's import does when it commits a batch.
func (b *builder) resolvePending() {
	d := b.d
	for _, p := range b.pending {
		w := -1
		for k := b.head[p.item]; k >= 0 && int(k) >= b.fileStart; k = b.next[k] {
			if d.Annotator[k] == p.ann && !b.dropped[k] {
				w = int(k)
				break
			}
		}
		if w < 0 {
			continue
		}
		switch b.opts.Duplicates.Resolve(d.At[p.old], d.At[w]) {
		case rules.DropNew:
			b.dropped[w] = true
		case rules.DropOld:
			b.dropped[p.old] = true
		}
	}
	b.pending = b.pending[:0]
}

// reserveAfter is how many judgments are read before the builder sizes its
// slices for the whole input. By then the reader's bytes per record are
// known to within its read buffer.
const reserveAfter = 1 << 16

// reserve grows every per-judgment slice (and the item map) to the input's
// estimated size when they are full: appending a million judgments a
// doubling at a time allocated twice the memory, and the collector and the
// page faults of fresh memory took most of a core. The estimate is the
// records the reader had parsed per byte read, times the input's bytes,
// times the share of records kept (the filter); it runs again, with a
// better estimate, if the slices fill up once more.
func (b *builder) reserve() {
	d := b.d
	n := len(d.Item)
	est := n + n/4
	read, produced := b.bytesRead.Load(), b.produced.Load()
	if read > 0 && produced > 0 && b.seen > 0 && b.remaining > 0 {
		records := float64(produced) / float64(read) * float64(b.remaining)
		if e := int(records * float64(n) / float64(b.seen) * 1.05); e > est {
			est = e
		}
	}
	if est > 1<<31-1 {
		return
	}
	d.Item = slices.Grow(d.Item, est-n)
	d.Annotator = slices.Grow(d.Annotator, est-n)
	d.Label = slices.Grow(d.Label, est-n)
	d.Queue = slices.Grow(d.Queue, est-n)
	d.Round = slices.Grow(d.Round, est-n)
	d.At = slices.Grow(d.At, est-n)
	d.Duration = slices.Grow(d.Duration, est-n)
	d.SOP = slices.Grow(d.SOP, est-n)
	b.next = slices.Grow(b.next, est-n)
	b.dropped = slices.Grow(b.dropped, est-n)
	// Items grow with the judgments at the rate seen so far.
	estItems := int(float64(len(d.Items))*float64(est)/float64(n)*1.05) + 1
	if estItems > len(d.Items) {
		items := make(map[string]int32, estItems)
		for k, v := range b.items {
			items[k] = v
		}
		b.items = items
		d.Items = slices.Grow(d.Items, estItems-len(d.Items))
		b.head = slices.Grow(b.head, estItems-len(b.head))
	}
}

// names codes the few distinct values of a column (queues, SOP versions)
// into a Dataset's list of them.
type names struct {
	list  *[]string
	codes map[string]int32
	last  string // consecutive judgments nearly always repeat the value
	lastC int32
	used  bool
}

func newNames(list *[]string) names { return names{list: list, codes: map[string]int32{}} }

func (n *names) code(v string) int32 {
	if n.used && v == n.last {
		return n.lastC
	}
	c, ok := n.codes[v]
	if !ok {
		c = int32(len(*n.list))
		v = strings.Clone(v)
		n.codes[v] = c
		*n.list = append(*n.list, v)
	}
	n.last, n.lastC, n.used = v, c, true
	return c
}

// compact removes superseded judgments.
func (b *builder) compact() {
	d := b.d
	k := 0
	extra := map[int][]int32{}
	for j := range d.Item {
		if b.dropped[j] {
			continue
		}
		d.Item[k], d.Annotator[k], d.Label[k] = d.Item[j], d.Annotator[j], d.Label[j]
		d.Queue[k], d.Round[k], d.At[k], d.Duration[k], d.SOP[k] = d.Queue[j], d.Round[j], d.At[j], d.Duration[j], d.SOP[j]
		if ex, ok := d.Extra[j]; ok {
			extra[k] = ex
		}
		k++
	}
	d.Item, d.Annotator, d.Label = d.Item[:k], d.Annotator[:k], d.Label[:k]
	d.Queue, d.Round, d.At, d.Duration, d.SOP = d.Queue[:k], d.Round[:k], d.At[:k], d.Duration[:k], d.SOP[:k]
	d.Extra = extra
}

// orderLabels puts the declared labels first, in their order, then the rest
// sorted by name, and recodes judgments and gold to match.
func (b *builder) orderLabels() {
	d := b.d
	// b.label added the declared labels first, each once (a name listed
	// twice is one label).
	declared := 0
	seen := map[string]bool{}
	for _, l := range b.opts.Labels {
		if k := store.LabelKey(l); !seen[k] {
			seen[k] = true
			declared++
		}
	}
	rest := append([]string(nil), d.Labels[declared:]...)
	store.SortLabelNames(rest)
	order := append(append([]string(nil), d.Labels[:declared]...), rest...)
	recode := make([]int32, len(d.Labels))
	for newCode, name := range order {
		recode[b.labels[name]] = int32(newCode)
	}
	for j, l := range d.Label {
		d.Label[j] = recode[l]
	}
	for _, ex := range d.Extra {
		for k, l := range ex {
			ex[k] = recode[l]
		}
	}
	for i, g := range d.Gold {
		if g >= 0 {
			d.Gold[i] = recode[g]
		}
	}
	d.Labels = order
	d.OrderDeclared = make([]bool, len(order))
	for i := range declared {
		d.OrderDeclared[i] = true
	}
	d.Allow = make([]bool, len(order))
	for i, name := range order {
		d.Allow[i] = rules.Approves(name, b.opts.Allow)
	}
}

// merge applies rules.MergeAttribute to an annotator's attribute, copying
// a new value out of the reader's buffer.
func merge(attr *string, next string) {
	if v := rules.MergeAttribute(*attr, next); v != *attr {
		*attr = strings.Clone(v)
	}
}

// LabelIndex finds a label by any of its spellings (case, Unicode form,
// surrounding spaces: store.LabelKey), as imports and the label set do.
func (d *Dataset) LabelIndex(name string) (int, bool) {
	k := store.LabelKey(name)
	for i, l := range d.Labels {
		if store.LabelKey(l) == k {
			return i, true
		}
	}
	return 0, false
}

// Counts is the contract's "counts" object. Items and annotators count
// those with at least one judgment; gold items count the whole golden set,
// or with a filter the gold items with a judgment in scope.
func (d *Dataset) Counts() store.Counts {
	items := make([]bool, len(d.Items))
	anns := make([]bool, len(d.Annotators))
	c := store.Counts{Annotations: len(d.Item), GoldItems: d.GoldItems, Duplicates: d.Duplicates, Labels: d.Labels}
	if d.Filtered {
		c.GoldItems = d.GoldInScope
	}
	for j, it := range d.Item {
		if !items[it] {
			items[it] = true
			c.Items++
		}
		if a := d.Annotator[j]; !anns[a] {
			anns[a] = true
			c.Annotators++
		}
	}
	if c.Labels == nil {
		c.Labels = []string{}
	}
	return c
}
