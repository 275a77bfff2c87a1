// Package store is the LabelQA project file: one SQLite database (*.lqa)
// holding batches, items, annotators, the label set, annotations, golden-set
// versions, audits, root-cause tags and KPI targets.
//
// Nothing outside this package writes SQL. Queries return typed Go values.
// Items, annotators and labels are integer-coded so analysis reads dense slices.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"unicode/utf8"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go, no cgo)
	sqlite3 "modernc.org/sqlite/lib"

	"labelqa/app/remedy"
)

// Sentinel errors the CLI and the UI tell apart with errors.Is (see also
// errors.go for failures of the file: ErrDiskFull, ErrLocked, ...).
var (
	ErrBatchExists   = errors.New("this file was already imported into the project")
	ErrNotProject    = errors.New("not a LabelQA project file")
	ErrNewerProject  = errors.New("the project was written by a newer LabelQA")
	ErrOlderProject  = errors.New("the project was written by an older LabelQA and is not upgraded yet")
	ErrProjectExists = errors.New("a file already exists at that path")
	ErrNoProject     = errors.New("no project file at that path")
	ErrNoFolder      = errors.New("the project's folder does not exist")
)

// appID marks a SQLite file as a LabelQA project (PRAGMA application_id), "LQA1".
const appID = 0x4c514131

// busyTimeoutMS is how long a write waits for another process's write
// transaction before it fails with ErrLocked; tests shorten it.
var busyTimeoutMS = 5000

// Store is an open project file. It holds one connection: SQLite allows one
// writer, and a single connection keeps transactions and pragmas simple.
type Store struct {
	db       *sql.DB
	path     string
	write    bool // opened with Open or Create, not OpenReadOnly
	readOnly bool // the file or its folder cannot be written
	checked  bool // checkBeforeWrite found the file sound
}

// Path is the project file's path.
func (s *Store) Path() string { return s.path }

// ReadOnly reports whether the project cannot be written: it was opened
// with OpenReadOnly, or the file or its folder is read-only. Writes then
// fail with ErrReadOnly.
func (s *Store) ReadOnly() bool { return !s.write || s.readOnly }

// Create makes a new, empty project at path. It never replaces a file and
// never creates folders: the folder must exist.
func Create(ctx context.Context, path string) (s *Store, err error) {
	defer recoverOpen(path, &s, &err)
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fileErr(path, err, fmt.Sprintf("the folder %s does not exist; create it first, or choose another folder", dir), ErrNoFolder)
		}
		return nil, fileErr(path, err, fmt.Sprintf("the folder %s cannot be read (%v); choose another folder", dir, PathErrText(err)), ErrIO)
	} else if !st.IsDir() {
		return nil, fileErr(path, nil, fmt.Sprintf("%s is a file, not a folder; choose a folder for the project", dir), ErrNoFolder)
	}
	if st, err := os.Stat(path); err == nil {
		return nil, existsErr(path, st)
	}
	// O_EXCL: a file that appears meanwhile is refused too, never replaced.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if st, serr := os.Stat(path); serr == nil && errors.Is(err, fs.ErrExist) {
			return nil, existsErr(path, st)
		}
		if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
			return nil, fileErr(path, err, fmt.Sprintf("cannot create the project: the folder %s is read-only; choose a folder you can write to", dir), ErrReadOnly)
		}
		return nil, fileErr(path, err, fmt.Sprintf("cannot create the project (%v); choose another folder", PathErrText(err)), ErrIO)
	}
	f.Close()
	defer func() {
		if err != nil { // a half-made file would block the next attempt
			removeProject(path)
		}
	}()
	if err := createFile(ctx, path); err != nil {
		return nil, err
	}
	return openPath(ctx, path, true)
}

// existsErr refuses to create a project over an existing file.
func existsErr(path string, st fs.FileInfo) error {
	switch {
	case st.IsDir():
		return fileErr(path, nil, "a folder of that name exists; choose another name for the project", ErrProjectExists)
	case st.Size() == 0:
		return fileErr(path, nil, "a file of that name already exists (an empty one); LabelQA never replaces a file: delete it, or choose another name", ErrProjectExists)
	case IsSQLite(path):
		return fileErr(path, nil, "a project (or another SQLite database) of that name already exists; open it, or choose another name for the new project", ErrProjectExists)
	}
	return fileErr(path, nil, "a file of that name already exists; LabelQA never replaces a file: choose another name for the project", ErrProjectExists)
}

// removeProject removes a project file Create made and failed to finish.
func removeProject(path string) {
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		os.Remove(p)
	}
}

// pageSize is the page size of new projects. SQLite's default of 4 KiB made
// a million-row import write four times as many pages, and its commit took
// about 0.45 s instead of 0.25 s.
const pageSize = 16384

// createFile makes the empty database file with its page size, which only
// a file's first write sets. It goes through a plain connection: with the
// DSN's pragmas the driver had written the file before page_size ran.
func createFile(ctx context.Context, path string) (err error) {
	defer func() { err = explain(ctx, path, err) }()
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=rw")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, q := range []string{fmt.Sprintf("PRAGMA page_size = %d", pageSize), "PRAGMA journal_mode = WAL"} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return db.Close()
}

// Open opens an existing project for reading and writing, and migrates it
// to the current schema. It never creates a file. A project whose file or
// folder is read-only opens read-only: reads work, writes fail with
// ErrReadOnly.
func Open(ctx context.Context, path string) (*Store, error) {
	return openPath(ctx, path, true)
}

// OpenReadOnly opens an existing project for reading only: it never
// creates, migrates, marks or otherwise writes the file, and works on a
// read-only file or in a read-only folder. Every write fails with ErrReadOnly.
func OpenReadOnly(ctx context.Context, path string) (*Store, error) {
	return openPath(ctx, path, false)
}

func openPath(ctx context.Context, path string, write bool) (s *Store, err error) {
	defer recoverOpen(path, &s, &err)
	if err := checkPath(path); err != nil {
		return nil, err
	}
	s = &Store{path: path, write: write}
	if write {
		s.readOnly = !canWrite(path)
	}
	walBefore, shmBefore := exists(path+"-wal"), exists(path+"-shm")
	st, err := s.connect(ctx, false)
	full := err != nil && isIOErr(err) && diskFull(path)
	if full {
		// SQLite made the WAL's files and then could not grow them: remove
		// what this open made, so a failed open leaves nothing behind.
		s.db.Close()
		removeNew(path, walBefore, shmBefore)
	}
	if err != nil && (canBeFolder(err) || (full && !write)) {
		// A read-only folder: SQLite cannot make the WAL's -shm file; a full
		// disk: it cannot grow it. With no WAL content to read, the file can
		// be read as immutable (no writer can change it: a writer would
		// need those files too, and room on the disk).
		s.db.Close()
		if werr := walPending(path); werr != nil {
			return nil, werr
		}
		s.readOnly = true
		st, err = s.connect(ctx, true)
	}
	if err != nil {
		s.db.Close()
		return nil, explain(ctx, path, err)
	}
	if err := s.checkFile(ctx, st); err != nil {
		s.db.Close()
		return nil, explain(ctx, path, err)
	}
	return s, nil
}

// recoverOpen turns a panic while opening into an error: no panic of a
// damaged file reaches the user.
func recoverOpen(path string, s **Store, err *error) {
	if r := recover(); r != nil {
		if *s != nil && (*s).db != nil {
			(*s).db.Close()
		}
		*s = nil
		*err = fileErr(path, fmt.Errorf("panic: %v", r), fmt.Sprintf("LabelQA failed while opening the project (%v); this is a fault in LabelQA: please report it with this message", r))
	}
}

// checkPath refuses what cannot be a project before SQLite sees it: no
// file, a folder, an empty file, a file that is not SQLite. Nothing is created.
func checkPath(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return remedy.With(fileErr(path, err, "no such project file; check the path, or create the project first", ErrNoProject), remedy.Create(path))
		}
		return fileErr(path, err, fmt.Sprintf("the file cannot be read (%v); check its permissions and those of its folder", PathErrText(err)), ErrIO)
	}
	if st.IsDir() {
		return fileErr(path, nil, "this is a folder, not a project file; choose the .lqa file", ErrNotProject)
	}
	if st.Size() == 0 {
		return remedy.With(fileErr(path, nil, "the file is empty (0 bytes), so it is not a LabelQA project; choose the right file, or create a new project", ErrNotProject, ErrEmptyFile), remedy.Create(""))
	}
	f, err := os.Open(path)
	if err != nil {
		return fileErr(path, err, fmt.Sprintf("the file cannot be read (%v); check its permissions", PathErrText(err)), ErrIO)
	}
	defer f.Close()
	head := make([]byte, 100) // SQLite's database header
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return fileErr(path, err, fmt.Sprintf("the file cannot be read (%v); check the disk and the file's permissions", PathErrText(err)), ErrIO)
	}
	if string(head[:min(n, 16)]) != "SQLite format 3\x00" {
		return fileErr(path, nil, "not a LabelQA project file (it is not a SQLite database); choose a .lqa file LabelQA made", ErrNotProject)
	}
	if n < len(head) {
		return fileErr(path, nil, "the project file is damaged (it ends inside its header); restore it from a backup, or create a new project and import the batch files again", ErrCorrupt)
	}
	return nil
}

// canWrite reports whether the file can be opened for writing (opening it
// so changes nothing).
func canWrite(path string) bool {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

// canBeFolder reports whether a first read failed the way SQLite fails in a
// read-only folder: it cannot open or create the WAL's -shm file.
func canBeFolder(err error) bool {
	var se sqliteCode
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY:
		return true
	}
	return se.Code() == sqlite3.SQLITE_IOERR_SHMOPEN
}

// exists reports whether something is at path (a dangling link too).
func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// isIOErr reports whether err is SQLite's I/O error (any extended code).
func isIOErr(err error) bool {
	var se sqliteCode
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_IOERR
}

// removeNew removes the -wal and -shm files beside path that were not there
// before an open that failed, when the -wal holds nothing.
func removeNew(path string, walBefore, shmBefore bool) {
	if st, err := os.Lstat(path + "-wal"); !walBefore && err == nil && st.Mode().IsRegular() && st.Size() == 0 {
		os.Remove(path + "-wal")
	}
	if !shmBefore && !exists(path+"-wal") {
		if st, err := os.Lstat(path + "-shm"); err == nil && st.Mode().IsRegular() {
			os.Remove(path + "-shm")
		}
	}
}

// walPending refuses the immutable fallback when the -wal file holds changes.
func walPending(path string) error {
	if st, err := os.Stat(path + "-wal"); err == nil && st.Size() > 0 {
		return fileErr(path, nil, fmt.Sprintf("its folder is read-only and %s beside it holds changes not yet written into the project; copy both files to a folder you can write to and open the copy", filepath.Base(path)+"-wal"), ErrReadOnly)
	}
	return nil
}

// fileState is what a project file's header says.
type fileState struct {
	appID, version, tables int64
	journal                string
}

// connect opens the connection and reads the file's state. immutable opens
// it read-only without locks or WAL files (a read-only folder).
func (s *Store) connect(ctx context.Context, immutable bool) (fileState, error) {
	q := url.Values{}
	pragmas := []string{
		fmt.Sprintf("busy_timeout(%d)", busyTimeoutMS),
		"synchronous(NORMAL)",
		"foreign_keys(ON)",
		"cache_size(-16384)", // 16 MiB page cache
	}
	if !s.write {
		pragmas = append(pragmas, "query_only(1)")
	}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	// mode=rw never creates the file. The journal mode is set once the file
	// is known to be a project: setting it first had written into a database
	// of another program, and failed on a read-only file.
	q.Set("mode", "rw")
	if immutable {
		q.Set("mode", "ro")
		q.Set("immutable", "1")
	}
	if s.write {
		// Every write transaction begins IMMEDIATE: it takes the write lock
		// at BEGIN, waiting out another process's write for the busy
		// timeout, instead of failing with SQLITE_BUSY at its first write
		// after reading.
		q.Set("_txlock", "immediate")
	}
	dsn := "file:" + (&url.URL{Path: s.path}).EscapedPath() + "?" + q.Encode()
	var st fileState
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return st, err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	s.db = db
	err = db.QueryRowContext(ctx, `SELECT (SELECT application_id FROM pragma_application_id),
		(SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_schema),
		(SELECT journal_mode FROM pragma_journal_mode)`).Scan(&st.appID, &st.version, &st.tables, &st.journal)
	return st, err
}

// checkFile refuses files that are not projects, or that this build cannot
// read, and (for a writer) migrates the file to the current schema.
func (s *Store) checkFile(ctx context.Context, st fileState) error {
	switch {
	case st.appID == appID:
	case st.appID == 0 && st.tables == 0 && st.version == 0:
		// A SQLite file with nothing in it: a project whose creation was
		// interrupted, or an empty database made by hand. A writer makes
		// it a project.
		if !s.write || s.readOnly {
			return remedy.With(fileErr(s.path, nil, "an empty SQLite database, not a LabelQA project yet; choose the right file, or create a new project", ErrNotProject), remedy.Create(""))
		}
	default:
		return fileErr(s.path, nil, "not a LabelQA project file: it is a SQLite database of another program; choose a .lqa file LabelQA made", ErrNotProject)
	}
	v, n := st.version, int64(SchemaVersion())
	if st.appID == appID && v >= 0 && v <= n {
		if err := s.checkTables(ctx, v); err != nil {
			return err
		}
	}
	switch {
	case v < 0:
		return fileErr(s.path, nil, fmt.Sprintf("the project file is damaged: its schema version is %d, which no LabelQA writes; restore it from a backup, or create a new project and import the batch files again", v), ErrCorrupt)
	case v > n:
		return fileErr(s.path, nil, fmt.Sprintf("the project was made by a newer LabelQA (project schema %d; this LabelQA reads up to %d); upgrade LabelQA to open it", v, n), ErrNewerProject)
	case v < n && (!s.write || s.readOnly):
		if v == 0 && st.appID == appID {
			return fileErr(s.path, nil, "the project's creation did not finish (it holds no tables); create it again", ErrNotProject)
		}
		if s.readOnly {
			return fileErr(s.path, nil, fmt.Sprintf("the project was made by an older LabelQA (project schema %d; this one needs %d) and must be upgraded, but the file or its folder is read-only; copy it to a folder you can write to and open the copy", v, n), ErrOlderProject, ErrReadOnly)
		}
		return fileErr(s.path, nil, fmt.Sprintf("the project was made by an older LabelQA (project schema %d; this one needs %d); it is upgraded when it is next opened for writing (an import), which reading does not do", v, n), ErrOlderProject)
	}
	if !s.write || s.readOnly {
		return nil
	}
	if st.journal != "wal" {
		var mode string
		if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
			return err
		}
	}
	return s.migrate(ctx, v, st.appID != appID)
}

// Close checkpoints the write-ahead log and closes the file.
func (s *Store) Close() error {
	if s == nil || s.db == nil {
		return nil
	}
	if !s.ReadOnly() {
		_, _ = s.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	}
	err := s.db.Close()
	s.db = nil
	return explain(context.Background(), s.path, err)
}

// quickCheckMaxBytes is the largest project checked before a write: PRAGMA
// quick_check reads every page, 0.73 s on a project of 1,010,134 judgments
// (110 MB; 2 busy cores), about 7 ms per MB, so a project of up to 32 MiB
// (some 300,000 judgments) costs a quarter second and larger ones are not
// checked.
const quickCheckMaxBytes = 32 << 20

// checkBeforeWrite refuses to write into a damaged project: the first write
// of an open Store runs PRAGMA quick_check on a project of up to
// quickCheckMaxBytes. A write into a damaged file spreads the damage.
func (s *Store) checkBeforeWrite(ctx context.Context) error {
	if s.checked || s.ReadOnly() {
		return nil
	}
	if st, err := os.Stat(s.path); err != nil || st.Size() > quickCheckMaxBytes {
		return nil
	}
	var res string
	if err := s.db.QueryRowContext(ctx, "PRAGMA quick_check(3)").Scan(&res); err != nil {
		return err
	}
	if res != "ok" {
		first := res // "*** in database main ***\nTree 59 page 62 cell 795: ..."
		for _, l := range strings.Split(res, "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "***") {
				first = l
				break
			}
		}
		return fileErr(s.path, nil, fmt.Sprintf("the project file is damaged (SQLite's check found: %s); nothing was written: restore it from a backup, or create a new project and import the batch files again", clipText(first, 160)), ErrCorrupt)
	}
	s.checked = true
	return nil
}

// clipText cuts s to at most n bytes, on a character boundary, marking the cut.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// IntegrityCheck runs PRAGMA integrity_check and returns its first line ("ok" when sound).
func (s *Store) IntegrityCheck(ctx context.Context) (_ string, err error) {
	defer s.explain(ctx, &err)
	var res string
	err = s.db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res)
	return res, err
}

// IsSQLite reports whether the file at path starts with SQLite's header.
func IsSQLite(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 16)
	if _, err := io.ReadFull(f, head); err != nil {
		return false
	}
	return string(head) == "SQLite format 3\x00"
}

// PathErrText is an *fs.PathError's reason without the operation and path
// the message already names ("open p.lqa: permission denied" -> "permission denied").
func PathErrText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
