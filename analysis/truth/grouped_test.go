package truth

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestDawidSkeneGrouped runs the grouped E-step of the single-judgment
// items against the per-item one on sparse data (about 60% of the items
// judged once) with duplicate rows planted: items judged twice by the same
// rater with the same label and with another label, an item judged by one
// rater only but twice, and items and raters without judgments. Everything
// in the result must agree within 1e-12.
func TestDawidSkeneGrouped(t *testing.T) {
	s := sparseData(30_000)
	rng := rand.New(rand.NewPCG(4, 4))
	n := len(s.item)
	for d := 0; d < 600; d++ {
		j := rng.IntN(n)
		l := s.label[j]
		if d%2 == 1 {
			l = int32(rng.IntN(s.q))
		}
		s.item = append(s.item, s.item[j])
		s.rater = append(s.rater, s.rater[j])
		s.label = append(s.label, l)
	}
	// Item nItems+1 is judged twice, by rater 3, label 2: not a single
	// judgment. Item nItems and rater nRaters have no judgments.
	dup := int32(s.nItems + 1)
	s.item = append(s.item, dup, dup)
	s.rater = append(s.rater, 3, 3)
	s.label = append(s.label, 2, 2)
	nItems, nRaters := s.nItems+2, s.nRaters+1

	rows := make([]int, nItems)
	for _, it := range s.item {
		rows[it]++
	}
	singles := 0
	for _, r := range rows {
		if r == 1 {
			singles++
		}
	}
	if singles < nItems/2 {
		t.Fatalf("only %d of %d items judged once", singles, nItems)
	}

	for _, o := range []DSOptions{
		{MaxIter: 30, Tol: 0},
		{Init: InitMajority, Smoothing: 0.5},
		{}, // defaults: the convergence test must stop both at the same round
	} {
		g := dawidSkene(s.item, s.rater, s.label, nItems, nRaters, s.q, &o, true)
		p := dawidSkene(s.item, s.rater, s.label, nItems, nRaters, s.q, &o, false)
		if g.Iterations != p.Iterations || g.Converged != p.Converged {
			t.Fatalf("%+v: grouped %d rounds (converged %v), per item %d (%v)", o, g.Iterations, g.Converged, p.Iterations, p.Converged)
		}
		near := func(what string, a, b []float64, rel bool) {
			t.Helper()
			if len(a) != len(b) {
				t.Fatalf("%s: lengths %d, %d", what, len(a), len(b))
			}
			for x := range a {
				tol := 1e-12
				if rel {
					tol *= math.Abs(b[x])
				}
				if d := math.Abs(a[x] - b[x]); !(d <= tol) && !(math.IsNaN(a[x]) && math.IsNaN(b[x])) {
					t.Fatalf("%+v: %s[%d] grouped %.17g, per item %.17g", o, what, x, a[x], b[x])
				}
			}
		}
		near("Posterior", g.Posterior, p.Posterior, false)
		near("Prior", g.Prior, p.Prior, false)
		near("Confusion", confTable(&g), confTable(&p), false)
		near("RaterAccuracy", g.RaterAccuracy, p.RaterAccuracy, false)
		near("RaterExpectedAccuracy", g.RaterExpectedAccuracy, p.RaterExpectedAccuracy, false)
		near("LogLik", g.LogLik, p.LogLik, true)
		near("Loss", g.Loss, p.Loss, true)
		for i := range g.Label {
			if g.Label[i] != p.Label[i] {
				// Only an exact tie broken differently by rounding may differ.
				a, b := g.Posterior[i*s.q+int(g.Label[i])], g.Posterior[i*s.q+int(p.Label[i])]
				if math.Abs(a-b) > 1e-12 {
					t.Fatalf("%+v: item %d label %d grouped, %d per item", o, i, g.Label[i], p.Label[i])
				}
			}
		}
		if o.Smoothing > 0 {
			checkMonotone(t, g.Loss, "loss (grouped)") // the MAP objective
		} else {
			checkMonotone(t, g.LogLik, "log-likelihood (grouped)")
		}

		// The duplicated single-rater item has posterior ∝ pₖ π₃(k,2)²,
		// a lone judgment (3, 2) ∝ pₖ π₃(k,2), from the parameters of the
		// last E-step; those reported come from the M-step after it, so
		// they agree only as far as EM has converged.
		for _, pow := range []float64{2, 1} {
			i := int(dup)
			if pow == 1 {
				i = -1
				for j := range s.item {
					if rows[s.item[j]] == 1 && s.rater[j] == 3 && s.label[j] == 2 {
						i = int(s.item[j])
						break
					}
				}
				if i < 0 {
					t.Fatal("no lone judgment (3, 2)")
				}
			}
			u := make([]float64, s.q)
			var z float64
			for k := range u {
				u[k] = g.Prior[k] * math.Pow(g.Confusion(3, k, 2), pow)
				z += u[k]
			}
			for k := range u {
				if d := math.Abs(u[k]/z - g.Posterior[i*s.q+k]); d > 1e-4 {
					t.Fatalf("%+v: item %d (%v judgments (3, 2)) class %d: posterior %v, want %v", o, i, pow, k, g.Posterior[i*s.q+k], u[k]/z)
				}
			}
		}
		if g.Label[nItems-2] != -1 || !math.IsNaN(g.RaterAccuracy[nRaters-1]) {
			t.Fatalf("%+v: unjudged item label %d, unjudged rater accuracy %v", o, g.Label[nItems-2], g.RaterAccuracy[nRaters-1])
		}
	}
}

// TestDawidSkeneOneClass: with q = 1 every π is 1, so the E-step never
// needs to rescale (its span is unbounded); it must not overflow.
func TestDawidSkeneOneClass(t *testing.T) {
	ds := DawidSkene([]int32{0, 0, 1, 1, 2}, []int32{0, 1, 0, 1, 1}, []int32{0, 0, 0, 0, 0}, 4, 2, 1, nil)
	for i, want := range []int32{0, 0, 0, -1} {
		if ds.Label[i] != want || ds.Posterior[i] != 1 {
			t.Errorf("item %d: label %d posterior %v", i, ds.Label[i], ds.Posterior[i])
		}
	}
	if ds.LogLik[0] != 0 || ds.RaterAccuracy[0] != 1 {
		t.Errorf("log-likelihood %v, rater accuracy %v", ds.LogLik, ds.RaterAccuracy)
	}
}

// confTable is every Confusion(r, k, l), in layout [r][k][l].
func confTable(ds *DSResult) []float64 {
	q := ds.Q
	out := make([]float64, ds.NRaters*q*q)
	for r := 0; r < ds.NRaters; r++ {
		for k := 0; k < q; k++ {
			for l := 0; l < q; l++ {
				out[(r*q+k)*q+l] = ds.Confusion(r, k, l)
			}
		}
	}
	return out
}
