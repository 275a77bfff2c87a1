package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"

	"labelqa/analysis/truth"
	"labelqa/app/core"
	"labelqa/app/dataset"
	"labelqa/app/metrics"
	"labelqa/app/query"
)

// metricsFlags are the flags of "labelqa metrics".
type metricsFlags struct {
	countsOnly bool
	in         ingestFlags
	asJSON     bool
	gold       string
	labels     string
	allow      string
	duplicates core.DuplicatePolicy
	filter     filterFlags
	measures   measureFlags

	labelSet, allowSet []string // --labels and --allow-labels, once options() checked them
}

type filterFlags struct {
	vendor, team, queue, market, sop, reviewer, from, to string
}

func (f *filterFlags) register(fs interface {
	StringVar(p *string, name, value, usage string)
}) {
	fs.StringVar(&f.vendor, "vendor", "", "only annotators of this vendor")
	fs.StringVar(&f.queue, "queue", "", "only this queue (live, practice, test, 2rqa, ...)")
	fs.StringVar(&f.market, "market", "", "only annotators of this market")
	fs.StringVar(&f.team, "team", "", "only annotators of this team")
	fs.StringVar(&f.sop, "sop", "", "only judgments made under this SOP version")
	fs.StringVar(&f.reviewer, "reviewer", "", "only this reviewer's judgments (annotator id)")
	fs.StringVar(&f.from, "from", "", "only judgments submitted on or after this date (YYYY-MM-DD or RFC 3339)")
	fs.StringVar(&f.to, "to", "", "only judgments submitted before this date")
}

// query is the flags' query, validated (bad usage when not valid).
func (f *filterFlags) query() (query.Query, error) {
	from, err := query.ParseDate(f.from)
	if err != nil {
		return query.Query{}, fmt.Errorf("--from: %w", err)
	}
	to, err := query.ParseDate(f.to)
	if err != nil {
		return query.Query{}, fmt.Errorf("--to: %w", err)
	}
	q := query.Query{Vendor: f.vendor, Team: f.team, Queue: f.queue, Market: f.market, SOP: f.sop, Reviewer: f.reviewer, From: from, To: to}
	if err := q.Validate(); err != nil {
		if errors.Is(err, query.ErrEmptyRange) {
			return q, fmt.Errorf("--from %s is not before --to %s: the window [from, to) is empty; give an earlier --from or a later --to", f.from, f.to)
		}
		var qe *query.Error
		if errors.As(err, &qe) {
			return q, fmt.Errorf("--%s: %w", queryFlag(qe.Field), err)
		}
		return q, err
	}
	return q, nil
}

// queryFlag is the flag of a query.Error's field.
func queryFlag(field string) string {
	if field == "SOP version" {
		return "sop"
	}
	return field
}

func (f *filterFlags) empty() bool {
	return *f == filterFlags{}
}

// register adds the input, filter and measure flags metrics and scorecard share.
func (m *metricsFlags) register(fs *flag.FlagSet) {
	m.in.register(fs)
	m.filter.register(fs)
	m.measures.register(fs)
	fs.StringVar(&m.gold, "gold", "", "golden-set file to score batch files against")
	fs.StringVar(&m.labels, "labels", "", "category order, comma-separated (ordinal and weighted measures; categories nobody used)")
	fs.StringVar(&m.allow, "allow-labels", "", "labels that are the allow/approve decision")
	m.duplicates = core.DefaultDuplicatePolicy
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
	a, err := core.AnalyzeData(e.ctx, d, opts, nil)
	if err != nil {
		return report(e, err)
	}
	rep := a.Report()
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
	if isProject(pos[0]) {
		if rep.Audit, err = projectAuditAccuracy(e, pos[0], a); err != nil {
			return report(e, err)
		}
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
		p, err := core.OpenReadOnly(e.ctx, pos[0])
		if err != nil {
			return report(e, err)
		}
		defer p.Close()
		pc, err := p.Counts(e.ctx)
		if err != nil {
			return report(e, err)
		}
		c = metrics.ProjectCounts(pc)
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

// measureFlags are the measure choices metrics and scorecard share, typed
// (optflags.go): the flag package refuses a bad value while it parses.
type measureFlags struct {
	weights     weightsFlag
	level       levelFlag
	ties        tiesFlag
	seed        uint64
	dsIter      dsIterFlag
	dsTol       dsTolFlag
	dsSmoothing dsSmoothingFlag
}

func (f *measureFlags) register(fs *flag.FlagSet) {
	f.ties.r = truth.TiesFirst
	f.dsIter.n = truth.DefaultMaxIter
	f.dsTol.v = truth.DefaultTol
	fs.Var(&f.weights, "weights", "Gwet weight `family` for every weighted coefficient: none (default), linear, quadratic, ordinal, radical, ratio, circular, bipolar (AC2 instead of AC1)")
	fs.Var(&f.level, "level", "Krippendorff's alpha `level`: nominal (default), ordinal, interval, ratio")
	fs.Var(&f.ties, "ties", "`rule` for majority-vote ties: first (declared order; the default), random (with --seed), fractional")
	fs.Uint64Var(&f.seed, "seed", 1, "seed of --ties random")
	fs.Var(&f.dsIter, "ds-iterations", "most Dawid-Skene EM `rounds`, 1 to 10000")
	fs.Var(&f.dsTol, "ds-tol", "stop Dawid-Skene when a round raises its loss (per judgment) by less than `tol` (0 runs every round)")
	fs.Var(&f.dsSmoothing, "ds-smoothing", "Dawid-Skene `pseudo-count` on every confusion cell (0: maximum likelihood, as Crowd-Kit; the default)")
}

func (f *measureFlags) options(allow []string) (metrics.Options, error) {
	o := metrics.Options{Weights: f.weights.k, Level: f.level.l, LevelSet: f.level.set, Ties: f.ties.r, Seed: f.seed,
		DSIterations: f.dsIter.n, DSTol: f.dsTol.v, DSSmoothing: f.dsSmoothing.v, AllowLabels: allow}
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
	if _, err := m.filter.query(); err != nil {
		return metrics.Options{}, err
	}
	return m.measures.options(m.allowSet)
}

// load validates the shared flags and reads the judgments of a project or
// batch files (the caller analyses them once). For a project without
// filters and wantCounts, it also returns the project's own counts (gold
// items of every version).
func (m *metricsFlags) load(e *env, cmd string, pos []string, wantCounts bool) (*dataset.Dataset, *core.Counts, int, bool) {
	q, err := m.filter.query()
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
		p, err := core.OpenReadOnly(e.ctx, pos[0])
		if err != nil {
			return nil, nil, report(e, err), false
		}
		defer p.Close()
		var counts *core.Counts
		if wantCounts && m.filter.empty() {
			// Counts straight from the project's tables.
			c, err := p.Counts(e.ctx)
			if err != nil {
				return nil, nil, report(e, err), false
			}
			counts = &c
		}
		d, err := p.Data(e.ctx, q)
		if err != nil {
			return nil, nil, report(e, err), false
		}
		if code, ok := m.checkData(e, cmd, d, func() (*filterData, error) { return projectValues(e, p, &m.filter) }); !ok {
			return nil, nil, code, false
		}
		return d, counts, 0, true
	}
	opts := core.FileOptions{
		Ingest: m.in.options(), Duplicates: m.duplicates, Labels: m.labelSet, Allow: m.allowSet,
	}
	opts.Query = q
	d, err := core.LoadFiles(e.ctx, pos, m.gold, opts)
	if err != nil {
		return nil, nil, report(e, err), false
	}
	all := func() (*filterData, error) {
		o := opts
		o.Query = core.Query{}
		full, err := core.LoadFiles(e.ctx, pos, m.gold, o)
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
		{"--gold", m.gold != ""}, {"--labels", m.labels != ""}, {"--duplicates", m.duplicates != core.DefaultDuplicatePolicy},
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
	return core.IsProjectFile(path)
}

// projectAuditAccuracy is the audit accuracy of the audited judgments of
// a, an analysis of the project at path (nil when none was audited).
func projectAuditAccuracy(e *env, path string, a *core.Analysis) (*metrics.AuditAccuracy, error) {
	p, err := core.OpenReadOnly(e.ctx, path)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	return p.AuditAccuracy(e.ctx, a)
}
