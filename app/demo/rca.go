package demo

import (
	"slices"

	"labelqa/app/rules"
)

// Error categories of the error_category column, as QA and audit exports
// name them.
const (
	catOver        = "over_enforcement"  // an allowed ad was blocked
	catUnder       = "under_enforcement" // a violating ad was allowed
	catWrongPolicy = "wrong_policy"      // a violation under the wrong policy
)

// tagShare is the share of the wrong first-round judgments on golden items
// whose export names an error category and a root cause: QA or an audit
// found the error and wrote down why; the rest are left for RCA tagging.
const tagShare = 0.6

// trainingShare is the share of training_gap among the errors that have no
// cause planted in the generator (the rest are tool_or_template).
const trainingShare = 0.7

// tagErrors turns tagError on; a test turns it off to see that tagging
// changes nothing else.
var tagErrors = true

// Root causes the generator attributes errors to (rules.RootCauses).
var (
	causeAmbiguity = rootCause("sop_ambiguity")
	causeTraining  = rootCause("training_gap")
	causeTool      = rootCause("tool_or_template")
	causeChange    = rootCause("guideline_change")
	causeCareless  = rootCause("carelessness")
)

func rootCause(s string) string {
	if !slices.Contains(rules.RootCauses, s) {
		panic("demo: " + s + " is not in rules.RootCauses")
	}
	return s
}

// pairHash is a hash of (item, annotator): FNV-1a over both ids with a 0
// byte between them, finished with SplitMix64's mix. tagError draws its
// choices from it, never from the random streams, so that tagging leaves
// every label, time and comment of the sample as it was.
func pairHash(item, annotator string, salt uint64) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for i := range len(item) {
		h = (h ^ uint64(item[i])) * prime
	}
	h = (h ^ 0) * prime
	for i := range len(annotator) {
		h = (h ^ uint64(annotator[i])) * prime
	}
	return mix(h ^ mix(salt+1))
}

// unit maps a hash to [0, 1).
func unit(h uint64) float64 { return float64(h>>11) / (1 << 53) }

// isAllowed reports whether label means the ad may run (Allowed).
func isAllowed(label int) bool { return slices.Contains(Allowed, Labels[label]) }

// errorCategory names the kind of error of giving label given to an item
// whose true class is truth (given != truth): blocking an allowed ad is
// over-enforcement, allowing a violating one under-enforcement, and
// calling a violation by the wrong policy wrong_policy.
func errorCategory(truth, given int) string {
	switch a, b := isAllowed(truth), isAllowed(given); {
	case a && !b:
		return catOver
	case !a && b:
		return catUnder
	}
	return catWrongPolicy
}

// sectionChanged reports whether label's SOP section differs between the
// two guideline versions.
func sectionChanged(label int) bool { return sops[0].sections[label] != sops[1].sections[label] }

// tagError fills rw's error_category and root_cause when rw is a wrong
// first-round judgment of a golden item (its label is neither the item's
// truth nor its published gold answer, so the RCA sees an error the cause
// explains) and the pair's hash puts it in the tagShare that QA or an
// audit wrote down. The cause is what made the generator err: a hard item
// (two plausible readings) is sop_ambiguity; a judgment of the planted bad
// week carelessness; a judgment under SOP v4 of an item whose true label's
// section moved between v3 and v4 guideline_change; otherwise training_gap
// or tool_or_template (trainingShare of them training_gap), by the hash.
// It consumes no random numbers.
func tagError(rw *row, truth, gold int, hard, bad bool) {
	if !tagErrors || rw.round != 1 || rw.label == truth || rw.label == gold {
		return
	}
	if unit(pairHash(rw.item, rw.rv.id, 1)) >= tagShare {
		return
	}
	rw.errCat = errorCategory(truth, rw.label)
	switch {
	case hard:
		rw.cause = causeAmbiguity
	case bad:
		rw.cause = causeCareless
	case rw.sop == &sops[1] && sectionChanged(truth):
		rw.cause = causeChange
	case unit(pairHash(rw.item, rw.rv.id, 2)) < trainingShare:
		rw.cause = causeTraining
	default:
		rw.cause = causeTool
	}
}
