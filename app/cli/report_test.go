package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"labelqa/app/core"
	"labelqa/app/demo"
)

// reportDemo is a small demo project for the report commands.
func reportDemo(t *testing.T) string {
	t.Helper()
	path, _, err := core.CreateDemo(context.Background(), t.TempDir(), demo.Options{Items: 300, Seed: 5}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReportUsage(t *testing.T) {
	p := reportDemo(t)
	out := filepath.Join(t.TempDir(), "r.xlsx")
	for _, args := range [][]string{
		{"report"},
		{"report", "kpi"},
		{"report", "kpi", p},
		{"report", "pie", p, "-o", out},
		{"report", "kpi", p, "-o", out, "--lang", "fr"},
		{"report", "audit", p, "-o", out},
		{"report", "vendor", p, "-o", out},
		{"report", "audit", p, "-o", out, "--vendor", "Fjord Review AS", "--margin", "2"},
		{"report", "audit", p, "-o", out, "--vendor", "Fjord Review AS", "--confidence", "95"},
		{"report", "kpi", p, "-o", out, "--from", "2025-04-01", "--to", "2025-03-01"},
		{"report", "all", p, "-o", out},
	} {
		code, _, stderr := run(t, args...)
		if code != ExitUsage || stderr == "" {
			t.Errorf("labelqa %s: exit %d, stderr %q; want 2 and a message", strings.Join(args, " "), code, stderr)
		}
	}
	empty := filepath.Join(t.TempDir(), "empty.lqa")
	if code, _, stderr := run(t, "init", empty); code != ExitOK {
		t.Fatal(stderr)
	}
	if code, _, stderr := run(t, "report", "kpi", empty, "-o", out); code != ExitFail || !strings.Contains(stderr, "import batch files first") {
		t.Errorf("empty project: exit %d, %q; want 1 and what to do", code, stderr)
	}
	code, _, stderr := run(t, "report", "vendor", p, "-o", out, "--vendor", "Nobody Ltd")
	if code != ExitFail || !strings.Contains(stderr, `"Fjord Review AS"`) {
		t.Errorf("unknown vendor: exit %d, %q; want 1 and the project's vendors", code, stderr)
	}
	for _, args := range [][]string{
		{"report", "kpi", p, "-o", out, "--queue", "nosuch"},
		{"report", "vendor", p, "-o", out, "--vendor", "Nusantara BPO", "--market", "NO"},
		{"report", "audit", p, "-o", out, "--vendor", "Nusantara BPO", "--market", "NO"},
	} {
		code, _, stderr := run(t, args...)
		if code != ExitFail || !strings.Contains(stderr, "labelqa report") {
			t.Errorf("labelqa %s: exit %d, %q; want 1 and what the data hold", strings.Join(args, " "), code, stderr)
		}
	}
	dir := filepath.Join(t.TempDir(), "reports")
	if code, _, _ := run(t, "report", "all", p, "-o", dir, "--vendor", "Nobody Ltd"); code != ExitFail {
		t.Errorf("report all with an unknown vendor: exit %d, want 1", code)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("a refused report all made its folder")
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a refused report wrote a file")
	}
}
