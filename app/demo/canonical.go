package demo

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"time"
)

// WriteCanonicalCSV streams a large canonical batch for benchmarks: rows
// judgments (plus the header) of a live queue worked by 90 reviewers of
// three vendors, with the 8-label set, one to three judgments per item
// (about 1.43 on average, so a million rows hold some 700,000 items), and
// ad copy in Indonesian, Norwegian and English. The same rows and seed
// give the same bytes. A million rows (about 180 MB) take about half a second.
func WriteCanonicalCSV(w io.Writer, rows int, seed int64) error {
	if rows < 0 {
		return fmt.Errorf("demo: rows must not be negative, not %d", rows)
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	buf := appendRecord(make([]byte, 0, 1024), ',', Header...)

	// 30 reviewers per market, with the planted speeders among them.
	revs := make([][]*reviewer, len(markets))
	for mi, m := range markets {
		for j := 1; j <= 30; j++ {
			r := newRnd(seed, streamReviewer, uint64(10000+mi*100+j))
			rv := &reviewer{
				id: fmt.Sprintf("%s_rev%02d", m.prefix, j), m: m, team: m.teams[(j-1)%len(m.teams)],
				acc: 0.85 + 0.10*r.float(), median: 20 + 40*r.float(), sigma: 0.35 + 0.2*r.float(), weight: 0.6 + 0.8*r.float(),
			}
			for _, s := range speederIDs {
				if rv.id == s {
					rv.speeder, rv.median, rv.sigma = true, 3.2, 0.3
				}
			}
			revs[mi] = append(revs[mi], rv)
		}
	}
	// Pre-rendered ad copy per market and class.
	const variants = 64
	texts := make([][nLabels][]string, len(markets))
	for mi, m := range markets {
		lx := lexicons[m.lang]
		for c := range nLabels {
			r := newRnd(seed, streamPool, uint64(500000+mi*100+c))
			for v := range variants {
				texts[mi][c] = append(texts[mi][c], string(lx.ad(nil, r, c, v == 0)))
			}
		}
	}
	shares := make([]float64, len(markets))
	for i, m := range markets {
		shares[i] = m.share
	}
	ids := itemIDs{key: mix(uint64(seed) ^ streamIDs)}
	start := time.Date(2025, 3, 3, 1, 0, 0, 0, time.UTC)
	items := rows*10/14 + 1
	step := float64(28*24*3600) / float64(items)
	r := newRnd(seed, streamLive, 1<<40)
	var picked []*reviewer
	row := row{queue: "live", round: 1}
	written := 0
	for i := 0; written < rows; i++ {
		mi := r.pick(shares)
		m := markets[mi]
		truth := r.pick(m.prior[:])
		hard := r.float() < hardRate
		alt := partner[truth]
		u := r.float()
		k := 1
		if u > 0.97 {
			k = 3
		} else if u > 0.60 {
			k = 2
		}
		picked = pickReviewers(r, revs[mi], k, picked)
		at := start.Add(time.Duration(float64(i) * step * float64(time.Second))).In(m.zone)
		row.item = ids.id(i)
		row.content = texts[mi][truth][r.intn(variants)]
		row.sop = &sops[0]
		if at.Sub(start) >= sopSwitch*24*time.Hour {
			row.sop = &sops[1]
		}
		for _, rv := range picked {
			if written == rows {
				break
			}
			row.rv = rv
			row.label = rv.judge(r, truth, hard, alt, false)
			row.dur = rv.duration(r, truth, hard)
			row.at = at.Add(time.Duration(r.intn(3600)) * time.Second)
			row.comment = ""
			if r.intn(100) == 0 {
				row.comment = choose(r, lexicons[m.lang].comments)
			}
			buf = appendRow(buf, &row, ',')
			written++
			if len(buf) > 64<<10 {
				if _, err := bw.Write(buf); err != nil {
					return err
				}
				buf = buf[:0]
			}
		}
	}
	if _, err := bw.Write(buf); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteCanonicalCSVFile writes WriteCanonicalCSV's rows to a new file at path.
func WriteCanonicalCSVFile(path string, rows int, seed int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := WriteCanonicalCSV(w, rows, seed); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
