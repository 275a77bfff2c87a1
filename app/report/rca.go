package report

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"

	"labelqa/app/core"
)

// The RCA workbook: where the errors against gold are and why. Every
// count is core.RCA's, which reads the analysis's confusion matrix
// (metrics.Analysis.ConfusionBy); this file only lays them out.

func init() {
	Register("rca", buildRCA)
	Texts(rcaTexts)
	Definitions(rcaDefinitions)
}

// rcaTopFindings is how many of the top pairs get a finding;
// rcaChartPairs how many the Summary's Pareto chart draws.
const (
	rcaTopFindings = 3
	rcaChartPairs  = 10
)

func buildRCA(ctx context.Context, w *Workbook, in *Input) error {
	r, err := in.Project.RCA(ctx, in.Analysis, in.Query, core.RCAOptions{})
	if err != nil {
		return err
	}
	nan := math.NaN()
	sum := w.Summary()
	w.Define("rca.errors", "rca.error_rate", "rca.share", "rca.cumulative", "rca.sop_section", "rca.root_cause", "rca.disputed", "gold_accuracy")

	// Key figures. The error rate is rated by the gold accuracy target
	// (error rate = 1 − gold accuracy), shown as its complement.
	rate := Figure{Key: "rca.error_rate", Label: w.T("rca.fig.error_rate"), Kind: KPct, Value: r.ErrorRate,
		Low: r.ErrorLow, High: r.ErrorHigh, Target: nan, N: int(r.Judgments)}
	if t, ok := in.Targets.For("gold_accuracy", in.Query.Vendor, in.Query.Queue, in.Query.Market); ok {
		rate.Target, rate.Status = 1-t.Target, t.Rate(1-r.ErrorRate)
	}
	sum.Figure(Figure{Key: "rca.errors", Label: w.T("rca.fig.errors"), Kind: KInt, Value: float64(r.Errors), Low: nan, High: nan, Target: nan, N: int(r.Judgments)})
	sum.Figure(rate)
	topShare := nan
	if len(r.Pairs) > 0 {
		topShare = r.Pairs[0].Share
	}
	sum.Figure(Figure{Key: "rca.top_share", Label: w.T("rca.fig.top_share"), Kind: KPct, Value: topShare, Low: nan, High: nan, Target: nan, N: int(r.Errors)})
	untagged := nan
	if r.Errors > 0 {
		untagged = float64(r.Untagged) / float64(r.Errors)
	}
	sum.Figure(Figure{Key: "rca.untagged", Label: w.T("rca.fig.untagged"), Kind: KPct, Value: untagged, Low: nan, High: nan, Target: nan, N: int(r.Errors)})
	sum.Figure(Figure{Key: "rca.disputed", Label: w.T("rca.fig.disputed"), Kind: KInt, Value: float64(len(r.Disputed)), Low: nan, High: nan, Target: nan})

	rcaFindings(w, r)

	// Pareto.
	ps := w.Sheet(w.T("rca.sheet.pareto"))
	ps.Title(w.T("rca.pareto.title"))
	ps.Note(w.T("rca.pareto.note"))
	pt := ps.Table("RCAPareto",
		Col{Head: w.T("rca.col.rank"), Kind: KInt},
		Col{Head: w.T("rca.col.pair"), Kind: KText},
		Col{Head: w.T("col.gold_label"), Kind: KText},
		Col{Head: w.T("col.given_label"), Kind: KText},
		Col{Head: w.T("rca.col.errors"), Kind: KInt},
		Col{Head: w.T("rca.col.share"), Kind: KPct, Width: 18},
		Col{Head: w.T("rca.col.cumulative"), Kind: KPct, Width: 18},
		Col{Head: w.T("rca.col.top_cause"), Kind: KText, Width: 16},
		Col{Head: w.T("rca.col.top_cause_share"), Kind: KPct, Width: 16},
	)
	for i, p := range r.Pairs {
		cause, share := "", nan
		if i < len(r.Top) && r.Top[i].TopCause != "" {
			cause, share = causeName(w, r.Top[i].TopCause), r.Top[i].TopCauseShare
		}
		pt.Row(i+1, pairText(w, p.Gold, p.Given), p.Gold, p.Given, int(p.Count), p.Share, p.Cumulative, cause, share)
	}
	pt.HeatMap(4, 4)

	// The Summary's Pareto chart: the top pairs (a chart of every pair has
	// more categories than a page can label), their cumulative share of
	// all errors on a secondary axis.
	if len(r.Pairs) > 0 {
		n := min(rcaChartPairs, len(r.Pairs))
		sum.Heading(w.T("rca.top.title", n))
		tt := sum.Table("RCATopPairs",
			Col{Head: w.T("rca.col.pair"), Kind: KText},
			Col{Head: w.T("rca.col.errors"), Kind: KInt},
			Col{Head: w.T("rca.col.share"), Kind: KPct, Width: 18},
			Col{Head: w.T("rca.col.cumulative"), Kind: KPct, Width: 18},
		)
		for _, p := range r.Pairs[:n] {
			tt.Row(pairText(w, p.Gold, p.Given), int(p.Count), p.Share, p.Cumulative)
		}
		sum.Chart(Chart{Kind: Pareto, Title: w.T("rca.chart.pareto"), Table: tt, Cat: 0, Series: []int{1}, Cumulative: 3})
	}

	// By SOP section and version.
	ss := w.Sheet(w.T("rca.sheet.sop"))
	ss.Title(w.T("rca.sop.title"))
	ss.Note(w.T("rca.sop.note"))
	groupTables(w, ss, "RCASection", w.T("rca.col.section"), r.BySection)
	ss.Gap()
	groupTables(w, ss, "RCASOP", w.T("filter.sop"), r.BySOP)

	// By vendor and market.
	vs := w.Sheet(w.T("rca.sheet.vendor"))
	vs.Title(w.T("rca.vendor.title"))
	groupTables(w, vs, "RCAVendor", w.T("col.vendor"), r.ByVendor)
	vs.Gap()
	groupTables(w, vs, "RCAMarket", w.T("col.market"), r.ByMarket)

	// Examples of the top pairs.
	es := w.Sheet(w.T("rca.sheet.examples"))
	es.Title(w.T("rca.examples.title", len(r.Top)))
	es.Note(w.T("rca.examples.note"))
	et := es.Table("RCAExamples",
		Col{Head: w.T("rca.col.pair"), Kind: KText},
		Col{Head: w.T("col.item"), Kind: KText},
		Col{Head: w.T("col.reviewer"), Kind: KText},
		Col{Head: w.T("rca.col.content"), Kind: KText, Width: 40},
		Col{Head: w.T("col.gold_label"), Kind: KText},
		Col{Head: w.T("col.given_label"), Kind: KText},
		Col{Head: w.T("rca.col.rationale"), Kind: KText, Width: 40},
		Col{Head: w.T("rca.col.comment"), Kind: KText, Width: 30},
		Col{Head: w.T("rca.col.section"), Kind: KText},
		Col{Head: w.T("rca.col.category"), Kind: KText},
		Col{Head: w.T("rca.col.causes"), Kind: KText},
		Col{Head: w.T("rca.col.notes"), Kind: KText, Width: 30},
	)
	for _, t := range r.Top {
		for _, e := range t.Examples {
			causes := make([]string, len(e.Causes))
			for i, c := range e.Causes {
				causes[i] = causeName(w, c)
			}
			et.Row(pairText(w, t.Pair.Gold, t.Pair.Given), e.Item, e.Annotator, e.Content, e.Gold, e.Given,
				e.Rationale, e.Comment, e.SOPSection, e.ErrorCategory, strings.Join(causes, ", "), strings.Join(e.Notes, "; "))
		}
	}

	// Root causes and what to do.
	cs := w.Sheet(w.T("rca.sheet.causes"))
	cs.Title(w.T("rca.causes.title"))
	cs.Note(w.T("rca.causes.note"))
	ct := cs.Table("RCACauses",
		Col{Head: w.T("rca.col.cause"), Kind: KText},
		Col{Head: w.T("rca.col.from_files"), Kind: KInt, Width: 16},
		Col{Head: w.T("rca.col.from_tags"), Kind: KInt, Width: 12},
		Col{Head: w.T("rca.col.errors"), Kind: KInt},
		Col{Head: w.T("rca.col.share"), Kind: KPct, Width: 18},
		Col{Head: w.T("rca.col.top_section"), Kind: KText},
		Col{Head: w.T("rca.col.top_pair"), Kind: KText},
		Col{Head: w.T("rca.col.action"), Kind: KText, Width: 60},
	)
	for _, c := range r.Causes {
		pair := ""
		if c.TopPair != nil {
			pair = pairText(w, c.TopPair.Gold, c.TopPair.Given)
		}
		ct.Row(causeName(w, c.Cause), int(c.Stored), int(c.Tagged), int(c.Errors), c.Share, c.TopSection, pair, action(w, c, pair))
	}
	ct.Row(w.T("rca.untagged"), nil, nil, int(r.Untagged), shareOf(r.Untagged, r.Errors), "", "", w.T("rca.action.untagged"))
	cs.Gap()
	cs.Heading(w.T("rca.categories.title"))
	kt := cs.Table("RCACategories",
		Col{Head: w.T("rca.col.category"), Kind: KText},
		Col{Head: w.T("rca.col.errors"), Kind: KInt},
		Col{Head: w.T("rca.col.share"), Kind: KPct},
	)
	for _, c := range r.Categories {
		kt.Row(c.Name, int(c.Count), c.Share)
	}

	// Disputed gold.
	ds := w.Sheet(w.T("rca.sheet.disputed"))
	ds.Title(w.T("rca.disputed.title"))
	ds.Note(w.T("rca.disputed.note"))
	dt := ds.Table("RCADisputed",
		Col{Head: w.T("col.item"), Kind: KText},
		Col{Head: w.T("col.gold_label"), Kind: KText},
		Col{Head: w.T("rca.col.suggested"), Kind: KText},
		Col{Head: w.T("rca.col.section"), Kind: KText},
		Col{Head: w.T("rca.col.gold_posterior"), Kind: KDec3, Width: 16},
		Col{Head: w.T("rca.col.suggested_posterior"), Kind: KDec3, Width: 18},
		Col{Head: w.T("rca.col.evidence"), Kind: KText},
		Col{Head: w.T("rca.col.votes"), Kind: KText},
		Col{Head: w.T("rca.col.skilled"), Kind: KText},
		Col{Head: w.T("rca.col.rationale"), Kind: KText, Width: 40},
	)
	for _, x := range r.Disputed {
		var ev []string
		if x.ByPosterior {
			ev = append(ev, w.T("rca.evidence.posterior"))
		}
		if x.ByReviewers {
			ev = append(ev, w.T("rca.evidence.reviewers"))
		}
		if x.ByMajority {
			ev = append(ev, w.T("rca.evidence.majority"))
		}
		dt.Row(x.Item, x.Gold, x.Suggested, x.SOPSection, x.GoldPosterior, x.SuggestedPosterior,
			strings.Join(ev, "; "), votesText(w, x.Votes), strings.Join(x.Reviewers, ", "), x.Rationale)
	}
	return nil
}

// rcaFindings writes the Summary's sentences: the top pairs with their
// main cause, how few pairs make most errors, the weakest section and
// vendor, the disputed gold.
func rcaFindings(w *Workbook, r *core.RCA) {
	s := w.Summary()
	if !r.HasGold {
		s.Finding(w.T("rca.find.nogold"))
		return
	}
	if r.Errors == 0 {
		s.Finding(w.T("rca.find.noerrors", w.Num(float64(r.Judgments), 0)))
		return
	}
	for _, t := range r.Top[:min(rcaTopFindings, len(r.Top))] {
		pair := pairText(w, t.Pair.Gold, t.Pair.Given)
		if t.TopCause == "" || math.IsNaN(t.TopCauseShare) {
			s.Finding(w.T("rca.find.pair.untagged", pair, w.Pct(t.Pair.Share), w.Num(float64(t.Pair.Count), 0)))
			continue
		}
		s.Finding(w.T("rca.find.pair", pair, w.Pct(t.Pair.Share), w.Pct(t.TopCauseShare), inSentence(causeName(w, t.TopCause))))
	}
	// How many pairs make 80% of the errors.
	for i, p := range r.Pairs {
		if p.Cumulative >= 0.8 {
			if i+1 < len(r.Pairs) {
				s.Finding(w.T("rca.find.pareto", i+1, len(r.Pairs), w.Pct(p.Cumulative)))
			}
			break
		}
	}
	if g, ok := worst(r.BySection); ok {
		s.Finding(w.T("rca.find.section", g.Key, w.Pct(g.ErrorRate), w.Num(float64(g.Errors), 0), w.Num(float64(g.Judgments), 0), worstMinJudgments))
	}
	if len(r.ByVendor) > 1 {
		if g, ok := worst(r.ByVendor); ok {
			s.Finding(w.T("rca.find.vendor", keyText(w, g.Key), w.Pct(g.ErrorRate), w.Num(float64(g.Errors), 0), w.Num(float64(g.Judgments), 0), worstMinJudgments))
		}
	}
	if n := len(r.Disputed); n > 0 {
		s.Finding(w.T("rca.find.disputed", n))
	}
}

// worstMinJudgments is the fewest gold judgments a group needs to be
// named the worst: below it an error rate's 95% interval is wider than
// ±18 points (a group of two judgments with one error says little).
const worstMinJudgments = 30

// worst is the group with the highest error rate among those with at
// least worstMinJudgments judgments; the findings say so.
func worst(gs []core.RCAGroup) (core.RCAGroup, bool) {
	best, found := core.RCAGroup{}, false
	for _, g := range gs {
		if g.Errors == 0 || g.Judgments < worstMinJudgments {
			continue
		}
		if !found || g.ErrorRate > best.ErrorRate {
			best, found = g, true
		}
	}
	return best, found
}

// groupTables lays out one breakdown: a table of the groups, then a table
// of each group's confused pairs.
func groupTables(w *Workbook, s *Sheet, name, keyHead string, gs []core.RCAGroup) {
	s.Heading(keyHead)
	gt := s.Table(name,
		Col{Head: keyHead, Kind: KText},
		Col{Head: w.T("col.judgments"), Kind: KInt},
		Col{Head: w.T("rca.col.errors"), Kind: KInt},
		Col{Head: w.T("rca.col.error_rate"), Kind: KPct, Width: 12},
		Col{Head: w.T("rca.col.top_pair"), Kind: KText},
		Col{Head: w.T("rca.col.top_pair_share"), Kind: KPct, Width: 16},
	)
	for _, g := range gs {
		top, share := "", math.NaN()
		if len(g.Pairs) > 0 {
			top, share = pairText(w, g.Pairs[0].Gold, g.Pairs[0].Given), g.Pairs[0].Share
		}
		gt.Row(keyText(w, g.Key), int(g.Judgments), int(g.Errors), g.ErrorRate, top, share)
	}
	gt.HeatMap(3, 3)
	s.Gap()
	pt := s.Table(name+"Pairs",
		Col{Head: keyHead, Kind: KText},
		Col{Head: w.T("col.gold_label"), Kind: KText},
		Col{Head: w.T("col.given_label"), Kind: KText},
		Col{Head: w.T("rca.col.errors"), Kind: KInt},
		Col{Head: w.T("rca.col.group_share"), Kind: KPct, Width: 22},
		Col{Head: w.T("rca.col.group_cumulative"), Kind: KPct, Width: 24},
	)
	for _, g := range gs {
		for _, p := range g.Pairs {
			pt.Row(keyText(w, g.Key), p.Gold, p.Given, int(p.Count), p.Share, p.Cumulative)
		}
	}
	pt.HeatMap(3, 3)
}

// pairText names a confused pair: gold → given.
func pairText(w *Workbook, gold, given string) string { return w.T("rca.pair", gold, given) }

// keyText shows a group key; judgments that name none form the group "".
func keyText(w *Workbook, k string) string {
	if k == "" {
		return w.T("rca.none")
	}
	return k
}

// causeName is a cause in the workbook's language; a cause a batch file
// named outside the fixed list is shown as written.
func causeName(w *Workbook, c string) string {
	if slices.Contains(core.RootCauses(), c) {
		return w.T("rca.cause." + c)
	}
	return c
}

// inSentence lower-cases a name's first letter for the middle of a
// sentence ("Training gap" → "training gap"), unless the name starts with
// an acronym ("SOP ambiguity").
func inSentence(name string) string {
	r := []rune(name)
	if len(r) < 2 || unicode.IsUpper(r[1]) {
		return name
	}
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

// action is what to do about a cause, naming its main section and pair.
func action(w *Workbook, c core.CauseCount, pair string) string {
	if c.Errors == 0 {
		return w.T("rca.action.none")
	}
	key := "rca.action.other"
	if c.Listed {
		key = "rca.action." + c.Cause
	}
	return w.T(key, c.TopSection, pair)
}

func shareOf(n, total int64) float64 {
	if total == 0 {
		return math.NaN()
	}
	return float64(n) / float64(total)
}

// votesText lists an item's judgments per label, most first.
func votesText(w *Workbook, votes map[string]int) string {
	type lv struct {
		l string
		n int
	}
	var v []lv
	for l, n := range votes {
		v = append(v, lv{l, n})
	}
	slices.SortFunc(v, func(a, b lv) int {
		if a.n != b.n {
			return b.n - a.n
		}
		return strings.Compare(a.l, b.l)
	})
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = fmt.Sprintf("%s %s", x.l, w.Num(float64(x.n), 0))
	}
	return strings.Join(parts, ", ")
}

var rcaTexts = map[string]Tr{
	"rca.sheet.pareto":   {"Pareto", "Pareto", "Pareto"},
	"rca.sheet.sop":      {"By SOP", "Per SOP", "Etter SOP"},
	"rca.sheet.vendor":   {"By vendor and market", "Per vendor dan pasar", "Etter leverandør og marked"},
	"rca.sheet.examples": {"Examples", "Contoh", "Eksempler"},
	"rca.sheet.causes":   {"Root causes", "Akar masalah", "Rotårsaker"},
	"rca.sheet.disputed": {"Disputed gold", "Gold yang diperdebatkan", "Omstridt gull"},

	"rca.fig.errors":     {"Errors against gold", "Kesalahan terhadap gold", "Feil mot gull"},
	"rca.fig.error_rate": {"Error rate against gold", "Tingkat kesalahan terhadap gold", "Feilrate mot gull"},
	"rca.fig.top_share":  {"Share of the top confused pair", "Porsi pasangan tertukar teratas", "Andel for det hyppigste forvekslingsparet"},
	"rca.fig.untagged":   {"Errors without a root cause", "Kesalahan tanpa akar masalah", "Feil uten rotårsak"},
	"rca.fig.disputed":   {"Disputed gold items", "Item gold yang diperdebatkan", "Omstridte gullelementer"},

	"rca.pair":         {"%s → %s", "%s → %s", "%s → %s"},
	"rca.none":         {"(none)", "(tidak ada)", "(ingen)"},
	"rca.top.title":    {"The %d most frequent confused pairs", "%d pasangan tertukar terbanyak", "De %d hyppigste forvekslingsparene"},
	"rca.chart.pareto": {"Errors by confused pair (gold → given)", "Kesalahan per pasangan tertukar (gold → diberikan)", "Feil etter forvekslingspar (gull → gitt)"},

	"rca.pareto.title": {"Confused label pairs, most frequent first", "Pasangan label yang tertukar, terbanyak lebih dulu", "Forvekslede etikettpar, de hyppigste først"},
	"rca.pareto.note": {
		"Each error is a judgment on a gold item whose label is not the gold label. Share is of all errors; the cumulative share adds the pairs above. The top cause is the root cause most of the pair's errors carry (from the batch files or from tags).",
		"Setiap kesalahan adalah penilaian pada item gold yang labelnya bukan label gold. Porsi adalah terhadap semua kesalahan; porsi kumulatif menjumlahkan pasangan di atasnya. Penyebab teratas adalah akar masalah yang paling banyak dibawa kesalahan pasangan itu (dari berkas batch atau dari tag).",
		"Hver feil er en vurdering av et gullelement der etiketten ikke er gulletiketten. Andelen er av alle feil; den kumulative andelen legger til parene over. Hovedårsaken er rotårsaken flest av parets feil har (fra batchfilene eller fra merkinger).",
	},
	"rca.sop.title": {"Errors by SOP section and SOP version", "Kesalahan per bagian SOP dan versi SOP", "Feil etter SOP-avsnitt og SOP-versjon"},
	"rca.sop.note": {
		"The SOP section is the gold answer's section in the golden set (the gold label's name where the golden set gives none); the SOP version is the one the judgment was made under. Shares are of the group's errors.",
		"Bagian SOP adalah bagian jawaban gold di golden set (nama label gold bila golden set tidak menyebutkannya); versi SOP adalah versi saat penilaian dibuat. Porsi adalah terhadap kesalahan kelompok itu.",
		"SOP-avsnittet er gullsvarets avsnitt i gullsettet (gulletikettens navn der gullsettet ikke oppgir noe); SOP-versjonen er den vurderingen ble gjort etter. Andelene er av gruppens feil.",
	},
	"rca.vendor.title":     {"Errors by vendor and market", "Kesalahan per vendor dan pasar", "Feil etter leverandør og marked"},
	"rca.examples.title":   {"Examples of the %d most frequent confused pairs", "Contoh dari %d pasangan tertukar terbanyak", "Eksempler på de %d hyppigste forvekslingsparene"},
	"rca.examples.note":    {"Up to five items per pair, one judgment each, as the project lists them.", "Hingga lima item per pasangan, satu penilaian masing-masing, sesuai urutan proyek.", "Opptil fem elementer per par, én vurdering hver, slik prosjektet lister dem."},
	"rca.causes.title":     {"Root causes of the errors, and what to do", "Akar masalah kesalahan, dan tindakannya", "Rotårsaker til feilene, og hva som bør gjøres"},
	"rca.causes.note":      {"An error counts once per cause, whether its batch file named the cause, a tag did, or both; an error with several causes counts for each.", "Satu kesalahan dihitung sekali per penyebab, baik disebut oleh berkas batch, oleh tag, atau keduanya; kesalahan dengan beberapa penyebab dihitung untuk masing-masing.", "En feil telles én gang per årsak, enten batchfilen oppga årsaken, en merking gjorde det, eller begge; en feil med flere årsaker telles for hver."},
	"rca.categories.title": {"Error categories from the batch files", "Kategori kesalahan dari berkas batch", "Feilkategorier fra batchfilene"},
	"rca.disputed.title":   {"Gold items the judgments contradict", "Item gold yang dibantah oleh penilaian", "Gullelementer vurderingene motsier"},
	"rca.disputed.note": {
		"Evidence: Dawid-Skene puts 0.9 or more on another label, or three or more reviewers of high estimated accuracy gave it, or a clear majority of two or more judgments did. These items deserve re-adjudication; the evidence does not overrule gold.",
		"Bukti: Dawid-Skene memberi 0,9 atau lebih pada label lain, atau tiga peninjau atau lebih dengan akurasi perkiraan tinggi memberikannya, atau mayoritas jelas dari dua penilaian atau lebih. Item ini perlu diadjudikasi ulang; bukti tidak membatalkan gold.",
		"Bevis: Dawid-Skene gir 0,9 eller mer til en annen etikett, eller tre eller flere vurderere med høy anslått nøyaktighet ga den, eller et klart flertall av to eller flere vurderinger gjorde det. Disse elementene bør avgjøres på nytt; bevisene overstyrer ikke gullet.",
	},

	"rca.col.rank":                {"Rank", "Peringkat", "Rang"},
	"rca.col.pair":                {"Pair (gold → given)", "Pasangan (gold → diberikan)", "Par (gull → gitt)"},
	"rca.col.errors":              {"Errors", "Kesalahan", "Feil"},
	"rca.col.share":               {"Share of all errors", "Porsi dari semua kesalahan", "Andel av alle feil"},
	"rca.col.cumulative":          {"Cumulative share", "Porsi kumulatif", "Kumulativ andel"},
	"rca.col.group_share":         {"Share of the group's errors", "Porsi dari kesalahan kelompok", "Andel av gruppens feil"},
	"rca.col.group_cumulative":    {"Cumulative share in the group", "Porsi kumulatif dalam kelompok", "Kumulativ andel i gruppen"},
	"rca.col.error_rate":          {"Error rate", "Tingkat kesalahan", "Feilrate"},
	"rca.col.top_pair":            {"Top pair", "Pasangan teratas", "Hyppigste par"},
	"rca.col.top_pair_share":      {"Top pair's share", "Porsi pasangan teratas", "Det hyppigste parets andel"},
	"rca.col.top_cause":           {"Top cause", "Penyebab teratas", "Hovedårsak"},
	"rca.col.top_cause_share":     {"Share with that cause", "Porsi dengan penyebab itu", "Andel med den årsaken"},
	"rca.col.section":             {"SOP section", "Bagian SOP", "SOP-avsnitt"},
	"rca.col.content":             {"Content", "Konten", "Innhold"},
	"rca.col.rationale":           {"Gold rationale", "Alasan gold", "Gullbegrunnelse"},
	"rca.col.comment":             {"Reviewer comment", "Komentar peninjau", "Vurderers kommentar"},
	"rca.col.category":            {"Error category", "Kategori kesalahan", "Feilkategori"},
	"rca.col.causes":              {"Root causes", "Akar masalah", "Rotårsaker"},
	"rca.col.notes":               {"Tag notes", "Catatan tag", "Merknader"},
	"rca.col.cause":               {"Root cause", "Akar masalah", "Rotårsak"},
	"rca.col.from_files":          {"From batch files", "Dari berkas batch", "Fra batchfiler"},
	"rca.col.from_tags":           {"From tags", "Dari tag", "Fra merkinger"},
	"rca.col.top_section":         {"Main SOP section", "Bagian SOP utama", "Viktigste SOP-avsnitt"},
	"rca.col.action":              {"Suggested action", "Tindakan yang disarankan", "Foreslått tiltak"},
	"rca.col.suggested":           {"Label the evidence points to", "Label yang ditunjuk bukti", "Etiketten bevisene peker på"},
	"rca.col.gold_posterior":      {"Posterior (gold)", "Posterior (gold)", "Posterior (gull)"},
	"rca.col.suggested_posterior": {"Posterior (other)", "Posterior (lain)", "Posterior (annen)"},
	"rca.col.evidence":            {"Evidence", "Bukti", "Bevis"},
	"rca.col.votes":               {"Judgments per label", "Penilaian per label", "Vurderinger per etikett"},
	"rca.col.skilled":             {"Skilled reviewers who disagree", "Peninjau terampil yang tidak setuju", "Dyktige vurderere som er uenige"},

	"rca.evidence.posterior": {"Dawid-Skene posterior", "posterior Dawid-Skene", "Dawid-Skene-posterior"},
	"rca.evidence.reviewers": {"skilled reviewers", "peninjau terampil", "dyktige vurderere"},
	"rca.evidence.majority":  {"majority vote", "suara mayoritas", "flertallsstemme"},

	"rca.cause.sop_ambiguity":    {"SOP ambiguity", "SOP ambigu", "Uklar SOP"},
	"rca.cause.training_gap":     {"Training gap", "Kesenjangan pelatihan", "Opplæringsbehov"},
	"rca.cause.tool_or_template": {"Tool or template", "Alat atau templat", "Verktøy eller mal"},
	"rca.cause.wrong_gold":       {"Wrong gold", "Gold salah", "Feil gull"},
	"rca.cause.guideline_change": {"Guideline change", "Perubahan pedoman", "Retningslinjeendring"},
	"rca.cause.carelessness":     {"Carelessness", "Kecerobohan", "Slurv"},
	"rca.cause.other":            {"Other", "Lainnya", "Annet"},
	"rca.untagged":               {"(no root cause yet)", "(belum ada akar masalah)", "(ingen rotårsak ennå)"},

	"rca.action.sop_ambiguity":    {"Clarify SOP section %[1]s with examples of %[2]s.", "Perjelas bagian SOP %[1]s dengan contoh %[2]s.", "Klargjør SOP-avsnitt %[1]s med eksempler på %[2]s."},
	"rca.action.training_gap":     {"Give the reviewers a targeted practice set on %[2]s (SOP section %[1]s).", "Berikan peninjau set latihan terarah tentang %[2]s (bagian SOP %[1]s).", "Gi vurdererne et målrettet øvingssett på %[2]s (SOP-avsnitt %[1]s)."},
	"rca.action.tool_or_template": {"Fix the labeling template or tool where %[2]s is entered (SOP section %[1]s).", "Perbaiki templat atau alat pelabelan tempat %[2]s diisi (bagian SOP %[1]s).", "Rett merkemalen eller verktøyet der %[2]s registreres (SOP-avsnitt %[1]s)."},
	"rca.action.wrong_gold":       {"Re-adjudicate the gold items of %[2]s (see Disputed gold) and publish a new golden-set version.", "Adjudikasi ulang item gold dari %[2]s (lihat Gold yang diperdebatkan) dan terbitkan versi golden set baru.", "Avgjør gullelementene for %[2]s på nytt (se Omstridt gull) og publiser en ny gullsettversjon."},
	"rca.action.guideline_change": {"Brief the reviewers on the change to SOP section %[1]s (errors on %[2]s).", "Beri pengarahan kepada peninjau tentang perubahan bagian SOP %[1]s (kesalahan pada %[2]s).", "Orienter vurdererne om endringen i SOP-avsnitt %[1]s (feil på %[2]s)."},
	"rca.action.carelessness":     {"Coach the reviewers concerned (errors on %[2]s, SOP section %[1]s).", "Bimbing peninjau yang bersangkutan (kesalahan pada %[2]s, bagian SOP %[1]s).", "Veiled de berørte vurdererne (feil på %[2]s, SOP-avsnitt %[1]s)."},
	"rca.action.other":            {"Review the errors of %[2]s (SOP section %[1]s) and tag their cause.", "Tinjau kesalahan %[2]s (bagian SOP %[1]s) dan tandai penyebabnya.", "Gå gjennom feilene for %[2]s (SOP-avsnitt %[1]s) og merk årsaken."},
	"rca.action.none":             {"No error is attributed to this cause.", "Tidak ada kesalahan yang dikaitkan dengan penyebab ini.", "Ingen feil er tilskrevet denne årsaken."},
	"rca.action.untagged":         {"Tag the cause of these errors (labelqa rca tag), starting with the top pairs.", "Tandai penyebab kesalahan ini (labelqa rca tag), mulai dari pasangan teratas.", "Merk årsaken til disse feilene (labelqa rca tag), og begynn med de hyppigste parene."},

	"rca.find.nogold":        {"The project has no golden set, so no error against gold can be counted: import one with labelqa gold.", "Proyek tidak memiliki golden set, jadi tidak ada kesalahan terhadap gold yang dapat dihitung: impor dengan labelqa gold.", "Prosjektet har ikke noe gullsett, så ingen feil mot gull kan telles: importer et med labelqa gold."},
	"rca.find.noerrors":      {"All %s judgments on gold items match the gold label.", "Semua %s penilaian pada item gold sesuai dengan label gold.", "Alle %s vurderinger av gullelementer stemmer med gulletiketten."},
	"rca.find.pair":          {"%s is %s of all errors; %s of them are attributed to %s.", "%s adalah %s dari semua kesalahan; %s di antaranya dikaitkan dengan %s.", "%s er %s av alle feil; %s av dem tilskrives %s."},
	"rca.find.pair.untagged": {"%s is %s of all errors (n = %s); none has a root cause yet.", "%s adalah %s dari semua kesalahan (n = %s); belum ada yang memiliki akar masalah.", "%s er %s av alle feil (n = %s); ingen har rotårsak ennå."},
	"rca.find.pareto":        {"%d of %d confused pairs make %s of the errors: fixing them fixes most.", "%d dari %d pasangan tertukar membentuk %s kesalahan: memperbaikinya memperbaiki sebagian besar.", "%d av %d forvekslingspar utgjør %s av feilene: å rette dem retter de fleste."},
	"rca.find.section":       {"SOP section %s has the highest error rate: %s (%s errors in %s judgments; of the sections with at least %d gold judgments).", "Bagian SOP %s memiliki tingkat kesalahan tertinggi: %s (%s kesalahan dalam %s penilaian; di antara bagian dengan sedikitnya %d penilaian gold).", "SOP-avsnitt %s har høyest feilrate: %s (%s feil i %s vurderinger; blant avsnitt med minst %d gullvurderinger)."},
	"rca.find.vendor":        {"%s has the highest error rate of the vendors: %s (%s errors in %s judgments; of the vendors with at least %d gold judgments).", "%s memiliki tingkat kesalahan tertinggi di antara vendor: %s (%s kesalahan dalam %s penilaian; di antara vendor dengan sedikitnya %d penilaian gold).", "%s har høyest feilrate av leverandørene: %s (%s feil i %s vurderinger; blant leverandører med minst %d gullvurderinger)."},
	"rca.find.disputed":      {"Gold items the judgments contradict: %d; re-adjudicate them (sheet Disputed gold).", "Item gold yang dibantah oleh penilaian: %d; adjudikasi ulang (lembar Gold yang diperdebatkan).", "Gullelementer vurderingene motsier: %d; avgjør dem på nytt (arket Omstridt gull)."},
}

var rcaDefinitions = map[string]Definition{
	"rca.errors": {
		Name:      Tr{"Errors against gold", "Kesalahan terhadap gold", "Feil mot gull"},
		Plain:     Tr{"Judgments on gold items whose label is not the gold label: the off-diagonal cells of the confusion matrix.", "Penilaian pada item gold yang labelnya bukan label gold: sel di luar diagonal matriks konfusi.", "Vurderinger av gullelementer der etiketten ikke er gulletiketten: cellene utenfor diagonalen i forvekslingsmatrisen."},
		Formula:   Tr{"errors = Σ_{g≠k} C[g][k], C the confusion matrix (rows gold, columns given; every judgment pooled, first label)", "kesalahan = Σ_{g≠k} C[g][k], C matriks konfusi (baris gold, kolom diberikan; semua penilaian digabung, label pertama)", "feil = Σ_{g≠k} C[g][k], C forvekslingsmatrisen (rader gull, kolonner gitt; alle vurderinger samlet, første etikett)"},
		Reference: Tr{"scikit-learn confusion_matrix; docs/METRICS.md", "scikit-learn confusion_matrix; docs/METRICS.md", "scikit-learn confusion_matrix; docs/METRICS.md"},
	},
	"rca.error_rate": {
		Name:      Tr{"Error rate against gold", "Tingkat kesalahan terhadap gold", "Feilrate mot gull"},
		Plain:     Tr{"The share of judgments on gold items that are errors; rated by the gold accuracy target.", "Porsi penilaian pada item gold yang salah; dinilai dengan target akurasi gold.", "Andelen vurderinger av gullelementer som er feil; vurdert mot målet for gullnøyaktighet."},
		Formula:   Tr{"error rate = errors / judgments on gold items = 1 − gold accuracy (Wilson 95% interval)", "tingkat kesalahan = kesalahan / penilaian pada item gold = 1 − akurasi gold (interval Wilson 95%)", "feilrate = feil / vurderinger av gullelementer = 1 − gullnøyaktighet (Wilson 95 %-intervall)"},
		Reference: Tr{"E. B. Wilson 1927, JASA 22:209–212; docs/METRICS.md", "E. B. Wilson 1927, JASA 22:209–212; docs/METRICS.md", "E. B. Wilson 1927, JASA 22:209–212; docs/METRICS.md"},
	},
	"rca.share": {
		Name:      Tr{"Share of errors", "Porsi kesalahan", "Andel av feil"},
		Plain:     Tr{"How much of all errors (or of a group's errors) one confused pair makes.", "Seberapa besar bagian dari semua kesalahan (atau kesalahan kelompok) yang dibentuk satu pasangan tertukar.", "Hvor mye av alle feil (eller av en gruppes feil) ett forvekslingspar utgjør."},
		Formula:   Tr{"share(g → k) = C[g][k] / errors", "porsi(g → k) = C[g][k] / kesalahan", "andel(g → k) = C[g][k] / feil"},
		Reference: Tr{"Juran & Godfrey, Juran's Quality Handbook, 5th ed. (1999), Pareto analysis", "Juran & Godfrey, Juran's Quality Handbook, edisi ke-5 (1999), analisis Pareto", "Juran & Godfrey, Juran's Quality Handbook, 5. utg. (1999), Pareto-analyse"},
	},
	"rca.cumulative": {
		Name:      Tr{"Cumulative share", "Porsi kumulatif", "Kumulativ andel"},
		Plain:     Tr{"The share of errors made by this pair and every more frequent pair: where the line passes 80%, the pairs to its left are the vital few.", "Porsi kesalahan dari pasangan ini dan semua pasangan yang lebih sering: saat garis melewati 80%, pasangan di kirinya adalah yang paling penting.", "Andelen feil dette paret og alle hyppigere par utgjør: der linjen passerer 80 %, er parene til venstre de få viktige."},
		Formula:   Tr{"cumulative(i) = Σ_{j≤i} share(j), pairs by count, most first (ties in label order)", "kumulatif(i) = Σ_{j≤i} porsi(j), pasangan menurut jumlah, terbanyak lebih dulu (seri menurut urutan label)", "kumulativ(i) = Σ_{j≤i} andel(j), par etter antall, flest først (likhet i etikettrekkefølge)"},
		Reference: Tr{"Juran & Godfrey, Juran's Quality Handbook, 5th ed. (1999), Pareto analysis", "Juran & Godfrey, Juran's Quality Handbook, edisi ke-5 (1999), analisis Pareto", "Juran & Godfrey, Juran's Quality Handbook, 5. utg. (1999), Pareto-analyse"},
	},
	"rca.sop_section": {
		Name:      Tr{"SOP section", "Bagian SOP", "SOP-avsnitt"},
		Plain:     Tr{"The guideline section of the gold answer's policy class, as the golden set gives it (the gold label's name where it gives none).", "Bagian pedoman dari kelas kebijakan jawaban gold, sesuai golden set (nama label gold bila tidak disebutkan).", "Retningslinjeavsnittet for gullsvarets policyklasse, slik gullsettet oppgir det (gulletikettens navn der det ikke oppgir noe)."},
		Formula:   Tr{"section(item) = sop_section of the item's answer in the newest golden-set version holding it", "bagian(item) = sop_section jawaban item di versi golden set terbaru yang memuatnya", "avsnitt(element) = sop_section for elementets svar i den nyeste gullsettversjonen som har det"},
		Reference: Tr{"docs/FORMATS.md (golden-set files)", "docs/FORMATS.md (berkas golden set)", "docs/FORMATS.md (gullsettfiler)"},
	},
	"rca.root_cause": {
		Name:      Tr{"Root cause", "Akar masalah", "Rotårsak"},
		Plain:     Tr{"Why an error was made, from the batch file's root_cause column or from a tag (labelqa rca tag) of the judgment or of its item.", "Mengapa kesalahan dibuat, dari kolom root_cause berkas batch atau dari tag (labelqa rca tag) penilaian atau itemnya.", "Hvorfor en feil ble gjort, fra batchfilens root_cause-kolonne eller fra en merking (labelqa rca tag) av vurderingen eller elementet."},
		Formula:   Tr{"errors(c) = #{errors whose file or tags name c}; an error with several causes counts for each", "kesalahan(c) = #{kesalahan yang berkas atau tag-nya menyebut c}; kesalahan dengan beberapa penyebab dihitung untuk masing-masing", "feil(c) = #{feil der filen eller merkingene oppgir c}; en feil med flere årsaker telles for hver"},
		Reference: Tr{"docs/CLI.md (labelqa rca)", "docs/CLI.md (labelqa rca)", "docs/CLI.md (labelqa rca)"},
	},
	"rca.disputed": {
		Name:      Tr{"Disputed gold", "Gold yang diperdebatkan", "Omstridt gull"},
		Plain:     Tr{"Gold items whose judgments point to another label: worth a second look, not overruled.", "Item gold yang penilaiannya menunjuk ke label lain: layak ditinjau ulang, bukan dibatalkan.", "Gullelementer der vurderingene peker på en annen etikett: verdt en ny titt, ikke overstyrt."},
		Formula:   Tr{"P_DS(other | judgments) ≥ 0.9, or ≥ 3 reviewers with DS accuracy ≥ 0.85 gave it, or a clear majority (no tie, ≥ 2 judgments) gave it", "P_DS(lain | penilaian) ≥ 0,9, atau ≥ 3 peninjau dengan akurasi DS ≥ 0,85 memberikannya, atau mayoritas jelas (tanpa seri, ≥ 2 penilaian) memberikannya", "P_DS(annen | vurderinger) ≥ 0,9, eller ≥ 3 vurderere med DS-nøyaktighet ≥ 0,85 ga den, eller et klart flertall (ingen likhet, ≥ 2 vurderinger) ga den"},
		Reference: Tr{"Dawid & Skene 1979, Applied Statistics 28:20–28; LabelQA's review heuristic (docs/METRICS.md)", "Dawid & Skene 1979, Applied Statistics 28:20–28; heuristik tinjauan LabelQA (docs/METRICS.md)", "Dawid & Skene 1979, Applied Statistics 28:20–28; LabelQAs gjennomgangsheuristikk (docs/METRICS.md)"},
	},
}
