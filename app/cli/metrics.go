package cli

import (
	"encoding/json"
	"fmt"
	"strings"

	"labelqa/app/dataset"
	"labelqa/app/store"
)

// metricsFlags are the flags of "labelqa metrics".
type metricsFlags struct {
	in         ingestFlags
	asJSON     bool
	gold       string
	labels     string
	allow      string
	duplicates string
	filter     filterFlags
}

type filterFlags struct {
	vendor, queue, market, from, to string
}

func (f *filterFlags) register(fs interface {
	StringVar(p *string, name, value, usage string)
}) {
	fs.StringVar(&f.vendor, "vendor", "", "only annotators of this vendor")
	fs.StringVar(&f.queue, "queue", "", "only this queue (live, practice, test, 2rqa, ...)")
	fs.StringVar(&f.market, "market", "", "only annotators of this market")
	fs.StringVar(&f.from, "from", "", "only judgments submitted on or after this date (YYYY-MM-DD or RFC 3339)")
	fs.StringVar(&f.to, "to", "", "only judgments submitted before this date")
}

func (f *filterFlags) filter() (store.Filter, error) {
	from, err := dataset.ParseDate(f.from)
	if err != nil {
		return store.Filter{}, fmt.Errorf("--from: %w", err)
	}
	to, err := dataset.ParseDate(f.to)
	if err != nil {
		return store.Filter{}, fmt.Errorf("--to: %w", err)
	}
	return store.Filter{Vendor: f.vendor, Queue: f.queue, Market: f.market, From: from, To: to}, nil
}

func (f *filterFlags) empty() bool {
	return f.vendor == "" && f.queue == "" && f.market == "" && f.from == "" && f.to == ""
}

// MetricsJSON is the contract's labelqa.metrics/v1 object.
type MetricsJSON struct {
	Schema string       `json:"schema"`
	Counts store.Counts `json:"counts"`
}

func runMetrics(e *env, args []string) int {
	fs := newFlags(e, "metrics")
	var m metricsFlags
	m.in.register(fs)
	m.filter.register(fs)
	fs.BoolVar(&m.asJSON, "json", false, "print one JSON object (schema labelqa.metrics/v1)")
	fs.StringVar(&m.gold, "gold", "", "golden-set file to score batch files against")
	fs.StringVar(&m.labels, "labels", "", "category order, comma-separated (ordinal and weighted measures; categories nobody used)")
	fs.StringVar(&m.allow, "allow-labels", "", "labels that are the allow/approve decision")
	fs.StringVar(&m.duplicates, "duplicates", store.DupLast, "repeated (item, annotator) rows in batch files: last, first, keep or error")
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) == 0 {
		fmt.Fprintln(e.stderr, "labelqa metrics: want a project or batch files, for example: labelqa metrics ads.lqa --json")
		return ExitUsage
	}
	if !store.ValidDupPolicy(m.duplicates) {
		fmt.Fprintf(e.stderr, "labelqa metrics: --duplicates %q: use last, first, keep or error\n", m.duplicates)
		return ExitUsage
	}
	filter, err := m.filter.filter()
	if err != nil {
		fmt.Fprintf(e.stderr, "labelqa metrics: %v\n", err)
		return ExitUsage
	}

	out := MetricsJSON{Schema: "labelqa.metrics/v1"}
	if isProject(pos[0]) {
		if len(pos) > 1 {
			fmt.Fprintln(e.stderr, "labelqa metrics: give one project, or batch files, not both")
			return ExitUsage
		}
		s, err := store.Open(e.ctx, pos[0])
		if err != nil {
			return report(e, err)
		}
		defer s.Close()
		if m.filter.empty() {
			// Counts straight from the project's tables: no need to read judgments.
			if out.Counts, err = s.Counts(e.ctx); err != nil {
				return report(e, err)
			}
		} else {
			d, err := dataset.FromStore(e.ctx, s, filter)
			if err != nil {
				return report(e, err)
			}
			out.Counts = d.Counts()
		}
	} else {
		var allow []string
		if m.allow != "" {
			allow = splitList(m.allow)
		}
		d, err := dataset.FromFiles(e.ctx, pos, m.gold, dataset.Options{
			Ingest: m.in.options(), Duplicates: m.duplicates, Labels: splitList(m.labels), Allow: allow, Filter: filter,
		})
		if err != nil {
			return report(e, err)
		}
		out.Counts = d.Counts()
	}
	if out.Counts.Labels == nil {
		out.Counts.Labels = []string{}
	}
	if m.asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return report(e, err)
		}
		return ExitOK
	}
	c := out.Counts
	fmt.Fprintf(e.stdout, "Items        %d\nAnnotators   %d\nAnnotations  %d\nGold items   %d\nDuplicates   %d\nLabels       %s\n",
		c.Items, c.Annotators, c.Annotations, c.GoldItems, c.Duplicates, strings.Join(c.Labels, ", "))
	return ExitOK
}

// isProject tells a project file from a batch file by its extension or,
// failing that, by the SQLite header.
func isProject(path string) bool {
	if strings.HasSuffix(strings.ToLower(path), ".lqa") {
		return true
	}
	return store.IsSQLite(path)
}
