package project

import (
	"labelqa/app/query"

	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"labelqa/app/store"
)

// TestImportErrorCategoryRootCause: a batch file's error_category and
// root_cause columns (here under their synonyms error_type and rca, one row
// leaving them empty) are stored with each judgment and read back.
func TestImportErrorCategoryRootCause(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	csv := filepath.Join(dir, "rca.csv")
	text := "item_id,annotator_id,label,error_type,rca\n" +
		"ad1,ann1,scam,missed_violation,sop_ambiguity\n" +
		"ad1,ann2,approve,,\n" +
		"ad2,ann1,adult,wrong_class,training_gap\n"
	if err := os.WriteFile(csv, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	s := newStore(t, dir)
	if _, err := Import(ctx, s, csv, ImportOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := s.EachAnnotation(ctx, query.Query{}, func(a *store.Annotation) error {
		got = append(got, a.ErrorCategory+"/"+a.RootCause)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if want := "missed_violation/sop_ambiguity,/,wrong_class/training_gap"; strings.Join(got, ",") != want {
		t.Fatalf("error_category/root_cause read back %q, want %q", strings.Join(got, ","), want)
	}
}
