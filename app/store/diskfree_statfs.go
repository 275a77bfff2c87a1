//go:build linux || darwin || freebsd || netbsd || openbsd

package store

import "syscall"

// statfsFree is the space free to this user on the file system of dir.
func statfsFree(dir string) (uint64, bool) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, false
	}
	return uint64(st.Bavail) * uint64(st.Bsize), true
}
