package store

import (
	"context"
	"database/sql"
	"math"
	"time"

	"labelqa/app/targets"
)

// Targets returns the project's KPI targets, by metric, vendor, queue and
// market.
func (s *Store) Targets(ctx context.Context) (_ targets.Set, err error) {
	defer s.explain(ctx, &err)
	rows, err := s.db.QueryContext(ctx, "SELECT metric, vendor, queue, market, target, amber FROM targets ORDER BY metric, vendor, queue, market")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := targets.Set{}
	for rows.Next() {
		var t targets.Target
		var amber sql.NullFloat64
		if err := rows.Scan(&t.Metric, &t.Vendor, &t.Queue, &t.Market, &t.Target, &amber); err != nil {
			return nil, err
		}
		t.Amber = math.NaN()
		if amber.Valid {
			t.Amber = amber.Float64
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// SetTarget stores t, replacing the target of the same metric and scope.
// The caller checks t (targets.Target.Check).
func (s *Store) SetTarget(ctx context.Context, t targets.Target) (err error) {
	defer s.explain(ctx, &err)
	if err := s.checkBeforeWrite(ctx); err != nil {
		return err
	}
	var amber any
	if t.HasAmber() {
		amber = t.Amber
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO targets(metric, vendor, queue, market, target, amber, set_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(metric, vendor, queue, market) DO UPDATE SET target = excluded.target, amber = excluded.amber, set_at = excluded.set_at`,
		t.Metric, t.Vendor, t.Queue, t.Market, t.Target, amber, time.Now().UnixMilli())
	return err
}

// DeleteTarget removes the target of metric and scope; it reports whether
// there was one.
func (s *Store) DeleteTarget(ctx context.Context, metric, vendor, queue, market string) (_ bool, err error) {
	defer s.explain(ctx, &err)
	if err := s.checkBeforeWrite(ctx); err != nil {
		return false, err
	}
	r, err := s.db.ExecContext(ctx, "DELETE FROM targets WHERE metric = ? AND vendor = ? AND queue = ? AND market = ?", metric, vendor, queue, market)
	if err != nil {
		return false, err
	}
	n, err := r.RowsAffected()
	return n > 0, err
}
