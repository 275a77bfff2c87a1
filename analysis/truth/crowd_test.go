package truth

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// crowdDir holds copies of /work/shared/datasets/crowd (see its README.md
// for sources and licences), so that a clean clone runs these tests.
const crowdDir = "testdata/crowd"

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

// ckResult is what refCrowdKit returns, keyed by strings as Crowd-Kit's
// data frames are: probas[task][k], errors[worker][label][k] over the
// classes labels (sorted distinct answer labels: Crowd-Kit's columns).
type ckResult struct {
	labels []string
	probas map[string][]float64
	priors []float64
	errors map[string]map[string][]float64
	loss   []float64
}

const ckEps = 1e-10 // crowdkit.aggregation.classification.dawid_skene._EPS

// refCrowdKit is Crowd-Kit 1.4.1's DawidSkene(n_iter, tol).fit (commit
// 35f0661, crowdkit/aggregation/classification/dawid_skene.py) written out
// plainly with maps, in its order of steps: probas from MajorityVote
// (vote shares over every row), priors = probas.mean(), errors = _m_step;
// then n_iter times: _e_step, priors, _m_step, loss =
// _evidence_lower_bound / len(data), break when loss − previous < tol. The
// E-step works in log2 space, as Crowd-Kit's, and the loss's clip of probas
// is in place, so the returned probas are clipped at ε, as Crowd-Kit's
// probas_ are.
func refCrowdKit(s crowdSet, nIter int, tol float64) ckResult {
	seen := map[string]bool{}
	for _, a := range s.answers {
		seen[a.label] = true
	}
	var r ckResult
	for l := range seen {
		r.labels = append(r.labels, l)
	}
	sort.Strings(r.labels)
	col := map[string]int{}
	for k, l := range r.labels {
		col[l] = k
	}
	q := len(r.labels)

	// MajorityVote().fit_predict_proba(data).
	probas := map[string][]float64{}
	votes := map[string]float64{}
	for _, a := range s.answers {
		if probas[a.item] == nil {
			probas[a.item] = make([]float64, q)
		}
		probas[a.item][col[a.label]]++
		votes[a.item]++
	}
	for t, p := range probas {
		for k := range p {
			p[k] /= votes[t]
		}
	}
	mean := func(probas map[string][]float64) []float64 {
		m := make([]float64, q)
		for _, p := range probas {
			for k := range p {
				m[k] += p[k]
			}
		}
		for k := range m {
			m[k] /= float64(len(probas))
		}
		return m
	}
	mStep := func(probas map[string][]float64) map[string]map[string][]float64 {
		errors := map[string]map[string][]float64{}
		for _, a := range s.answers {
			if errors[a.rater] == nil {
				errors[a.rater] = map[string][]float64{}
			}
			e := errors[a.rater][a.label]
			if e == nil {
				e = make([]float64, q)
				errors[a.rater][a.label] = e
			}
			for k := range e {
				e[k] += probas[a.item][k]
			}
		}
		for _, byLabel := range errors {
			sum := make([]float64, q)
			for _, e := range byLabel {
				for k := range e {
					e[k] = math.Max(e[k], ckEps) // errors.clip(lower=_EPS)
					sum[k] += e[k]
				}
			}
			for _, e := range byLabel {
				for k := range e {
					e[k] /= sum[k]
				}
			}
		}
		return errors
	}
	eStep := func(priors []float64, errors map[string]map[string][]float64) map[string][]float64 {
		ll := map[string][]float64{}
		for _, a := range s.answers {
			if ll[a.item] == nil {
				ll[a.item] = make([]float64, q)
				for k := range priors {
					ll[a.item][k] = math.Log2(math.Max(priors[k], ckEps))
				}
			}
			for k, e := range errors[a.rater][a.label] {
				ll[a.item][k] += math.Log2(e)
			}
		}
		for _, l := range ll {
			mx := math.Inf(-1)
			for _, v := range l {
				mx = math.Max(mx, v)
			}
			var z float64
			for k := range l {
				l[k] = math.Exp2(l[k] - mx)
				z += l[k]
			}
			for k := range l {
				l[k] /= z
			}
		}
		return ll
	}
	elbo := func(probas map[string][]float64, priors []float64, errors map[string]map[string][]float64) float64 {
		var joint float64
		for _, a := range s.answers {
			for k, e := range errors[a.rater][a.label] {
				joint += probas[a.item][k] * (math.Log(e) + math.Log(math.Max(priors[k], ckEps)))
			}
		}
		var entropy float64
		for _, p := range probas {
			for k := range p {
				p[k] = math.Max(p[k], ckEps) // probas.clip(lower=_EPS, inplace=True)
				entropy -= math.Log(p[k]) * p[k]
			}
		}
		return joint + entropy
	}

	priors := mean(probas)
	errors := mStep(probas)
	loss := math.Inf(-1)
	for it := 0; it < nIter; it++ {
		probas = eStep(priors, errors)
		priors = mean(probas)
		errors = mStep(probas)
		newLoss := elbo(probas, priors, errors) / float64(len(s.answers))
		r.loss = append(r.loss, newLoss)
		if newLoss-loss < tol {
			break
		}
		loss = newLoss
	}
	r.probas, r.priors, r.errors = probas, priors, errors
	return r
}

// ckLabel is get_most_probable_labels: idxmax over the sorted columns.
func (r ckResult) ckLabel(task string) string {
	p := r.probas[task]
	best := 0
	for k := range p {
		if p[k] > p[best] {
			best = k
		}
	}
	return r.labels[best]
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

// TestCrowd compares majority vote and Dawid-Skene against gold on the six
// crowd sets with the map-based reference computations above, both keeping
// every row and keeping the last row per (item, annotator) pair. Dawid-Skene
// must reproduce refCrowdKit (posteriors, priors, confusion cells within
// 1e-6, loss within 1e-9, the same rounds and labels) with Crowd-Kit's
// defaults and over 100 full rounds, on the dense and the bounded path; with
// smoothing it must reproduce refDS. Run with -v for the table of
// docs/METRICS.md.
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

				ic, rc, lc := map[string]int{}, map[string]int{}, map[string]int{}
				for j, a := range s.answers {
					ic[a.item], rc[a.rater] = int(item[j]), int(rater[j])
				}
				for k, l := range s.labels {
					lc[l] = k
				}
				var dsAcc float64
				var dsIter int
				var worstPost float64
				for _, run := range []struct {
					what string
					opt  DSOptions
					tol  float64
				}{
					{"defaults", DSOptions{}, DefaultTol},
					{"100 rounds", DSOptions{MaxIter: 100, Tol: 0}, math.Inf(-1)},
				} {
					ref := refCrowdKit(s, 100, run.tol)
					for _, bounded := range []bool{false, true} {
						what := run.what + map[bool]string{false: " dense", true: " bounded"}[bounded]
						o := run.opt
						if run.what == "defaults" {
							o.Tol = -1 // DefaultTol
						}
						ds := dsPath(bounded, item, rater, label, nItems, nRaters, q, &o)
						worstPost = math.Max(worstPost, compareCK(t, what, s, ref, &ds, ic, rc, lc))
						if run.what == "defaults" && !bounded {
							dsAcc, dsIter = LabelAccuracy(ds.Label, gold).Value, ds.Iterations
							if want := refAccuracy(s, ref.probasByLabel(s.labels)); math.Abs(dsAcc-want) > 1e-12 {
								t.Errorf("%s: gold accuracy %.12f, Crowd-Kit reference %.12f", what, dsAcc, want)
							}
						}
					}
				}

				// Smoothing: the MAP M-step of refDS.
				sm := DawidSkene(item, rater, label, nItems, nRaters, q, &DSOptions{Smoothing: 0.01, MaxIter: 50, Tol: 0})
				T, lls := refDS(s, 0.01, sm.Iterations)
				var worst float64
				for it, tt := range T {
					for k := range tt {
						worst = math.Max(worst, math.Abs(tt[k]-sm.Posterior[ic[it]*q+k]))
					}
				}
				if worst > 1e-9 {
					t.Errorf("smoothing 0.01: posterior differs from reference by %g", worst)
				}
				for r := range lls {
					if d := math.Abs(lls[r] - sm.LogLik[r]); d > 1e-9*math.Abs(lls[r]) {
						t.Errorf("smoothing 0.01: round %d log-likelihood %.12g, reference %.12g", r, sm.LogLik[r], lls[r])
						break
					}
				}
				checkMonotone(t, sm.Loss, "smoothing 0.01: loss")
				wawa := WeightedMajorityVote(item, rater, label, nItems, nRaters, q, TiesFirst, 0)
				smAcc := LabelAccuracy(sm.Label, gold).Value
				t.Logf("TABLE | %s | %s | %d | %d | %.4f | %.4f | %d | %.4f | %d | %.4f | %.4f | %.1e",
					mode.name, name, len(item), accF.Items, accF.Value, accX.Value, mvF.Ties,
					dsAcc, dsIter, smAcc, wawa.GoldAccuracy(gold).Value, worstPost)
			})
		}
	}
}

// TestCrowdKitSmall runs the Crowd-Kit reference on ExampleDawidSkene's
// data, a label only gold uses (no class under maximum likelihood) and a
// duplicate row, on both paths, with the defaults.
func TestCrowdKitSmall(t *testing.T) {
	var s crowdSet
	item := []string{"0", "0", "0", "1", "1", "1", "2", "2", "2", "3", "3", "3"}
	rater := []string{"a", "b", "c", "a", "b", "c", "a", "b", "c", "a", "b", "b"}
	label := []string{"0", "0", "1", "1", "1", "0", "0", "0", "0", "1", "0", "0"}
	for j := range item {
		s.answers = append(s.answers, answer{item[j], rater[j], label[j]})
	}
	s.labels = []string{"0", "1", "2"}
	s.gold = map[string]string{"0": "2"}
	it, rt, lb, _, nItems, nRaters, q := s.encode()
	ic, rc, lc := map[string]int{}, map[string]int{}, map[string]int{}
	for j, a := range s.answers {
		ic[a.item], rc[a.rater] = int(it[j]), int(rt[j])
	}
	for k, l := range s.labels {
		lc[l] = k
	}
	ref := refCrowdKit(s, 100, DefaultTol)
	for _, bounded := range []bool{false, true} {
		ds := dsPath(bounded, it, rt, lb, nItems, nRaters, q, nil)
		compareCK(t, fmt.Sprint("bounded ", bounded), s, ref, &ds, ic, rc, lc)
		for i := 0; i < nItems; i++ {
			if p := ds.Posterior[i*q+2]; p != 0 {
				t.Errorf("bounded %v: item %d has posterior %v on a label nobody gave", bounded, i, p)
			}
		}
	}
}

// dsPath runs DawidSkene on the dense path, or on the bounded one.
func dsPath(bounded bool, item, rater, label []int32, nItems, nRaters, q int, o *DSOptions) DSResult {
	if bounded {
		old := denseMaxCells
		denseMaxCells = 0
		defer func() { denseMaxCells = old }()
	}
	return DawidSkene(item, rater, label, nItems, nRaters, q, o)
}

// probasByLabel maps the reference's posteriors onto the declared labels.
func (r ckResult) probasByLabel(labels []string) map[string][]float64 {
	col := map[string]int{}
	for k, l := range r.labels {
		col[l] = k
	}
	out := map[string][]float64{}
	for t, p := range r.probas {
		v := make([]float64, len(labels))
		for k, l := range labels {
			if c, ok := col[l]; ok {
				v[k] = p[c]
			}
		}
		out[t] = v
	}
	return out
}

// compareCK checks ds against the Crowd-Kit reference and returns the
// largest posterior difference.
func compareCK(t *testing.T, what string, s crowdSet, ref ckResult, ds *DSResult, ic, rc, lc map[string]int) float64 {
	t.Helper()
	q := len(s.labels)
	if ds.Iterations != len(ref.loss) {
		t.Errorf("%s: %d rounds, Crowd-Kit %d", what, ds.Iterations, len(ref.loss))
		return math.Inf(1)
	}
	for r := range ref.loss {
		if d := math.Abs(ref.loss[r] - ds.Loss[r]); !(d <= 1e-9) {
			t.Errorf("%s: round %d loss %.15g, Crowd-Kit %.15g", what, r, ds.Loss[r], ref.loss[r])
			break
		}
	}
	var worst float64
	for task, p := range ref.probas {
		i := ic[task]
		for c, l := range ref.labels {
			worst = math.Max(worst, math.Abs(p[c]-ds.Posterior[i*q+lc[l]]))
		}
		if got, want := s.labels[ds.Label[i]], ref.ckLabel(task); got != want {
			t.Errorf("%s: item %s label %s, Crowd-Kit %s (posteriors %v)", what, task, got, want, p)
		}
	}
	if worst > 1e-6 {
		t.Errorf("%s: posteriors differ from Crowd-Kit by %g", what, worst)
	}
	for c, l := range ref.labels {
		if d := math.Abs(ref.priors[c] - ds.Prior[lc[l]]); d > 1e-6 {
			t.Errorf("%s: prior %s %.12f, Crowd-Kit %.12f", what, l, ds.Prior[lc[l]], ref.priors[c])
		}
	}
	var worstE float64
	for w, byLabel := range ref.errors {
		for l, e := range byLabel {
			for c, k := range ref.labels {
				d := math.Abs(e[c] - ds.Confusion(rc[w], lc[k], lc[l]))
				if !(d <= worstE) {
					worstE = d
				}
			}
		}
	}
	if !(worstE <= 1e-6) {
		t.Errorf("%s: confusion cells differ from Crowd-Kit by %g", what, worstE)
	}
	return worst
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
