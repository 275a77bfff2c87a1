package agreement

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// fromMatrix builds Ratings from an items×raters matrix; -1 is a missing rating.
func fromMatrix(m [][]int, q int) *Ratings {
	r := &Ratings{NItems: len(m), NCats: q}
	for i, row := range m {
		if len(row) > r.NRaters {
			r.NRaters = len(row)
		}
		for g, c := range row {
			if c < 0 {
				continue
			}
			r.Item = append(r.Item, int32(i))
			r.Rater = append(r.Rater, int32(g))
			r.Cat = append(r.Cat, int32(c))
		}
	}
	return r
}

func near(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol
}

// synth generates n judgments over about 0.7n items (every item rated at
// least once, at most once per rater) by nRaters raters in q categories;
// a rater gives the item's latent category with probability 0.7.
func synth(n, nRaters, q int, seed uint64) *Ratings {
	rng := rand.New(rand.NewPCG(seed, 1))
	nItems := max(1, n*7/10)
	if n > nItems*nRaters {
		n = nItems * nRaters
	}
	m := make([]int32, nItems)
	for i := range m {
		m[i] = 1
	}
	for extra := n - nItems; extra > 0; {
		i := rng.IntN(nItems)
		if int(m[i]) < nRaters {
			m[i]++
			extra--
		}
	}
	r := &Ratings{NItems: nItems, NRaters: nRaters, NCats: q,
		Item: make([]int32, 0, n), Rater: make([]int32, 0, n), Cat: make([]int32, 0, n)}
	var picked []int32
	for i := 0; i < nItems; i++ {
		truth := int32(rng.IntN(q))
		picked = picked[:0]
		for len(picked) < int(m[i]) {
			g := int32(rng.IntN(nRaters))
			dup := false
			for _, p := range picked {
				dup = dup || p == g
			}
			if dup {
				continue
			}
			picked = append(picked, g)
			c := truth
			if rng.Float64() > 0.7 {
				c = int32(rng.IntN(q))
			}
			r.Item = append(r.Item, int32(i))
			r.Rater = append(r.Rater, g)
			r.Cat = append(r.Cat, c)
		}
	}
	return r
}

// Krippendorff (2011) example C: alpha from the coincidence matrix equals
// Gwet's formulation with w = 1 - δ²/max δ² (exactly, up to rounding).
func TestAlphaFormulationsAgree(t *testing.T) {
	r := synth(2000, 7, 5, 3)
	for _, lv := range []Level{Nominal, OrdinalLevel, Interval, RatioLevel} {
		k := KrippendorffAlpha(r, lv)
		tb := newTable(r)
		w, _, _, _ := levelWeights(tb, lv, r.scores())
		g := alphaGwet(tb, w)
		if !near(k.Value, g.Value, 1e-12) {
			t.Errorf("%v: Krippendorff %v != Gwet %v", lv, k.Value, g.Value)
		}
	}
	// interval alpha = Gwet alpha with quadratic weights; ratio = ratio weights
	if a, b := KrippendorffAlpha(r, Interval), KrippendorffAlphaWeighted(r, Weights(Quadratic, 5, nil)); !near(a.Value, b.Value, 1e-12) || !near(a.SE, b.SE, 1e-12) {
		t.Errorf("interval %v vs quadratic %v", a, b)
	}
	if a, b := KrippendorffAlpha(r, RatioLevel), KrippendorffAlphaWeighted(r, Weights(Ratio, 5, nil)); !near(a.Value, b.Value, 1e-12) {
		t.Errorf("ratio %v vs ratio weights %v", a, b)
	}
}

func TestOneCategoryUsedByEveryone(t *testing.T) {
	r := fromMatrix([][]int{{0, 0, 0}, {0, 0, 0}, {0, 0, -1}, {0, 0, 0}}, 3)
	pa := PercentAgreement(r, nil)
	if pa.Value != 1 || pa.SE != 0 || pa.PValue != 0 || pa.CIHigh != 1 {
		t.Errorf("percent agreement = %+v, want 1 with SE 0", pa)
	}
	for name, res := range map[string]Result{
		"fleiss": FleissKappa(r, nil), "conger": CongerKappa(r, nil), "alpha": KrippendorffAlpha(r, Nominal),
		"alphaW": KrippendorffAlphaWeighted(r, nil),
	} {
		if !math.IsNaN(res.Value) || res.Reason == "" {
			t.Errorf("%s = %+v, want NaN with a reason", name, res)
		}
	}
	// AC1 and BP stay defined (their chance agreement is < 1 with 3 declared categories).
	if v := GwetAC(r, nil).Value; v != 1 {
		t.Errorf("AC1 = %v, want 1", v)
	}
	if v := BrennanPrediger(r, nil).Value; v != 1 {
		t.Errorf("BP = %v, want 1", v)
	}
	if k := PerLabel(r)[1]; !math.IsNaN(k.Specific) || !math.IsNaN(k.Kappa.Value) {
		t.Errorf("unused category: %+v, want NaN", k)
	}
}

func TestAllRatersIdentical(t *testing.T) {
	r := fromMatrix([][]int{{0, 0, 0}, {1, 1, 1}, {2, 2, 2}, {1, 1, 1}, {0, 0, 0}}, 3)
	s := All(r, Options{})
	for name, res := range map[string]Result{"pa": s.PercentAgreement, "fleiss": s.FleissKappa, "conger": s.CongerKappa,
		"ac1": s.GwetAC, "bp": s.BrennanPrediger, "alpha": s.KrippendorffAlpha} {
		if !near(res.Value, 1, 1e-12) {
			t.Errorf("%s = %v, want 1", name, res.Value)
		}
	}
	for _, p := range Pairwise(r, nil) {
		if p.PercentAgreement != 1 || !near(p.CohenKappa, 1, 1e-12) || p.Items != 5 {
			t.Errorf("pair %+v", p)
		}
	}
}

// A rater with a single judgment on an item nobody else rated: the item
// enters n (SE, df) and the classification probabilities, not pa (irrCAC).
func TestSingleRatedItem(t *testing.T) {
	base := [][]int{{0, 0}, {1, 1}, {0, 1}, {1, 1}, {0, 0}}
	r1 := fromMatrix(base, 2)
	r2 := fromMatrix(append(base, []int{-1, -1, 1}), 2)
	a, b := FleissKappa(r1, nil), FleissKappa(r2, nil)
	if a.Pa != b.Pa {
		t.Errorf("pa changed: %v vs %v", a.Pa, b.Pa)
	}
	if b.Items != 6 || b.ItemsUsed != 5 {
		t.Errorf("items = %d/%d, want 6/5", b.Items, b.ItemsUsed)
	}
	if a.Pe == b.Pe {
		t.Errorf("pe should include the single rating")
	}
	// Krippendorff drops it from the value entirely.
	if x, y := KrippendorffAlpha(r1, Nominal).Value, KrippendorffAlpha(r2, Nominal).Value; !near(x, y, 1e-15) {
		t.Errorf("alpha changed: %v vs %v", x, y)
	}
	if s := All(r2, Options{Pairwise: true}); len(s.Pairwise) != 1 || s.Raters != 3 {
		t.Errorf("pairs %+v raters %d", s.Pairwise, s.Raters)
	}
}

// Declared-but-unused categories change only what depends on q.
func TestDeclaredUnusedCategories(t *testing.T) {
	m := [][]int{{0, 0, 1}, {1, 1, 1}, {0, 1, 0}, {1, 1, 1}, {0, 0, 0}}
	r2, r4 := fromMatrix(m, 2), fromMatrix(m, 4)
	if a, b := FleissKappa(r2, nil), FleissKappa(r4, nil); !near(a.Value, b.Value, 1e-15) || !near(a.SE, b.SE, 1e-15) {
		t.Errorf("Fleiss changed with unused categories: %v vs %v", a, b)
	}
	if a, b := KrippendorffAlpha(r2, Nominal), KrippendorffAlpha(r4, Nominal); !near(a.Value, b.Value, 1e-15) {
		t.Errorf("alpha changed: %v vs %v", a.Value, b.Value)
	}
	a, b := BrennanPrediger(r2, nil), BrennanPrediger(r4, nil)
	if a.Pe != 0.5 || b.Pe != 0.25 {
		t.Errorf("BP pe = %v, %v; want 1/2, 1/4", a.Pe, b.Pe)
	}
}

func TestTwoRaterOnly(t *testing.T) {
	r := fromMatrix([][]int{{0, 0, 1}, {1, 1, 1}, {0, 1, 0}}, 2)
	for name, res := range map[string]Result{"cohen": CohenKappa(r, nil), "scott": ScottPi(r, nil), "b": BangdiwalaB(r)} {
		if !math.IsNaN(res.Value) || !strings.Contains(res.Reason, "two raters") {
			t.Errorf("%s = %+v, want NaN (needs two raters)", name, res)
		}
	}
	if a := CohenKappaASE(r, nil); !math.IsNaN(a.Value) {
		t.Errorf("ASE with 3 raters: %+v", a)
	}
}

// Cohen via irrCAC's Conger on two raters equals the classic kappa, and
// Pairwise equals it too; 2 raters vs 200 raters.
func TestPairwiseMatchesCohen(t *testing.T) {
	for _, nr := range []int{2, 200} {
		r := synth(20000, nr, 4, uint64(nr))
		pairs := Pairwise(r, nil)
		if nr == 2 {
			c := CohenKappa(r, nil)
			a := CohenKappaASE(r, nil)
			if len(pairs) != 1 || !near(pairs[0].CohenKappa, a.Value, 1e-12) {
				t.Fatalf("pair %+v vs ASE %v", pairs, a.Value)
			}
			// With missing ratings the raw Conger kappa uses each rater's full
			// marginals, so it differs slightly from the complete-pair kappa.
			if math.IsNaN(c.Value) || math.Abs(c.Value-a.Value) > 0.05 {
				t.Errorf("Cohen raw %v vs pair %v", c.Value, a.Value)
			}
			continue
		}
		// spot-check a few pairs against CohenKappaASE on the pair's judgments
		for _, p := range pairs[:5] {
			sub := &Ratings{NItems: r.NItems, NRaters: r.NRaters, NCats: r.NCats}
			for j := range r.Item {
				if r.Rater[j] == p.A || r.Rater[j] == p.B {
					sub.Item = append(sub.Item, r.Item[j])
					sub.Rater = append(sub.Rater, r.Rater[j])
					sub.Cat = append(sub.Cat, r.Cat[j])
				}
			}
			a := CohenKappaASE(sub, nil)
			if a.Items != p.Items || !near(a.Value, p.CohenKappa, 1e-12) || !near(a.Pa, p.PercentAgreement, 1e-12) {
				t.Errorf("pair %+v vs %+v", p, a)
			}
		}
	}
}

// Complete two-rater data: Conger = Cohen, Fleiss = Scott, and the
// contingency-table SE of kappa2.table equals the ASE.
func TestTwoRaterComplete(t *testing.T) {
	r := synth(2000, 2, 3, 9)
	// keep only items rated by both
	cnt := make([]int, r.NItems)
	for _, it := range r.Item {
		cnt[it]++
	}
	c := &Ratings{NItems: r.NItems, NRaters: 2, NCats: 3}
	for j, it := range r.Item {
		if cnt[it] == 2 {
			c.Item, c.Rater, c.Cat = append(c.Item, it), append(c.Rater, r.Rater[j]), append(c.Cat, r.Cat[j])
		}
	}
	k, a := CohenKappa(c, nil), CohenKappaASE(c, nil)
	if !near(k.Value, a.Value, 1e-12) {
		t.Errorf("Cohen raw %v != table %v", k.Value, a.Value)
	}
	// Gwet's linearisation SE and the ASE agree to O(1/n).
	if math.Abs(k.SE-a.SE)/a.SE > 0.05 {
		t.Errorf("SE raw %v vs ASE %v", k.SE, a.SE)
	}
}

func TestAllMatchesIndividual(t *testing.T) {
	r := synth(5000, 9, 5, 5)
	w := Weights(Quadratic, 5, nil)
	s := All(r, Options{Weights: w, AlphaWeighted: true, Pairwise: true})
	check := func(name string, a, b Result) {
		if !near(a.Value, b.Value, 1e-14) || !near(a.SE, b.SE, 1e-14) || !near(a.PValue, b.PValue, 1e-14) {
			t.Errorf("%s: All %+v != %+v", name, a, b)
		}
	}
	check("pa", s.PercentAgreement, PercentAgreement(r, w))
	check("fleiss", s.FleissKappa, FleissKappa(r, w))
	check("conger", s.CongerKappa, CongerKappa(r, w))
	check("gwet", s.GwetAC, GwetAC(r, w))
	check("bp", s.BrennanPrediger, BrennanPrediger(r, w))
	check("alpha", s.KrippendorffAlpha, KrippendorffAlphaWeighted(r, w))
	if len(s.Pairwise) != 36 {
		t.Errorf("pairs = %d, want 36", len(s.Pairwise))
	}
	s2 := All(r, Options{Level: OrdinalLevel})
	check("alpha ordinal", s2.KrippendorffAlpha, KrippendorffAlpha(r, OrdinalLevel))
}

func TestWeightsProperties(t *testing.T) {
	for k := Identity; k <= Bipolar; k++ {
		w := Weights(k, 5, nil)
		for a := 0; a < 5; a++ {
			if w[a*5+a] != 1 {
				t.Errorf("%v: diagonal %v", k, w[a*5+a])
			}
			for b := 0; b < 5; b++ {
				if w[a*5+b] != w[b*5+a] || w[a*5+b] < -1e-15 || w[a*5+b] > 1 {
					t.Errorf("%v: w[%d,%d] = %v", k, a, b, w[a*5+b])
				}
			}
		}
	}
	// irrCAC bipolar weights for 1..5 (afergadis/irrCAC raw.py docstring).
	bp := Weights(Bipolar, 5, nil)
	if !near(bp[1], 0.85714286, 1e-8) || !near(bp[2*5+4], 0.66666667, 1e-8) || bp[4] != 0 {
		t.Errorf("bipolar row 0: %v", bp[:5])
	}
	if _, err := ParseWeightKind("cubic"); err == nil {
		t.Error("ParseWeightKind accepted an unknown name")
	}
}

func TestMultiLabel(t *testing.T) {
	// With singleton sets, MASI and Jaccard distances are the nominal metric.
	r := synth(3000, 6, 4, 11)
	m := &MultiRatings{Item: r.Item, Rater: r.Rater, Labels: make([]uint64, len(r.Cat)), NItems: r.NItems, NRaters: r.NRaters, NLabels: 4}
	for j, c := range r.Cat {
		m.Labels[j] = 1 << uint(c)
	}
	want := KrippendorffAlpha(r, Nominal).Value
	for name, d := range map[string]SetDistance{"masi": MASIDistance, "jaccard": JaccardDistance} {
		if got := AlphaSets(m, d).Value; !near(got, want, 1e-12) {
			t.Errorf("%s alpha = %v, want nominal %v", name, got, want)
		}
	}
	// MASI (Passonneau 2006): {a,b} vs {a}: J = 1/2, M = 2/3 -> 2/3;
	// {a,b} vs {a,c}: J = 1/3, M = 1/3 -> 8/9; disjoint -> 1.
	if d := MASIDistance(0b11, 0b01); !near(d, 2.0/3, 1e-15) {
		t.Errorf("MASI subset = %v", d)
	}
	if d := MASIDistance(0b011, 0b101); !near(d, 8.0/9, 1e-15) {
		t.Errorf("MASI overlap = %v", d)
	}
	if d := JaccardDistance(0b011, 0b101); !near(d, 2.0/3, 1e-15) {
		t.Errorf("Jaccard = %v", d)
	}
	bin := PerLabelBinary(m)
	if len(bin) != 4 {
		t.Fatal(len(bin))
	}
	for k, b := range bin {
		pl := PerLabel(r)[k]
		if !near(b.Specific, pl.Specific, 1e-12) || !near(b.Kappa.Value, pl.Kappa.Value, 1e-12) {
			t.Errorf("label %d: binary %+v vs per-label %+v", k, b, pl)
		}
	}
}

func TestFleissNullNeedsBalancedDesign(t *testing.T) {
	r := fromMatrix([][]int{{0, 0, 1}, {1, 1, -1}, {0, 1, 0}}, 2)
	if n := FleissKappaNull(r); !math.IsNaN(n.Z) || n.Reason == "" {
		t.Errorf("unbalanced: %+v", n)
	}
}

func TestPanicsOnCallerBug(t *testing.T) {
	defer func() {
		if e := recover(); e == nil || !strings.HasPrefix(e.(string), "agreement:") {
			t.Errorf("panic = %v", e)
		}
	}()
	FleissKappa(&Ratings{Item: []int32{0}, Rater: []int32{0}, Cat: []int32{3}, NItems: 1, NRaters: 1, NCats: 2}, nil)
}
