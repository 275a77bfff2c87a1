package metrics

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"labelqa/app/dataset"
	"labelqa/app/project"
	"labelqa/app/query"
	"labelqa/app/store"
)

const orderBatch = "item_id,annotator_id,label\na,x,scam\na,y,approve\nb,x,adult\nb,y,adult\nc,x,approve\nc,y,scam\n"

// Ordinal and weighted measures on labels whose order nobody declared
// warn, naming the order used; the warning is in the report (JSON
// "warnings") so every front end shows it.
func TestOrderWarning(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	batch := filepath.Join(dir, "b.csv")
	os.WriteFile(batch, []byte(orderBatch), 0o644)
	numeric := filepath.Join(dir, "n.csv")
	os.WriteFile(numeric, []byte("item_id,annotator_id,label\na,x,1\na,y,2\nb,x,3\nb,y,3\n"), 0o644)
	files := func(path string, labels ...string) *dataset.Dataset {
		d, err := dataset.FromFiles(ctx, []string{path}, "", dataset.Options{Labels: labels})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	proj := func(name string, labels []string, batches ...string) *dataset.Dataset {
		p := filepath.Join(dir, name)
		if err := project.Init(ctx, p, labels, nil); err != nil {
			t.Fatal(err)
		}
		s, err := store.Open(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		for _, b := range batches {
			if _, err := project.Import(ctx, s, b, project.ImportOptions{AddLabels: true}, nil); err != nil {
				t.Fatal(err)
			}
		}
		d, err := dataset.FromStore(ctx, s, query.Query{})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	later := filepath.Join(dir, "later.csv")
	os.WriteFile(later, []byte("item_id,annotator_id,label\nd,x,abuse\nd,y,scam\n"), 0o644)

	const sorted = "labels have no declared order; "
	for _, c := range []struct {
		name string
		d    *dataset.Dataset
		opts Options
		want string // "" for no warning, else the exact text
	}{
		{"files, level ordinal", files(batch), named("", "ordinal"),
			sorted + "Krippendorff's alpha at the ordinal level use the sorted order adult < approve < scam; declare the label order to change it"},
		{"files, quadratic weights", files(batch), named("quadratic", ""),
			sorted + "quadratic weights use the sorted order adult < approve < scam; declare the label order to change it"},
		{"files, both", files(batch), named("linear", "interval"),
			sorted + "linear weights and Krippendorff's alpha at the interval level use the sorted order adult < approve < scam; declare the label order to change it"},
		{"files, nominal", files(batch), named("", "nominal"), ""},
		{"files, unweighted", files(batch), Options{}, ""},
		{"files, identity weights", files(batch), named("none", ""), ""},
		{"files, declared", files(batch, "approve", "scam", "adult"), named("", "ordinal"), ""},
		{"files, partly declared", files(batch, "approve"), named("ordinal", ""),
			"labels adult, scam have no declared place in the label order; ordinal weights put them after the declared labels: approve < adult < scam; declare every label's place to change it"},
		{"files, numeric labels", files(numeric), named("quadratic", "ordinal"), ""},
		{"project declared", proj("decl.lqa", []string{"scam", "adult", "approve"}, batch), named("", "ordinal"), ""},
		{"project never declared", proj("none.lqa", nil, batch), named("", "ordinal"),
			sorted + "Krippendorff's alpha at the ordinal level use the sorted order adult < approve < scam; declare the label order to change it"},
		{"project, label added after the declared ones", proj("added.lqa", []string{"scam", "adult", "approve"}, batch, later), named("quadratic", ""),
			"label abuse has no declared place in the label order; quadratic weights put it after the declared labels: scam < adult < approve < abuse; declare every label's place to change it"},
		// Known limit: a project that was never declared and whose labels
		// came over two imports (adult < approve < scam, then abuse) is in
		// an order that is not sorted, indistinguishable from a project
		// declared before LabelQA recorded declarations: no warning.
		{"project never declared, two imports", proj("two.lqa", nil, batch, later), named("", "ordinal"), ""},
	} {
		rep, err := Compute(ctx, c.d, c.opts)
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(rep.Warnings, "\n")
		if got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
		if w := OrderWarning(c.d, c.opts); w != c.want {
			t.Errorf("%s: OrderWarning %q", c.name, w)
		}
	}
}
