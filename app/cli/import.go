package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"labelqa/app/core"
)

func runInit(e *env, args []string) int {
	fs := newFlags(e, "init")
	labels := fs.String("labels", "", "declare the label set in order, comma-separated (e.g. approve,misleading_claims,adult_content)")
	allow := fs.String("allow-labels", "", "labels that are the allow/approve decision (default: labels named approve, allow, ok, ...)")
	pos, code, ok := parse(e, fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "labelqa init: want one project path, for example: labelqa init ads.lqa")
		return ExitUsage
	}
	labelSet, err := labelList("labels", *labels)
	if err != nil {
		fmt.Fprintf(e.stderr, "labelqa init: %s\n", safeText(err.Error()))
		return ExitUsage
	}
	for i, l := range labelSet {
		// A project's labels are one label whatever their letter case,
		// Unicode form or surrounding spaces (the store's rule).
		if k := slices.IndexFunc(labelSet[:i], func(p string) bool { return core.LabelKey(p) == core.LabelKey(l) }); k >= 0 {
			fmt.Fprintf(e.stderr, "labelqa init: --labels: %s and %s are the same label (letter case and Unicode form do not make another label); list it once\n", quote(labelSet[k]), quote(l))
			return ExitUsage
		}
	}
	allowList, err := labelList("allow-labels", *allow)
	if err != nil {
		fmt.Fprintf(e.stderr, "labelqa init: %s\n", safeText(err.Error()))
		return ExitUsage
	}
	if allowList != nil && labelSet == nil {
		fmt.Fprintln(e.stderr, "labelqa init: --allow-labels names labels of the label set: declare it with --labels too, for example --labels approve,misleading_claims --allow-labels approve")
		return ExitUsage
	}
	for i, a := range allowList {
		// Letter case aside, as the store compares labels; passed on in
		// the spelling --labels gives.
		k := slices.IndexFunc(labelSet, func(l string) bool { return core.LabelKey(l) == core.LabelKey(a) })
		if k < 0 {
			fmt.Fprintf(e.stderr, "labelqa init: --allow-labels: %s is not in --labels (%s)\n", quote(a), safeList(labelSet, ", "))
			return ExitUsage
		}
		allowList[i] = labelSet[k]
	}
	if err := core.Init(e.ctx, pos[0], labelSet, allowList); err != nil {
		if errors.Is(err, core.ErrDuplicateLabel) || errors.Is(err, core.ErrUnknownAllowLabel) || errors.Is(err, core.ErrBadName) {
			// The checks above should have caught it: still bad usage.
			fmt.Fprintf(e.stderr, "labelqa init: %s\n", safeText(err.Error()))
			return ExitUsage
		}
		return report(e, err)
	}
	fmt.Fprintf(e.stdout, "created %s\n", safeText(pos[0]))
	return ExitOK
}

func runImport(e *env, args []string) int {
	fs := newFlags(e, "import")
	var in ingestFlags
	in.register(fs)
	dups := core.DefaultDuplicatePolicy
	fs.Var(&dups, "duplicates", "repeated (item, annotator) rows: last, first, keep or error")
	skip := fs.Bool("skip-existing", false, "skip files imported before (same SHA-256) instead of refusing them")
	add := fs.Bool("add-labels", false, "accept labels outside the project's declared label set")
	pos, code, ok := parse(e, fs, args)
	if !ok {
		return code
	}
	if len(pos) < 2 {
		fmt.Fprintln(e.stderr, "labelqa import: want a project and at least one file, for example: labelqa import ads.lqa batch.csv")
		return ExitUsage
	}
	if err := in.validate(); err != nil {
		fmt.Fprintf(e.stderr, "labelqa import: %s\n", safeText(err.Error()))
		return ExitUsage
	}
	files := pos[1:]
	if code, ok := checkFiles(e, "import", files); !ok {
		return code
	}
	p, err := core.Open(e.ctx, pos[0])
	if err != nil {
		return report(e, err)
	}
	defer p.Close()
	opts := core.ImportOptions{Ingest: in.options(), Duplicates: dups, SkipExisting: *skip, AddLabels: *add}
	skipped := make([]bool, len(files))
	for i, file := range files {
		pl := e.progressLine(file)
		res, err := p.Import(e.ctx, file, opts, pl.update)
		pl.done()
		if err != nil {
			return e.refused(err, files, skipped, i)
		}
		name := safeText(file)
		if skipped[i] = res.Skipped; res.Skipped {
			fmt.Fprintf(e.stdout, "%s: skipped, imported before\n", name)
			continue
		}
		fmt.Fprintf(e.stdout, "%s: %s (%s), %d stored, %s (%s), %s, %s", name,
			plural(res.Rows, "row", "rows"), res.Format, res.Stored, plural(res.Duplicates, "duplicate", "duplicates"), dups,
			plural(res.NewItems, "new item", "new items"), plural(res.NewAnnotators, "new annotator", "new annotators"))
		if len(res.NewLabels) > 0 {
			fmt.Fprintf(e.stdout, ", new labels: %s", safeList(res.NewLabels, ", "))
		}
		fmt.Fprintf(e.stdout, "; %.1f s, %.0f rows/s\n", res.Elapsed.Seconds(), res.RowsPerSecond())
	}
	return ExitOK
}

// checkFiles refuses the whole command before anything is imported when a
// file is missing or is a directory: a typo in the fifth name should not
// leave four files imported and the rest not.
func checkFiles(e *env, cmd string, files []string) (int, bool) {
	seen := map[string]bool{}
	for _, f := range files {
		key := filepath.Clean(f)
		if abs, err := filepath.Abs(f); err == nil {
			key = abs
		}
		if seen[key] {
			fmt.Fprintf(e.stderr, "labelqa %s: %s is given twice; name each file once\n", cmd, safeText(f))
			return ExitUsage, false
		}
		seen[key] = true
	}
	bad := 0
	for _, f := range files {
		st, err := os.Stat(f)
		switch {
		case err != nil && errors.Is(err, os.ErrNotExist):
			fmt.Fprintf(e.stderr, "%s: no such file; check the name\n", safeText(f))
			bad++
		case err != nil:
			fmt.Fprintln(e.stderr, safeText(err.Error()))
			bad++
		case st.IsDir():
			fmt.Fprintf(e.stderr, "%s: is a folder; give the batch files in it, for example %s\n", safeText(f), shellQuote(filepath.Join(f, "*.csv")))
			bad++
		}
	}
	if bad > 0 {
		fmt.Fprintf(e.stderr, "labelqa %s: nothing was imported\n", cmd)
		return ExitFail, false
	}
	return 0, true
}

// refused reports the error that stopped a multi-file import at files[i],
// then which files are in the project and which are not: each file is its
// own transaction, so the ones before files[i] stay imported.
func (e *env) refused(err error, files []string, skipped []bool, i int) int {
	cancelled := e.ctx.Err() != nil || errors.Is(err, context.Canceled)
	switch {
	case cancelled && i == 0:
		fmt.Fprintln(e.stderr, "labelqa: cancelled; the project is unchanged")
	case cancelled:
		fmt.Fprintf(e.stderr, "labelqa: cancelled during %s, which was not imported (its import rolled back)\n", safeText(files[i]))
	default:
		report(e, err)
	}
	if len(files) == 1 {
		return ExitFail
	}
	var imported, before []string
	for k, f := range files[:i] {
		if skipped[k] {
			before = append(before, f)
		} else {
			imported = append(imported, f)
		}
	}
	if len(imported) > 0 {
		fmt.Fprintf(e.stderr, "labelqa: imported before it (kept in the project): %s\n", safeList(imported, ", "))
	}
	if len(before) > 0 {
		fmt.Fprintf(e.stderr, "labelqa: skipped, imported before: %s\n", safeList(before, ", "))
	}
	switch {
	case !cancelled:
		fmt.Fprintf(e.stderr, "labelqa: refused: %s\n", safeText(files[i]))
	case i == 0:
		fmt.Fprintf(e.stderr, "labelqa: not imported (cancelled): %s\n", safeText(files[i]))
	}
	if rest := files[i+1:]; len(rest) > 0 {
		fmt.Fprintf(e.stderr, "labelqa: not imported, not read: %s\n", safeList(rest, ", "))
	}
	switch {
	case cancelled:
	case i > 0:
		fmt.Fprintln(e.stderr, "labelqa: fix the refused file and run the same command again with --skip-existing to import the rest")
	default:
		fmt.Fprintln(e.stderr, "labelqa: fix the refused file and run the same command again")
	}
	return ExitFail
}

func runGold(e *env, args []string) int {
	fs := newFlags(e, "gold")
	var in ingestFlags
	in.register(fs)
	version := fs.String("version", "", "name of this golden-set version (default: the file's gds_version column, else the file name)")
	skip := fs.Bool("skip-existing", false, "skip a file imported before instead of refusing it")
	add := fs.Bool("add-labels", false, "accept gold labels outside the project's declared label set")
	pos, code, ok := parse(e, fs, args)
	if !ok {
		return code
	}
	if len(pos) < 2 {
		fmt.Fprintln(e.stderr, "labelqa gold: want a project and golden-set files, for example: labelqa gold ads.lqa gold.csv")
		return ExitUsage
	}
	if err := in.validate(); err != nil {
		fmt.Fprintf(e.stderr, "labelqa gold: %s\n", safeText(err.Error()))
		return ExitUsage
	}
	if *version != "" && len(pos) > 2 {
		fmt.Fprintln(e.stderr, "labelqa gold: --version names one file's version; import several files without it (each takes its gds_version column or file name)")
		return ExitUsage
	}
	if err := core.CheckVersionName(*version); err != nil {
		fmt.Fprintf(e.stderr, "labelqa gold: --version: %s\n", safeText(err.Error()))
		return ExitUsage
	}
	files := pos[1:]
	if code, ok := checkFiles(e, "gold", files); !ok {
		return code
	}
	p, err := core.Open(e.ctx, pos[0])
	if err != nil {
		return report(e, err)
	}
	defer p.Close()
	skipped := make([]bool, len(files))
	for i, file := range files {
		res, err := p.ImportGold(e.ctx, file, core.GoldOptions{Ingest: in.options(), Version: *version, SkipExisting: *skip, AddLabels: *add}, nil)
		if err != nil {
			return e.refused(err, files, skipped, i)
		}
		if skipped[i] = res.Skipped; res.Skipped {
			fmt.Fprintf(e.stdout, "%s: skipped, imported before\n", safeText(file))
			continue
		}
		fmt.Fprintf(e.stdout, "%s: golden-set version %s, %s (%s not yet labeled)\n", safeText(file), quote(res.Version), count(res.Items, "item", "items"), thousands(res.NewItems))
	}
	return ExitOK
}

// progressLine draws "file: 42% 310,000 rows/s" on a terminal, at most
// every 100 ms, and nothing when stderr is not a terminal.
type progressLine struct {
	e     *env
	file  string
	start time.Time
	mu    sync.Mutex
	last  time.Time
	drawn bool
}

func (e *env) progressLine(file string) *progressLine {
	return &progressLine{e: e, file: file, start: time.Now()}
}

func (p *progressLine) update(done, total, rows int64) {
	if !p.e.isTTY {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if total == core.Writing { // drawn once, whatever the time since the last line
		fmt.Fprintf(p.e.stderr, "\r\033[K%s: %d rows read, writing the project…", safeText(p.file), rows)
		p.drawn = true
		return
	}
	now := time.Now()
	if now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	pct := 0.0
	if total > 0 {
		pct = 100 * float64(done) / float64(total)
	}
	rate := float64(rows) / now.Sub(p.start).Seconds()
	fmt.Fprintf(p.e.stderr, "\r%s: %3.0f%%  %d rows  %.0f rows/s ", safeText(p.file), pct, rows, rate)
	p.drawn = true
}

func (p *progressLine) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.e.stderr, "\r\033[K")
	}
}

// count is n, grouped in thousands, with the noun in the form n takes.
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(n) + " " + many
}

// plural is n with the noun in the form n takes.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
