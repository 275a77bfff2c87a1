// Package query is the one description of which judgments a figure is
// about: vendor, team, queue, market, SOP version, reviewer, a date range,
// and a vendor scope that cannot be widened. A project turns a Query into
// SQL (app/store); batch files read without a project test each judgment
// with Match (app/dataset). Both judge a judgment the same way, which
// app/dataset's tests prove on generated data.
//
// The package is a leaf: the standard library only.
package query

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Query selects judgments. A zero field matches every judgment; the fields
// given must all match. Which value of a judgment each field is matched
// with:
//
//   - Vendor, Team, Market: the annotator's (the latest non-empty value the
//     imports or files gave), exactly (letter case counts).
//   - Queue: the judgment's queue, ignoring letter case (queue names are
//     stored lower-cased).
//   - SOP: the judgment's SOP version, exactly.
//   - Reviewer: the annotator's id, exactly.
//   - From, To: the judgment's submission time t, From <= t < To, compared
//     in whole milliseconds (as a project stores times). A judgment without
//     a time is outside any date range.
//
// A scope (WithinVendor) narrows a query to one vendor for good: nothing
// outside the package can clear or widen it, and a Vendor naming another
// vendor than the scope matches nothing (Validate reports ErrOutsideScope).
type Query struct {
	Vendor, Team, Queue, Market, SOP, Reviewer string
	From, To                                   time.Time

	// scoped: the judgments are those of vendor scope only. conflict: two
	// different scopes were asked, so nothing is in both.
	scope            string
	scoped, conflict bool
}

// ErrOutsideScope is the error of a query that names a vendor outside its
// vendor scope (or was scoped to two vendors): it can match nothing.
var ErrOutsideScope = errors.New("outside the vendor scope")

// ErrEmptyRange is the error of a date range whose start is not before its
// end: no time is in it, whatever the data hold.
var ErrEmptyRange = errors.New("empty date range")

// WithinVendor returns q narrowed to the judgments of annotators of vendor
// v. It never widens: on a query already scoped to another vendor the
// result matches nothing (and Validate reports ErrOutsideScope). An empty
// v is the annotators whose vendor is empty, not "every vendor".
func (q Query) WithinVendor(v string) Query {
	switch {
	case !q.scoped:
		q.scope, q.scoped = v, true
	case q.scope != v:
		q.conflict = true
	}
	return q
}

// Scope returns the vendor the query is scoped to, and whether it is.
func (q Query) Scope() (vendor string, ok bool) { return q.scope, q.scoped }

// Filtered reports whether q narrows the judgments at all: any field or a
// scope.
func (q Query) Filtered() bool {
	return q.Vendor != "" || q.Team != "" || q.Queue != "" || q.Market != "" || q.SOP != "" || q.Reviewer != "" ||
		!q.From.IsZero() || !q.To.IsZero() || q.scoped
}

// VendorCondition returns the vendor condition q puts on a judgment's annotator:
// the vendor (set true) or none (set false). It is the scope, or Vendor
// when there is no scope. A translator to another language (SQL) calls
// MatchesNothing first.
func (q Query) VendorCondition() (vendor string, set bool) {
	if q.scoped {
		return q.scope, true
	}
	return q.Vendor, q.Vendor != ""
}

// MatchesNothing reports whether q can match no judgment whatever the data:
// a vendor outside its scope, two scopes, or an empty date range.
func (q Query) MatchesNothing() bool {
	return q.conflict || q.scoped && q.Vendor != "" && q.Vendor != q.scope ||
		!q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To)
}

// Error is a problem of one field of a Query. Field is the field's name in
// words ("vendor", "team", "queue", "market", "SOP version", "reviewer",
// "date range"); a caller that offers the field as a flag or a control
// names it its own way.
type Error struct {
	Field string
	Value string
	Err   error // ErrOutsideScope, ErrEmptyRange or nil
	msg   string
}

func (e *Error) Error() string { return e.msg }
func (e *Error) Unwrap() error { return e.Err }

// Validate reports a query that cannot mean what its user wants: a vendor
// outside its vendor scope (ErrOutsideScope), an empty date range
// (ErrEmptyRange), or a value no judgment can hold (invalid UTF-8 or a NUL
// character, which every reader refuses). It does not look at the data: a
// value no judgment happens to have is the caller's to report.
func (q Query) Validate() error {
	if q.conflict {
		return &Error{Field: "vendor", Value: q.scope, Err: ErrOutsideScope,
			msg: fmt.Sprintf("this view is limited to vendor %q and to another vendor as well, so it shows nothing; open it for one vendor", q.scope)}
	}
	if q.scoped && q.Vendor != "" && q.Vendor != q.scope {
		return &Error{Field: "vendor", Value: q.Vendor, Err: ErrOutsideScope,
			msg: fmt.Sprintf("vendor %q is outside this view, which shows vendor %q only; choose %q or no vendor", q.Vendor, q.scope, q.scope)}
	}
	for _, f := range []struct{ name, v string }{
		{"vendor", q.Vendor}, {"team", q.Team}, {"queue", q.Queue}, {"market", q.Market}, {"SOP version", q.SOP}, {"reviewer", q.Reviewer},
	} {
		switch {
		case !utf8.ValidString(f.v):
			return &Error{Field: f.name, Value: f.v,
				msg: fmt.Sprintf("the %s %q is not valid UTF-8 text, so no judgment can have it; type it again", f.name, f.v)}
		case strings.ContainsRune(f.v, 0):
			return &Error{Field: f.name, Value: f.v,
				msg: fmt.Sprintf("the %s %q holds the NUL character, which no imported value can hold; remove it", f.name, f.v)}
		}
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		from, to := q.From.UTC().Format(time.RFC3339Nano), q.To.UTC().Format(time.RFC3339Nano)
		return &Error{Field: "date range", Value: from + " to " + to, Err: ErrEmptyRange,
			msg: fmt.Sprintf("the date range from %s to %s is empty (it holds the times from the start up to, not including, the end); give an earlier start or a later end", from, to)}
	}
	return nil
}

// Judgment is what Match looks at of one judgment.
type Judgment struct {
	Vendor, Team, Market string // the annotator's latest non-empty values
	Reviewer             string // the annotator's id
	Queue                string // as stored: lower case
	SOP                  string // the SOP version
	At                   int64  // submission time, Unix milliseconds
	HasTime              bool
}

// Match reports whether q selects j. Matching many judgments, Matcher
// does the per-query work once.
func (q Query) Match(j Judgment) bool { m := q.Matcher(); return m.Match(j) }

// Matcher is a Query ready to test many judgments.
type Matcher struct {
	nothing                                    bool
	vendor, team, queue, market, sop, reviewer string
	hasVendor                                  bool
	hasFrom, hasTo                             bool
	from, to                                   int64
}

// Matcher prepares q for Match.
func (q Query) Matcher() Matcher {
	m := Matcher{nothing: q.MatchesNothing(), team: q.Team, queue: strings.ToLower(q.Queue), market: q.Market, sop: q.SOP, reviewer: q.Reviewer}
	m.vendor, m.hasVendor = q.VendorCondition()
	if !q.From.IsZero() {
		m.hasFrom, m.from = true, q.From.UnixMilli()
	}
	if !q.To.IsZero() {
		m.hasTo, m.to = true, q.To.UnixMilli()
	}
	return m
}

// Match reports whether the query selects j.
func (m *Matcher) Match(j Judgment) bool {
	switch {
	case m.nothing,
		m.hasVendor && j.Vendor != m.vendor,
		m.team != "" && j.Team != m.team,
		m.market != "" && j.Market != m.market,
		m.queue != "" && j.Queue != m.queue,
		m.sop != "" && j.SOP != m.sop,
		m.reviewer != "" && j.Reviewer != m.reviewer,
		m.hasFrom && (!j.HasTime || j.At < m.from),
		m.hasTo && (!j.HasTime || j.At >= m.to):
		return false
	}
	return true
}

// ParseDate reads a date: YYYY-MM-DD (midnight UTC), YYYY-MM-DDTHH:MM:SS
// (UTC) or an RFC 3339 time. An empty s is the zero time (no bound).
func ParseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("date %q: use YYYY-MM-DD or an RFC 3339 time such as 2026-11-02T08:00:00Z", s)
}
