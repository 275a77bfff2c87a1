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
	"sort"
	"strings"

	"labelqa/app/ingest"
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
	stdout io.Writer
	stderr io.Writer
	isTTY  bool // stderr is a terminal: show a progress line
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
		{"demo", "write a realistic sample project", "labelqa demo DIR [--items N] [--seed S]", runDemo},
		{"version", "print the version", "labelqa version", runVersion},
		{"help", "show help for a command", "labelqa help [COMMAND]", runHelp},
	}
}

// Run executes the command line args (without the program name) and
// returns the exit status.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, isTTY: isTerminal(stderr)}
	if len(args) == 0 {
		usage(stderr)
		return ExitUsage
	}
	name := args[0]
	switch name {
	case "-h", "--help", "-help":
		usage(stdout)
		return ExitOK
	case "-v", "--version":
		name = "version"
	}
	for _, c := range commands {
		if c.name == name {
			setMemoryLimit(name)
			return c.run(e, args[1:])
		}
	}
	fmt.Fprintf(stderr, "labelqa: unknown command %q; run 'labelqa help' for the list\n", name)
	return ExitUsage
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
	fmt.Fprintf(e.stderr, "labelqa help: unknown command %q\n", args[0])
	return ExitUsage
}

func runVersion(e *env, args []string) int {
	fmt.Fprintf(e.stdout, "labelqa %s\n", Version)
	return ExitOK
}

// newFlags makes a flag set whose usage text comes from the command table.
func newFlags(e *env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		for _, c := range commands {
			if c.name == name {
				fmt.Fprintf(e.stderr, "Usage: %s\n\nFlags:\n", c.usage)
			}
		}
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags that may come before, between or after positional
// arguments ("labelqa import p.lqa a.csv --duplicates keep"), and returns
// the positional ones. ok is false on bad usage or -h (code says which).
func parse(fs *flag.FlagSet, args []string) (pos []string, code int, ok bool) {
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, ExitOK, false
			}
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

func (f *ingestFlags) options() ingest.Options {
	return ingest.Options{Format: f.format, Sheet: f.sheet, Map: f.maps}
}

// report prints an error as the contract says: one line each, positions
// first. It returns the exit status for the error.
func report(e *env, err error) int {
	if l, ok := ingest.AsList(err); ok {
		l.Sort()
		for _, line := range l.Lines() {
			fmt.Fprintln(e.stderr, line)
		}
		return ExitFail
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(e.stderr, "labelqa: cancelled; the project is unchanged")
		return ExitFail
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintln(e.stderr, line)
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
