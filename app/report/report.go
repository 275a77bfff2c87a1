// Package report writes LabelQA's workbooks (KPI, RCA, audit, vendor) with
// excelize: the only package that imports it for writing. Every figure is
// read from the one analysis of the core (core.Analysis) and never
// recomputed here; a workbook's builder lays out sheets, tables and charts
// through Workbook, and the framework gives each of them the same craft:
// numbers stored as numbers with the language's formats, frozen headers,
// autofilter, fitted widths, RAG and heat-map conditional formats, native
// charts, defined names, document properties, print setup, and the
// Summary (first), Definitions and Sources (last) sheets.
package report

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"labelqa/app/core"
	"labelqa/app/metrics"
)

// SampleOptions say how an audit sample is drawn: a given size, or the
// size a margin of error at a confidence level needs; Seed makes the draw
// the same on every machine.
type SampleOptions struct {
	Size               int
	Seed               uint64
	Margin, Confidence float64
}

// Input is everything a workbook is written from.
type Input struct {
	Project  *core.Project  // the open project (read-only is enough)
	Analysis *core.Analysis // the one analysis of Query
	Query    core.Query
	Targets  core.TargetSet
	Audits   []metrics.AuditOutcome
	Vendor   string // --vendor: the vendor a vendor or audit workbook is about
	Sample   SampleOptions
	Lang     Lang
	Version  string    // LabelQA's version
	Now      time.Time // time of generation
	// Batches are the input files the Sources sheet lists; nil: every batch
	// of the project. A vendor-scoped workbook passes only its vendor's.
	Batches []core.Batch
	// GoldVersions are the golden-set versions the Sources sheet lists; nil:
	// every version of the project. A vendor-scoped workbook passes only
	// those with answers its vendor may see (core.Project.VendorGoldVersions).
	GoldVersions []core.GoldVersion
	// ProjectName is the project as the Sources sheet names it; "": its
	// file's name. A vendor workbook passes the name with other vendors'
	// names redacted.
	ProjectName string
}

// Builder lays out one kind of workbook.
type Builder func(ctx context.Context, w *Workbook, in *Input) error

var (
	buildersMu sync.RWMutex
	builders   = map[string]Builder{}
)

// Register makes kind writable by Write (in init of the kind's file).
func Register(kind string, b Builder) {
	buildersMu.Lock()
	defer buildersMu.Unlock()
	if _, dup := builders[kind]; dup {
		panic("report: kind " + kind + " registered twice")
	}
	builders[kind] = b
}

// Kinds lists the registered kinds, sorted.
func Kinds() []string {
	buildersMu.RLock()
	defer buildersMu.RUnlock()
	out := make([]string, 0, len(builders))
	for k := range builders {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ErrUnknownKind is the error of a kind no builder is registered for.
var ErrUnknownKind = errors.New("unknown workbook kind")

// Write builds the kind's workbook from in and writes it to path: to a
// temporary file in path's folder first, renamed into place once complete,
// so an interrupted or failed run leaves any earlier file as it was and no
// half workbook.
func Write(ctx context.Context, kind string, in *Input, path string) error {
	buildersMu.RLock()
	b, ok := builders[kind]
	buildersMu.RUnlock()
	if !ok {
		return fmt.Errorf("%w %q: use one of %s", ErrUnknownKind, kind, strings.Join(Kinds(), ", "))
	}
	if in == nil || in.Analysis == nil || in.Analysis.Analysis == nil {
		return errors.New("report: no analysis to write a workbook from")
	}
	if !strings.EqualFold(filepath.Ext(path), ".xlsx") {
		return fmt.Errorf("%s: a workbook is written as an .xlsx file; give a file name ending in .xlsx", path)
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("%s is a folder; give the workbook's file name, ending in .xlsx", path)
	}
	if st, err := os.Stat(filepath.Dir(path)); err != nil || !st.IsDir() {
		return fmt.Errorf("%s: the folder %s does not exist; create it first or give another file name", path, filepath.Dir(path))
	}
	if in.Lang == "" {
		in.Lang = EN
	}
	if in.Now.IsZero() {
		in.Now = time.Now()
	}
	w := newWorkbook(kind, in)
	if err := b(ctx, w, in); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	f, err := w.render(ctx)
	if err != nil {
		return err
	}
	defer f.Close()
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))+"-*.xlsx.part")
	if err != nil {
		return fmt.Errorf("cannot write in %s: %w", dir, err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := f.WriteTo(tmp); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	done = true
	return nil
}
