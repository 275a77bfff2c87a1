package truth

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

const crowdDir = "../../../shared/datasets/crowd"

var crowdSets = []string{"s_adult", "bluebirds", "d_product", "d_possent", "s_rel", "rte"}

type answer struct{ item, rater, label string }

// crowdSet is one data set read plainly from CSV, kept as strings so the
// reference computations below never touch the production encoding.
type crowdSet struct {
	answers []answer
	gold    map[string]string
	labels  []string // declared order: sorted distinct labels of answers and gold
}

func readRows(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		if os.IsNotExist(err) {
			t.Skipf("shared data missing: %v", err)
		}
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows[1:]
}

// loadCrowd reads a set; lastPerPair keeps only the last row of every
// (item, annotator) pair (the --duplicates last mode), else every row.
func loadCrowd(t *testing.T, name string, lastPerPair bool) crowdSet {
	t.Helper()
	var s crowdSet
	for _, r := range readRows(t, filepath.Join(crowdDir, name, "answers.csv")) {
		s.answers = append(s.answers, answer{r[0], r[1], r[2]})
	}
	if lastPerPair {
		last := map[[2]string]int{}
		for k, a := range s.answers {
			last[[2]string{a.item, a.rater}] = k
		}
		var kept []answer
		for k, a := range s.answers {
			if last[[2]string{a.item, a.rater}] == k {
				kept = append(kept, a)
			}
		}
		s.answers = kept
	}
	s.gold = map[string]string{}
	for _, r := range readRows(t, filepath.Join(crowdDir, name, "gold.csv")) {
		s.gold[r[0]] = r[1]
	}
	seen := map[string]bool{}
	for _, a := range s.answers {
		seen[a.label] = true
	}
	for _, g := range s.gold {
		seen[g] = true
	}
	for l := range seen {
		s.labels = append(s.labels, l)
	}
	sort.Strings(s.labels)
	return s
}

// encode turns a set into the production input shape.
func (s crowdSet) encode() (item, rater, label, gold []int32, nItems, nRaters, q int) {
	ic, rc, lc := map[string]int32{}, map[string]int32{}, map[string]int32{}
	for k, l := range s.labels {
		lc[l] = int32(k)
	}
	get := func(m map[string]int32, k string) int32 {
		v, ok := m[k]
		if !ok {
			v = int32(len(m))
			m[k] = v
		}
		return v
	}
	for _, a := range s.answers {
		item = append(item, get(ic, a.item))
		rater = append(rater, get(rc, a.rater))
		label = append(label, lc[a.label])
	}
	golds := make([]string, 0, len(s.gold))
	for g := range s.gold {
		golds = append(golds, g)
	}
	sort.Strings(golds)
	for _, g := range golds {
		get(ic, g)
	}
	gold = make([]int32, len(ic))
	for i := range gold {
		gold[i] = -1
	}
	for it, g := range s.gold {
		gold[ic[it]] = lc[g]
	}
	return item, rater, label, gold, len(ic), len(rc), len(s.labels)
}

// refMV is majority vote straight from the definition, with maps: accuracy
// against gold on answered gold items, ties to the first label in declared
// order, and the fractional score 1/k.
func refMV(s crowdSet) (items int, first, frac float64) {
	votes := map[string]map[string]int{}
	for _, a := range s.answers {
		if votes[a.item] == nil {
			votes[a.item] = map[string]int{}
		}
		votes[a.item][a.label]++
	}
	for it, g := range s.gold {
		v := votes[it]
		if len(v) == 0 {
			continue
		}
		items++
		max := 0
		for _, n := range v {
			if n > max {
				max = n
			}
		}
		var tied []string
		for _, l := range s.labels { // declared order
			if v[l] == max {
				tied = append(tied, l)
			}
		}
		if tied[0] == g {
			first++
		}
		for _, l := range tied {
			if l == g {
				frac += 1 / float64(len(tied))
			}
		}
	}
	return items, first / float64(items), frac / float64(items)
}

// refDS is Dawid & Skene (1979) EM straight from the formulas with maps:
// start from vote shares, pseudo-count alpha on every confusion cell and
// class count, exactly iters rounds of M-step then E-step. It returns the
// posterior of every item and the log-likelihood of every round.
func refDS(s crowdSet, alpha float64, iters int) (map[string][]float64, []float64) {
	q := len(s.labels)
	code := map[string]int{}
	for k, l := range s.labels {
		code[l] = k
	}
	type obs struct {
		rater string
		label int
	}
	byItem := map[string][]obs{}
	for _, a := range s.answers {
		byItem[a.item] = append(byItem[a.item], obs{a.rater, code[a.label]})
	}
	T := map[string][]float64{}
	for it, os := range byItem {
		t := make([]float64, q)
		for _, o := range os {
			t[o.label] += 1 / float64(len(os))
		}
		T[it] = t
	}
	var lls []float64
	for round := 0; round < iters; round++ {
		// M-step.
		prior := make([]float64, q)
		for _, t := range T {
			for k := range t {
				prior[k] += t[k]
			}
		}
		for k := range prior {
			prior[k] = (prior[k] + alpha) / (float64(len(T)) + float64(q)*alpha)
		}
		conf := map[string][][]float64{}
		for it, os := range byItem {
			for _, o := range os {
				c := conf[o.rater]
				if c == nil {
					c = make([][]float64, q)
					for k := range c {
						c[k] = make([]float64, q)
					}
					conf[o.rater] = c
				}
				for k := 0; k < q; k++ {
					c[k][o.label] += T[it][k]
				}
			}
		}
		for _, c := range conf {
			for k := range c {
				var sum float64
				for l := range c[k] {
					sum += c[k][l]
				}
				for l := range c[k] {
					c[k][l] = (c[k][l] + alpha) / (sum + float64(q)*alpha)
				}
			}
		}
		// E-step.
		var ll float64
		for it, os := range byItem {
			lu := make([]float64, q)
			for k := range lu {
				lu[k] = math.Log(prior[k])
				for _, o := range os {
					lu[k] += math.Log(conf[o.rater][k][o.label])
				}
			}
			max := math.Inf(-1)
			for _, v := range lu {
				max = math.Max(max, v)
			}
			var z float64
			for _, v := range lu {
				z += math.Exp(v - max)
			}
			lse := max + math.Log(z)
			ll += lse
			for k := range lu {
				T[it][k] = math.Exp(lu[k] - lse)
			}
		}
		lls = append(lls, ll)
	}
	return T, lls
}

// refAccuracy scores argmax posteriors (first label on an exact tie).
func refAccuracy(s crowdSet, T map[string][]float64) float64 {
	n, c := 0, 0
	for it, g := range s.gold {
		t, ok := T[it]
		if !ok {
			continue
		}
		best := 0
		for k := range t {
			if t[k] > t[best] {
				best = k
			}
		}
		n++
		if s.labels[best] == g {
			c++
		}
	}
	return float64(c) / float64(n)
}

// TestCrowd compares majority vote and Dawid-Skene accuracy against gold on
// the six crowd sets with the map-based reference computations above, within
// 1e-9, both keeping every row and keeping the last row per (item, annotator)
// pair. Run with -v for the table of docs/METRICS.md.
func TestCrowd(t *testing.T) {
	if testing.Short() {
		t.Skip("crowd data sets are slow in -short mode")
	}
	for _, mode := range []struct {
		name string
		last bool
	}{{"keep", false}, {"last", true}} {
		for _, name := range crowdSets {
			t.Run(mode.name+"/"+name, func(t *testing.T) {
				s := loadCrowd(t, name, mode.last)
				item, rater, label, gold, nItems, nRaters, q := s.encode()

				mvF := MajorityVote(item, label, nItems, q, TiesFirst, 0)
				mvX := MajorityVote(item, label, nItems, q, TiesFractional, 0)
				accF, accX := mvF.GoldAccuracy(gold), mvX.GoldAccuracy(gold)
				rItems, rFirst, rFrac := refMV(s)
				if accF.Items != rItems || math.Abs(accF.Value-rFirst) > 1e-9 || math.Abs(accX.Value-rFrac) > 1e-9 {
					t.Errorf("MV: items %d first %.12f frac %.12f; reference %d %.12f %.12f",
						accF.Items, accF.Value, accX.Value, rItems, rFirst, rFrac)
				}

				ds := DawidSkene(item, rater, label, nItems, nRaters, q, nil)
				dsAcc := LabelAccuracy(ds.Label, gold)
				T, lls := refDS(s, ds.Options.Smoothing, ds.Iterations)
				if got, want := dsAcc.Value, refAccuracy(s, T); math.Abs(got-want) > 1e-9 {
					t.Errorf("DS accuracy %.12f, reference %.12f", got, want)
				}
				// Posteriors and log-likelihoods agree too.
				ic := map[string]int{}
				for j, a := range s.answers {
					ic[a.item] = int(item[j])
				}
				var worst float64
				for it, tt := range T {
					for k := range tt {
						worst = math.Max(worst, math.Abs(tt[k]-ds.Posterior[ic[it]*q+k]))
					}
				}
				if worst > 1e-9 {
					t.Errorf("DS posterior differs from reference by %g", worst)
				}
				for r := range lls {
					if d := math.Abs(lls[r] - ds.LogLik[r]); d > 1e-9*math.Abs(lls[r]) {
						t.Errorf("round %d log-likelihood %.12g, reference %.12g", r, ds.LogLik[r], lls[r])
						break
					}
				}
				checkMonotone(t, ds.Objective, "objective")
				llDrops := 0
				for r := 1; r < len(ds.LogLik); r++ {
					if ds.LogLik[r] < ds.LogLik[r-1] {
						llDrops++
					}
				}
				wawa := WeightedMajorityVote(item, rater, label, nItems, nRaters, q, TiesFirst, 0)
				t.Logf("TABLE | %s | %s | %d | %d | %.4f | %.4f | %d | %.4f | %d | %.4f | %v | %d ll-drops",
					mode.name, name, len(item), accF.Items, accF.Value, accX.Value, mvF.Ties,
					dsAcc.Value, ds.Iterations, wawa.GoldAccuracy(gold).Value, ds.Converged, llDrops)
			})
		}
	}
}

func checkMonotone(t *testing.T, xs []float64, what string) {
	t.Helper()
	for r := 1; r < len(xs); r++ {
		if xs[r] < xs[r-1]-1e-9*math.Abs(xs[r-1]) {
			t.Errorf("%s decreased at round %d: %.15g -> %.15g", what, r, xs[r-1], xs[r])
			return
		}
	}
}
