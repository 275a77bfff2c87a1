package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"labelqa/app/core"
	"labelqa/app/metrics"
	"labelqa/app/targets"
)

// TargetsSchema names the JSON object of "labelqa targets list --json".
const TargetsSchema = "labelqa.targets/v1"

// runTargets is "labelqa targets set|list|delete": the KPI targets the
// workbooks rate figures against (red, amber, green).
func runTargets(e *env, args []string) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			fmt.Fprintf(e.stderr, "Usage: %s\n", targetsUsage)
			return ExitOK
		}
		fmt.Fprintln(e.stderr, "labelqa targets: want set, list or delete, for example: labelqa targets list ads.lqa")
		return ExitUsage
	}
	switch args[0] {
	case "set":
		return runTargetsSet(e, args[1:])
	case "list":
		return runTargetsList(e, args[1:])
	case "delete":
		return runTargetsDelete(e, args[1:])
	}
	fmt.Fprintf(e.stderr, "labelqa targets: unknown subcommand %s; use set, list or delete\n", quote(args[0]))
	return ExitUsage
}

const targetsUsage = "labelqa targets set PROJECT.lqa --metric M --target X [--amber Y] [--vendor V] [--queue Q] [--market M] | labelqa targets list PROJECT.lqa [--json] | labelqa targets delete PROJECT.lqa --metric M [--vendor V] [--queue Q] [--market M]"

// targetScope are the flags naming a target's metric and scope.
type targetScope struct {
	metric, vendor, queue, market string
}

func (s *targetScope) register(fs *flag.FlagSet) {
	fs.StringVar(&s.metric, "metric", "", "the KPI `metric`: "+strings.Join(targets.Keys(), ", "))
	fs.StringVar(&s.vendor, "vendor", "", "only for this `vendor` (default: every vendor)")
	fs.StringVar(&s.queue, "queue", "", "only for this `queue` (default: every queue)")
	fs.StringVar(&s.market, "market", "", "only for this `market` (default: every market)")
}

// check refuses a missing or unknown metric as bad usage.
func (s *targetScope) check() error {
	if strings.TrimSpace(s.metric) == "" {
		return fmt.Errorf("--metric is required: one of %s", strings.Join(targets.Keys(), ", "))
	}
	if _, ok := targets.Lookup(s.metric); !ok {
		return fmt.Errorf("--metric %s: unknown metric; use one of %s", quote(s.metric), strings.Join(targets.Keys(), ", "))
	}
	return nil
}

// targetsCommand parses a subcommand's flags and its one project argument.
func targetsCommand(e *env, sub string, fs *flag.FlagSet, args []string) (string, int, bool) {
	pos, code, ok := parse(e, fs, args)
	if !ok {
		return "", code, false
	}
	if len(pos) != 1 {
		fmt.Fprintf(e.stderr, "labelqa targets %s: want one project, for example: labelqa targets %s ads.lqa%s\n", sub, sub, map[string]string{
			"set": " --metric gold_accuracy --target 95% --amber 92%", "list": "", "delete": " --metric gold_accuracy",
		}[sub])
		return "", ExitUsage, false
	}
	if !isProject(pos[0]) {
		fmt.Fprintf(e.stderr, "labelqa targets %s: %s is not a project; targets are kept in a project file (create one with labelqa init PROJECT.lqa)\n", sub, safeText(pos[0]))
		return "", ExitFail, false
	}
	return pos[0], 0, true
}

func runTargetsSet(e *env, args []string) int {
	fs := newFlags(e, "targets")
	var s targetScope
	s.register(fs)
	target := fs.String("target", "", "the target `value`: a rate as 0.95 or 95%, other metrics as a number")
	amber := fs.String("amber", "", "the amber band's edge on the worse side of the target (`value`; default: no amber band)")
	project, code, ok := targetsCommand(e, "set", fs, args)
	if !ok {
		return code
	}
	err := s.check()
	if err == nil && strings.TrimSpace(*target) == "" {
		err = errors.New("--target is required, for example --target 95% (or 0.95) for a rate")
	}
	var t core.Target
	if err == nil {
		t = core.Target{Metric: s.metric, Vendor: s.vendor, Queue: s.queue, Market: s.market, Amber: math.NaN()}
		t.Target, err = targetValue("target", s.metric, *target)
	}
	if err == nil && strings.TrimSpace(*amber) != "" {
		t.Amber, err = targetValue("amber", s.metric, *amber)
	}
	if err == nil {
		err = t.Check()
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "labelqa targets set: %s\n", safeText(err.Error()))
		return ExitUsage
	}
	p, err := core.Open(e.ctx, project)
	if err != nil {
		return report(e, err)
	}
	defer p.Close()
	if code, ok := checkTargetScope(e, p, t); !ok {
		return code
	}
	if err := p.SetTarget(e.ctx, t); err != nil {
		return report(e, err)
	}
	t.Queue = strings.ToLower(t.Queue)
	fmt.Fprintf(e.stdout, "target set: %s\n", targetLine(t))
	return ExitOK
}

func runTargetsList(e *env, args []string) int {
	fs := newFlags(e, "targets")
	asJSON := fs.Bool("json", false, "print one JSON object (schema "+TargetsSchema+")")
	project, code, ok := targetsCommand(e, "list", fs, args)
	if !ok {
		return code
	}
	p, err := core.OpenReadOnly(e.ctx, project)
	if err != nil {
		return report(e, err)
	}
	defer p.Close()
	set, err := p.Targets(e.ctx)
	if err != nil {
		return report(e, err)
	}
	if *asJSON {
		err = writeJSON(e.stdout, targetsJSON(set))
	} else {
		printTargets(e.stdout, set)
	}
	if err != nil {
		return report(e, err)
	}
	return ExitOK
}

func runTargetsDelete(e *env, args []string) int {
	fs := newFlags(e, "targets")
	var s targetScope
	s.register(fs)
	project, code, ok := targetsCommand(e, "delete", fs, args)
	if !ok {
		return code
	}
	if err := s.check(); err != nil {
		fmt.Fprintf(e.stderr, "labelqa targets delete: %s\n", safeText(err.Error()))
		return ExitUsage
	}
	p, err := core.Open(e.ctx, project)
	if err != nil {
		return report(e, err)
	}
	defer p.Close()
	// Queues are stored lower-cased (core.Project.SetTarget).
	t := core.Target{Metric: s.metric, Vendor: s.vendor, Queue: strings.ToLower(s.queue), Market: s.market}
	found, err := p.DeleteTarget(e.ctx, t.Metric, t.Vendor, t.Queue, t.Market)
	if err != nil {
		return report(e, err)
	}
	if !found {
		fmt.Fprintf(e.stderr, "labelqa targets delete: there is no target of %s; 'labelqa targets list %s' shows the targets and their scopes\n",
			scopeText(t), shellQuote(project))
		return ExitFail
	}
	fmt.Fprintf(e.stdout, "target deleted: %s\n", scopeText(t))
	return ExitOK
}

// targetValue reads a --target or --amber value: a number, or for a rate
// metric a percentage (95% is 0.95).
func targetValue(flagName, metric, v string) (float64, error) {
	m, _ := targets.Lookup(metric)
	s := strings.TrimSpace(v)
	percent := strings.HasSuffix(s, "%")
	if percent {
		if !m.Rate {
			return 0, fmt.Errorf("--%s %s: %s is not a rate, so give a plain number, not a percentage", flagName, quote(v), metric)
		}
		s = strings.TrimSpace(strings.TrimSuffix(s, "%"))
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		example := "12.5"
		if m.Rate {
			example = "0.95 or 95%"
		}
		return 0, fmt.Errorf("--%s %s is not a number; give it as %s", flagName, quote(v), example)
	}
	if percent {
		x /= 100
	}
	return x, nil
}

// targetJSON is one target of labelqa.targets/v1.
type targetJSON struct {
	Metric         string         `json:"metric"`
	Vendor         string         `json:"vendor"`
	Queue          string         `json:"queue"`
	Market         string         `json:"market"`
	Target         metrics.Float  `json:"target"`
	Amber          *metrics.Float `json:"amber"`
	HigherIsBetter bool           `json:"higher_is_better"`
}

type targetsObject struct {
	Schema  string       `json:"schema"`
	Targets []targetJSON `json:"targets"`
}

func targetsJSON(set core.TargetSet) targetsObject {
	out := targetsObject{Schema: TargetsSchema, Targets: []targetJSON{}}
	for _, t := range set {
		m, _ := targets.Lookup(t.Metric)
		j := targetJSON{Metric: t.Metric, Vendor: t.Vendor, Queue: t.Queue, Market: t.Market,
			Target: metrics.Float(t.Target), HigherIsBetter: m.HigherIsBetter}
		if t.HasAmber() {
			a := metrics.Float(t.Amber)
			j.Amber = &a
		}
		out.Targets = append(out.Targets, j)
	}
	return out
}

// targetFigure shows a target's value: a rate as a percentage.
func targetFigure(metric string, v float64) string {
	if m, _ := targets.Lookup(metric); m.Rate {
		// Ten significant digits: 0.07 is 7%, not 7.000000000000001%.
		return strconv.FormatFloat(100*v, 'g', 10, 64) + "%"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// scopeText is a target's metric and scope in words.
func scopeText(t core.Target) string {
	var parts []string
	for _, f := range []struct{ name, v string }{{"vendor", t.Vendor}, {"queue", t.Queue}, {"market", t.Market}} {
		if f.v != "" {
			parts = append(parts, f.name+" "+quote(f.v))
		}
	}
	if len(parts) == 0 {
		return t.Metric + " (every vendor, queue and market)"
	}
	return t.Metric + " for " + strings.Join(parts, ", ")
}

func targetLine(t core.Target) string {
	m, _ := targets.Lookup(t.Metric)
	better := "higher is better"
	if !m.HigherIsBetter {
		better = "lower is better"
	}
	s := fmt.Sprintf("%s: target %s", scopeText(t), targetFigure(t.Metric, t.Target))
	if t.HasAmber() {
		s += ", amber to " + targetFigure(t.Metric, t.Amber)
	}
	return s + " (" + better + ")"
}

func printTargets(w io.Writer, set core.TargetSet) {
	if len(set) == 0 {
		fmt.Fprintln(w, "No KPI targets yet: set one with labelqa targets set PROJECT.lqa --metric gold_accuracy --target 95% --amber 92%")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "metric\tvendor\tqueue\tmarket\ttarget\tamber\tbetter")
	any := func(s string) string {
		if s == "" {
			return "(any)"
		}
		return groupKeyText(s)
	}
	for _, t := range set {
		m, _ := targets.Lookup(t.Metric)
		amber, better := "none", "higher"
		if t.HasAmber() {
			amber = targetFigure(t.Metric, t.Amber)
		}
		if !m.HigherIsBetter {
			better = "lower"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", safeText(t.Metric), any(t.Vendor), any(t.Queue), any(t.Market),
			targetFigure(t.Metric, t.Target), amber, better)
	}
	tw.Flush()
}

// checkTargetScope refuses a target for a vendor, queue or market the
// project has no judgment of, once it holds some (a misspelt or wrongly cased name would make
// a target that never applies), naming those it has; a vendor-scoped
// project takes targets for its own vendor only.
func checkTargetScope(e *env, p *core.Project, t core.Target) (int, bool) {
	o, err := p.Overview(e.ctx, core.ByVendor, core.ByQueue, core.ByMarket)
	if err != nil {
		return report(e, err), false
	}
	for _, c := range []struct {
		flag, value string
		dim         core.Dimension
		fold        bool
	}{{"vendor", t.Vendor, core.ByVendor, false}, {"queue", t.Queue, core.ByQueue, true}, {"market", t.Market, core.ByMarket, false}} {
		if c.value == "" || len(o.By[c.dim]) == 0 {
			continue // a project without judgments takes targets for what it will hold
		}
		var names []string
		found := false
		for _, b := range o.By[c.dim] {
			if b.Key == c.value || c.fold && strings.EqualFold(b.Key, c.value) {
				found = true
			}
			names = append(names, quote(b.Key))
		}
		if !found {
			slices.Sort(names)
			fmt.Fprintf(e.stderr, "labelqa targets set: --%s %s: the project has no judgment of it, so the target would never apply; its %ss: %s (letter case counts)\n",
				c.flag, safeText(quote(c.value)), c.flag, safeText(strings.Join(names, ", ")))
			return ExitFail, false
		}
	}
	return 0, true
}
