package ingest

import (
	"errors"
	"fmt"
	"io"
)

// Size limits of text input (docs/FORMATS.md, Limits). They are variables so
// that tests can lower them; nothing else changes them.
var (
	// MaxFieldBytes is the most bytes one value may hold: a CSV, TSV or SSV
	// field, a JSON text read into a field. Item ids, labels and comments are
	// short; long item content belongs in a file named by its path or URL.
	MaxFieldBytes = 16 << 20
	// MaxRecordBytes is the most bytes one record may take: a delimited record
	// (all its lines), a JSONL line, one element of a JSON array (a Label
	// Studio task with all its annotations) or one JSON object.
	MaxRecordBytes = 64 << 20
)

// readChunk is the most one recordCap.Read returns, so that what a reader
// has read ahead past a record is at most this much.
const readChunk = 64 << 10

// errTooLong is returned by recordCap once a record passes MaxRecordBytes.
var errTooLong = errors.New("record over the size limit")

// recordCap fails once more than MaxRecordBytes (plus one chunk a reader may
// have read ahead) went by since mark, which the reader moves at each record.
type recordCap struct {
	r       io.Reader
	n, mark int64
}

func (c *recordCap) Read(p []byte) (int, error) {
	if c.n-c.mark > int64(MaxRecordBytes)+2*readChunk {
		return 0, errTooLong
	}
	if len(p) > readChunk {
		p = p[:readChunk]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// sizeText writes a byte count as the limits are written in docs/FORMATS.md.
func sizeText(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// tooLong is a delimited record or field over its limit: reading stops there.
type tooLong struct {
	line, col int  // where the record starts, and the field (0: unknown)
	field     bool // the field passed MaxFieldBytes (else the record passed MaxRecordBytes)
	after     bool // the record's line is unknown: it comes after line
}

func (e *tooLong) Error() string {
	if e.field {
		return fmt.Sprintf("this field is longer than %s (the limit for one field), so reading stops here; ids, labels and comments are short: keep long item content in a file and give its path or URL instead, and check for a quoted field left open (a missing closing \")", sizeText(MaxFieldBytes))
	}
	what := "this record"
	if e.after {
		what = fmt.Sprintf("a record after line %d", e.line)
	}
	return fmt.Sprintf("%s is longer than %s (the limit for one record), so reading stops here; check for a quoted field left open (a missing closing \"), or split the record", what, sizeText(MaxRecordBytes))
}

// fieldTooLong is the message for one value over MaxFieldBytes (the record is refused, reading goes on).
func fieldTooLong(f field) error {
	return fmt.Errorf("%s is longer than %s (the limit for one field); ids, labels and comments are short: keep long item content in a file and give its path or URL instead", fieldNames[f], sizeText(MaxFieldBytes))
}
