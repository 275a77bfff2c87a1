package gold

import (
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestImports keeps non-test files to the standard library, gonum and the
// other analysis packages: no I/O packages, no SQL, no fyne.
func TestImports(t *testing.T) {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	banned := []string{"os", "io", "io/fs", "net", "net/http", "database/sql", "os/exec", "bufio", "path/filepath"}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			first := strings.SplitN(p, "/", 2)[0]
			ok := !strings.Contains(first, ".") || strings.HasPrefix(p, "gonum.org/v1/gonum/") ||
				strings.HasPrefix(p, "labelqa/analysis/")
			for _, b := range banned {
				if p == b {
					ok = false
				}
			}
			if !ok {
				t.Errorf("%s imports %q", name, p)
			}
		}
	}
}
