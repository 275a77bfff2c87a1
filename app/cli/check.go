package cli

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"labelqa/app/core"
	"labelqa/app/dataset"
	"labelqa/app/query"
)

// filterData is what the unfiltered data hold, for the messages of
// checkData: the judgments' count, the label set, and the judgments per
// vendor, queue and market (and, when asked for, team, SOP version and
// reviewer). full reads every judgment, only for --from/--to.
type filterData struct {
	total                    int
	labels                   []string
	vendors, queues, markets map[string]int
	teams, sops, reviewers   map[string]int
	full                     func() (*dataset.Dataset, error)
}

// datasetValues is filterData of a Dataset read without filters.
func datasetValues(d *dataset.Dataset) *filterData {
	fd := &filterData{total: d.Len(), labels: d.Labels, vendors: map[string]int{}, queues: map[string]int{}, markets: map[string]int{},
		teams: map[string]int{}, sops: map[string]int{}, reviewers: map[string]int{},
		full: func() (*dataset.Dataset, error) { return d, nil }}
	for j := range d.Item {
		a := d.Annotators[d.Annotator[j]]
		fd.vendors[a.Vendor]++
		fd.markets[a.Market]++
		fd.teams[a.Team]++
		fd.reviewers[a.ID]++
		fd.queues[d.Queues[d.Queue[j]]]++
		fd.sops[d.SOPs[d.SOP[j]]]++
	}
	return fd
}

// projectValues is filterData of a project, from its overview (one pass
// over the annotations, no judgment decoded). The breakdowns are skipped
// when no vendor, queue or market is asked for.
// A team, SOP version or reviewer has no breakdown query: the project's
// judgments are read (only when the filters left none).
func projectValues(e *env, p *core.Project, f *filterFlags) (*filterData, error) {
	if f.team != "" || f.sop != "" || f.reviewer != "" {
		d, err := p.Data(e.ctx, query.Query{})
		if err != nil {
			return nil, err
		}
		return datasetValues(d), nil
	}
	var dims []core.Dimension
	if f.vendor != "" || f.queue != "" || f.market != "" {
		dims = []core.Dimension{core.ByVendor, core.ByQueue, core.ByMarket}
	}
	o, err := p.Overview(e.ctx, dims...)
	if err != nil {
		return nil, err
	}
	c, b := o.Counts, o.By
	counts := func(list []core.Breakdown) map[string]int {
		m := make(map[string]int, len(list))
		for _, x := range list {
			m[x.Key] += x.Annotations
		}
		return m
	}
	return &filterData{total: c.Annotations, labels: c.Labels, vendors: counts(b[core.ByVendor]), queues: counts(b[core.ByQueue]), markets: counts(b[core.ByMarket]),
		full: func() (*dataset.Dataset, error) { return p.Data(e.ctx, core.Query{}) }}, nil
}

// checkData refuses (exit 1) flags that name nothing in the data, instead
// of printing figures of nothing: an --allow-labels label outside the label
// set, or a --vendor, --queue, --market, --team, --sop, --reviewer,
// --from/--to that leaves no judgment. The message lists what the data
// hold. values describes the unfiltered data; it is called only when the
// filtered data d cannot answer (no judgment left, or a label d lacks).
func (m *metricsFlags) checkData(e *env, cmd string, d *dataset.Dataset, values func() (*filterData, error)) (int, bool) {
	var fd *filterData
	get := func() (*filterData, error) {
		if fd != nil {
			return fd, nil
		}
		var err error
		if m.filter.empty() {
			fd = datasetValues(d)
		} else {
			fd, err = values()
		}
		return fd, err
	}
	for _, a := range m.allowSet {
		if _, ok := d.LabelIndex(a); ok {
			continue
		}
		v, err := get()
		if err != nil {
			return report(e, err), false
		}
		if !slices.ContainsFunc(v.labels, func(l string) bool { return core.LabelKey(l) == core.LabelKey(a) }) {
			fmt.Fprintf(e.stderr, "labelqa %s: --allow-labels: no label %s in the data; the labels are: %s\n", cmd, quote(a), quoteList(v.labels))
			return ExitFail, false
		}
	}
	if m.filter.empty() || d.Len() > 0 {
		return 0, true
	}
	v, err := get()
	if err != nil {
		return report(e, err), false
	}
	msg, err := m.filter.miss(v)
	if err != nil {
		return report(e, err), false
	}
	fmt.Fprintf(e.stderr, "labelqa %s: %s\n", cmd, msg)
	return ExitFail, false
}

// miss explains why the filters leave no judgment of the data v describes:
// the first filter whose value no judgment has, with the values that exist,
// or a date window no judgment falls in, or else that the filters match
// nothing together.
func (f *filterFlags) miss(v *filterData) (string, error) {
	if v.total == 0 {
		return "the filters (" + f.String() + ") match nothing: there are no judgments yet; import a batch first", nil
	}
	check := func(flag, noun, value, plural string, counts map[string]int, fold bool) string {
		if value == "" {
			return ""
		}
		if _, ok := counts[value]; ok {
			return ""
		}
		if fold {
			if _, ok := counts[strings.ToLower(value)]; ok {
				return ""
			}
		}
		return fmt.Sprintf("--%s %s: no judgment has this %s; the %s in the data are: %s", flag, quote(value), noun, plural, countList(counts))
	}
	for _, c := range []struct {
		flag, noun, value, plural string
		counts                    map[string]int
		fold                      bool
	}{
		{"vendor", "vendor", f.vendor, "vendors", v.vendors, false},
		{"queue", "queue", f.queue, "queues", v.queues, true},
		{"market", "market", f.market, "markets", v.markets, false},
		{"team", "team", f.team, "teams", v.teams, false},
		{"sop", "SOP version", f.sop, "SOP versions", v.sops, false},
		{"reviewer", "reviewer", f.reviewer, "reviewers", v.reviewers, false},
	} {
		if msg := check(c.flag, c.noun, c.value, c.plural, c.counts, c.fold); msg != "" {
			return msg, nil
		}
	}
	if f.from != "" || f.to != "" {
		full, err := v.full()
		if err != nil {
			return "", err
		}
		from, _ := query.ParseDate(f.from)
		to, _ := query.ParseDate(f.to)
		first, last, in := int64(math.MaxInt64), int64(math.MinInt64), 0
		for _, at := range full.At {
			if at == math.MinInt64 {
				continue
			}
			first, last = min(first, at), max(last, at)
			if (from.IsZero() || at >= from.UnixMilli()) && (to.IsZero() || at < to.UnixMilli()) {
				in++
			}
		}
		if in == 0 {
			window := f.window()
			if last == math.MinInt64 {
				return fmt.Sprintf("%s: no judgment has a submission time (submitted_at), so no date matches; drop --from and --to", window), nil
			}
			return fmt.Sprintf("%s: no judgment was submitted then; the judgments were submitted from %s to %s",
				window, time.UnixMilli(first).UTC().Format(time.RFC3339), time.UnixMilli(last).UTC().Format(time.RFC3339)), nil
		}
	}
	return "no judgment matches " + f.String() + " together (each matches some judgments); drop or change one of them", nil
}

// String lists the filter flags given, as typed.
func (f *filterFlags) String() string {
	var parts []string
	for _, p := range []struct{ flag, v string }{{"vendor", f.vendor}, {"queue", f.queue}, {"market", f.market},
		{"team", f.team}, {"sop", f.sop}, {"reviewer", f.reviewer}, {"from", f.from}, {"to", f.to}} {
		if p.v != "" {
			parts = append(parts, "--"+p.flag+" "+quote(p.v))
		}
	}
	return strings.Join(parts, " ")
}

func (f *filterFlags) window() string {
	switch {
	case f.from != "" && f.to != "":
		return fmt.Sprintf("--from %s --to %s", quote(f.from), quote(f.to))
	case f.from != "":
		return fmt.Sprintf("--from %s", quote(f.from))
	}
	return fmt.Sprintf("--to %s", quote(f.to))
}

// maxListed caps the values a message lists.
const maxListed = 20

// countList is the values with their judgment counts, most judgments first.
func countList(counts map[string]int) string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		if counts[keys[a]] != counts[keys[b]] {
			return counts[keys[a]] > counts[keys[b]]
		}
		return keys[a] < keys[b]
	})
	var parts []string
	for i, k := range keys {
		if i == maxListed {
			parts = append(parts, fmt.Sprintf("and %d more", len(keys)-maxListed))
			break
		}
		name := quote(k)
		if k == "" {
			name = "(none)"
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", name, plural(counts[k], "judgment", "judgments")))
	}
	return strings.Join(parts, ", ")
}

// quoteList is the values quoted, at most maxListed of them.
func quoteList(list []string) string {
	if len(list) == 0 {
		return "none yet"
	}
	var parts []string
	for i, v := range list {
		if i == maxListed {
			parts = append(parts, fmt.Sprintf("and %d more", len(list)-maxListed))
			break
		}
		parts = append(parts, quote(v))
	}
	return strings.Join(parts, ", ")
}
