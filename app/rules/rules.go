// Package rules holds LabelQA's domain rules, each written once and used
// by an import into a project (app/store) and by reading batch files
// without one (app/dataset): how repeated (item, annotator) rows are
// treated, how an annotator's vendor, team and market are merged, which
// labels mean approve, and which names a user may give.
//
// It is a leaf: it imports only the standard library.
package rules

import (
	"fmt"
	"strings"
)

// DuplicatePolicy says what happens to an (item, annotator) pair seen more
// than once. Its value is the name users type and projects store in
// batches.dup_policy. The zero value is not a policy; Or gives the default.
type DuplicatePolicy string

// The duplicate policies.
const (
	DupLast  DuplicatePolicy = "last"  // the latest submission replaces earlier ones (default)
	DupFirst DuplicatePolicy = "first" // the earliest stays, later ones are dropped
	DupKeep  DuplicatePolicy = "keep"  // every row is a separate judgment
	DupError DuplicatePolicy = "error" // a duplicate is an error and the import is refused
)

// DuplicatePolicies lists the policies, the default first.
var DuplicatePolicies = []DuplicatePolicy{DupLast, DupFirst, DupKeep, DupError}

// DefaultDuplicatePolicy is the policy when none is given.
const DefaultDuplicatePolicy = DupLast

// Valid reports whether p names a duplicate policy.
func (p DuplicatePolicy) Valid() bool {
	switch p {
	case DupLast, DupFirst, DupKeep, DupError:
		return true
	}
	return false
}

// OrDefault is p, or DupLast when p is empty.
func (p DuplicatePolicy) OrDefault() DuplicatePolicy {
	if p == "" {
		return DefaultDuplicatePolicy
	}
	return p
}

// String is the policy's name.
func (p DuplicatePolicy) String() string { return string(p) }

// Set parses a policy name, so that *DuplicatePolicy is a flag.Value.
func (p *DuplicatePolicy) Set(s string) error {
	v, err := ParseDuplicatePolicy(s)
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// DuplicatePolicyNames is "last, first, keep or error".
func DuplicatePolicyNames() string {
	var b strings.Builder
	for i, p := range DuplicatePolicies {
		switch {
		case i == len(DuplicatePolicies)-1:
			b.WriteString(" or ")
		case i > 0:
			b.WriteString(", ")
		}
		b.WriteString(string(p))
	}
	return b.String()
}

// ParseDuplicatePolicy reads a policy name as users type it; "" is the default.
func ParseDuplicatePolicy(s string) (DuplicatePolicy, error) {
	p := DuplicatePolicy(s).OrDefault()
	if !p.Valid() {
		return "", fmt.Errorf("unknown duplicate policy %q (use %s)", s, DuplicatePolicyNames())
	}
	return p, nil
}

// Repeat is what a duplicate policy does with a repeated pair.
type Repeat int

const (
	// KeepBoth stores the new row beside the earlier one (keep).
	KeepBoth Repeat = iota
	// DropNew drops the new row; the earlier one stays.
	DropNew
	// DropOld replaces the earlier row with the new one.
	DropOld
	// Refuse is a problem of the file: the import is refused.
	Refuse
)

// NoTime is a submission time (Unix ms) a row does not give.
const NoTime = int64(-1 << 63)

// Resolve applies p to a pair whose earlier row was submitted at oldAt and
// whose new row (met later) at newAt, both Unix ms or NoTime. Under last,
// the later submission wins, and when either time is unknown the row met
// later does.
func (p DuplicatePolicy) Resolve(oldAt, newAt int64) Repeat {
	switch p {
	case DupError:
		return Refuse
	case DupFirst:
		return DropNew
	case DupKeep:
		return KeepBoth
	}
	if oldAt != NoTime && newAt != NoTime && newAt < oldAt {
		return DropNew // the earlier row is the later submission
	}
	return DropOld
}

// MergeAttribute is an annotator's vendor, team or market after a row that
// says next: the latest non-empty value wins, an empty cell keeps old.
func MergeAttribute(old, next string) string {
	if next == "" {
		return old
	}
	return next
}

// IsApproveName reports whether a label name is, by convention, the
// allow/approve decision rather than a violation class. It decides where a
// project or a run declares no allow labels.
func IsApproveName(name string) bool {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "approve", "approved", "allow", "allowed", "ok", "pass", "safe", "no_violation", "none", "clean", "benign", "acceptable":
		return true
	}
	return false
}

// Approves says which labels mean approve: with allow labels declared
// (allow non-nil), exactly those, in any spelling (LabelKey); without, the
// names IsApproveName knows.
func Approves(name string, allow []string) bool {
	if allow == nil {
		return IsApproveName(name)
	}
	k := LabelKey(name)
	for _, a := range allow {
		if LabelKey(a) == k {
			return true
		}
	}
	return false
}
