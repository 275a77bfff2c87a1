package core

import (
	"context"
	"time"

	"labelqa/app/rules"
	"labelqa/app/store"
)

// Tag is one root-cause tag of RCA (see store.Tag): Annotator "" tags the
// item as a whole.
type Tag = store.Tag

// Sentinel errors of AddTag.
var (
	ErrNoItem     = store.ErrNoItem     // the item is not in the project
	ErrNoJudgment = store.ErrNoJudgment // the annotator did not label the item
	ErrNoTag      = store.ErrNoTag      // no tag matches what DeleteTags was given
)

// RootCauses are the causes a tag may name, in the order lists show them.
func RootCauses() []string { return append([]string(nil), rules.RootCauses...) }

// AddTag checks t's cause against RootCauses (ignoring letter case, spaces
// and hyphens; stored in its listed spelling) and stores the tag of item
// t.Item, or of annotator t.Annotator's judgment of it, with its note as
// typed. t.TaggedAt zero means now. It returns the tag as stored.
func (p *Project) AddTag(ctx context.Context, t Tag) (Tag, error) {
	cause, err := rules.ParseRootCause(t.Cause)
	if err != nil {
		return Tag{}, err
	}
	t.Cause = cause
	if t.TaggedAt.IsZero() {
		t.TaggedAt = time.Now()
	}
	return p.s.AddTag(ctx, t)
}

// DeleteTags removes the tags of item t.Item (the whole item's, or
// t.Annotator's judgment's), of cause t.Cause only when it is not "", and
// returns how many; none is ErrNoTag.
func (p *Project) DeleteTags(ctx context.Context, t Tag) (int, error) {
	cause := ""
	if t.Cause != "" {
		c, err := rules.ParseRootCause(t.Cause)
		if err != nil {
			return 0, err
		}
		cause = c
	}
	defer p.changed()
	return p.s.DeleteTags(ctx, t.Item, t.Annotator, cause)
}

// Tags lists the root-cause tags within q (a judgment's tag when q selects
// the judgment, an item's tag when q selects a judgment of the item),
// oldest first.
func (p *Project) Tags(ctx context.Context, q Query) ([]Tag, error) {
	q, err := p.applyScope(q) // a vendor-scoped project lists its vendor's tags only
	if err != nil {
		return nil, err
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	return p.s.Tags(ctx, q)
}
