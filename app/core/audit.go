package core

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"labelqa/analysis/sampling"
	"labelqa/app/dataset"
	"labelqa/app/ingest"
	"labelqa/app/metrics"
	"labelqa/app/rules"
	"labelqa/app/store"
)

// SampleOptions says how big an audit sample is and how it is drawn: Size
// judgments when Size > 0, else the Cochran size (with the finite-population
// correction, p = 0.5) that estimates accuracy within ± Margin at
// Confidence (0.03 and 0.95 when zero); Seed makes the draw repeatable.
type SampleOptions struct {
	Size               int
	Seed               uint64
	Margin, Confidence float64
}

// Default margin and confidence of an audit sample.
const (
	DefaultAuditMargin     = 0.03
	DefaultAuditConfidence = 0.95
)

// AuditSampleRow is one sampled judgment as the audit sheet shows it.
// Judgment is its index in the analysed Dataset, Ref its annotation id (the
// sheet's "ref" column, which an import finds it by).
type AuditSampleRow struct {
	Judgment    int
	Ref         int64
	Item        string
	Annotator   string
	Queue       string
	Market      string
	Label       string // the label the reviewer gave
	Content     string
	Comment     string    // the reviewer's comment
	SubmittedAt time.Time // zero when unknown
	Probability float64   // inclusion probability n_h/N_h
	Stratum     int       // index into AuditSample.Strata
}

// AuditStratum is one stratum of an audit sample: a queue, market and
// given label, with its judgments (N_h) and those drawn (n_h).
type AuditStratum struct {
	Queue, Market, Label string
	Population, Sample   int
}

// Probability is the inclusion probability n_h/N_h of the stratum's
// judgments.
func (s AuditStratum) Probability() float64 { return float64(s.Sample) / float64(s.Population) }

// AuditSample is a seeded stratified random sample of one vendor's
// judgments for a 2nd-line audit.
type AuditSample struct {
	Vendor     string
	Population int // the vendor's judgments in the analysis
	Size       int // judgments drawn
	// Asked is the size asked for (SampleOptions.Size), 0 when the size
	// came from Margin and Confidence; Cochran is that size before it was
	// capped by the population.
	Asked              int
	Margin, Confidence float64
	Cochran            int
	Seed               uint64
	Strata             []AuditStratum
	Rows               []AuditSampleRow
}

// ErrNoAuditVendor: an audit sample needs a vendor. The error wrapping it
// lists the vendors of the analysis. A vendor without judgments in the
// analysis is ErrNoVendor (as for ExportVendor).
var ErrNoAuditVendor = errors.New("an audit sample is of one vendor's judgments")

// Vendors lists the vendors of d's annotators, sorted ("" left out).
func Vendors(d *dataset.Dataset) []string {
	var out []string
	for _, a := range d.Annotators {
		if a.Vendor != "" && !slices.Contains(out, a.Vendor) {
			out = append(out, a.Vendor)
		}
	}
	slices.Sort(out)
	return out
}

func vendorList(d *dataset.Dataset) string {
	v := Vendors(d)
	if len(v) == 0 {
		return "the judgments name no vendor"
	}
	return "the vendors are " + strings.Join(v, ", ")
}

// AuditSample draws the audit sample of vendor's judgments in a: strata by
// queue, market and given label, proportional allocation, a seeded draw
// (sampling.Stratified), each row with its inclusion probability and what
// the auditor needs to judge it (content, comment). a must be an analysis
// of this project (Analyze).
func (p *Project) AuditSample(ctx context.Context, a *Analysis, vendor string, o SampleOptions) (*AuditSample, error) {
	if a == nil || a.Data == nil {
		return nil, errNilData
	}
	d := a.Data
	if vendor == "" {
		return nil, fmt.Errorf("%w: name the vendor (%s)", ErrNoAuditVendor, vendorList(d))
	}
	if o.Size < 0 {
		return nil, fmt.Errorf("a sample size must be a positive number of judgments, not %d", o.Size)
	}
	if o.Margin == 0 {
		o.Margin = DefaultAuditMargin
	}
	if o.Confidence == 0 {
		o.Confidence = DefaultAuditConfidence
	}
	if !(o.Margin > 0 && o.Margin < 1) || !(o.Confidence > 0 && o.Confidence < 1) {
		return nil, fmt.Errorf("the margin and confidence must be between 0 and 1 (for example 0.03 and 0.95), not %v and %v", o.Margin, o.Confidence)
	}
	var pop []int
	for j := range d.Len() {
		if d.Annotators[d.Annotator[j]].Vendor == vendor {
			pop = append(pop, j)
		}
	}
	if len(pop) == 0 {
		return nil, fmt.Errorf("vendor %q has no judgments in the analysis (%s; letter case counts): %w", vendor, vendorList(d), ErrNoVendor)
	}
	s := &AuditSample{Vendor: vendor, Population: len(pop), Asked: o.Size, Margin: o.Margin, Confidence: o.Confidence, Seed: o.Seed}
	n := o.Size
	if n == 0 {
		s.Cochran = sampling.CochranSize(o.Margin, o.Confidence, 0.5, 0)
		n = sampling.CochranSize(o.Margin, o.Confidence, 0.5, len(pop))
	}
	n = min(n, len(pop))
	s.Size = n
	codes := metrics.AuditStrata(d, pop)
	draw := sampling.Stratified(codes, n, o.Seed)
	// Strata are coded in name order (AuditStrata); name them from any member.
	names := map[int]AuditStratum{}
	for i, c := range codes {
		if _, ok := names[c]; !ok {
			j := pop[i]
			names[c] = AuditStratum{Queue: d.Queues[d.Queue[j]], Market: d.Annotators[d.Annotator[j]].Market, Label: d.Labels[d.Label[j]]}
		}
	}
	stratumIndex := map[int]int{}
	for _, st := range draw.Strata {
		x := names[st.Code]
		x.Population, x.Sample = st.Population, st.Sample
		stratumIndex[st.Code] = len(s.Strata)
		s.Strata = append(s.Strata, x)
	}
	js := make([]int, len(draw.Index))
	for k, i := range draw.Index {
		js[k] = pop[i]
	}
	refs, err := p.refsOf(ctx, d, js)
	if err != nil {
		return nil, err
	}
	for k, j := range js {
		r := refs[k]
		row := AuditSampleRow{Judgment: j, Ref: r.ID, Item: r.Item, Annotator: r.Annotator, Queue: r.Queue,
			Market: d.Annotators[d.Annotator[j]].Market, Label: d.Labels[d.Label[j]], Content: r.Content, Comment: r.Comment,
			Probability: draw.Probability[k], Stratum: stratumIndex[draw.Stratum[k]]}
		if r.HasTime {
			row.SubmittedAt = time.UnixMilli(r.SubmittedAt).UTC()
		}
		s.Rows = append(s.Rows, row)
	}
	return s, nil
}

// judgmentKey is what places a judgment of a Dataset among the project's
// annotations: two annotations with the same key are alike to every filter
// (vendor, team, market and reviewer are the annotator's; queue, SOP version
// and time the judgment's), so a Dataset holds all of them or none, in
// annotation id order, and the k-th of a key in the Dataset is the k-th of
// that key in the project.
type judgmentKey struct {
	item, annotator, queue, sop string
	at                          int64 // Unix ms, math.MinInt64 when unknown
}

func keyOfRef(r *store.JudgmentRef) judgmentKey {
	at := int64(math.MinInt64)
	if r.HasTime {
		at = r.SubmittedAt
	}
	return judgmentKey{r.Item, r.Annotator, r.Queue, r.SOPVersion, at}
}

func keyOfJudgment(d *dataset.Dataset, j int) judgmentKey {
	return judgmentKey{d.Items[d.Item[j]], d.Annotators[d.Annotator[j]].ID, d.Queues[d.Queue[j]], d.SOPs[d.SOP[j]], d.At[j]}
}

// errNotThisProject: an analysis of other judgments than the project's.
var errNotThisProject = errors.New("the analysis is not of this project's judgments (analyse the project again)")

// refsOf finds the stored annotation of each of judgments js of d.
func (p *Project) refsOf(ctx context.Context, d *dataset.Dataset, js []int) ([]store.JudgmentRef, error) {
	wanted := map[int32]bool{}
	var items []string
	for _, j := range js {
		if !wanted[d.Item[j]] {
			wanted[d.Item[j]] = true
			items = append(items, d.Items[d.Item[j]])
		}
	}
	stored, err := p.s.JudgmentsOfItems(ctx, items)
	if err != nil {
		return nil, err
	}
	byKey := map[judgmentKey][]int{} // key -> indexes into stored, in id order
	for i := range stored {
		k := keyOfRef(&stored[i])
		byKey[k] = append(byKey[k], i)
	}
	// Rank of each judgment among the Dataset's judgments of its key.
	isWanted := map[int]bool{}
	for _, j := range js {
		isWanted[j] = true
	}
	rank := map[int]int{}
	seen := map[judgmentKey]int{}
	for j := range d.Len() {
		if !wanted[d.Item[j]] {
			continue
		}
		k := keyOfJudgment(d, j)
		if isWanted[j] {
			rank[j] = seen[k]
		}
		seen[k]++
	}
	out := make([]store.JudgmentRef, len(js))
	for n, j := range js {
		cands := byKey[keyOfJudgment(d, j)]
		if rank[j] >= len(cands) {
			return nil, errNotThisProject
		}
		out[n] = stored[cands[rank[j]]]
	}
	return out, nil
}

// The audit sheet: its name (the same in every language), the heading of
// its first column, and its columns in order (ingest.AuditCol...): A-I the
// sampled judgment (read-only), J-N what the auditor fills.
const (
	AuditSheet     = ingest.AuditSheet
	AuditRefHeader = ingest.AuditRefHeader

	AuditColRef           = ingest.AuditColRef
	AuditColItem          = ingest.AuditColItem
	AuditColAnnotator     = ingest.AuditColAnnotator
	AuditColQueue         = ingest.AuditColQueue
	AuditColMarket        = ingest.AuditColMarket
	AuditColGivenLabel    = ingest.AuditColGivenLabel
	AuditColContent       = ingest.AuditColContent
	AuditColSubmittedAt   = ingest.AuditColSubmittedAt
	AuditColProbability   = ingest.AuditColProbability
	AuditColAuditorLabel  = ingest.AuditColAuditorLabel
	AuditColCorrect       = ingest.AuditColCorrect
	AuditColErrorCategory = ingest.AuditColErrorCategory
	AuditColRootCause     = ingest.AuditColRootCause
	AuditColComment       = ingest.AuditColComment
	AuditColumns          = ingest.AuditColumns
)

// Verdicts of an audit.
const (
	VerdictCorrect   = "correct"
	VerdictIncorrect = "incorrect"
	VerdictUnclear   = "unclear"
)

// AuditAnswers are the words the audit sheet's "correct?" column takes in
// each language (the drop-down offers one language's; an import accepts
// any): yes, no and unclear.
var AuditAnswers = map[string][]string{
	VerdictCorrect:   {"yes", "y", "ya", "ja", "true", "1", "correct"},
	VerdictIncorrect: {"no", "n", "tidak", "nei", "false", "0", "incorrect"},
	VerdictUnclear:   {"unclear", "?", "tidak jelas", "uklar"},
}

func parseAnswer(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for v, words := range AuditAnswers {
		if slices.Contains(words, s) {
			return v, true
		}
	}
	return "", false
}

// AuditImportOptions says who audited.
type AuditImportOptions struct {
	Auditor string
}

// AuditImportResult is what an audit import stored.
type AuditImportResult struct {
	File      string
	Rows      int // data rows of the sheet
	Audited   int // rows with a verdict, stored
	Correct   int
	Incorrect int
	Unclear   int
	Skipped   int // rows without a verdict (not audited yet)
	Batch     int64
}

// AuditCellErrors are an audit sheet's problems, each at its cell
// ("audit.xlsx:Audit!F17: ...").
type AuditCellErrors = ingest.CellErrors

// ImportAudit reads a filled audit sheet (the Audit sheet of the workbook
// "labelqa report audit" writes) and stores its verdicts, with the file as
// a batch of kind "audit". Every row is checked first: a ref, item id,
// annotator id or given label that is not the project's judgment, an
// unknown auditor label or root cause, an answer that is not yes, no or
// unclear, or an inclusion probability outside (0, 1] refuses the whole
// import (an *AuditCellErrors naming each cell); nothing is stored while
// any remain. A row with neither an auditor label nor an answer is not
// audited yet and is skipped; with an auditor label alone, the verdict is
// whether it is the given label.
func (p *Project) ImportAudit(ctx context.Context, path string, o AuditImportOptions) (AuditImportResult, error) {
	defer p.changed()
	f, err := ingest.ReadAudit(path)
	if err != nil {
		return AuditImportResult{}, err
	}
	res := AuditImportResult{File: f.Name, Rows: len(f.Rows)}
	labels, err := p.s.Labels(ctx)
	if err != nil {
		return res, err
	}
	labelID := map[string]store.Label{}
	var labelNames []string
	for _, l := range labels {
		labelID[LabelKey(l.Name)] = l
		labelNames = append(labelNames, l.Name)
	}
	var errs ingest.CellErrors
	bad := func(row, col int, format string, args ...any) {
		errs.Addf(f.Name, row, col, format, args...)
	}
	ids := make([]int64, len(f.Rows))
	for i := range f.Rows {
		r := &f.Rows[i]
		id, err := strconv.ParseInt(r.Cells[ingest.AuditColRef], 10, 64)
		if err != nil {
			// A spreadsheet may write the number back as 146.0 or 1.46E2.
			if f, ferr := strconv.ParseFloat(r.Cells[ingest.AuditColRef], 64); ferr == nil && f == math.Trunc(f) && f > 0 && f < 1<<53 {
				id, err = int64(f), nil
			}
		}
		if err != nil || id <= 0 {
			bad(r.Row, ingest.AuditColRef, "%q is not a judgment's ref; the ref column must stay as the report wrote it", r.Cells[ingest.AuditColRef])
			continue
		}
		ids[i] = id
	}
	refs, err := p.s.JudgmentsByID(ctx, ids)
	if err != nil {
		return res, err
	}
	// A sheet drawn from another project fails on nearly every row: one
	// message says so instead of a line per cell.
	foreign, withRef := 0, 0
	for i := range f.Rows {
		if ids[i] == 0 {
			continue
		}
		withRef++
		if ref, ok := refs[ids[i]]; !ok || f.Rows[i].Cells[ingest.AuditColItem] != strings.TrimSpace(ref.Item) {
			foreign++
		}
	}
	if withRef >= 5 && foreign*10 >= withRef*9 {
		return res, fmt.Errorf("%s: %d of its %d rows name judgments this project does not have (unknown refs, or refs of other items): the sheet was most likely drawn from another project; import it into the project that wrote it", f.Name, foreign, withRef)
	}
	firstRow := map[int64]int{}
	var rows []store.AuditRow
	for i := range f.Rows {
		r := &f.Rows[i]
		c := &r.Cells
		if ids[i] == 0 {
			continue
		}
		ref, ok := refs[ids[i]]
		if !ok {
			bad(r.Row, ingest.AuditColRef, "no judgment has ref %d in this project; the ref column must stay as the report wrote it (was the sheet drawn from another project?)", ids[i])
			continue
		}
		if prev, dup := firstRow[ids[i]]; dup {
			bad(r.Row, ingest.AuditColRef, "ref %d is also on row %d; keep one row per judgment", ids[i], prev)
			continue
		}
		firstRow[ids[i]] = r.Row
		edited := false
		for _, chk := range []struct {
			col        int
			what, want string
		}{
			{ingest.AuditColItem, "item id", ref.Item},
			{ingest.AuditColAnnotator, "annotator id", ref.Annotator},
			{ingest.AuditColGivenLabel, "given label", ref.Label},
		} {
			if c[chk.col] != strings.TrimSpace(chk.want) {
				bad(r.Row, chk.col, "the %s was edited: ref %d has %s %q, the sheet says %q; restore the cell (read-only columns must stay as the report wrote them)", chk.what, ids[i], chk.what, chk.want, c[chk.col])
				edited = true
			}
		}
		if edited {
			continue
		}
		row := store.AuditRow{Annotation: ids[i], Auditor: o.Auditor, ErrorCategory: c[ingest.AuditColErrorCategory],
			Comment: c[ingest.AuditColComment], InclusionProbability: math.NaN()}
		if s := c[ingest.AuditColProbability]; s != "" {
			pi, err := strconv.ParseFloat(s, 64)
			if err != nil || !(pi > 0 && pi <= 1) {
				bad(r.Row, ingest.AuditColProbability, "the inclusion probability %q is not a number in (0, 1]; restore the cell", s)
				continue
			}
			row.InclusionProbability = pi
		}
		rowOK := true
		if s := c[ingest.AuditColAuditorLabel]; s != "" {
			l, ok := labelID[LabelKey(s)]
			if !ok {
				bad(r.Row, ingest.AuditColAuditorLabel, "unknown label %q: choose one of %s", s, strings.Join(labelNames, ", "))
				rowOK = false
			} else {
				row.CorrectLabel = l.ID
			}
		}
		if s := c[ingest.AuditColRootCause]; s != "" {
			cause, err := rules.ParseRootCause(s)
			if err != nil {
				bad(r.Row, ingest.AuditColRootCause, "%v", err)
				rowOK = false
			}
			row.RootCause = cause
		}
		answer := c[ingest.AuditColCorrect]
		switch {
		case answer != "":
			v, ok := parseAnswer(answer)
			if !ok {
				bad(r.Row, ingest.AuditColCorrect, "%q is not an answer: write yes, no or unclear", answer)
				rowOK = false
			}
			row.Verdict = v
			if v == VerdictCorrect && row.CorrectLabel != 0 && LabelKey(c[ingest.AuditColAuditorLabel]) != LabelKey(ref.Label) {
				bad(r.Row, ingest.AuditColCorrect, "the answer is yes but the auditor label %q is not the given label %q; correct one of them", c[ingest.AuditColAuditorLabel], ref.Label)
				rowOK = false
			}
			if v == VerdictIncorrect && row.CorrectLabel != 0 && LabelKey(c[ingest.AuditColAuditorLabel]) == LabelKey(ref.Label) {
				bad(r.Row, ingest.AuditColCorrect, "the answer is no but the auditor label is the given label %q; correct one of them", ref.Label)
				rowOK = false
			}
		case row.CorrectLabel != 0:
			row.Verdict = VerdictIncorrect
			if LabelKey(c[ingest.AuditColAuditorLabel]) == LabelKey(ref.Label) {
				row.Verdict = VerdictCorrect
			}
		default:
			if row.ErrorCategory != "" || row.RootCause != "" || row.Comment != "" {
				bad(r.Row, ingest.AuditColCorrect, "the row has a note but no verdict: give the auditor label or answer yes, no or unclear")
				rowOK = false
			}
			if rowOK {
				res.Skipped++
			}
			continue
		}
		if row.Verdict == VerdictCorrect && row.CorrectLabel == 0 {
			row.CorrectLabel = labelID[LabelKey(ref.Label)].ID
		}
		if rowOK {
			rows = append(rows, row)
		}
	}
	if errs.Len() > 0 {
		errs.Sort()
		return res, &errs
	}
	if len(rows) == 0 {
		return res, fmt.Errorf("%s: no row of the %s sheet has a verdict; fill the auditor label or the correct? column first", f.Name, ingest.AuditSheet)
	}
	batch, err := p.s.ImportAudits(ctx, store.AuditInfo{FileName: f.Name, Size: f.Size, SHA256: f.SHA256, Format: "xlsx", Rows: len(f.Rows)}, rows)
	if err != nil {
		return res, err
	}
	res.Batch, res.Audited = batch, len(rows)
	for _, r := range rows {
		switch r.Verdict {
		case VerdictCorrect:
			res.Correct++
		case VerdictIncorrect:
			res.Incorrect++
		default:
			res.Unclear++
		}
	}
	return res, nil
}

// Audit is one stored verdict with the judgment it is about.
type Audit = store.Audit

// Audits returns the latest verdict on each audited judgment of the
// project.
func (p *Project) Audits(ctx context.Context) ([]Audit, error) { return p.s.Audits(ctx) }

// AuditOutcomes returns the outcomes of the audits of a's judgments (the
// latest verdict on each; "unclear" verdicts left out), in judgment order,
// as the KPI figures and metrics.AuditAccuracyOf read them. An audit
// without an inclusion probability counts as of a census (1).
func (p *Project) AuditOutcomes(ctx context.Context, a *Analysis) ([]metrics.AuditOutcome, error) {
	if a == nil || a.Data == nil {
		return nil, errNilData
	}
	audits, err := p.s.Audits(ctx)
	if err != nil || len(audits) == 0 {
		return nil, err
	}
	d := a.Data
	// The audited judgments' keys, and each one's rank among the project's
	// annotations of its key.
	var items []string
	seenItem := map[string]bool{}
	for _, x := range audits {
		if !seenItem[x.Judgment.Item] {
			seenItem[x.Judgment.Item] = true
			items = append(items, x.Judgment.Item)
		}
	}
	stored, err := p.s.JudgmentsOfItems(ctx, items)
	if err != nil {
		return nil, err
	}
	rankOf := map[int64]int{}
	count := map[judgmentKey]int{}
	for i := range stored {
		k := keyOfRef(&stored[i])
		rankOf[stored[i].ID] = count[k]
		count[k]++
	}
	type pos struct {
		k    judgmentKey
		rank int
	}
	want := map[pos]int{} // -> index into audits
	for i := range audits {
		want[pos{keyOfRef(&audits[i].Judgment), rankOf[audits[i].Annotation]}] = i
	}
	itemWanted := make([]bool, len(d.Items))
	for i, ext := range d.Items {
		itemWanted[i] = seenItem[ext]
	}
	var out []metrics.AuditOutcome
	seen := map[judgmentKey]int{}
	for j := range d.Len() {
		if !itemWanted[d.Item[j]] {
			continue
		}
		k := keyOfJudgment(d, j)
		r := seen[k]
		seen[k]++
		i, ok := want[pos{k, r}]
		if !ok || audits[i].Verdict == VerdictUnclear {
			continue
		}
		pi := audits[i].InclusionProbability
		if !(pi > 0 && pi <= 1) {
			pi = 1
		}
		out = append(out, metrics.AuditOutcome{Judgment: j, Correct: audits[i].Verdict == VerdictCorrect, InclusionProbability: pi})
	}
	return out, nil
}

// AuditAccuracy is the audit accuracy of a's audited judgments at 95%
// (metrics.AuditAccuracyOf): nil when none of them was audited.
func (p *Project) AuditAccuracy(ctx context.Context, a *Analysis) (*metrics.AuditAccuracy, error) {
	out, err := p.AuditOutcomes(ctx, a)
	if err != nil {
		return nil, err
	}
	return metrics.AuditAccuracyOf(a.Data, out, DefaultAuditConfidence), nil
}
