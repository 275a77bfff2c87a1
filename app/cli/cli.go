// Package cli is LabelQA's headless command line. main calls Run with the
// process's arguments and streams, so every command is testable and os.Exit
// lives in one place.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"labelqa/app/core"
)

// Version is set at build time with -ldflags "-X labelqa/app/cli.Version=...".
var Version = "0.1.0"

// Exit statuses of the contract.
const (
	ExitOK    = 0
	ExitFail  = 1 // the work failed: bad input, failed check
	ExitUsage = 2 // bad usage
)

// env is what a command gets: its streams and a context cancelled on Ctrl-C.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer // text and JSON: terminal controls escaped (textWriter)
	// rawStdout is the process's stdout, for data written as it is (CSV).
	rawStdout io.Writer
	stderr    io.Writer
	isTTY     bool // stderr is a terminal: show a progress line
}

type command struct {
	name    string
	summary string
	usage   string
	run     func(e *env, args []string) int
}

var commands []command

func init() {
	commands = []command{
		{"init", "create a project file", "labelqa init PROJECT.lqa [--labels a,b,c] [--allow-labels approve]", runInit},
		{"import", "import batch files into a project", "labelqa import PROJECT.lqa FILE... [--format auto|csv|tsv|ssv|xlsx|json|jsonl|labelstudio|labelstudio-min|labelbox|prodigy|sagemaker|doccano|cvat|argilla] [--sheet NAME] [--map field=Column]... [--duplicates last|first|keep|error] [--skip-existing] [--add-labels]", runImport},
		{"gold", "import golden-set versions", "labelqa gold PROJECT.lqa FILE... [--version NAME] [--format ...] [--map field=Column]... [--skip-existing] [--add-labels]", runGold},
		{"metrics", "counts, agreement and gold figures", "labelqa metrics INPUT... [--json] [--gold FILE] [--labels a,b,c] [--level nominal|ordinal|interval|ratio] [--weights none|linear|quadratic|ordinal|radical|ratio|circular|bipolar] [--ties first|random|fractional] [--seed N] [--ds-iterations N] [--ds-tol X] [--ds-smoothing A] [--duplicates last|first|keep|error] [--vendor V] [--queue Q] [--market M] [--from DATE] [--to DATE]", runMetrics},
		{"scorecard", "reviewer scorecards, or rolled up by vendor, team, queue, market, SOP or week", "labelqa scorecard INPUT... [--by reviewer|vendor|team|queue|market|sop|week] [--json|--csv] [--gold FILE] [--labels a,b,c] [--ties first|random|fractional] [--seed N] [--ds-iterations N] [--ds-tol X] [--ds-smoothing A] [--vendor V] [--queue Q] [--market M] [--from DATE] [--to DATE]", runScorecard},
		{"report", "write the KPI, RCA, audit or vendor workbook", "labelqa report kpi|rca|audit|vendor|all PROJECT.lqa -o OUT.xlsx [--lang en|id|nb] [--vendor V] [--size N] [--seed S] [--margin 0.03] [--confidence 0.95] [--queue Q] [--market M] [--team T] [--sop V] [--from DATE] [--to DATE]", runReport},
		{"targets", "KPI targets the workbooks rate figures against (red, amber, green)", targetsUsage, runTargets},
		{"rca", "root-cause tags of errors: tag an item or judgment, untag it, list the tags", rcaUsage, runRCA},
		{"export", "write a project of one vendor's part, for that vendor", "labelqa export PROJECT.lqa --vendor V -o V.lqa [--json]", runExport},
		{"audit", "read a filled 2nd-line audit sheet back into a project", auditUsage, runAudit},
		{"demo", "write a realistic sample project", "labelqa demo DIR [--items N] [--seed S]", runDemo},
		{"version", "print the version", "labelqa version", runVersion},
		{"help", "show help for a command", "labelqa help [COMMAND]", runHelp},
	}
}

// Run executes the command line args (without the program name) and
// returns the exit status. A panic in a command is reported as an internal
// error (exit 1) instead of a Go stack trace.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	ctx, stop := notifyContext(stderr)
	defer stop()
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "labelqa: internal error: %s; please report it with the command you ran\n", safeText(fmt.Sprint(r)))
			code = ExitFail
		}
	}()
	text := newTextWriter(stdout)
	defer text.Flush()
	e := &env{ctx: ctx, stdin: stdin, stdout: text, rawStdout: stdout, stderr: stderr, isTTY: isTerminal(stderr)}
	if len(args) == 0 {
		usage(stderr)
		return ExitUsage
	}
	name := args[0]
	switch name {
	case "-h", "--help", "-help":
		usage(stdout)
		return ExitOK
	case "-v", "--version", "-version":
		name = "version"
	}
	for _, c := range commands {
		if c.name == name {
			setMemoryLimit(name)
			return c.run(e, args[1:])
		}
	}
	fmt.Fprintf(stderr, "labelqa: %s\n", unknownCommand(name))
	return ExitUsage
}

// unknownCommand explains a first argument that is no command: a file
// given without a command is meant for metrics (or import), a misspelt
// command is the nearest one.
func unknownCommand(name string) string {
	st, err := os.Stat(name)
	exists := err == nil && !st.IsDir()
	if exists || strings.ContainsAny(name, "./\\") {
		q := shellQuote(name)
		switch {
		case !exists:
			return fmt.Sprintf("%s is not a command, and no such file exists; to read a file, name a command first: labelqa metrics %s", quote(name), q)
		case isProject(name):
			return fmt.Sprintf("%s is not a command; to see its figures run: labelqa metrics %s", quote(name), q)
		}
		return fmt.Sprintf("%s is not a command; to see its figures run: labelqa metrics %s, or to add it to a project: labelqa import PROJECT.lqa %s", quote(name), q, q)
	}
	return fmt.Sprintf("unknown command %s; %s", quote(name), suggestCommand(name))
}

// suggestCommand names the command nearest to a misspelt one.
func suggestCommand(name string) string {
	lower := strings.ToLower(name)
	best, bestD := "", 3 // at most two edits away
	for _, c := range commands {
		d := editDistance(lower, c.name)
		if len(lower) >= 3 && strings.HasPrefix(c.name, lower) {
			d = 0 // "score" for scorecard
		}
		if d < bestD {
			best, bestD = c.name, d
		}
	}
	if best != "" {
		return fmt.Sprintf("did you mean 'labelqa %s'? Run 'labelqa help' for the list", best)
	}
	return "run 'labelqa help' for the list"
}

// editDistance is the Levenshtein distance of a and b (runes).
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	prev := make([]int, len(y)+1)
	cur := make([]int, len(y)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(x); i++ {
		cur[0] = i
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(y)]
}

// shellQuote returns s as one shell word, for commands a message suggests.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/+,:=@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(safeText(s), "'", `'\''`) + "'"
}

// stopHint is how long a command may take to stop after the first Ctrl-C
// or SIGTERM before it says that a second one quits at once; stopForce is
// how long before it is ended without one.
var (
	stopHint  = 2 * time.Second
	stopForce = 10 * time.Second
)

// notifyContext is cancelled by the first SIGINT (Ctrl-C) or SIGTERM (what
// kill, timeout, systemd and container runtimes send). The command then
// stops at its next check and says so; an import rolls back. After that
// first signal the default action is restored, so a second one ends the
// process at once. A computation that checks the context only between its
// steps (Dawid-Skene's rounds, pairwise tables) may not stop soon, and a
// script that sends one SIGTERM never sends a second, nor can a second
// Ctrl-C reach a process that inherited SIGINT ignored: so stopForce after
// the first signal the process ends itself with exit 1. That is safe for
// the project: an import's transaction that never committed is rolled back
// by SQLite, as after a crash.
func notifyContext(stderr io.Writer) (context.Context, func()) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
		case <-done:
			return
		}
		stop() // restores the default action: a second signal kills at once
		select {
		case <-time.After(stopHint):
			fmt.Fprintln(stderr, "\nlabelqa: stopping; press Ctrl+C again to quit at once")
		case <-done:
			return
		}
		select {
		case <-time.After(stopForce - stopHint):
			fmt.Fprintln(stderr, "labelqa: cancelled; the command did not stop in time and was ended (a project is unchanged)")
			os.Exit(ExitFail)
		case <-done:
		}
	}()
	var once sync.Once
	return ctx, func() { once.Do(func() { close(done); stop() }) }
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "LabelQA — quality workbench for labeling teams.")
	fmt.Fprintln(w, "\nUsage:\n  labelqa                 open the desktop workbench\n  labelqa PROJECT.lqa     open a project in the workbench\n  labelqa COMMAND [ARGS]  run headless")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'labelqa COMMAND -h' for a command's flags. Exit status: 0 ok, 1 the work failed, 2 bad usage.")
}

func runHelp(e *env, args []string) int {
	fs := newFlags(e, "help")
	args, code, ok := parse(e, fs, args)
	if !ok {
		return code
	}
	if len(args) > 1 {
		fmt.Fprintf(e.stderr, "labelqa help: want at most one command, for example: labelqa help import\n")
		return ExitUsage
	}
	if len(args) == 0 {
		usage(e.stdout)
		return ExitOK
	}
	for _, c := range commands {
		if c.name == args[0] {
			fmt.Fprintf(e.stdout, "%s: %s\n\nUsage: %s\n", c.name, c.summary, c.usage)
			return ExitOK
		}
	}
	fmt.Fprintf(e.stderr, "labelqa help: unknown command %s; %s\n", quote(args[0]), suggestCommand(args[0]))
	return ExitUsage
}

func runVersion(e *env, args []string) int {
	fs := newFlags(e, "version")
	pos, code, ok := parse(e, fs, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(e.stderr, "labelqa version: takes no arguments (got %s)\n", quote(pos[0]))
		return ExitUsage
	}
	fmt.Fprintf(e.stdout, "labelqa %s\n", Version)
	return ExitOK
}

// newFlags makes a flag set whose usage text comes from the command table.
// The flag package's own messages are discarded: parse prints one line.
func newFlags(e *env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// printUsage is "labelqa CMD -h": the command's usage line and its flags.
func printUsage(w io.Writer, fs *flag.FlagSet) {
	for _, c := range commands {
		if c.name == fs.Name() {
			fmt.Fprintf(w, "Usage: %s\n", c.usage)
		}
	}
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprintln(w, "\nFlags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
}

// parse parses flags that may come before, between or after positional
// arguments ("labelqa import p.lqa a.csv --duplicates keep"), and returns
// the positional ones. ok is false on bad usage or -h (code says which);
// bad usage gets one line on stderr that says how to see the flags.
func parse(e *env, fs *flag.FlagSet, args []string) (pos []string, code int, ok bool) {
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				printUsage(e.stderr, fs)
				return nil, ExitOK, false
			}
			msg := err.Error()
			if f, found := strings.CutPrefix(msg, "flag provided but not defined: "); found {
				msg = "unknown flag --" + strings.TrimLeft(f, "-")
			}
			fmt.Fprintf(e.stderr, "labelqa %s: %s; run 'labelqa %s -h' for its flags\n", fs.Name(), safeText(msg), fs.Name())
			return nil, ExitUsage, false
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, 0, true
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), 0, true
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// mapFlag collects repeated --map field=Column pairs.
type mapFlag map[string]string

func (m mapFlag) String() string {
	keys := make([]string, 0, len(m))
	for k, v := range m {
		keys = append(keys, k+"="+v)
	}
	sort.Strings(keys)
	return strings.Join(keys, ",")
}

func (m mapFlag) Set(v string) error {
	field, col, ok := strings.Cut(v, "=")
	if !ok || strings.TrimSpace(field) == "" || strings.TrimSpace(col) == "" {
		return fmt.Errorf("want field=Column, for example --map annotator_id=\"Worker Name\"")
	}
	m[strings.ToLower(strings.TrimSpace(field))] = strings.TrimSpace(col)
	return nil
}

// listFlag splits a comma-separated list.
func splitList(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ingestFlags are the reading flags import, gold and metrics share.
type ingestFlags struct {
	format string
	sheet  string
	maps   mapFlag
}

func (f *ingestFlags) register(fs *flag.FlagSet) {
	f.maps = mapFlag{}
	fs.StringVar(&f.format, "format", "auto", "input format: auto, csv, tsv, ssv, xlsx, json, jsonl, or a tool export (labelstudio, labelstudio-min, labelbox, prodigy, sagemaker, doccano, cvat, argilla)")
	fs.StringVar(&f.sheet, "sheet", "", "XLSX sheet to read (default: the first)")
	fs.Var(f.maps, "map", "use column `field=Column` for a field (repeatable)")
}

// validate refuses an unknown --format or --map field as bad usage, naming
// the valid ones, before any file is read.
func (f *ingestFlags) validate() error {
	if !slices.Contains(core.Formats, strings.ToLower(strings.TrimSpace(f.format))) {
		return fmt.Errorf("--format %s: use one of %s", quote(f.format), strings.Join(core.Formats, ", "))
	}
	if err := core.CheckMap(f.maps); err != nil {
		// Printed as it is by import, gold, metrics and scorecard: with the flag.
		return errors.New(errText(err))
	}
	return nil
}

// labelList reads a comma-separated --labels or --allow-labels value. An
// empty value is no list; a value naming no label (",,,") or a label twice
// is bad usage.
func labelList(flagName, v string) ([]string, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	list := splitList(v)
	if len(list) == 0 {
		return nil, fmt.Errorf("--%s %s names no label: list labels separated by commas, for example --%s approve,misleading_claims", flagName, quote(v), flagName)
	}
	seen := map[string]bool{}
	for _, l := range list {
		if seen[l] {
			return nil, fmt.Errorf("--%s: label %s is listed twice; list each label once", flagName, quote(l))
		}
		seen[l] = true
	}
	return list, nil
}

func (f *ingestFlags) options() core.IngestOptions {
	return core.IngestOptions{Format: f.format, Sheet: f.sheet, Map: f.maps}
}

// report prints an error as the contract says: one line each, positions
// first. It returns the exit status for the error.
func report(e *env, err error) int {
	if l, ok := core.AsInputErrors(err); ok {
		l.Sort()
		for _, line := range l.RenderLines(flagHint) {
			fmt.Fprintln(e.stderr, safeText(line))
		}
		return ExitFail
	}
	if errors.Is(err, context.Canceled) || e.ctx.Err() != nil {
		// Some readers (excelize) report a cancelled read in their own words.
		fmt.Fprintln(e.stderr, "labelqa: cancelled; the project is unchanged")
		return ExitFail
	}
	for _, line := range strings.Split(errText(err), "\n") {
		fmt.Fprintln(e.stderr, safeText(line))
	}
	return ExitFail
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// memoryLimits are the Go heap's soft limits for headless commands, unless
// GOMEMLIMIT says otherwise. Without one the collector lets the heap grow to
// twice what is live: a million-row import then peaks near 480 MB instead of
// under 300 MB. metrics and scorecard hold the whole judgment matrix and its
// measures, and under a tight limit they spend a core on collection, so they
// get more room (peak stays under 500 MB). See docs/PERFORMANCE.md.
var memoryLimits = map[string]int64{
	"import":    200 << 20,
	"gold":      200 << 20,
	"demo":      200 << 20,
	"metrics":   400 << 20,
	"scorecard": 400 << 20,
}

func setMemoryLimit(cmd string) {
	if limit, ok := memoryLimits[cmd]; ok && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(limit)
	}
}
