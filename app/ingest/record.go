// Package ingest reads labeling batches and golden-set files in every format
// LabelQA accepts (see docs/FORMATS.md) and turns them into Records.
//
// Readers stream: they never hold a whole file in memory. Validation problems
// are collected as position-carrying *Error values in an ErrorList so that a
// user sees every problem of a file at once (up to MaxErrors), and the caller
// commits nothing while any remain.
package ingest

import (
	"math"
	"time"
)

// Record is one judgment: one annotator's label(s) for one item.
// Strings are exactly as written in the file (trimmed of surrounding spaces),
// never interpreted as formulas.
type Record struct {
	Row         int      // 1-based line (CSV/TSV/JSONL/JSON) or sheet row (XLSX) where the record starts
	ItemID      string   // required
	AnnotatorID string   // required
	Labels      []string // required, at least one; a cell "a|b" gives ["a","b"]
	Vendor      string
	Team        string
	Market      string
	Queue       string // lower-cased: live, practice, test, 2rqa, or any other name
	Round       int    // 0 when the file does not say
	SubmittedAt time.Time
	DurationS   float64 // NaN when the file does not say
	SOPVersion  string
	Template    string
	Content     string
	Comment     string
	ErrorCat    string
	RootCause   string
}

// HasTime reports whether the record carries a submission time.
func (r *Record) HasTime() bool { return !r.SubmittedAt.IsZero() }

// HasDuration reports whether the record carries a handling time.
func (r *Record) HasDuration() bool { return !math.IsNaN(r.DurationS) }

// Reset clears r for reuse by a reader, keeping the Labels backing array.
func (r *Record) Reset() {
	labels := r.Labels[:0]
	*r = Record{Labels: labels, DurationS: math.NaN()}
}

// GoldRecord is one golden-set answer.
type GoldRecord struct {
	Row        int
	ItemID     string
	Labels     []string // usually one; multi-label gold allowed
	Rationale  string
	SOPSection string
	GDSVersion string
}
