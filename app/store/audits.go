package store

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// JudgmentRef is one stored judgment as an audit sheet shows it and an
// audit import checks it: its annotation id and the values that place it
// (item, annotator, time, queue and SOP version, as a Dataset codes them),
// with the item's content, the given label and the reviewer's comment.
type JudgmentRef struct {
	ID          int64
	Item        string // the item's external id
	Content     string
	Annotator   string // the annotator's external id
	Vendor      string
	Label       string // the (first) label's name
	Queue       string
	SOPVersion  string
	SubmittedAt int64 // Unix ms; 0 with HasTime false when unknown
	HasTime     bool
	Comment     string
}

const judgmentRefSelect = `SELECT n.id, i.ext_id, i.content, a.ext_id, a.vendor, l.name, q.name, s.name, n.submitted_at, coalesce(n.comment, '')
	FROM annotations n JOIN items i ON i.id = n.item_id JOIN annotators a ON a.id = n.annotator_id
	JOIN labels l ON l.id = n.label_id JOIN queues q ON q.id = n.queue_id JOIN sop_versions s ON s.id = n.sop_id`

// refsChunk is how many ids one IN list holds (SQLite allows 32,766
// parameters; a few hundred keep each statement small).
const refsChunk = 500

// JudgmentsOfItems returns every judgment of the items with the given
// external ids, in annotation id order.
func (s *Store) JudgmentsOfItems(ctx context.Context, items []string) (_ []JudgmentRef, err error) {
	defer s.explain(ctx, &err)
	// Items are found by their external id in one pass over the items
	// table, tested in a Go map: ext_id has no index (the store codes ids
	// in memory), and an IN list over it cost a b-tree search of strings
	// per item row (half a second for a thousand items among 350,000).
	wanted := make(map[string]bool, len(items))
	for _, x := range items {
		wanted[x] = true
	}
	var ids []any
	_, err = s.collect(ctx, "SELECT "+collectFunc+"(?, id, ext_id) FROM items", nil, func(row []driver.Value) error {
		if v, _ := row[1].(string); wanted[v] {
			ids = append(ids, asInt(row[0]))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []JudgmentRef
	for start := 0; start < len(ids); start += refsChunk {
		part := ids[start:min(len(ids), start+refsChunk)]
		q := judgmentRefSelect + ` WHERE n.item_id IN (` + placeholders(len(part)) + `) ORDER BY n.id`
		if out, err = s.appendRefs(ctx, out, q, part); err != nil {
			return nil, err
		}
	}
	sortRefs(out)
	return out, nil
}

// JudgmentsByID returns the judgments with the given annotation ids (those
// that exist), by id.
func (s *Store) JudgmentsByID(ctx context.Context, ids []int64) (_ map[int64]JudgmentRef, err error) {
	defer s.explain(ctx, &err)
	var refs []JudgmentRef
	for start := 0; start < len(ids); start += refsChunk {
		part := ids[start:min(len(ids), start+refsChunk)]
		args := make([]any, len(part))
		for i, v := range part {
			args[i] = v
		}
		if refs, err = s.appendRefs(ctx, refs, judgmentRefSelect+` WHERE n.id IN (`+placeholders(len(part))+`)`, args); err != nil {
			return nil, err
		}
	}
	out := make(map[int64]JudgmentRef, len(refs))
	for _, r := range refs {
		out[r.ID] = r
	}
	return out, nil
}

func (s *Store) appendRefs(ctx context.Context, out []JudgmentRef, q string, args []any) ([]JudgmentRef, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r JudgmentRef
		var at sql.NullInt64
		if err := rows.Scan(&r.ID, &r.Item, &r.Content, &r.Annotator, &r.Vendor, &r.Label, &r.Queue, &r.SOPVersion, &at, &r.Comment); err != nil {
			return nil, err
		}
		r.SubmittedAt, r.HasTime = at.Int64, at.Valid
		out = append(out, r)
	}
	return out, rows.Err()
}

// sortRefs puts the judgments of several chunks in id order.
func sortRefs(r []JudgmentRef) {
	slices.SortFunc(r, func(a, b JudgmentRef) int { return cmp.Compare(a.ID, b.ID) })
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// AuditRow is one auditor's verdict on a judgment, as an audit import
// stores it.
type AuditRow struct {
	Annotation    int64  // the judgment's annotation id
	Auditor       string // who audited ("" when not said)
	CorrectLabel  int64  // the label id the auditor found right; 0: none given
	Verdict       string // correct | incorrect | unclear
	ErrorCategory string
	RootCause     string // one of rules.RootCauses, or ""
	Comment       string
	// InclusionProbability is the chance the sample had of drawing the
	// judgment; NaN when unknown (stored as NULL).
	InclusionProbability float64
}

// AuditInfo describes an audit file being imported.
type AuditInfo struct {
	FileName string
	Size     int64
	SHA256   string
	Format   string
	Rows     int // data rows read, audited or not
}

// ImportAudits stores one audit file's verdicts in a single transaction,
// with the file as a batch of kind "audit". The caller has checked every
// row; a file imported before is refused with ErrBatchExists.
func (s *Store) ImportAudits(ctx context.Context, info AuditInfo, rows []AuditRow) (batch int64, err error) {
	defer s.explain(ctx, &err)
	if err := s.checkBeforeWrite(ctx); err != nil {
		return 0, err
	}
	if exists, err := s.BatchExists(ctx, info.SHA256); err != nil {
		return 0, err
	} else if exists {
		return 0, fmt.Errorf("%s: %w: its verdicts are stored already (to change a verdict, fill a new audit sheet)", info.FileName, ErrBatchExists)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	now := time.Now().UTC()
	res, err := tx.ExecContext(ctx, `INSERT INTO batches(kind, file_name, size, sha256, format, imported_at, rows, stored, duplicates, dup_policy, mapping)
		VALUES ('audit', ?, ?, ?, ?, ?, ?, ?, 0, 'error', '{}')`,
		info.FileName, info.Size, info.SHA256, info.Format, now.Format(time.RFC3339), info.Rows, len(rows))
	if err != nil {
		return 0, err
	}
	if batch, err = res.LastInsertId(); err != nil {
		return 0, err
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO audits(annotation_id, auditor, correct_label, verdict, error_category, comment, audited_at, batch_id, root_cause, inclusion_probability)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return 0, err
	}
	defer ins.Close()
	for _, r := range rows {
		var label, pi any
		if r.CorrectLabel != 0 {
			label = r.CorrectLabel
		}
		if !math.IsNaN(r.InclusionProbability) {
			pi = r.InclusionProbability
		}
		if _, err := ins.ExecContext(ctx, r.Annotation, r.Auditor, label, r.Verdict, r.ErrorCategory, r.Comment, now.UnixMilli(), batch, r.RootCause, pi); err != nil {
			return 0, err
		}
	}
	return batch, tx.Commit()
}

// Audit is a stored verdict with the judgment it is about.
type Audit struct {
	AuditRow
	Judgment     JudgmentRef
	AuditorLabel string // the name of CorrectLabel, "" when none
	Batch        int64
	AuditedAt    time.Time
}

// Audits returns the latest verdict on each audited judgment (a judgment
// audited again in a later file takes the later verdict), by annotation id.
func (s *Store) Audits(ctx context.Context) (_ []Audit, err error) {
	defer s.explain(ctx, &err)
	q := `SELECT n.id, i.ext_id, i.content, a.ext_id, a.vendor, l.name, q.name, s.name, n.submitted_at, coalesce(n.comment, ''),
		u.auditor, coalesce(u.correct_label, 0), coalesce(cl.name, ''), u.verdict, u.error_category, u.root_cause, u.comment,
		u.inclusion_probability, coalesce(u.batch_id, 0), coalesce(u.audited_at, 0)
		FROM (SELECT * FROM audits WHERE id IN (SELECT max(id) FROM audits GROUP BY annotation_id)) u
		CROSS JOIN annotations n ON n.id = u.annotation_id
		JOIN items i ON i.id = n.item_id JOIN annotators a ON a.id = n.annotator_id
		JOIN labels l ON l.id = n.label_id JOIN queues q ON q.id = n.queue_id JOIN sop_versions s ON s.id = n.sop_id
		LEFT JOIN labels cl ON cl.id = u.correct_label
		ORDER BY n.id`
	// CROSS JOIN keeps the audits the outer loop: a few thousand rows, each
	// finding its annotation by primary key, instead of a scan of every
	// annotation (a third of a second on 670,000).
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Audit
	for rows.Next() {
		var x Audit
		r := &x.Judgment
		var at sql.NullInt64
		var pi sql.NullFloat64
		var auditedAt int64
		if err := rows.Scan(&r.ID, &r.Item, &r.Content, &r.Annotator, &r.Vendor, &r.Label, &r.Queue, &r.SOPVersion, &at, &r.Comment,
			&x.Auditor, &x.CorrectLabel, &x.AuditorLabel, &x.Verdict, &x.ErrorCategory, &x.RootCause, &x.Comment,
			&pi, &x.Batch, &auditedAt); err != nil {
			return nil, err
		}
		r.SubmittedAt, r.HasTime = at.Int64, at.Valid
		x.Annotation = r.ID
		x.InclusionProbability = math.NaN()
		if pi.Valid {
			x.InclusionProbability = pi.Float64
		}
		x.AuditedAt = time.UnixMilli(auditedAt).UTC()
		out = append(out, x)
	}
	return out, rows.Err()
}
