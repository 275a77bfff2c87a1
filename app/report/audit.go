package report

import (
	"context"
	"math"

	"labelqa/app/core"
	"labelqa/app/rules"
)

// The audit workbook: a seeded, stratified random sample of one vendor's
// judgments for a 2nd-line audit. The Summary says how the sample was
// chosen (a given size, or Cochran's size for a margin and confidence) and
// lists the strata; the Audit sheet (named "Audit" in every language, as
// "labelqa audit import" reads it) has one row per sampled judgment: the
// read-only columns A-I, then the five the auditor fills, J-N
// (core.AuditSheet's column order, documented in docs/CLI.md).
func init() {
	Texts(map[string]Tr{
		"audit.novendor": {
			"an audit workbook is a sample of one vendor's judgments, for the 2nd-line audit of that vendor: name the vendor (%s)",
			"lembar audit adalah sampel penilaian satu vendor, untuk audit lini kedua vendor itu: sebutkan vendornya (%s)",
			"et revisjonsark er et utvalg av én leverandørs vurderinger, for andrelinjerevisjonen av den leverandøren: oppgi leverandøren (%s)",
		},
		"audit.vendor":      {"Vendor", "Vendor", "Leverandør"},
		"audit.population":  {"Judgments of the vendor (population N)", "Penilaian vendor (populasi N)", "Leverandørens vurderinger (populasjon N)"},
		"audit.size":        {"Sample size n", "Ukuran sampel n", "Utvalgsstørrelse n"},
		"audit.seed":        {"Seed", "Seed", "Frø (seed)"},
		"audit.method":      {"How the size was chosen", "Cara ukuran dipilih", "Slik ble størrelsen valgt"},
		"audit.method.size": {"given: %s judgments", "ditentukan: %s penilaian", "oppgitt: %s vurderinger"},
		"audit.method.cochran": {
			"Cochran: ±%s, %s confidence, p = 0.5: n₀ = %s, corrected for N = %s",
			"Cochran: ±%s, kepercayaan %s, p = 0,5: n₀ = %s, dikoreksi untuk N = %s",
			"Cochran: ±%s, %s konfidens, p = 0,5: n₀ = %s, korrigert for N = %s",
		},
		"audit.capped": {
			"The size asked for (%s) is more than the vendor's %s judgments: every judgment is in the sample.",
			"Ukuran yang diminta (%s) lebih dari %s penilaian vendor: semua penilaian masuk sampel.",
			"Ønsket størrelse (%s) er mer enn leverandørens %s vurderinger: alle vurderingene er med i utvalget.",
		},
		"audit.finding.cochran": {
			"%s of %s judgments of %s are sampled: enough to estimate audit accuracy within ±%s at %s confidence.",
			"%s dari %s penilaian %s diambil sampelnya: cukup untuk memperkirakan akurasi audit dalam ±%s pada tingkat kepercayaan %s.",
			"%s av %s vurderinger fra %s er trukket: nok til å anslå revisjonsnøyaktigheten innen ±%s med %s konfidens.",
		},
		"audit.finding.size": {
			"%s of %s judgments of %s are sampled (the size asked for).",
			"%s dari %s penilaian %s diambil sampelnya (ukuran yang diminta).",
			"%s av %s vurderinger fra %s er trukket (ønsket størrelse).",
		},
		"audit.finding.strata": {
			"The sample is stratified by queue, market and given label (%s strata), each stratum in proportion to its size; seed %s draws the same judgments again.",
			"Sampel distratifikasi menurut antrean, pasar, dan label yang diberikan (%s strata), tiap strata sebanding dengan ukurannya; seed %s menarik penilaian yang sama lagi.",
			"Utvalget er stratifisert etter kø, marked og gitt etikett (%s strata), hvert stratum i forhold til sin størrelse; seed %s trekker de samme vurderingene igjen.",
		},
		"audit.finding.fill": {
			"Fill columns J to N of the Audit sheet, then read it back with labelqa audit import.",
			"Isi kolom J sampai N pada lembar Audit, lalu baca kembali dengan labelqa audit import.",
			"Fyll ut kolonne J til N i arket Audit, og les det inn igjen med labelqa audit import.",
		},
		"audit.strata": {"Strata", "Strata", "Strata"},
		"audit.strata.empty": {
			"%s strata (%s judgments in all) are too small for one sampled judgment at this size: the sample does not reach them, and audit accuracy speaks for the other strata.",
			"%s strata (total %s penilaian) terlalu kecil untuk satu penilaian sampel pada ukuran ini: sampel tidak menjangkaunya, dan akurasi audit berlaku untuk strata lainnya.",
			"%s strata (%s vurderinger i alt) er for små til én trukket vurdering ved denne størrelsen: utvalget når dem ikke, og revisjonsnøyaktigheten gjelder de andre strataene.",
		},
		"audit.queues.chart":         {"Share of population and sample by queue", "Porsi populasi dan sampel per antrean", "Andel av populasjon og utvalg per kø"},
		"audit.col.population_share": {"Share of population", "Porsi populasi", "Andel av populasjonen"},
		"audit.col.sample_share":     {"Share of sample", "Porsi sampel", "Andel av utvalget"},
		"audit.col.population":       {"Population", "Populasi", "Populasjon"},
		"audit.col.sample":           {"Sample", "Sampel", "Utvalg"},
		"audit.col.probability":      {"Inclusion probability", "Peluang inklusi", "Inklusjonssannsynlighet"},
		"audit.sheet.title":          {"Audit of %s", "Audit %s", "Revisjon av %s"},
		"audit.sheet.note": {
			"Columns A to I are the sampled judgments: leave them as they are (the import checks them). Fill J to N: the label you find right (drop-down), whether the given label is correct (yes, no or unclear; left blank, it is whether your label is the given one), an error category, a root cause (drop-down) and a comment. Rows left blank in J and K are not audited yet.",
			"Kolom A sampai I adalah penilaian sampel: biarkan apa adanya (impor memeriksanya). Isi J sampai N: label yang menurut Anda benar (daftar tarik-turun), apakah label yang diberikan benar (ya, tidak, atau tidak jelas; bila kosong, dinilai dari apakah label Anda sama dengan label yang diberikan), kategori kesalahan, akar masalah (daftar tarik-turun), dan komentar. Baris yang J dan K-nya kosong belum diaudit.",
			"Kolonne A til I er de trukne vurderingene: la dem stå som de er (importen kontrollerer dem). Fyll ut J til N: etiketten du mener er riktig (nedtrekksliste), om den gitte etiketten er riktig (ja, nei eller uklar; tom betyr at det avgjøres av om din etikett er den gitte), en feilkategori, en rotårsak (nedtrekksliste) og en kommentar. Rader med J og K tomme er ikke revidert ennå.",
		},
		"audit.col.ref":            {"ref", "ref", "ref"},
		"audit.col.annotator":      {"Reviewer", "Peninjau", "Vurderer"},
		"audit.col.content":        {"Content", "Konten", "Innhold"},
		"audit.col.submitted":      {"Submitted", "Dikirim", "Sendt inn"},
		"audit.col.auditor_label":  {"Auditor label", "Label auditor", "Revisors etikett"},
		"audit.col.correct":        {"Correct?", "Benar?", "Riktig?"},
		"audit.col.error_category": {"Error category", "Kategori kesalahan", "Feilkategori"},
		"audit.col.root_cause":     {"Root cause", "Akar masalah", "Rotårsak"},
		"audit.col.comment":        {"Auditor comment", "Komentar auditor", "Revisors kommentar"},
		"audit.unclear":            {"unclear", "tidak jelas", "uklar"},
	})
	Definitions(map[string]Definition{
		"audit_sample_size": {
			Name:  Tr{"Audit sample size", "Ukuran sampel audit", "Utvalgsstørrelse for revisjon"},
			Plain: Tr{"How many judgments an audit checks so that its accuracy is known within a margin, at a confidence.", "Berapa penilaian yang diperiksa audit agar akurasinya diketahui dalam margin tertentu, pada tingkat kepercayaan tertentu.", "Hvor mange vurderinger en revisjon kontrollerer for at nøyaktigheten skal være kjent innen en feilmargin, med en gitt konfidens."},
			Formula: Tr{"n₀ = z²·p(1−p)/e² with p = 0.5; n = n₀ / (1 + (n₀ − 1)/N), rounded up",
				"n₀ = z²·p(1−p)/e² dengan p = 0,5; n = n₀ / (1 + (n₀ − 1)/N), dibulatkan ke atas",
				"n₀ = z²·p(1−p)/e² med p = 0,5; n = n₀ / (1 + (n₀ − 1)/N), rundet opp"},
			Reference: Tr{"W. G. Cochran (1977), Sampling Techniques, 3rd ed., §4.4, eq. 4.2–4.3", "W. G. Cochran (1977), Sampling Techniques, ed. ke-3, §4.4, pers. 4.2–4.3", "W. G. Cochran (1977), Sampling Techniques, 3. utg., §4.4, lign. 4.2–4.3"},
		},
		"inclusion_probability": {
			Name:  Tr{"Inclusion probability", "Peluang inklusi", "Inklusjonssannsynlighet"},
			Plain: Tr{"The chance a judgment had of being drawn; audit accuracy weights each audited judgment by its inverse.", "Peluang sebuah penilaian terambil; akurasi audit membobot tiap penilaian yang diaudit dengan kebalikannya.", "Sjansen en vurdering hadde for å bli trukket; revisjonsnøyaktigheten vekter hver revidert vurdering med den inverse."},
			Formula: Tr{"π = n_h / N_h in stratum h (queue × market × given label); proportional allocation, largest-remainder rounding",
				"π = n_h / N_h pada strata h (antrean × pasar × label diberikan); alokasi proporsional, pembulatan sisa terbesar",
				"π = n_h / N_h i stratum h (kø × marked × gitt etikett); proporsjonal fordeling, avrunding etter største rest"},
			Reference: Tr{"Cochran (1977) §5.5; D. G. Horvitz and D. J. Thompson (1952), JASA 47:663–685", "Cochran (1977) §5.5; D. G. Horvitz dan D. J. Thompson (1952), JASA 47:663–685", "Cochran (1977) §5.5; D. G. Horvitz og D. J. Thompson (1952), JASA 47:663–685"},
		},
	})
	Register("audit", buildAudit)
}

func buildAudit(ctx context.Context, w *Workbook, in *Input) error {
	a := in.Analysis
	if in.Vendor == "" {
		return &auditUsageError{w.T("audit.novendor", vendorsText(a))}
	}
	s, err := in.Project.AuditSample(ctx, a, in.Vendor, core.SampleOptions{Size: in.Sample.Size, Seed: in.Sample.Seed,
		Margin: in.Sample.Margin, Confidence: in.Sample.Confidence})
	if err != nil {
		return err
	}
	nan := math.NaN()
	sum := w.Summary()
	sum.Figure(Figure{Key: "audit_population", Label: w.T("audit.population"), Kind: KInt, Value: float64(s.Population), Low: nan, High: nan, Target: nan})
	sum.Figure(Figure{Key: "audit_sample_size", Label: w.T("audit.size"), Kind: KInt, Value: float64(s.Size), Low: nan, High: nan, Target: nan})
	n, pop := w.Num(float64(s.Size), 0), w.Num(float64(s.Population), 0)
	if s.Asked > 0 {
		sum.Finding(w.T("audit.finding.size", n, pop, s.Vendor))
		if s.Asked > s.Population {
			sum.Finding(w.T("audit.capped", w.Num(float64(s.Asked), 0), pop))
		}
	} else {
		sum.Finding(w.T("audit.finding.cochran", n, pop, s.Vendor, w.Pct(s.Margin), w.Pct(s.Confidence)))
	}
	sum.Finding(w.T("audit.finding.strata", w.Num(float64(len(s.Strata)), 0), w.Num(float64(s.Seed), 0)))
	sum.Finding(w.T("audit.finding.fill"))

	sum.Pair(w.T("audit.vendor"), s.Vendor)
	if s.Asked > 0 {
		sum.Pair(w.T("audit.method"), w.T("audit.method.size", w.Num(float64(s.Asked), 0)))
	} else {
		sum.Pair(w.T("audit.method"), w.T("audit.method.cochran", w.Pct(s.Margin), w.Pct(s.Confidence),
			w.Num(float64(s.Cochran), 0), pop))
	}
	sum.Pair(w.T("audit.seed"), w.Num(float64(s.Seed), 0))
	sum.Gap()
	sum.Heading(w.T("audit.strata"))
	st := sum.Table("Audit_strata", Col{Head: w.T("col.queue")}, Col{Head: w.T("col.market")},
		Col{Head: w.T("col.given_label")}, Col{Head: w.T("audit.col.population"), Kind: KInt},
		Col{Head: w.T("audit.col.sample"), Kind: KInt}, Col{Head: w.T("audit.col.probability"), Kind: KDec3, Width: 24})
	empty, emptyN := 0, 0
	var queues []string
	popBy, sampleBy := map[string]int{}, map[string]int{}
	for _, x := range s.Strata {
		st.Row(x.Queue, x.Market, x.Label, x.Population, x.Sample, x.Probability())
		if x.Sample == 0 {
			empty++
			emptyN += x.Population
		}
		if _, ok := popBy[x.Queue]; !ok {
			queues = append(queues, x.Queue)
		}
		popBy[x.Queue] += x.Population
		sampleBy[x.Queue] += x.Sample
	}
	if empty > 0 {
		sum.Note(w.T("audit.strata.empty", w.Num(float64(empty), 0), w.Num(float64(emptyN), 0)))
	}
	// The sample mirrors the population: each queue's share of both.
	sum.Gap()
	qt := sum.Table("Audit_queues", Col{Head: w.T("col.queue")}, Col{Head: w.T("audit.col.population_share"), Kind: KPct, Width: 22},
		Col{Head: w.T("audit.col.sample_share"), Kind: KPct, Width: 20})
	for _, q := range queues {
		qt.Row(q, float64(popBy[q])/float64(s.Population), float64(sampleBy[q])/float64(max(s.Size, 1)))
	}
	sum.Chart(Chart{Kind: Column, Title: w.T("audit.queues.chart"), Table: qt, Cat: 0, Series: []int{1, 2}, Percent: true})
	w.Define("audit_sample_size", "inclusion_probability", "audit_accuracy")

	sh := w.Sheet(core.AuditSheet)
	sh.Title(w.T("audit.sheet.title", s.Vendor))
	sh.Note(w.T("audit.sheet.note"))
	cols := make([]Col, core.AuditColumns)
	cols[core.AuditColRef] = Col{Head: w.T("audit.col.ref"), Kind: KInt, Width: 9}
	cols[core.AuditColItem] = Col{Head: w.T("col.item")}
	cols[core.AuditColAnnotator] = Col{Head: w.T("audit.col.annotator")}
	cols[core.AuditColQueue] = Col{Head: w.T("col.queue")}
	cols[core.AuditColMarket] = Col{Head: w.T("col.market")}
	cols[core.AuditColGivenLabel] = Col{Head: w.T("col.given_label")}
	cols[core.AuditColContent] = Col{Head: w.T("audit.col.content"), Width: 50}
	cols[core.AuditColSubmittedAt] = Col{Head: w.T("audit.col.submitted"), Kind: KDate}
	cols[core.AuditColProbability] = Col{Head: w.T("audit.col.probability"), Kind: KDec3, Width: 24}
	cols[core.AuditColAuditorLabel] = Col{Head: w.T("audit.col.auditor_label"), Width: 18}
	cols[core.AuditColCorrect] = Col{Head: w.T("audit.col.correct"), Width: 10}
	cols[core.AuditColErrorCategory] = Col{Head: w.T("audit.col.error_category"), Width: 18}
	cols[core.AuditColRootCause] = Col{Head: w.T("audit.col.root_cause"), Width: 18}
	cols[core.AuditColComment] = Col{Head: w.T("audit.col.comment"), Width: 40}
	t := sh.Table("Audit", cols...)
	for _, r := range s.Rows {
		row := make([]any, core.AuditColumns)
		row[core.AuditColRef] = r.Ref
		row[core.AuditColItem] = r.Item
		row[core.AuditColAnnotator] = r.Annotator
		row[core.AuditColQueue] = r.Queue
		row[core.AuditColMarket] = r.Market
		row[core.AuditColGivenLabel] = r.Label
		row[core.AuditColContent] = r.Content
		row[core.AuditColSubmittedAt] = r.SubmittedAt
		row[core.AuditColProbability] = r.Probability
		t.Row(row...)
	}
	t.Keys(core.AuditColItem + 1) // ref and item stay in sight while the auditor fills the columns on the right
	t.Editable(core.AuditColAuditorLabel, core.AuditColCorrect, core.AuditColErrorCategory, core.AuditColRootCause, core.AuditColComment)
	t.DataList(core.AuditColAuditorLabel, a.Data.Labels)
	t.DataList(core.AuditColCorrect, []string{w.T("word.yes"), w.T("word.no"), w.T("audit.unclear")})
	t.DataList(core.AuditColRootCause, rules.RootCauses)
	return nil
}

// auditUsageError is a request the audit workbook cannot answer (no
// vendor named); it says what to give.
type auditUsageError struct{ msg string }

func (e *auditUsageError) Error() string { return e.msg }
func (e *auditUsageError) Unwrap() error { return core.ErrNoAuditVendor }

func vendorsText(a *core.Analysis) string {
	v := core.Vendors(a.Data)
	if len(v) == 0 {
		return "—"
	}
	out := v[0]
	for _, x := range v[1:] {
		out += ", " + x
	}
	return out
}
