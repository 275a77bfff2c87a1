package truth

// Defaults of DisputeOptions.
const (
	DefaultDisputePosterior = 0.9
	DefaultDisputeRaters    = 3
	DefaultDisputeAccuracy  = 0.85
)

// DisputeOptions set when a gold label counts as disputed. A nil
// *DisputeOptions means the defaults; a zero field means its default.
type DisputeOptions struct {
	// MinPosterior: Dawid-Skene's posterior on one other label at least this
	// (default 0.9).
	MinPosterior float64
	// MinRaters and MinAccuracy: at least MinRaters distinct raters (default
	// 3) whose Dawid-Skene RaterAccuracy is at least MinAccuracy (default
	// 0.85) gave one same other label.
	MinRaters   int
	MinAccuracy float64
}

// Dispute is a gold item the evidence contradicts.
type Dispute struct {
	Item, Gold int32
	// Suggested is the label the evidence points to instead of Gold.
	Suggested int32
	// Posterior is Dawid-Skene's posterior of Suggested; GoldPosterior that
	// of Gold.
	Posterior, GoldPosterior float64
	// ByPosterior: Posterior >= MinPosterior. ByRaters: Raters holds at least
	// MinRaters accurate raters who gave Suggested.
	ByPosterior, ByRaters bool
	// Raters are the accurate raters (RaterAccuracy >= MinAccuracy) who gave
	// Suggested, each once, in rater order.
	Raters []int32
	// Votes[k] counts the item's judgments for label k (every row).
	Votes []int32
}

// DisputedGold lists gold items whose gold label the judgments contradict.
// Item i with gold g is disputed for label s ≠ g when
//
//	Posterior[i, s] >= MinPosterior                                    or
//	#{r : RaterAccuracy[r] >= MinAccuracy, r gave s on i} >= MinRaters
//
// where ds is DawidSkene on the same judgments. s is the other label with the
// highest posterior for the first test; for the second, the other label with
// the most accurate raters (ties: the higher posterior, then declared order).
// A rater counts once per item even with duplicate rows. Items are listed in
// item order. This is LabelQA's review heuristic (no published source): it
// flags gold worth a second look, it does not overrule gold.
//
// It panics if the slices differ in length, a code is out of range, or ds was
// computed for another shape.
func DisputedGold(item, rater, label []int32, gold []int32, ds *DSResult, opt *DisputeOptions) []Dispute {
	nItems, q, nRaters := len(gold), ds.Q, ds.NRaters
	check(item, rater, label, nItems, nRaters, q)
	checkGold(gold, nItems, q)
	if len(ds.Posterior) != nItems*q {
		panic("truth: DSResult does not match gold")
	}
	o := DisputeOptions{}
	if opt != nil {
		o = *opt
	}
	if o.MinPosterior == 0 {
		o.MinPosterior = DefaultDisputePosterior
	}
	if o.MinRaters == 0 {
		o.MinRaters = DefaultDisputeRaters
	}
	if o.MinAccuracy == 0 {
		o.MinAccuracy = DefaultDisputeAccuracy
	}
	ix := buildIndex(item, rater, nItems, nRaters)
	acc := make([]int, q)
	var out []Dispute
	for i, g := range gold {
		a, b := ix.start[i], ix.start[i+1]
		if g < 0 || a == b {
			continue
		}
		p := ds.Posterior[i*q : (i+1)*q]
		sp := int32(-1)
		for k := range p {
			if int32(k) != g && (sp < 0 || p[k] > p[sp]) {
				sp = int32(k)
			}
		}
		// Accurate raters per label, each rater once per label.
		clear(acc)
		rows := ix.order[a:b]
		for x, j := range rows {
			r := rater[j]
			if !(ds.RaterAccuracy[r] >= o.MinAccuracy) {
				continue
			}
			// Rows are sorted by rater: look back over r's earlier rows.
			dup := false
			for y := x - 1; y >= 0 && rater[rows[y]] == r; y-- {
				if label[rows[y]] == label[j] {
					dup = true
					break
				}
			}
			if !dup {
				acc[label[j]]++
			}
		}
		sr := int32(-1)
		for k := range acc {
			if int32(k) == g || acc[k] == 0 {
				continue
			}
			if sr < 0 || acc[k] > acc[sr] || (acc[k] == acc[sr] && p[k] > p[sr]) {
				sr = int32(k)
			}
		}
		byPost := q > 1 && p[sp] >= o.MinPosterior
		byRaters := sr >= 0 && acc[sr] >= o.MinRaters
		if !byPost && !byRaters {
			continue
		}
		s := sp
		if !byPost {
			s = sr
		}
		d := Dispute{
			Item: int32(i), Gold: g, Suggested: s,
			Posterior: p[s], GoldPosterior: p[g],
			ByPosterior: byPost && s == sp,
			ByRaters:    byRaters && s == sr,
			Votes:       make([]int32, q),
		}
		for _, j := range rows {
			d.Votes[label[j]]++
			r := rater[j]
			if label[j] != s || !(ds.RaterAccuracy[r] >= o.MinAccuracy) {
				continue
			}
			if n := len(d.Raters); n == 0 || d.Raters[n-1] != r {
				d.Raters = append(d.Raters, r)
			}
		}
		out = append(out, d)
	}
	return out
}
