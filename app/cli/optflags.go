package cli

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"labelqa/analysis/agreement"
	"labelqa/analysis/truth"
	"labelqa/app/metrics"
)

// The measure flags are flag.Value implementations over the core's typed
// options: a bad value is refused by the flag package while it parses, and
// its message names the flag (invalid value "coin" for flag -ties: ...)
// before the core's words for what is wrong and what to use.

// weightsFlag is --weights: a Gwet weight family (none by default).
type weightsFlag struct{ k agreement.WeightKind }

func (f *weightsFlag) String() string {
	if f == nil || f.k == agreement.Identity {
		return ""
	}
	return f.k.String()
}

func (f *weightsFlag) Set(s string) error {
	k, err := metrics.ParseWeights(s)
	if err != nil {
		return err
	}
	f.k = k
	return nil
}

// levelFlag is --level: Krippendorff's level, and whether it was given.
type levelFlag struct {
	l   agreement.Level
	set bool
}

func (f *levelFlag) String() string {
	if f == nil || !f.set {
		return ""
	}
	return f.l.String()
}

func (f *levelFlag) Set(s string) error {
	if strings.TrimSpace(s) == "" { // as before: --level "" leaves it unset
		f.set = false
		return nil
	}
	l, err := metrics.ParseLevel(s)
	if err != nil {
		return err
	}
	f.l, f.set = l, true
	return nil
}

// tiesFlag is --ties: the majority-vote tie rule.
type tiesFlag struct{ r truth.TieRule }

func (f *tiesFlag) String() string {
	if f == nil {
		return truth.TiesFirst.String()
	}
	return f.r.String()
}

func (f *tiesFlag) Set(s string) error {
	r, err := metrics.ParseTies(s)
	if err != nil {
		return err
	}
	f.r = r
	return nil
}

// byFlag is scorecard's --by: the grouping.
type byFlag struct{ b metrics.By }

func (f *byFlag) String() string {
	if f == nil {
		return metrics.ByReviewer.String()
	}
	return f.b.String()
}

func (f *byFlag) Set(s string) error {
	b, err := metrics.ParseBy(s)
	if err != nil {
		return err
	}
	f.b = b
	return nil
}

// dsIterFlag is --ds-iterations: 1 to metrics.MaxDSIterations rounds.
type dsIterFlag struct{ n int }

func (f *dsIterFlag) String() string {
	if f == nil {
		return "0"
	}
	return strconv.Itoa(f.n)
}

var errDSIterations = errors.New("want 1 to " + strconv.Itoa(metrics.MaxDSIterations) + " rounds (Crowd-Kit's default is 100; EM that has not converged by then will not)")

func (f *dsIterFlag) Set(s string) error {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > metrics.MaxDSIterations {
		return errDSIterations
	}
	f.n = n
	return nil
}

// dsTolFlag is --ds-tol: 0 (every round) or a positive tolerance.
type dsTolFlag struct{ v float64 }

func (f *dsTolFlag) String() string {
	if f == nil {
		return "0"
	}
	return strconv.FormatFloat(f.v, 'g', -1, 64)
}

func (f *dsTolFlag) Set(s string) error {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return errors.New("want a number (0 runs every round)")
	}
	if v < 0 {
		return errors.New("want 0 (every round) or a positive tolerance")
	}
	f.v = v
	return nil
}

// dsSmoothingFlag is --ds-smoothing: the Dawid-Skene pseudo-count.
type dsSmoothingFlag struct{ v float64 }

func (f *dsSmoothingFlag) String() string {
	if f == nil {
		return "0"
	}
	return strconv.FormatFloat(f.v, 'g', -1, 64)
}

func (f *dsSmoothingFlag) Set(s string) error {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || metrics.CheckDSSmoothing(v) != nil {
		return errors.New("want 0 (maximum likelihood) or a positive pseudo-count")
	}
	f.v = v
	return nil
}
