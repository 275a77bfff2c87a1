package metrics

import (
	"fmt"
	"math"
	"strings"

	"labelqa/analysis/agreement"
	"labelqa/analysis/truth"
	"labelqa/app/dataset"
)

// Options are the measure choices of an analysis, typed: a face turns its
// user's words into them with ParseWeights, ParseLevel, ParseTies and
// ParseBy (whose errors name no flag or control) and Validate checks the
// numbers. The zero value is unweighted, nominal alpha, ties to the first
// label, Dawid-Skene with the defaults of package truth; DefaultOptions
// spells the command line's defaults out.
type Options struct {
	// Weights is Gwet's weight family for every coefficient that takes
	// weights; agreement.Identity (the zero value) means unweighted and
	// AC1. Weighted reports whether a family is chosen: there is no
	// separate flag that could disagree with it.
	Weights agreement.WeightKind
	// Level is Krippendorff's level for alpha, read only when LevelSet.
	// Unset, alpha is nominal, or takes Weights when a family is chosen.
	Level    agreement.Level
	LevelSet bool
	// Ties is the majority-vote tie rule.
	Ties truth.TieRule
	// Seed drives truth.TiesRandom.
	Seed uint64
	// DSIterations caps the Dawid-Skene rounds (0: truth.DefaultMaxIter;
	// at most MaxDSIterations).
	DSIterations int
	// DSTol stops Dawid-Skene when a round gains at most DSTol·|objective|;
	// 0 runs every round, a negative value means truth.DefaultTol. Start from
	// DefaultOptions to get the default.
	DSTol float64
	// DSSmoothing is the Dawid-Skene pseudo-count α: 0 (default) for
	// maximum likelihood as Crowd-Kit, α > 0 for the smoothed (MAP) M-step.
	DSSmoothing float64
	// AllowLabels names the allow/approve labels for over- and
	// under-enforcement; nil uses the Dataset's Allow.
	AllowLabels []string
}

// DefaultOptions are the command line's defaults.
func DefaultOptions() Options {
	return Options{Ties: truth.TiesFirst, DSIterations: truth.DefaultMaxIter, DSTol: truth.DefaultTol}
}

// Weighted reports whether the options choose a weight family (AC2 and
// weighted kappas instead of AC1).
func (o Options) Weighted() bool { return o.Weights != agreement.Identity }

// MaxDSIterations bounds DSIterations: a typo of a few zeros otherwise ran
// for hours.
const MaxDSIterations = 10000

// WeightNames are the names ParseWeights accepts, as a user reads them.
const WeightNames = "none, linear, quadratic, ordinal, radical, ratio, circular or bipolar"

// ParseWeights maps a weight family's name (none, identity, unweighted,
// linear, quadratic, ordinal, radical, ratio, circular, bipolar; any case,
// "" for none) to its kind.
func ParseWeights(s string) (agreement.WeightKind, error) {
	k, err := agreement.ParseWeightKind(strings.ToLower(strings.TrimSpace(s)))
	if err != nil {
		return agreement.Identity, fmt.Errorf("unknown weights %q: use %s", s, WeightNames)
	}
	return k, nil
}

// ParseLevel maps nominal, ordinal, interval or ratio (any case) to
// Krippendorff's level.
func ParseLevel(s string) (agreement.Level, error) {
	l, err := agreement.ParseLevel(strings.ToLower(strings.TrimSpace(s)))
	if err != nil {
		return agreement.Nominal, fmt.Errorf("unknown level %q: use nominal, ordinal, interval or ratio", s)
	}
	return l, nil
}

// ParseTies maps first, random or fractional (any case, "" for first) to
// its rule.
func ParseTies(s string) (truth.TieRule, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "first":
		return truth.TiesFirst, nil
	case "random":
		return truth.TiesRandom, nil
	case "fractional":
		return truth.TiesFractional, nil
	}
	return 0, fmt.Errorf("unknown tie rule %q: use first, random or fractional", s)
}

// Validate checks the option values without any data. Its errors say what
// is wrong in the options' own words (no flag names): a face adds which of
// its flags or controls it was.
func (o Options) Validate() error {
	if o.Weights < agreement.Identity || o.Weights > agreement.Bipolar {
		return fmt.Errorf("unknown weights %v: use %s", o.Weights, WeightNames)
	}
	if o.LevelSet && (o.Level < agreement.Nominal || o.Level > agreement.RatioLevel) {
		return fmt.Errorf("unknown level %v: use nominal, ordinal, interval or ratio", o.Level)
	}
	if o.Ties < truth.TiesFirst || o.Ties > truth.TiesFractional {
		return fmt.Errorf("unknown tie rule %d: use first, random or fractional", int(o.Ties))
	}
	if o.DSIterations < 0 || o.DSIterations > MaxDSIterations {
		return fmt.Errorf("%d Dawid-Skene rounds: want 1 to %d (Crowd-Kit's default is 100; EM that has not converged by then will not)", o.DSIterations, MaxDSIterations)
	}
	if math.IsNaN(o.DSTol) || math.IsInf(o.DSTol, 0) {
		return fmt.Errorf("Dawid-Skene tolerance %v: want a number (0 runs every round)", o.DSTol)
	}
	if err := CheckDSSmoothing(o.DSSmoothing); err != nil {
		return err
	}
	return nil
}

// CheckDSSmoothing checks a Dawid-Skene pseudo-count.
func CheckDSSmoothing(a float64) error {
	if !(a >= 0) || math.IsInf(a, 0) {
		return fmt.Errorf("Dawid-Skene pseudo-count %v: want 0 (maximum likelihood) or a positive number", a)
	}
	return nil
}

type parsedOptions struct {
	weighted bool
	weights  agreement.WeightKind
	level    agreement.Level
	levelSet bool
	ties     truth.TieRule
	seed     uint64
	ds       truth.DSOptions
	allowed  []bool
}

func (o Options) parse(d *dataset.Dataset) (*parsedOptions, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	p := &parsedOptions{seed: o.Seed, weights: o.Weights, weighted: o.Weighted(),
		level: o.Level, levelSet: o.LevelSet, ties: o.Ties}
	if !o.LevelSet {
		p.level = agreement.Nominal
	}
	p.ds = truth.DSOptions{MaxIter: o.DSIterations, Tol: o.DSTol, Smoothing: o.DSSmoothing}
	if d != nil {
		p.allowed = make([]bool, len(d.Labels))
		if o.AllowLabels != nil {
			for _, a := range o.AllowLabels {
				if i, ok := d.LabelIndex(a); ok {
					p.allowed[i] = true
				}
			}
		} else {
			copy(p.allowed, d.Allow)
		}
	}
	return p, nil
}

// By is a scorecard grouping: one card per reviewer, or per vendor, team,
// market (the annotator's), queue, SOP version or ISO week (the
// judgment's).
type By int

const (
	ByReviewer By = iota
	ByVendor
	ByTeam
	ByQueue
	ByMarket
	BySOP
	ByWeek
)

// ByKeys are the groupings' names, in By order.
var ByKeys = []string{"reviewer", "vendor", "team", "queue", "market", "sop", "week"}

// String returns the grouping's name (the "by" of the scorecard JSON).
func (b By) String() string {
	if b >= 0 && int(b) < len(ByKeys) {
		return ByKeys[b]
	}
	return fmt.Sprintf("By(%d)", int(b))
}

// ParseBy maps a grouping's name (exactly as ByKeys spells it) to its By.
func ParseBy(s string) (By, error) {
	for i, k := range ByKeys {
		if k == s {
			return By(i), nil
		}
	}
	return 0, fmt.Errorf("unknown grouping %q: use %s", s, strings.Join(ByKeys, ", "))
}
