package agreement

import (
	"fmt"
	"math"
)

// WeightKind names one of Gwet's weight families (irrCAC weights.gen).
type WeightKind int

const (
	Identity  WeightKind = iota // unweighted: w_kl = 1 if k == l else 0
	Linear                      // 1 - |x_k - x_l| / (x_max - x_min)
	Quadratic                   // 1 - (x_k - x_l)² / (x_max - x_min)²
	Ordinal                     // 1 - C(|k-l|+1, 2) / max, on ranks 1..q
	Radical                     // 1 - √|x_k - x_l| / √(x_max - x_min)
	Ratio                       // 1 - ((x_k-x_l)/(x_k+x_l))² / ((x_max-x_min)/(x_max+x_min))²
	Circular                    // 1 - sin²(π(x_k-x_l)/U) / max, U = x_max - x_min + 1
	Bipolar                     // 1 - (x_k-x_l)² / ((x_k+x_l-2x_min)(2x_max-x_k-x_l)) / max
)

var weightNames = [...]string{"identity", "linear", "quadratic", "ordinal", "radical", "ratio", "circular", "bipolar"}

// String returns the irrCAC name of the family ("identity" for unweighted).
func (w WeightKind) String() string {
	if int(w) < len(weightNames) {
		return weightNames[w]
	}
	return fmt.Sprintf("WeightKind(%d)", int(w))
}

// ParseWeightKind maps a name (identity, none, unweighted, linear, quadratic,
// ordinal, radical, ratio, circular, bipolar) to its WeightKind.
func ParseWeightKind(s string) (WeightKind, error) {
	switch s {
	case "", "none", "unweighted", "identity":
		return Identity, nil
	}
	for i, n := range weightNames {
		if n == s {
			return WeightKind(i), nil
		}
	}
	return Identity, fmt.Errorf("agreement: unknown weights %q", s)
}

// Weights returns the q×q agreement weight matrix (row-major) of family kind
// for categories with the given scores (nil means 1..q), as irrCAC's
// identity.weights, linear.weights, ... bipolar.weights compute it:
//
//	linear     w_kl = 1 - |x_k-x_l| / |x_max-x_min|
//	quadratic  w_kl = 1 - (x_k-x_l)² / (x_max-x_min)²
//	radical    w_kl = 1 - √|x_k-x_l| / √|x_max-x_min|
//	ratio      w_kl = 1 - ((x_k-x_l)/(x_k+x_l))² / ((x_max-x_min)/(x_max+x_min))²
//	circular   w_kl = 1 - d_kl/max d,  d_kl = sin²(π(x_k-x_l)/U),  U = x_max-x_min+1
//	bipolar    w_kl = 1 - d_kl/max d,  d_kl = (x_k-x_l)² / ((x_k+x_l-2x_min)(2x_max-x_k-x_l)),  d_kk = 0
//	ordinal    w_kl = 1 - d_kl/max d,  d_kl = m(m-1)/2,  m = |k-l|+1  (ranks; scores ignored)
//
// Source: Gwet (2014), Handbook of Inter-Rater Reliability, ch. 3; irrCAC
// weights.gen.r. irrCAC uses the numeric category values as scores when the
// categories are numeric and 1..q otherwise; pass Scores accordingly.
// Scores must be in increasing order (irrCAC sorts them); ratio weights need
// positive scores. With q = 1 every family is the 1×1 matrix [1]. A family
// that is undefined for the scores (all scores equal) gives NaN entries off
// the diagonal.
func Weights(kind WeightKind, q int, scores []float64) []float64 {
	if q < 1 {
		panic("agreement: Weights needs q >= 1")
	}
	if scores != nil && len(scores) != q {
		panic(fmt.Sprintf("agreement: Weights: len(scores) = %d, want %d", len(scores), q))
	}
	x := scores
	if x == nil || kind == Ordinal {
		x = make([]float64, q)
		for i := range x {
			x[i] = float64(i + 1)
		}
	}
	w := make([]float64, q*q)
	if q == 1 {
		w[0] = 1
		return w
	}
	xmin, xmax := math.Inf(1), math.Inf(-1)
	for _, v := range x {
		xmin = math.Min(xmin, v)
		xmax = math.Max(xmax, v)
	}
	normalize := false
	for k := 0; k < q; k++ {
		for l := 0; l < q; l++ {
			d := x[k] - x[l]
			var v float64
			switch kind {
			case Identity:
				if k == l {
					v = 1
				}
			case Linear:
				v = 1 - math.Abs(d)/math.Abs(xmax-xmin)
			case Quadratic:
				v = 1 - d*d/((xmax-xmin)*(xmax-xmin))
			case Radical:
				v = 1 - math.Sqrt(math.Abs(d))/math.Sqrt(math.Abs(xmax-xmin))
			case Ratio:
				a := d / (x[k] + x[l])
				b := (xmax - xmin) / (xmax + xmin)
				v = 1 - a*a/(b*b)
			case Circular:
				s := math.Sin(math.Pi * d / (xmax - xmin + 1))
				v, normalize = s*s, true
			case Bipolar:
				if k != l {
					v = d * d / ((x[k] + x[l] - 2*xmin) * (2*xmax - x[k] - x[l]))
				}
				normalize = true
			case Ordinal:
				m := math.Abs(float64(k-l)) + 1
				v, normalize = m*(m-1)/2, true
			default:
				panic(fmt.Sprintf("agreement: unknown WeightKind %d", int(kind)))
			}
			w[k*q+l] = v
		}
	}
	if normalize {
		max := math.Inf(-1)
		for _, v := range w {
			max = math.Max(max, v)
		}
		for i, v := range w {
			w[i] = 1 - v/max
		}
	}
	return w
}

// identityWeights returns the q×q identity matrix.
func identityWeights(q int) []float64 {
	w := make([]float64, q*q)
	for k := 0; k < q; k++ {
		w[k*q+k] = 1
	}
	return w
}

// checkWeights returns w; it panics when w has the wrong size. nil (identity)
// stays nil: the coefficients take the identity's diagonal-only closed forms
// (bit-identical to the dense sums, whose off-diagonal terms add exact zeros)
// instead of a q×q matrix, 72 MB at 3,000 labels.
func checkWeights(w []float64, q int) []float64 {
	if w == nil {
		return nil
	}
	if len(w) != q*q {
		panic(fmt.Sprintf("agreement: weight matrix has %d entries, want %d×%d", len(w), q, q))
	}
	return w
}

func isIdentity(w []float64, q int) bool {
	if w == nil {
		return true
	}
	for k := 0; k < q; k++ {
		for l := 0; l < q; l++ {
			want := 0.0
			if k == l {
				want = 1
			}
			if w[k*q+l] != want {
				return false
			}
		}
	}
	return true
}

// sumAll returns Σ w_kl; nil (identity) gives q.
func sumAll(w []float64, q int) float64 {
	if w == nil {
		return float64(q)
	}
	s := 0.0
	for _, v := range w {
		s += v
	}
	return s
}
