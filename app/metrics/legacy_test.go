package metrics

// The Compute and Scorecards of before Analyze, each running Dawid-Skene,
// kept verbatim (but for their names) as the reference the tests compare
// Analyze with, and the baseline of BenchmarkAnalyze1M.

import (
	"context"
	"math"
	"sort"

	"labelqa/analysis/scorecard"
	"labelqa/analysis/truth"
	"labelqa/app/dataset"
)

// legacyCompute is the Compute of before Analyze: it returns the metrics object of d. It checks ctx between measures.
func legacyCompute(ctx context.Context, d *dataset.Dataset, opts Options) (*Report, error) {
	o, err := opts.parse(d)
	if err != nil {
		return nil, err
	}
	rep := &Report{Schema: Schema, Counts: CountsOf(d), Warnings: []string{}}
	if w := orderWarning(d, o); w != "" {
		rep.Warnings = append(rep.Warnings, w)
		rep.OrderWarning = w
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(d.Labels) == 0 {
		return emptyReport(rep, o.ties.String()), nil
	}
	p := prepare(d)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Dawid-Skene, the longest measure, runs on its own goroutine while
	// agreement, gold, the majority votes and the scorecards are computed;
	// the scorecards get a placeholder DS result and take the raters' DS
	// accuracy afterwards.
	var ds *truth.DSResult
	dsDone := make(chan struct{})
	go func() {
		defer close(dsDone)
		if p.q > 0 {
			r := truth.DawidSkene(p.item, p.rater, p.label, p.nItems, p.nRaters, p.q, &o.ds)
			ds = &r
		}
	}()
	// Agreement and gold, which read only p, run beside the votes and the
	// scorecards below: three streams of work keep both cores busy.
	agDone := make(chan struct{})
	go func() {
		defer close(agDone)
		rep.Agreement = p.agreement(o)
		if p.goldSet && ctx.Err() == nil {
			rep.Gold = p.goldReport(o)
		}
	}()
	// Every return below waits for both, so no goroutine outlives Compute.
	defer func() { <-dsDone; <-agDone }()

	// Wawa starts from the plain majority vote: one vote serves both.
	wawa := truth.WeightedMajorityVote(p.item, p.rater, p.label, p.nItems, p.nRaters, p.q, o.ties, o.seed)
	mv := wawa.Majority
	rep.Aggregation.MajorityVote = MajorityVote{Items: mv.Items, Ties: mv.Ties, TieRule: o.ties.String(), GoldAccuracy: Float(math.NaN())}
	if p.goldSet {
		a := mv.GoldAccuracy(p.gold)
		rep.Aggregation.MajorityVote.GoldAccuracy, rep.Aggregation.MajorityVote.GoldItems = Float(a.Value), a.Items
	}
	var cards []scorecard.Card
	if p.nRaters > 0 && p.q > 0 && ctx.Err() == nil {
		in := p.input(o)
		in.DS = placeholderDS(p.nRaters)
		cards = scorecard.Reviewers(in)
	}
	rep.Aggregation.WeightedMajorityVote = MajorityVote{Items: wawa.Items, Ties: wawa.Ties, TieRule: o.ties.String(), GoldAccuracy: Float(math.NaN())}
	if p.goldSet {
		a := wawa.GoldAccuracy(p.gold)
		rep.Aggregation.WeightedMajorityVote.GoldAccuracy, rep.Aggregation.WeightedMajorityVote.GoldItems = Float(a.Value), a.Items
	}
	<-agDone
	<-dsDone
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if w := pairwiseWarning(rep.Agreement); w != "" {
		rep.Warnings = append(rep.Warnings, w)
	}
	rep.Aggregation.DawidSkene.GoldAccuracy = Float(math.NaN())
	if ds != nil && rep.Gold != nil {
		rep.Gold.Disputed = p.disputed(ds)
	}
	if ds != nil {
		rep.Aggregation.DawidSkene = DawidSkene{Items: mv.Items, Iterations: ds.Iterations, Converged: ds.Converged, GoldAccuracy: Float(math.NaN())}
		if p.goldSet {
			a := ds.GoldAccuracy(p.gold)
			rep.Aggregation.DawidSkene.GoldAccuracy, rep.Aggregation.DawidSkene.GoldItems = Float(a.Value), a.Items
		}
	}

	// Per-annotator scorecards.
	rep.Annotators = []Annotator{}
	for r, c := range cards {
		if c.Annotations == 0 {
			continue
		}
		a := d.Annotators[p.annOrder[r]]
		rep.Annotators = append(rep.Annotators, Annotator{
			ID: a.ID, Vendor: a.Vendor, Team: a.Team, Market: a.Market,
			Annotations: c.Annotations, GoldAnnotations: c.GoldAnnotations,
			GoldAccuracy:          interval(c.GoldAccuracy),
			AgreementWithMajority: Float(c.AgreementWithMajority),
			AgreementScored:       c.AgreementScored,
			MedianDuration:        Float(c.MedianDuration),
			DSAccuracy:            Float(ds.RaterAccuracy[r]),
			OverEnforcement:       interval(c.OverEnforcement),
			UnderEnforcement:      interval(c.UnderEnforcement),
			P90Duration:           Float(c.P90Duration),
			UnitsPerHour:          Float(c.UnitsPerHour),
			Overturn:              interval(c.Overturn),
		})
	}
	return rep, ctx.Err()
}

// legacyScorecards is the Scorecards of before Analyze: it returns one card per reviewer (by "reviewer") or per group
// (vendor, team, market: the annotator's; queue, sop, week: the
// judgment's), sorted by key. Majority vote and Dawid-Skene always run on
// every judgment; a group is scored against the whole crowd. Judgments
// without a key (no submission time for week) are left out of the groups;
// judgments with an empty vendor, team, market, queue or SOP are the group
// with the empty key (the text output calls it (none)): a vendor named
// "(none)" is a group of its own.
func legacyScorecards(ctx context.Context, d *dataset.Dataset, by string, opts Options) (*ScorecardReport, error) {
	if _, err := ParseBy(by); err != nil {
		return nil, err
	}
	o, err := opts.parse(d)
	if err != nil {
		return nil, err
	}
	p := prepare(d)
	out := &ScorecardReport{Schema: ScorecardSchema, By: by, Cards: []Card{}}
	if p.q == 0 || len(p.item) == 0 {
		return out, ctx.Err()
	}
	// Dawid-Skene on its own goroutine; Groups gets a placeholder and the
	// groups' DS accuracy is filled in afterwards.
	var ds truth.DSResult
	dsDone := make(chan struct{})
	go func() {
		defer close(dsDone)
		ds = truth.DawidSkene(p.item, p.rater, p.label, p.nItems, p.nRaters, p.q, &o.ds)
	}()
	in := p.input(o)
	in.DS = placeholderDS(p.nRaters)

	// Group code per judgment.
	names := []string{}
	code := map[string]int32{}
	intern := func(s string) int32 {
		c, ok := code[s]
		if !ok {
			c = int32(len(names))
			code[s] = c
			names = append(names, s)
		}
		return c
	}
	group := make([]int32, len(p.item))
	switch by {
	case "reviewer":
		for r := 0; r < p.nRaters; r++ {
			intern(d.Annotators[p.annOrder[r]].ID)
		}
		copy(group, p.rater)
	case "vendor", "team", "market":
		per := make([]int32, p.nRaters)
		for r := range per {
			a := d.Annotators[p.annOrder[r]]
			per[r] = intern(map[string]string{"vendor": a.Vendor, "team": a.Team, "market": a.Market}[by])
		}
		for k, r := range p.rater {
			group[k] = per[r]
		}
	case "queue", "sop":
		for k, j := range p.orig {
			if by == "queue" {
				group[k] = intern(d.Queues[d.Queue[j]])
			} else {
				group[k] = intern(d.SOPs[d.SOP[j]])
			}
		}
	case "week":
		days := map[int64]int32{}
		for k, j := range p.orig {
			at := d.At[j]
			if at == math.MinInt64 {
				group[k] = -1
				continue
			}
			day := floorDiv(at, 86400000)
			c, ok := days[day]
			if !ok {
				c = intern(ISOWeek(day * 86400000))
				days[day] = c
			}
			group[k] = c
		}
	}
	cards := scorecard.Groups(in, group, len(names))
	<-dsDone
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// DS accuracy of a group: the mean of its raters' RaterAccuracy
	// weighted by their judgments in the group (scorecard.Card.DSAccuracy).
	dsSum := make([]float64, len(names))
	dsN := make([]float64, len(names))
	for k, g := range group {
		if a := ds.RaterAccuracy[p.rater[k]]; g >= 0 && !math.IsNaN(a) {
			dsSum[g] += a
			dsN[g]++
		}
	}
	for g := range cards {
		cards[g].DSAccuracy = math.NaN()
		if dsN[g] > 0 {
			cards[g].DSAccuracy = dsSum[g] / dsN[g]
		}
	}
	reviewers := make([]map[int32]bool, len(names))
	for k, g := range group {
		if g >= 0 {
			if reviewers[g] == nil {
				reviewers[g] = map[int32]bool{}
			}
			reviewers[g][p.rater[k]] = true
		}
	}
	for g, c := range cards {
		if c.Annotations == 0 {
			continue
		}
		card := Card{Key: names[g], Reviewers: len(reviewers[g]),
			Annotations: c.Annotations, GoldAnnotations: c.GoldAnnotations,
			GoldAccuracy: interval(c.GoldAccuracy), OverEnforcement: interval(c.OverEnforcement),
			UnderEnforcement:      interval(c.UnderEnforcement),
			AgreementWithMajority: Float(c.AgreementWithMajority), DSAccuracy: Float(c.DSAccuracy),
			MedianDuration: Float(c.MedianDuration), P90Duration: Float(c.P90Duration),
			UnitsPerHour: Float(c.UnitsPerHour), Overturn: interval(c.Overturn)}
		if by == "reviewer" {
			card.Vendor = d.Annotators[p.annOrder[g]].Vendor
		}
		out.Cards = append(out.Cards, card)
	}
	sort.SliceStable(out.Cards, func(a, b int) bool { return out.Cards[a].Key < out.Cards[b].Key })
	return out, ctx.Err()
}
