package core

import (
	"cmp"
	"context"
	"errors"
	"math"
	"slices"

	"labelqa/app/metrics"
	"labelqa/app/rules"
	"labelqa/app/store"
)

// Root-cause analysis: where the errors against gold are (a Pareto of
// confused label pairs, overall and by SOP section, SOP version, vendor and
// market), examples of the top pairs, why they were made (the batch files'
// root_cause and error_category columns and the RCA tags) and the disputed
// gold items. Every count comes from the one analysis (its gold confusion
// matrix, metrics.Analysis.ConfusionBy); the store adds only text: item
// content, gold rationale and SOP section, reviewer comments, causes.

// ConfusedPair is one cell of the confusion matrix off its diagonal: gold
// label, given label, count, share of all errors and cumulative share.
type ConfusedPair = metrics.ConfusedPair

// RCAOptions says how much an RCA lists.
type RCAOptions struct {
	TopPairs int // pairs that get examples and cause counts; 0 means 10
	Examples int // examples per top pair; 0 means 5
}

// RCA is the root-cause analysis of one analysis.
type RCA struct {
	// HasGold is false when the project has no golden set: there are no
	// errors to analyse, and every list is empty.
	HasGold bool
	// Judgments on gold items and Errors among them; ErrorRate is 1 minus
	// the report's gold accuracy, with its Wilson interval (ErrorLow,
	// ErrorHigh); NaN without gold.
	Judgments, Errors              int64
	ErrorRate, ErrorLow, ErrorHigh float64

	Pairs []ConfusedPair // every confused pair, most frequent first

	// The same, by the gold answer's SOP section (the golden set's
	// sop_section; the gold label's name when the golden set gives none),
	// by the judgment's SOP version, by the annotator's vendor and market.
	BySection, BySOP, ByVendor, ByMarket []RCAGroup

	// Top are the TopPairs most frequent pairs with their examples and
	// causes.
	Top []PairDetail

	// Causes counts the errors by root cause, every cause of
	// rules.RootCauses first (in that order), then any other cause a batch
	// file named.
	Causes []CauseCount
	// Categories counts the errors by the batch files' error_category
	// ("" left out), most frequent first.
	Categories []NameCount
	// Untagged counts the errors with neither a root_cause in their file
	// nor a tag.
	Untagged int64

	// Disputed are the gold items the judgments contradict, strongest
	// evidence first.
	Disputed []DisputedItem
}

// RCAGroup is the confused pairs of one group's judgments on gold items.
type RCAGroup struct {
	Key               string // "" for judgments that name none
	Judgments, Errors int64
	ErrorRate         float64 // Errors / Judgments
	// Pairs are the group's confused pairs, most frequent first; a pair's
	// Share and Cumulative are of the group's errors.
	Pairs []ConfusedPair
}

// PairDetail is one of the top confused pairs.
type PairDetail struct {
	Pair     ConfusedPair
	Examples []Example
	// Tagged counts the pair's errors carrying a tag of each cause (an
	// error counts once per cause); Stored those whose batch file named
	// the cause in its root_cause column.
	Tagged, Stored map[string]int64
	// TopCause is the cause most of the pair's errors are attributed to
	// (by tag or file; "" when none is), and TopCauseShare its share of
	// the pair's errors.
	TopCause      string
	TopCauseShare float64
}

// Example is one error of a confused pair.
type Example struct {
	Item, Annotator string
	Content         string
	Gold, Given     string
	Rationale       string // the gold answer's rationale
	SOPSection      string
	Comment         string // the reviewer's comment on the judgment
	ErrorCategory   string
	Causes          []string // causes from the file and from tags
	Notes           []string // the notes of the tags of the judgment and of its item
}

// CauseCount is how many errors one root cause explains.
type CauseCount struct {
	Cause string
	// Stored counts the errors whose batch file named the cause; Tagged
	// those with a tag of it; Errors those with either.
	Stored, Tagged, Errors int64
	// Share is Errors over all errors.
	Share float64
	// TopPair is the confused pair with the most of the cause's errors,
	// TopSection the SOP section most of those errors fall in (the
	// suggested action names both); without a pair, the section with the
	// most of the cause's errors ("" when the cause has none).
	TopSection string
	TopPair    *ConfusedPair
	Listed     bool // one of rules.RootCauses
}

// NameCount is a count of errors by a name.
type NameCount struct {
	Name  string
	Count int64
	Share float64 // of all errors
}

// DisputedItem is a gold item the judgments contradict, with the
// evidence.
type DisputedItem struct {
	Item       string
	Gold       string
	Suggested  string // the label the evidence points to
	SOPSection string
	Rationale  string
	// Dawid-Skene's posteriors of the gold label and of the suggested one.
	GoldPosterior, SuggestedPosterior float64
	// Which tests fired: Dawid-Skene's posterior, several skilled
	// reviewers (metrics.DisputedGold), a clear majority against gold
	// (metrics.MajorityDispute).
	ByPosterior, ByReviewers, ByMajority bool
	Reviewers                            []string
	Votes                                map[string]int
}

// errNilAnalysis is a caller's bug.
var errNilAnalysis = errors.New("core: RCA without an analysis")

// RCA is the root-cause analysis of a, the analysis of the judgments q
// selects in this project (Analyze with the same q).
func (p *Project) RCA(ctx context.Context, a *Analysis, q Query, opts RCAOptions) (*RCA, error) {
	if a == nil || a.Analysis == nil {
		return nil, errNilAnalysis
	}
	q, err := p.applyScope(q)
	if err != nil {
		return nil, err
	}
	if opts.TopPairs <= 0 {
		opts.TopPairs = 10
	}
	if opts.Examples <= 0 {
		opts.Examples = 5
	}
	nan := math.NaN()
	r := &RCA{ErrorRate: nan, ErrorLow: nan, ErrorHigh: nan,
		Pairs: []ConfusedPair{}, Top: []PairDetail{}, Causes: []CauseCount{}, Categories: []NameCount{}, Disputed: []DisputedItem{}}
	rep := a.Report()
	g := rep.Gold
	if g == nil {
		for _, c := range rules.RootCauses {
			r.Causes = append(r.Causes, CauseCount{Cause: c, Listed: true})
		}
		return r, nil
	}
	r.HasGold = true
	d := a.Data
	r.Pairs, r.Errors = metrics.Pareto(g.Confusion)
	r.Judgments = int64(g.Annotations)
	if g.Accuracy.Value.OK() {
		r.ErrorRate, r.ErrorLow, r.ErrorHigh = 1-float64(g.Accuracy.Value), 1-float64(g.Accuracy.CIHigh), 1-float64(g.Accuracy.CILow)
	}

	golds, err := p.s.GoldNotes(ctx)
	if err != nil {
		return nil, err
	}
	// The SOP section of each item's gold answer.
	sectionOf := func(item int32) string {
		if n, ok := golds[d.Items[item]]; ok && n.SOPSection != "" {
			return n.SOPSection
		}
		if gl := d.Gold[item]; gl >= 0 {
			return d.Labels[gl]
		}
		return ""
	}
	var sections []string
	sectionIdx := map[string]int{}
	itemSection := make([]int, len(d.Items))
	for it := range d.Items {
		s := sectionOf(int32(it))
		k, ok := sectionIdx[s]
		if !ok {
			k = len(sections)
			sectionIdx[s] = k
			sections = append(sections, s)
		}
		itemSection[it] = k
	}
	r.BySection = groups(a.ConfusionBy(sections, func(j int) int { return itemSection[d.Item[j]] }))
	r.BySOP = groups(a.ConfusionBy(d.SOPs, func(j int) int { return int(d.SOP[j]) }))
	vendors, vendorOf := annotatorKeys(d, func(x int) string { return d.Annotators[x].Vendor })
	r.ByVendor = groups(a.ConfusionBy(vendors, func(j int) int { return vendorOf[d.Annotator[j]] }))
	markets, marketOf := annotatorKeys(d, func(x int) string { return d.Annotators[x].Market })
	r.ByMarket = groups(a.ConfusionBy(markets, func(j int) int { return marketOf[d.Annotator[j]] }))
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// The errors, each with what the store holds about it.
	errs := a.GoldErrors()
	notes, err := p.s.ErrorNotes(ctx, q)
	if err != nil {
		return nil, err
	}
	noteOf := matchNotes(d, errs, notes)

	type pairKey struct{ gold, given int32 }
	top := map[pairKey]int{}
	for i, pr := range r.Pairs[:min(opts.TopPairs, len(r.Pairs))] {
		top[pairKey{int32(slices.Index(d.Labels, pr.Gold)), int32(slices.Index(d.Labels, pr.Given))}] = i
		r.Top = append(r.Top, PairDetail{Pair: pr, Tagged: map[string]int64{}, Stored: map[string]int64{}})
	}
	pairIdx := map[pairKey]int{}
	for i, pr := range r.Pairs {
		pairIdx[pairKey{int32(slices.Index(d.Labels, pr.Gold)), int32(slices.Index(d.Labels, pr.Given))}] = i
	}
	type causeAcc struct {
		CauseCount
		bySection map[string]int64
		byPair    map[int]int64
		// pairSection counts, per pair, the sections of its errors: the
		// suggested action names the top pair and the section it falls in.
		pairSection map[int]map[string]int64
	}
	acc := map[string]*causeAcc{}
	causeOf := func(c string) *causeAcc {
		x, ok := acc[c]
		if !ok {
			x = &causeAcc{CauseCount: CauseCount{Cause: c}, bySection: map[string]int64{}, byPair: map[int]int64{}, pairSection: map[int]map[string]int64{}}
			acc[c] = x
		}
		return x
	}
	cats := map[string]int64{}
	topAttr := make([]map[string]int64, len(r.Top))
	for i := range topAttr {
		topAttr[i] = map[string]int64{}
	}
	examples := make([][]int, len(r.Top)) // error indexes
	exampleItems := make([]map[int32]bool, len(r.Top))
	for k, j := range errs {
		pk := pairKey{d.Gold[d.Item[j]], d.Label[j]}
		n := noteOf[k]
		var stored string
		var tags []string
		if n != nil {
			stored = normalCause(n.RootCause)
			tags = distinct(normalCauses(n.Tags))
			if n.ErrorCategory != "" {
				cats[n.ErrorCategory]++
			}
		}
		attr := distinct(append(append([]string(nil), tags...), nonEmpty(stored)...))
		if len(attr) == 0 {
			r.Untagged++
		}
		section := sections[itemSection[d.Item[j]]]
		for _, c := range attr {
			x := causeOf(c)
			x.Errors++
			x.bySection[section]++
			x.byPair[pairIdx[pk]]++
			if x.pairSection[pairIdx[pk]] == nil {
				x.pairSection[pairIdx[pk]] = map[string]int64{}
			}
			x.pairSection[pairIdx[pk]][section]++
		}
		if stored != "" {
			causeOf(stored).Stored++
		}
		for _, c := range tags {
			causeOf(c).Tagged++
		}
		ti, ok := top[pk]
		if !ok {
			continue
		}
		t := &r.Top[ti]
		if stored != "" {
			t.Stored[stored]++
		}
		for _, c := range tags {
			t.Tagged[c]++
		}
		for _, c := range attr {
			topAttr[ti][c]++
		}
		if exampleItems[ti] == nil {
			exampleItems[ti] = map[int32]bool{}
		}
		if len(examples[ti]) < opts.Examples && !exampleItems[ti][d.Item[j]] {
			exampleItems[ti][d.Item[j]] = true
			examples[ti] = append(examples[ti], k)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Examples, with the items' content.
	var ids []int64
	for _, ex := range examples {
		for _, k := range ex {
			if n := noteOf[k]; n != nil {
				ids = append(ids, n.ItemID)
			}
		}
	}
	contents, err := p.s.ItemContents(ctx, ids)
	if err != nil {
		return nil, err
	}
	for ti, ex := range examples {
		t := &r.Top[ti]
		t.Examples = []Example{}
		for _, k := range ex {
			j := errs[k]
			it := d.Item[j]
			e := Example{Item: d.Items[it], Annotator: d.Annotators[d.Annotator[j]].ID,
				Gold: d.Labels[d.Gold[it]], Given: d.Labels[d.Label[j]], SOPSection: sections[itemSection[it]], Causes: []string{}, Notes: []string{}}
			if gn, ok := golds[d.Items[it]]; ok {
				e.Rationale = gn.Rationale
			}
			if n := noteOf[k]; n != nil {
				e.Content, e.Comment, e.ErrorCategory = contents[n.ItemID], n.Comment, n.ErrorCategory
				e.Causes = distinct(append(nonEmpty(normalCause(n.RootCause)), normalCauses(n.Tags)...))
				e.Notes = n.Notes
			}
			t.Examples = append(t.Examples, e)
		}
		t.TopCause, t.TopCauseShare = topOf(topAttr[ti], t.Pair.Count)
	}

	// Causes: the listed ones in order, then the others by count.
	var others []string
	for c := range acc {
		if !slices.Contains(rules.RootCauses, c) {
			others = append(others, c)
		}
	}
	slices.SortFunc(others, func(x, y string) int {
		return cmp.Or(cmp.Compare(acc[y].Errors, acc[x].Errors), cmp.Compare(x, y))
	})
	for _, c := range append(slices.Clone(rules.RootCauses), others...) {
		x := causeOf(c)
		cc := x.CauseCount
		cc.Listed = slices.Contains(rules.RootCauses, c)
		if r.Errors > 0 {
			cc.Share = float64(cc.Errors) / float64(r.Errors)
		}
		cc.TopSection, _ = topOf(x.bySection, 0)
		best, bestN := -1, int64(0)
		for i, n := range x.byPair {
			if n > bestN || n == bestN && i < best {
				best, bestN = i, n
			}
		}
		if best >= 0 {
			pr := r.Pairs[best]
			cc.TopPair = &pr
			// The section of the top pair's errors, so that the action
			// ("clarify section S with examples of pair P") holds together.
			cc.TopSection, _ = topOf(x.pairSection[best], 0)
		}
		r.Causes = append(r.Causes, cc)
	}
	for name, n := range cats {
		r.Categories = append(r.Categories, NameCount{Name: name, Count: n, Share: float64(n) / float64(r.Errors)})
	}
	slices.SortFunc(r.Categories, func(x, y NameCount) int { return cmp.Or(cmp.Compare(y.Count, x.Count), cmp.Compare(x.Name, y.Name)) })

	r.Disputed = disputedItems(rep.Gold.Disputed, a.MajorityDisputes(), golds)
	return r, nil
}

// groups turns the analysis's per-group matrices into Paretos.
func groups(gcs []metrics.GroupConfusion) []RCAGroup {
	out := []RCAGroup{}
	for _, gc := range gcs {
		pairs, _ := metrics.Pareto(gc.Confusion)
		g := RCAGroup{Key: gc.Key, Judgments: gc.Judgments, Errors: gc.Errors, Pairs: pairs, ErrorRate: math.NaN()}
		if gc.Judgments > 0 {
			g.ErrorRate = float64(gc.Errors) / float64(gc.Judgments)
		}
		out = append(out, g)
	}
	return out
}

// annotatorKeys codes an attribute of the annotators: the distinct values
// (first seen first) and each annotator's index among them.
func annotatorKeys(d *Dataset, attr func(int) string) ([]string, []int) {
	var keys []string
	idx := map[string]int{}
	of := make([]int, len(d.Annotators))
	for x := range d.Annotators {
		v := attr(x)
		k, ok := idx[v]
		if !ok {
			k = len(keys)
			idx[v] = k
			keys = append(keys, v)
		}
		of[x] = k
	}
	return keys, of
}

// matchNotes pairs each error (a Dataset judgment) with the store's note
// of it: notes come in annotation id order, as the Dataset of a project
// lists judgments, and are matched by item and annotator, the k-th note of
// a pair with its k-th error (a pair repeats only under the keep duplicate
// policy). An error without a note (an analysis of other judgments) gets
// nil.
func matchNotes(d *Dataset, errs []int, notes []store.ErrorNote) []*store.ErrorNote {
	type key struct{ item, ann string }
	queue := map[key][]int{}
	for i := range notes {
		k := key{notes[i].Item, notes[i].Annotator}
		queue[k] = append(queue[k], i)
	}
	out := make([]*store.ErrorNote, len(errs))
	for k, j := range errs {
		kk := key{d.Items[d.Item[j]], d.Annotators[d.Annotator[j]].ID}
		if q := queue[kk]; len(q) > 0 {
			out[k] = &notes[q[0]]
			queue[kk] = q[1:]
		}
	}
	return out
}

// normalCause is a file's or tag's cause in the listed spelling when it is
// one of rules.RootCauses, else as it was written.
func normalCause(c string) string {
	if c == "" {
		return ""
	}
	if n, err := rules.ParseRootCause(c); err == nil {
		return n
	}
	return c
}

func normalCauses(cs []string) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		if n := normalCause(c); n != "" {
			out = append(out, n)
		}
	}
	return out
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// distinct keeps the first of each value, in order.
func distinct(v []string) []string {
	out := make([]string, 0, len(v))
	for _, s := range v {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// topOf is the most frequent name of m (ties: the first by name) and its
// count over total (NaN when total is 0).
func topOf(m map[string]int64, total int64) (string, float64) {
	best, bestN := "", int64(0)
	for k, n := range m {
		if n > bestN || n == bestN && k < best {
			best, bestN = k, n
		}
	}
	if total <= 0 {
		return best, math.NaN()
	}
	return best, float64(bestN) / float64(total)
}

// disputedItems merges the report's disputed gold (Dawid-Skene, skilled
// reviewers) with the gold items a clear majority contradicts, the first
// in the report's order, then the majority's not listed yet.
func disputedItems(ds []metrics.DisputedGold, mv []metrics.MajorityDispute, golds map[string]store.GoldNote) []DisputedItem {
	out := []DisputedItem{}
	at := map[string]int{}
	section := func(item, gold string) string {
		if n, ok := golds[item]; ok && n.SOPSection != "" {
			return n.SOPSection
		}
		return gold
	}
	for _, x := range ds {
		at[x.Item] = len(out)
		out = append(out, DisputedItem{Item: x.Item, Gold: x.Gold, Suggested: x.Suggested, SOPSection: section(x.Item, x.Gold),
			Rationale: golds[x.Item].Rationale, GoldPosterior: float64(x.GoldPosterior), SuggestedPosterior: float64(x.Posterior),
			ByPosterior: x.ByPosterior, ByReviewers: x.ByReviewers, Reviewers: x.Reviewers, Votes: x.Votes})
	}
	for _, x := range mv {
		if i, ok := at[x.Item]; ok {
			if out[i].Suggested == x.Majority {
				out[i].ByMajority = true
			}
			continue
		}
		out = append(out, DisputedItem{Item: x.Item, Gold: x.Gold, Suggested: x.Majority, SOPSection: section(x.Item, x.Gold),
			Rationale: golds[x.Item].Rationale, GoldPosterior: float64(x.GoldPosterior), SuggestedPosterior: float64(x.MajorityPosterior),
			ByMajority: true, Reviewers: []string{}, Votes: x.Votes})
	}
	return out
}
