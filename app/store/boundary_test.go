package store

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryMethodExplains: every exported method of *Store and
// *BatchWriter that returns an error starts with defer ….explain(ctx, &err),
// so no SQLite error leaves the store unexplained (see errors.go).
func TestEveryMethodExplains(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || !fn.Name.IsExported() || fn.Type.Results == nil {
				continue
			}
			star, ok := fn.Recv.List[0].Type.(*ast.StarExpr)
			if !ok {
				continue
			}
			recv := star.X.(*ast.Ident).Name
			if recv != "Store" && recv != "BatchWriter" {
				continue
			}
			last := fn.Type.Results.List[len(fn.Type.Results.List)-1]
			if id, ok := last.Type.(*ast.Ident); !ok || id.Name != "error" {
				continue
			}
			if recv == "Store" && fn.Name.Name == "Close" {
				continue // explains its error at its return
			}
			checked++
			ok = false
			if len(fn.Body.List) > 0 {
				if ds, isDefer := fn.Body.List[0].(*ast.DeferStmt); isDefer {
					if sel, isSel := ds.Call.Fun.(*ast.SelectorExpr); isSel && sel.Sel.Name == "explain" {
						ok = true
					}
				}
			}
			if !ok {
				t.Errorf("%s: (*%s).%s does not begin with defer ….explain(ctx, &err)", fset.Position(fn.Pos()), recv, fn.Name.Name)
			}
		}
	}
	if checked < 15 {
		t.Fatalf("checked only %d methods", checked)
	}
}
