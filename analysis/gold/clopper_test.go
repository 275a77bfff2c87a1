package gold

import (
	"math"
	"testing"
)

// Reference values: R's binom.test(7, 10) prints the 95 percent interval
// 0.3475471 0.9332605 (the same as statsmodels proportion_confint(7, 10,
// method="beta")); the 0-of-n and n-of-n bounds are 1-(α/2)^(1/n) and
// (α/2)^(1/n) in closed form.
func TestClopperPearsonPublished(t *testing.T) {
	for _, c := range []struct {
		x, n      int
		low, high float64
	}{
		{7, 10, 0.3475471, 0.9332605},
		{0, 20, 0, 1 - math.Pow(0.025, 1.0/20)},
		{20, 20, math.Pow(0.025, 1.0/20), 1},
	} {
		p := ClopperPearson(c.x, c.n, 0.95)
		if math.Abs(p.Low-c.low) > 5e-8 || math.Abs(p.High-c.high) > 5e-8 {
			t.Errorf("ClopperPearson(%d, %d) = [%.8f, %.8f], want [%.8f, %.8f]", c.x, c.n, p.Low, p.High, c.low, c.high)
		}
		if p.Value != float64(c.x)/float64(c.n) {
			t.Errorf("value %v", p.Value)
		}
	}
	if p := ClopperPearson(0, 0, 0.95); !math.IsNaN(p.Value) || !math.IsNaN(p.Low) {
		t.Errorf("n = 0: %+v, want NaN", p)
	}
}

// The interval is exact: at its bounds the binomial tail probabilities are
// α/2, which this checks by summing the binomial terms directly.
func TestClopperPearsonTails(t *testing.T) {
	binomTail := func(n, from int, p float64) float64 { // P(X >= from)
		s := 0.0
		for k := from; k <= n; k++ {
			lc, _ := math.Lgamma(float64(n + 1))
			a, _ := math.Lgamma(float64(k + 1))
			b, _ := math.Lgamma(float64(n - k + 1))
			s += math.Exp(lc - a - b + float64(k)*math.Log(p) + float64(n-k)*math.Log1p(-p))
		}
		return s
	}
	for _, c := range []struct{ x, n int }{{3, 17}, {40, 50}, {1, 400}} {
		p := ClopperPearson(c.x, c.n, 0.9)
		if up := binomTail(c.n, c.x, p.Low); math.Abs(up-0.05) > 1e-9 {
			t.Errorf("%d/%d: P(X >= x | low) = %v, want 0.05", c.x, c.n, up)
		}
		if down := 1 - binomTail(c.n, c.x+1, p.High); math.Abs(down-0.05) > 1e-9 {
			t.Errorf("%d/%d: P(X <= x | high) = %v, want 0.05", c.x, c.n, down)
		}
	}
}
