package report

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"time"

	"labelqa/app/core"
	"labelqa/app/metrics"
	"labelqa/app/targets"
)

// The vendor workbook (kind "vendor", --vendor V): V's scorecards by
// reviewer, queue and week, its trend, the confusion of its judgments
// against gold, and examples of its errors, for V's lead. Nothing in it
// names or measures another vendor: it is written from the analysis of V's
// judgments only (the builder refuses any other), its sources are V's
// batches and the golden-set versions with answers V may see, and input
// text has other vendors' names and reviewer ids redacted. Golden answers
// are shown only for practice-queue gold; an error on a gold item still in
// use shows neither the item nor its answer.

// maxVendorErrors is how many errors the Errors sheet lists.
const maxVendorErrors = 500

func init() {
	Register("vendor", buildVendor)
	Texts(map[string]Tr{
		"vendor.sheet.reviewers": {"Reviewers", "Peninjau", "Vurderere"},
		"vendor.sheet.queues":    {"Queues", "Antrean", "Køer"},
		"vendor.sheet.weeks":     {"Weeks", "Minggu", "Uker"},
		"vendor.sheet.confusion": {"Confusion", "Kebingungan", "Forvekslinger"},
		"vendor.sheet.errors":    {"Errors", "Kesalahan", "Feil"},

		"vendor.title.reviewers": {"Scorecards by reviewer", "Kartu skor per peninjau", "Resultatkort per vurderer"},
		"vendor.title.queues":    {"Scorecards by queue", "Kartu skor per antrean", "Resultatkort per kø"},
		"vendor.title.weeks":     {"Scorecards by ISO week", "Kartu skor per minggu ISO", "Resultatkort per ISO-uke"},
		"vendor.title.confusion": {"Judgments against gold: rows are the gold label, columns the label given", "Penilaian terhadap gold: baris adalah label gold, kolom label yang diberikan", "Vurderinger mot gull: radene er gulletiketten, kolonnene etiketten som ble gitt"},
		"vendor.title.perlabel":  {"Per label against gold", "Per label terhadap gold", "Per etikett mot gull"},
		"vendor.title.errors":    {"Errors against gold", "Kesalahan terhadap gold", "Feil mot gull"},

		"vendor.note.rag":       {"Status: gold accuracy against the target that applies to this vendor (and queue).", "Status: akurasi gold terhadap target yang berlaku untuk vendor ini (dan antrean).", "Status: gull-nøyaktighet mot målet som gjelder for denne leverandøren (og køen)."},
		"vendor.note.weeks":     {"Weeks are ISO weeks (Monday to Sunday, UTC) of submission.", "Minggu adalah minggu ISO (Senin sampai Minggu, UTC) pengiriman.", "Uker er ISO-uker (mandag til søndag, UTC) for innsending."},
		"vendor.note.confusion": {"Every gold judgment of this vendor counts, including gold items still in use; the diagonal is the correct ones.", "Setiap penilaian gold vendor ini dihitung, termasuk item gold yang masih dipakai; diagonal adalah yang benar.", "Hver gullvurdering fra denne leverandøren teller, også gullelementer som fortsatt er i bruk; diagonalen er de riktige."},
		"vendor.note.errors":    {"Errors on practice-queue gold show the item, its gold answer and rationale. Errors on gold items still in use (live, exams, QA) are only counted (in the Summary), never listed: those items must stay unknown.", "Kesalahan pada gold antrean latihan menampilkan item, jawaban gold, dan alasannya. Kesalahan pada item gold yang masih dipakai (live, ujian, QA) hanya dihitung (di Ringkasan), tidak pernah ditampilkan: item tersebut harus tetap tidak diketahui.", "Feil på gull i øvingskøen viser elementet, gullsvaret og begrunnelsen. Feil på gullelementer som fortsatt er i bruk (live, prøver, QA) telles bare (i Sammendrag), de listes aldri: de elementene må forbli ukjente."},
		"vendor.note.errorscut": {"The %s newest errors are listed, of %s.", "%s kesalahan terbaru ditampilkan, dari %s.", "De %s nyeste feilene er listet, av %s."},

		"vendor.col.gold_n":     {"Gold judgments", "Penilaian gold", "Gullvurderinger"},
		"vendor.col.gold_acc":   {"Gold accuracy", "Akurasi gold", "Gull-nøyaktighet"},
		"vendor.col.over":       {"Over-enforcement", "Penegakan berlebih", "Overhåndheving"},
		"vendor.col.under":      {"Under-enforcement", "Penegakan kurang", "Underhåndheving"},
		"vendor.col.agree":      {"Agreement with majority", "Kesepakatan dengan mayoritas", "Enighet med flertallet"},
		"vendor.col.ds":         {"Dawid-Skene accuracy", "Akurasi Dawid-Skene", "Dawid-Skene-nøyaktighet"},
		"vendor.col.median":     {"Median seconds", "Median detik", "Median sekunder"},
		"vendor.col.p90":        {"p90 seconds", "Detik p90", "p90 sekunder"},
		"vendor.col.uph":        {"Units per hour", "Unit per jam", "Enheter per time"},
		"vendor.col.overturn":   {"2RQA overturn rate", "Tingkat overturn 2RQA", "2RQA-omgjøringsrate"},
		"vendor.col.overturn_n": {"2RQA checked", "Diperiksa 2RQA", "Kontrollert i 2RQA"},
		"vendor.col.gold_given": {"Gold \\ given", "Gold \\ diberikan", "Gull \\ gitt"},
		"vendor.col.total":      {"Total", "Total", "Totalt"},
		"vendor.col.precision":  {"Precision", "Presisi", "Presisjon"},
		"vendor.col.recall":     {"Recall", "Recall", "Treffsikkerhet"},
		"vendor.col.f1":         {"F1", "F1", "F1"},
		"vendor.col.support":    {"Gold answers", "Jawaban gold", "Gullsvar"},
		"vendor.col.content":    {"Content", "Konten", "Innhold"},
		"vendor.col.rationale":  {"Gold rationale", "Alasan gold", "Gullbegrunnelse"},
		"vendor.col.section":    {"SOP section", "Bagian SOP", "SOP-avsnitt"},
		"vendor.col.comment":    {"Reviewer comment", "Komentar peninjau", "Vurdererens kommentar"},
		"vendor.col.submitted":  {"Submitted", "Dikirim", "Sendt inn"},

		"vendor.fig.gold":     {"Gold accuracy", "Akurasi gold", "Gull-nøyaktighet"},
		"vendor.fig.audit":    {"Audit accuracy", "Akurasi audit", "Revisjonsnøyaktighet"},
		"vendor.fig.over":     {"Over-enforcement", "Penegakan berlebih", "Overhåndheving"},
		"vendor.fig.under":    {"Under-enforcement", "Penegakan kurang", "Underhåndheving"},
		"vendor.fig.overturn": {"2RQA overturn rate", "Tingkat overturn 2RQA", "2RQA-omgjøringsrate"},
		"vendor.fig.fleiss":   {"Fleiss' kappa", "Kappa Fleiss", "Fleiss' kappa"},
		"vendor.fig.ac1":      {"Gwet's AC1", "AC1 Gwet", "Gwets AC1"},
		"vendor.fig.aht":      {"Median handling time (s)", "Median waktu penanganan (detik)", "Median behandlingstid (s)"},
		"vendor.fig.uph":      {"Units per hour", "Unit per jam", "Enheter per time"},

		"vendor.chart.trend": {"Gold accuracy and agreement by week", "Akurasi gold dan kesepakatan per minggu", "Gull-nøyaktighet og enighet per uke"},

		"vendor.find.gold":       {"Gold accuracy of %s was %s (95%% CI %s–%s) on %s gold judgments.", "Akurasi gold %s adalah %s (IK 95%% %s–%s) pada %s penilaian gold.", "Gull-nøyaktigheten til %s var %s (95 %% KI %s–%s) på %s gullvurderinger."},
		"vendor.find.target":     {"Against its target of %s it is %s.", "Terhadap targetnya %s, statusnya %s.", "Mot målet på %s er den %s."},
		"vendor.find.weeks":      {"The weakest week was %s at %s (%s gold judgments); the strongest %s at %s.", "Minggu terlemah adalah %s dengan %s (%s penilaian gold); terkuat %s dengan %s.", "Den svakeste uken var %s med %s (%s gullvurderinger); den sterkeste %s med %s."},
		"vendor.find.confusion":  {"The most frequent error was gold %s given as %s: %s times, %s of all errors against gold.", "Kesalahan paling sering adalah gold %s diberi %s: %s kali, %s dari semua kesalahan terhadap gold.", "Den hyppigste feilen var gull %s gitt som %s: %s ganger, %s av alle feil mot gull."},
		"vendor.find.reviewer":   {"Reviewer %s has the lowest gold accuracy: %s (95%% CI %s–%s) on %s gold judgments.", "Peninjau %s memiliki akurasi gold terendah: %s (IK 95%% %s–%s) pada %s penilaian gold.", "Vurderer %s har lavest gull-nøyaktighet: %s (95 %% KI %s–%s) på %s gullvurderinger."},
		"vendor.find.errors":     {"%s errors against gold: %s on practice items are listed with their answers on the Errors sheet; %s on gold items still in use are counted without naming the items.", "%s kesalahan terhadap gold: %s pada item latihan ditampilkan beserta jawabannya di lembar Kesalahan; %s pada item gold yang masih dipakai dihitung tanpa menyebut itemnya.", "%s feil mot gull: %s på øvingselementer er listet med svar på arket Feil; %s på gullelementer som fortsatt er i bruk er telt uten å nevne elementene."},
		"vendor.find.none":       {"No judgment of %s is in this selection: widen the period or the filters.", "Tidak ada penilaian %s dalam pilihan ini: perluas periode atau filternya.", "Ingen vurdering fra %s er i dette utvalget: utvid perioden eller filtrene."},
		"vendor.find.nogold":     {"None of %s's judgments is on a gold item, so no accuracy against gold can be given.", "Tidak ada penilaian %s pada item gold, jadi akurasi terhadap gold tidak dapat diberikan.", "Ingen av vurderingene til %s er på et gullelement, så ingen nøyaktighet mot gull kan gis."},
		"vendor.err.novendor":    {"the vendor workbook is about one vendor: choose which", "buku kerja vendor adalah tentang satu vendor: pilih yang mana", "leverandørarbeidsboken gjelder én leverandør: velg hvilken"},
		"vendor.err.otherjudged": {"the vendor workbook of %s must be written from the analysis of that vendor's judgments only (the analysis given holds judgments of other vendors); analyse with the vendor filter set to %s", "buku kerja vendor %s harus ditulis dari analisis penilaian vendor itu saja (analisis yang diberikan memuat penilaian vendor lain); analisis dengan filter vendor %s", "leverandørarbeidsboken for %s må skrives fra analysen av bare den leverandørens vurderinger (analysen som ble gitt har vurderinger fra andre leverandører); analyser med leverandørfilteret satt til %s"},
	})
}

// ErrVendorScope is the error of a vendor workbook asked without a vendor,
// or from an analysis holding other vendors' judgments.
var ErrVendorScope = errors.New("the vendor workbook needs the analysis of one vendor")

// vendorOf is the vendor the workbook is about: --vendor, else the
// project's or the query's scope.
func vendorOf(in *Input) string {
	if in.Vendor != "" {
		return in.Vendor
	}
	if in.Project != nil {
		if v, ok := in.Project.Scope(); ok {
			return v
		}
	}
	if v, ok := in.Query.Scope(); ok {
		return v
	}
	return in.Query.Vendor
}

func buildVendor(ctx context.Context, w *Workbook, in *Input) error {
	v := vendorOf(in)
	if v == "" {
		return fmt.Errorf("%w: %s", ErrVendorScope, w.T("vendor.err.novendor"))
	}
	in.Vendor = v
	d := in.Analysis.Data
	if d == nil {
		return errors.New("report: the vendor workbook needs the analysis's judgments")
	}
	// Every figure must be of V's judgments alone: no other reviewer may be
	// in the analysis (their votes would be in the majority, Dawid-Skene
	// and agreement figures).
	for _, a := range d.Annotators {
		if a.Vendor != v {
			return fmt.Errorf("%w: %s", ErrVendorScope, w.T("vendor.err.otherjudged", quoteText(v), quoteText(v)))
		}
	}
	// Names the vendor's own judgments carry (queues, SOP versions) can
	// still name another vendor ("bravo-sons-overflow"): redacted as the
	// export redacts them.
	redact := func(s string) string { return s }
	if in.Project != nil {
		var err error
		if in.Batches, err = in.Project.VendorBatches(ctx, v); err != nil {
			return err
		}
		if in.Batches == nil {
			in.Batches = []core.Batch{}
		}
		if in.GoldVersions, err = in.Project.VendorGoldVersions(ctx, v); err != nil {
			return err
		}
		if in.GoldVersions == nil {
			in.GoldVersions = []core.GoldVersion{}
		}
		f, err := in.Project.ForbiddenFor(ctx, v)
		if err != nil {
			return err
		}
		rd := f.Redactor()
		redact = func(s string) string { t, _ := rd.Text(s); return t }
		// A project whose file name names another vendor is called
		// "project": what redaction leaves of a name can still tell part of it.
		if _, redacted := f.Redactor().Text(filepath.Base(in.Project.Path())); redacted {
			in.ProjectName = "project" + filepath.Ext(in.Project.Path())
		} else {
			in.ProjectName = filepath.Base(in.Project.Path())
		}
	}
	rate := func(metric, queue string, value float64) (targets.Status, float64) {
		st, t := in.Targets.Rate(metric, v, queue, "", value)
		if st == targets.None {
			return st, math.NaN()
		}
		return st, t.Target
	}

	rep := in.Analysis.Report()
	vc, err := in.Analysis.Scorecards(metrics.ByVendor)
	if err != nil {
		return err
	}
	var card *metrics.Card
	for i := range vc.Cards {
		if vc.Cards[i].Key == v {
			card = &vc.Cards[i]
		}
	}
	sum := w.Summary()
	interval := func(key, label string, iv metrics.Interval) {
		st, tg := rate(key, "", float64(iv.Value))
		sum.Figure(Figure{Key: key, Label: label, Kind: KPct, Value: float64(iv.Value), Low: float64(iv.CILow),
			High: float64(iv.CIHigh), Target: tg, Status: st, N: int(iv.N)})
	}
	plain := func(key, label string, k Kind, value float64, n int) {
		st, tg := rate(key, "", value)
		sum.Figure(Figure{Key: key, Label: label, Kind: k, Value: value, Low: math.NaN(), High: math.NaN(), Target: tg, Status: st, N: n})
	}
	coef := func(key, label string, c *metrics.Coef, n int) {
		if c == nil || !c.Value.OK() {
			return // not computable here: "n/a" says nothing a manager can use
		}
		st, tg := rate(key, "", float64(c.Value))
		sum.Figure(Figure{Key: key, Label: label, Kind: KDec3, Value: float64(c.Value), Low: float64(c.CILow),
			High: float64(c.CIHigh), Target: tg, Status: st, N: n})
	}
	w.Define("volume")
	if rep.Gold != nil && rep.Gold.Annotations > 0 {
		interval("gold_accuracy", w.T("vendor.fig.gold"), rep.Gold.Accuracy)
		interval("over_enforcement", w.T("vendor.fig.over"), rep.Gold.OverEnforcement)
		interval("under_enforcement", w.T("vendor.fig.under"), rep.Gold.UnderEnforcement)
		w.Define("gold_accuracy", "over_enforcement", "under_enforcement")
	}
	if len(in.Audits) > 0 {
		// Audit accuracy with its exact Clopper-Pearson interval, as the KPI
		// workbook reads it (metrics.KPI; its Overall row is every judgment
		// of this analysis: the vendor's).
		interval("audit_accuracy", w.T("vendor.fig.audit"), in.Analysis.KPI(in.Audits).Overall.AuditAccuracy)
		w.Define("audit_accuracy")
	}
	if card != nil {
		if card.Overturn.N > 0 {
			interval("overturn_rate", w.T("vendor.fig.overturn"), card.Overturn)
			w.Define("overturn_rate")
		}
		plain("aht_median_s", w.T("vendor.fig.aht"), KSeconds, float64(card.MedianDuration), 0)
		plain("units_per_hour", w.T("vendor.fig.uph"), KDec2, float64(card.UnitsPerHour), 0)
		w.Define("aht_median_s", "units_per_hour")
	}
	if ag := rep.Agreement; ag != nil {
		coef("fleiss_kappa", w.T("vendor.fig.fleiss"), ag.FleissKappa, ag.ItemsUsed)
		coef("gwet_ac1", w.T("vendor.fig.ac1"), ag.GwetAC1, ag.ItemsUsed)
		w.Define("fleiss_kappa", "gwet_ac1")
	}
	w.Define("agreement_with_majority", "ds_accuracy")

	// Findings, in the order a lead reads them.
	if rep.Gold != nil && rep.Gold.Annotations > 0 {
		acc := rep.Gold.Accuracy
		s := w.T("vendor.find.gold", v, w.Pct(float64(acc.Value)), w.Pct(float64(acc.CILow)), w.Pct(float64(acc.CIHigh)), w.Num(float64(rep.Gold.Annotations), 0))
		if st, tg := rate("gold_accuracy", "", float64(acc.Value)); st != targets.None {
			s += " " + w.T("vendor.find.target", w.Pct(tg), w.T("status."+st.String()))
		}
		sum.Finding(s)
	} else if d.Len() == 0 {
		sum.Finding(w.T("vendor.find.none", v))
	} else {
		sum.Finding(w.T("vendor.find.nogold", v))
	}

	// Reviewers, queues, weeks.
	scoreSheet := func(by metrics.By, sheetKey, titleKey, table string, keyCol Col, byQueue bool) (*Table, []metrics.Card, error) {
		sc, err := in.Analysis.Scorecards(by)
		if err != nil {
			return nil, nil, err
		}
		s := w.Sheet(w.T(sheetKey))
		s.Title(w.T(titleKey))
		s.Note(w.T("vendor.note.rag"))
		if by == metrics.ByWeek {
			s.Note(w.T("vendor.note.weeks"))
		}
		t := s.Table(table, keyCol,
			Col{Head: w.T("col.judgments"), Kind: KInt}, Col{Head: w.T("vendor.col.gold_n"), Kind: KInt},
			Col{Head: w.T("vendor.col.gold_acc"), Kind: KPct}, Col{Head: w.T("col.low"), Kind: KPct}, Col{Head: w.T("col.high"), Kind: KPct},
			Col{Head: w.T("col.target"), Kind: KPct}, Col{Head: w.T("col.status"), Kind: KStatus},
			Col{Head: w.T("vendor.col.over"), Kind: KPct, Width: 14}, Col{Head: w.T("vendor.col.under"), Kind: KPct, Width: 14},
			Col{Head: w.T("vendor.col.agree"), Kind: KPct, Width: 14}, Col{Head: w.T("vendor.col.ds"), Kind: KPct, Width: 14},
			Col{Head: w.T("vendor.col.median"), Kind: KSeconds}, Col{Head: w.T("vendor.col.p90"), Kind: KSeconds},
			Col{Head: w.T("vendor.col.uph"), Kind: KDec2},
			Col{Head: w.T("vendor.col.overturn"), Kind: KPct, Width: 14}, Col{Head: w.T("vendor.col.overturn_n"), Kind: KInt})
		for _, c := range sc.Cards {
			queue := ""
			if byQueue {
				queue = c.Key
			}
			st, tg := rate("gold_accuracy", queue, float64(c.GoldAccuracy.Value))
			t.Row(redact(c.Key), c.Annotations, c.GoldAnnotations,
				float64(c.GoldAccuracy.Value), float64(c.GoldAccuracy.CILow), float64(c.GoldAccuracy.CIHigh), tg, st,
				float64(c.OverEnforcement.Value), float64(c.UnderEnforcement.Value),
				float64(c.AgreementWithMajority), float64(c.DSAccuracy),
				float64(c.MedianDuration), float64(c.P90Duration), float64(c.UnitsPerHour),
				float64(c.Overturn.Value), int(c.Overturn.N))
		}
		t.ColorBy(3, 7)
		return t, sc.Cards, nil
	}
	_, reviewers, err := scoreSheet(metrics.ByReviewer, "vendor.sheet.reviewers", "vendor.title.reviewers", "Reviewers", Col{Head: w.T("col.reviewer")}, false)
	if err != nil {
		return err
	}
	if _, _, err := scoreSheet(metrics.ByQueue, "vendor.sheet.queues", "vendor.title.queues", "Queues", Col{Head: w.T("col.queue")}, true); err != nil {
		return err
	}
	weeksT, weeks, err := scoreSheet(metrics.ByWeek, "vendor.sheet.weeks", "vendor.title.weeks", "Weeks", Col{Head: w.T("col.week"), Kind: KWeek}, false)
	if err != nil {
		return err
	}
	trend := Chart{Kind: Line, Title: w.T("vendor.chart.trend"), Table: weeksT, Cat: 0, Series: []int{3, 10}, Percent: true}
	weeksT.sheet.Chart(trend)
	sum.Chart(trend)

	// Weakest and strongest week, with gold judgments.
	lo, hi := -1, -1
	for i, c := range weeks {
		if c.GoldAnnotations == 0 || !c.GoldAccuracy.Value.OK() {
			continue
		}
		if lo < 0 || c.GoldAccuracy.Value < weeks[lo].GoldAccuracy.Value {
			lo = i
		}
		if hi < 0 || c.GoldAccuracy.Value > weeks[hi].GoldAccuracy.Value {
			hi = i
		}
	}
	if lo >= 0 && hi >= 0 && lo != hi {
		sum.Finding(w.T("vendor.find.weeks", weeks[lo].Key, w.Pct(float64(weeks[lo].GoldAccuracy.Value)),
			w.Num(float64(weeks[lo].GoldAnnotations), 0), weeks[hi].Key, w.Pct(float64(weeks[hi].GoldAccuracy.Value))))
	}

	// Confusion against gold, and per-label scores.
	if rep.Gold != nil && len(rep.Gold.Confusion.Labels) > 0 {
		cf := rep.Gold.Confusion
		s := w.Sheet(w.T("vendor.sheet.confusion"))
		s.Title(w.T("vendor.title.confusion"))
		s.Note(w.T("vendor.note.confusion"))
		cols := []Col{{Head: w.T("vendor.col.gold_given")}}
		for _, l := range cf.Labels {
			cols = append(cols, Col{Head: l, Kind: KInt})
		}
		cols = append(cols, Col{Head: w.T("vendor.col.total"), Kind: KInt})
		t := s.Table("Confusion", cols...)
		var errs, top int64
		topG, topP := -1, -1
		for g, row := range cf.Matrix {
			vals := []any{cf.Labels[g]}
			var total int64
			for p, n := range row {
				vals = append(vals, n)
				total += n
				if p != g {
					errs += n
					if n > top {
						top, topG, topP = n, g, p
					}
				}
			}
			vals = append(vals, total)
			t.Row(vals...)
		}
		t.HeatMapErrors(1, len(cf.Labels)) // the errors shaded among themselves, the diagonal green
		if topG >= 0 && errs > 0 {
			sum.Finding(w.T("vendor.find.confusion", quoteText(cf.Labels[topG]), quoteText(cf.Labels[topP]),
				w.Num(float64(top), 0), w.Pct(float64(top)/float64(errs))))
		}
		s.Gap()
		s.Heading(w.T("vendor.title.perlabel"))
		pl := s.Table("Per_label", Col{Head: w.T("col.label")}, Col{Head: w.T("vendor.col.precision"), Kind: KPct},
			Col{Head: w.T("vendor.col.recall"), Kind: KPct}, Col{Head: w.T("vendor.col.f1"), Kind: KPct},
			Col{Head: w.T("vendor.col.support"), Kind: KInt})
		for _, l := range cf.Labels {
			if sc, ok := rep.Gold.PerLabel[l]; ok {
				pl.Row(l, float64(sc.Precision), float64(sc.Recall), float64(sc.F1), int(sc.Support))
			}
		}
	}

	// The weakest reviewer: lowest upper bound, as "labelqa metrics" ranks.
	weak := -1
	for i, c := range reviewers {
		if c.GoldAnnotations < 10 || !c.GoldAccuracy.CIHigh.OK() {
			continue
		}
		if weak < 0 || c.GoldAccuracy.CIHigh < reviewers[weak].GoldAccuracy.CIHigh {
			weak = i
		}
	}
	if weak >= 0 {
		c := reviewers[weak]
		sum.Finding(w.T("vendor.find.reviewer", c.Key, w.Pct(float64(c.GoldAccuracy.Value)), w.Pct(float64(c.GoldAccuracy.CILow)),
			w.Pct(float64(c.GoldAccuracy.CIHigh)), w.Num(float64(c.GoldAnnotations), 0)))
	}

	// Examples of errors.
	if in.Project != nil {
		errs, visible, total, err := in.Project.VendorErrors(ctx, v, in.Query, maxVendorErrors)
		if err != nil {
			return err
		}
		s := w.Sheet(w.T("vendor.sheet.errors"))
		s.Title(w.T("vendor.title.errors"))
		s.Note(w.T("vendor.note.errors"))
		if total > len(errs) {
			s.Note(w.T("vendor.note.errorscut", w.Num(float64(len(errs)), 0), w.Num(float64(total), 0)))
		}
		t := s.Table("Errors", Col{Head: w.T("col.item")}, Col{Head: w.T("col.reviewer")}, Col{Head: w.T("col.queue")},
			Col{Head: w.T("col.week"), Kind: KWeek}, Col{Head: w.T("vendor.col.submitted"), Kind: KDate, Width: 12},
			Col{Head: w.T("col.given_label")}, Col{Head: w.T("col.gold_label")},
			Col{Head: w.T("vendor.col.content"), Width: 40}, Col{Head: w.T("vendor.col.rationale"), Width: 40},
			Col{Head: w.T("vendor.col.section")}, Col{Head: w.T("vendor.col.comment"), Width: 30})
		for _, e := range errs {
			// An error on a gold item still in use is counted, never listed:
			// its reviewer, queue, week and given label would pick the item
			// out of the vendor's own judgments.
			if !e.Visible {
				continue
			}
			var week, at any
			if e.HasTime {
				week = metrics.ISOWeek(e.At)
				at = time.UnixMilli(e.At).UTC()
			}
			t.Row(e.Item, e.Reviewer, e.Queue, week, at, e.Given, e.Gold, e.Content, e.Rationale, e.SOPSection, e.Comment)
		}
		if total > 0 {
			sum.Finding(w.T("vendor.find.errors", w.Num(float64(total), 0), w.Num(float64(visible), 0), w.Num(float64(total-visible), 0)))
		}
	}
	return nil
}

// quoteText puts a name in typographic quotes for a sentence.
func quoteText(s string) string { return "“" + s + "”" }
