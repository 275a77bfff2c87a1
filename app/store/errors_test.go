package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"labelqa/app/query"
	sqlite3 "modernc.org/sqlite/lib"
)

// codeErr is a SQLite-like error with any result code.
type codeErr int

func (c codeErr) Error() string {
	return "sqlite says " + strconv.Itoa(int(c)) + " (" + strconv.Itoa(int(c)) + ")"
}
func (c codeErr) Code() int { return int(c) }

// TestExplainCodes: each SQLite result code users meet becomes a message
// naming the file and saying what to do, matching its sentinel.
func TestExplainCodes(t *testing.T) {
	for _, c := range []struct {
		code int
		kind error
		want string
	}{
		{sqlite3.SQLITE_FULL, ErrDiskFull, "p.lqa: the disk is full; free some space and try again — the project is unchanged"},
		{sqlite3.SQLITE_BUSY, ErrLocked, "p.lqa: another import (or another LabelQA window) is writing this project; wait for it to finish and try again — the project is unchanged"},
		{sqlite3.SQLITE_BUSY_RECOVERY, ErrLocked, "another import"},
		{sqlite3.SQLITE_LOCKED, ErrLocked, "another import"},
		{sqlite3.SQLITE_READONLY, ErrReadOnly, "p.lqa: the project cannot be written: the file or its folder is read-only; copy it to a folder you can write to, or make it writable, and try again — the project is unchanged"},
		{sqlite3.SQLITE_READONLY_CANTINIT, ErrReadOnly, "read-only"},
		{sqlite3.SQLITE_READONLY_DBMOVED, ErrIO, "moved, renamed or deleted"},
		{sqlite3.SQLITE_CORRUPT, ErrCorrupt, "p.lqa: the project file is damaged (SQLite: sqlite says 11); restore it from a backup, or create a new project and import the batch files again"},
		{sqlite3.SQLITE_NOTADB, ErrCorrupt, "damaged"},
		{sqlite3.SQLITE_IOERR | 1<<8, ErrIO, "p.lqa: reading or writing the file failed"},
		{sqlite3.SQLITE_IOERR_NOMEM, ErrOutOfMemory, "out of memory"},
		{sqlite3.SQLITE_NOMEM, ErrOutOfMemory, "out of memory"},
		{sqlite3.SQLITE_CANTOPEN, ErrIO, "cannot be opened"},
		{sqlite3.SQLITE_PERM, ErrReadOnly, "permission denied"},
		{sqlite3.SQLITE_INTERRUPT, context.Canceled, "p.lqa: cancelled — the project is unchanged"},
		{sqlite3.SQLITE_CONSTRAINT, nil, "p.lqa: doing something: sqlite says 19 — the project is unchanged; this is a fault in LabelQA"},
	} {
		err := explain(context.Background(), "p.lqa", fmt.Errorf("doing something: %w", codeErr(c.code)))
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("code %d: %q, want %q", c.code, err, c.want)
		}
		if c.kind != nil && !errors.Is(err, c.kind) {
			t.Errorf("code %d: %v is not %v", c.code, err, c.kind)
		}
		var ce codeErr
		if !errors.As(err, &ce) && c.code != sqlite3.SQLITE_INTERRUPT {
			t.Errorf("code %d: the SQLite error is not wrapped", c.code)
		}
		// Explaining twice changes nothing.
		if again := explain(context.Background(), "q.lqa", err); again != err {
			t.Errorf("code %d: explained twice: %v", c.code, again)
		}
	}
	// Not SQLite errors pass through; nil stays nil.
	plain := errors.New("batch.csv:3:2: label is empty")
	if err := explain(context.Background(), "p.lqa", plain); err != plain {
		t.Errorf("plain error changed: %v", err)
	}
	if err := explain(context.Background(), "p.lqa", nil); err != nil {
		t.Errorf("nil became %v", err)
	}
	// A cancelled context: whatever the transaction reports after it.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, e := range []error{sql.ErrTxDone, context.Canceled, codeErr(sqlite3.SQLITE_INTERRUPT)} {
		err := explain(ctx, "p.lqa", e)
		if !errors.Is(err, context.Canceled) || err.Error() != "p.lqa: cancelled — the project is unchanged" {
			t.Errorf("%v after cancel: %v", e, err)
		}
	}
}

// manyRecords is n records over n/3 items and 50 annotators.
func manyRecords(n int) []*Judgment {
	out := make([]*Judgment, n)
	for i := range out {
		out[i] = rec(i+2, "item-with-a-long-external-identifier-"+strconv.Itoa(i/3), "ann"+strconv.Itoa(i%50), "l"+strconv.Itoa(i%4))
	}
	return out
}

// TestDiskFull: a full disk (a small max_page_count) refuses the import with
// ErrDiskFull, names the project, and leaves it as it was.
func TestDiskFull(t *testing.T) {
	ctx := context.Background()
	s := newProject(t)
	if _, err := importRecords(t, s, "a.csv", DupLast, true, rec(2, "x", "a", "approve")); err != nil {
		t.Fatal(err)
	}
	var pages int
	if err := s.db.QueryRow("PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(fmt.Sprintf("PRAGMA max_page_count = %d", pages+3)); err != nil {
		t.Fatal(err)
	}
	_, err := importRecords(t, s, "big.csv", DupLast, true, manyRecords(30000)...)
	if !errors.Is(err, ErrDiskFull) {
		t.Fatalf("got %v, want ErrDiskFull", err)
	}
	want := s.Path() + ": the disk is full; free some space and try again — the project is unchanged"
	if err.Error() != want {
		t.Fatalf("message %q\nwant    %q", err, want)
	}
	c, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c.Annotations != 1 || c.Items != 1 {
		t.Fatalf("counts after a full disk: %+v", c)
	}
	if b, _ := s.Batches(ctx); len(b) != 1 {
		t.Fatalf("batches after a full disk: %+v", b)
	}
	if res, err := s.IntegrityCheck(ctx); err != nil || res != "ok" {
		t.Fatalf("integrity %q %v", res, err)
	}
}

// TestLocked: while one import holds the project, a second one waits the
// busy timeout and then fails with ErrLocked, saying another import is writing.
func TestLocked(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.lqa")
	s1, err := Create(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s1.Close()
	w, err := s1.BeginBatch(ctx, BatchInfo{FileName: "a.csv", Size: 10, SHA256: "a", AddLabels: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Rollback()
	old := busyTimeoutMS
	busyTimeoutMS = 50
	defer func() { busyTimeoutMS = old }()
	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("opening while another import runs: %v", err)
	}
	defer s2.Close()
	_, err = importRecords(t, s2, "b.csv", DupLast, true, rec(2, "x", "a", "approve"))
	if !errors.Is(err, ErrLocked) || !strings.HasPrefix(err.Error(), path+": another import") {
		t.Fatalf("got %v, want ErrLocked naming the file", err)
	}
	if err := s2.DeclareLabels(ctx, []string{"a"}, nil); !errors.Is(err, ErrLocked) {
		t.Fatalf("DeclareLabels: got %v, want ErrLocked", err)
	}
	// Reading is not locked out (WAL).
	if _, err := s2.Counts(ctx); err != nil {
		t.Fatalf("reading while another import runs: %v", err)
	}
}

// fileSum is the SHA-256 of a file, to show it unchanged.
func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

// sampleProject makes a closed project with a few records.
func sampleProject(t *testing.T, n int) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.lqa")
	s, err := Create(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := importRecords(t, s, "a.csv", DupLast, true, manyRecords(n)...); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestOpenReadOnly: reading opens nothing for writing and writes nothing;
// every write through a read-only store fails with ErrReadOnly.
func TestOpenReadOnly(t *testing.T) {
	ctx := context.Background()
	path := sampleProject(t, 30)
	before, names := fileSum(t, path), dirNames(t, filepath.Dir(path))
	s, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if !s.ReadOnly() {
		t.Fatal("ReadOnly() is false")
	}
	if c, err := s.Counts(ctx); err != nil || c.Annotations != 30 {
		t.Fatalf("counts %+v %v", c, err)
	}
	_, err = importRecords(t, s, "b.csv", DupLast, true, rec(2, "x", "a", "approve"))
	if !errors.Is(err, ErrReadOnly) || !strings.HasPrefix(err.Error(), path+": the project cannot be written") {
		t.Fatalf("import into a read-only store: %v", err)
	}
	if err := s.DeclareLabels(ctx, []string{"a"}, nil); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("DeclareLabels: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if fileSum(t, path) != before {
		t.Fatal("reading changed the project file")
	}
	if after := dirNames(t, filepath.Dir(path)); !slices.Equal(after, names) {
		t.Fatalf("reading left files: %v, before %v", after, names)
	}
}

// TestReadOnlyFolder: when SQLite cannot open or make the WAL's -shm file,
// as in a read-only folder, the project is still read (immutable) and writes
// fail with ErrReadOnly. A dangling symlink where -shm goes fails the way a
// read-only folder does ("unable to open database file (14)"), also for
// root; a read-only tmpfs mount was checked by hand the same way.
func TestReadOnlyFolder(t *testing.T) {
	ctx := context.Background()
	path := sampleProject(t, 30)
	if err := os.Symlink(filepath.Join(t.TempDir(), "no", "such", "shm"), path+"-shm"); err != nil {
		t.Skip("no symlinks here:", err)
	}
	before := fileSum(t, path)
	for i, open := range []func(context.Context, string) (*Store, error){OpenReadOnly, Open} {
		s, err := open(ctx, path)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		if c, err := s.Counts(ctx); err != nil || c.Annotations != 30 {
			t.Fatalf("counts %+v %v", c, err)
		}
		if !s.ReadOnly() {
			t.Errorf("open %d: ReadOnly() is false", i)
		}
		if _, err := importRecords(t, s, "b.csv", DupLast, true, rec(2, "x", "a", "approve")); !errors.Is(err, ErrReadOnly) {
			t.Fatalf("open %d: import: %v", i, err)
		}
		s.Close()
	}
	if fileSum(t, path) != before {
		t.Fatal("the project changed")
	}
	// With changes waiting in the -wal file, reading without it would show
	// stale data: refused.
	os.WriteFile(path+"-wal", []byte("pending"), 0o644)
	if _, err := OpenReadOnly(ctx, path); !errors.Is(err, ErrReadOnly) || !strings.Contains(err.Error(), "p.lqa-wal") {
		t.Fatalf("pending WAL: %v", err)
	}
}

// TestReadOnlyFileNotRoot: a project file without write permission opens,
// reads, and refuses writes with ErrReadOnly. Root ignores file modes.
func TestReadOnlyFileNotRoot(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes read-only files; TestReadOnlyFolder and TestOpenReadOnly cover the read-only paths")
	}
	ctx := context.Background()
	path := sampleProject(t, 30)
	os.Chmod(path, 0o444)
	for _, open := range []func(context.Context, string) (*Store, error){OpenReadOnly, Open} {
		s, err := open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if c, err := s.Counts(ctx); err != nil || c.Annotations != 30 {
			t.Fatalf("counts %+v %v", c, err)
		}
		if _, err := importRecords(t, s, "b.csv", DupLast, true, rec(2, "x", "a", "approve")); !errors.Is(err, ErrReadOnly) {
			t.Fatalf("import: %v", err)
		}
		s.Close()
	}
	os.Chmod(path, 0o644)
	os.Chmod(filepath.Dir(path), 0o555)
	defer os.Chmod(filepath.Dir(path), 0o755)
	s, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatalf("read-only folder: %v", err)
	}
	if c, err := s.Counts(ctx); err != nil || c.Annotations != 30 {
		t.Fatalf("counts %+v %v", c, err)
	}
	s.Close()
}

// TestCorruptProject: a project whose pages are overwritten fails with
// ErrCorrupt naming the file, never a panic or "malformed (11)".
func TestCorruptProject(t *testing.T) {
	ctx := context.Background()
	path := sampleProject(t, 3000)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := pageSize; i < len(b); i++ {
		b[i] = byte(i*7 + 3)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := OpenReadOnly(ctx, path)
	if err == nil {
		defer s.Close()
		_, err = s.Counts(ctx)
		if err == nil {
			err = s.EachAnnotation(ctx, query.Query{}, func(*Annotation) error { return nil })
		}
	}
	if !errors.Is(err, ErrCorrupt) || !strings.HasPrefix(err.Error(), path+": the project file is damaged") {
		t.Fatalf("got %v, want ErrCorrupt", err)
	}
	// A header cut short.
	os.WriteFile(path, b[:40], 0o644)
	if _, err := Open(ctx, path); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("cut header: %v", err)
	}
}

// setHeader writes user_version and application_id into a closed project.
func setHeader(t *testing.T, path string, pragmas string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(pragmas); err != nil {
		t.Fatal(err)
	}
}

// TestOpenOddHeaders: a negative user_version (it panicked with "index out
// of range [-1]"), a newer one, another program's application_id.
func TestOpenOddHeaders(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		pragmas string
		kind    error
		want    string
	}{
		{"PRAGMA user_version = -1", ErrCorrupt, "the project file is damaged: its schema version is -1"},
		{fmt.Sprintf("PRAGMA user_version = %d", SchemaVersion()+1), ErrNewerProject,
			fmt.Sprintf("the project was made by a newer LabelQA (project schema %d; this LabelQA reads up to %d); upgrade LabelQA to open it", SchemaVersion()+1, SchemaVersion())},
		{"PRAGMA application_id = 42", ErrNotProject, "it is a SQLite database of another program"},
		{"PRAGMA application_id = 0", ErrNotProject, "it is a SQLite database of another program"},
	} {
		path := sampleProject(t, 3)
		setHeader(t, path, c.pragmas)
		before := fileSum(t, path)
		for _, open := range []func(context.Context, string) (*Store, error){OpenReadOnly, Open} {
			s, err := open(ctx, path)
			if err == nil {
				s.Close()
			}
			if !errors.Is(err, c.kind) || !strings.HasPrefix(err.Error(), path+": ") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: got %v, want %v %q", c.pragmas, err, c.kind, c.want)
			}
		}
		if fileSum(t, path) != before {
			t.Errorf("%s: opening changed the file", c.pragmas)
		}
	}
}

// TestMigrationFailure: a schema step that fails names the file and the
// step, and leaves the project at its schema.
func TestMigrationFailure(t *testing.T) {
	ctx := context.Background()
	path := sampleProject(t, 3)
	old := migrations
	migrations = append(slices.Clip(migrations), "CREATE TABLE extra (a TEXT); CREATE TABLE broken (")
	defer func() { migrations = old }()
	_, err := Open(ctx, path)
	n := len(old)
	want := fmt.Sprintf("%s: upgrading the project from schema %d to %d failed (", path, n, n+1)
	if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), fmt.Sprintf("the project is unchanged (still schema %d)", n)) {
		t.Fatalf("got %v\nwant %s...", err, want)
	}
	migrations = old
	s, err := OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var v, extra int
	s.db.QueryRow("PRAGMA user_version").Scan(&v)
	s.db.QueryRow("SELECT count(*) FROM sqlite_schema WHERE name = 'extra'").Scan(&extra)
	if v != n || extra != 0 {
		t.Fatalf("user_version %d, table extra %d: the failed step left changes", v, extra)
	}
}

// TestReadingNeverWrites: an empty file, a missing path, a SQLite file with
// nothing in it and another program's database are refused, unchanged, and
// no file is made beside them.
func TestReadingNeverWrites(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.lqa")
	os.WriteFile(empty, nil, 0o644)
	for _, open := range []func(context.Context, string) (*Store, error){OpenReadOnly, Open} {
		_, err := open(ctx, empty)
		if !errors.Is(err, ErrEmptyFile) || !errors.Is(err, ErrNotProject) ||
			err.Error() != empty+": the file is empty (0 bytes), so it is not a LabelQA project; choose the right file, or create a new project" {
			t.Errorf("empty file: %v", err)
		}
		missing := filepath.Join(dir, "missing.lqa")
		if _, err := open(ctx, missing); !errors.Is(err, ErrNoProject) || !strings.HasPrefix(err.Error(), missing+": no such project file") {
			t.Errorf("missing file: %v", err)
		}
		if _, err := open(ctx, dir); !errors.Is(err, ErrNotProject) || !strings.Contains(err.Error(), "is a folder") {
			t.Errorf("folder: %v", err)
		}
	}
	if st, _ := os.Stat(empty); st.Size() != 0 {
		t.Errorf("the empty file now has %d bytes", st.Size())
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"empty.lqa"}) {
		t.Errorf("files after opening: %v", names)
	}

	// A SQLite database with nothing in it: only a writer makes it a project.
	bare := filepath.Join(dir, "bare.lqa")
	setHeader(t, bare, "PRAGMA page_size = 4096; VACUUM")
	before := fileSum(t, bare)
	if _, err := OpenReadOnly(ctx, bare); !errors.Is(err, ErrNotProject) {
		t.Errorf("bare database read: %v", err)
	}
	if fileSum(t, bare) != before {
		t.Error("reading changed a bare database")
	}

	// Another program's database (rollback journal): not touched, not made WAL.
	other := filepath.Join(dir, "other.db")
	setHeader(t, other, "CREATE TABLE t(x); INSERT INTO t VALUES (1)")
	before = fileSum(t, other)
	for _, open := range []func(context.Context, string) (*Store, error){OpenReadOnly, Open} {
		if _, err := open(ctx, other); !errors.Is(err, ErrNotProject) {
			t.Errorf("other program's database: %v", err)
		}
	}
	if fileSum(t, other) != before {
		t.Error("opening changed another program's database")
	}
	// A text file.
	text := filepath.Join(dir, "notes.lqa")
	os.WriteFile(text, bytes.Repeat([]byte("not a database "), 20), 0o644)
	if _, err := OpenReadOnly(ctx, text); !errors.Is(err, ErrNotProject) || !strings.Contains(err.Error(), "it is not a SQLite database") {
		t.Errorf("text file: %v", err)
	}
}

// TestCreateRefuses: no folders are made, no file is replaced.
func TestCreateRefuses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	nowhere := filepath.Join(dir, "no", "such", "dir")
	_, err := Create(ctx, filepath.Join(nowhere, "p.lqa"))
	if !errors.Is(err, ErrNoFolder) || !strings.Contains(err.Error(), "the folder "+nowhere+" does not exist; create it first") {
		t.Fatalf("missing folder: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "no")); err == nil {
		t.Fatal("Create made folders")
	}
	file := filepath.Join(dir, "file.txt")
	os.WriteFile(file, []byte("hello"), 0o644)
	if _, err := Create(ctx, filepath.Join(file, "p.lqa")); !errors.Is(err, ErrNoFolder) || !strings.Contains(err.Error(), "is a file, not a folder") {
		t.Fatalf("file as folder: %v", err)
	}
	if _, err := Create(ctx, file); !errors.Is(err, ErrProjectExists) || !strings.Contains(err.Error(), "never replaces a file") {
		t.Fatalf("existing file: %v", err)
	}
	empty := filepath.Join(dir, "empty.lqa")
	os.WriteFile(empty, nil, 0o644)
	if _, err := Create(ctx, empty); !errors.Is(err, ErrProjectExists) || !strings.Contains(err.Error(), "an empty one") {
		t.Fatalf("existing empty file: %v", err)
	}
	if b, _ := os.ReadFile(file); string(b) != "hello" {
		t.Fatal("Create changed an existing file")
	}
	path := sampleProject(t, 3)
	if _, err := Create(ctx, path); !errors.Is(err, ErrProjectExists) || !strings.Contains(err.Error(), "a project (or another SQLite database) of that name already exists") {
		t.Fatalf("existing project: %v", err)
	}
}

// TestLabelSpellings: labels that differ in case, Unicode form or spaces
// are one label, in the first import, later imports and gold.
func TestLabelSpellings(t *testing.T) {
	ctx := context.Background()
	s := newProject(t)
	res, err := importRecords(t, s, "a.csv", DupKeep, false,
		rec(2, "x", "a", "approve"), rec(3, "x", "b", "APPROVE"), rec(4, "y", "a", "Approve"),
		rec(5, "y", "b", "caf\u00e9"), rec(6, "z", "a", "cafe\u0301"), rec(7, "z", "b", "CAF\u00c9|approve|Approve"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.NewLabels, []string{"approve", "caf\u00e9"}) {
		t.Fatalf("new labels %q, want approve and café", res.NewLabels)
	}
	labels, _ := s.Labels(ctx)
	if len(labels) != 2 || labels[0].Name != "approve" || !labels[0].Allow || labels[1].Name != "caf\u00e9" {
		t.Fatalf("labels %+v", labels)
	}
	var extra sql.NullString
	s.db.QueryRow("SELECT extra_labels FROM annotations WHERE src_row = 7").Scan(&extra)
	if extra.String != strconv.FormatInt(labels[0].ID, 10) {
		t.Fatalf("café|approve|Approve stored extra labels %q, want one", extra.String)
	}
	// A later import: another spelling is the label, without adding labels.
	if _, err := importRecords(t, s, "b.csv", DupKeep, false, rec(2, "w", "c", " APPROVE ")); err != nil {
		t.Fatalf("later import: %v", err)
	}
	_, err = s.ImportGold(ctx, GoldInfo{FileName: "g.csv", SHA256: "g", Format: "csv"}, func(add GoldFunc) (string, error) {
		return "", add(&GoldRow{Row: 2, ItemID: "x", Labels: []string{"Approve"}})
	})
	if err != nil {
		t.Fatalf("gold: %v", err)
	}
	if labels, _ := s.Labels(ctx); len(labels) != 2 {
		t.Fatalf("labels after later imports: %+v", labels)
	}
}

// TestDeclareLabels: duplicates (in any spelling) and allow labels outside
// the set are refused with their sentinels; no labels declare nothing.
func TestDeclareLabels(t *testing.T) {
	ctx := context.Background()
	s := newProject(t)
	for _, c := range []struct {
		names, allow []string
		kind         error
		want         string
	}{
		{[]string{"a", "a"}, nil, ErrDuplicateLabel, `label "a" is listed twice; list each label once`},
		{[]string{"approve", "scam", "Approve "}, nil, ErrDuplicateLabel, `labels "approve" and "Approve" are the same label`},
		{[]string{"a", "b"}, []string{"c"}, ErrUnknownAllowLabel, `allow label "c" is not one of the declared labels`},
		{nil, []string{"ok"}, ErrUnknownAllowLabel, `allow label "ok" needs a declared label set`},
	} {
		err := s.DeclareLabels(ctx, c.names, c.allow)
		if !errors.Is(err, c.kind) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q %q: got %v, want %q", c.names, c.allow, err, c.want)
		}
	}
	for _, names := range [][]string{nil, {}, {"", " "}} {
		if err := s.DeclareLabels(ctx, names, nil); err != nil {
			t.Errorf("%q: %v", names, err)
		}
	}
	if labels, _ := s.Labels(ctx); len(labels) != 0 {
		t.Fatalf("refused declarations left labels: %+v", labels)
	}
	// The first import's labels become the set.
	if _, err := importRecords(t, s, "a.csv", DupLast, false, rec(2, "x", "a", "b"), rec(3, "y", "a", "a")); err != nil {
		t.Fatal(err)
	}
	if err := s.DeclareLabels(ctx, []string{"B", "c", "A"}, []string{"c"}); err != nil {
		t.Fatal(err)
	}
	labels, _ := s.Labels(ctx)
	var got []string
	for _, l := range labels {
		got = append(got, l.Name+":"+strconv.FormatBool(l.Allow))
	}
	if !slices.Equal(got, []string{"b:false", "c:true", "a:false"}) {
		t.Fatalf("labels %v", got)
	}
}

// TestNoLabelsProject: a project with no declared labels (and nothing in
// it) answers every query, read-only too, and its first import sets them.
func TestNoLabelsProject(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.lqa")
	s, err := Create(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DeclareLabels(ctx, []string{}, nil); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, open := range []func(context.Context, string) (*Store, error){OpenReadOnly, Open} {
		s, err := open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		dims := []Dimension{ByVendor, ByQueue, ByMarket, ByLabel}
		if _, err := s.Labels(ctx); err != nil {
			t.Error(err)
		}
		if _, err := s.Counts(ctx); err != nil {
			t.Error(err)
		}
		if _, err := s.Breakdowns(ctx, dims...); err != nil {
			t.Error(err)
		}
		for _, d := range dims {
			if _, err := s.CountBy(ctx, d); err != nil {
				t.Error(err)
			}
		}
		if _, err := s.GoldVersions(ctx); err != nil {
			t.Error(err)
		}
		if _, err := s.CurrentGold(ctx); err != nil {
			t.Error(err)
		}
		if _, err := s.ItemExtIDs(ctx); err != nil {
			t.Error(err)
		}
		if _, err := s.Annotators(ctx); err != nil {
			t.Error(err)
		}
		if err := s.EachAnnotation(ctx, query.Query{}, func(*Annotation) error { return nil }); err != nil {
			t.Error(err)
		}
		if _, err := s.Batches(ctx); err != nil {
			t.Error(err)
		}
		s.Close()
	}
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := importRecords(t, s, "a.csv", DupLast, false, rec(2, "x", "a", "b"), rec(3, "x", "b", "a")); err != nil {
		t.Fatalf("first import into a project without labels: %v", err)
	}
	if l, _ := s.Labels(ctx); len(l) != 2 || l[0].Name != "a" {
		t.Fatalf("labels %+v", l)
	}
}

// TestVersionMarkDamaged: a populated project whose user_version was reset
// to 0 was diagnosed as "creation did not finish; create it again" (advice
// that loses the data), and opening it for writing ran the first migration
// over its tables ("table settings already exists ... a fault in LabelQA").
// Now both opens refuse it as damaged and write nothing; so does a project
// that lacks a table of the schema it claims.
func TestVersionMarkDamaged(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct{ name, pragmas, want string }{
		{"user_version 0", "PRAGMA user_version = 0", "version mark is damaged"},
		{"table missing", "DROP TABLE targets", "targets of that schema are missing"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "p.lqa")
			s, err := Create(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.DeclareLabels(ctx, []string{"a", "b"}, nil); err != nil {
				t.Fatal(err)
			}
			s.Close()
			setHeader(t, p, c.pragmas)
			before, _ := os.ReadFile(p)
			for _, open := range []func(context.Context, string) (*Store, error){Open, OpenReadOnly} {
				s, err := open(ctx, p)
				if err == nil {
					s.Close()
					t.Fatal("opened")
				}
				if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "; create it again") || strings.Contains(err.Error(), "fault in LabelQA") {
					t.Fatalf("got %v", err)
				}
			}
			if after, _ := os.ReadFile(p); !bytes.Equal(before, after) {
				t.Fatal("the file was changed")
			}
		})
	}
}

// TestDiskFullIOError: with the disk completely full, SQLite fails to grow the
// WAL's -shm file with an I/O error, which was reported as "reading or
// writing the file failed (SQLite: disk I/O error)"; a read also left the
// -shm and -wal it made behind. The error says the disk is full when the
// project's drive has (nearly) no space, and a read reads the file as
// immutable, leaving no file behind.
func TestDiskFullIOError(t *testing.T) {
	ctx := context.Background()
	p := filepath.Join(t.TempDir(), "p.lqa")
	freeSpace = func(string) (uint64, bool) { return 4096, true }
	err := explain(ctx, p, codeErr(sqlite3.SQLITE_IOERR_SHMSIZE))
	freeSpace = func(string) (uint64, bool) { return 1 << 30, true }
	err2 := explain(ctx, p, codeErr(sqlite3.SQLITE_IOERR_SHMSIZE))
	freeSpace = statfsFree
	if !errors.Is(err, ErrDiskFull) || !strings.Contains(err.Error(), "the disk is full") {
		t.Fatalf("full: %v", err)
	}
	if errors.Is(err2, ErrDiskFull) {
		t.Fatalf("not full: %v", err2)
	}

	// A real full disk: a 2 MiB tmpfs, where the system lets the tests mount one.
	if os.Geteuid() != 0 {
		t.Skip("mounting a small file system needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	defer exec.Command("umount", dir).Run()
	p = filepath.Join(dir, "p.lqa")
	s, err := Create(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DeclareLabels(ctx, []string{"approve", "reject"}, nil); err != nil {
		t.Fatal(err)
	}
	s.Close()
	f, _ := os.Create(filepath.Join(dir, "filler"))
	buf := make([]byte, 4096)
	for {
		if _, err := f.Write(buf); err != nil {
			break
		}
	}
	f.Close()
	if r, err := OpenReadOnly(ctx, p); err != nil {
		t.Fatalf("read on a full disk: %v", err)
	} else {
		if ls, err := r.Labels(ctx); err != nil || len(ls) != 2 {
			t.Fatalf("labels %v, %v", ls, err)
		}
		r.Close()
	}
	for _, x := range []string{"-wal", "-shm"} {
		if _, err := os.Lstat(p + x); err == nil {
			t.Errorf("the read left %s behind", filepath.Base(p+x))
		}
	}
	if w, err := Open(ctx, p); err == nil {
		w.Close()
		t.Fatal("opened for writing on a full disk")
	} else if !errors.Is(err, ErrDiskFull) {
		t.Fatalf("write on a full disk: %v", err)
	}
}

// TestNoWriteIntoDamagedFile: with 1 KiB overwritten in the middle of a
// project, PRAGMA integrity_check reported damage but an import (and a gold
// import, and a label declaration) wrote into it. The first write of an
// open project now runs PRAGMA quick_check and refuses a damaged file,
// writing nothing.
func TestNoWriteIntoDamagedFile(t *testing.T) {
	ctx := context.Background()
	p := damagedProject(t, t.TempDir())
	before, _ := os.ReadFile(p)
	for name, write := range map[string]func(s *Store) error{
		"import": func(s *Store) error {
			_, err := s.BeginBatch(ctx, BatchInfo{FileName: "b.csv", SHA256: "b", Format: "csv"})
			return err
		},
		"gold": func(s *Store) error {
			_, err := s.ImportGold(ctx, GoldInfo{FileName: "g.csv", SHA256: "g", Format: "csv"}, func(add GoldFunc) (string, error) {
				return "", add(&GoldRow{Row: 2, ItemID: "x", Labels: []string{"a"}})
			})
			return err
		},
		"labels": func(s *Store) error { return s.DeclareLabels(ctx, []string{"a", "b"}, nil) },
	} {
		s, err := Open(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		err = write(s)
		s.Close()
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "nothing was written") {
			t.Errorf("%s: got %v", name, err)
		}
	}
	if after, _ := os.ReadFile(p); !bytes.Equal(before, after) {
		t.Fatal("the damaged file was written")
	}
}

// damagedProject makes a project of 20,000 items in dir and overwrites 1 KiB
// in the middle of its file.
func damagedProject(t *testing.T, dir string) string {
	t.Helper()
	ctx := context.Background()
	p := filepath.Join(dir, "damaged.lqa")
	s, err := Create(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	setHeader(t, p, `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 20000)
		INSERT INTO items(ext_id, content) SELECT 'item-' || x, printf('%040d', x * 7919) FROM c`)
	f, err := os.OpenFile(p, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt(bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef}, 256), 600000)
	f.Close()
	return p
}

// TestVersionMarkBehindTables: a user_version that names an older schema
// than the tables the file holds (the tables of a later step are there) is a
// damaged version mark: migrating would fail on those tables. A stand-in
// last step shows it.
func TestVersionMarkBehindTables(t *testing.T) {
	ctx := context.Background()
	old := migrations
	defer func() { migrations = old }()
	migrations = append(slices.Clip(migrations), "CREATE TABLE extra (x INTEGER);")
	p := filepath.Join(t.TempDir(), "p.lqa")
	s, err := Create(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	setHeader(t, p, fmt.Sprintf("PRAGMA user_version = %d", len(old)))
	_, err = Open(ctx, p)
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), fmt.Sprintf("version mark is damaged: it says schema %d", len(old))) {
		t.Fatalf("got %v", err)
	}
	// A real older project (without the later table) is upgraded.
	setHeader(t, p, "DROP TABLE extra")
	if s, err = Open(ctx, p); err != nil {
		t.Fatal(err)
	}
	s.Close()
}
