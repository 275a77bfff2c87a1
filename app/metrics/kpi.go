package metrics

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"sync"
	"time"

	"labelqa/analysis/agreement"
	"labelqa/analysis/gold"
	"labelqa/analysis/scorecard"
)

// KPIRow is the KPI figures of one group of judgments: a vendor, queue,
// market and ISO week (KPI.Weeks), a vendor and week (KPI.VendorWeeks), or
// a roll-up over the whole period (KPI.Scopes, KPI.Vendors, KPI.Overall),
// where the fields the roll-up spans are empty.
type KPIRow struct {
	Vendor, Queue, Market string
	// Week is the ISO week (2025-W11) and Start its Monday 00:00 UTC; empty
	// and zero in the period roll-ups.
	Week  string
	Start time.Time

	Judgments, Reviewers, GoldJudgments int
	// GoldAccuracy, OverEnforcement, UnderEnforcement and Overturn (the
	// 2RQA overturn rate) are pooled over the group's judgments with Wilson
	// 95% intervals, as scorecard.Groups computes them.
	GoldAccuracy, OverEnforcement, UnderEnforcement, Overturn Interval
	// AuditAccuracy is the share of the group's audited judgments the
	// auditor found right, with the exact Clopper-Pearson 95% interval
	// (gold.ClopperPearson), unweighted (see KPI.AuditUnweighted); N = 0
	// and NaN without audits.
	AuditAccuracy Interval
	// FleissKappa and GwetAC (AC1 unweighted, AC2 with the analysis's
	// weights) are computed on the group's judgments alone, with the
	// analysis's weights, by the functions metrics.Analyze uses.
	FleissKappa, GwetAC Coef
	// AHTMedian and AHTP90 are handling-time quantiles in seconds;
	// UnitsPerHour judgments per active hour (scorecard.UnitsPerHour).
	AHTMedian, AHTP90, UnitsPerHour Float

	// errors counts the group's wrong answers on gold by (gold, given) label.
	errors map[[2]int32]int
}

// Value is the row's figure of a KPI metric (app/targets' keys), NaN when
// it is undefined or the key is unknown.
func (r *KPIRow) Value(metric string) float64 {
	switch metric {
	case "gold_accuracy":
		return float64(r.GoldAccuracy.Value)
	case "audit_accuracy":
		return float64(r.AuditAccuracy.Value)
	case "overturn_rate":
		return float64(r.Overturn.Value)
	case "fleiss_kappa":
		return float64(r.FleissKappa.Value)
	case "gwet_ac1":
		return float64(r.GwetAC.Value)
	case "aht_median_s":
		return float64(r.AHTMedian)
	case "units_per_hour":
		return float64(r.UnitsPerHour)
	case "over_enforcement":
		return float64(r.OverEnforcement.Value)
	case "under_enforcement":
		return float64(r.UnderEnforcement.Value)
	}
	return math.NaN()
}

// KPIFinding is a week-over-week change of a vendor's rate beyond chance:
// a two-proportion z-test of the week against the vendor's previous week
// with judgments, with p below KPIFindingAlpha.
type KPIFinding struct {
	Metric         string // gold_accuracy or overturn_rate
	Vendor         string
	PrevWeek, Week string
	Before, After  Interval
	Z, PValue      float64
	// Gold and Given are the confusion (gold label, given label) whose share
	// of the vendor's gold judgments grew most that week, with its counts
	// in the two weeks; empty when no confusion grew (and for
	// overturn_rate).
	Gold, Given           string
	PairBefore, PairAfter int
}

// KPIFindingAlpha is the significance level of a KPI finding. It is
// stricter than 0.05 because a workbook tests every vendor's every week.
const KPIFindingAlpha = 0.01

// KPI is the KPI workbook's figures, computed from one Analysis.
type KPI struct {
	// Weeks are per vendor, queue, market and ISO week (judgments without a
	// submission time are in no week); VendorWeeks per vendor and week (the
	// trend charts); Scopes per vendor, queue and market over the period;
	// Vendors per vendor; Overall every judgment. Each sorted by its keys.
	Weeks, VendorWeeks, Scopes, Vendors []KPIRow
	Overall                             KPIRow
	// Findings are sorted by p-value, smallest first.
	Findings []KPIFinding
	// Audits counts the audit outcomes given; AuditWeighted is true when
	// some had an inclusion probability other than 1: a row's audit accuracy
	// is then the design-weighted estimate of AuditAccuracyOf (Horvitz-
	// Thompson), else the share with its Clopper-Pearson interval.
	Audits        int
	AuditWeighted bool
}

// kpiLevel is one grouping of the KPI: which keys a row carries.
type kpiLevel struct{ vendor, queue, market, week bool }

// KPI computes the KPI figures from the analysis: scorecard.Groups on a
// composite group code per level (majority vote and Dawid-Skene are not run
// again), agreement per group with agreement.FleissKappa and
// agreement.GwetAC on the group's judgments (one rating per item and
// reviewer, as the analysis's agreement), audit accuracy from audits
// (Judgment indexes the analysed Dataset; an index out of range panics).
func (a *Analysis) KPI(audits []AuditOutcome) *KPI {
	k := &KPI{Audits: len(audits)}
	for _, o := range audits {
		if o.Judgment < 0 || o.Judgment >= a.d.Len() {
			panic("metrics: audit outcome of a judgment outside the analysis")
		}
		if o.InclusionProbability != 1 {
			k.AuditWeighted = true
		}
	}
	p := a.p
	if p == nil || p.q == 0 || len(p.item) == 0 {
		k.Overall = emptyKPIRow()
		k.Weeks, k.VendorWeeks, k.Scopes, k.Vendors = []KPIRow{}, []KPIRow{}, []KPIRow{}, []KPIRow{}
		return k
	}
	in := a.input()
	scorecard.Precompute(in) // the five levels share the majority credit and the pads
	rt := a.kpiRatings()
	codes := a.kpiCodes()
	levels := []struct {
		lv         kpiLevel
		withErrors bool
		out        *[]KPIRow
	}{
		{kpiLevel{vendor: true, queue: true, market: true, week: true}, false, &k.Weeks},
		{kpiLevel{vendor: true, week: true}, true, &k.VendorWeeks},
		{kpiLevel{vendor: true, queue: true, market: true}, false, &k.Scopes},
		{kpiLevel{vendor: true}, false, &k.Vendors},
		{kpiLevel{}, false, nil},
	}
	var overall []KPIRow
	levels[4].out = &overall
	// The levels are independent (scorecard.Groups and the agreement
	// functions only read their input): one goroutine per core.
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i := range levels {
		l := &levels[i]
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			*l.out = a.kpiRows(in, rt, codes, audits, l.lv, l.withErrors)
		}()
	}
	wg.Wait()
	k.Overall = emptyKPIRow()
	if len(overall) == 1 {
		k.Overall = overall[0]
	}
	k.Findings = a.kpiFindings(k.VendorWeeks)
	return k
}

// auditInterval is a group's audit accuracy, as "labelqa metrics" gives
// the analysis's (AuditAccuracyOf: Clopper-Pearson for a self-weighting
// sample, Horvitz-Thompson for one whose inclusion probabilities differ).
func (a *Analysis) auditInterval(outcomes []AuditOutcome) Interval {
	aa := AuditAccuracyOf(a.d, outcomes, 0.95)
	if aa == nil {
		return interval(gold.ClopperPearson(0, 0, 0.95))
	}
	return Interval{Value: aa.Accuracy.Value, CILow: aa.Accuracy.CILow, CIHigh: aa.Accuracy.CIHigh, N: float64(aa.Audits)}
}

func emptyKPIRow() KPIRow {
	nan := Float(math.NaN())
	iv := Interval{Value: nan, CILow: nan, CIHigh: nan}
	c := Coef{Value: nan, SE: nan, CILow: nan, CIHigh: nan, PValue: nan, Pa: nan, Pe: nan}
	return KPIRow{GoldAccuracy: iv, OverEnforcement: iv, UnderEnforcement: iv, Overturn: iv, AuditAccuracy: iv,
		FleissKappa: c, GwetAC: c, AHTMedian: nan, AHTP90: nan, UnitsPerHour: nan}
}

// kpiRatings are the canonical judgments agreement reads, as
// prepared.ratings selects them (the last row of a repeated (item,
// reviewer) pair; no judgment with several labels), and the weights.
type kpiRatings struct {
	rows []int32 // canonical judgment indices, ascending
	w    []float64
	sc   []float64
}

func (a *Analysis) kpiRatings() kpiRatings {
	p := a.p
	n := len(p.item)
	rows := make([]int32, 0, n)
	for k := 0; k < n; k++ {
		if k+1 < n && p.item[k+1] == p.item[k] && p.rater[k+1] == p.rater[k] {
			continue
		}
		if p.anyExtra {
			if _, multi := p.d.Extra[int(p.orig[k])]; multi {
				continue
			}
		}
		rows = append(rows, int32(k))
	}
	rt := kpiRatings{rows: rows, sc: p.scores()}
	if a.o.weighted {
		rt.w = agreement.Weights(a.o.weights, p.q, rt.sc)
	}
	return rt
}

// kpiCodes are each canonical judgment's vendor, queue, market and ISO
// week as small codes (week -1 when the time is unknown), and the codes'
// names.
type kpiCodes struct {
	vendor, queue, market, week                     []int32
	vendorNames, queueNames, marketNames, weekNames []string
}

func (a *Analysis) kpiCodes() *kpiCodes {
	p, d := a.p, a.d
	c := &kpiCodes{queueNames: d.Queues}
	intern := func(m map[string]int32, names *[]string, s string) int32 {
		code, ok := m[s]
		if !ok {
			code = int32(len(*names))
			m[s] = code
			*names = append(*names, s)
		}
		return code
	}
	vendors, markets := map[string]int32{}, map[string]int32{}
	annVendor := make([]int32, len(d.Annotators))
	annMarket := make([]int32, len(d.Annotators))
	for i, an := range d.Annotators {
		annVendor[i] = intern(vendors, &c.vendorNames, an.Vendor)
		annMarket[i] = intern(markets, &c.marketNames, an.Market)
	}
	n := len(p.orig)
	c.vendor, c.queue, c.market, c.week = make([]int32, n), make([]int32, n), make([]int32, n), make([]int32, n)
	// ISO weeks run Monday to Sunday and 1970-01-01 was a Thursday, so
	// ⌊(day + 3) / 7⌋ numbers the weeks; their codes are looked up in a
	// slice over the span of weeks the data cover.
	const noTime = math.MinInt64
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	weekOf := func(at int64) int64 { return floorDiv(floorDiv(at, 86400000)+3, 7) }
	for _, at := range d.At {
		if at != noTime {
			w := weekOf(at)
			lo, hi = min(lo, w), max(hi, w)
		}
	}
	var dense []int32
	sparse := map[int64]int32{}
	if hi >= lo && hi-lo < 1<<22 {
		dense = make([]int32, hi-lo+1)
		for i := range dense {
			dense[i] = -1
		}
	}
	weekCode := func(at int64) int32 {
		w := weekOf(at)
		if dense != nil && dense[w-lo] >= 0 {
			return dense[w-lo]
		}
		if dense == nil {
			if code, ok := sparse[w]; ok {
				return code
			}
		}
		code := int32(len(c.weekNames))
		c.weekNames = append(c.weekNames, ISOWeek(w*7*86400000-3*86400000))
		if dense != nil {
			dense[w-lo] = code
		} else {
			sparse[w] = code
		}
		return code
	}
	for k, j := range p.orig {
		an := d.Annotator[j]
		c.vendor[k], c.queue[k], c.market[k] = annVendor[an], d.Queue[j], annMarket[an]
		c.week[k] = -1
		if at := d.At[j]; at != noTime {
			c.week[k] = weekCode(at)
		}
	}
	return c
}

// kpiRows computes one level's rows. withErrors keeps the confusion counts
// (findings). The level with no key puts every judgment in one group.
func (a *Analysis) kpiRows(in *scorecard.Input, rt kpiRatings, c *kpiCodes, audits []AuditOutcome, lv kpiLevel, withErrors bool) []KPIRow {
	p, d := a.p, a.d
	// A group's composite code: the keys the level uses in mixed radix
	// (an unused key has one value), numbered densely in order of first
	// appearance.
	size := func(use bool, names int) int64 {
		if use {
			return int64(max(names, 1))
		}
		return 1
	}
	nv, nq, nm, nw := size(lv.vendor, len(c.vendorNames)), size(lv.queue, len(c.queueNames)), size(lv.market, len(c.marketNames)), size(lv.week, len(c.weekNames))
	code := func(use bool, v int32) int64 {
		if use {
			return int64(v)
		}
		return 0
	}
	var dense []int32
	sparse := map[int64]int32{}
	if total := nv * nq * nm * nw; total <= 1<<22 {
		dense = make([]int32, total)
		for i := range dense {
			dense[i] = -1
		}
	}
	var keys []int64
	group := make([]int32, len(p.item))
	byJudgment := make([]int32, d.Len()) // Dataset judgment -> group
	for k, j := range p.orig {
		if lv.week && c.week[k] < 0 {
			group[k], byJudgment[j] = -1, -1
			continue
		}
		key := ((code(lv.vendor, c.vendor[k])*nq+code(lv.queue, c.queue[k]))*nm+code(lv.market, c.market[k]))*nw + code(lv.week, c.week[k])
		var g int32
		var ok bool
		if dense != nil {
			g = dense[key]
			ok = g >= 0
		} else {
			g, ok = sparse[key]
		}
		if !ok {
			g = int32(len(keys))
			keys = append(keys, key)
			if dense != nil {
				dense[key] = g
			} else {
				sparse[key] = g
			}
		}
		group[k], byJudgment[j] = g, g
	}
	n := len(keys)
	cards := scorecard.Groups(in, group, n)
	reviewers := distinctRaters(group, p.rater, n, p.nRaters)
	fleiss, ac := a.groupAgreement(rt, group, n)

	audited := make([][]AuditOutcome, n)
	for _, o := range audits {
		if g := byJudgment[o.Judgment]; g >= 0 {
			audited[g] = append(audited[g], o)
		}
	}
	var errs []map[[2]int32]int
	if withErrors && p.goldSet {
		errs = make([]map[[2]int32]int, n)
		for k, g := range group {
			gl := p.gold[p.item[k]]
			if g < 0 || gl < 0 || gl == p.label[k] {
				continue
			}
			if errs[g] == nil {
				errs[g] = map[[2]int32]int{}
			}
			errs[g][[2]int32{gl, p.label[k]}]++
		}
	}

	out := make([]KPIRow, 0, n)
	for g, key := range keys {
		cd := cards[g]
		if cd.Annotations == 0 {
			continue
		}
		r := KPIRow{Judgments: cd.Annotations, Reviewers: reviewers[g], GoldJudgments: cd.GoldAnnotations,
			GoldAccuracy: interval(cd.GoldAccuracy), OverEnforcement: interval(cd.OverEnforcement),
			UnderEnforcement: interval(cd.UnderEnforcement), Overturn: interval(cd.Overturn),
			AuditAccuracy: a.auditInterval(audited[g]),
			FleissKappa:   *coef(fleiss[g]), GwetAC: *coef(ac[g]),
			AHTMedian: Float(cd.MedianDuration), AHTP90: Float(cd.P90Duration), UnitsPerHour: Float(cd.UnitsPerHour)}
		w := key % nw
		key /= nw
		m := key % nm
		key /= nm
		q := key % nq
		v := key / nq
		if lv.vendor {
			r.Vendor = c.vendorNames[v]
		}
		if lv.queue {
			r.Queue = c.queueNames[q]
		}
		if lv.market {
			r.Market = c.marketNames[m]
		}
		if lv.week {
			r.Week = c.weekNames[w]
			r.Start = isoWeekStart(r.Week)
		}
		if errs != nil {
			r.errors = errs[g]
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(x, y KPIRow) int {
		return cmp.Or(cmp.Compare(x.Vendor, y.Vendor), cmp.Compare(x.Queue, y.Queue),
			cmp.Compare(x.Market, y.Market), cmp.Compare(x.Week, y.Week))
	})
	return out
}

// groupAgreement computes Fleiss' kappa and Gwet's AC per group on the
// group's ratings. Each group's items and reviewers are renumbered in
// their canonical order, so the per-item sums run in the order the
// analysis's own run over every item (one group of everything gives the
// analysis's figures to the last bit) and no group pays for a table of
// every item.
func (a *Analysis) groupAgreement(rt kpiRatings, group []int32, n int) (fleiss, ac []agreement.Result) {
	p := a.p
	// The rating rows of each group, in canonical order (a stable counting
	// sort by group).
	start := make([]int, n+1)
	for _, k := range rt.rows {
		if g := group[k]; g >= 0 {
			start[g+1]++
		}
	}
	for g := 0; g < n; g++ {
		start[g+1] += start[g]
	}
	sorted := make([]int32, start[n])
	pos := slices.Clone(start[:n])
	for _, k := range rt.rows {
		if g := group[k]; g >= 0 {
			sorted[pos[g]] = k
			pos[g]++
		}
	}
	itemCode := make([]int32, p.nItems)
	raterCode := make([]int32, p.nRaters)
	for i := range itemCode {
		itemCode[i] = -1
	}
	for i := range raterCode {
		raterCode[i] = -1
	}
	fleiss = make([]agreement.Result, n)
	ac = make([]agreement.Result, n)
	for g := 0; g < n; g++ {
		rows := sorted[start[g]:start[g+1]]
		r := &agreement.Ratings{NCats: p.q, Scores: rt.sc,
			Item: make([]int32, len(rows)), Rater: make([]int32, len(rows)), Cat: make([]int32, len(rows))}
		// Items ascend within the rows (canonical order), so their new codes
		// ascend too; reviewers are numbered as met (their order does not
		// enter Fleiss' kappa or AC1).
		for x, k := range rows {
			it, ra := p.item[k], p.rater[k]
			if itemCode[it] < 0 {
				itemCode[it] = int32(r.NItems)
				r.NItems++
			}
			if raterCode[ra] < 0 {
				raterCode[ra] = int32(r.NRaters)
				r.NRaters++
			}
			r.Item[x], r.Rater[x], r.Cat[x] = itemCode[it], raterCode[ra], p.label[k]
		}
		for _, k := range rows {
			itemCode[p.item[k]], raterCode[p.rater[k]] = -1, -1
		}
		fleiss[g] = agreement.FleissKappa(r, rt.w)
		ac[g] = agreement.GwetAC(r, rt.w)
	}
	return fleiss, ac
}

// kpiFindings compares each vendor's week with its previous week with
// judgments, for gold accuracy and the 2RQA overturn rate.
func (a *Analysis) kpiFindings(rows []KPIRow) []KPIFinding {
	out := []KPIFinding{}
	labels := a.d.Labels
	for i := 1; i < len(rows); i++ {
		prev, cur := &rows[i-1], &rows[i]
		if prev.Vendor != cur.Vendor {
			continue
		}
		for _, m := range []struct {
			metric string
			before Interval
			after  Interval
		}{
			{"gold_accuracy", prev.GoldAccuracy, cur.GoldAccuracy},
			{"overturn_rate", prev.Overturn, cur.Overturn},
		} {
			z, pv := twoProportionZ(float64(m.before.Value)*m.before.N, m.before.N, float64(m.after.Value)*m.after.N, m.after.N)
			if math.IsNaN(pv) || pv >= KPIFindingAlpha {
				continue
			}
			f := KPIFinding{Metric: m.metric, Vendor: cur.Vendor, PrevWeek: prev.Week, Week: cur.Week,
				Before: m.before, After: m.after, Z: z, PValue: pv}
			if m.metric == "gold_accuracy" {
				if pair, ok := grownConfusion(prev, cur); ok {
					f.Gold, f.Given = labels[pair[0]], labels[pair[1]]
					f.PairBefore, f.PairAfter = prev.errors[pair], cur.errors[pair]
				}
			}
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(x, y KPIFinding) int { return cmp.Compare(x.PValue, y.PValue) })
	return out
}

// grownConfusion is the (gold, given) pair whose share of the gold
// judgments grew most from prev to cur (ties: the smaller codes).
func grownConfusion(prev, cur *KPIRow) ([2]int32, bool) {
	var best [2]int32
	bestGrowth := 0.0
	found := false
	for pair, after := range cur.errors {
		growth := float64(after)/float64(cur.GoldJudgments) - float64(prev.errors[pair])/math.Max(1, float64(prev.GoldJudgments))
		better := growth > bestGrowth || (found && growth == bestGrowth &&
			(pair[0] < best[0] || (pair[0] == best[0] && pair[1] < best[1])))
		if growth > 0 && better {
			best, bestGrowth, found = pair, growth, true
		}
	}
	return best, found
}

// twoProportionZ is the two-sided two-proportion z-test with the pooled
// variance of x1/n1 against x2/n2:
//
//	p̄ = (x1 + x2) / (n1 + n2)
//	z  = (x2/n2 − x1/n1) / √(p̄(1−p̄)(1/n1 + 1/n2))
//	p  = 2(1 − Φ(|z|)) = erfc(|z|/√2)
//
// Source: J. L. Fleiss, B. Levin and M. C. Paik (2003), Statistical Methods
// for Rates and Proportions, 3rd ed., §2.5 (the same statistic as
// statsmodels proportions_ztest and, squared, the uncorrected chi-squared
// test of the 2×2 table). NaN when a count is 0 or p̄ is 0 or 1.
func twoProportionZ(x1, n1, x2, n2 float64) (z, p float64) {
	if !(n1 > 0 && n2 > 0) {
		return math.NaN(), math.NaN()
	}
	pool := (x1 + x2) / (n1 + n2)
	se := math.Sqrt(pool * (1 - pool) * (1/n1 + 1/n2))
	if !(se > 0) {
		return math.NaN(), math.NaN()
	}
	z = (x2/n2 - x1/n1) / se
	return z, math.Erfc(math.Abs(z) / math.Sqrt2)
}
