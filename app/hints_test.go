package app_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The core's messages are read by users of the CLI and of the workbench
// alike, so they say what to do in plain words and name no command-line
// flag: each face adds its own name for the action (app/remedy). These are
// the packages whose messages reach both faces.
var corePackages = []string{"ingest", "store", "project", "dataset", "remedy"}

// cliWords is what names the command line inside a message: a flag
// (--map, --add-labels; --%s builds one) or a command (labelqa init).
var cliWords = regexp.MustCompile(`--[a-z%]|\blabelqa (init|import|gold|metrics|scorecard|demo|version|help)\b`)

// flagLiterals returns "file:line: literal" for each string literal in the
// Go files of dir (not its _test.go files; comments are no literals) that
// names the command line.
func flagLiterals(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var found []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatalf("%s: %v", fset.Position(lit.Pos()), err)
			}
			if cliWords.MatchString(s) {
				p := fset.Position(lit.Pos())
				found = append(found, filepath.Base(p.Filename)+":"+strconv.Itoa(p.Line)+": "+lit.Value)
			}
			return true
		})
	}
	return found
}

// TestCoreNamesNoFlag fails when a message of the core names a CLI flag or
// command: the workbench would show it to users who have no command line.
func TestCoreNamesNoFlag(t *testing.T) {
	n := 0
	for _, pkg := range corePackages {
		files, _ := filepath.Glob(filepath.Join(pkg, "*.go"))
		n += len(files)
		for _, f := range flagLiterals(t, pkg) {
			t.Errorf("app/%s/%s names a command-line flag or command; say what to do in plain words and attach the action with remedy.With (the CLI adds the flag)", pkg, f)
		}
	}
	if n < 20 {
		t.Fatalf("found only %d Go files in %v; is the test running in app/?", n, corePackages)
	}
}

// TestFlagLiteralsFindsPlanted proves the scan finds a planted flag in a
// literal (raw or interpreted, in any expression) and a command, and passes
// over comments, _test.go files and words like "--" alone.
func TestFlagLiteralsFindsPlanted(t *testing.T) {
	got := flagLiterals(t, filepath.Join("testdata", "hints"))
	want := []string{
		`planted.go:9: "no column for label; name it with --map label=COLUMN"`,
		"planted.go:13: `the file was imported before; use --skip-existing`",
		`planted.go:18: "--%s names no label"`,
		`planted.go:22: "no such project; create it first (labelqa init %s)"`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("found:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, err := os.Stat(filepath.Join("testdata", "hints", "planted_test.go")); err != nil {
		t.Fatalf("the fixture's _test.go file is missing: %v", err)
	}
}
