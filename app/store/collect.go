package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync"

	"modernc.org/sqlite"
)

// A collector reads many rows into Go without database/sql's per-row work:
// the query hands every row to an aggregate function, labelqa_collect,
// whose Step calls a Go function with the row's values. Reading a million
// annotations through rows.Scan cost two mutex-guarded C calls per column
// and a conversion per value, 1.9 µs a row; an aggregate's arguments come
// without the locks (see docs/PERFORMANCE.md).
//
// The function runs inside the query, on the calling goroutine, while the
// store's connection is busy: it must not use the store.
const collectFunc = "labelqa_collect"

func init() {
	sqlite.MustRegisterFunction(collectFunc, &sqlite.FunctionImpl{
		NArgs: -1,
		// Values are read at once and text is parsed or copied by fn, so
		// SQLite's own memory can be passed without a copy per string.
		VolatileArgs: true,
		MakeAggregate: func(sqlite.FunctionContext) (sqlite.AggregateFunction, error) {
			return &collectAgg{}, nil
		},
	})
}

// collectFn receives one row's values: nil, int64, float64 or string (valid
// only during the call).
type collectFn func(row []driver.Value) error

type collector struct {
	fn  collectFn
	err error // fn's first error, returned instead of SQLite's copy of its text
}

var collectors = struct {
	sync.Mutex
	m    map[int64]*collector
	next int64
}{m: map[int64]*collector{}}

type collectAgg struct {
	c *collector
	n int64
}

func (a *collectAgg) Step(_ *sqlite.FunctionContext, args []driver.Value) error {
	if a.c == nil {
		id, _ := args[0].(int64)
		collectors.Lock()
		a.c = collectors.m[id]
		collectors.Unlock()
		if a.c == nil {
			return fmt.Errorf("%s: no collector %v", collectFunc, args[0])
		}
	}
	a.n++
	if err := a.c.fn(args[1:]); err != nil {
		a.c.err = err
		return err
	}
	return nil
}

func (a *collectAgg) WindowInverse(*sqlite.FunctionContext, []driver.Value) error {
	return errors.New(collectFunc + " is not a window function")
}

func (a *collectAgg) WindowValue(*sqlite.FunctionContext) (driver.Value, error) { return a.n, nil }
func (a *collectAgg) Final(*sqlite.FunctionContext)                             {}

// collect runs query, whose result must be labelqa_collect(?, columns...)
// over the rows to read (the first argument is filled in here), calling fn
// for each row in the order the query visits them. It returns the number of
// rows.
func (s *Store) collect(ctx context.Context, query string, args []any, fn collectFn) (int64, error) {
	return collect(ctx, s.db, query, args, fn)
}

// rowQuerier is a *sql.DB or a *sql.Tx: inside a transaction the collector
// must run on it, as the store has one connection.
type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func collect(ctx context.Context, q rowQuerier, query string, args []any, fn collectFn) (int64, error) {
	c := &collector{fn: fn}
	collectors.Lock()
	collectors.next++
	id := collectors.next
	collectors.m[id] = c
	collectors.Unlock()
	defer func() {
		collectors.Lock()
		delete(collectors.m, id)
		collectors.Unlock()
	}()
	var n sql.NullInt64 // NULL when no row was read
	err := q.QueryRowContext(ctx, query, append([]any{id}, args...)...).Scan(&n)
	if c.err != nil {
		return 0, c.err
	}
	if err != nil {
		return 0, err
	}
	return int64(n.Int64), nil
}
