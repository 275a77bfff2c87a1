package app_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// layerRule is one rule of the design's one-way flow: the packages
// matching pkg may not import what banned reports (with the reason).
// Direct rules read the package's own imports (go list .Imports, test
// files aside); the others every package it depends on (go list -deps).
type layerRule struct {
	pkg    string
	direct bool
	why    string
	banned func(imp string) bool
}

// prefixes bans imports starting with any of the given paths.
func prefixes(paths ...string) func(string) bool {
	return func(imp string) bool {
		return slices.ContainsFunc(paths, func(p string) bool { return imp == p || strings.HasPrefix(imp, p+"/") })
	}
}

// notMath bans every import of analysis/ but the standard library, gonum
// (and its own dependencies) and analysis/ itself.
func notMath(imp string) bool {
	first := strings.Split(imp, "/")[0]
	switch {
	case imp == "labelqa/analysis", strings.HasPrefix(imp, "labelqa/analysis/"):
		return false
	case strings.HasPrefix(imp, "gonum.org/v1/gonum"):
		return false
	case strings.HasPrefix(imp, "golang.org/x/exp"), strings.HasPrefix(imp, "golang.org/x/tools"):
		return false // gonum's own dependencies
	case first == "labelqa":
		return true
	}
	return strings.Contains(first, ".") // not the standard library
}

// layerRules: app/ never imports Fyne; analysis/ is math only; ui/ and the
// CLI call the core (app/core), never the store, the readers or the import
// functions beneath it, and ui/ does no SQL and no statistics itself. ui/
// and app/cli reach the store through app/core, which is the point: the
// rule is on their own imports.
var layerRules = []layerRule{
	{pkg: "labelqa/app/...", why: "app/ must not import Fyne", banned: prefixes("fyne.io")},
	{pkg: "labelqa/analysis/...", why: "analysis/ may import only the standard library and gonum", banned: notMath},
	{pkg: "labelqa/ui", direct: true, why: "views call the core, app/core, which does the SQL, the reading and the statistics",
		banned: prefixes("labelqa/app/store", "labelqa/app/ingest", "labelqa/app/project", "database/sql", "modernc.org/sqlite", "gonum.org/v1/gonum", "labelqa/analysis")},
	{pkg: "labelqa/app/cli", direct: true, why: "commands call the core, app/core, never the store, the readers or the import functions beneath it",
		banned: prefixes("labelqa/app/store", "labelqa/app/ingest", "labelqa/app/project", "database/sql", "modernc.org/sqlite")},
}

// violations lists, for the imports of a package matching r.pkg, those r
// bans, as messages.
func (r layerRule) violations(imports []string) []string {
	var out []string
	for _, imp := range imports {
		if r.banned(imp) {
			out = append(out, r.pkg+" imports "+imp+": "+r.why)
		}
	}
	return out
}

// imports lists what go list says r's packages import.
func (r layerRule) imports(t *testing.T) []string {
	args := []string{"list", "-deps", r.pkg}
	if r.direct {
		args = []string{"list", "-f", `{{join .Imports "\n"}}`, r.pkg}
	}
	out, err := exec.Command("go", args...).Output()
	if err != nil {
		t.Fatalf("go %s: %v", strings.Join(args, " "), err)
	}
	return strings.Fields(string(out))
}

// TestLayers holds the design's one-way flow on the packages as they are.
func TestLayers(t *testing.T) {
	for _, r := range layerRules {
		imports := r.imports(t)
		if len(imports) == 0 {
			t.Fatalf("go list found no imports for %s", r.pkg)
		}
		for _, v := range r.violations(imports) {
			t.Error(v)
		}
	}
}

// TestLayerRulesCatch: each rule reports the imports the issue forbids
// and lets pass what the design allows, on made-up import lists.
func TestLayerRulesCatch(t *testing.T) {
	rule := func(pkg string) layerRule {
		for _, r := range layerRules {
			if r.pkg == pkg {
				return r
			}
		}
		t.Fatalf("no rule for %s", pkg)
		return layerRule{}
	}
	for _, c := range []struct {
		pkg     string
		imports []string
		bad     []string
	}{
		{"labelqa/ui", []string{"context", "fyne.io/fyne/v2", "labelqa/app/core", "labelqa/app/store"}, []string{"labelqa/app/store"}},
		{"labelqa/ui", []string{"labelqa/app/ingest", "labelqa/app/core", "labelqa/app/project"}, []string{"labelqa/app/ingest", "labelqa/app/project"}},
		{"labelqa/ui", []string{"database/sql", "labelqa/analysis/truth", "labelqa/app/storefront"}, []string{"database/sql", "labelqa/analysis/truth"}},
		{"labelqa/ui", []string{"fyne.io/fyne/v2", "labelqa/app/core", "labelqa/assets"}, nil},
		{"labelqa/app/cli", []string{"flag", "labelqa/app/store", "labelqa/app/core"}, []string{"labelqa/app/store"}},
		{"labelqa/app/cli", []string{"labelqa/app/ingest", "labelqa/app/project"}, []string{"labelqa/app/ingest", "labelqa/app/project"}},
		{"labelqa/app/cli", []string{"labelqa/app/core", "labelqa/app/metrics", "labelqa/app/dataset", "labelqa/app/demo", "labelqa/analysis/truth"}, nil},
		{"labelqa/analysis/...", []string{"math", "sort", "gonum.org/v1/gonum/stat", "golang.org/x/exp/rand", "labelqa/analysis/gold"}, nil},
		{"labelqa/analysis/...", []string{"math", "labelqa/app/store"}, []string{"labelqa/app/store"}},
		{"labelqa/analysis/...", []string{"github.com/xuri/excelize/v2", "golang.org/x/text/cases"}, []string{"github.com/xuri/excelize/v2", "golang.org/x/text/cases"}},
		{"labelqa/app/...", []string{"labelqa/app/store", "fyne.io/fyne/v2/widget"}, []string{"fyne.io/fyne/v2/widget"}},
	} {
		var got []string
		for _, v := range rule(c.pkg).violations(c.imports) {
			got = append(got, strings.TrimSuffix(strings.Fields(v)[2], ":"))
		}
		if !slices.Equal(got, c.bad) {
			t.Errorf("%s importing %v: rule reports %v, want %v", c.pkg, c.imports, got, c.bad)
		}
	}
}
