package agreement_test

import (
	"fmt"

	"labelqa/analysis/agreement"
)

// cac4 is irrCAC's cac.raw4raters (Krippendorff 2011 example C layout):
// 12 items, 4 raters, categories 1..5 (codes 0..4), -1 = missing. The
// printed coefficients, SEs and p-values are those of irrCAC 1.4's README
// (percent agreement, AC1, Fleiss, Conger, Brennan-Prediger, alpha) and
// Krippendorff (2011) example C (.743/.815/.849/.797).
func cac4() *agreement.Ratings {
	m := [][]int{
		{1, 1, -1, 1}, {2, 2, 3, 2}, {3, 3, 3, 3}, {3, 3, 3, 3}, {2, 2, 2, 2}, {1, 2, 3, 4},
		{4, 4, 4, 4}, {1, 1, 2, 1}, {2, 2, 2, 2}, {-1, 5, 5, 5}, {-1, -1, 1, 1}, {-1, -1, 3, -1},
	}
	r := &agreement.Ratings{NItems: 12, NRaters: 4, NCats: 5, Scores: []float64{1, 2, 3, 4, 5}}
	for i, row := range m {
		for g, v := range row {
			if v > 0 {
				r.Item = append(r.Item, int32(i))
				r.Rater = append(r.Rater, int32(g))
				r.Cat = append(r.Cat, int32(v-1))
			}
		}
	}
	return r
}

// sas3x3 is the 3×3 table [[0,4,1],[0,8,0],[0,1,5]] (rows = rater 0) of the
// SAS PROC FREQ example in statsmodels' tests, as 19 items rated by 2 raters
// (SAS: kappa 0.4842, ASE 0.1380, CI 0.2137-0.7547, ASE0 0.1484, z 3.2626).
func sas3x3() *agreement.Ratings {
	tab := [3][3]int{{0, 4, 1}, {0, 8, 0}, {0, 1, 5}}
	r := &agreement.Ratings{NRaters: 2, NCats: 3}
	for a := 0; a < 3; a++ {
		for b := 0; b < 3; b++ {
			for k := 0; k < tab[a][b]; k++ {
				it := int32(r.NItems)
				r.NItems++
				r.Item = append(r.Item, it, it)
				r.Rater = append(r.Rater, 0, 1)
				r.Cat = append(r.Cat, int32(a), int32(b))
			}
		}
	}
	return r
}

func show(name string, res agreement.Result) {
	fmt.Printf("%s = %.5f  SE %.5f  95%% CI (%.3f, %.3f)  p %.4g  pa %.5f  pe %.5f\n",
		name, res.Value, res.SE, res.CILow, res.CIHigh, res.PValue, res.Pa, res.Pe)
}

func ExamplePercentAgreement() {
	show("percent agreement", agreement.PercentAgreement(cac4(), nil))
	// Output:
	// percent agreement = 0.81818  SE 0.12561  95% CI (0.542, 1.000)  p 2.173e-05  pa 0.81818  pe 0.00000
}

func ExampleFleissKappa() {
	show("Fleiss' kappa", agreement.FleissKappa(cac4(), nil))
	// Output:
	// Fleiss' kappa = 0.76117  SE 0.15302  95% CI (0.424, 1.000)  p 0.0002096  pa 0.81818  pe 0.23872
}

func ExampleCongerKappa() {
	show("Conger's kappa", agreement.CongerKappa(cac4(), nil))
	// Output:
	// Conger's kappa = 0.76282  SE 0.14917  95% CI (0.435, 1.000)  p 0.0001684  pa 0.81818  pe 0.23343
}

func ExampleGwetAC() {
	r := cac4()
	show("AC1", agreement.GwetAC(r, nil))
	show("AC2 quadratic", agreement.GwetAC(r, agreement.Weights(agreement.Quadratic, 5, r.Scores)))
	// Output:
	// AC1 = 0.77544  SE 0.14295  95% CI (0.461, 1.000)  p 0.0001044  pa 0.81818  pe 0.19032
	// AC2 quadratic = 0.91400  SE 0.10396  95% CI (0.685, 1.000)  p 1.317e-06  pa 0.97538  pe 0.71370
}

func ExampleBrennanPrediger() {
	show("Brennan-Prediger", agreement.BrennanPrediger(cac4(), nil))
	// Output:
	// Brennan-Prediger = 0.77273  SE 0.14472  95% CI (0.454, 1.000)  p 0.0001188  pa 0.81818  pe 0.20000
}

func ExampleKrippendorffAlpha() {
	r := cac4()
	for _, l := range []agreement.Level{agreement.Nominal, agreement.OrdinalLevel, agreement.Interval, agreement.RatioLevel} {
		fmt.Printf("%s %.3f\n", l, agreement.KrippendorffAlpha(r, l).Value)
	}
	// Output:
	// nominal 0.743
	// ordinal 0.815
	// interval 0.849
	// ratio 0.797
}

func ExampleKrippendorffAlphaWeighted() {
	show("alpha", agreement.KrippendorffAlphaWeighted(cac4(), nil))
	// Output:
	// alpha = 0.74342  SE 0.14548  95% CI (0.423, 1.000)  p 0.0001693  pa 0.80500  pe 0.24000
}

func ExampleWeights() {
	w := agreement.Weights(agreement.Linear, 3, nil)
	fmt.Println(w)
	// Output:
	// [1 0.5 0 0.5 1 0.5 0 0.5 1]
}

func ExampleCohenKappa() {
	show("Cohen's kappa", agreement.CohenKappa(sas3x3(), nil))
	// Output:
	// Cohen's kappa = 0.48416  SE 0.14180  95% CI (0.186, 0.782)  p 0.001545  pa 0.68421  pe 0.38781
}

func ExampleCohenKappaASE() {
	a := agreement.CohenKappaASE(sas3x3(), nil)
	fmt.Printf("kappa %.4f ASE %.4f CI (%.4f, %.4f) ASE0 %.4f z %.4f p %.4f\n",
		a.Value, a.SE, a.CILow, a.CIHigh, a.SE0, a.Z, a.PValue)
	// Output:
	// kappa 0.4842 ASE 0.1380 CI (0.2137, 0.7547) ASE0 0.1484 z 3.2626 p 0.0011
}

func ExampleScottPi() {
	show("Scott's pi", agreement.ScottPi(sas3x3(), nil))
	// Output:
	// Scott's pi = 0.45324  SE 0.17013  95% CI (0.096, 0.811)  p 0.007905  pa 0.68421  pe 0.42244
}

func ExampleBangdiwalaB() {
	show("Bangdiwala's B", agreement.BangdiwalaB(sas3x3()))
	// Output:
	// Bangdiwala's B = 0.63571  SE 0.11985  95% CI (0.384, 0.888)  p 2.413e-05  pa 0.24654  pe 0.38781
}

func ExampleFleissKappaNull() {
	// 3 items, 3 raters each, 2 categories
	r := &agreement.Ratings{
		Item: []int32{0, 0, 0, 1, 1, 1, 2, 2, 2}, Rater: []int32{0, 1, 2, 0, 1, 2, 0, 1, 2},
		Cat: []int32{0, 0, 0, 1, 1, 0, 1, 1, 1}, NItems: 3, NRaters: 3, NCats: 2,
	}
	n := agreement.FleissKappaNull(r)
	fmt.Printf("kappa %.4f SE0 %.4f z %.4f p %.4f\n", n.Value, n.SE0, n.Z, n.PValue)
	// Output:
	// kappa 0.5500 SE0 0.3333 z 1.6500 p 0.0989
}

func ExamplePerLabel() {
	for j, l := range agreement.PerLabel(cac4()) {
		fmt.Printf("category %d: share %.3f specific %.3f kappa %.3f\n", j+1, l.Proportion, l.Specific, l.Kappa.Value)
	}
	// Output:
	// category 1: share 0.220 specific 0.700 kappa 0.758
	// category 2: share 0.317 specific 0.769 kappa 0.655
	// category 3: share 0.268 specific 0.800 kappa 0.780
	// category 4: share 0.122 specific 0.800 kappa 0.756
	// category 5: share 0.073 specific 1.000 kappa 1.000
}

func ExamplePairwise() {
	for _, p := range agreement.Pairwise(cac4(), nil) {
		fmt.Printf("raters %d-%d: %d items, agreement %.3f, kappa %.3f\n", p.A, p.B, p.Items, p.PercentAgreement, p.CohenKappa)
	}
	// Output:
	// raters 0-1: 9 items, agreement 0.889, kappa 0.845
	// raters 0-2: 8 items, agreement 0.625, kappa 0.478
	// raters 0-3: 9 items, agreement 0.889, kappa 0.850
	// raters 1-2: 9 items, agreement 0.667, kappa 0.542
	// raters 1-3: 10 items, agreement 0.900, kappa 0.870
	// raters 2-3: 10 items, agreement 0.700, kappa 0.615
}

func ExampleAll() {
	s := agreement.All(cac4(), agreement.Options{})
	fmt.Println(s.Items, s.ItemsUsed, s.Raters, s.Judgments)
	show("Fleiss", s.FleissKappa)
	fmt.Println(s.CohenKappa.Reason)
	// Output:
	// 12 11 4 41
	// Fleiss = 0.76117  SE 0.15302  95% CI (0.424, 1.000)  p 0.0002096  pa 0.81818  pe 0.23872
	// Cohen's kappa needs exactly two raters
}

func ExampleAlphaSets() {
	// labels: bit 0 = spam, bit 1 = scam, bit 2 = adult
	m := &agreement.MultiRatings{
		Item:   []int32{0, 0, 1, 1, 2, 2, 3, 3},
		Rater:  []int32{0, 1, 0, 1, 0, 1, 0, 1},
		Labels: []uint64{0b011, 0b001, 0b100, 0b100, 0b010, 0b011, 0b000, 0b000},
		NItems: 4, NRaters: 2, NLabels: 3,
	}
	fmt.Printf("MASI %.4f Jaccard %.4f\n",
		agreement.AlphaSets(m, agreement.MASIDistance).Value,
		agreement.AlphaSets(m, agreement.JaccardDistance).Value)
	for k, b := range agreement.PerLabelBinary(m) {
		fmt.Printf("label %d: prevalence %.3f pa %.3f alpha %.3f\n", k, b.Prevalence, b.PercentAgreement.Value, b.Alpha.Value)
	}
	// Output:
	// MASI 0.6056 Jaccard 0.6957
	// label 0: prevalence 0.375 pa 0.750 alpha 0.533
	// label 1: prevalence 0.375 pa 0.750 alpha 0.533
	// label 2: prevalence 0.250 pa 1.000 alpha 1.000
}
