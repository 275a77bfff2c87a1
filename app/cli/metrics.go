package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"slices"
	"strings"

	"labelqa/analysis/truth"
	"labelqa/app/dataset"
	"labelqa/app/metrics"
	"labelqa/app/rules"
	"labelqa/app/store"
)

// metricsFlags are the flags of "labelqa metrics".
type metricsFlags struct {
	countsOnly bool
	in         ingestFlags
	asJSON     bool
	gold       string
	labels     string
	allow      string
	duplicates rules.DuplicatePolicy
	filter     filterFlags
	measures   measureFlags

	labelSet, allowSet []string // --labels and --allow-labels, once options() checked them
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

// register adds the input, filter and measure flags metrics and scorecard share.
func (m *metricsFlags) register(fs *flag.FlagSet) {
	m.in.register(fs)
	m.filter.register(fs)
	m.measures.register(fs)
	fs.StringVar(&m.gold, "gold", "", "golden-set file to score batch files against")
	fs.StringVar(&m.labels, "labels", "", "category order, comma-separated (ordinal and weighted measures; categories nobody used)")
	fs.StringVar(&m.allow, "allow-labels", "", "labels that are the allow/approve decision")
	m.duplicates = rules.DefaultDuplicatePolicy
	fs.Var(&m.duplicates, "duplicates", "repeated (item, annotator) rows in batch files: last, first, keep or error")
}

func runMetrics(e *env, args []string) int {
	fs := newFlags(e, "metrics")
	var m metricsFlags
	m.register(fs)
	fs.BoolVar(&m.asJSON, "json", false, "print one JSON object (schema labelqa.metrics/v1)")
	fs.BoolVar(&m.countsOnly, "counts", false, "only the counts (for a project without filters, read straight from its tables: instant on a million annotations)")
	pos, code, ok := parse(e, fs, args)
	if !ok {
		return code
	}
	if len(pos) == 0 {
		fmt.Fprintln(e.stderr, "labelqa metrics: want a project or batch files, for example: labelqa metrics ads.lqa --json")
		return ExitUsage
	}
	opts, err := m.options()
	if err != nil {
		fmt.Fprintf(e.stderr, "labelqa metrics: %s\n", safeText(err.Error()))
		return ExitUsage
	}
	if isProject(pos[0]) {
		if code, ok := m.checkProjectFlags(e, "metrics"); !ok {
			return code
		}
	}
	if m.countsOnly {
		return m.printCounts(e, pos)
	}
	d, projectCounts, code, ok := m.load(e, "metrics", pos, true)
	if !ok {
		return code
	}
	rep, err := metrics.Compute(e.ctx, d, opts)
	if err != nil {
		return report(e, err)
	}
	for _, w := range rep.Warnings {
		if w != rep.OrderWarning {
			fmt.Fprintf(e.stderr, "labelqa metrics: warning: %s\n", safeText(w))
			continue
		}
		hint := "give the order with --labels a,b,c"
		if isProject(pos[0]) {
			hint = "a project's order is declared when it is created: labelqa init PROJECT --labels a,b,c"
		}
		fmt.Fprintf(e.stderr, "labelqa metrics: warning: %s (%s)\n", safeText(w), hint)
	}
	if projectCounts != nil {
		rep.Counts = metrics.ProjectCounts(*projectCounts)
	}
	if rep.Counts.Labels == nil {
		rep.Counts.Labels = []string{}
	}
	if m.asJSON {
		if err := writeJSON(e.stdout, rep); err != nil {
			return report(e, err)
		}
		return ExitOK
	}
	printMetrics(e.stdout, rep)
	return ExitOK
}

// printCounts answers "labelqa metrics --counts": the contract's object
// with only schema and counts. A project without filters is counted by
// its tables' indexes, without reading the judgments.
func (m *metricsFlags) printCounts(e *env, pos []string) int {
	var c metrics.Counts
	if isProject(pos[0]) && len(pos) == 1 && m.filter.empty() {
		s, err := store.OpenReadOnly(e.ctx, pos[0])
		if err != nil {
			return report(e, err)
		}
		defer s.Close()
		sc, err := s.Counts(e.ctx)
		if err != nil {
			return report(e, err)
		}
		c = metrics.ProjectCounts(sc)
	} else {
		d, _, code, ok := m.load(e, "metrics", pos, false)
		if !ok {
			return code
		}
		c = metrics.CountsOf(d)
	}
	if m.asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			Schema string         `json:"schema"`
			Counts metrics.Counts `json:"counts"`
		}{metrics.Schema, c}); err != nil {
			return report(e, err)
		}
		return ExitOK
	}
	fmt.Fprintf(e.stdout, "Items        %d\nAnnotators   %d\nAnnotations  %d\nGold items   %d\nDuplicates   %s\nLabels       %s\n",
		c.Items, c.Annotators, c.Annotations, c.GoldItems, c.DuplicatesText(), strings.Join(c.Labels, ", "))
	return ExitOK
}

// measureFlags are the measure choices metrics and scorecard share.
type measureFlags struct {
	weights, level, ties string
	seed                 uint64
	dsIter               int
	dsTol, dsSmoothing   float64
}

func (f *measureFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.weights, "weights", "", "Gwet weights for every weighted coefficient: none, linear, quadratic, ordinal, radical, ratio, circular, bipolar (AC2 instead of AC1)")
	fs.StringVar(&f.level, "level", "", "Krippendorff's alpha level: nominal (default), ordinal, interval, ratio")
	fs.StringVar(&f.ties, "ties", "first", "majority-vote ties: first (declared order), random (with --seed), fractional")
	fs.Uint64Var(&f.seed, "seed", 1, "seed of --ties random")
	fs.IntVar(&f.dsIter, "ds-iterations", truth.DefaultMaxIter, "most Dawid-Skene EM rounds")
	fs.Float64Var(&f.dsTol, "ds-tol", truth.DefaultTol, "stop Dawid-Skene when a round raises its loss (per judgment) by less than this (0 runs every round)")
	fs.Float64Var(&f.dsSmoothing, "ds-smoothing", 0, "Dawid-Skene pseudo-count on every confusion cell (0: maximum likelihood, as Crowd-Kit)")
}

// maxDSIterations bounds --ds-iterations: a typo of a few zeros otherwise
// ran for hours.
const maxDSIterations = 10000

func (f *measureFlags) options(allow []string) (metrics.Options, error) {
	o := metrics.Options{Weights: f.weights, Level: f.level, Ties: f.ties, Seed: f.seed,
		DSIterations: f.dsIter, DSTol: f.dsTol, DSSmoothing: f.dsSmoothing, AllowLabels: allow}
	if f.dsIter < 1 || f.dsIter > maxDSIterations {
		return o, fmt.Errorf("--ds-iterations %d: want 1 to %d rounds (Crowd-Kit's default is 100; EM that has not converged by then will not)", f.dsIter, maxDSIterations)
	}
	if f.dsTol < 0 {
		return o, fmt.Errorf("--ds-tol %v: want 0 (every round) or a positive tolerance", f.dsTol)
	}
	return o, o.Validate()
}

// options validates the flags that need no data (bad usage, exit 2) and
// returns the measure options.
func (m *metricsFlags) options() (metrics.Options, error) {
	if err := m.in.validate(); err != nil {
		return metrics.Options{}, err
	}
	var err error
	if m.labelSet, err = labelList("labels", m.labels); err != nil {
		return metrics.Options{}, err
	}
	if m.allowSet, err = labelList("allow-labels", m.allow); err != nil {
		return metrics.Options{}, err
	}
	f, err := m.filter.filter()
	if err != nil {
		return metrics.Options{}, err
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return metrics.Options{}, fmt.Errorf("--from %s is not before --to %s: the window [from, to) is empty; give an earlier --from or a later --to", m.filter.from, m.filter.to)
	}
	return m.measures.options(m.allowSet)
}

// load validates the shared flags and builds the Dataset from a project or
// batch files. For a project without filters and wantCounts, it also
// returns the project's own counts (gold items of every version).
func (m *metricsFlags) load(e *env, cmd string, pos []string, wantCounts bool) (*dataset.Dataset, *store.Counts, int, bool) {
	filter, err := m.filter.filter()
	if err != nil {
		fmt.Fprintf(e.stderr, "labelqa %s: %s\n", cmd, safeText(err.Error()))
		return nil, nil, ExitUsage, false
	}
	if slices.ContainsFunc(pos[1:], isProject) {
		fmt.Fprintf(e.stderr, "labelqa %s: give one project, or batch files, not both\n", cmd)
		return nil, nil, ExitUsage, false
	}
	if isProject(pos[0]) {
		if code, ok := m.checkProjectFlags(e, cmd); !ok {
			return nil, nil, code, false
		}
	}
	if isProject(pos[0]) {
		if len(pos) > 1 {
			fmt.Fprintf(e.stderr, "labelqa %s: give one project, or batch files, not both\n", cmd)
			return nil, nil, ExitUsage, false
		}
		s, err := store.OpenReadOnly(e.ctx, pos[0])
		if err != nil {
			return nil, nil, report(e, err), false
		}
		defer s.Close()
		var counts *store.Counts
		if wantCounts && m.filter.empty() {
			// Counts straight from the project's tables.
			c, err := s.Counts(e.ctx)
			if err != nil {
				return nil, nil, report(e, err), false
			}
			counts = &c
		}
		d, err := dataset.FromStore(e.ctx, s, filter)
		if err != nil {
			return nil, nil, report(e, err), false
		}
		if code, ok := m.checkData(e, cmd, d, func() (*filterData, error) { return storeValues(e, s, &m.filter) }); !ok {
			return nil, nil, code, false
		}
		return d, counts, 0, true
	}
	opts := dataset.Options{
		Ingest: m.in.options(), Duplicates: m.duplicates, Labels: m.labelSet, Allow: m.allowSet, Filter: filter,
	}
	d, err := dataset.FromFiles(e.ctx, pos, m.gold, opts)
	if err != nil {
		return nil, nil, report(e, err), false
	}
	all := func() (*filterData, error) {
		o := opts
		o.Filter = store.Filter{}
		full, err := dataset.FromFiles(e.ctx, pos, m.gold, o)
		if err != nil {
			return nil, err
		}
		return datasetValues(full), nil
	}
	if code, ok := m.checkData(e, cmd, d, all); !ok {
		return nil, nil, code, false
	}
	return d, nil, 0, true
}

// checkProjectFlags refuses, as bad usage, flags that only batch-file
// input reads when the input is a project.
func (m *metricsFlags) checkProjectFlags(e *env, cmd string) (int, bool) {
	flags := m.fileOnlyFlags()
	if len(flags) == 0 {
		return 0, true
	}
	them := "them"
	if len(flags) == 1 {
		them = "it"
	}
	fmt.Fprintf(e.stderr, "labelqa %s: %s: only for batch files, not a project (a project keeps its own golden sets, label set and duplicate policy: see labelqa gold and labelqa init --labels); drop %s\n",
		cmd, strings.Join(flags, ", "), them)
	return ExitUsage, false
}

// fileOnlyFlags are the flags given that only batch-file input reads; on
// a project they would be ignored without a word.
func (m *metricsFlags) fileOnlyFlags() []string {
	var out []string
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"--gold", m.gold != ""}, {"--labels", m.labels != ""}, {"--duplicates", m.duplicates != rules.DefaultDuplicatePolicy},
		{"--format", strings.ToLower(m.in.format) != "auto"}, {"--sheet", m.in.sheet != ""}, {"--map", len(m.in.maps) > 0},
	} {
		if f.set {
			out = append(out, f.name)
		}
	}
	return out
}

// isProject tells a project file from a batch file by its extension or,
// failing that, by the SQLite header.
func isProject(path string) bool {
	if strings.HasSuffix(strings.ToLower(path), ".lqa") {
		return true
	}
	return store.IsSQLite(path)
}
