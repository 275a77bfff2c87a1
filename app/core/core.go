// Package core is the one API the CLI and the workbench call: a Project
// is an open project file, and its methods open and create it, count and
// break down its judgments, list its batches, import batches and golden
// sets (with progress and cancel through a context), analyse a query and
// page its items. The faces import core, never app/store or app/ingest
// (app/layers_test.go holds them to it); core's sentinel errors are the
// ones they test with errors.Is.
//
// core sits above app/project (the import use case), app/dataset and
// app/metrics: those packages' own tests build projects with app/project,
// so the Project type cannot live there without an import cycle.
package core

import (
	"context"
	"errors"
	"sync"
	"time"

	"labelqa/app/dataset"
	"labelqa/app/demo"
	"labelqa/app/ingest"
	"labelqa/app/metrics"
	"labelqa/app/project"
	"labelqa/app/query"
	"labelqa/app/rules"
	"labelqa/app/store"
)

// Project is an open project file: the one value the CLI and the workbench
// hold. Every read, import and analysis of a project goes through its
// methods; the faces never open the store or drive a reader themselves.
//
// A Project is safe for use by several goroutines: the store serialises
// its one connection, and the analysis cache has its own lock.
type Project struct {
	s *store.Store

	// scope is the vendor a vendor-scoped project (an export) is limited
	// to, when scoped: every read applies it (applyScope).
	scope  string
	scoped bool

	mu   sync.Mutex
	data *cachedData      // the last query's judgments, nil once a write changed the project
	full *dataset.Dataset // every judgment, once an unfiltered query read them; nil after a write
}

// cachedData is the Dataset of one query.
type cachedData struct {
	q Query
	d *dataset.Dataset
}

// Types of the project's API that the faces read, so they need not import
// the store or the readers.
type (
	// Query selects the judgments an analysis or an item page reads.
	Query = query.Query
	// Counts is how much the project holds.
	Counts = store.Counts
	// Batch is one imported file.
	Batch = store.Batch
	// GoldVersion is one golden-set version.
	GoldVersion = store.GoldVersion
	// Label is one entry of the label set.
	Label = store.Label
	// Dimension names what a Breakdown groups judgments by.
	Dimension = store.Dimension
	// Breakdown counts judgments, items and annotators of one value.
	Breakdown = store.Breakdown
	// IngestOptions says how input files are read (format, sheet, column map).
	IngestOptions = ingest.Options
	// InputError is one problem of an input file, with its position.
	InputError = ingest.Error
	// InputErrorList is every problem of an import, as go/scanner gathers them.
	InputErrorList = ingest.ErrorList
	// FileOptions says how batch files are read without a project.
	FileOptions = dataset.Options
	// Dataset is the integer-coded judgments of a query.
	Dataset = dataset.Dataset

	// ImportOptions controls an import.
	ImportOptions = project.ImportOptions
	// ImportResult describes one imported file.
	ImportResult = project.ImportResult
	// ImportProgress reports an import's bytes read of the total, and rows.
	ImportProgress = project.ImportProgress
	// GoldOptions controls a golden-set import.
	GoldOptions = project.GoldOptions
	// GoldResult describes one imported golden-set version.
	GoldResult = project.GoldResult
	// Progress reports work done out of a total (0 when unknown).
	Progress = project.Progress
)

// Writing is ImportProgress's total once every byte is read and the
// project is being written.
const Writing = project.Writing

// DemoProjectName is the project file CreateDemo writes inside its directory.
const DemoProjectName = project.DemoProjectName

// Dimensions of Overview.
const (
	ByVendor = store.ByVendor
	ByQueue  = store.ByQueue
	ByMarket = store.ByMarket
	ByLabel  = store.ByLabel
)

// DuplicatePolicy says what an import (or a read of batch files) does with
// a repeated (item, annotator) pair: the one rule of app/rules. It is a
// flag.Value.
type DuplicatePolicy = rules.DuplicatePolicy

// Duplicate policies of ImportOptions.Duplicates and FileOptions.Duplicates.
const (
	DupLast  = rules.DupLast  // the latest submission replaces earlier ones (default)
	DupFirst = rules.DupFirst // the earliest stays, later ones are dropped
	DupKeep  = rules.DupKeep  // every row is a separate judgment
	DupError = rules.DupError // a duplicate is an error and the import is refused

	DefaultDuplicatePolicy = rules.DefaultDuplicatePolicy
)

// MaxInputErrors is how many problems an InputErrorList keeps for display.
const MaxInputErrors = ingest.MaxErrors

// Formats are the input formats IngestOptions.Format accepts.
var Formats = ingest.Formats

// Sentinel errors of the project file and of imports, which the faces tell
// apart with errors.Is. They are the store's own values, so an error from
// any layer below matches them.
var (
	ErrBatchExists       = store.ErrBatchExists
	ErrNotProject        = store.ErrNotProject
	ErrNewerProject      = store.ErrNewerProject
	ErrOlderProject      = store.ErrOlderProject
	ErrProjectExists     = store.ErrProjectExists
	ErrNoProject         = store.ErrNoProject
	ErrNoFolder          = store.ErrNoFolder
	ErrDiskFull          = store.ErrDiskFull
	ErrLocked            = store.ErrLocked
	ErrReadOnly          = store.ErrReadOnly
	ErrCorrupt           = store.ErrCorrupt
	ErrIO                = store.ErrIO
	ErrOutOfMemory       = store.ErrOutOfMemory
	ErrEmptyFile         = store.ErrEmptyFile
	ErrGoldVersionExists = store.ErrGoldVersionExists

	// Bad requests of Init and Create, which the CLI reports as bad usage.
	ErrDuplicateLabel    = project.ErrDuplicateLabel
	ErrUnknownAllowLabel = project.ErrUnknownAllowLabel
	ErrBadName           = project.ErrBadName

	// An input file that cannot be read.
	ErrNoFile      = project.ErrNoFile
	ErrIsFolder    = project.ErrIsFolder
	ErrFileNotRead = project.ErrFileNotRead
)

// Init creates a project file without opening it (see project.Init).
func Init(ctx context.Context, path string, labels, allow []string) error {
	return project.Init(ctx, path, labels, allow)
}

// CheckVersionName refuses a golden-set version name holding a control
// character (ErrBadName), before anything is opened.
func CheckVersionName(name string) error { return project.CheckVersionName(name) }

// CreateDemo writes the sample batches and golden sets into dir and
// imports them into dir/DemoProjectName (see project.CreateDemo).
func CreateDemo(ctx context.Context, dir string, opts demo.Options, progress Progress) (string, demo.Result, error) {
	return project.CreateDemo(ctx, dir, opts, progress)
}

// ValidDupPolicy reports whether p names a duplicate policy.
func ValidDupPolicy(p string) bool { return rules.DuplicatePolicy(p).Valid() }

// LabelKey is the form in which two spellings of a label are one label
// (letter case, Unicode form and surrounding spaces aside).
func LabelKey(name string) string { return store.LabelKey(name) }

// CheckMap refuses a column map naming an unknown field, before any file is read.
func CheckMap(m map[string]string) error { return ingest.CheckMap(m) }

// AsInputErrors finds the list of input problems in err, if it holds one.
func AsInputErrors(err error) (*InputErrorList, bool) { return ingest.AsList(err) }

// IsProjectFile reports whether path starts with SQLite's header (a project
// file, whatever its name).
func IsProjectFile(path string) bool { return store.IsSQLite(path) }

// Create makes a new project file at path, declaring its label set (see
// Init), and opens it.
func Create(ctx context.Context, path string, labels, allow []string) (*Project, error) {
	if err := project.Init(ctx, path, labels, allow); err != nil {
		return nil, err
	}
	return Open(ctx, path)
}

// Open opens an existing project for reading and writing.
func Open(ctx context.Context, path string) (*Project, error) {
	s, err := store.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	return newProject(ctx, s)
}

// OpenReadOnly opens an existing project without writing to it (not even
// its journal), for reports.
func OpenReadOnly(ctx context.Context, path string) (*Project, error) {
	s, err := store.OpenReadOnly(ctx, path)
	if err != nil {
		return nil, err
	}
	return newProject(ctx, s)
}

// Close closes the project file.
func (p *Project) Close() error { return p.s.Close() }

// Path is the project file's path.
func (p *Project) Path() string { return p.s.Path() }

// ReadOnly reports whether the project cannot be written.
func (p *Project) ReadOnly() bool { return p.s.ReadOnly() }

// Counts returns how much the project holds, from its tables' indexes
// (instant on a million judgments).
func (p *Project) Counts(ctx context.Context) (Counts, error) { return p.s.Counts(ctx) }

// Overview is the project's counts and its judgments broken down by
// vendor, queue, market or label.
type Overview struct {
	Counts Counts
	By     map[Dimension][]Breakdown
}

// Overview returns the counts and the breakdowns by dims (none: counts
// only), each largest group first. The breakdowns take one pass over the
// judgments, whatever the number of dims.
func (p *Project) Overview(ctx context.Context, dims ...Dimension) (Overview, error) {
	o := Overview{By: map[Dimension][]Breakdown{}}
	var err error
	if o.Counts, err = p.s.Counts(ctx); err != nil {
		return o, err
	}
	if len(dims) > 0 {
		if o.By, err = p.s.Breakdowns(ctx, dims...); err != nil {
			return o, err
		}
	}
	return o, nil
}

// Batches lists every imported file, oldest first.
func (p *Project) Batches(ctx context.Context) ([]Batch, error) { return p.s.Batches(ctx) }

// GoldVersions lists the golden-set versions, oldest first.
func (p *Project) GoldVersions(ctx context.Context) ([]GoldVersion, error) {
	return p.s.GoldVersions(ctx)
}

// Labels returns the label set in declared order.
func (p *Project) Labels(ctx context.Context) ([]Label, error) { return p.s.Labels(ctx) }

// changed forgets what was read before a write.
func (p *Project) changed() {
	p.mu.Lock()
	p.data, p.full = nil, nil
	p.mu.Unlock()
}

// Import reads one batch file into the project (see project.Import); on
// any error, or when ctx is cancelled, the project is left as it was.
func (p *Project) Import(ctx context.Context, path string, opts ImportOptions, progress ImportProgress) (ImportResult, error) {
	defer p.changed()
	return project.Import(ctx, p.s, path, opts, progress)
}

// ImportGold reads a golden-set file as a new golden-set version (see
// project.ImportGold).
func (p *Project) ImportGold(ctx context.Context, path string, opts GoldOptions, progress Progress) (GoldResult, error) {
	defer p.changed()
	return project.ImportGold(ctx, p.s, path, opts, progress)
}

// Data returns the judgments q selects, with the label set and the current
// golden set. Until the next write through the Project it keeps the last
// query's Dataset, so a view or command that asks again (Data then
// Analyze) reads the project once, and the unfiltered Dataset once one was
// read: a filtered query is then taken from it in memory (filterDataset)
// instead of from SQL. A first filtered query reads only its judgments
// from SQL (a one-shot command pays no more than the filter's share). The
// Dataset is shared: callers must not change it. In a vendor-scoped
// project (ExportVendor) q is narrowed to its vendor, and a q naming
// another vendor is refused with query.ErrOutsideScope.
func (p *Project) Data(ctx context.Context, q Query) (*dataset.Dataset, error) {
	q, err := p.applyScope(q)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.data != nil && sameQuery(p.data.q, q) {
		return p.data.d, nil
	}
	var d *dataset.Dataset
	switch {
	case !q.Filtered() && p.full != nil:
		d = p.full
	case q.Filtered() && p.full != nil:
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		d = filterDataset(p.full, q)
	default:
		var err error
		if d, err = dataset.FromStore(ctx, p.s, q); err != nil {
			return nil, err
		}
		if !q.Filtered() {
			p.full = d
		}
	}
	p.data = &cachedData{q, d}
	return d, nil
}

// sameQuery reports whether a and b select the same judgments by the same
// conditions (times compared as instants, whatever their location).
func sameQuery(a, b Query) bool {
	if !a.From.Equal(b.From) || !a.To.Equal(b.To) {
		return false
	}
	a.From, a.To, b.From, b.To = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return a == b
}

// Analysis is the figures of one query: its judgments and the one
// metrics.Analysis computed from them, which the report, every grouping's
// scorecards (Scorecards(by)) and the weekly series (Weekly) read;
// Dawid-Skene ran once for all of them. It is read-only.
type Analysis struct {
	// Data is the judgments analysed; callers must not change it.
	Data *dataset.Dataset
	*metrics.Analysis
}

// AnalyzeProgress hears each step of an analysis as it finishes: its name
// (metrics.Steps), the steps done and their total. It is never called
// concurrently.
type AnalyzeProgress = func(step string, done, total int)

// errNilData is a caller's bug: AnalyzeData without data.
var errNilData = errors.New("core: AnalyzeData without a Dataset")

// AnalyzeData is the analysis of judgments already read (Data, LoadFiles).
// opts are checked first; ctx cancels it between steps.
func AnalyzeData(ctx context.Context, d *dataset.Dataset, opts metrics.Options, progress AnalyzeProgress) (*Analysis, error) {
	if d == nil {
		return nil, errNilData
	}
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	m, err := metrics.Analyze(ctx, d, opts, progress)
	if err != nil {
		return nil, err
	}
	return &Analysis{Data: d, Analysis: m}, nil
}

// Analyze is the analysis of the judgments q selects (read as Data reads
// them: a filter change after an unfiltered read is taken in memory).
func (p *Project) Analyze(ctx context.Context, q Query, opts metrics.Options, progress AnalyzeProgress) (*Analysis, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	d, err := p.Data(ctx, q)
	if err != nil {
		return nil, err
	}
	return AnalyzeData(ctx, d, opts, progress)
}

// LoadFiles reads batch files (and optionally a golden-set file) without a
// project, applying the duplicate policy and opts.Query as an import
// would.
func LoadFiles(ctx context.Context, paths []string, goldPath string, opts FileOptions) (*dataset.Dataset, error) {
	return dataset.FromFiles(ctx, paths, goldPath, opts)
}

// AnalyzeFiles is Analyze for batch files without a project
// ("labelqa metrics FILE.csv"): q selects the judgments, fileOpts says how
// to read the files (its Query is replaced by q).
func AnalyzeFiles(ctx context.Context, paths []string, goldPath string, fileOpts FileOptions, q Query, opts metrics.Options, progress AnalyzeProgress) (*Analysis, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	fileOpts.Query = q
	d, err := LoadFiles(ctx, paths, goldPath, fileOpts)
	if err != nil {
		return nil, err
	}
	return AnalyzeData(ctx, d, opts, progress)
}

// Item paging (see store.Items): keyset pages of the labeled items, sorted
// by one of their figures and searched by id prefix.
type (
	ItemQuery  = store.ItemQuery
	ItemPage   = store.ItemPage
	ItemRow    = store.ItemRow
	ItemSort   = store.ItemSort
	ItemCursor = store.ItemCursor
)

// Sort columns of ItemQuery.Sort.
const (
	SortItemID       = store.SortItemID
	SortJudgments    = store.SortJudgments
	SortLabels       = store.SortLabels
	SortDisagreement = store.SortDisagreement
	SortGold         = store.SortGold
	SortFirstAt      = store.SortFirstAt
	SortLastAt       = store.SortLastAt
)

// ErrBadCursor: ItemQuery.After comes from a list sorted another way.
var ErrBadCursor = store.ErrBadCursor

// Items returns one page of the project's labeled items, q.Limit rows (100
// by default) after q.After in q.Sort order. The first page after an
// import builds the item summary (about a second per million judgments);
// later pages read only q.Limit rows of an index.
func (p *Project) Items(ctx context.Context, q ItemQuery) (ItemPage, error) {
	if p.scoped {
		f, err := p.applyScope(q.Filter)
		if err != nil {
			return ItemPage{}, err
		}
		q.Filter = f
	}
	return p.s.Items(ctx, q)
}
