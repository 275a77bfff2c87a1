package metrics

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"labelqa/app/dataset"
)

// kpiJudgment is one row of a hand-built batch; the test computes every
// KPI figure from these rows on its own, with textbook formulas.
type kpiJudgment struct {
	item, ann, label, vendor, market, queue string
	round                                   int
	at                                      string // RFC 3339, "" for unknown
	dur                                     float64
}

var kpiGold = map[string]string{"g1": "approve", "g2": "scam", "g3": "scam", "g4": "approve"}

var kpiRows = []kpiJudgment{
	// 2025-W11
	{"g1", "x", "approve", "V1", "ID", "live", 1, "2025-03-10T08:00:00Z", 10},
	{"g1", "y", "approve", "V1", "ID", "live", 1, "2025-03-10T08:01:00Z", 20},
	{"g1", "z", "scam", "V2", "NO", "live", 1, "2025-03-11T09:00:00Z", 5},
	{"g2", "x", "approve", "V1", "ID", "live", 1, "2025-03-10T08:02:00Z", 30},
	{"g2", "y", "scam", "V1", "ID", "live", 1, "2025-03-10T08:03:00Z", 40},
	{"g2", "z", "scam", "V2", "NO", "live", 1, "2025-03-11T09:01:00Z", 7},
	{"a1", "x", "scam", "V1", "ID", "live", 1, "2025-03-10T08:04:00Z", 12},
	{"a1", "y", "scam", "V1", "ID", "live", 1, "2025-03-10T08:05:00Z", 14},
	{"a1", "z", "approve", "V2", "NO", "live", 1, "2025-03-11T09:02:00Z", 9},
	{"g4", "x", "scam", "V1", "ID", "practice", 1, "2025-03-12T10:00:00Z", 25},
	{"g4", "y", "approve", "V1", "ID", "practice", 1, "2025-03-12T10:30:00Z", 8},
	// 2025-W12
	{"g3", "x", "approve", "V1", "ID", "live", 1, "2025-03-17T08:00:00Z", 11},
	{"g3", "y", "scam", "V1", "ID", "live", 1, "2025-03-17T08:01:00Z", 13},
	{"g3", "z", "approve", "V2", "NO", "live", 1, "2025-03-18T07:00:00Z", 6},
	{"a2", "x", "approve", "V1", "ID", "live", 1, "2025-03-17T08:02:00Z", 15},
	{"a2", "y", "approve", "V1", "ID", "live", 1, "2025-03-17T08:03:00Z", 17},
	{"a2", "q", "scam", "QA", "ID", "2rqa", 2, "2025-03-18T08:00:00Z", 20},
	{"a1", "q", "scam", "QA", "ID", "2rqa", 2, "2025-03-18T08:01:00Z", 20},
	// No submission time: in the period roll-ups, in no week.
	{"a3", "x", "approve", "V1", "ID", "live", 1, "", 10},
	{"a3", "y", "scam", "V1", "ID", "live", 1, "", 12},
}

func kpiBatch(rows []kpiJudgment) string {
	var b strings.Builder
	b.WriteString("item_id,annotator_id,label,vendor,market,queue,round,submitted_at,duration_s\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%s,%d,%s,%g\n", r.item, r.ann, r.label, r.vendor, r.market, r.queue, r.round, r.at, r.dur)
	}
	return b.String()
}

func kpiGoldCSV(gold map[string]string) string {
	var b strings.Builder
	b.WriteString("item_id,label\n")
	keys := make([]string, 0, len(gold))
	for k := range gold {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s,%s\n", k, gold[k])
	}
	return b.String()
}

func isoWeekOf(at string) string {
	t, _ := time.Parse(time.RFC3339, at)
	y, w := t.UTC().ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// expectKPI computes a group's figures from the raw rows on its own.
type expectKPI struct {
	judgments, reviewers, goldN    int
	goldAcc, over, under, overturn float64
	overturnN                      int
	fleiss, ac1                    float64
	median, p90, uph               float64
}

// type7 is the Hyndman-Fan type 7 quantile (numpy's default), sorted copy.
func type7(p float64, x []float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	if len(s) == 0 {
		return math.NaN()
	}
	h := float64(len(s)-1) * p
	lo := math.Floor(h)
	if int(lo)+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[int(lo)] + (h-lo)*(s[int(lo)+1]-s[int(lo)])
}

func expectedKPI(all []kpiJudgment, in func(kpiJudgment) bool) expectKPI {
	var e expectKPI
	labels := []string{"approve", "scam"}
	allowed := map[string]bool{"approve": true}
	revs := map[string]bool{}
	var correct, nAllowed, over, nViol, under float64
	var durs []float64
	perItem := map[string]map[string]int{} // item -> label -> count
	for _, r := range all {
		if !in(r) {
			continue
		}
		e.judgments++
		revs[r.ann] = true
		durs = append(durs, r.dur)
		if perItem[r.item] == nil {
			perItem[r.item] = map[string]int{}
		}
		perItem[r.item][r.label]++
		g, ok := kpiGold[r.item]
		if !ok {
			continue
		}
		e.goldN++
		if r.label == g {
			correct++
		}
		if allowed[g] {
			nAllowed++
			if !allowed[r.label] {
				over++
			}
		} else {
			nViol++
			if allowed[r.label] {
				under++
			}
		}
	}
	e.reviewers = len(revs)
	e.goldAcc, e.over, e.under = correct/float64(e.goldN), over/nAllowed, under/nViol
	e.median, e.p90 = type7(0.5, durs), type7(0.9, durs)

	// Fleiss (1971) / Gwet (2008), unequal raters per item (irrCAC's
	// fleiss.kappa.raw and gwet.ac1.raw): pa over items with 2+ ratings,
	// π over items with 1+.
	q := float64(len(labels))
	var pa, n2, n1 float64
	pi := map[string]float64{}
	for _, counts := range perItem {
		ri := 0.0
		for _, c := range counts {
			ri += float64(c)
		}
		n1++
		for l, c := range counts {
			pi[l] += float64(c) / ri
		}
		if ri >= 2 {
			n2++
			s := 0.0
			for _, c := range counts {
				s += float64(c) * float64(c-1)
			}
			pa += s / (ri * (ri - 1))
		}
	}
	pa /= n2
	var peF, peG float64
	for _, l := range labels {
		p := pi[l] / n1
		peF += p * p
		peG += p * (1 - p)
	}
	peG /= q - 1
	e.fleiss, e.ac1 = (pa-peF)/(1-peF), (pa-peG)/(1-peG)

	// 2RQA: each round-1 judgment of the group on an item with a 2RQA
	// judgment (the latest) by another reviewer.
	var changed float64
	for _, r := range all {
		if !in(r) || r.round == 2 || r.queue == "2rqa" {
			continue
		}
		var qa *kpiJudgment
		for i := range all {
			o := &all[i]
			if o.item == r.item && (o.round == 2 || o.queue == "2rqa") && (qa == nil || o.at > qa.at) {
				qa = o
			}
		}
		if qa == nil || qa.ann == r.ann {
			continue
		}
		e.overturnN++
		if qa.label != r.label {
			changed++
		}
	}
	e.overturn = changed / float64(e.overturnN)

	// Units per hour: per reviewer, the group's timed submissions in
	// sessions split by gaps over 600 s, each lasting last − first + the
	// reviewer's median duration over all their judgments.
	pad := map[string]float64{}
	for ann := range revs {
		var d []float64
		for _, r := range all {
			if r.ann == ann {
				d = append(d, r.dur)
			}
		}
		pad[ann] = type7(0.5, d)
	}
	var units, secs float64
	for ann := range revs {
		var ts []float64
		for _, r := range all {
			if in(r) && r.ann == ann && r.at != "" {
				t, _ := time.Parse(time.RFC3339, r.at)
				ts = append(ts, float64(t.Unix()))
			}
		}
		slices.Sort(ts)
		for i := 0; i < len(ts); {
			j := i
			for j+1 < len(ts) && ts[j+1]-ts[j] <= 600 {
				j++
			}
			secs += ts[j] - ts[i] + pad[ann]
			units += float64(j - i + 1)
			i = j + 1
		}
	}
	e.uph = units / (secs / 3600)
	return e
}

func near(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b))
}

func checkKPIRow(t *testing.T, name string, r KPIRow, e expectKPI) {
	t.Helper()
	for _, c := range []struct {
		what      string
		got, want float64
	}{
		{"judgments", float64(r.Judgments), float64(e.judgments)},
		{"reviewers", float64(r.Reviewers), float64(e.reviewers)},
		{"gold judgments", float64(r.GoldJudgments), float64(e.goldN)},
		{"gold accuracy", float64(r.GoldAccuracy.Value), e.goldAcc},
		{"gold accuracy n", r.GoldAccuracy.N, float64(e.goldN)},
		{"over-enforcement", float64(r.OverEnforcement.Value), e.over},
		{"under-enforcement", float64(r.UnderEnforcement.Value), e.under},
		{"overturn", float64(r.Overturn.Value), e.overturn},
		{"overturn n", r.Overturn.N, float64(e.overturnN)},
		{"Fleiss' kappa", float64(r.FleissKappa.Value), e.fleiss},
		{"Gwet's AC1", float64(r.GwetAC.Value), e.ac1},
		{"AHT median", float64(r.AHTMedian), e.median},
		{"AHT p90", float64(r.AHTP90), e.p90},
		{"units per hour", float64(r.UnitsPerHour), e.uph},
	} {
		if !near(c.got, c.want) {
			t.Errorf("%s: %s = %v, want %v", name, c.what, c.got, c.want)
		}
	}
}

func kpiAnalysis(t *testing.T, rows []kpiJudgment) *Analysis {
	t.Helper()
	d := filesDataset(t, kpiBatch(rows), kpiGoldCSV(kpiGold), "approve", "scam")
	a, err := Analyze(context.Background(), d, DefaultOptions(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestKPIFiguresByHand(t *testing.T) {
	a := kpiAnalysis(t, kpiRows)
	k := a.KPI(nil)

	// Rows: V1 live ID (W11, W12), V1 practice ID (W11), V2 live NO (W11,
	// W12), QA 2rqa ID (W12); a3's judgments have no time.
	var keys []string
	for _, r := range k.Weeks {
		keys = append(keys, r.Vendor+"/"+r.Queue+"/"+r.Market+"/"+r.Week)
	}
	want := []string{"QA/2rqa/ID/2025-W12", "V1/live/ID/2025-W11", "V1/live/ID/2025-W12", "V1/practice/ID/2025-W11",
		"V2/live/NO/2025-W11", "V2/live/NO/2025-W12"}
	if !slices.Equal(keys, want) {
		t.Fatalf("week rows %v, want %v", keys, want)
	}
	week := func(r kpiJudgment, w string) bool { return r.at != "" && isoWeekOf(r.at) == w }
	v1LiveW11 := func(r kpiJudgment) bool {
		return r.vendor == "V1" && r.queue == "live" && r.market == "ID" && week(r, "2025-W11")
	}
	checkKPIRow(t, "V1 live ID 2025-W11", k.Weeks[1], expectedKPI(kpiRows, v1LiveW11))
	if w := k.Weeks[1].Start; !w.Equal(time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("2025-W11 starts %v", w)
	}

	// The vendor-week rows and roll-ups.
	if len(k.VendorWeeks) != 5 || k.VendorWeeks[1].Vendor != "V1" || k.VendorWeeks[1].Week != "2025-W11" || k.VendorWeeks[1].Queue != "" {
		t.Fatalf("vendor weeks %+v", k.VendorWeeks)
	}
	checkKPIRow(t, "V1 2025-W11", k.VendorWeeks[1], expectedKPI(kpiRows, func(r kpiJudgment) bool { return r.vendor == "V1" && week(r, "2025-W11") }))
	if len(k.Scopes) != 4 || k.Scopes[1].Vendor != "V1" || k.Scopes[1].Queue != "live" || k.Scopes[1].Week != "" {
		t.Fatalf("scopes %+v", k.Scopes)
	}
	// The period roll-up holds the judgments without a time too.
	checkKPIRow(t, "V1 live ID", k.Scopes[1], expectedKPI(kpiRows, func(r kpiJudgment) bool {
		return r.vendor == "V1" && r.queue == "live" && r.market == "ID"
	}))
	if len(k.Vendors) != 3 || k.Vendors[1].Vendor != "V1" || k.Vendors[1].Market != "" {
		t.Fatalf("vendors %+v", k.Vendors)
	}
	checkKPIRow(t, "V1", k.Vendors[1], expectedKPI(kpiRows, func(r kpiJudgment) bool { return r.vendor == "V1" }))
	v2 := expectedKPI(kpiRows, func(r kpiJudgment) bool { return r.vendor == "V2" })
	checkKPIRow(t, "V2", k.Vendors[2], v2)
	if v2.overturnN != 1 || v2.overturn != 1 {
		t.Errorf("the data should give V2 one overturned judgment: %+v", v2)
	}

	// Overall: every judgment, and the analysis's own figures.
	all := expectedKPI(kpiRows, func(kpiJudgment) bool { return true })
	checkKPIRow(t, "overall", k.Overall, all)
	rep := a.Report()
	o := k.Overall
	if o.Judgments != rep.Counts.Annotations || o.Reviewers != rep.Counts.Annotators {
		t.Errorf("overall volume %d judgments, %d reviewers; report %+v", o.Judgments, o.Reviewers, rep.Counts)
	}
	if o.GoldAccuracy != rep.Gold.Accuracy || o.OverEnforcement != rep.Gold.OverEnforcement || o.UnderEnforcement != rep.Gold.UnderEnforcement {
		t.Errorf("overall gold figures %+v %+v %+v differ from the report's %+v %+v %+v", o.GoldAccuracy, o.OverEnforcement, o.UnderEnforcement,
			rep.Gold.Accuracy, rep.Gold.OverEnforcement, rep.Gold.UnderEnforcement)
	}
	if o.FleissKappa != *rep.Agreement.FleissKappa || o.GwetAC != *rep.Agreement.GwetAC1 {
		t.Errorf("overall agreement %+v %+v differs from the report's %+v %+v", o.FleissKappa, o.GwetAC, *rep.Agreement.FleissKappa, *rep.Agreement.GwetAC1)
	}
	// No audits: audit accuracy undefined.
	if o.AuditAccuracy.Value.OK() || o.AuditAccuracy.N != 0 || k.Audits != 0 {
		t.Errorf("audit accuracy without audits: %+v", o.AuditAccuracy)
	}
	if v := o.Value("gold_accuracy"); v != float64(o.GoldAccuracy.Value) {
		t.Errorf("Value(gold_accuracy) = %v", v)
	}
	if v := o.Value("no_such_metric"); !math.IsNaN(v) {
		t.Errorf("Value of an unknown metric = %v", v)
	}
}

// TestKPIOverallIsTheReport checks the overall roll-up against the
// analysis's report on the demo project (several vendors, queues, weeks).
func TestKPIOverallIsTheReport(t *testing.T) {
	d, _ := demoDataset(t, 3)
	a, err := Analyze(context.Background(), d, DefaultOptions(), nil)
	if err != nil {
		t.Fatal(err)
	}
	k := a.KPI(nil)
	rep := a.Report()
	o := k.Overall
	if o.Judgments != rep.Counts.Annotations || o.GoldAccuracy != rep.Gold.Accuracy ||
		o.OverEnforcement != rep.Gold.OverEnforcement || o.UnderEnforcement != rep.Gold.UnderEnforcement ||
		o.FleissKappa != *rep.Agreement.FleissKappa || o.GwetAC != *rep.Agreement.GwetAC1 {
		t.Errorf("overall %+v\ndiffers from the report: gold %+v, Fleiss %+v, AC1 %+v", o, rep.Gold.Accuracy, *rep.Agreement.FleissKappa, *rep.Agreement.GwetAC1)
	}
	// Each vendor's roll-up is the vendor scorecard's.
	sc, _ := a.Scorecards(ByVendor)
	if len(sc.Cards) != len(k.Vendors) {
		t.Fatalf("%d vendor cards, %d vendor rows", len(sc.Cards), len(k.Vendors))
	}
	for i, c := range sc.Cards {
		r := k.Vendors[i]
		if r.Vendor != c.Key || r.Judgments != c.Annotations || r.Reviewers != c.Reviewers || r.GoldAccuracy != c.GoldAccuracy ||
			r.Overturn != c.Overturn || r.AHTMedian != c.MedianDuration || r.UnitsPerHour != c.UnitsPerHour {
			t.Errorf("vendor %q: row %+v, card %+v", c.Key, r, c)
		}
	}
	// The weekly rows of every scope add up to the scope's judgments
	// (those with a time).
	sum := 0
	for _, r := range k.Weeks {
		sum += r.Judgments
	}
	if sum == 0 || sum > o.Judgments {
		t.Errorf("week rows hold %d judgments of %d", sum, o.Judgments)
	}
}

func TestKPIAudits(t *testing.T) {
	a := kpiAnalysis(t, kpiRows)
	d := a.Dataset()
	index := func(item, ann string) int {
		for j := range d.Item {
			if d.Items[d.Item[j]] == item && d.Annotators[d.Annotator[j]].ID == ann {
				return j
			}
		}
		t.Fatalf("no judgment %s/%s", item, ann)
		return -1
	}
	audits := []AuditOutcome{
		// V1 live ID: 3 audited, 3 right.
		{index("g1", "x"), true, 1}, {index("a1", "y"), true, 1}, {index("a2", "x"), true, 1},
		// V2: 2 audited, none right.
		{index("g1", "z"), false, 1}, {index("a1", "z"), false, 1},
	}
	k := a.KPI(audits)
	if k.Audits != 5 || k.AuditWeighted {
		t.Errorf("audits %d, weighted %v", k.Audits, k.AuditWeighted)
	}
	// Clopper-Pearson in closed form at the edges (Clopper & Pearson 1934):
	// x = n gives low = (α/2)^(1/n), x = 0 gives high = 1 − (α/2)^(1/n).
	v1 := k.Scopes[1].AuditAccuracy
	if v1.Value != 1 || v1.N != 3 || !near(float64(v1.CILow), math.Pow(0.025, 1.0/3)) || v1.CIHigh != 1 {
		t.Errorf("V1 live ID audit accuracy %+v", v1)
	}
	v2 := k.Vendors[2].AuditAccuracy
	if v2.Value != 0 || v2.N != 2 || v2.CILow != 0 || !near(float64(v2.CIHigh), 1-math.Pow(0.025, 0.5)) {
		t.Errorf("V2 audit accuracy %+v", v2)
	}
	if o := k.Overall.AuditAccuracy; o.N != 5 || o.Value != 0.6 {
		t.Errorf("overall audit accuracy %+v", o)
	}
	// a2/x is in week 2025-W12 only.
	if w := k.Weeks[2].AuditAccuracy; k.Weeks[2].Week != "2025-W12" || w.N != 1 || w.Value != 1 {
		t.Errorf("V1 live ID 2025-W12 audit accuracy %+v", w)
	}
	// A weighted sample: the rows carry the estimate "labelqa metrics" prints.
	weighted := []AuditOutcome{{index("g1", "x"), true, 0.25}, {index("a1", "y"), false, 0.5}, {index("a2", "x"), true, 1}}
	k = a.KPI(weighted)
	want := AuditAccuracyOf(a.d, weighted, 0.95)
	if got := k.Overall.AuditAccuracy; !k.AuditWeighted || got.Value != want.Accuracy.Value || got.CILow != want.Accuracy.CILow || got.N != 3 {
		t.Errorf("weighted audit accuracy %+v (weighted %v), want %+v", got, k.AuditWeighted, want.Accuracy)
	}
	defer func() {
		if recover() == nil {
			t.Error("an audit outside the analysis did not panic")
		}
	}()
	a.KPI([]AuditOutcome{{d.Len(), true, 1}})
}

// TestKPIFindings plants a fall in one vendor's gold accuracy, caused by
// one confusion, and checks the finding against a chi-squared test of the
// 2×2 table computed here (z² = χ², uncorrected).
func TestKPIFindings(t *testing.T) {
	gold := map[string]string{}
	var rows []kpiJudgment
	add := func(week string, day int, n, wrongScamAsApprove, wrongApproveAsScam int, vendor, ann string) {
		for i := 0; i < n; i++ {
			item := fmt.Sprintf("%s-%s-%d", week, vendor, i)
			g := "scam"
			if i%2 == 0 {
				g = "approve"
			}
			gold[item] = g
			label := g
			switch {
			case g == "scam" && i/2 < wrongScamAsApprove:
				label = "approve"
			case g == "approve" && i/2 < wrongApproveAsScam:
				label = "scam"
			}
			at := time.Date(2025, 3, day, 8, 0, i, 0, time.UTC).Format(time.RFC3339)
			rows = append(rows, kpiJudgment{item, ann, label, vendor, "NO", "live", 1, at, 10})
		}
	}
	// Fjord: week 10 has 2 errors in 60, week 11 has 20 (18 of them scam
	// given approve). Nusantara: steady, 3 errors in 60 each week.
	add("w10", 3, 60, 1, 1, "Fjord", "f1")
	add("w11", 10, 60, 18, 2, "Fjord", "f1")
	add("w10", 4, 60, 2, 1, "Nusantara", "n1")
	add("w11", 11, 60, 1, 2, "Nusantara", "n1")
	save := kpiGold
	kpiGold = gold
	defer func() { kpiGold = save }()
	a := kpiAnalysis(t, rows)
	k := a.KPI(nil)
	if len(k.Findings) != 1 {
		t.Fatalf("findings %+v, want Fjord's fall only", k.Findings)
	}
	f := k.Findings[0]
	if f.Metric != "gold_accuracy" || f.Vendor != "Fjord" || f.PrevWeek != "2025-W10" || f.Week != "2025-W11" {
		t.Errorf("finding %+v", f)
	}
	if f.Before.Value != Float(58.0/60) || f.After.Value != Float(40.0/60) || f.Z >= 0 {
		t.Errorf("finding figures %+v", f)
	}
	if f.Gold != "scam" || f.Given != "approve" || f.PairBefore != 1 || f.PairAfter != 18 {
		t.Errorf("finding's confusion %s → %s %d → %d", f.Gold, f.Given, f.PairBefore, f.PairAfter)
	}
	// χ² of [[58, 2], [40, 20]]: Σ (O − E)² / E.
	obs := [2][2]float64{{58, 2}, {40, 20}}
	var chi float64
	for i := 0; i < 2; i++ {
		for j := 0; j < 2; j++ {
			e := (obs[i][0] + obs[i][1]) * (obs[0][j] + obs[1][j]) / 120
			chi += (obs[i][j] - e) * (obs[i][j] - e) / e
		}
	}
	if !near(f.Z*f.Z, chi) {
		t.Errorf("z² = %v, χ² = %v", f.Z*f.Z, chi)
	}
	// The p-value of χ² with 1 degree of freedom: erfc(√(χ²/2)).
	if !near(f.PValue, math.Erfc(math.Sqrt(chi/2))) || f.PValue >= KPIFindingAlpha {
		t.Errorf("p = %v", f.PValue)
	}
}

func TestKPIEmpty(t *testing.T) {
	a, err := Analyze(context.Background(), &dataset.Dataset{}, DefaultOptions(), nil)
	if err != nil {
		t.Fatal(err)
	}
	k := a.KPI(nil)
	if len(k.Weeks) != 0 || k.Overall.GoldAccuracy.Value.OK() || k.Overall.FleissKappa.Value.OK() {
		t.Errorf("empty KPI %+v", k)
	}
}

// BenchmarkKPI1M computes the KPI figures of a million judgments from one
// analysis (the analysis itself is outside the timing):
//
//	go test -run '^$' -bench KPI1M -benchtime 3x ./app/metrics/
func BenchmarkKPI1M(b *testing.B) {
	dir := b.TempDir()
	batch, goldPath := benchFiles(b, dir, 1_000_000)
	d, err := dataset.FromFiles(context.Background(), []string{batch}, goldPath, dataset.Options{})
	if err != nil {
		b.Fatal(err)
	}
	a, err := Analyze(context.Background(), d, DefaultOptions(), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		k := a.KPI(nil)
		if k.Overall.Judgments != 1_000_000 || len(k.Weeks) == 0 {
			b.Fatalf("unexpected KPI: %d judgments, %d week rows", k.Overall.Judgments, len(k.Weeks))
		}
	}
}
