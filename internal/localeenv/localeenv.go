// Package localeenv works around a Fyne start-up message. Fyne's lang
// package reads the locale while the program initialises and, for the
// common "C.UTF-8" locale (Debian's default in containers and CI), logs
// "Fyne error: Error parsing user locale C" to stderr — before main runs,
// so even headless commands print it. "C" and "POSIX" alone are understood
// (as no locale), so this package rewrites a C/POSIX locale with a codeset
// suffix to plain "C" in the process's own environment.
//
// It is its own module, named a.labelqa/localeenv, because Go initialises
// packages in import-path order once their imports are ready: this path
// sorts before fyne.io/..., so its init runs first. main imports it for
// that side effect only.
package localeenv

import (
	"os"
	"strings"
)

func init() {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(name)
		if v == "" {
			continue
		}
		base, _, _ := strings.Cut(v, ".")
		if (base == "C" || base == "POSIX") && v != base {
			os.Setenv(name, base)
		}
		return // the first one set is the one in force
	}
}
