package demo

import (
	"fmt"
	"math"
	"time"
)

// The label set of the sample's ads policy queue, in declared order.
const (
	lApprove = iota
	lMisleading
	lAdult
	lProhibited
	lGambling
	lScam
	lHate
	lCounterfeit
	nLabels
)

// Labels is the sample's declared label set, in order; the first is the
// allow decision.
var Labels = []string{
	"approve", "misleading_claims", "adult_content", "prohibited_products",
	"gambling", "financial_scam", "hate_speech", "counterfeit",
}

// Allowed lists the labels that mean "the ad may run".
var Allowed = []string{"approve"}

// confusion gives, for each true class, the relative weights of the wrong
// labels a reviewer picks when mistaken: related classes dominate
// (misleading claims vs financial scam, counterfeit vs prohibited products,
// under-enforcement to approve).
var confusion = [nLabels][nLabels]float64{
	lApprove:     {lMisleading: 35, lAdult: 12, lProhibited: 10, lGambling: 5, lScam: 15, lHate: 5, lCounterfeit: 18},
	lMisleading:  {lApprove: 40, lScam: 45, lProhibited: 15},
	lAdult:       {lApprove: 50, lProhibited: 30, lHate: 20},
	lProhibited:  {lApprove: 30, lMisleading: 20, lAdult: 10, lCounterfeit: 40},
	lGambling:    {lApprove: 30, lProhibited: 10, lScam: 60},
	lScam:        {lApprove: 20, lMisleading: 55, lGambling: 25},
	lHate:        {lApprove: 60, lAdult: 40},
	lCounterfeit: {lApprove: 35, lMisleading: 20, lProhibited: 45},
}

// partner is each class's most likely confusion: the label a wrong golden
// answer carries, and the second reading of an ambiguous item.
var partner = [nLabels]int{
	lApprove: lMisleading, lMisleading: lScam, lAdult: lApprove, lProhibited: lCounterfeit,
	lGambling: lScam, lScam: lMisleading, lHate: lApprove, lCounterfeit: lProhibited,
}

// sop describes one guideline version.
type sop struct {
	version  string // v3, v4
	template string
	gds      string // golden-set version written for it
	sections [nLabels]string
}

var sops = [2]sop{
	{
		version: "v3", template: "ads_policy_v3", gds: "GDS-2025.1",
		sections: [nLabels]string{
			lApprove: "2.1 No violation", lMisleading: "4.1 Misleading claims",
			lAdult: "4.2 Adult content", lProhibited: "4.3 Prohibited products",
			lGambling: "4.4 Gambling", lScam: "4.5 Financial scams",
			lHate: "4.6 Hate speech", lCounterfeit: "4.7 Counterfeit goods",
		},
	},
	{
		version: "v4", template: "ads_policy_v4", gds: "GDS-2025.2",
		sections: [nLabels]string{
			lApprove: "2.1 No violation", lMisleading: "5.1 Misleading claims",
			lScam: "5.2 Financial scams and fraud", lGambling: "5.3 Gambling and betting",
			lProhibited: "6.1 Prohibited and restricted products", lCounterfeit: "6.2 Counterfeit goods",
			lAdult: "7.1 Adult and sexual content", lHate: "7.2 Hate speech",
		},
	},
}

// rationales are the experts' notes on golden answers.
var rationales = [nLabels][]string{
	lApprove: {
		"Ordinary retail offer with verifiable terms; no policy violation.",
		"Local business announcement; claims are plausible and not deceptive.",
		"Discount ad with clear price and period; allowed.",
	},
	lMisleading: {
		"Unrealistic health or weight-loss result with a guarantee.",
		"Claims a cure or permanent effect without evidence.",
		"Before/after promise in an implausible time frame.",
	},
	lAdult: {
		"Explicit sexual content or solicitation; not allowed in ads.",
		"Promotes adult services with sexual framing.",
	},
	lProhibited: {
		"Offers prescription drugs without prescription.",
		"Sale of weapons, drugs or protected animals.",
	},
	lGambling: {
		"Promotes online casino or betting with bonus offer; gambling ads not allowed in this market.",
		"Unlicensed betting / lottery promotion.",
	},
	lScam: {
		"Guaranteed investment returns; classic financial scam pattern.",
		"Advance-fee or fake prize scheme asking for payment.",
		"Loan offer with deceptive terms and no identity checks.",
	},
	lHate: {
		"Dehumanises a group and calls for exclusion.",
		"Incites hostility against people based on origin.",
	},
	lCounterfeit: {
		"Sells replicas of branded goods ('KW', 'replica', '1:1 copy').",
		"Implausible 'original' branded goods at a fraction of the price.",
	},
}

// market is one market with its vendor.
type market struct {
	code, lang   string
	vendor, slug string
	prefix       string // reviewer id prefix
	zone         *time.Location
	teams        []string
	reviewers    int // first-round reviewers
	share        float64
	prior        [nLabels]float64 // class mix of its ads, in percent
	semicolon    bool             // its live batches are Norwegian-style ';' CSV with decimal commas
}

var markets = []*market{
	{
		code: "ID", lang: "id", vendor: "Nusantara BPO", slug: "nusantara-bpo", prefix: "id",
		zone:  time.FixedZone("WIB", 7*3600),
		teams: []string{"JKT-A", "JKT-B", "SBY-1"}, reviewers: 12, share: 0.45,
		prior: [nLabels]float64{71, 7, 3, 3, 6, 5, 1.5, 3.5},
	},
	{
		code: "NO", lang: "no", vendor: "Fjord Review AS", slug: "fjord-review-as", prefix: "no",
		zone:  time.FixedZone("CET", 1*3600),
		teams: []string{"OSL-1", "BGO-1"}, reviewers: 8, share: 0.20, semicolon: true,
		prior: [nLabels]float64{74, 7, 2.5, 3, 3, 5, 1.5, 4},
	},
	{
		code: "PH", lang: "en", vendor: "Manila Trust Ops", slug: "manila-trust-ops", prefix: "ph",
		zone:  time.FixedZone("PHT", 8*3600),
		teams: []string{"MNL-Day", "MNL-Night", "CEB-1"}, reviewers: 10, share: 0.35,
		prior: [nLabels]float64{69, 7, 3, 3, 6, 7, 1.5, 3.5},
	},
}

// Planted problems, fixed so that tests and documentation can name them.
var (
	speederIDs    = []string{"id_rev07", "no_rev05"}
	badWeekMarket = 2 // Manila Trust Ops
	badWeekIndex  = 1 // the second week of the period
)

// reviewer is one annotator and how they behave.
type reviewer struct {
	id      string
	m       *market
	team    string
	acc     float64 // probability of the right label on a clear item
	median  float64 // median handling time, seconds
	sigma   float64 // log-sd of handling time
	weight  float64 // share of the market's work
	speeder bool
	qa      bool
	labeled bool // wrote at least one judgment (Result.Annotators)
}

// newReviewers builds every market's reviewers for a seed: first-round
// reviewers (prefix_revNN) and two QA reviewers (prefix_qaNN) per vendor.
func newReviewers(seed int64) (first, qa [][]*reviewer) {
	first = make([][]*reviewer, len(markets))
	qa = make([][]*reviewer, len(markets))
	for mi, m := range markets {
		for j := 1; j <= m.reviewers; j++ {
			r := newRnd(seed, streamReviewer, uint64(mi*100+j))
			rv := &reviewer{
				id:     fmt.Sprintf("%s_rev%02d", m.prefix, j),
				m:      m,
				team:   m.teams[(j-1)%len(m.teams)],
				acc:    0.85 + 0.10*r.float(),
				median: 20 + 40*r.float(),
				sigma:  0.35 + 0.2*r.float(),
				weight: 0.6 + 0.8*r.float(),
			}
			for _, s := range speederIDs {
				if rv.id == s {
					rv.speeder, rv.median, rv.sigma, rv.weight = true, 3.2, 0.3, 1.3
				}
			}
			first[mi] = append(first[mi], rv)
		}
		for j := 1; j <= 2; j++ {
			r := newRnd(seed, streamReviewer, uint64(mi*100+50+j))
			qa[mi] = append(qa[mi], &reviewer{
				id: fmt.Sprintf("%s_qa%02d", m.prefix, j), m: m, team: "QA",
				acc: 0.96 + 0.03*r.float(), median: 60 + 30*r.float(), sigma: 0.3, weight: 1, qa: true,
			})
		}
	}
	return first, qa
}

// judge returns the label rv gives an item whose true class is truth.
// hard items have a second plausible reading alt; bad lowers accuracy (the
// planted bad week).
func (rv *reviewer) judge(r *rnd, truth int, hard bool, alt int, bad bool) int {
	if rv.speeder {
		if r.float() < 0.75 {
			return r.intn(nLabels)
		}
		return truth
	}
	acc := rv.acc
	penalty := 0.25
	if rv.qa {
		penalty = 0.08
	}
	if truth == lApprove {
		// Clean ads are the easy call; most mistakes are missed violations.
		acc = 1 - (1-acc)/2
		penalty /= 2
	}
	if hard {
		acc -= penalty
	}
	if bad {
		acc *= 0.55
	}
	if r.float() < acc {
		return truth
	}
	if hard && r.float() < 0.7 {
		return alt
	}
	return r.pick(confusion[truth][:])
}

// duration returns a handling time in seconds, lognormal around the
// reviewer's median, longer for violations and hard items.
func (rv *reviewer) duration(r *rnd, truth int, hard bool) float64 {
	m := rv.median
	if !rv.speeder {
		if truth == lApprove {
			m *= 0.85
		} else {
			m *= 1.2
		}
		if hard {
			m *= 1.4
		}
	}
	d := m * math.Exp(rv.sigma*r.norm())
	if d < 1 {
		d = 1
	}
	return d
}

// pickReviewers draws k distinct reviewers by their weights.
func pickReviewers(r *rnd, pool []*reviewer, k int, out []*reviewer) []*reviewer {
	out = out[:0]
	var w [32]float64
	ws := w[:len(pool)]
	for i, rv := range pool {
		ws[i] = rv.weight
	}
	for len(out) < k && len(out) < len(pool) {
		i := r.pick(ws)
		out = append(out, pool[i])
		ws[i] = 0
	}
	return out
}
