package metrics

// AuditOutcome is one audited judgment, as the KPI figures read audits:
// Judgment is its index in the analysed Dataset, Correct whether the
// auditor found its label right, and InclusionProbability the chance the
// sample that drew it had of drawing it (1 for a census, or when the
// design is unknown). Audits of judgments outside the analysis are not
// passed.
type AuditOutcome struct {
	Judgment             int
	Correct              bool
	InclusionProbability float64
}
