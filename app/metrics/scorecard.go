package metrics

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"labelqa/analysis/scorecard"
	"labelqa/analysis/truth"
	"labelqa/app/dataset"
)

// Scorecard groupings of "labelqa scorecard --by".
var ByKeys = []string{"reviewer", "vendor", "team", "queue", "market", "sop", "week"}

// Card is one row of "labelqa scorecard": a reviewer or a group.
type Card struct {
	Key    string `json:"key"`
	Vendor string `json:"vendor,omitempty"` // --by reviewer only
	// Reviewers counts the annotators with judgments in the group.
	Reviewers             int      `json:"reviewers"`
	Annotations           int      `json:"annotations"`
	GoldAnnotations       int      `json:"gold_annotations"`
	GoldAccuracy          Interval `json:"gold_accuracy"`
	OverEnforcement       Interval `json:"over_enforcement"`
	UnderEnforcement      Interval `json:"under_enforcement"`
	AgreementWithMajority Float    `json:"agreement_with_majority"`
	DSAccuracy            Float    `json:"dawid_skene_accuracy"`
	MedianDuration        Float    `json:"median_duration_s"`
	P90Duration           Float    `json:"p90_duration_s"`
	UnitsPerHour          Float    `json:"units_per_hour"`
	Overturn              Interval `json:"overturn_rate"`
}

// ScorecardReport is the output of "labelqa scorecard --json".
type ScorecardReport struct {
	Schema string `json:"schema"`
	By     string `json:"by"`
	Cards  []Card `json:"cards"`
}

// ScorecardSchema names the scorecard JSON object.
const ScorecardSchema = "labelqa.scorecard/v1"

// ValidBy reports whether by is a scorecard grouping.
func ValidBy(by string) bool {
	for _, k := range ByKeys {
		if k == by {
			return true
		}
	}
	return false
}

// ISOWeek is the ISO 8601 week of a Unix millisecond time in UTC, as
// 2025-W11.
func ISOWeek(ms int64) string {
	y, w := time.UnixMilli(ms).UTC().ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// Scorecards returns one card per reviewer (by "reviewer") or per group
// (vendor, team, market: the annotator's; queue, sop, week: the
// judgment's), sorted by key. Majority vote and Dawid-Skene always run on
// every judgment; a group is scored against the whole crowd. Judgments
// without a key (no submission time for week) are left out of the groups;
// judgments with an empty vendor, team, market, queue or SOP are the group
// with the empty key (the text output calls it (none)): a vendor named
// "(none)" is a group of its own.
func Scorecards(ctx context.Context, d *dataset.Dataset, by string, opts Options) (*ScorecardReport, error) {
	if !ValidBy(by) {
		return nil, fmt.Errorf("--by %q: use %s", by, strings.Join(ByKeys, ", "))
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

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
