package ingest

import "labelqa/app/inputerr"

// MaxErrors is how many problems an ErrorList keeps for display; the rest are counted.
const MaxErrors = inputerr.MaxErrors

// Error is a problem at a position in an input file (inputerr.Error).
type Error = inputerr.Error

// ErrorList gathers position errors (inputerr.ErrorList).
type ErrorList = inputerr.ErrorList

// AsList returns err as an *ErrorList when it is one or wraps one.
func AsList(err error) (*ErrorList, bool) { return inputerr.AsList(err) }
