package cli

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"labelqa/app/dataset"
)

// checkData refuses (exit 1) flags that name nothing in the data, instead
// of printing figures of nothing: an --allow-labels label outside the label
// set, or a --vendor, --queue, --market, --from/--to that leaves no
// judgment. The message lists what the data hold. all reads the data
// without the filters; it runs only when something is refused (or to tell a
// filtered-out label from a missing one).
func (m *metricsFlags) checkData(e *env, cmd string, d *dataset.Dataset, all func() (*dataset.Dataset, error)) (int, bool) {
	var full *dataset.Dataset
	fullData := func() (*dataset.Dataset, error) {
		if full != nil {
			return full, nil
		}
		if m.filter.empty() {
			full = d
			return d, nil
		}
		var err error
		full, err = all()
		return full, err
	}
	for _, a := range m.allowSet {
		if slices.Contains(d.Labels, a) {
			continue
		}
		f, err := fullData()
		if err != nil {
			return report(e, err), false
		}
		if !slices.Contains(f.Labels, a) {
			fmt.Fprintf(e.stderr, "labelqa %s: --allow-labels: no label %s in the data; the labels are: %s\n", cmd, quote(a), quoteList(f.Labels))
			return ExitFail, false
		}
	}
	if m.filter.empty() || d.Len() > 0 {
		return 0, true
	}
	f, err := fullData()
	if err != nil {
		return report(e, err), false
	}
	fmt.Fprintf(e.stderr, "labelqa %s: %s\n", cmd, m.filter.miss(f))
	return ExitFail, false
}

// miss explains why the filters leave no judgment of full (the unfiltered
// data): the first filter whose value no judgment has, with the values that
// exist, or else that the filters match nothing together.
func (f *filterFlags) miss(full *dataset.Dataset) string {
	if full.Len() == 0 {
		return "the filters (" + f.String() + ") match nothing: there are no judgments yet; import a batch first"
	}
	vendors, markets, queues := map[string]int{}, map[string]int{}, map[string]int{}
	for j := range full.Item {
		a := full.Annotators[full.Annotator[j]]
		vendors[a.Vendor]++
		markets[a.Market]++
		queues[full.Queues[full.Queue[j]]]++
	}
	check := func(flag, value, plural string, counts map[string]int, fold bool) string {
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
		return fmt.Sprintf("--%s %s: no judgment has this %s; the %s in the data are: %s", flag, quote(value), flag, plural, countList(counts))
	}
	if msg := check("vendor", f.vendor, "vendors", vendors, false); msg != "" {
		return msg
	}
	if msg := check("queue", f.queue, "queues", queues, true); msg != "" {
		return msg
	}
	if msg := check("market", f.market, "markets", markets, false); msg != "" {
		return msg
	}
	if f.from != "" || f.to != "" {
		from, _ := dataset.ParseDate(f.from)
		to, _ := dataset.ParseDate(f.to)
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
				return fmt.Sprintf("%s: no judgment has a submission time, so none was submitted %s; drop --from/--to", window, window)
			}
			return fmt.Sprintf("%s: no judgment was submitted then; the judgments were submitted from %s to %s",
				window, time.UnixMilli(first).UTC().Format(time.RFC3339), time.UnixMilli(last).UTC().Format(time.RFC3339))
		}
	}
	return "no judgment matches " + f.String() + " together (each matches some judgments); drop or change one of them"
}

// String lists the filter flags given, as typed.
func (f *filterFlags) String() string {
	var parts []string
	for _, p := range []struct{ flag, v string }{{"vendor", f.vendor}, {"queue", f.queue}, {"market", f.market}, {"from", f.from}, {"to", f.to}} {
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
