package query

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLeaf holds app/query to the standard library: the store, the file
// path, the CLI and the workbench all import it, so it imports none of them.
func TestLeaf(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", "labelqa/app/query").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if p != "labelqa/app/query" {
			t.Errorf("app/query depends on %s: it may import only the standard library", p)
		}
	}
}
