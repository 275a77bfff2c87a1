// Package demo generates LabelQA's sample data set: a month of an ads policy
// queue labeled by three vendors in three markets (Indonesia, Norway, the
// Philippines), with a golden set mixed in as hidden checks, a few planted
// problems for a queue health check to find, and on most errors against
// gold the error category and root cause QA wrote down (rca.go).
//
// The sample is deterministic: the same Options give the same bytes. It is
// written as it is generated, so a million items need no more memory than a
// thousand.
package demo

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// DefaultItems is the number of live items when Options.Items is 0.
const DefaultItems = 3000

// MaxItems is the largest Options.Items accepted.
const MaxItems = 50_000_000

// Options controls the sample.
type Options struct {
	// Items is the number of distinct live (production) items; 0 means
	// DefaultItems. Each is labeled by one to three reviewers.
	Items int
	// Seed selects the sample; the same seed gives the same files.
	Seed int64
	// Start is the first day of the four-week period; the zero value means
	// Monday 2025-03-03 (ISO week 2025-W10), so output is reproducible.
	Start time.Time
}

// GoldFile is one golden-set file written.
type GoldFile struct {
	Path       string
	Version    string // GDS version, e.g. "GDS-2025.1"
	SOPVersion string // guideline version it was settled under
	Items      int
}

// WrongGold is a golden item whose published answer is wrong: reviewers who
// follow the SOP consistently give TrueLabel.
type WrongGold struct {
	ItemID    string
	GoldLabel string
	TrueLabel string
}

// Planted lists the problems planted in the sample.
type Planted struct {
	// Speeders are reviewers with very short handling times and near-random labels.
	Speeders []string
	// BadWeekVendor's accuracy drops sharply in ISO week BadWeek ("2025-W11").
	BadWeekVendor string
	BadWeek       string
	BadWeekYear   int
	BadWeekNumber int
	// WrongGold are golden items with a wrong answer.
	WrongGold []WrongGold
	// SOPSwitch is the first day of SOP v4 (and GDS-2025.2).
	SOPSwitch time.Time
}

// Result describes what Generate wrote.
type Result struct {
	Batches     []string   // batch files written (CSV and XLSX), sorted
	Gold        []GoldFile // golden-set files, oldest version first
	Labels      []string   // the declared label set in order; the first is "approve"
	Allowed     []string   // labels that mean the ad may run
	Annotations int        // judgments written over all batches
	Items       int        // live items
	// PoolItems counts the golden practice and exam items someone labeled:
	// items of the golden pool that are not live items, so a project of
	// the sample holds Items + PoolItems labeled items.
	PoolItems  int
	Annotators int // reviewers who labeled something, QA reviewers included
	Planted    Planted
}

// Random streams, one per kind of draw.
const (
	streamReviewer = iota + 1
	streamLive
	streamPool
	streamPractice
	streamTest
	streamIDs
)

const (
	days      = 28 // length of the period
	sopSwitch = 14 // day offset where SOP v4 starts
	// Golden items per market: two exams of examSize, then practice items.
	// A reviewer never meets the same pool item twice (each week's practice
	// takes the next slice of that reviewer's own order of the practice part),
	// so the sample has no accidental (item, annotator) repeats.
	maxPractice = 25
	poolSize    = 2*examSize + (days/7)*maxPractice
	examSize    = 20
	goldRate    = 0.07 // share of live items that are golden
	qaRate      = 0.10 // share of live items re-labeled in 2RQA
	formulaRate = 0.015
	hardRate    = 0.15
)

// wrongGold names the pool items (market, index) whose golden answer is wrong.
var wrongGold = []struct{ market, index int }{{0, 3}, {0, 24}, {1, 6}, {2, 27}}

// calendar maps day offsets of the period to dates and ISO weeks.
type calendar struct {
	y    int
	m    time.Month
	d    int
	work []int // offsets of Monday..Friday
}

func newCalendar(start time.Time) *calendar {
	if start.IsZero() {
		start = time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC)
	}
	c := &calendar{y: start.Year(), m: start.Month(), d: start.Day()}
	for off := range days {
		switch c.noon(off).Weekday() {
		case time.Saturday, time.Sunday:
		default:
			c.work = append(c.work, off)
		}
	}
	return c
}

func (c *calendar) noon(off int) time.Time {
	return time.Date(c.y, c.m, c.d+off, 12, 0, 0, 0, time.UTC)
}

// at returns the local time in zone on day off, sec seconds after midnight.
func (c *calendar) at(off int, zone *time.Location, sec float64) time.Time {
	return time.Date(c.y, c.m, c.d+off, 0, 0, 0, 0, zone).Add(time.Duration(sec * float64(time.Second))).Truncate(time.Second)
}

// week returns the ISO week name of day off, e.g. "2025-W10".
func (c *calendar) week(off int) string {
	y, w := c.noon(off).ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

// nextWorkday moves t to Monday when it falls on a weekend.
func nextWorkday(t time.Time) time.Time {
	switch t.Weekday() {
	case time.Saturday:
		return t.AddDate(0, 0, 2)
	case time.Sunday:
		return t.AddDate(0, 0, 1)
	}
	return t
}

// itemIDs makes item ids "ad-NNNNNNNN": a seed-keyed permutation of
// 0..10⁸-1, so ids look scattered, never collide, and say nothing about
// which items are golden.
type itemIDs struct{ key uint64 }

const idSpace = 100_000_000

// permute is a bijection on 27-bit numbers (each step is invertible);
// cycle-walking keeps it a bijection on [0, idSpace).
func (g itemIDs) permute(x uint64) uint64 {
	const mask = 1<<27 - 1
	for {
		for round := range uint64(3) {
			x = (x ^ (g.key>>(round*9))&mask) & mask
			x = (x * 0x2545f49) & mask
			x ^= x >> 13
			x = (x * 0x1b873593) & mask
			x ^= x >> 11
		}
		if x < idSpace {
			return x
		}
	}
}

func (g itemIDs) id(i int) string {
	x := g.permute(uint64(i))
	var b [11]byte
	copy(b[:], "ad-")
	for k := 10; k >= 3; k-- {
		b[k] = byte('0' + x%10)
		x /= 10
	}
	return string(b[:])
}

// poolItem is a golden item of a market's practice and exam pool.
type poolItem struct {
	id      string
	truth   int
	gold    int // published answer (differs from truth when planted wrong)
	hard    bool
	alt     int
	content string
}

// generator holds the state of one run.
type generator struct {
	ctx      context.Context
	opts     Options
	cal      *calendar
	ids      itemIDs
	first    [][]*reviewer
	qa       [][]*reviewer
	out      *sinks
	pool     [][]poolItem
	progress func(done, total int64)
	done     int64
	total    int64
	res      Result
	goldRows [2]int
	poolSeen [][]bool // per market, per pool item: labeled
}

// Generate writes the sample into dir: batches under dir/batches and the
// golden set under dir/gold, overwriting files of the same names. progress,
// when not nil, is called now and then with judgments written and an
// estimate of the total. On error or cancellation the files written are
// removed.
func Generate(ctx context.Context, dir string, opts Options, progress func(done, total int64)) (Result, error) {
	if opts.Items == 0 {
		opts.Items = DefaultItems
	}
	if opts.Items < 0 || opts.Items > MaxItems {
		return Result{}, fmt.Errorf("demo: items must be between 1 and %d, not %d", MaxItems, opts.Items)
	}
	g := &generator{
		ctx: ctx, opts: opts, cal: newCalendar(opts.Start),
		ids: itemIDs{key: mix(uint64(opts.Seed) ^ streamIDs)},
		out: newSinks(dir), progress: progress,
	}
	g.first, g.qa = newReviewers(opts.Seed)
	nFirst := 0
	for mi := range markets {
		nFirst += len(g.first[mi])
	}
	g.total = int64(float64(opts.Items)*(1.8+qaRate)) + int64(nFirst*(4*g.practiceCount()+2*examSize))
	g.res.Labels = slices.Clone(Labels)
	g.res.Allowed = slices.Clone(Allowed)
	g.res.Items = opts.Items

	err := g.run()
	if cerr := g.out.close(); err == nil {
		err = cerr
	}
	if err != nil {
		g.out.remove()
		return Result{}, err
	}
	for _, p := range g.out.files {
		if filepath.Base(filepath.Dir(p)) == "batches" {
			g.res.Batches = append(g.res.Batches, p)
		}
	}
	slices.Sort(g.res.Batches)
	for v, s := range sops {
		g.res.Gold = append(g.res.Gold, GoldFile{
			Path: filepath.Join(dir, goldName(v)), Version: s.gds, SOPVersion: s.version, Items: g.goldRows[v],
		})
	}
	for _, seen := range g.poolSeen {
		for _, ok := range seen {
			if ok {
				g.res.PoolItems++
			}
		}
	}
	g.report(true)
	return g.res, nil
}

// Summary says in one line what the sample holds, with every item counted
// once: "8,074 annotations on 3,420 items (3,000 live items and 420 golden
// practice and exam items) by 36 reviewers". A project of the sample shows
// the same 3,420 items.
func (r Result) Summary() string {
	n := func(v int) string { return string(groupThousands(nil, v, ",")) }
	return fmt.Sprintf("%s annotations on %s items (%s live items and %s golden practice and exam items) by %s reviewers",
		n(r.Annotations), n(r.Items+r.PoolItems), n(r.Items), n(r.PoolItems), n(r.Annotators))
}

func goldName(v int) string { return filepath.Join("gold", "gold_"+sops[v].gds+".csv") }

func batchName(queue string, m *market, week, ext string) string {
	return filepath.Join("batches", queue+"_"+m.slug+"_"+week+ext)
}

// practiceCount is how many practice items each reviewer does per week.
func (g *generator) practiceCount() int { return min(maxPractice, max(3, g.opts.Items/300)) }

func (g *generator) report(final bool) {
	if g.progress == nil {
		return
	}
	if final {
		g.progress(g.done, g.done)
		return
	}
	if g.done&4095 == 0 {
		t := g.total
		if g.done > t {
			t = g.done
		}
		g.progress(g.done, t)
	}
}

// counted records one judgment written by rv.
func (g *generator) counted(rv *reviewer) {
	if !rv.labeled {
		rv.labeled = true
		g.res.Annotators++
	}
	g.done++
	g.res.Annotations++
	g.report(false)
}

func (g *generator) run() error {
	g.plant()
	if err := g.writePoolGold(); err != nil {
		return err
	}
	if err := g.live(); err != nil {
		return err
	}
	if err := g.practice(); err != nil {
		return err
	}
	return g.tests()
}

// plant records the planted problems and builds the golden pools.
func (g *generator) plant() {
	p := &g.res.Planted
	p.Speeders = slices.Clone(speederIDs)
	p.BadWeekVendor = markets[badWeekMarket].vendor
	p.BadWeek = g.cal.week(7 * badWeekIndex)
	p.BadWeekYear, p.BadWeekNumber = g.cal.noon(7 * badWeekIndex).ISOWeek()
	p.SOPSwitch = time.Date(g.cal.y, g.cal.m, g.cal.d+sopSwitch, 0, 0, 0, 0, time.UTC)

	prior := [nLabels]float64{30, 10, 10, 10, 10, 10, 10, 10}
	g.pool = make([][]poolItem, len(markets))
	g.poolSeen = make([][]bool, len(markets))
	for mi, m := range markets {
		lx := lexicons[m.lang]
		for j := range poolSize {
			r := newRnd(g.opts.Seed, streamPool, uint64(mi*1000+j))
			it := poolItem{id: g.ids.id(g.opts.Items + mi*poolSize + j), truth: r.pick(prior[:])}
			formula := false
			switch j {
			case 0:
				it.truth, formula = lApprove, true
			case 1:
				it.truth, formula = lScam, true
			}
			it.hard = j > 1 && r.float() < 0.1
			it.alt = partner[it.truth]
			it.gold = it.truth
			for _, w := range wrongGold {
				if w.market == mi && w.index == j {
					it.hard = false
					it.gold = partner[it.truth]
					p.WrongGold = append(p.WrongGold, WrongGold{ItemID: it.id, GoldLabel: Labels[it.gold], TrueLabel: Labels[it.truth]})
				}
			}
			it.content = string(lx.ad(nil, r, it.truth, formula))
			g.pool[mi] = append(g.pool[mi], it)
		}
		g.poolSeen[mi] = make([]bool, poolSize)
	}
}

func (g *generator) writeGold(v int, item string, label int, r *rnd) error {
	g.goldRows[v]++
	s := &sops[v]
	return g.out.writeFields(goldName(v), GoldHeader, item, Labels[label], choose(r, rationales[label]), s.sections[label], s.gds)
}

// writePoolGold writes the practice and exam pool into both GDS versions.
func (g *generator) writePoolGold() error {
	for v := range sops {
		for mi := range markets {
			for j, it := range g.pool[mi] {
				r := newRnd(g.opts.Seed, streamPool, uint64(100000+v*10000+mi*1000+j))
				if err := g.writeGold(v, it.id, it.gold, r); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// liveSep is the separator of a market's live batches: Norwegian-style
// exports use ';' and decimal commas.
func liveSep(m *market) byte {
	if m.semicolon {
		return ';'
	}
	return ','
}

func (g *generator) comment(r *rnd, rv *reviewer, hard bool) string {
	if rv.speeder {
		return ""
	}
	p := 0.03
	if hard {
		p = 0.12
	}
	if r.float() < p {
		return choose(r, lexicons[rv.m.lang].comments)
	}
	return ""
}

// live writes the production queue and its 2RQA sample.
func (g *generator) live() error {
	n := g.opts.Items
	shares := make([]float64, len(markets))
	for i, m := range markets {
		shares[i] = m.share
	}
	var picked []*reviewer
	var content []byte
	for i := range n {
		if i&1023 == 0 {
			if err := g.ctx.Err(); err != nil {
				return err
			}
		}
		r := newRnd(g.opts.Seed, streamLive, uint64(i))
		mi := r.pick(shares)
		m := markets[mi]
		off := g.cal.work[i*len(g.cal.work)/n]
		week := g.cal.week(off)
		v := 0
		if off >= sopSwitch {
			v = 1
		}
		bad := mi == badWeekMarket && off/7 == badWeekIndex
		truth := r.pick(m.prior[:])
		hard := r.float() < hardRate
		alt := partner[truth]
		if r.float() < 0.3 {
			alt = r.pick(confusion[truth][:])
		}
		content = lexicons[m.lang].ad(content[:0], r, truth, r.float() < formulaRate)
		text := string(content)
		id := g.ids.id(i)
		gold := r.float() < goldRate
		k := 1 + r.pick([]float64{40, 40, 20})
		picked = pickReviewers(r, g.first[mi], k, picked)
		arrival := 8*3600 + r.float()*9*3600
		sep := liveSep(m)
		name := batchName("live", m, week, ".csv")
		var last time.Time
		firstLabel := -1
		var firstRev *reviewer
		for _, rv := range picked {
			at := g.cal.at(off, m.zone, arrival+min(r.exp(25*60), 3*3600))
			rw := row{
				item: id, rv: rv, label: rv.judge(r, truth, hard, alt, bad), queue: "live", round: 1,
				at: at, dur: rv.duration(r, truth, hard), sop: &sops[v], content: text, comment: g.comment(r, rv, hard),
			}
			if gold {
				tagError(&rw, truth, truth, hard, bad)
			}
			if firstLabel < 0 {
				firstLabel, firstRev = rw.label, rv
			}
			if at.After(last) {
				last = at
			}
			if err := g.out.write(name, sep, &rw); err != nil {
				return err
			}
			g.counted(rv)
		}
		if gold {
			if err := g.writeGold(v, id, truth, r); err != nil {
				return err
			}
		}
		if r.float() < qaRate {
			qa := choose(r, g.qa[mi])
			at := nextWorkday(last.Add(time.Duration(r.between(20, 44)) * time.Hour))
			if h := at.Hour(); h < 8 || h >= 18 {
				at = at.Add(time.Duration(8+r.intn(9)-h) * time.Hour)
				at = nextWorkday(at)
			}
			rw := row{
				item: id, rv: qa, label: qa.judge(r, truth, hard, alt, false), queue: "2rqa", round: 2,
				at: at, dur: qa.duration(r, truth, hard), sop: &sops[v], content: text,
			}
			if rw.label != firstLabel {
				if r.float() < 0.85 {
					rw.comment = "Overturn " + firstRev.id + ": " + Labels[firstLabel] + " → " + Labels[rw.label] +
						" (SOP " + sops[v].version + " §" + sectionNumber(sops[v].sections[rw.label]) + ")"
				}
			} else if r.float() < 0.05 {
				rw.comment = "Agree with round 1"
			}
			if err := g.out.write(batchName("2rqa", m, week, ".csv"), ',', &rw); err != nil {
				return err
			}
			g.counted(qa)
		}
	}
	return nil
}

// sectionNumber returns "4.1" of "4.1 Misleading claims".
func sectionNumber(s string) string {
	for i := range len(s) {
		if s[i] == ' ' {
			return s[:i]
		}
	}
	return s
}

// practice writes each reviewer's weekly practice on golden pool items.
func (g *generator) practice() error {
	per := g.practiceCount()
	for mi, m := range markets {
		for ri, rv := range g.first[mi] {
			for w := range days / 7 {
				if err := g.ctx.Err(); err != nil {
					return err
				}
				r := newRnd(g.opts.Seed, streamPractice, uint64(mi*100000+ri*100+w))
				order := perm(newRnd(g.opts.Seed, streamPractice, uint64(mi*100000+ri*100+99)), poolSize-2*examSize)
				var wd []int
				for _, off := range g.cal.work {
					if off/7 == w {
						wd = append(wd, off)
					}
				}
				if len(wd) == 0 {
					continue
				}
				off := choose(r, wd)
				v := 0
				if off >= sopSwitch {
					v = 1
				}
				bad := mi == badWeekMarket && w == badWeekIndex
				sec := 8*3600 + r.float()*6*3600
				for _, j := range order[w*per : (w+1)*per] {
					it := &g.pool[mi][2*examSize+j]
					g.poolSeen[mi][2*examSize+j] = true
					rw := row{
						item: it.id, rv: rv, label: rv.judge(r, it.truth, it.hard, it.alt, bad), queue: "practice", round: 1,
						dur: rv.duration(r, it.truth, it.hard), sop: &sops[v], content: it.content,
					}
					tagError(&rw, it.truth, it.gold, it.hard, bad)
					sec += rw.dur + r.exp(40)
					rw.at = g.cal.at(off, m.zone, sec)
					if err := g.out.write(batchName("practice", m, g.cal.week(off), ".csv"), ',', &rw); err != nil {
						return err
					}
					g.counted(rv)
				}
			}
		}
	}
	return nil
}

// perm returns a random permutation of 0..n-1.
func perm(r *rnd, n int) []int {
	p := make([]int, n)
	for i := range p {
		j := r.intn(i + 1)
		p[i] = p[j]
		p[j] = i
	}
	return p
}

// tests writes the certification exams (one per SOP version) as XLSX, one
// workbook per vendor and exam.
func (g *generator) tests() error {
	for v := range sops {
		off := -1
		for _, o := range g.cal.work {
			if (v == 0 && o >= 0) || (v == 1 && o >= sopSwitch) {
				off = o
				break
			}
		}
		if off < 0 {
			continue
		}
		for mi, m := range markets {
			if err := g.ctx.Err(); err != nil {
				return err
			}
			var rows []row
			items := g.pool[mi][v*examSize : (v+1)*examSize]
			for ri, rv := range g.first[mi] {
				r := newRnd(g.opts.Seed, streamTest, uint64(v*100000+mi*1000+ri))
				sec := 9*3600 + r.float()*4*3600
				for _, j := range perm(r, len(items)) {
					it := &items[j]
					g.poolSeen[mi][v*examSize+j] = true
					rw := row{
						item: it.id, rv: rv, label: rv.judge(r, it.truth, it.hard, it.alt, false), queue: "test", round: 1,
						dur: rv.duration(r, it.truth, it.hard), sop: &sops[v], content: it.content,
					}
					tagError(&rw, it.truth, it.gold, it.hard, false)
					sec += rw.dur + r.exp(10)
					rw.at = g.cal.at(off, m.zone, sec)
					rows = append(rows, rw)
					g.counted(rv)
				}
			}
			path := filepath.Join(g.out.dir, batchName("test", m, g.cal.week(off), ".xlsx"))
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return err
			}
			g.out.files = append(g.out.files, path)
			if err := writeXLSX(path, rows); err != nil {
				return fmt.Errorf("demo: %s: %w", path, err)
			}
		}
	}
	return nil
}
