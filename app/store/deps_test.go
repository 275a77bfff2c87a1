package store

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestStoreDoesNotImportReaders: import is a use case of the core
// (app/project drives the readers and the writer), so the store depends on
// neither app/ingest nor anything above it; app/rules and app/targets are
// leaves and
// app/inputerr imports only app/remedy.
func TestStoreDoesNotImportReaders(t *testing.T) {
	for pkg, allowed := range map[string][]string{
		"labelqa/app/store":    {"labelqa/app/store", "labelqa/app/rules", "labelqa/app/targets", "labelqa/app/inputerr", "labelqa/app/remedy", "labelqa/app/query"},
		"labelqa/app/targets":  {"labelqa/app/targets"},
		"labelqa/app/rules":    {"labelqa/app/rules"},
		"labelqa/app/inputerr": {"labelqa/app/inputerr", "labelqa/app/remedy"},
	} {
		out, err := exec.Command("go", "list", "-deps", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		for _, d := range strings.Fields(string(out)) {
			if strings.HasPrefix(d, "labelqa/") && !slices.Contains(allowed, d) {
				t.Errorf("%s depends on %s", pkg, d)
			}
		}
	}
}
