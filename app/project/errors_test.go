package project

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"labelqa/app/demo"
	"labelqa/app/store"
)

// TestInitLabels: a label twice (in any spelling) and an allow label outside
// the set are refused with their sentinels before any file is made; no
// labels make a project whose first import sets them.
func TestInitLabels(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "p.lqa")
	for _, c := range []struct {
		labels, allow []string
		kind          error
	}{
		{[]string{"a", "a"}, nil, ErrDuplicateLabel},
		{[]string{"approve", "APPROVE"}, nil, ErrDuplicateLabel},
		{[]string{"a", "b"}, []string{"ok"}, ErrUnknownAllowLabel},
		{nil, []string{"ok"}, ErrUnknownAllowLabel},
	} {
		if err := Init(ctx, path, c.labels, c.allow); !errors.Is(err, c.kind) {
			t.Errorf("%q %q: got %v, want %v", c.labels, c.allow, err, c.kind)
		}
		if _, err := os.Stat(path); err == nil {
			t.Fatalf("%q: a refused init left %s", c.labels, path)
		}
	}
	if err := Init(ctx, path, []string{}, nil); err != nil {
		t.Fatalf("no labels: %v", err)
	}
	if err := Init(ctx, path, []string{"a"}, nil); !errors.Is(err, store.ErrProjectExists) {
		t.Fatalf("init over a project: %v", err)
	}
	csv := filepath.Join(dir, "batch.csv")
	os.WriteFile(csv, []byte("item_id,annotator_id,label\nx,a,approve\nx,b,APPROVE\ny,a,Scam\ny,b,scam\n"), 0o644)
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := Import(ctx, s, csv, ImportOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(res.NewLabels, ",") != "approve,Scam" {
		t.Fatalf("new labels %q, want approve and Scam", res.NewLabels)
	}
	// Missing folder: refused, not made.
	far := filepath.Join(dir, "no", "such", "dir", "p.lqa")
	if err := Init(ctx, far, nil, nil); !errors.Is(err, store.ErrNoFolder) || !strings.Contains(err.Error(), "does not exist; create it first") {
		t.Fatalf("missing folder: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "no")); err == nil {
		t.Fatal("init made folders")
	}
}

// TestImportInputErrors: a missing file or a folder is named in words for
// anyone, for batches and golden sets, and the project is unchanged.
func TestImportInputErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := newStore(t, dir)
	missing := filepath.Join(dir, "nope.csv")
	folder := filepath.Join(dir, "exports")
	os.Mkdir(folder, 0o755)
	for _, c := range []struct {
		path, want string
		kind       error
	}{
		{missing, missing + ": no such file; check the path", ErrNoFile},
		{folder, folder + " is a folder; give the files inside it", ErrIsFolder},
	} {
		_, err := Import(ctx, s, c.path, ImportOptions{}, nil)
		if err == nil || err.Error() != c.want || !errors.Is(err, c.kind) {
			t.Errorf("import: got %v, want %q", err, c.want)
		}
		_, err = ImportGold(ctx, s, c.path, GoldOptions{}, nil)
		if err == nil || err.Error() != c.want || !errors.Is(err, c.kind) {
			t.Errorf("gold: got %v, want %q", err, c.want)
		}
	}
	if _, err := Import(ctx, s, missing, ImportOptions{}, nil); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file is not fs.ErrNotExist: %v", err)
	}
	if b, _ := s.Batches(ctx); len(b) != 0 {
		t.Fatalf("batches %+v", b)
	}
}

// TestImportCancelled: an import cancelled while it reads, or before it
// starts, returns an error wrapping context.Canceled and leaves the project
// exactly as it was.
func TestImportCancelled(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "batch.csv")
	if err := demo.WriteCanonicalCSVFile(csv, 60_000, 3); err != nil {
		t.Fatal(err)
	}
	small := filepath.Join(dir, "small.csv")
	os.WriteFile(small, []byte("item_id,annotator_id,label\nx,a,approve\n"), 0o644)
	s := newStore(t, dir)
	if _, err := Import(context.Background(), s, small, ImportOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	before, _ := s.Counts(context.Background())

	ctx, cancel := context.WithCancel(context.Background())
	var once sync.Once
	_, err := Import(ctx, s, csv, ImportOptions{AddLabels: true}, func(done, total, rows int64) {
		if rows > 20_000 {
			once.Do(cancel)
		}
	})
	if !errors.Is(err, context.Canceled) || err.Error() != csv+": import cancelled; the project is unchanged" {
		t.Fatalf("cancelled import: %v", err)
	}
	pre, stop := context.WithCancel(context.Background())
	stop()
	if _, err := Import(pre, s, csv, ImportOptions{AddLabels: true}, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("import with a cancelled context: %v", err)
	}
	gold := filepath.Join(dir, "gold.csv")
	os.WriteFile(gold, []byte("item_id,label\nx,approve\n"), 0o644)
	if _, err := ImportGold(pre, s, gold, GoldOptions{}, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("gold import with a cancelled context: %v", err)
	}
	after, err := s.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if after.Annotations != before.Annotations || after.Items != before.Items || after.GoldItems != before.GoldItems {
		t.Fatalf("cancelled imports changed the project: %+v -> %+v", before, after)
	}
	if b, _ := s.Batches(context.Background()); len(b) != 1 {
		t.Fatalf("batches after cancelled imports: %+v", b)
	}
	if res, err := s.IntegrityCheck(context.Background()); err != nil || res != "ok" {
		t.Fatalf("integrity %q %v", res, err)
	}
}
