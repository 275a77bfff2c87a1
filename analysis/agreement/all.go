package agreement

// Options selects the weights and the alpha variant of All.
type Options struct {
	// Weights is the q×q weight matrix applied to every coefficient that
	// takes weights (see Weights); nil means identity (and AC1).
	Weights []float64
	// AlphaWeighted makes Krippendorff's alpha use Weights (Gwet's weighted
	// alpha, irrCAC krippen.alpha.raw); otherwise alpha uses Level.
	AlphaWeighted bool
	// Level is Krippendorff's level of measurement for alpha (default
	// Nominal) when AlphaWeighted is false.
	Level Level
	// Pairwise adds the rater-pair table (Pairwise).
	Pairwise bool
}

// Summary is every agreement statistic of one set of ratings.
type Summary struct {
	Items     int // items with at least one rating
	ItemsUsed int // items with at least two ratings
	Raters    int // raters with at least one rating
	Judgments int

	PercentAgreement  Result
	CohenKappa        Result // NaN unless exactly two raters
	ScottPi           Result // NaN unless exactly two raters
	BangdiwalaB       Result // NaN unless exactly two raters
	FleissKappa       Result
	CongerKappa       Result
	GwetAC            Result // AC1 with identity weights, else AC2
	BrennanPrediger   Result
	KrippendorffAlpha Result

	PerLabel []LabelAgreement
	Pairwise []Pair // only with Options.Pairwise
}

// All computes every coefficient of this package from one pass over the
// judgments (per-item category counts and per-rater marginals; Conger's
// variance takes a second pass over the judgments) with the closed forms of
// the individual functions, which document each formula and source:
// PercentAgreement, CohenKappa, ScottPi, BangdiwalaB, FleissKappa,
// CongerKappa, GwetAC, BrennanPrediger, KrippendorffAlpha or
// KrippendorffAlphaWeighted, PerLabel and optionally Pairwise. Results are
// identical to calling those functions one by one.
//
// Memory is O(NItems·q + NRaters·q); time O(N + NItems·q + NRaters·q²)
// (plus O(Σ_i m_i²) with Pairwise).
func All(r *Ratings, opt Options) Summary {
	t := newTable(r)
	w := checkWeights(opt.Weights, t.q)
	s := Summary{Items: t.n, ItemsUsed: t.n2, Raters: t.nActive, Judgments: t.nJudgment}
	s.PercentAgreement = percentAgreement(t, w)
	s.FleissKappa = fleissKappa(t, w)
	s.CongerKappa = congerKappa(t, r, w)
	s.GwetAC = gwetAC(t, w)
	s.BrennanPrediger = brennanPrediger(t, w)
	if opt.AlphaWeighted {
		s.KrippendorffAlpha = alphaGwet(t, w)
	} else {
		s.KrippendorffAlpha = krippendorffAlpha(t, opt.Level, r.scores())
	}
	if _, _, ok := twoRaters(t); ok {
		s.CohenKappa = s.CongerKappa
		s.ScottPi = s.FleissKappa
		s.BangdiwalaB = bangdiwala(t, r)
	} else {
		s.CohenKappa = undefined("Cohen's kappa "+needTwo, t.n, t.n2)
		s.ScottPi = undefined("Scott's pi "+needTwo, t.n, t.n2)
		s.BangdiwalaB = undefined("Bangdiwala's B "+needTwo, t.n, t.n2)
	}
	s.PerLabel = perLabel(t)
	if opt.Pairwise {
		s.Pairwise = pairwise(r, groupByItem(r), opt.Weights)
	}
	return s
}
