// Package project is the core both the CLI and the workbench call: create
// and open projects, import batches and golden sets, and read overviews.
// It never touches a widget: long work takes a context and a progress
// callback and returns plain structs.
package project

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"

	"labelqa/app/ingest"
	"labelqa/app/store"
)

// Progress reports work done out of a total; total is 0 when unknown. It
// may be called from any goroutine.
type Progress func(done, total int64)

// ImportProgress reports an import's progress: bytes read of the file's
// size, and records read so far (for a rows/s figure).
type ImportProgress func(bytes, total, rows int64)

// Init creates a project file, optionally declaring its label set.
func Init(ctx context.Context, path string, labels, allow []string) error {
	s, err := store.Create(ctx, path)
	if err != nil {
		return err
	}
	defer s.Close()
	return s.DeclareLabels(ctx, labels, allow)
}

// ImportOptions controls an import.
type ImportOptions struct {
	Ingest       ingest.Options
	Duplicates   string // last (default), first, keep, error
	SkipExisting bool   // skip a file imported before instead of refusing it
	AddLabels    bool   // accept labels outside the declared label set
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

// fileHash returns the SHA-256 and size of a file.
func fileHash(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// Import reads one batch file into the project in one transaction. On any
// error, or when ctx is cancelled, the project is left exactly as before.
func Import(ctx context.Context, s *store.Store, path string, opts ImportOptions, progress ImportProgress) (ImportResult, error) {
	start := time.Now()
	res := ImportResult{File: path}
	sum, size, err := fileHash(path)
	if err != nil {
		return res, err
	}
	if exists, err := s.BatchExists(ctx, sum); err != nil {
		return res, err
	} else if exists {
		if opts.SkipExisting {
			res.Skipped = true
			return res, nil
		}
		return res, fmt.Errorf("%s: %w (use --skip-existing to skip it)", path, store.ErrBatchExists)
	}
	w, err := s.BeginBatch(ctx, store.BatchInfo{
		FileName: path, Size: size, SHA256: sum, Format: opts.Ingest.Format,
		Duplicates: opts.Duplicates, AddLabels: opts.AddLabels,
	})
	if err != nil {
		return res, err
	}
	defer w.Rollback()
	var rows atomic.Int64
	iopts := opts.Ingest
	if progress != nil {
		iopts.Progress = func(done, total int64) { progress(done, total, rows.Load()) }
	}
	scan, err := ingest.Scan(ctx, path, iopts, func(r *ingest.Record) error {
		rows.Add(1)
		return w.Add(ctx, r)
	})
	if err != nil {
		return res, err
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

// ImportGold reads a golden-set file as a new golden-set version.
func ImportGold(ctx context.Context, s *store.Store, path string, opts GoldOptions, progress Progress) (GoldResult, error) {
	res := GoldResult{File: path}
	sum, size, err := fileHash(path)
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
	gr, err := s.ImportGold(ctx, info, func(add ingest.GoldFunc) error {
		_, err := ingest.ScanGold(ctx, path, iopts, add)
		return err
	})
	if err != nil {
		return res, err
	}
	res.Version, res.Items, res.NewItems = gr.Version, gr.Items, gr.NewItems
	return res, nil
}
