package report

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"labelqa/app/core"
)

// writeEveryKind writes every registered kind from the demo project into
// dir, in lang, and returns the files.
func writeEveryKind(t *testing.T, dir string, lang Lang) []string {
	t.Helper()
	in := input(t, lang)
	o, err := in.Project.Overview(context.Background(), core.ByVendor)
	if err != nil || len(o.By[core.ByVendor]) == 0 {
		t.Fatalf("demo vendors: %v", err)
	}
	vendor := o.By[core.ByVendor][0].Key
	var files []string
	for _, k := range Kinds() {
		kin := *in
		kin.Vendor = vendor
		kin.Sample = SampleOptions{Size: 60, Seed: 1, Margin: 0.03, Confidence: 0.95}
		if k == "vendor" {
			kin.Query = core.Query{}.WithinVendor(vendor)
			a, err := in.Project.Analyze(context.Background(), kin.Query, in.Analysis.Options(), nil)
			if err != nil {
				t.Fatal(err)
			}
			kin.Analysis = a
		}
		out := filepath.Join(dir, fmt.Sprintf("%s-%s.xlsx", k, lang))
		if err := Write(context.Background(), k, &kin, out); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		files = append(files, out)
	}
	return files
}

// TestLibreOfficeOpensEveryWorkbook converts every kind of workbook to
// PDF with LibreOffice, headless: a workbook LibreOffice cannot read
// fails. It runs where soffice is installed (make deps-full).
func TestLibreOfficeOpensEveryWorkbook(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice (soffice) is not installed: make deps-full installs it")
	}
	if testing.Short() {
		t.Skip("-short")
	}
	dir := t.TempDir()
	var files []string
	for _, l := range Langs {
		files = append(files, writeEveryKind(t, dir, l)...)
	}
	pdfDir := filepath.Join(dir, "pdf")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	args := append([]string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"), "--headless", "--norestore",
		"--convert-to", "pdf", "--outdir", pdfDir}, files...)
	out, err := exec.CommandContext(ctx, soffice, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	for _, f := range files {
		pdf := filepath.Join(pdfDir, strings.TrimSuffix(filepath.Base(f), ".xlsx")+".pdf")
		st, err := os.Stat(pdf)
		if err != nil || st.Size() < 1000 {
			t.Errorf("LibreOffice did not convert %s: %v\n%s", filepath.Base(f), err, out)
		}
	}
}
