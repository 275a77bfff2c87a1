package store

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"modernc.org/sqlite/vtab"
)

// A feed is a virtual table through which a bulk load hands SQLite its rows
// straight from Go slices: the loader points the feed at a chunk and runs one
// prepared INSERT ... SELECT over it. Binding the same values as parameters
// went through database/sql's argument checks and one locked
// sqlite3_bind_* call per value (14 a row), which was a third of an import's
// time; a feed's column callbacks run inside the statement and take no lock.
//
// Each import creates its own temporary feed table (CREATE VIRTUAL TABLE
// temp.name USING labelqa_feed(name)), so it is part of the import's
// transaction and vanishes with a rollback.
const feedModule = "labelqa_feed"

func init() {
	if err := vtab.RegisterModule(nil, feedModule, feedMod{}); err != nil {
		panic(fmt.Sprintf("store: register the %s virtual table: %v", feedModule, err))
	}
}

// rowSource is one chunk of rows a feed reads: Len rows, each with the
// feed's columns. Column returns nil for SQL NULL, else int64, float64 or
// string.
type rowSource interface {
	Len() int
	Column(row, col int) vtab.Value
}

// feed is the Go side of one feed table. src is set by the goroutine that
// then runs the INSERT ... SELECT, so the callbacks see it without locking.
type feed struct {
	name string
	cols int
	src  rowSource
}

var feeds = struct {
	sync.Mutex
	m    map[string]*feed
	next int
}{m: map[string]*feed{}}

// newFeed registers a feed of cols columns (named c0, c1, ...) under a
// name unique to this process. The caller creates its table with
// createSQL and must call dropFeed when done.
func newFeed(kind string, cols int) *feed {
	feeds.Lock()
	defer feeds.Unlock()
	feeds.next++
	f := &feed{name: kind + "_feed_" + strconv.Itoa(feeds.next), cols: cols}
	feeds.m[f.name] = f
	return f
}

func dropFeed(f *feed) {
	feeds.Lock()
	delete(feeds.m, f.name)
	feeds.Unlock()
}

// createSQL creates the feed's temporary table on a connection.
func (f *feed) createSQL() string {
	return "CREATE VIRTUAL TABLE temp." + f.name + " USING " + feedModule + "(" + f.name + ")"
}

// dropSQL removes the feed's temporary table.
func (f *feed) dropSQL() string { return "DROP TABLE IF EXISTS temp." + f.name }

// columns lists the feed's columns with each of extra spliced in before the
// index it names, for a SELECT list (constants such as a batch id go in as
// SQL literals rather than per-row values).
func (f *feed) columns(extra map[int]string) string {
	var b strings.Builder
	for i := 0; i <= f.cols; i++ {
		if lit, ok := extra[i]; ok {
			if b.Len() > 0 {
				b.WriteString(", ")
			}
			b.WriteString(lit)
		}
		if i == f.cols {
			break
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString("c" + strconv.Itoa(i))
	}
	return b.String()
}

type feedMod struct{}

func (feedMod) Create(ctx vtab.Context, args []string) (vtab.Table, error) {
	return feedMod{}.Connect(ctx, args)
}

func (feedMod) Connect(ctx vtab.Context, args []string) (vtab.Table, error) {
	// args: module, database, table, then the module arguments.
	if len(args) != 4 {
		return nil, fmt.Errorf("%s: want one argument, the feed's name", feedModule)
	}
	feeds.Lock()
	f := feeds.m[args[3]]
	feeds.Unlock()
	if f == nil {
		return nil, fmt.Errorf("%s: no feed named %q in this process", feedModule, args[3])
	}
	cols := make([]string, f.cols)
	for i := range cols {
		cols[i] = "c" + strconv.Itoa(i)
	}
	if err := ctx.Declare("CREATE TABLE x(" + strings.Join(cols, ", ") + ")"); err != nil {
		return nil, err
	}
	return feedTable{f}, nil
}

type feedTable struct{ f *feed }

func (t feedTable) BestIndex(info *vtab.IndexInfo) error {
	// A feed is only ever read whole, in order.
	info.EstimatedCost = 1
	info.EstimatedRows = 1024
	return nil
}

func (t feedTable) Open() (vtab.Cursor, error) { return &feedCursor{f: t.f}, nil }
func (t feedTable) Disconnect() error          { return nil }
func (t feedTable) Destroy() error             { return nil }

type feedCursor struct {
	f   *feed
	src rowSource
	n   int
	pos int
}

func (c *feedCursor) Filter(int, string, []vtab.Value) error {
	c.src, c.pos, c.n = c.f.src, 0, 0
	if c.src != nil {
		c.n = c.src.Len()
	}
	return nil
}

func (c *feedCursor) Next() error                        { c.pos++; return nil }
func (c *feedCursor) Eof() bool                          { return c.pos >= c.n }
func (c *feedCursor) Column(col int) (vtab.Value, error) { return c.src.Column(c.pos, col), nil }
func (c *feedCursor) Rowid() (int64, error)              { return int64(c.pos), nil }
func (c *feedCursor) Close() error                       { return nil }

// annotationRow is one annotation waiting for the loader, in the feed's
// column order. Its id is not sent: SQLite gives an INSERT without a rowid
// the next one (largest + 1), which is the id the writer assigned, and
// appends without the seek an explicit rowid costs. The writer checks the
// ids before it commits (BatchWriter.checkIDs).
type annotationRow struct {
	item, annotator, label int64
	extra                  string // other label ids of a multi-label judgment; "" is NULL
	queue                  int64
	round                  int64
	at                     int64 // Unix ms; noTime is NULL
	dur                    float64
	hasDur                 bool
	sop, template          int64
	comment                string // "" is NULL
	srcRow                 int64
	errCat, cause          int64 // error_category_id, root_cause_id; 0 is NULL
}

// noTime marks an annotation without a submission time.
const noTime = -1 << 63

const annotationFeedCols = 14 // batch_id is a literal in the INSERT

type annotationRows []annotationRow

func (r annotationRows) Len() int { return len(r) }

func (r annotationRows) Column(i, col int) vtab.Value {
	a := &r[i]
	switch col {
	case 0:
		return a.item
	case 1:
		return a.annotator
	case 2:
		return a.label
	case 3:
		return textOrNull(a.extra)
	case 4:
		return a.queue
	case 5:
		return a.round
	case 6:
		if a.at == noTime {
			return nil
		}
		return a.at
	case 7:
		if !a.hasDur {
			return nil
		}
		return a.dur
	case 8:
		return a.sop
	case 9:
		return a.template
	case 10:
		return textOrNull(a.comment)
	case 11:
		return a.srcRow
	case 12:
		return idOrNull(a.errCat)
	default:
		return idOrNull(a.cause)
	}
}

// itemRow is one new item waiting for the loader; like an annotation's,
// its id is the next rowid.
type itemRow struct {
	ext, content string
}

const itemFeedCols = 2

type itemRows []itemRow

func (r itemRows) Len() int { return len(r) }

func (r itemRows) Column(i, col int) vtab.Value {
	if col == 0 {
		return r[i].ext
	}
	return r[i].content
}

func idOrNull(id int64) vtab.Value {
	if id == 0 {
		return nil
	}
	return id
}

func textOrNull(s string) vtab.Value {
	if s == "" {
		return nil
	}
	return s
}
