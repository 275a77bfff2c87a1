package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"labelqa/app/core"
	"labelqa/app/metrics"
	workbook "labelqa/app/report"
)

// reportKinds are the workbooks of "labelqa report", and "all".
var reportKinds = []string{"kpi", "rca", "audit", "vendor"}

// vendorKinds are the workbooks about one vendor (--vendor required).
var vendorKinds = []string{"audit", "vendor"}

type reportFlags struct {
	out        string
	lang       string
	filter     filterFlags
	size       int
	seed       uint64
	margin     float64
	confidence float64
}

func runReport(e *env, args []string) int {
	fs := newFlags(e, "report")
	var f reportFlags
	fs.StringVar(&f.out, "o", "", "the workbook to write (OUT.xlsx); for all, a folder")
	fs.StringVar(&f.lang, "lang", "en", "language of headings, definitions and findings: en, id or nb")
	f.filter.register(fs)
	fs.IntVar(&f.size, "size", 0, "audit: how many judgments to sample (default: what --margin and --confidence need)")
	fs.Uint64Var(&f.seed, "seed", 1, "audit: the sample's seed (the same seed draws the same sample on every machine)")
	fs.Float64Var(&f.margin, "margin", 0.03, "audit: margin of error of the audit accuracy")
	fs.Float64Var(&f.confidence, "confidence", 0.95, "audit: confidence level of the margin")
	pos, code, ok := parse(e, fs, args)
	if !ok {
		return code
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "labelqa report: %s\n", safeText(fmt.Sprintf(format, a...)))
		return ExitUsage
	}
	if len(pos) != 2 {
		return usageErr("want a kind and a project, for example: labelqa report kpi ads.lqa -o kpi.xlsx (kinds: %s, all)", strings.Join(reportKinds, ", "))
	}
	kind, path := pos[0], pos[1]
	if kind != "all" && !slices.Contains(reportKinds, kind) {
		return usageErr("unknown kind %s: use one of %s, or all", quote(kind), strings.Join(reportKinds, ", "))
	}
	if f.out == "" {
		if kind == "all" {
			return usageErr("give the folder to write the workbooks in with -o, for example: -o reports")
		}
		return usageErr("give the workbook to write with -o, for example: -o %s.xlsx", kind)
	}
	lang, err := workbook.ParseLang(f.lang)
	if err != nil {
		return usageErr("--lang: %s", err)
	}
	if f.size < 0 {
		return usageErr("--size %d: give a positive number of judgments, or leave it out to size the sample from --margin", f.size)
	}
	if !(f.margin > 0 && f.margin < 0.5) {
		return usageErr("--margin %g: give the margin of error as a proportion between 0 and 0.5, for example 0.03", f.margin)
	}
	if !(f.confidence > 0 && f.confidence < 1) {
		return usageErr("--confidence %g: give a level between 0 and 1, for example 0.95", f.confidence)
	}
	q, err := f.filter.query()
	if err != nil {
		return usageErr("%s", err)
	}
	if !isProject(path) {
		if _, err := os.Stat(path); err != nil {
			fmt.Fprintf(e.stderr, "labelqa report: %s: no such project file\n", safeText(path))
			return ExitFail
		}
		return usageErr("%s is not a project: import batch files into one first (labelqa import PROJECT.lqa FILE...)", path)
	}
	kinds := []string{kind}
	if kind == "all" {
		if strings.EqualFold(filepath.Ext(f.out), ".xlsx") {
			return usageErr("report all writes several workbooks into a folder: give -o a folder name, for example -o reports (not %s)", f.out)
		}
		kinds = []string{"kpi", "rca"}
		if f.filter.vendor != "" {
			kinds = append(kinds, vendorKinds...)
		}
	}
	opts := metrics.DefaultOptions() // the figures "labelqa metrics" prints without flags
	p, err := core.OpenReadOnly(e.ctx, path)
	if err != nil {
		return report(e, err)
	}
	defer p.Close()
	if c, err := p.Counts(e.ctx); err != nil {
		return report(e, err)
	} else if c.Annotations == 0 {
		fmt.Fprintf(e.stderr, "labelqa report: %s holds no judgment yet, so a workbook would be empty; import batch files first (labelqa import %s FILE...)\n", safeText(path), shellQuote(path))
		return ExitFail
	}
	if v, scoped := p.Scope(); scoped && f.filter.vendor == "" {
		f.filter.vendor = v // a vendor's own project is about that vendor
		q.Vendor = v
	}
	if kind != "all" && slices.Contains(vendorKinds, kind) && f.filter.vendor == "" {
		what := map[string]string{"audit": "an audit workbook samples one vendor's judgments for its 2nd-line audit",
			"vendor": "a vendor workbook is about one vendor, for that vendor's lead"}[kind]
		return usageErr("%s: give --vendor NAME%s", what, projectVendors(e, p))
	}
	if f.filter.vendor != "" {
		if code, ok := checkVendor(e, p, f.filter.vendor); !ok {
			return code
		}
	}
	ts, err := p.Targets(e.ctx)
	if err != nil {
		return report(e, err)
	}
	base := &workbook.Input{Project: p, Targets: ts, Vendor: f.filter.vendor, Lang: lang, Version: Version, Now: time.Now(),
		Sample: workbook.SampleOptions{Size: f.size, Seed: f.seed, Margin: f.margin, Confidence: f.confidence}}
	// One analysis of the query serves every workbook: KPI and RCA read
	// it as filtered; the audit draws from it, Dawid-Skene having seen
	// every vendor's judgments of the filter but --vendor's. The vendor
	// workbook reads an analysis scoped to its vendor, which nothing can
	// widen: no other vendor's judgment is in it.
	wide := q
	wide.Vendor = ""
	queries := map[string]core.Query{"kpi": q, "rca": q, "audit": wide, "vendor": wide.WithinVendor(f.filter.vendor)}
	if kind == "all" {
		// With all, --vendor names the vendor of the audit and vendor
		// workbooks; KPI and RCA cover every vendor, from the audit's analysis.
		queries["kpi"], queries["rca"] = wide, wide
	}
	// Analyses are shared by the kinds of the same query (the key is the
	// query's fields, scope included) and computed once, on first use.
	var mu sync.Mutex
	analyses := map[string]*analysisOnce{}
	analysis := func(k string) (*core.Analysis, core.Query, error) {
		aq := queries[k]
		key := fmt.Sprintf("%#v", aq)
		mu.Lock()
		o, ok := analyses[key]
		if !ok {
			o = &analysisOnce{}
			analyses[key] = o
		}
		mu.Unlock()
		o.once.Do(func() { o.a, o.err = p.Analyze(e.ctx, aq, opts, nil) })
		return o.a, aq, o.err
	}
	// The first kind's analysis reads every judgment the others filter in
	// memory; then the workbooks are built side by side (the analysis is
	// read-only, the project open read-only).
	a0, q0, err := analysis(kinds[0])
	if err != nil {
		return report(e, err)
	}
	// A filter that matches nothing is refused with the values the project
	// holds, as labelqa metrics refuses it (the vendor was checked above).
	check := metricsFlags{filter: f.filter}
	check.filter.vendor = q0.Vendor
	if v, scoped := q0.Scope(); scoped {
		check.filter.vendor = v
	}
	if code, ok := check.checkData(e, "report", a0.Data, func() (*filterData, error) { return projectValues(e, p, &check.filter) }); !ok {
		return code
	}
	if kind == "all" {
		// The folder is made once every check passed: a refused run leaves none.
		if err := os.MkdirAll(f.out, 0o755); err != nil {
			fmt.Fprintf(e.stderr, "labelqa report: %s\n", safeText(err.Error()))
			return ExitFail
		}
	}
	outs := make([]string, len(kinds))
	errs := make([]error, len(kinds))
	var wg sync.WaitGroup
	for i, k := range kinds {
		outs[i] = f.out
		if kind == "all" {
			outs[i] = filepath.Join(f.out, reportFileName(k, f.filter.vendor))
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := writeReport(e, p, base, k, analysis, outs[i]); err != nil {
				errs[i] = fmt.Errorf("labelqa report %s: %w", k, err)
			}
		}()
	}
	wg.Wait()
	failed := 0
	for i := range kinds {
		if errs[i] != nil {
			if failed == 0 {
				failed = report(e, errs[i])
			}
			continue
		}
		fmt.Fprintf(e.stdout, "wrote %s\n", outs[i])
	}
	if failed != 0 {
		return failed
	}
	if kind == "all" && f.filter.vendor == "" {
		fmt.Fprintln(e.stdout, "the audit and vendor workbooks are about one vendor: add --vendor NAME to write them too")
	}
	return ExitOK
}

type analysisOnce struct {
	once sync.Once
	a    *core.Analysis
	err  error
}

// writeReport writes one kind's workbook from its analysis.
func writeReport(e *env, p *core.Project, base *workbook.Input, k string,
	analysis func(string) (*core.Analysis, core.Query, error), out string) error {
	in := *base
	if !slices.Contains(vendorKinds, k) {
		in.Vendor = "" // KPI and RCA: --vendor is a filter (in the query), not their subject
	}
	var err error
	if in.Analysis, in.Query, err = analysis(k); err != nil {
		return err
	}
	if in.Analysis.Data.Len() == 0 && in.Vendor != "" {
		return fmt.Errorf("no judgment of vendor %s matches the filters: the %s workbook would be empty; widen or drop --queue, --market, --team, --sop, --reviewer, --from or --to", quote(in.Vendor), k)
	}
	// The stored audits of the analysis's judgments (audit accuracy).
	if in.Audits, err = p.AuditOutcomes(e.ctx, in.Analysis); err != nil {
		return err
	}
	return workbook.Write(e.ctx, k, &in, out)
}

// reportFileName is the file "labelqa report all" writes a kind to.
func reportFileName(kind, vendor string) string {
	if !slices.Contains(vendorKinds, kind) {
		return kind + ".xlsx"
	}
	slug := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r < 0x20 || strings.ContainsRune(`*?"<>|`, r) {
			return '-'
		}
		return r
	}, vendor)
	return kind + "-" + strings.Trim(slug, ". ") + ".xlsx"
}

// checkVendor refuses a --vendor the project has no judgment of, naming
// those it has.
func checkVendor(e *env, p *core.Project, vendor string) (int, bool) {
	o, err := p.Overview(e.ctx, core.ByVendor)
	if err != nil {
		return report(e, err), false
	}
	var names []string
	for _, b := range o.By[core.ByVendor] {
		if b.Key == vendor {
			return 0, true
		}
		names = append(names, quote(b.Key))
	}
	slices.Sort(names)
	fmt.Fprintf(e.stderr, "labelqa report: the project has no judgment of vendor %s; its vendors: %s (names count letter case)\n",
		safeText(quote(vendor)), safeText(strings.Join(names, ", ")))
	return ExitFail, false
}

// projectVendors is " (the project's vendors: A, B)" when the project
// names vendors, else "".
func projectVendors(e *env, p *core.Project) string {
	o, err := p.Overview(e.ctx, core.ByVendor)
	if err != nil {
		return ""
	}
	var names []string
	for _, b := range o.By[core.ByVendor] {
		if b.Key != "" {
			names = append(names, quote(b.Key))
		}
	}
	if len(names) == 0 {
		return ""
	}
	slices.Sort(names)
	return " (the project's vendors: " + strings.Join(names, ", ") + ")"
}
