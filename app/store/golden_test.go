package store

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	sqlite3 "modernc.org/sqlite/lib"

	"labelqa/app/remedy"
)

var update = flag.Bool("update", false, "rewrite testdata/errors.golden")

// checkGolden compares got with testdata/errors.golden (rewritten with -update).
func checkGolden(t *testing.T, got string) {
	t.Helper()
	golden := filepath.Join("testdata", "errors.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("errors.golden line %d:\n got: %s\nwant: %s", i+1, g, w)
		}
	}
}

// TestErrorMessages pins every message of the project file the user can
// see (testdata/errors.golden): SQLite codes, refused opens and creates,
// refused label sets, a failed schema step.
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
		fmt.Fprintf(&b, "== %s\n%s\n", name, strings.ReplaceAll(remedy.Render(err, remedy.Tag), dir, "$DIR"))
	}
	for _, c := range []struct {
		name string
		code int
	}{
		{"full", sqlite3.SQLITE_FULL}, {"busy", sqlite3.SQLITE_BUSY}, {"readonly", sqlite3.SQLITE_READONLY},
		{"readonly dbmoved", sqlite3.SQLITE_READONLY_DBMOVED}, {"corrupt", sqlite3.SQLITE_CORRUPT},
		{"ioerr read", sqlite3.SQLITE_IOERR | 1<<8}, {"nomem", sqlite3.SQLITE_NOMEM}, {"cantopen", sqlite3.SQLITE_CANTOPEN},
		{"perm", sqlite3.SQLITE_PERM}, {"interrupt", sqlite3.SQLITE_INTERRUPT}, {"constraint", sqlite3.SQLITE_CONSTRAINT},
	} {
		line("sqlite "+c.name, explain(ctx, filepath.Join(dir, "p.lqa"), codeErr(c.code)))
	}
	freeSpace = func(string) (uint64, bool) { return 0, true }
	line("sqlite ioerr shmsize, disk full", explain(ctx, filepath.Join(dir, "p.lqa"), codeErr(sqlite3.SQLITE_IOERR_SHMSIZE)))
	freeSpace = statfsFree

	open := func(name, path string) {
		_, err := OpenReadOnly(ctx, path)
		line("open read-only: "+name, err)
		_, err2 := Open(ctx, path)
		if err2 == nil || err2.Error() != err.Error() {
			line("open: "+name, err2)
		}
	}
	open("missing", filepath.Join(dir, "missing.lqa"))
	os.Mkdir(filepath.Join(dir, "folder.lqa"), 0o755)
	open("folder", filepath.Join(dir, "folder.lqa"))
	os.WriteFile(filepath.Join(dir, "empty.lqa"), nil, 0o644)
	open("empty", filepath.Join(dir, "empty.lqa"))
	os.WriteFile(filepath.Join(dir, "text.lqa"), []byte(strings.Repeat("not a database ", 10)), 0o644)
	open("text", filepath.Join(dir, "text.lqa"))
	os.WriteFile(filepath.Join(dir, "cut.lqa"), []byte("SQLite format 3\x00 and then nothing"), 0o644)
	open("cut header", filepath.Join(dir, "cut.lqa"))
	bare := filepath.Join(dir, "bare.lqa")
	setHeader(t, bare, "PRAGMA page_size = 4096; VACUUM")
	_, err := OpenReadOnly(ctx, bare)
	line("open read-only: bare SQLite", err)
	other := filepath.Join(dir, "other.db")
	setHeader(t, other, "CREATE TABLE t(x)")
	open("another program's", other)
	for _, c := range []struct{ name, pragmas string }{
		{"user_version -1", "PRAGMA user_version = -1"},
		{"newer", fmt.Sprintf("PRAGMA user_version = %d", SchemaVersion()+1)},
		{"user_version 0 over its tables", "PRAGMA user_version = 0"},
		{"a table of its schema missing", "DROP TABLE targets"},
	} {
		p := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".lqa")
		s, err := Create(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		setHeader(t, p, c.pragmas)
		open(c.name, p)
	}
	pending := filepath.Join(dir, "pending.lqa")
	s, err := Create(ctx, pending)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	os.Symlink(filepath.Join(dir, "no", "such"), pending+"-shm")
	os.WriteFile(pending+"-wal", []byte("pending"), 0o644)
	_, err = OpenReadOnly(ctx, pending)
	line("open read-only: read-only folder with a pending WAL", err)

	create := func(name, path string) {
		_, err := Create(ctx, path)
		line("create: "+name, err)
	}
	create("missing folder", filepath.Join(dir, "no", "such", "p.lqa"))
	os.WriteFile(filepath.Join(dir, "file.txt"), []byte("x"), 0o644)
	create("file as folder", filepath.Join(dir, "file.txt", "p.lqa"))
	create("existing file", filepath.Join(dir, "file.txt"))
	create("existing empty file", filepath.Join(dir, "empty.lqa"))
	create("existing project", pending)
	create("existing folder", filepath.Join(dir, "folder.lqa"))

	for _, c := range []struct {
		name         string
		names, allow []string
	}{
		{"label twice", []string{"a", "a"}, nil},
		{"label in two spellings", []string{"approve", "APPROVE"}, nil},
		{"allow label not declared", []string{"a"}, []string{"ok"}},
		{"allow label without labels", nil, []string{"ok"}},
	} {
		line("labels: "+c.name, CheckLabels(c.names, c.allow))
	}

	proj := filepath.Join(dir, "migrate.lqa")
	if s, err := Create(ctx, proj); err != nil {
		t.Fatal(err)
	} else {
		s.Close()
	}
	old := migrations
	migrations = append(slices.Clip(migrations), "CREATE TABLE broken (")
	_, err = Open(ctx, proj)
	migrations = old
	line("migration fails", err)

	dmg, err := Open(ctx, damagedProject(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	_, err = dmg.BeginBatch(ctx, BatchInfo{FileName: "b.csv", SHA256: "b", Format: "csv"})
	dmg.Close()
	line("import into a damaged project", err)

	checkGolden(t, b.String())
}
