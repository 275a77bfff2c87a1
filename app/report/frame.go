package report

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"time"

	"labelqa/app/metrics"
)

// title is the workbook's title: its kind, and the vendor of a vendor or
// audit workbook.
func (w *Workbook) title() string {
	t := w.T("title." + w.kind)
	if w.in.Vendor != "" && (w.kind == "vendor" || w.kind == "audit") {
		t += " — " + w.in.Vendor
	}
	return t
}

// period is the time the analysed judgments span: the query's date range
// where it sets one, else the first and last submission.
func (w *Workbook) period() (from, to time.Time, ok bool) {
	d := w.in.Analysis.Data
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	if d != nil {
		for _, at := range d.At {
			if at == math.MinInt64 {
				continue
			}
			lo, hi = min(lo, at), max(hi, at)
		}
	}
	if lo <= hi {
		from, to, ok = time.UnixMilli(lo).UTC(), time.UnixMilli(hi).UTC(), true
	}
	q := w.in.Query
	if !q.From.IsZero() {
		from, ok = q.From.UTC(), true
	}
	if !q.To.IsZero() {
		to, ok = q.To.UTC().Add(-time.Millisecond), true // To is exclusive
	}
	return from, to, ok
}

// periodText is the period for people: dates and ISO weeks.
func (w *Workbook) periodText() string {
	from, to, ok := w.period()
	if !ok {
		return w.T("period.none")
	}
	if from.IsZero() || to.IsZero() || to.Before(from) {
		// A date range with no judgment on one side of it: the dates given only.
		return fmt.Sprintf("%s – %s", w.Date(from), w.Date(to))
	}
	return fmt.Sprintf("%s – %s (%s – %s)", w.Date(from), w.Date(to),
		metrics.ISOWeek(from.UnixMilli()), metrics.ISOWeek(to.UnixMilli()))
}

// scopeText says whose judgments the workbook is about.
func (w *Workbook) scopeText() string {
	if v, ok := w.in.Query.Scope(); ok {
		return w.T("scope.vendor", v)
	}
	if w.in.Vendor != "" && (w.kind == "vendor" || w.kind == "audit") {
		return w.T("scope.vendor", w.in.Vendor)
	}
	return w.T("scope.all")
}

// filterText lists the query's filters, or says there are none.
func (w *Workbook) filterText() string {
	q := w.in.Query
	var parts []string
	add := func(key, v string) {
		if v != "" {
			parts = append(parts, w.T(key)+": "+v)
		}
	}
	add("filter.vendor", q.Vendor)
	add("filter.team", q.Team)
	add("filter.queue", q.Queue)
	add("filter.market", q.Market)
	add("filter.sop", q.SOP)
	add("filter.reviewer", q.Reviewer)
	if !q.From.IsZero() {
		add("filter.from", w.Date(q.From))
	}
	if !q.To.IsZero() {
		add("filter.to", w.Date(q.To.Add(-time.Millisecond)))
	}
	if len(parts) == 0 {
		if _, scoped := q.Scope(); scoped || w.in.Vendor != "" && w.kind == "vendor" {
			return w.T("filters.none.scoped")
		}
		return w.T("filters.none")
	}
	return strings.Join(parts, "; ")
}

func (w *Workbook) judgments() int {
	if d := w.in.Analysis.Data; d != nil {
		return d.Len()
	}
	return 0
}

// addSummaryHead puts the framework's lines before what the builder added
// to the Summary: title, period, scope, filters, the key figures and the
// findings.
func (w *Workbook) addSummaryHead() {
	s := w.summary
	head := &Sheet{w: w, name: s.name}
	head.Title(w.title())
	head.Pair(w.T("summary.period"), w.periodText())
	head.Pair(w.T("summary.scope"), w.scopeText())
	head.Pair(w.T("summary.filters"), w.filterText())
	judgmentsKey := "summary.judgments"
	if w.kind == "audit" {
		// The audit draws from one vendor, but its analysis holds every
		// vendor's judgments of the filter (truth inference needs them).
		judgmentsKey = "summary.judgments.audit"
	}
	head.Pair(w.T(judgmentsKey), w.Num(float64(w.judgments()), 0))
	head.Pair(w.T("summary.generated"), w.generatedText())
	head.Gap()
	if len(s.figures) > 0 {
		head.Heading(w.T("summary.figures"))
		t := head.Table("Key_figures",
			Col{Head: w.T("summary.figure")}, Col{Head: w.T("summary.value"), Kind: KDec3},
			Col{Head: w.T("col.low"), Kind: KDec3}, Col{Head: w.T("col.high"), Kind: KDec3},
			Col{Head: w.T("col.target"), Kind: KDec3}, Col{Head: w.T("col.status"), Kind: KStatus},
			Col{Head: w.T("col.n"), Kind: KInt})
		targeted := false
		for _, f := range s.figures {
			var n any
			if f.N > 0 {
				n = f.N
			}
			t.Row(f.Label, As(f.Kind, f.Value), As(f.Kind, f.Low), As(f.Kind, f.High), As(f.Kind, f.Target), f.Status, n)
			if !undefined(f.Target) {
				targeted = true
			}
		}
		t.ColorBy(1, 5)
		s.figTable = t
		if targeted {
			w.Define("rag")
		} else if len(w.in.Targets) == 0 {
			head.Note(w.T("summary.notargets"))
		}
		head.Gap()
	}
	head.Heading(w.T("summary.findings"))
	if len(s.findings) == 0 {
		head.blocks = append(head.blocks, block{kind: bFinding, text: w.T("summary.nofindings")})
	}
	for _, f := range s.findings {
		head.blocks = append(head.blocks, block{kind: bFinding, text: f})
	}
	head.Gap()
	for _, b := range head.blocks {
		if b.table != nil {
			b.table.sheet = s.Sheet
		}
	}
	s.blocks = append(head.blocks, s.blocks...)
}

func (w *Workbook) generatedText() string {
	return w.T("summary.generated.value", w.Date(w.in.Now), w.in.Now.UTC().Format("15:04"), w.in.Version)
}

// addDefinitions writes the Definitions sheet: every metric the builder
// named, in plain words, with its formula and reference.
func (w *Workbook) addDefinitions() error {
	s := w.Sheet(w.T("sheet.definitions"))
	s.Title(w.T("sheet.definitions"))
	s.Note(w.T("definitions.note"))
	t := s.Table("Definitions", Col{Head: w.T("definitions.metric"), Width: 22},
		Col{Head: w.T("definitions.plain"), Width: 48}, Col{Head: w.T("definitions.formula"), Width: 42},
		Col{Head: w.T("definitions.reference"), Width: 36})
	for _, k := range w.defs {
		d, ok := definition(k)
		if !ok {
			return fmt.Errorf("report: no definition of %q is registered", k)
		}
		t.Row(d.Name.In(w.lang), d.Plain.In(w.lang), d.Formula.In(w.lang), d.Reference.In(w.lang))
	}
	return nil
}

// addSources writes the Sources sheet: where the figures come from.
func (w *Workbook) addSources(ctx context.Context) error {
	in := w.in
	s := w.Sheet(w.T("sheet.sources"))
	s.Title(w.T("sheet.sources"))
	if in.Project != nil {
		name := in.ProjectName
		if name == "" {
			name = filepath.Base(in.Project.Path())
		}
		s.Pair(w.T("sources.project"), name)
	}
	gold := w.T("sources.nogold")
	var versions []goldRow
	if in.Project != nil || in.GoldVersions != nil {
		gv := in.GoldVersions
		if gv == nil {
			var err error
			if gv, err = in.Project.GoldVersions(ctx); err != nil {
				return err
			}
		}
		for _, v := range gv {
			versions = append(versions, goldRow{v.Name, v.Items, v.CreatedAt})
		}
		if len(gv) > 0 {
			last := gv[len(gv)-1]
			gold = w.T("sources.gold.value", last.Name, w.Num(float64(last.Items), 0))
		}
	}
	s.Pair(w.T("sources.gold"), gold)
	s.Pair(w.T("summary.filters"), w.filterText())
	s.Pair(w.T("summary.scope"), w.scopeText())
	s.Pair(w.T("summary.judgments"), w.Num(float64(w.judgments()), 0))
	s.Pair(w.T("sources.version"), "LabelQA "+in.Version)
	s.Pair(w.T("sources.generated"), in.Now.UTC().Format("2006-01-02 15:04:05")+" UTC")
	s.Pair(w.T("sources.language"), w.T("lang.name"))
	s.Gap()
	batches := in.Batches
	if batches == nil && in.Project != nil {
		b, err := in.Project.Batches(ctx)
		if err != nil {
			return err
		}
		batches = b
	}
	s.Heading(w.T("sources.files"))
	t := s.Table("Input_files", Col{Head: w.T("sources.file")}, Col{Head: w.T("sources.kind")},
		Col{Head: w.T("sources.format")}, Col{Head: w.T("sources.rows"), Kind: KInt},
		Col{Head: w.T("sources.stored"), Kind: KInt}, Col{Head: w.T("sources.duplicates"), Kind: KInt},
		Col{Head: w.T("sources.imported"), Kind: KDate}, Col{Head: "SHA-256", Width: 68})
	for _, b := range batches {
		t.Row(filepath.Base(b.FileName), w.T("sources.kind."+b.Kind), b.Format, b.Rows, b.Stored, b.Duplicates, b.ImportedAt, b.SHA256)
	}
	s.Gap()
	s.Heading(w.T("sources.goldversions"))
	g := s.Table("Gold_versions", Col{Head: w.T("sources.goldversion")}, Col{Head: w.T("sources.items"), Kind: KInt},
		Col{Head: w.T("sources.created"), Kind: KDate})
	for _, v := range versions {
		g.Row(v.name, v.items, v.created)
	}
	return nil
}

type goldRow struct {
	name    string
	items   int
	created time.Time
}
