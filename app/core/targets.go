package core

import (
	"context"
	"strings"

	"labelqa/app/targets"
)

// Target is a KPI target of one scope; TargetSet a project's targets (the
// one RAG rule: app/targets).
type (
	Target    = targets.Target
	TargetSet = targets.Set
)

// Targets returns the project's KPI targets.
func (p *Project) Targets(ctx context.Context) (TargetSet, error) { return p.s.Targets(ctx) }

// SetTarget checks t and stores it, replacing the target of the same metric
// and scope. Queue names are matched ignoring letter case, so they are
// stored lower-cased, as imports store them.
func (p *Project) SetTarget(ctx context.Context, t Target) error {
	if err := t.Check(); err != nil {
		return err
	}
	t.Queue = strings.ToLower(t.Queue)
	return p.s.SetTarget(ctx, t)
}

// DeleteTarget removes the target of metric and scope, reporting whether
// there was one.
func (p *Project) DeleteTarget(ctx context.Context, metric, vendor, queue, market string) (bool, error) {
	return p.s.DeleteTarget(ctx, metric, vendor, queue, market)
}
