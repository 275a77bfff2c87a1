package report

import (
	"context"
	"math"
	"slices"
	"strings"

	"labelqa/app/metrics"
	"labelqa/app/targets"
)

// The KPI workbook: per vendor, queue, market and ISO week the figures a
// vendor is held to, each against its target with red / amber / green,
// the roll-ups over the period, week-over-week trends per vendor, and the
// targets themselves. Every figure comes from metrics.Analysis.KPI, which
// reads the one analysis.
func init() {
	Texts(kpiTexts)
	Register("kpi", buildKPI)
}

// kpiMetric is one figure of a KPI row as the workbook shows it.
type kpiMetric struct {
	key      string // a targets metric, or aht_p90_s
	kind     Kind
	interval bool // has a 95% interval
	se       bool // has a standard error (agreement)
	n        bool // shows the count it rests on
	get      func(r *metrics.KPIRow) (v, lo, hi, se float64, n int)
}

func ivGet(f func(r *metrics.KPIRow) metrics.Interval) func(r *metrics.KPIRow) (float64, float64, float64, float64, int) {
	return func(r *metrics.KPIRow) (float64, float64, float64, float64, int) {
		iv := f(r)
		return float64(iv.Value), float64(iv.CILow), float64(iv.CIHigh), math.NaN(), int(iv.N)
	}
}

func coefGet(f func(r *metrics.KPIRow) metrics.Coef) func(r *metrics.KPIRow) (float64, float64, float64, float64, int) {
	return func(r *metrics.KPIRow) (float64, float64, float64, float64, int) {
		c := f(r)
		return float64(c.Value), float64(c.CILow), float64(c.CIHigh), float64(c.SE), 0
	}
}

func floatGet(f func(r *metrics.KPIRow) metrics.Float) func(r *metrics.KPIRow) (float64, float64, float64, float64, int) {
	return func(r *metrics.KPIRow) (float64, float64, float64, float64, int) {
		nan := math.NaN()
		return float64(f(r)), nan, nan, nan, 0
	}
}

// kpiMetrics are the figures in the order the sheets show them.
var kpiMetrics = []kpiMetric{
	{"gold_accuracy", KPct, true, false, true, ivGet(func(r *metrics.KPIRow) metrics.Interval { return r.GoldAccuracy })},
	{"audit_accuracy", KPct, true, false, true, ivGet(func(r *metrics.KPIRow) metrics.Interval { return r.AuditAccuracy })},
	{"overturn_rate", KPct, true, false, true, ivGet(func(r *metrics.KPIRow) metrics.Interval { return r.Overturn })},
	{"fleiss_kappa", KDec3, true, false, false, coefGet(func(r *metrics.KPIRow) metrics.Coef { return r.FleissKappa })},
	{"gwet_ac1", KDec3, true, false, false, coefGet(func(r *metrics.KPIRow) metrics.Coef { return r.GwetAC })},
	{"aht_median_s", KSeconds, false, false, false, floatGet(func(r *metrics.KPIRow) metrics.Float { return r.AHTMedian })},
	{"aht_p90_s", KSeconds, false, false, false, floatGet(func(r *metrics.KPIRow) metrics.Float { return r.AHTP90 })},
	{"units_per_hour", KSeconds, false, false, false, floatGet(func(r *metrics.KPIRow) metrics.Float { return r.UnitsPerHour })},
	{"over_enforcement", KPct, true, false, false, ivGet(func(r *metrics.KPIRow) metrics.Interval { return r.OverEnforcement })},
	{"under_enforcement", KPct, true, false, false, ivGet(func(r *metrics.KPIRow) metrics.Interval { return r.UnderEnforcement })},
}

// kpiMaxFindings is how many week-over-week findings the Summary lists.
const kpiMaxFindings = 6

// kpiBuild holds what the sheets share.
type kpiBuild struct {
	w        *Workbook
	in       *Input
	k        *metrics.KPI
	metrics  []kpiMetric     // those shown: audit accuracy only with audits
	targeted map[string]bool // metrics some target is set for
	ac2      bool            // the analysis is weighted: Gwet's AC is AC2
}

func buildKPI(ctx context.Context, w *Workbook, in *Input) error {
	b := &kpiBuild{w: w, in: in, k: in.Analysis.KPI(in.Audits), targeted: map[string]bool{},
		ac2: in.Analysis.Options().Weighted()}
	for _, m := range kpiMetrics {
		if m.key == "audit_accuracy" && b.k.Audits == 0 {
			continue
		}
		b.metrics = append(b.metrics, m)
	}
	for _, t := range in.Targets {
		b.targeted[t.Metric] = true
	}
	defs := []string{"volume"}
	for _, m := range b.metrics {
		if m.key != "aht_p90_s" {
			defs = append(defs, m.key)
		}
	}
	w.Define(defs...)

	b.summary()
	if err := ctx.Err(); err != nil {
		return err
	}
	b.weekSheet()
	b.rollupSheet()
	// The Summary's chart: gold accuracy by week, one line per vendor.
	if trends := b.trendSheet(); len(trends) > 0 && len(trends[0].series) > 0 {
		t := trends[0]
		w.Summary().Chart(Chart{Kind: Line, Title: t.title, Table: t.table, Cat: 0, Series: t.series, Percent: t.percent})
	}
	b.targetSheet()
	return ctx.Err()
}

// label is a metric's name in the workbook's language.
func (b *kpiBuild) label(key string) string {
	if key == "gwet_ac1" && b.ac2 {
		return b.w.T("kpi.m.gwet_ac2")
	}
	return b.w.T("kpi.m." + key)
}

// short is a metric's short name, for the headings of its interval,
// count, target and status columns.
func (b *kpiBuild) short(key string) string {
	if key == "gwet_ac1" && b.ac2 {
		return b.w.T("kpi.s.gwet_ac2")
	}
	return b.w.T("kpi.s." + key)
}

// vendorName shows a vendor key; the judgments without a vendor are a
// group of their own.
func (b *kpiBuild) vendorName(v string) string {
	if v == "" {
		return b.w.T("kpi.novendor")
	}
	return v
}

// rate is a figure's status and target (NaN when no target applies).
func (b *kpiBuild) rate(metric string, r *metrics.KPIRow, v float64) (targets.Status, float64) {
	st, t := b.in.Targets.Rate(metric, r.Vendor, r.Queue, r.Market, v)
	if _, ok := b.in.Targets.For(metric, r.Vendor, r.Queue, r.Market); !ok {
		return targets.None, math.NaN()
	}
	return st, t.Target
}

func (b *kpiBuild) summary() {
	w, k, s := b.w, b.k, b.w.Summary()
	o := &k.Overall
	s.Figure(Figure{Key: "judgments", Label: w.T("col.judgments"), Kind: KInt, Value: float64(o.Judgments),
		Low: math.NaN(), High: math.NaN(), Target: math.NaN()})
	s.Figure(Figure{Key: "reviewers", Label: w.T("col.reviewers"), Kind: KInt, Value: float64(o.Reviewers),
		Low: math.NaN(), High: math.NaN(), Target: math.NaN()})
	var reds []string
	for _, m := range b.metrics {
		v, lo, hi, _, n := m.get(o)
		status, target := targets.None, math.NaN()
		if m.key != "aht_p90_s" {
			status, target = b.rate(m.key, o, v)
		}
		s.Figure(Figure{Key: m.key, Label: b.label(m.key), Kind: m.kind, Value: v, Low: lo, High: hi,
			Target: target, Status: status, N: n})
		if status == targets.Red {
			key := "kpi.finding.red"
			if tm, ok := targets.Lookup(m.key); ok && !tm.HigherIsBetter {
				key = "kpi.finding.red.above" // lower is better: red means too high
			}
			reds = append(reds, w.T(key, b.label(m.key), b.format(m.kind, v), b.format(m.kind, target)))
		}
	}
	if k.Audits > 0 && k.AuditWeighted {
		s.Note(w.T("kpi.note.weighted"))
	}
	if k.Audits == 0 {
		s.Note(w.T("kpi.note.noaudits"))
	} else {
		// Which vendors the audit figure speaks for: audits usually cover
		// one vendor's sample, not the whole scope.
		var parts []string
		for _, r := range k.Vendors {
			if r.AuditAccuracy.N > 0 {
				parts = append(parts, w.T("kpi.note.audited.vendor", b.vendorName(r.Vendor), w.Num(r.AuditAccuracy.N, 0)))
			}
		}
		s.Note(w.T("kpi.note.audited", w.Num(k.Overall.AuditAccuracy.N, 0), strings.Join(parts, ", ")))
	}
	for _, r := range reds {
		s.Finding(r)
	}
	for i, f := range k.Findings {
		if i == kpiMaxFindings {
			break
		}
		s.Finding(b.findingText(f))
	}
}

// format writes a figure for a sentence in its kind.
func (b *kpiBuild) format(k Kind, v float64) string {
	switch k {
	case KPct:
		return b.w.Pct(v)
	case KDec3:
		return b.w.Num(v, 3)
	case KInt:
		return b.w.Num(v, 0)
	}
	return b.w.Num(v, 1)
}

func (b *kpiBuild) pValue(p float64) string {
	if p < 0.001 {
		return "< " + b.w.Num(0.001, 3)
	}
	return "= " + b.w.Num(p, 3)
}

// findingText is a week-over-week finding as one sentence.
func (b *kpiBuild) findingText(f metrics.KPIFinding) string {
	w := b.w
	dir := "fell"
	if f.After.Value > f.Before.Value {
		dir = "rose"
	}
	s := w.T("kpi.finding."+f.Metric+"."+dir, b.vendorName(f.Vendor), w.Pct(float64(f.Before.Value)), w.Pct(float64(f.After.Value)),
		f.Week, f.PrevWeek, b.pValue(f.PValue))
	// A fall of accuracy names the confusion that grew most; a rise does not
	// (a confusion growing while accuracy rises explains nothing).
	if f.Gold != "" && f.Metric == "gold_accuracy" && dir == "fell" {
		switch {
		case f.PairBefore == 0:
			s += w.T("kpi.finding.pair.new", f.Gold, f.Given, f.PairAfter)
		case f.PairAfter >= 2*f.PairBefore:
			s += w.T("kpi.finding.pair.doubled", f.Gold, f.Given, f.PairBefore, f.PairAfter)
		default:
			s += w.T("kpi.finding.pair.grew", f.Gold, f.Given, f.PairBefore, f.PairAfter)
		}
	}
	return s + "."
}

// metricCols are the columns of the metrics, in kpiMetrics' order, with
// the index of each metric's value and status column (-1: none).
func (b *kpiBuild) metricCols(first int, withTargets bool) (cols []Col, value, status []int) {
	w := b.w
	for _, m := range b.metrics {
		// The value column has the metric's name; the columns beside it
		// its short name, so that headings fit in two lines.
		value = append(value, first+len(cols))
		cols = append(cols, Col{Head: b.label(m.key), Kind: m.kind})
		name := b.short(m.key)
		if m.interval {
			cols = append(cols, Col{Head: w.T("kpi.col.low", name), Kind: m.kind}, Col{Head: w.T("kpi.col.high", name), Kind: m.kind})
		}
		if m.se {
			cols = append(cols, Col{Head: w.T("kpi.col.se", name), Kind: KDec3})
		}
		if m.n {
			cols = append(cols, Col{Head: w.T("kpi.col.n", name), Kind: KInt})
		}
		st := -1
		if withTargets && b.targeted[m.key] {
			cols = append(cols, Col{Head: w.T("kpi.col.target", name), Kind: m.kind})
			st = first + len(cols)
			cols = append(cols, Col{Head: w.T("kpi.col.status", name), Kind: KStatus})
		}
		status = append(status, st)
	}
	return cols, value, status
}

// metricValues are a row's values for metricCols.
func (b *kpiBuild) metricValues(r *metrics.KPIRow, withTargets bool) []any {
	var out []any
	for _, m := range b.metrics {
		v, lo, hi, se, n := m.get(r)
		out = append(out, v)
		if m.interval {
			out = append(out, lo, hi)
		}
		if m.se {
			out = append(out, se)
		}
		if m.n {
			out = append(out, n)
		}
		if withTargets && b.targeted[m.key] {
			st, target := b.rate(m.key, r, v)
			out = append(out, target, st)
		}
	}
	return out
}

func (b *kpiBuild) colorBy(t *Table, value, status []int) {
	for i := range value {
		if status[i] >= 0 {
			t.ColorBy(value[i], status[i])
		}
	}
}

// weekSheet is the KPI of every vendor, queue, market and week.
func (b *kpiBuild) weekSheet() {
	w := b.w
	s := w.Sheet(w.T("kpi.sheet.weeks"))
	s.Title(w.T("kpi.weeks.title"))
	s.Note(w.T("kpi.weeks.note"))
	if len(b.targeted) == 0 {
		s.Note(w.T("summary.notargets"))
	}
	keys := []Col{{Head: w.T("col.vendor")}, {Head: w.T("col.queue")}, {Head: w.T("col.market")}, {Head: w.T("col.week"), Kind: KWeek},
		{Head: w.T("col.judgments"), Kind: KInt}, {Head: w.T("col.reviewers"), Kind: KInt}}
	cols, value, status := b.metricCols(len(keys), true)
	t := s.Table("KPI_by_week", append(keys, cols...)...)
	t.Keys(len(keys)) // vendor, queue, market and week stay in sight
	for i := range b.k.Weeks {
		r := &b.k.Weeks[i]
		t.Row(append([]any{b.vendorName(r.Vendor), r.Queue, r.Market, r.Week, r.Judgments, r.Reviewers}, b.metricValues(r, true)...)...)
	}
	b.colorBy(t, value, status)
}

// rollupSheet is the KPI over the whole period: per vendor, queue and
// market, and per vendor.
func (b *kpiBuild) rollupSheet() {
	w := b.w
	s := w.Sheet(w.T("kpi.sheet.vendors"))
	s.Title(w.T("kpi.vendors.title"))
	s.Note(w.T("kpi.vendors.note"))
	// Both tables have the same columns (the vendor totals span every
	// queue and market), so they share the sheet's column widths.
	keys := []Col{{Head: w.T("col.vendor")}, {Head: w.T("col.queue")}, {Head: w.T("col.market")},
		{Head: w.T("col.judgments"), Kind: KInt}, {Head: w.T("col.reviewers"), Kind: KInt}}
	cols, value, status := b.metricCols(len(keys), true)
	t := s.Table("KPI_by_vendor", append(keys, cols...)...)
	t.Keys(len(keys))
	all := w.T("kpi.all")
	for i := range b.k.Vendors {
		r := &b.k.Vendors[i]
		t.Row(append([]any{b.vendorName(r.Vendor), all, all, r.Judgments, r.Reviewers}, b.metricValues(r, true)...)...)
	}
	b.colorBy(t, value, status)
	s.Gap()
	s.Heading(w.T("kpi.scopes.title"))
	t = s.Table("KPI_by_scope", append(keys, cols...)...)
	for i := range b.k.Scopes {
		r := &b.k.Scopes[i]
		t.Row(append([]any{b.vendorName(r.Vendor), r.Queue, r.Market, r.Judgments, r.Reviewers}, b.metricValues(r, true)...)...)
	}
	b.colorBy(t, value, status)
}

// kpiTrend is one metric by week with one column per vendor.
type kpiTrend struct {
	title   string
	table   *Table
	series  []int
	percent bool
}

// trendSheet lays out the Trends sheet: gold accuracy, Fleiss' kappa and
// Gwet's AC by week, one column (a chart's series) per vendor, each table
// followed by its line chart.
func (b *kpiBuild) trendSheet() []*kpiTrend {
	w := b.w
	rows := b.k.VendorWeeks
	var vendors, weeks []string
	for _, r := range rows {
		if !slices.Contains(vendors, r.Vendor) {
			vendors = append(vendors, r.Vendor)
		}
		if !slices.Contains(weeks, r.Week) {
			weeks = append(weeks, r.Week)
		}
	}
	slices.Sort(vendors)
	slices.Sort(weeks)
	s := w.Sheet(w.T("kpi.sheet.trends"))
	s.Title(w.T("kpi.trends.title"))
	s.Note(w.T("kpi.trends.note"))
	var out []*kpiTrend
	for _, m := range []struct {
		key     string
		percent bool
		get     func(r *metrics.KPIRow) float64
	}{
		{"gold_accuracy", true, func(r *metrics.KPIRow) float64 { return float64(r.GoldAccuracy.Value) }},
		{"fleiss_kappa", false, func(r *metrics.KPIRow) float64 { return float64(r.FleissKappa.Value) }},
		{"gwet_ac1", false, func(r *metrics.KPIRow) float64 { return float64(r.GwetAC.Value) }},
	} {
		kind := KDec3
		if m.percent {
			kind = KPct
		}
		title := w.T("kpi.trend.title", b.label(m.key))
		s.Heading(title)
		cols := []Col{{Head: w.T("col.week"), Kind: KWeek}}
		var series []int
		for _, v := range vendors {
			series = append(series, len(cols))
			cols = append(cols, Col{Head: b.vendorName(v), Kind: kind})
		}
		t := s.Table("Trend_"+m.key, cols...)
		for _, wk := range weeks {
			row := []any{wk}
			for _, v := range vendors {
				val := math.NaN()
				for i := range rows {
					if rows[i].Vendor == v && rows[i].Week == wk {
						val = m.get(&rows[i])
					}
				}
				row = append(row, val)
			}
			t.Row(row...)
		}
		tr := &kpiTrend{title: title, table: t, series: series, percent: m.percent}
		out = append(out, tr)
		if len(series) > 0 {
			s.Chart(Chart{Kind: Line, Title: title, Table: t, Cat: 0, Series: series, Percent: m.percent})
		}
		s.Gap()
	}
	return out
}

// targetSheet lists the targets the statuses come from.
func (b *kpiBuild) targetSheet() {
	w := b.w
	s := w.Sheet(w.T("kpi.sheet.targets"))
	s.Title(w.T("kpi.targets.title"))
	s.Note(w.T("kpi.targets.note"))
	t := s.Table("Targets", Col{Head: w.T("kpi.col.metric")}, Col{Head: w.T("col.vendor")}, Col{Head: w.T("col.queue")},
		Col{Head: w.T("col.market")}, Col{Head: w.T("col.target"), Kind: KDec3}, Col{Head: w.T("kpi.col.amber"), Kind: KDec3},
		Col{Head: w.T("kpi.col.better")})
	for _, tg := range b.in.Targets {
		m, _ := targets.Lookup(tg.Metric)
		kind := KDec2
		if m.Rate {
			kind = KPct
		}
		better := w.T("kpi.better.higher")
		if !m.HigherIsBetter {
			better = w.T("kpi.better.lower")
		}
		scope := func(v string) string {
			if v == "" {
				return w.T("kpi.any")
			}
			return v
		}
		t.Row(b.label(tg.Metric), scope(tg.Vendor), scope(tg.Queue), scope(tg.Market), As(kind, tg.Target), As(kind, tg.Amber), better)
	}
	if len(b.in.Targets) == 0 {
		s.Note(w.T("summary.notargets"))
	}
}

var kpiTexts = map[string]Tr{
	"kpi.sheet.weeks":   {"KPI by week", "KPI per minggu", "KPI per uke"},
	"kpi.sheet.vendors": {"KPI by vendor", "KPI per vendor", "KPI per leverandør"},
	"kpi.sheet.trends":  {"Trends", "Tren", "Trender"},
	"kpi.sheet.targets": {"Targets", "Target", "Mål"},

	"kpi.m.gold_accuracy":     {"Gold accuracy", "Akurasi gold", "Gull-nøyaktighet"},
	"kpi.m.audit_accuracy":    {"Audit accuracy", "Akurasi audit", "Revisjonsnøyaktighet"},
	"kpi.m.overturn_rate":     {"2RQA overturn rate", "Tingkat overturn 2RQA", "2RQA-omgjøringsrate"},
	"kpi.m.fleiss_kappa":      {"Fleiss' kappa", "Kappa Fleiss", "Fleiss' kappa"},
	"kpi.m.gwet_ac1":          {"Gwet's AC1", "AC1 Gwet", "Gwets AC1"},
	"kpi.m.gwet_ac2":          {"Gwet's AC2 (weighted)", "AC2 Gwet (berbobot)", "Gwets AC2 (vektet)"},
	"kpi.m.aht_median_s":      {"AHT median (s)", "Median AHT (dtk)", "AHT median (s)"},
	"kpi.m.aht_p90_s":         {"AHT p90 (s)", "AHT p90 (dtk)", "AHT p90 (s)"},
	"kpi.m.units_per_hour":    {"Units per hour", "Unit per jam", "Enheter per time"},
	"kpi.m.over_enforcement":  {"Over-enforcement", "Penegakan berlebih", "Overhåndhevelse"},
	"kpi.m.under_enforcement": {"Under-enforcement", "Penegakan kurang", "Underhåndhevelse"},

	"kpi.s.gold_accuracy":     {"Gold", "Gold", "Gull"},
	"kpi.s.audit_accuracy":    {"Audit", "Audit", "Revisjon"},
	"kpi.s.overturn_rate":     {"Overturn", "Overturn", "Omgjøring"},
	"kpi.s.fleiss_kappa":      {"Fleiss", "Fleiss", "Fleiss"},
	"kpi.s.gwet_ac1":          {"AC1", "AC1", "AC1"},
	"kpi.s.gwet_ac2":          {"AC2", "AC2", "AC2"},
	"kpi.s.aht_median_s":      {"AHT", "AHT", "AHT"},
	"kpi.s.aht_p90_s":         {"AHT p90", "AHT p90", "AHT p90"},
	"kpi.s.units_per_hour":    {"UPH", "UPH", "EPT"},
	"kpi.s.over_enforcement":  {"Over-enf.", "Berlebih", "Overhåndh."},
	"kpi.s.under_enforcement": {"Under-enf.", "Kurang", "Underhåndh."},

	"kpi.col.low":    {"%s 95%% low", "%s bawah 95%%", "%s 95 %% nedre"},
	"kpi.col.high":   {"%s 95%% high", "%s atas 95%%", "%s 95 %% øvre"},
	"kpi.col.se":     {"%s SE", "%s SE", "%s SE"},
	"kpi.col.n":      {"%s n", "%s n", "%s n"},
	"kpi.col.target": {"%s target", "%s target", "%s mål"},
	"kpi.col.status": {"%s status", "%s status", "%s status"},
	"kpi.col.metric": {"Metric", "Metrik", "Mål"},
	"kpi.col.amber":  {"Amber to", "Kuning sampai", "Gul til"},
	"kpi.col.better": {"Better", "Lebih baik", "Bedre"},

	"kpi.better.higher": {"higher", "lebih tinggi", "høyere"},
	"kpi.better.lower":  {"lower", "lebih rendah", "lavere"},
	"kpi.any":           {"(any)", "(semua)", "(alle)"},
	"kpi.all":           {"(all)", "(semua)", "(alle)"},
	"kpi.novendor":      {"(no vendor)", "(tanpa vendor)", "(ingen leverandør)"},

	"kpi.weeks.title": {"KPI by vendor, queue, market and ISO week", "KPI per vendor, antrean, pasar, dan minggu ISO", "KPI per leverandør, kø, marked og ISO-uke"},
	"kpi.weeks.note": {
		"One row per vendor, queue, market and ISO week (Monday to Sunday, UTC) of submission; judgments without a submission time are in no week. Rates have their 95% interval beside them; a status is coloured red, amber or green against the most specific target.",
		"Satu baris per vendor, antrean, pasar, dan minggu ISO (Senin sampai Minggu, UTC) pengiriman; penilaian tanpa waktu pengiriman tidak masuk minggu mana pun. Setiap tingkat disertai interval 95%; status diberi warna merah, kuning, atau hijau terhadap target yang paling spesifik.",
		"Én rad per leverandør, kø, marked og ISO-uke (mandag til søndag, UTC) for innsending; vurderinger uten innsendingstid er ikke i noen uke. Ratene har 95 %-intervallet ved siden av; en status er farget rød, gul eller grønn mot det mest spesifikke målet.",
	},
	"kpi.vendors.title": {"KPI by vendor over the period", "KPI per vendor selama periode", "KPI per leverandør over perioden"},
	"kpi.vendors.note": {
		"Each vendor's figures over the whole period, pooled over its judgments (also those without a submission time); below, the same per queue and market.",
		"Angka setiap vendor selama seluruh periode, digabung dari penilaiannya (juga yang tanpa waktu pengiriman); di bawah, hal yang sama per antrean dan pasar.",
		"Hver leverandørs tall over hele perioden, samlet over vurderingene (også dem uten innsendingstid); nedenfor det samme per kø og marked.",
	},
	"kpi.scopes.title": {"By vendor, queue and market", "Per vendor, antrean, dan pasar", "Per leverandør, kø og marked"},
	"kpi.trends.title": {"Week-over-week trends", "Tren dari minggu ke minggu", "Utvikling uke for uke"},
	"kpi.trends.note": {
		"One column, and one line in the charts, per vendor; an empty cell is a week without the judgments the figure needs.",
		"Satu kolom, dan satu garis di grafik, per vendor; sel kosong adalah minggu tanpa penilaian yang dibutuhkan angka itu.",
		"Én kolonne, og én linje i diagrammene, per leverandør; en tom celle er en uke uten vurderingene tallet trenger.",
	},
	"kpi.trend.title":   {"%s by week", "%s per minggu", "%s per uke"},
	"kpi.targets.title": {"KPI targets", "Target KPI", "KPI-mål"},
	"kpi.targets.note": {
		"The targets the statuses are rated against, as set with labelqa targets set. (any) means every vendor, queue or market; the most specific target applies.",
		"Target yang menjadi dasar penilaian status, sebagaimana diatur dengan labelqa targets set. (semua) berarti setiap vendor, antrean, atau pasar; target yang paling spesifik berlaku.",
		"Målene statusene vurderes mot, slik de er satt med labelqa targets set. (alle) betyr hver leverandør, kø eller marked; det mest spesifikke målet gjelder.",
	},

	"kpi.note.noaudits": {
		"No audits yet: audit accuracy appears here once a filled audit sheet is imported.",
		"Belum ada audit: akurasi audit muncul di sini setelah lembar audit yang terisi diimpor.",
		"Ingen revisjoner ennå: revisjonsnøyaktighet vises her når et utfylt revisjonsark er importert.",
	},
	"kpi.note.audited": {
		"Audit accuracy rests on %s audited judgments, of: %s; it speaks for the audited samples, not for every vendor of the scope.",
		"Akurasi audit didasarkan pada %s penilaian yang diaudit, dari: %s; angka ini mewakili sampel yang diaudit, bukan setiap vendor dalam cakupan.",
		"Revisjonsnøyaktigheten bygger på %s reviderte vurderinger, fra: %s; den gjelder de reviderte utvalgene, ikke alle leverandørene i omfanget.",
	},
	"kpi.note.audited.vendor": {"%s (%s)", "%s (%s)", "%s (%s)"},
	"kpi.note.weighted": {
		"The audits were drawn with unequal inclusion probabilities: audit accuracy is the design-weighted (Horvitz-Thompson) estimate, each audited judgment weighted by 1 / its inclusion probability, with the Korn-Graubard interval.",
		"Audit diambil dengan peluang inklusi yang tidak sama: akurasi audit adalah estimasi berbobot desain (Horvitz-Thompson), setiap penilaian yang diaudit dibobot 1 / peluang inklusinya, dengan interval Korn-Graubard.",
		"Revisjonene ble trukket med ulike inklusjonssannsynligheter: revisjonsnøyaktigheten er det designvektede estimatet (Horvitz-Thompson), der hver revidert vurdering vektes med 1 / inklusjonssannsynligheten, med Korn-Graubard-intervall.",
	},

	"kpi.finding.red": {
		"%s is %s, short of its target of %s (red).",
		"%s adalah %s, belum mencapai targetnya %s (merah).",
		"%s er %s, under målet på %s (rød).",
	},
	"kpi.finding.red.above": {
		"%s is %s, above its target of %s (red).",
		"%s adalah %s, melebihi targetnya %s (merah).",
		"%s er %s, over målet på %s (rød).",
	},
	"kpi.finding.gold_accuracy.fell": {
		"Gold accuracy of %s fell from %[2]s to %[3]s in %[4]s (from %[5]s; p %[6]s)",
		"Akurasi gold %s turun dari %[2]s menjadi %[3]s pada %[4]s (dari %[5]s; p %[6]s)",
		"Gull-nøyaktigheten til %s falt fra %[2]s til %[3]s i %[4]s (fra %[5]s; p %[6]s)",
	},
	"kpi.finding.gold_accuracy.rose": {
		"Gold accuracy of %s rose from %[2]s to %[3]s in %[4]s (from %[5]s; p %[6]s)",
		"Akurasi gold %s naik dari %[2]s menjadi %[3]s pada %[4]s (dari %[5]s; p %[6]s)",
		"Gull-nøyaktigheten til %s steg fra %[2]s til %[3]s i %[4]s (fra %[5]s; p %[6]s)",
	},
	"kpi.finding.overturn_rate.rose": {
		"The 2RQA overturn rate of %s rose from %[2]s to %[3]s in %[4]s (from %[5]s; p %[6]s)",
		"Tingkat overturn 2RQA %s naik dari %[2]s menjadi %[3]s pada %[4]s (dari %[5]s; p %[6]s)",
		"2RQA-omgjøringsraten til %s steg fra %[2]s til %[3]s i %[4]s (fra %[5]s; p %[6]s)",
	},
	"kpi.finding.overturn_rate.fell": {
		"The 2RQA overturn rate of %s fell from %[2]s to %[3]s in %[4]s (from %[5]s; p %[6]s)",
		"Tingkat overturn 2RQA %s turun dari %[2]s menjadi %[3]s pada %[4]s (dari %[5]s; p %[6]s)",
		"2RQA-omgjøringsraten til %s falt fra %[2]s til %[3]s i %[4]s (fra %[5]s; p %[6]s)",
	},
	"kpi.finding.pair.new": {
		"; the confusion %s → %s (gold → given) appeared (n = %d)",
		"; kekeliruan %s → %s (gold → diberikan) muncul (n = %d)",
		"; forvekslingen %s → %s (gull → gitt) dukket opp (n = %d)",
	},
	"kpi.finding.pair.doubled": {
		"; the confusion %s → %s (gold → given) at least doubled (%d → %d judgments)",
		"; kekeliruan %s → %s (gold → diberikan) setidaknya berlipat dua (%d → %d penilaian)",
		"; forvekslingen %s → %s (gull → gitt) ble minst doblet (%d → %d vurderinger)",
	},
	"kpi.finding.pair.grew": {
		"; the confusion %s → %s (gold → given) grew (%d → %d judgments)",
		"; kekeliruan %s → %s (gold → diberikan) bertambah (%d → %d penilaian)",
		"; forvekslingen %s → %s (gull → gitt) økte (%d → %d vurderinger)",
	},
}
