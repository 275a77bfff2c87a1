package agreement

import (
	"math"
	"testing"
)

// tableRatings builds two raters' ratings from a q×q contingency table
// (row = first rater), one item per counted pair.
func tableRatings(tab [][]int) *Ratings {
	q := len(tab)
	r := &Ratings{NRaters: 2, NCats: q}
	for a := 0; a < q; a++ {
		for b := 0; b < q; b++ {
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

// plainBangdiwala is an independent, literal transcription of irrCAC's
// bangdiwala.table (kgwet/irrCAC R/agree.coeff2.r, commit 7fb7509) in
// matrix form, used to check BangdiwalaB on tables with no published value.
func plainBangdiwala(tab [][]int) (b, se float64) {
	q := len(tab)
	n := 0.0
	for _, row := range tab {
		for _, v := range row {
			n += float64(v)
		}
	}
	p := make([][]float64, q)
	pk, pdk := make([]float64, q), make([]float64, q) // pk. and p.k
	for k := range tab {
		p[k] = make([]float64, q)
		for l := range tab[k] {
			p[k][l] = float64(tab[k][l]) / n
			pk[k] += p[k][l]
			pdk[l] += p[k][l]
		}
	}
	b1, b2 := 0.0, 0.0
	for k := 0; k < q; k++ {
		b1 += p[k][k] * p[k][k]
		b2 += pk[k] * pdk[k]
	}
	b = b1 / b2
	var1, var2 := 0.0, 0.0
	for k := 0; k < q; k++ {
		pik := (pk[k] + pdk[k]) / 2
		var1 += p[k][k] * p[k][k] * (p[k][k] - 2*b*pik)
		prod := 0.0
		for l := 0; l < q; l++ {
			prod += p[k][l] * pk[l]
		}
		var2 += pik*pk[k]*pdk[k] + prod*pdk[k]
	}
	var1 *= 2
	var2 *= b * b
	v := 2 * (var1 + var2) / (n * b2 * b2)
	return b, math.Sqrt(math.Max(v, 1e-100))
}

func TestBangdiwalaPublished(t *testing.T) {
	// kgwet/irrCAC (commit 7fb7509).
	benGerry := fromMatrix([][]int{ // cac.ben.gerry[,3:4], a..e = 0..4, -1 missing
		{0, 1}, {0, 0}, {1, 1}, {1, 1}, {3, 1}, {2, 2}, {2, 2}, {2, 2}, {4, 4}, {3, -1}, {3, 3}, {0, 3},
	}, 5)
	for _, c := range []struct {
		name                         string
		r                            *Ratings
		value, se, lo, hi, p, pa, pe float64
		n                            int
		tol                          float64
	}{
		// README.md / vignettes/overview.Rmd: bangdiwala.table(cont3x3abstractors)
		// prints 0.8059604 0.05449465 (0.698,0.914); its p-value 0e+00 is R's
		// 1 - pt(), which underflows (pt's upper tail is 4.1e-27).
		{"cont3x3abstractors", tableRatings([][]int{{13, 0, 0}, {0, 20, 7}, {0, 4, 56}}),
			0.8059604, 0.05449465, 0.698, 0.914, math.NaN(), 0.3705, 0.4597, 100, 5e-7},
		// R/agree.coeff2.r, the roxygen example of bangdiwala2RR.fn on
		// cac.ben.gerry[,c(3,4)]: pa 0.1322314 pe 0.2066116 B 0.64 SE 0.2158518
		// (0.159,1) p 7.083e-03, 11 items (unit 10 has one rating).
		{"cac.ben.gerry", benGerry, 0.64, 0.2158518, 0.159, 1, 7.083e-03, 0.1322314, 0.2066116, 11, 5e-7},
	} {
		res := BangdiwalaB(c.r)
		if !near(res.Value, c.value, c.tol) || !near(res.SE, c.se, c.tol) {
			t.Errorf("%s: B %.7f SE %.8f, want %v %v", c.name, res.Value, res.SE, c.value, c.se)
		}
		if !near(res.CILow, c.lo, 5e-4) || !near(res.CIHigh, c.hi, 5e-4) {
			t.Errorf("%s: CI (%.4f, %.4f), want (%v, %v)", c.name, res.CILow, res.CIHigh, c.lo, c.hi)
		}
		if !math.IsNaN(c.p) && !near(res.PValue, c.p, 5e-7) {
			t.Errorf("%s: p %.4g, want %v", c.name, res.PValue, c.p)
		}
		if !near(res.Pa, c.pa, 5e-7) || !near(res.Pe, c.pe, 5e-7) {
			t.Errorf("%s: pa %.7f pe %.7f, want %v %v", c.name, res.Pa, res.Pe, c.pa, c.pe)
		}
		if res.Items != c.n || res.ItemsUsed != c.n {
			t.Errorf("%s: n %d/%d, want %d", c.name, res.Items, res.ItemsUsed, c.n)
		}
	}
}

// Tables with no published B: the package against the plain transcription.
func TestBangdiwalaMatchesPlain(t *testing.T) {
	for _, tab := range [][][]int{
		{{0, 4, 1}, {0, 8, 0}, {0, 1, 5}}, // SAS PROC FREQ 3x3 (sas3x3)
		{{40, 9}, {6, 45}},
		{{1, 0}, {0, 1}},
		{{5, 3, 0, 1}, {2, 7, 1, 0}, {0, 2, 9, 3}, {1, 0, 2, 11}},
	} {
		b, se := plainBangdiwala(tab)
		res := BangdiwalaB(tableRatings(tab))
		if !near(res.Value, b, 1e-14) || !near(res.SE, se, 1e-14) {
			t.Errorf("%v: B %v SE %v, want %v %v", tab, res.Value, res.SE, b, se)
		}
		if res.CIHigh > 1 || !(res.CILow <= res.Value) {
			t.Errorf("%v: interval (%v, %v) around %v", tab, res.CILow, res.CIHigh, res.Value)
		}
	}
	// One shared item: B and SE, but no interval (irrCAC needs n >= 2).
	res := BangdiwalaB(tableRatings([][]int{{1, 0}, {0, 0}}))
	if res.Value != 1 || math.IsNaN(res.SE) || !math.IsNaN(res.CILow) || !math.IsNaN(res.PValue) {
		t.Errorf("one item: %+v", res)
	}
}
