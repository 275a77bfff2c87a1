package metrics

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"labelqa/app/dataset"
)

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

// ISOWeek is the ISO 8601 week of a Unix millisecond time in UTC, as
// 2025-W11.
func ISOWeek(ms int64) string {
	y, w := time.UnixMilli(ms).UTC().ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// Scorecards returns the scorecards of d grouped by by:
// Analyze(ctx, d, opts, nil).Scorecards(by). A face that also needs the
// metrics object calls Analyze once and reads both from the Analysis.
func Scorecards(ctx context.Context, d *dataset.Dataset, by By, opts Options) (*ScorecardReport, error) {
	if _, err := ParseBy(by.String()); err != nil {
		return nil, err
	}
	a, err := Analyze(ctx, d, opts, nil)
	if err != nil {
		return nil, err
	}
	return a.Scorecards(by)
}

func sortCards(cards []Card) {
	sort.SliceStable(cards, func(a, b int) bool { return cards[a].Key < cards[b].Key })
}

// grouping returns the group code of every canonical judgment under by
// (vendor, team, market: the annotator's; queue, sop, week: the
// judgment's; reviewer: the reviewer) and the groups' keys, in order of
// first appearance.
func (p *prepared) grouping(by By) grouping {
	d := p.d
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
	case ByReviewer:
		for r := 0; r < p.nRaters; r++ {
			intern(d.Annotators[p.annOrder[r]].ID)
		}
		copy(group, p.rater)
	case ByVendor, ByTeam, ByMarket:
		per := make([]int32, p.nRaters)
		for r := range per {
			a := d.Annotators[p.annOrder[r]]
			switch by {
			case ByVendor:
				per[r] = intern(a.Vendor)
			case ByTeam:
				per[r] = intern(a.Team)
			default:
				per[r] = intern(a.Market)
			}
		}
		for k, r := range p.rater {
			group[k] = per[r]
		}
	case ByQueue:
		for k, j := range p.orig {
			group[k] = intern(d.Queues[d.Queue[j]])
		}
	case BySOP:
		for k, j := range p.orig {
			group[k] = intern(d.SOPs[d.SOP[j]])
		}
	case ByWeek:
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
	return grouping{group, names}
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
