package app_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayers holds the design's one-way flow: app/ never imports Fyne,
// analysis/ imports only the standard library and gonum, and ui/ itself
// imports neither SQL nor statistics (it calls app/).
func TestLayers(t *testing.T) {
	deps := func(pkg string) []string {
		out, err := exec.Command("go", "list", "-deps", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		return strings.Fields(string(out))
	}
	for _, d := range deps("labelqa/app/...") {
		if strings.HasPrefix(d, "fyne.io/") {
			t.Errorf("app/ depends on %s: app/ must not import Fyne", d)
		}
	}
	for _, d := range deps("labelqa/analysis/...") {
		first := strings.Split(d, "/")[0]
		switch {
		case strings.HasPrefix(d, "labelqa/analysis"), strings.HasPrefix(d, "gonum.org/v1/gonum"):
		case first == "labelqa":
			t.Errorf("analysis/ depends on %s: analysis/ is math only", d)
		case !strings.Contains(first, "."): // standard library
		case strings.HasPrefix(d, "golang.org/x/exp"), strings.HasPrefix(d, "golang.org/x/tools"):
			// gonum's own dependencies
		default:
			t.Errorf("analysis/ depends on %s: analysis/ may import only the standard library and gonum", d)
		}
	}
	out, err := exec.Command("go", "list", "-f", "{{join .Imports \"\\n\"}}", "labelqa/ui").Output()
	if err != nil {
		t.Fatalf("go list labelqa/ui: %v", err)
	}
	for _, imp := range strings.Fields(string(out)) {
		for _, banned := range []string{"database/sql", "modernc.org/sqlite", "gonum.org/v1/gonum", "labelqa/analysis"} {
			if strings.HasPrefix(imp, banned) {
				t.Errorf("ui imports %s: views call app/, which does the SQL and the statistics", imp)
			}
		}
	}
}
