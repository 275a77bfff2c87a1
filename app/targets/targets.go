// Package targets is the one place that knows the KPI metrics a vendor is
// held to, which way each is better, and how a figure is rated red, amber
// or green against its target (RAG). The workbooks, the workbench and
// `labelqa targets` all read it. A leaf: the standard library only.
package targets

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Metric is one KPI a target can be set for.
type Metric struct {
	Key            string // as `labelqa targets set --metric` and labelqa.targets/v1 spell it
	HigherIsBetter bool
	// Rate: the figure is a proportion in [0, 1] (targets given as 0.95 or 95%).
	Rate bool
}

// Metrics are every metric a target can be set for, in the order lists
// show them.
var Metrics = []Metric{
	{"gold_accuracy", true, true},
	{"audit_accuracy", true, true},
	{"overturn_rate", false, true},
	{"fleiss_kappa", true, false},
	{"gwet_ac1", true, false},
	{"aht_median_s", false, false},
	{"units_per_hour", true, false},
	{"over_enforcement", false, true},
	{"under_enforcement", false, true},
}

// Lookup returns the metric named key.
func Lookup(key string) (Metric, bool) {
	i := slices.IndexFunc(Metrics, func(m Metric) bool { return m.Key == key })
	if i < 0 {
		return Metric{}, false
	}
	return Metrics[i], true
}

// Keys are the metrics' names, for messages.
func Keys() []string {
	out := make([]string, len(Metrics))
	for i, m := range Metrics {
		out[i] = m.Key
	}
	return out
}

// Target is a KPI target of one scope: a metric for a vendor, queue and
// market ("" in any of them: every one).
type Target struct {
	Metric                string
	Vendor, Queue, Market string
	Target                float64
	// Amber is the edge of the amber band beyond Target's worse side: a
	// figure between Amber and Target is amber, a worse one red. NaN when
	// there is no amber band (then a figure short of Target is red).
	Amber float64
}

// HasAmber reports whether the target has an amber band.
func (t Target) HasAmber() bool { return !math.IsNaN(t.Amber) }

// Check reports what is wrong with t, in words a user understands, or nil.
func (t Target) Check() error {
	m, ok := Lookup(t.Metric)
	if !ok {
		return fmt.Errorf("unknown metric %q: choose one of %s", t.Metric, strings.Join(Keys(), ", "))
	}
	if math.IsNaN(t.Target) || math.IsInf(t.Target, 0) {
		return fmt.Errorf("the target of %s must be a number", t.Metric)
	}
	if m.Rate && (t.Target < 0 || t.Target > 1) {
		return fmt.Errorf("%s is a rate: give its target between 0 and 1 (or as a percentage, 95%%), not %g", t.Metric, t.Target)
	}
	if !t.HasAmber() {
		return nil
	}
	if math.IsInf(t.Amber, 0) || (m.Rate && (t.Amber < 0 || t.Amber > 1)) {
		return fmt.Errorf("the amber threshold of %s must be a number between 0 and 1 (a rate), not %g", t.Metric, t.Amber)
	}
	if m.HigherIsBetter && t.Amber > t.Target {
		return fmt.Errorf("the amber threshold of %s (%g) must not be above its target (%g): higher is better, so amber is the band just below the target", t.Metric, t.Amber, t.Target)
	}
	if !m.HigherIsBetter && t.Amber < t.Target {
		return fmt.Errorf("the amber threshold of %s (%g) must not be below its target (%g): lower is better, so amber is the band just above the target", t.Metric, t.Amber, t.Target)
	}
	return nil
}

// Status is a figure's rating against its target.
type Status int

const (
	// None: no target applies, or the figure could not be computed.
	None Status = iota
	Green
	Amber
	Red
)

// String is the status's name in labelqa.targets/v1 and the CLI.
func (s Status) String() string {
	return [...]string{"none", "green", "amber", "red"}[s]
}

// Rate rates value against t: green when it meets the target (on the
// metric's better side, the target itself included), amber when it falls
// short by no more than the amber band (its edge included), red otherwise.
// A NaN value (not computable) is None.
func (t Target) Rate(value float64) Status {
	m, ok := Lookup(t.Metric)
	if !ok || math.IsNaN(value) {
		return None
	}
	meets := func(v, bound float64) bool {
		if m.HigherIsBetter {
			return v >= bound
		}
		return v <= bound
	}
	switch {
	case meets(value, t.Target):
		return Green
	case t.HasAmber() && meets(value, t.Amber):
		return Amber
	}
	return Red
}

// Set is the targets of a project.
type Set []Target

// For returns the target of metric that applies to a figure of vendor,
// queue and market (each "" for a figure over every one): the most specific
// target whose every non-empty scope field equals the figure's. Specificity
// is the number of scope fields set; at equal specificity vendor outranks
// queue, which outranks market. ok is false when no target applies.
func (s Set) For(metric, vendor, queue, market string) (Target, bool) {
	best, bestRank := Target{}, -1
	for _, t := range s {
		if t.Metric != metric ||
			(t.Vendor != "" && t.Vendor != vendor) ||
			(t.Queue != "" && !strings.EqualFold(t.Queue, queue)) ||
			(t.Market != "" && t.Market != market) {
			continue
		}
		rank := 0
		if t.Vendor != "" {
			rank += 4
		}
		if t.Queue != "" {
			rank += 2
		}
		if t.Market != "" {
			rank++
		}
		if rank > bestRank {
			best, bestRank = t, rank
		}
	}
	return best, bestRank >= 0
}

// Rate rates value of metric for the scope against the target that applies
// (None when none does).
func (s Set) Rate(metric, vendor, queue, market string, value float64) (Status, Target) {
	t, ok := s.For(metric, vendor, queue, market)
	if !ok {
		return None, Target{}
	}
	return t.Rate(value), t
}
