//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package store

// statfsFree is unknown here: an I/O error is reported as one.
func statfsFree(string) (uint64, bool) { return 0, false }
