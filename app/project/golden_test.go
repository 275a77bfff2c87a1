package project

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/errors.golden")

// TestErrorMessages pins the messages of init, import and gold that the
// user sees (testdata/errors.golden).
func TestErrorMessages(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var b strings.Builder
	line := func(name string, err error) {
		if err == nil {
			t.Errorf("%s: no error", name)
			return
		}
		fmt.Fprintf(&b, "== %s\n%s\n", name, strings.ReplaceAll(err.Error(), dir, "$DIR"))
	}
	p := filepath.Join(dir, "p.lqa")
	line("init: label twice", Init(ctx, p, []string{"a", "b", "a"}, nil))
	line("init: label in two spellings", Init(ctx, p, []string{"approve", " Approve"}, nil))
	line("init: allow label not declared", Init(ctx, p, []string{"a"}, []string{"b"}))
	line("init: missing folder", Init(ctx, filepath.Join(dir, "no", "such", "dir", "p.lqa"), nil, nil))
	s := newStore(t, dir)
	line("init: existing project", Init(ctx, p, nil, nil))
	os.Mkdir(filepath.Join(dir, "exports"), 0o755)
	for _, c := range []struct{ name, path string }{
		{"missing file", filepath.Join(dir, "nope.csv")},
		{"folder", filepath.Join(dir, "exports")},
	} {
		_, err := Import(ctx, s, c.path, ImportOptions{}, nil)
		line("import: "+c.name, err)
		_, err = ImportGold(ctx, s, c.path, GoldOptions{}, nil)
		line("gold: "+c.name, err)
	}
	csv := filepath.Join(dir, "b.csv")
	os.WriteFile(csv, []byte("item_id,annotator_id,label\nx,a,approve\n"), 0o644)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err := Import(cctx, s, csv, ImportOptions{}, nil)
	line("import: cancelled", err)
	_, err = ImportGold(cctx, s, csv, GoldOptions{}, nil)
	line("gold: cancelled", err)

	golden := filepath.Join("testdata", "errors.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != string(want) {
		t.Fatalf("errors.golden differs; got:\n%s", got)
	}
}
