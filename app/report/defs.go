package report

import (
	"sort"
	"sync"
)

// Definition is one metric as the Definitions sheet explains it: its name,
// what it means in plain words, its formula and where it comes from.
type Definition struct {
	Name, Plain, Formula, Reference Tr
}

var (
	defsMu sync.RWMutex
	defs   = map[string]Definition{}
)

// Definitions registers metric definitions (in init); a workbook lists those
// it names with Workbook.Define.
func Definitions(m map[string]Definition) {
	defsMu.Lock()
	defer defsMu.Unlock()
	for k, v := range m {
		if _, dup := defs[k]; dup {
			panic("report: definition " + k + " registered twice")
		}
		defs[k] = v
	}
}

// DefinitionKeys lists every registered definition, sorted.
func DefinitionKeys() []string {
	defsMu.RLock()
	defer defsMu.RUnlock()
	keys := make([]string, 0, len(defs))
	for k := range defs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func definition(key string) (Definition, bool) {
	defsMu.RLock()
	defer defsMu.RUnlock()
	d, ok := defs[key]
	return d, ok
}

// The metrics every workbook may show, as docs/METRICS.md defines them.
func init() {
	wilson := Tr{
		"Wilson score interval, 95% (E. B. Wilson 1927, JASA 22:209–212); docs/METRICS.md",
		"Interval skor Wilson, 95% (E. B. Wilson 1927, JASA 22:209–212); docs/METRICS.md",
		"Wilsons skåreintervall, 95 % (E. B. Wilson 1927, JASA 22:209–212); docs/METRICS.md",
	}
	Definitions(map[string]Definition{
		"volume": {
			Name:      Tr{"Volume", "Volume", "Volum"},
			Plain:     Tr{"How many judgments were submitted, and by how many reviewers.", "Berapa banyak penilaian yang dikirim, dan oleh berapa peninjau.", "Hvor mange vurderinger som ble levert, og av hvor mange vurderere."},
			Formula:   Tr{"count of judgments in scope", "jumlah penilaian dalam cakupan", "antall vurderinger i utvalget"},
			Reference: Tr{"LabelQA; duplicates follow the project's duplicate policy", "LabelQA; duplikat mengikuti kebijakan duplikat proyek", "LabelQA; duplikater følger prosjektets duplikatregel"},
		},
		"gold_accuracy": {
			Name:      Tr{"Gold accuracy", "Akurasi gold", "Gull-nøyaktighet"},
			Plain:     Tr{"Share of judgments on golden-set items whose label equals the gold answer.", "Porsi penilaian pada item golden set yang labelnya sama dengan jawaban gold.", "Andel vurderinger av gullsett-elementer der etiketten er lik gullsvaret."},
			Formula:   Tr{"correct / judgments on gold items; interval: Wilson 95%", "benar / penilaian pada item gold; interval: Wilson 95%", "riktige / vurderinger av gullelementer; intervall: Wilson 95 %"},
			Reference: wilson,
		},
		"audit_accuracy": {
			Name:      Tr{"Audit accuracy", "Akurasi audit", "Revisjonsnøyaktighet"},
			Plain:     Tr{"Share of audited judgments the auditor found correct.", "Porsi penilaian yang diaudit yang dinilai benar oleh auditor.", "Andel reviderte vurderinger som revisoren fant riktige."},
			Formula:   Tr{"correct / audited (weighted by 1/inclusion probability when the sample was not uniform); exact Clopper-Pearson 95% interval", "benar / diaudit (dibobot 1/peluang inklusi bila sampel tidak seragam); interval eksak Clopper-Pearson 95%", "riktige / reviderte (vektet med 1/inklusjonssannsynlighet når utvalget ikke var uniformt); eksakt Clopper-Pearson-intervall 95 %"},
			Reference: Tr{"C. J. Clopper & E. S. Pearson 1934, Biometrika 26:404–413; D. G. Horvitz & D. J. Thompson 1952, JASA 47:663–685", "C. J. Clopper & E. S. Pearson 1934, Biometrika 26:404–413; D. G. Horvitz & D. J. Thompson 1952, JASA 47:663–685", "C. J. Clopper & E. S. Pearson 1934, Biometrika 26:404–413; D. G. Horvitz & D. J. Thompson 1952, JASA 47:663–685"},
		},
		"overturn_rate": {
			Name:      Tr{"2RQA overturn rate", "Tingkat overturn 2RQA", "2RQA-omgjøringsrate"},
			Plain:     Tr{"Share of first-round judgments that second-round QA re-labelled to a different label.", "Porsi penilaian putaran pertama yang diberi label lain oleh QA putaran kedua.", "Andel førsterundevurderinger som andrerunde-QA endret til en annen etikett."},
			Formula:   Tr{"changed / first-round judgments re-labelled in 2RQA; interval: Wilson 95%", "diubah / penilaian putaran pertama yang dinilai ulang di 2RQA; interval: Wilson 95%", "endret / førsterundevurderinger vurdert på nytt i 2RQA; intervall: Wilson 95 %"},
			Reference: wilson,
		},
		"fleiss_kappa": {
			Name:      Tr{"Fleiss' kappa", "Kappa Fleiss", "Fleiss' kappa"},
			Plain:     Tr{"Agreement between reviewers on the same items beyond what chance gives: 1 is perfect, 0 is chance level.", "Kesepakatan antar peninjau pada item yang sama melebihi kebetulan: 1 sempurna, 0 setara kebetulan.", "Enighet mellom vurderere om de samme elementene utover tilfeldighet: 1 er perfekt, 0 er tilfeldig nivå."},
			Formula:   Tr{"(pa − pe) / (1 − pe), pe = Σ πk², πk the mean share of label k per item; SE and 95% interval as R irrCAC", "(pa − pe) / (1 − pe), pe = Σ πk², πk rata-rata porsi label k per item; SE dan interval 95% seperti R irrCAC", "(pa − pe) / (1 − pe), pe = Σ πk², πk gjennomsnittlig andel av etikett k per element; SE og 95 %-intervall som R irrCAC"},
			Reference: Tr{"J. L. Fleiss 1971, Psychological Bulletin 76:378–382; K. L. Gwet, Handbook of Inter-Rater Reliability (2014); R irrCAC 1.4", "J. L. Fleiss 1971, Psychological Bulletin 76:378–382; K. L. Gwet, Handbook of Inter-Rater Reliability (2014); R irrCAC 1.4", "J. L. Fleiss 1971, Psychological Bulletin 76:378–382; K. L. Gwet, Handbook of Inter-Rater Reliability (2014); R irrCAC 1.4"},
		},
		"gwet_ac1": {
			Name:      Tr{"Gwet's AC1", "AC1 Gwet", "Gwets AC1"},
			Plain:     Tr{"Chance-corrected agreement that stays stable when one label is far more common than the others.", "Kesepakatan terkoreksi kebetulan yang tetap stabil saat satu label jauh lebih umum.", "Tilfeldighetskorrigert enighet som holder seg stabil når én etikett er langt vanligere enn de andre."},
			Formula:   Tr{"(pa − pe) / (1 − pe), pe = Σ πk(1 − πk) / (q − 1); SE and 95% interval as R irrCAC", "(pa − pe) / (1 − pe), pe = Σ πk(1 − πk) / (q − 1); SE dan interval 95% seperti R irrCAC", "(pa − pe) / (1 − pe), pe = Σ πk(1 − πk) / (q − 1); SE og 95 %-intervall som R irrCAC"},
			Reference: Tr{"K. L. Gwet 2008, Br. J. Math. Stat. Psychol. 61:29–48; R irrCAC 1.4", "K. L. Gwet 2008, Br. J. Math. Stat. Psychol. 61:29–48; R irrCAC 1.4", "K. L. Gwet 2008, Br. J. Math. Stat. Psychol. 61:29–48; R irrCAC 1.4"},
		},
		"aht_median_s": {
			Name:      Tr{"AHT (median, s)", "AHT (median, dtk)", "AHT (median, s)"},
			Plain:     Tr{"Average handling time as the median seconds a reviewer spent on one item; p90 is the time 90% stay under.", "Waktu penanganan sebagai median detik per item; p90 adalah waktu yang tidak dilampaui 90%.", "Behandlingstid som median sekunder per element; p90 er tiden 90 % holder seg under."},
			Formula:   Tr{"type-7 quantile (as R quantile, numpy) of the known duration_s values", "kuantil tipe 7 (seperti R quantile, numpy) dari nilai duration_s yang diketahui", "kvantil type 7 (som R quantile, numpy) av kjente duration_s-verdier"},
			Reference: Tr{"R. J. Hyndman & Y. Fan 1996, The American Statistician 50:361–365", "R. J. Hyndman & Y. Fan 1996, The American Statistician 50:361–365", "R. J. Hyndman & Y. Fan 1996, The American Statistician 50:361–365"},
		},
		"units_per_hour": {
			Name:      Tr{"Units per hour", "Unit per jam", "Enheter per time"},
			Plain:     Tr{"Judgments per active working hour; a pause of more than 10 minutes ends a working session.", "Penilaian per jam kerja aktif; jeda lebih dari 10 menit mengakhiri sesi kerja.", "Vurderinger per aktiv arbeidstime; en pause på over 10 minutter avslutter en arbeidsøkt."},
			Formula:   Tr{"timed judgments / Σ sessions (last − first + one item's median handling time)", "penilaian bertimestamp / Σ sesi (terakhir − pertama + median waktu satu item)", "tidsstemplede vurderinger / Σ økter (siste − første + median behandlingstid for ett element)"},
			Reference: Tr{"LabelQA's definition (there is no standard one); docs/METRICS.md", "Definisi LabelQA (tidak ada standar); docs/METRICS.md", "LabelQAs definisjon (det finnes ingen standard); docs/METRICS.md"},
		},
		"over_enforcement": {
			Name:      Tr{"Over-enforcement", "Penegakan berlebih", "Overhåndhevelse"},
			Plain:     Tr{"Share of judgments on gold items that should be allowed where the reviewer gave a violation label (false positives).", "Porsi penilaian pada item gold yang seharusnya diizinkan tetapi diberi label pelanggaran (positif palsu).", "Andel vurderinger av gullelementer som skulle vært tillatt, der vurdereren ga en bruddetikett (falske positive)."},
			Formula:   Tr{"violation given where gold allows / judgments on allowed gold items; Wilson 95%", "pelanggaran diberikan saat gold mengizinkan / penilaian pada item gold yang diizinkan; Wilson 95%", "brudd gitt der gull tillater / vurderinger av tillatte gullelementer; Wilson 95 %"},
			Reference: wilson,
		},
		"under_enforcement": {
			Name:      Tr{"Under-enforcement", "Penegakan kurang", "Underhåndhevelse"},
			Plain:     Tr{"Share of judgments on violating gold items that the reviewer allowed (false negatives).", "Porsi penilaian pada item gold yang melanggar tetapi diizinkan peninjau (negatif palsu).", "Andel vurderinger av gullelementer med brudd som vurdereren tillot (falske negative)."},
			Formula:   Tr{"allowed label given where gold is a violation / judgments on violation gold items; Wilson 95%", "label izin diberikan saat gold pelanggaran / penilaian pada item gold pelanggaran; Wilson 95%", "tillatt-etikett gitt der gull er brudd / vurderinger av gullelementer med brudd; Wilson 95 %"},
			Reference: wilson,
		},
		"agreement_with_majority": {
			Name:      Tr{"Agreement with the majority", "Kesepakatan dengan mayoritas", "Enighet med flertallet"},
			Plain:     Tr{"How often a reviewer's label equals the majority label of the other reviewers on the same item.", "Seberapa sering label peninjau sama dengan label mayoritas peninjau lain pada item yang sama.", "Hvor ofte en vurderers etikett er lik flertallets etikett blant de andre vurdererne av samme element."},
			Formula:   Tr{"leave-one-out majority vote; ties broken as the analysis was run", "voting mayoritas tanpa penilaian itu sendiri; seri diputus sesuai analisis", "flertallsavstemning uten egen vurdering; uavgjort avgjøres slik analysen ble kjørt"},
			Reference: Tr{"docs/METRICS.md", "docs/METRICS.md", "docs/METRICS.md"},
		},
		"ds_accuracy": {
			Name:      Tr{"Dawid-Skene accuracy", "Akurasi Dawid-Skene", "Dawid-Skene-nøyaktighet"},
			Plain:     Tr{"A reviewer's accuracy estimated from all judgments, also those without gold, by truth inference.", "Akurasi peninjau yang diperkirakan dari semua penilaian, juga tanpa gold, dengan inferensi kebenaran.", "En vurderers nøyaktighet anslått fra alle vurderinger, også uten gull, ved sannhetsinferens."},
			Formula:   Tr{"Σk πk · θkk of the reviewer's estimated confusion matrix θ (EM)", "Σk πk · θkk dari matriks konfusi θ peninjau yang diperkirakan (EM)", "Σk πk · θkk av vurdererens anslåtte forvekslingsmatrise θ (EM)"},
			Reference: Tr{"A. P. Dawid & A. M. Skene 1979, Applied Statistics 28:20–28; Crowd-Kit DawidSkene", "A. P. Dawid & A. M. Skene 1979, Applied Statistics 28:20–28; Crowd-Kit DawidSkene", "A. P. Dawid & A. M. Skene 1979, Applied Statistics 28:20–28; Crowd-Kit DawidSkene"},
		},
		"rag": {
			Name:      Tr{"Red / amber / green", "Merah / kuning / hijau", "Rød / gul / grønn"},
			Plain:     Tr{"Green: the figure meets its target. Amber: it misses the target but stays within the amber band. Red: beyond the amber band (or missing the target when no band is set).", "Hijau: angka memenuhi target. Kuning: meleset dari target tetapi masih dalam pita kuning. Merah: di luar pita kuning (atau meleset bila tidak ada pita).", "Grønn: tallet når målet. Gul: bommer på målet, men innenfor det gule båndet. Rød: utenfor det gule båndet (eller bommer når intet bånd er satt)."},
			Formula:   Tr{"targets set with labelqa targets set; the most specific target (vendor, then queue, then market) applies", "target diatur dengan labelqa targets set; target paling spesifik (vendor, lalu antrean, lalu pasar) berlaku", "mål satt med labelqa targets set; det mest spesifikke målet (leverandør, så kø, så marked) gjelder"},
			Reference: Tr{"LabelQA (app/targets)", "LabelQA (app/targets)", "LabelQA (app/targets)"},
		},
	})
}
