package gold

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestReferenceCopies checks that testdata/reference holds exactly the files
// its README lists, with the SHA-256 it gives: those of the shared reference
// collection, so the copies in app/metrics, analysis/agreement and
// analysis/gold cannot drift apart unnoticed.
func TestReferenceCopies(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(refDir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^([0-9a-f]{64})  (\S+)$`).FindAllStringSubmatch(string(readme), -1) {
		want[m[2]] = m[1]
	}
	entries, err := os.ReadDir(refDir)
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
		b, err := os.ReadFile(filepath.Join(refDir, e.Name()))
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
