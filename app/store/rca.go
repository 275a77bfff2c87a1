package store

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strings"

	"labelqa/app/query"
)

// The reads of root-cause analysis (app/core RCA): what the project holds
// about the errors the analysis counts, beyond the integer-coded judgments.

// currentGoldSQL selects each gold item's answer in the newest golden-set
// version that holds it, as CurrentGold does.
const currentGoldSQL = `SELECT item_id, label_id, rationale, sop_section, version_id FROM gold_labels g
	WHERE version_id = (SELECT max(version_id) FROM gold_labels h WHERE h.item_id = g.item_id)`

// ErrorNote is what the project holds about one judgment whose label is not
// its item's current gold answer: the ids of its item and annotator in the
// files, the reviewer's comment, and the batch file's error_category and
// root_cause ("" when none), and the tag causes of the judgment and of its
// item, with their notes.
type ErrorNote struct {
	ItemID          int64 // the project's id of the item
	Item, Annotator string
	Comment         string
	ErrorCategory   string
	RootCause       string
	Tags            []string // causes tagged on this judgment or on its item, in tag order
	Notes           []string // the notes of those tags that are not empty, in tag order
}

// ErrorNotes returns a note for each judgment q selects whose (first) label
// differs from its item's current gold answer, in annotation id order: the
// order in which the project's Dataset lists them (app/dataset.FromStore).
func (s *Store) ErrorNotes(ctx context.Context, q query.Query) (_ []ErrorNote, err error) {
	defer s.explain(ctx, &err)
	cats, err := s.dictNames(ctx, "error_categories")
	if err != nil {
		return nil, err
	}
	causes, err := s.dictNames(ctx, "root_causes")
	if err != nil {
		return nil, err
	}
	w, args, _ := where(q)
	cond := " WHERE n.label_id <> g.label_id"
	if w != "" {
		cond += " AND " + strings.TrimPrefix(w, " WHERE ")
	}
	// The golden set drives the join (CROSS JOIN keeps SQLite from
	// scanning every annotation in id order to avoid a sort): a gold
	// item's annotations are a range of annotations_item. The notes are
	// sorted by annotation id afterwards.
	rows, err := s.db.QueryContext(ctx, `SELECT n.id, n.item_id, i.ext_id, a.ext_id, coalesce(n.comment, ''), coalesce(n.error_category_id, 0), coalesce(n.root_cause_id, 0)
		FROM (`+currentGoldSQL+`) g
		CROSS JOIN annotations n ON n.item_id = g.item_id
		JOIN annotators a ON a.id = n.annotator_id
		JOIN items i ON i.id = n.item_id`+cond, args...)
	if err != nil {
		return nil, err
	}
	type noted struct {
		id int64
		e  ErrorNote
	}
	var found []noted
	for rows.Next() {
		var id, cat, cause int64
		var e ErrorNote
		if err := rows.Scan(&id, &e.ItemID, &e.Item, &e.Annotator, &e.Comment, &cat, &cause); err != nil {
			rows.Close()
			return nil, err
		}
		e.ErrorCategory, e.RootCause = cats[cat], causes[cause]
		found = append(found, noted{id, e})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(found, func(x, y noted) int { return cmp.Compare(x.id, y.id) })
	out := make([]ErrorNote, len(found))
	ann := make(map[int64]int, len(found)) // annotation id -> index in out
	items := map[int64][]int{}             // item id -> indexes in out
	for k, f := range found {
		out[k] = f.e
		ann[f.id] = k
		items[f.e.ItemID] = append(items[f.e.ItemID], k)
	}
	if len(out) == 0 {
		return out, nil
	}
	// Tags are few (typed by people): read them all and attach.
	trows, err := s.db.QueryContext(ctx, "SELECT coalesce(annotation_id, 0), coalesce(item_id, 0), root_cause, note FROM root_cause_tags ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer trows.Close()
	for trows.Next() {
		var annotation, item int64
		var cause, note string
		if err := trows.Scan(&annotation, &item, &cause, &note); err != nil {
			return nil, err
		}
		attach := func(k int) {
			out[k].Tags = append(out[k].Tags, cause)
			if note != "" {
				out[k].Notes = append(out[k].Notes, note)
			}
		}
		if annotation != 0 {
			if k, ok := ann[annotation]; ok {
				attach(k)
			}
			continue
		}
		for _, k := range items[item] {
			attach(k)
		}
	}
	return out, trows.Err()
}

// GoldNote is an item's current gold answer's rationale and SOP section.
type GoldNote struct {
	Rationale  string
	SOPSection string
	Version    string // the golden-set version it comes from
}

// GoldNotes returns the current gold answer's notes of each gold item, by
// the item's id in the files.
func (s *Store) GoldNotes(ctx context.Context) (_ map[string]GoldNote, err error) {
	defer s.explain(ctx, &err)
	rows, err := s.db.QueryContext(ctx, `SELECT i.ext_id, g.rationale, g.sop_section, coalesce(v.name, '')
		FROM (`+currentGoldSQL+`) g JOIN items i ON i.id = g.item_id LEFT JOIN gold_versions v ON v.id = g.version_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]GoldNote{}
	for rows.Next() {
		var id string
		var n GoldNote
		if err := rows.Scan(&id, &n.Rationale, &n.SOPSection, &n.Version); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// ItemContents returns the content of the items of the given project ids
// (ErrorNote.ItemID); an id the project does not hold is left out.
func (s *Store) ItemContents(ctx context.Context, ids []int64) (_ map[int64]string, err error) {
	defer s.explain(ctx, &err)
	out := map[int64]string{}
	const chunk = 500 // well under SQLite's variable limit
	for len(ids) > 0 {
		part := ids[:min(chunk, len(ids))]
		ids = ids[len(part):]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		rows, err := s.db.QueryContext(ctx, "SELECT id, content FROM items WHERE id IN (?"+strings.Repeat(", ?", len(part)-1)+")", args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var content sql.NullString
			if err := rows.Scan(&id, &content); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = content.String
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
