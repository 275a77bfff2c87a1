// Package refdata checks the copies of the shared reference data sets that
// the published-value tests read from their package's testdata/reference
// (app/metrics, analysis/agreement, analysis/gold): each folder holds
// exactly the files its README lists, with the SHA-256 the README gives,
// so the copies cannot drift apart unnoticed. Only tests import it.
package refdata

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// CheckCopies fails t for every file of dir that its README.md does not
// list, or whose SHA-256 differs from the README's, and for listed files
// that are missing.
func CheckCopies(t testing.TB, dir string) {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^([0-9a-f]{64})  (\S+)$`).FindAllStringSubmatch(string(readme), -1) {
		want[m[2]] = m[1]
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, e := range entries {
		if e.Name() == "README.md" {
			continue
		}
		sum, ok := want[e.Name()]
		if !ok {
			t.Errorf("%s: not listed in README.md", e.Name())
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.Sum256(b)
		if got := hex.EncodeToString(h[:]); got != sum {
			t.Errorf("%s: SHA-256 %s, README.md says %s (the copy was edited?)", e.Name(), got, sum)
		}
		seen++
	}
	if seen != len(want) {
		t.Errorf("README.md lists %d files, %d are here", len(want), seen)
	}
}
