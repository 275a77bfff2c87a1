package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	sqlite3 "modernc.org/sqlite/lib"
)

// Failures of the project file itself, which the CLI and the workbench tell
// apart with errors.Is. Every error the store returns passes through explain
// (at each exported function and method), so a SQLite result code never
// reaches the user as "database or disk is full (13)": the error names the
// project file, says what happened and what to do, and matches one of these.
var (
	// ErrDiskFull: the disk (or the temporary folder's disk) is full.
	ErrDiskFull = errors.New("the disk is full")
	// ErrLocked: another process (a second import, another LabelQA window)
	// holds the project's write lock longer than the busy timeout.
	ErrLocked = errors.New("another program is writing the project")
	// ErrReadOnly: the project file or its folder cannot be written.
	ErrReadOnly = errors.New("the project cannot be written")
	// ErrCorrupt: the file says it is a project but its pages are damaged.
	ErrCorrupt = errors.New("the project file is damaged")
	// ErrIO: the operating system failed to read or write the file (a disk
	// or network-drive fault, the file moved or deleted while open).
	ErrIO = errors.New("the project file could not be read or written")
	// ErrOutOfMemory: SQLite ran out of memory.
	ErrOutOfMemory = errors.New("out of memory")
	// ErrEmptyFile: a 0-byte file where a project was expected. It also
	// matches ErrNotProject.
	ErrEmptyFile = errors.New("the file is empty")
)

// FileError is a failure of the project file: Path names the file, Error()
// reads "PATH: what happened; what to do", errors.Is matches its kinds
// (ErrDiskFull, ErrNotProject, ...), and Unwrap gives the underlying error
// (a *sqlite.Error, an *os.PathError, context.Canceled).
type FileError struct {
	Path  string
	Msg   string
	Kinds []error
	Err   error
}

func (e *FileError) Error() string { return e.Path + ": " + e.Msg }

// Unwrap gives the underlying error.
func (e *FileError) Unwrap() error { return e.Err }

// Is matches the error's kinds.
func (e *FileError) Is(target error) bool {
	for _, k := range e.Kinds {
		if k == target {
			return true
		}
	}
	return false
}

func fileErr(path string, err error, msg string, kinds ...error) *FileError {
	return &FileError{Path: path, Msg: msg, Kinds: kinds, Err: err}
}

// sqliteCode is what *sqlite.Error offers (its extended result code); an
// interface, so tests can construct errors with any code.
type sqliteCode interface{ Code() int }

// unchanged ends the message of a failed operation: every write the store
// makes is one transaction, which SQLite rolls back when any part fails.
const unchanged = " — the project is unchanged"

// explain turns err into the error the store returns: nil stays nil, an
// error already explained or a problem of the input (an *inputerr.Error, a
// refused duplicate) is returned as it is, a cancelled ctx wraps ctx.Err(),
// and a SQLite error becomes a *FileError naming path and saying what to do.
func explain(ctx context.Context, path string, err error) error {
	if err == nil {
		return nil
	}
	var fe *FileError
	if errors.As(err, &fe) {
		return err
	}
	var se sqliteCode
	isSQLite := errors.As(err, &se)
	// Once ctx is done, database/sql rolls the transaction back and later
	// calls fail with sql.ErrTxDone or the like: those are the cancellation.
	if ctx != nil && ctx.Err() != nil && (!isSQLite || se.Code()&0xff == sqlite3.SQLITE_INTERRUPT) {
		return fileErr(path, ctx.Err(), "cancelled"+unchanged, ctx.Err())
	}
	if !isSQLite {
		return err
	}
	return explainCode(path, se.Code(), se.(error), err)
}

// explainCode maps a SQLite result code (primary or extended) to its
// message; sqlErr is the SQLite error, err the error that wraps it.
func explainCode(path string, code int, sqlErr, err error) error {
	switch code & 0xff {
	case sqlite3.SQLITE_FULL:
		return fileErr(path, err, "the disk is full; free some space and try again"+unchanged, ErrDiskFull)
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return fileErr(path, err, "another import (or another LabelQA window) is writing this project; wait for it to finish and try again"+unchanged, ErrLocked)
	case sqlite3.SQLITE_READONLY:
		if code == sqlite3.SQLITE_READONLY_DBMOVED {
			return fileErr(path, err, "the project file was moved, renamed or deleted while it was open; open it again from where it is now"+unchanged, ErrIO)
		}
		return fileErr(path, err, "the project cannot be written: the file or its folder is read-only; copy it to a folder you can write to, or make it writable, and try again"+unchanged, ErrReadOnly)
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return fileErr(path, err, "the project file is damaged (SQLite: "+sqliteText(sqlErr)+"); restore it from a backup, or create a new project and import the batch files again", ErrCorrupt)
	case sqlite3.SQLITE_IOERR:
		if code == sqlite3.SQLITE_IOERR_NOMEM {
			return fileErr(path, err, "out of memory; close other programs and try again"+unchanged, ErrOutOfMemory)
		}
		if diskFull(path) {
			// SQLite reports a full disk as an I/O error where it grows
			// the WAL's -shm file or maps it: the disk is the cause.
			return fileErr(path, err, "the disk is full (less than 1 MiB free on the project's drive); free some space and try again"+unchanged, ErrDiskFull, ErrIO)
		}
		return fileErr(path, err, "reading or writing the file failed (SQLite: "+sqliteText(sqlErr)+"); check the disk or network drive, and that the file is still there, then try again", ErrIO)
	case sqlite3.SQLITE_CANTOPEN:
		return fileErr(path, err, "the file cannot be opened; check that it and its folder exist and that you may read and write them", ErrIO)
	case sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH:
		return fileErr(path, err, "permission denied; check that you may read and write the file and its folder", ErrReadOnly)
	case sqlite3.SQLITE_NOMEM:
		return fileErr(path, err, "out of memory; close other programs and try again"+unchanged, ErrOutOfMemory)
	case sqlite3.SQLITE_INTERRUPT:
		return fileErr(path, context.Canceled, "cancelled"+unchanged, context.Canceled)
	}
	// Anything else (a constraint, a SQL error) is a fault of LabelQA, not
	// of the user's file or disk.
	return fileErr(path, err, fmt.Sprintf("%v%s; this is a fault in LabelQA: please report it with this message", sqliteText(err), unchanged))
}

// sqliteText is a SQLite error's message without the driver's code suffix
// ("database disk image is malformed (11)" -> "database disk image is malformed").
func sqliteText(err error) string {
	s := err.Error()
	s = strings.TrimSuffix(s, " (SQLITE_BUSY)")
	if i := strings.LastIndex(s, " ("); i > 0 && strings.HasSuffix(s, ")") {
		if _, ok := parseInt(s[i+2 : len(s)-1]); ok {
			s = s[:i]
		}
	}
	return s
}

func parseInt(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// explain is the store's boundary: exported methods end with
// defer s.explain(ctx, &err).
func (s *Store) explain(ctx context.Context, err *error) {
	*err = explain(ctx, s.path, *err)
}

// fullBelow is the free space under which an I/O error is taken for a full
// disk: a write of the project needs pages of 16 KiB and the -shm file's 32 KiB.
const fullBelow = 1 << 20

// freeSpace is the space free on the file system of dir (ok false: unknown);
// tests replace it.
var freeSpace = statfsFree

// diskFull reports whether the project file's drive is (nearly) full.
func diskFull(path string) bool {
	free, ok := freeSpace(filepath.Dir(path))
	return ok && free < fullBelow
}
