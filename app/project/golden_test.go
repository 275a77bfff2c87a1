package project

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"labelqa/app/ingest"
	"labelqa/app/remedy"
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
		// The core's words, and the action a face would name (app/remedy).
		fmt.Fprintf(&b, "== %s\n%s\n", name, strings.ReplaceAll(hinted(err), dir, "$DIR"))
	}
	p := filepath.Join(dir, "p.lqa")
	line("init: label twice", Init(ctx, p, []string{"a", "b", "a"}, nil))
	line("init: label in two spellings", Init(ctx, p, []string{"approve", " Approve"}, nil))
	line("init: allow label not declared", Init(ctx, p, []string{"a"}, []string{"b"}))
	line("init: label with a tab", Init(ctx, p, []string{"a\tb", "c"}, nil))
	line("init: label with a line break", Init(ctx, p, []string{"c\nd"}, nil))
	line("init: label with ESC", Init(ctx, p, []string{"a\x1b[31mb", "c"}, nil))
	line("init: label with a C1 control", Init(ctx, p, []string{"a\u009bb"}, nil))
	line("init: allow label with DEL", Init(ctx, p, []string{"a"}, []string{"a\x7f"}))
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

	gcsv := filepath.Join(dir, "g.csv")
	os.WriteFile(gcsv, []byte("item_id,label\nx,approve\n"), 0o644)
	_, err = ImportGold(ctx, s, gcsv, GoldOptions{Version: "v\x1b]0;X\a"}, nil)
	line("gold: version name with ESC and BEL", err)
	escName := filepath.Join(dir, "g\x1b[2J.csv")
	os.WriteFile(escName, []byte("item_id,label\nx,approve\n"), 0o644)
	if _, err = ImportGold(ctx, s, escName, GoldOptions{}, nil); err != nil {
		err = errors.New(strings.ReplaceAll(err.Error(), "\x1b", `\x1b`)) // no raw ESC in the golden file
	}
	line("gold: version name from a file name with ESC", err)

	for _, c := range []struct{ name, csv string }{
		{"two gds_version values", "item_id,label,gds_version\nx,approve,v1\ny,reject,v2\n"},
		{"gds_version empty on a later row", "item_id,label,gds_version\nx,approve,v1\ny,reject,\n"},
		{"gds_version empty on the first row", "item_id,label,gds_version\nx,approve,\ny,reject,v2\n"},
	} {
		f := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".csv")
		os.WriteFile(f, []byte(c.csv), 0o644)
		_, err = ImportGold(ctx, s, f, GoldOptions{Ingest: ingest.Options{}}, nil)
		line("gold: "+c.name, err)
	}

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

// hinted is err's text with the actions it carries (app/remedy) tagged
// where a face would name its flag or control.
func hinted(err error) string {
	if l, ok := ingest.AsList(err); ok {
		return strings.Join(l.RenderLines(remedy.Tag), "\n")
	}
	return remedy.Render(err, remedy.Tag)
}
