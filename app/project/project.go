// Package project is the core both the CLI and the workbench call: create
// and open projects, import batches and golden sets, and read overviews.
// It never touches a widget: long work takes a context and a progress
// callback and returns plain structs.
package project

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"sync/atomic"
	"time"

	"labelqa/app/ingest"
	"labelqa/app/rules"
	"labelqa/app/store"
)

// Progress reports work done out of a total; total is 0 when unknown. It
// may be called from any goroutine.
type Progress func(done, total int64)

// ImportProgress reports an import's progress: bytes read of the file's
// size, and records read so far (for a rows/s figure). Once the file is read,
// total is Writing while the import finishes writing the project (its
// index, the duplicates against earlier batches, the commit), which takes
// about a second per million rows.
type ImportProgress func(bytes, total, rows int64)

// Writing is ImportProgress's total once every byte is read and the
// project is being written.
const Writing = -1

// Sentinels of bad requests, which the CLI reports as bad usage (exit 2).
var (
	// ErrDuplicateLabel: Init was given a label twice (in any spelling; see
	// store.LabelKey).
	ErrDuplicateLabel = store.ErrDuplicateLabel
	// ErrUnknownAllowLabel: an allow label is not among Init's labels.
	ErrUnknownAllowLabel = store.ErrUnknownAllowLabel
	// ErrBadName: a label, an allow label or a golden-set version name
	// holds a control character (the rule an import applies to labels).
	ErrBadName = store.ErrBadName
)

// Sentinels of an input file that cannot be read; the errors also match
// fs.ErrNotExist and fs.ErrPermission where those apply.
var (
	ErrNoFile      = errors.New("no such file")
	ErrIsFolder    = errors.New("a folder, not a file")
	ErrFileNotRead = errors.New("the file cannot be read")
)

// Init creates a project file, optionally declaring its label set (empty
// names are ignored; no labels: the first import's labels become the set).
// It refuses a label given twice (ErrDuplicateLabel) and allow labels
// outside the set (ErrUnknownAllowLabel) before it creates anything, and
// leaves no file behind when it fails.
func Init(ctx context.Context, path string, labels, allow []string) (err error) {
	if err := store.CheckLabels(labels, allow); err != nil {
		return err
	}
	s, err := store.Create(ctx, path)
	if err != nil {
		return err
	}
	if err = s.DeclareLabels(ctx, labels, allow); err != nil {
		s.Close()
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			os.Remove(p)
		}
		return err
	}
	return s.Close()
}

// inputError is an input file that cannot be read, in words for anyone.
type inputError struct {
	path, msg string
	kind, err error
}

func (e *inputError) Error() string { return e.path + e.msg }
func (e *inputError) Unwrap() []error {
	return []error{e.kind, e.err}
}

// checkInput opens nothing but says why path cannot be imported: missing,
// a folder, unreadable.
func checkInput(path string) (os.FileInfo, error) {
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &inputError{path, ": no such file; check the path", ErrNoFile, err}
		}
		return nil, &inputError{path, ": the file cannot be read (" + store.PathErrText(err) + "); check the path and the file's permissions", ErrFileNotRead, err}
	}
	if st.IsDir() {
		return nil, &inputError{path, " is a folder; give the files inside it", ErrIsFolder, nil}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &inputError{path, ": the file cannot be read (" + store.PathErrText(err) + "); check the file's permissions", ErrFileNotRead, err}
	}
	f.Close()
	return st, nil
}

// cancelled is the error of an import stopped by its context: it wraps
// ctx.Err() (context.Canceled), and the project is as it was.
type cancelled struct {
	file string
	err  error
}

func (e *cancelled) Error() string { return e.file + ": import cancelled; the project is unchanged" }
func (e *cancelled) Unwrap() error { return e.err }

// importErr is the error an import returns: once ctx is done, whatever
// failed, the import was cancelled.
func importErr(ctx context.Context, path string, err error) error {
	if err != nil && ctx.Err() != nil {
		return &cancelled{path, ctx.Err()}
	}
	return err
}

// DuplicatePolicy is what an import does with an (item, annotator) pair
// seen more than once: rules.DupLast (the default), DupFirst, DupKeep or
// DupError.
type DuplicatePolicy = rules.DuplicatePolicy

// ImportOptions controls an import.
type ImportOptions struct {
	Ingest       ingest.Options
	Duplicates   DuplicatePolicy // rules.DupLast when empty
	SkipExisting bool            // skip a file imported before instead of refusing it
	AddLabels    bool            // accept labels outside the declared label set
}

// ImportResult describes one imported file.
type ImportResult struct {
	File          string
	Skipped       bool // already imported and --skip-existing was given
	Format        string
	Rows          int
	Stored        int
	Duplicates    int
	NewItems      int
	NewAnnotators int
	NewLabels     []string
	Elapsed       time.Duration
}

// RowsPerSecond is the import rate.
func (r ImportResult) RowsPerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Rows) / r.Elapsed.Seconds()
}

// fileHash returns the SHA-256 and size of a file; it stops when ctx is done.
func fileHash(ctx context.Context, path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, ctxReader{ctx, f})
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// Import reads one batch file into the project in one transaction. On any
// error, or when ctx is cancelled, the project is left exactly as before.
//
// The file's SHA-256 is computed on another goroutine. Into a project that
// already holds batches, a file imported before is refused (or skipped)
// before anything else; loading a big project's items takes longer than the
// hash anyway. Into an empty project the hash runs while the import reads
// the file: hashing first held up a million-row import by 0.15 s.
func Import(ctx context.Context, s *store.Store, path string, opts ImportOptions, progress ImportProgress) (_ ImportResult, err error) {
	defer func() { err = importErr(ctx, path, err) }()
	start := time.Now()
	res := ImportResult{File: path}
	st, err := checkInput(path)
	if err != nil {
		return res, err
	}
	hashed := make(chan fileSum, 1)
	hctx, stopHash := context.WithCancel(ctx) // an early return stops the hash
	defer stopHash()
	go func() {
		sum, _, err := fileHash(hctx, path)
		hashed <- fileSum{sum, err}
	}()
	info := store.BatchInfo{
		FileName: path, Size: st.Size(), Format: opts.Ingest.Format,
		Duplicates: opts.Duplicates, AddLabels: opts.AddLabels,
	}
	haveSum := false
	fileSHA := "" // the file's SHA-256, once known
	if batches, err := s.Batches(ctx); err != nil {
		return res, err
	} else if len(batches) > 0 {
		h := <-hashed
		haveSum = true
		if h.err != nil {
			return res, h.err
		}
		if exists, err := s.BatchExists(ctx, h.sum); err != nil {
			return res, err
		} else if exists && opts.SkipExisting {
			res.Skipped = true
			return res, nil
		}
		info.SHA256, fileSHA = h.sum, h.sum // BeginBatch refuses it if it exists
	}
	w, err := s.BeginBatch(ctx, info)
	if err != nil {
		return res, err
	}
	defer w.Rollback()
	setKey := func(key string) error {
		err := w.SetSHA256(ctx, key)
		if errors.Is(err, store.ErrBatchExists) && opts.SkipExisting {
			return errSkip
		}
		return err
	}
	setSum := func(h fileSum) error {
		haveSum = true
		if h.err != nil {
			return h.err
		}
		fileSHA = h.sum
		return setKey(h.sum)
	}
	var rows atomic.Int64
	iopts := opts.Ingest
	if progress != nil {
		iopts.Progress = func(done, total int64) { progress(done, total, rows.Load()) }
	}
	var j store.Judgment // one row value for the whole file: no allocation per row
	scan, err := ingest.Scan(ctx, path, iopts, func(r *ingest.Record) error {
		if n := rows.Add(1); !haveSum && n%1024 == 0 {
			select {
			case h := <-hashed:
				if err := setSum(h); err != nil {
					return err
				}
			default:
			}
		}
		judgment(&j, r)
		return w.Add(ctx, &j)
	})
	if err == nil && !haveSum {
		err = setSum(<-hashed)
	}
	if err == nil && scan.FileLabeler != "" {
		// The file names its labeler only by its name (a doccano member's
		// file): two members who agree on every item write the same bytes,
		// so the batch is the content together with the labeler.
		err = setKey(fileSHA + ":" + scan.FileLabeler)
	}
	if key := sheetKey(fileSHA, scan); err == nil && key != fileSHA {
		err = setKey(key)
	}
	if errors.Is(err, errSkip) {
		res.Skipped = true
		return res, nil
	}
	if err != nil {
		return res, err
	}
	if progress != nil {
		progress(scan.Bytes, Writing, rows.Load())
	}
	br, err := w.Commit(ctx, scan.Format, scan.Columns)
	if err != nil {
		return res, err
	}
	res.Format = scan.Format
	res.Rows, res.Stored, res.Duplicates = br.Rows, br.Stored, br.Duplicates
	res.NewItems, res.NewAnnotators, res.NewLabels = br.NewItems, br.NewAnnotators, br.NewLabels
	res.Elapsed = time.Since(start)
	return res, nil
}

// judgment fills j with the record r, as the store keeps it. Strings and
// the labels are r's (the reader's buffers): the writer copies what it keeps.
func judgment(j *store.Judgment, r *ingest.Record) {
	at := store.NoTime
	if r.HasTime() {
		at = r.SubmittedAt.UnixMilli()
	}
	*j = store.Judgment{
		Row: r.Row, ItemID: r.ItemID, AnnotatorID: r.AnnotatorID, Labels: r.Labels,
		Vendor: r.Vendor, Team: r.Team, Market: r.Market, Queue: r.Queue, Round: r.Round,
		At: at, DurationS: r.DurationS, SOPVersion: r.SOPVersion, Template: r.Template,
		Content: r.Content, Comment: r.Comment, ErrorCategory: r.ErrorCat, RootCause: r.RootCause,
	}
}

// goldRow fills g with the golden-set record r, as the store keeps it.
func goldRow(g *store.GoldRow, r *ingest.GoldRecord) {
	*g = store.GoldRow{Row: r.Row, ItemID: r.ItemID, Labels: r.Labels, Rationale: r.Rationale,
		SOPSection: r.SOPSection, GDSVersion: r.GDSVersion}
}

// ctxReader is a reader that fails once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

type fileSum struct {
	sum string
	err error
}

// errSkip stops the scan of a file imported before when --skip-existing is given.
var errSkip = errors.New("skip: imported before")

// GoldOptions controls a golden-set import.
type GoldOptions struct {
	Ingest       ingest.Options
	Version      string
	SkipExisting bool
	AddLabels    bool
}

// GoldResult describes one imported golden-set version.
type GoldResult struct {
	File     string
	Skipped  bool
	Version  string
	Items    int
	NewItems int
}

// sheetKey is the batch key of a file whose content hashes to sum: each
// sheet of a workbook is a batch of its own ("SHA:sheet:NAME", the name as
// the workbook spells it), any other file is its content.
func sheetKey(sum string, scan ingest.Summary) string {
	if scan.Format == "xlsx" && scan.Sheet != "" {
		return sum + ":sheet:" + scan.Sheet
	}
	return sum
}

// CheckVersionName refuses a golden-set version name holding a control
// character (ErrBadName), as ImportGold does, before anything is opened.
func CheckVersionName(name string) error {
	return store.CheckName("golden-set version name", name)
}

// ImportGold reads a golden-set file as a new golden-set version.
func ImportGold(ctx context.Context, s *store.Store, path string, opts GoldOptions, progress Progress) (_ GoldResult, err error) {
	defer func() { err = importErr(ctx, path, err) }()
	res := GoldResult{File: path}
	if _, err := checkInput(path); err != nil {
		return res, err
	}
	sum, size, err := fileHash(ctx, path)
	if err != nil {
		return res, err
	}
	if exists, err := s.BatchExists(ctx, sum); err != nil {
		return res, err
	} else if exists && opts.SkipExisting {
		res.Skipped = true
		return res, nil
	}
	info := store.GoldInfo{FileName: path, Size: size, SHA256: sum, Format: opts.Ingest.Format, Version: opts.Version, AddLabels: opts.AddLabels}
	iopts := opts.Ingest
	iopts.Progress = progress
	gr, err := s.ImportGold(ctx, info, func(add store.GoldFunc) (string, error) {
		var g store.GoldRow // one row value for the whole file
		scan, err := ingest.ScanGold(ctx, path, iopts, func(r *ingest.GoldRecord) error {
			goldRow(&g, r)
			return add(&g)
		})
		return sheetKey(sum, scan), err
	})
	if errors.Is(err, store.ErrBatchExists) && opts.SkipExisting {
		res.Skipped = true
		return res, nil
	}
	if err != nil {
		return res, err
	}
	res.Version, res.Items, res.NewItems = gr.Version, gr.Items, gr.NewItems
	return res, nil
}
