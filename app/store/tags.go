package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"labelqa/app/query"
)

// Sentinel errors of AddTag, which the faces tell apart with errors.Is.
var (
	ErrNoItem     = errors.New("no such item in the project")
	ErrNoJudgment = errors.New("the annotator did not label the item")
	ErrNoTag      = errors.New("no such root-cause tag")
)

// tagErr is a refused tag: its message, and the sentinel it matches.
type tagErr struct {
	msg  string
	kind error
}

func (e tagErr) Error() string        { return e.msg }
func (e tagErr) Is(target error) bool { return target == e.kind }

// Tag is one root-cause tag of RCA: why an error on an item was made.
// Annotator is "" for a tag of the item as a whole (every judgment of it).
type Tag struct {
	ID        int64
	Item      string // the item's id in the files
	Annotator string // the annotator's id, "" for an item tag
	Cause     string
	Note      string
	TaggedBy  string
	TaggedAt  time.Time // zero when unknown
}

// AddTag stores a root-cause tag of item (its id in the files) and, when
// annotator is not "", of that annotator's judgment of it (the latest, if
// the annotator labeled it more than once). The caller checks the cause
// (rules.ParseRootCause). An item the project does not hold is ErrNoItem;
// an annotator who did not label it is ErrNoJudgment, and the message names
// who did.
func (s *Store) AddTag(ctx context.Context, t Tag) (_ Tag, err error) {
	defer s.explain(ctx, &err)
	if err := s.checkBeforeWrite(ctx); err != nil {
		return Tag{}, err
	}
	// items.ext_id has no index (see the schema): one scan, as a tag is
	// one row typed by a person.
	var item int64
	switch err := s.db.QueryRowContext(ctx, "SELECT id FROM items WHERE ext_id = ? ORDER BY id LIMIT 1", t.Item).Scan(&item); {
	case errors.Is(err, sql.ErrNoRows):
		return Tag{}, tagErr{fmt.Sprintf("item %q is not in the project; check the item id (letter case counts)", t.Item), ErrNoItem}
	case err != nil:
		return Tag{}, err
	}
	var annotation any
	if t.Annotator != "" {
		var id int64
		err := s.db.QueryRowContext(ctx, `SELECT n.id FROM annotations n JOIN annotators a ON a.id = n.annotator_id
			WHERE n.item_id = ? AND a.ext_id = ? ORDER BY n.id DESC LIMIT 1`, item, t.Annotator).Scan(&id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			who, werr := s.itemAnnotators(ctx, item)
			if werr != nil {
				return Tag{}, werr
			}
			if len(who) == 0 {
				return Tag{}, tagErr{fmt.Sprintf("annotator %q did not label item %q, which has no judgments; leave the annotator out to tag the whole item", t.Annotator, t.Item), ErrNoJudgment}
			}
			return Tag{}, tagErr{fmt.Sprintf("annotator %q did not label item %q; name one of its annotators (%s), or leave the annotator out to tag the whole item",
				t.Annotator, t.Item, clipList(who)), ErrNoJudgment}
		case err != nil:
			return Tag{}, err
		}
		annotation = id
	}
	if t.TaggedAt.IsZero() {
		t.TaggedAt = time.Now()
	}
	t.TaggedAt = t.TaggedAt.UTC().Truncate(time.Millisecond)
	// The same cause on the same item (or judgment) again is one tag: its
	// note and time are the latest.
	var same int64
	switch err := s.db.QueryRowContext(ctx, `SELECT id FROM root_cause_tags WHERE item_id = ? AND root_cause = ?
		AND annotation_id IS ? ORDER BY id LIMIT 1`, item, t.Cause, annotation).Scan(&same); {
	case err == nil:
		if _, err := s.db.ExecContext(ctx, "UPDATE root_cause_tags SET note = ?, tagged_by = ?, tagged_at = ? WHERE id = ?",
			t.Note, t.TaggedBy, t.TaggedAt.UnixMilli(), same); err != nil {
			return Tag{}, err
		}
		t.ID = same
		return t, nil
	case !errors.Is(err, sql.ErrNoRows):
		return Tag{}, err
	}
	r, err := s.db.ExecContext(ctx, "INSERT INTO root_cause_tags(annotation_id, item_id, root_cause, note, tagged_by, tagged_at) VALUES (?, ?, ?, ?, ?, ?)",
		annotation, item, t.Cause, t.Note, t.TaggedBy, t.TaggedAt.UnixMilli())
	if err != nil {
		return Tag{}, err
	}
	t.ID, err = r.LastInsertId()
	return t, err
}

// DeleteTags removes the root-cause tags of item (its id in the files):
// the whole item's when annotator is "", else those of that annotator's
// judgments of it; of cause only, when cause is not "". It returns how many
// it removed; none is ErrNoTag, an unknown item ErrNoItem.
func (s *Store) DeleteTags(ctx context.Context, item, annotator, cause string) (_ int, err error) {
	defer s.explain(ctx, &err)
	if err := s.checkBeforeWrite(ctx); err != nil {
		return 0, err
	}
	var id int64
	switch err := s.db.QueryRowContext(ctx, "SELECT id FROM items WHERE ext_id = ? ORDER BY id LIMIT 1", item).Scan(&id); {
	case errors.Is(err, sql.ErrNoRows):
		return 0, tagErr{fmt.Sprintf("item %q is not in the project; check the item id (letter case counts)", item), ErrNoItem}
	case err != nil:
		return 0, err
	}
	q := "DELETE FROM root_cause_tags WHERE item_id = ? AND annotation_id IS NULL"
	args := []any{id}
	if annotator != "" {
		q = `DELETE FROM root_cause_tags WHERE item_id = ? AND annotation_id IN (SELECT n.id FROM annotations n
			JOIN annotators a ON a.id = n.annotator_id WHERE n.item_id = ? AND a.ext_id = ?)`
		args = append(args, id, annotator)
	}
	if cause != "" {
		q += " AND root_cause = ?"
		args = append(args, cause)
	}
	r, err := s.db.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	n, err := r.RowsAffected()
	if err != nil {
		return 0, err
	}
	if n == 0 {
		what := fmt.Sprintf("item %q", item)
		if annotator != "" {
			what = fmt.Sprintf("%q's judgment of item %q", annotator, item)
		}
		if cause != "" {
			what += " with cause " + cause
		}
		return 0, tagErr{fmt.Sprintf("no root-cause tag of %s; the tags are listed by labelqa rca list", what), ErrNoTag}
	}
	return int(n), nil
}

// itemAnnotators lists the ids of the annotators who labeled item.
func (s *Store) itemAnnotators(ctx context.Context, item int64) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT a.ext_id FROM annotations n JOIN annotators a ON a.id = n.annotator_id
		WHERE n.item_id = ? ORDER BY a.ext_id`, item)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// Tags returns the root-cause tags within q, oldest first: a judgment's
// tag when q selects that judgment, an item's tag when q selects some
// judgment of the item (an unfiltered q: every tag).
func (s *Store) Tags(ctx context.Context, q query.Query) (_ []Tag, err error) {
	defer s.explain(ctx, &err)
	where, args, joined := where(q)
	var cond string
	if where != "" {
		join := ""
		if joined {
			join = " JOIN annotators a ON a.id = n.annotator_id"
		}
		w := strings.TrimPrefix(where, " WHERE ")
		// The same conditions twice: once for the tag's own judgment, once
		// for any judgment of the tag's item.
		cond = " WHERE (t.annotation_id IS NOT NULL AND EXISTS (SELECT 1 FROM annotations n" + join + " WHERE n.id = t.annotation_id AND " + w + "))" +
			" OR (t.annotation_id IS NULL AND EXISTS (SELECT 1 FROM annotations n" + join + " WHERE n.item_id = t.item_id AND " + w + "))"
		args = append(args, args...)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT t.id, coalesce(i.ext_id, ''), coalesce(an.ext_id, ''), t.root_cause, t.note, t.tagged_by, t.tagged_at
		FROM root_cause_tags t
		LEFT JOIN annotations x ON x.id = t.annotation_id
		LEFT JOIN annotators an ON an.id = x.annotator_id
		LEFT JOIN items i ON i.id = coalesce(t.item_id, x.item_id)`+cond+` ORDER BY t.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Tag{}
	for rows.Next() {
		var t Tag
		var at sql.NullInt64
		if err := rows.Scan(&t.ID, &t.Item, &t.Annotator, &t.Cause, &t.Note, &t.TaggedBy, &at); err != nil {
			return nil, err
		}
		if at.Valid {
			t.TaggedAt = time.UnixMilli(at.Int64).UTC()
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
