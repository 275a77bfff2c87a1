package metrics

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"labelqa/analysis/scorecard"
	"labelqa/analysis/truth"
	"labelqa/app/dataset"
)

// The steps of Analyze, as its progress callback names them. Steps lists
// them all; they finish in any order (some run side by side), and a step
// the data do not need (gold without a golden set) is reported done at once.
const (
	StepPrepare    = "prepare"             // canonical order of items, reviewers and judgments
	StepVotes      = "majority votes"      // majority vote and weighted majority vote (Wawa)
	StepScorecards = "reviewer scorecards" // one scorecard per reviewer
	StepAgreement  = "agreement"           // every agreement coefficient, per label, pairwise
	StepGold       = "gold"                // accuracy, per-label scores, confusion, enforcement
	StepDawidSkene = "Dawid-Skene"         // truth inference (the longest step)
	StepReport     = "report"              // the labelqa.metrics/v1 object
)

// Steps are the steps of Analyze: the total its progress callback counts to.
var Steps = []string{StepPrepare, StepVotes, StepScorecards, StepAgreement, StepGold, StepDawidSkene, StepReport}

// Analysis is everything computed from one Dataset with one set of
// Options: the prepared (canonically ordered) judgments, the majority and
// weighted majority votes, one Dawid-Skene result, agreement, gold,
// per-label scores, pairwise agreement, the confusion matrix, the
// reviewers' scorecards and the weekly series. The text output, the JSON,
// the scorecards and the views all read it; no method prepares the data,
// votes or runs Dawid-Skene again (a grouping's scorecards compute only
// that grouping's pooled figures). It is read-only after Analyze (the weekly
// series is computed on its first use, once): its methods may be called
// from several goroutines, and what they return must not be modified.
type Analysis struct {
	d    *dataset.Dataset
	opts Options
	o    *parsedOptions
	p    *prepared // nil when the Dataset has no labels

	ds   *truth.DSResult
	wawa truth.Wawa

	reviewerNames []string
	reviewers     []scorecard.Card // per canonical reviewer, DS accuracy NaN

	// The weekly series is computed on first use (Weekly or Scorecards
	// by week), once: "labelqa metrics" never pays for it.
	weekOnce  sync.Once
	week      grouping
	weekCards []scorecard.Card

	rep *Report
}

// grouping is a group code per canonical judgment (-1: in no group) and
// the groups' keys.
type grouping struct {
	group []int32
	names []string
}

// Analyze computes the analysis of d. progress, when not nil, is called
// (never concurrently) as each of Steps finishes, with the number done and
// len(Steps). It checks ctx between steps and returns ctx's error when it
// is cancelled. Dawid-Skene runs once.
func Analyze(ctx context.Context, d *dataset.Dataset, opts Options, progress func(step string, done, total int)) (*Analysis, error) {
	o, err := opts.parse(d)
	if err != nil {
		return nil, err
	}
	var mu sync.Mutex
	done := 0
	step := func(name string) {
		if progress == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		done++
		progress(name, done, len(Steps))
	}
	a := &Analysis{d: d, opts: opts, o: o}
	rep := &Report{Schema: Schema, Counts: CountsOf(d), Warnings: []string{}}
	a.rep = rep
	if w := orderWarning(d, o); w != "" {
		rep.Warnings = append(rep.Warnings, w)
		rep.OrderWarning = w
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(d.Labels) == 0 {
		emptyReport(rep, o.ties.String())
		for _, s := range Steps {
			step(s)
		}
		return a, nil
	}
	p := prepare(d)
	a.p = p
	step(StepPrepare)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Dawid-Skene, the longest step, runs on its own goroutine while
	// agreement, gold, the majority votes and the scorecards are computed;
	// the scorecards get a placeholder DS result and take the raters' DS
	// accuracy afterwards.
	dsDone := make(chan struct{})
	go func() {
		defer close(dsDone)
		if p.q > 0 {
			r := dawidSkene(p.item, p.rater, p.label, p.nItems, p.nRaters, p.q, &o.ds)
			a.ds = &r
		}
		step(StepDawidSkene)
	}()
	// Agreement and gold, which read only p, run beside the votes and the
	// scorecards below: three streams of work keep both cores busy.
	agDone := make(chan struct{})
	go func() {
		defer close(agDone)
		rep.Agreement = p.agreement(o)
		step(StepAgreement)
		if p.goldSet && ctx.Err() == nil {
			rep.Gold = p.goldReport(o)
		}
		step(StepGold)
	}()
	// Every return below waits for both, so no goroutine outlives Analyze.
	defer func() { <-dsDone; <-agDone }()

	// Wawa starts from the plain majority vote: one vote serves both.
	a.wawa = truth.WeightedMajorityVote(p.item, p.rater, p.label, p.nItems, p.nRaters, p.q, o.ties, o.seed)
	step(StepVotes)
	if len(p.item) > 0 && ctx.Err() == nil {
		a.reviewerNames = make([]string, p.nRaters)
		for r := range a.reviewerNames {
			a.reviewerNames[r] = d.Annotators[p.annOrder[r]].ID
		}
		a.reviewers = scorecard.Reviewers(a.input())
	}
	step(StepScorecards)
	<-agDone
	<-dsDone
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	a.report()
	step(StepReport)
	return a, ctx.Err()
}

// report completes a.rep from the votes, Dawid-Skene and the reviewers'
// scorecards (agreement and gold are in it already).
func (a *Analysis) report() {
	p, o, rep, ds := a.p, a.o, a.rep, a.ds
	mv := a.wawa.Majority
	rep.Aggregation.MajorityVote = MajorityVote{Items: mv.Items, Ties: mv.Ties, TieRule: o.ties.String(), GoldAccuracy: Float(math.NaN())}
	if p.goldSet {
		acc := mv.GoldAccuracy(p.gold)
		rep.Aggregation.MajorityVote.GoldAccuracy, rep.Aggregation.MajorityVote.GoldItems = Float(acc.Value), acc.Items
	}
	rep.Aggregation.WeightedMajorityVote = MajorityVote{Items: a.wawa.Items, Ties: a.wawa.Ties, TieRule: o.ties.String(), GoldAccuracy: Float(math.NaN())}
	if p.goldSet {
		acc := a.wawa.GoldAccuracy(p.gold)
		rep.Aggregation.WeightedMajorityVote.GoldAccuracy, rep.Aggregation.WeightedMajorityVote.GoldItems = Float(acc.Value), acc.Items
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
			acc := ds.GoldAccuracy(p.gold)
			rep.Aggregation.DawidSkene.GoldAccuracy, rep.Aggregation.DawidSkene.GoldItems = Float(acc.Value), acc.Items
		}
	}

	// Per-annotator scorecards.
	rep.Annotators = []Annotator{}
	for r, c := range a.reviewers {
		if c.Annotations == 0 {
			continue
		}
		an := a.d.Annotators[p.annOrder[r]]
		rep.Annotators = append(rep.Annotators, Annotator{
			ID: an.ID, Vendor: an.Vendor, Team: an.Team, Market: an.Market,
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
}

// Dataset is the Dataset the analysis was computed from.
func (a *Analysis) Dataset() *dataset.Dataset { return a.d }

// Options are the options the analysis was computed with.
func (a *Analysis) Options() Options { return a.opts }

// Report returns the labelqa.metrics/v1 object. It is a shallow copy: a
// face may replace its top-level fields (the counts, as the CLI does with
// a project's own), but not modify what they point to.
func (a *Analysis) Report() *Report {
	r := *a.rep
	r.Warnings = append([]string{}, a.rep.Warnings...)
	return &r
}

// DSResult is the Dawid-Skene result (nil without labels).
func (a *Analysis) DSResult() *truth.DSResult { return a.ds }

// Votes are the majority vote and the weighted majority vote (Wawa), per
// canonical item.
func (a *Analysis) Votes() truth.Wawa { return a.wawa }

// Scorecards returns one card per reviewer or group (see By), sorted by
// key, from the analysis: Dawid-Skene and the majority vote are not run
// again, and a group is scored against the whole crowd. Judgments without a
// key (no submission time for week) are left out of the groups; judgments
// with an empty vendor, team, market, queue or SOP are the group with the
// empty key (the text output calls it (none)): a vendor named "(none)" is a
// group of its own.
func (a *Analysis) Scorecards(by By) (*ScorecardReport, error) {
	if by < 0 || int(by) >= len(ByKeys) {
		return nil, fmt.Errorf("unknown grouping %d: use one of %v", int(by), ByKeys)
	}
	out := &ScorecardReport{Schema: ScorecardSchema, By: by.String(), Cards: []Card{}}
	p := a.p
	if p == nil || p.q == 0 || len(p.item) == 0 || a.reviewers == nil {
		return out, nil
	}
	var g grouping
	var cards []scorecard.Card
	switch by {
	case ByReviewer:
		g, cards = grouping{p.rater, a.reviewerNames}, a.reviewers
	case ByWeek:
		a.weekOnce.Do(func() {
			a.week = p.grouping(ByWeek)
			a.weekCards = scorecard.Groups(a.input(), a.week.group, len(a.week.names))
		})
		g, cards = a.week, a.weekCards
	default:
		g = p.grouping(by)
		cards = scorecard.Groups(a.input(), g.group, len(g.names))
	}
	out.Cards = a.cards(by, g, cards)
	return out, nil
}

// input is the scorecard input over every judgment, built anew for each
// use (it takes a few tens of milliseconds on a million judgments, and
// keeping its 16 bytes a judgment alive would raise the peak memory of
// every analysis). Its DS is a placeholder (NaN): the groups' Dawid-Skene
// accuracy is filled from a.ds.
func (a *Analysis) input() *scorecard.Input {
	in := a.p.input(a.o)
	in.DS = placeholderDS(a.p.nRaters)
	return in
}

// cards turns the groups' scorecards into sorted Cards, with each group's
// Dawid-Skene accuracy: the mean of its raters' RaterAccuracy weighted by
// their judgments in the group (scorecard.Card.DSAccuracy).
func (a *Analysis) cards(by By, g grouping, cards []scorecard.Card) []Card {
	p := a.p
	n := len(g.names)
	dsSum := make([]float64, n)
	dsN := make([]float64, n)
	for k, gr := range g.group {
		if acc := a.ds.RaterAccuracy[p.rater[k]]; gr >= 0 && !math.IsNaN(acc) {
			dsSum[gr] += acc
			dsN[gr]++
		}
	}
	reviewers := distinctRaters(g.group, p.rater, n, p.nRaters)
	out := []Card{}
	for gr, c := range cards {
		if c.Annotations == 0 {
			continue
		}
		dsAcc := math.NaN()
		if dsN[gr] > 0 {
			dsAcc = dsSum[gr] / dsN[gr]
		}
		card := Card{Key: g.names[gr], Reviewers: reviewers[gr],
			Annotations: c.Annotations, GoldAnnotations: c.GoldAnnotations,
			GoldAccuracy: interval(c.GoldAccuracy), OverEnforcement: interval(c.OverEnforcement),
			UnderEnforcement:      interval(c.UnderEnforcement),
			AgreementWithMajority: Float(c.AgreementWithMajority), DSAccuracy: Float(dsAcc),
			MedianDuration: Float(c.MedianDuration), P90Duration: Float(c.P90Duration),
			UnitsPerHour: Float(c.UnitsPerHour), Overturn: interval(c.Overturn)}
		if by == ByReviewer {
			card.Vendor = a.d.Annotators[p.annOrder[gr]].Vendor
		}
		out = append(out, card)
	}
	sortCards(out)
	return out
}

// distinctRaters counts, per group, the raters with a judgment in it.
func distinctRaters(group, rater []int32, nGroups, nRaters int) []int {
	out := make([]int, nGroups)
	if nGroups*nRaters <= 1<<24 {
		seen := make([]bool, nGroups*nRaters)
		for k, g := range group {
			if g < 0 {
				continue
			}
			if i := int(g)*nRaters + int(rater[k]); !seen[i] {
				seen[i] = true
				out[g]++
			}
		}
		return out
	}
	seen := map[[2]int32]bool{}
	for k, g := range group {
		if g >= 0 && !seen[[2]int32{g, rater[k]}] {
			seen[[2]int32{g, rater[k]}] = true
			out[g]++
		}
	}
	return out
}

// WeekPoint is one ISO week of the weekly series: the week's scorecard
// (Card.Key is the ISO week, 2025-W11; Vendor is empty) and the Monday
// 00:00 UTC it starts on.
type WeekPoint struct {
	Start time.Time
	Card
}

// Weekly returns the weekly series, oldest week first: per ISO week (UTC)
// of submission, the judgments, reviewers, gold judgments, gold accuracy
// with its Wilson interval, agreement with the majority (leave-one-out, the
// crowd being every judgment of the analysis), Dawid-Skene accuracy, over-
// and under-enforcement, handling time, units per hour and 2RQA overturn
// rate: the figures of "labelqa scorecard --by week", which reads the same
// cards. Judgments without a submission time are in no week. Chance-
// corrected agreement (Fleiss, AC1) is not in it: an item's judgments can
// fall in different weeks, so it is computed per week by analysing that
// week's judgments (a date-range query).
func (a *Analysis) Weekly() []WeekPoint {
	sc, err := a.Scorecards(ByWeek)
	if err != nil {
		return nil
	}
	out := make([]WeekPoint, len(sc.Cards))
	for i, c := range sc.Cards {
		out[i] = WeekPoint{Start: isoWeekStart(c.Key), Card: c}
	}
	return out
}

// isoWeekStart is the Monday 00:00 UTC of an ISO week written as ISOWeek
// writes it (zero time for anything else).
func isoWeekStart(key string) time.Time {
	var y, w int
	if _, err := fmt.Sscanf(key, "%04d-W%02d", &y, &w); err != nil {
		return time.Time{}
	}
	// January 4th is always in week 1.
	jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, time.UTC)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	return monday.AddDate(0, 0, 7*(w-1))
}
