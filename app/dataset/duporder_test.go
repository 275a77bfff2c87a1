package dataset

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"labelqa/app/project"
	"labelqa/app/query"
	"labelqa/app/rules"
	"labelqa/app/store"
)

// TestDuplicateOrderAsImport: under last, a row without a time beats the
// row before it, so the outcome depends on the order repeats meet. An
// import resolves a batch's own repeats first and then meets the earlier
// batches; reading the files must do the same. x at 10:00 in the first
// file, then y without a time and z at 09:00 in the second: the second
// file's winner is z (y has no time, z comes later), and x (10:00) beats
// z. Reading row by row instead kept z.
func TestDuplicateOrderAsImport(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const header = "item_id,annotator_id,label,submitted_at\n"
	cases := []struct {
		name  string
		files []string
	}{
		{"timed then untimed and earlier", []string{
			header + "i1,a1,x,2025-03-10T10:00:00Z\ni2,a1,x,\n",
			header + "i1,a1,y,\ni1,a1,z,2025-03-10T09:00:00Z\ni2,a1,y,2025-03-09T09:00:00Z\ni2,a1,z,\n",
		}},
		{"three files", []string{
			header + "i1,a1,x,2025-03-10T10:00:00Z\n",
			header + "i1,a1,y,2025-03-10T08:00:00Z\ni1,a1,z,\n",
			header + "i1,a1,y,2025-03-10T11:00:00Z\ni1,a1,x,2025-03-10T07:00:00Z\n",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var paths []string
			for i, body := range c.files {
				paths = append(paths, write(c.name+string(rune('a'+i))+".csv", body))
			}
			for _, policy := range rules.DuplicatePolicies[:3] { // last, first, keep
				proj := filepath.Join(dir, c.name+string(policy)+".lqa")
				if err := project.Init(ctx, proj, []string{"x", "y", "z"}, nil); err != nil {
					t.Fatal(err)
				}
				s, err := store.Open(ctx, proj)
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range paths {
					if _, err := project.Import(ctx, s, p, project.ImportOptions{Duplicates: policy}, nil); err != nil {
						t.Fatal(err)
					}
				}
				fromStore, err := FromStore(ctx, s, query.Query{})
				s.Close()
				if err != nil {
					t.Fatal(err)
				}
				fromFiles, err := FromFiles(ctx, paths, "", Options{Duplicates: policy, Labels: []string{"x", "y", "z"}})
				if err != nil {
					t.Fatal(err)
				}
				got, want := judged(fromFiles), judged(fromStore)
				if !slices.Equal(got, want) || fromFiles.Duplicates != fromStore.Duplicates {
					t.Errorf("%s: files keep %v (%d duplicates), the project %v (%d)", policy, got, fromFiles.Duplicates, want, fromStore.Duplicates)
				}
			}
		})
	}
}

// judged lists each judgment as item/annotator=label, in order.
func judged(d *Dataset) []string {
	var out []string
	for j := range d.Item {
		out = append(out, d.Items[d.Item[j]]+"/"+d.Annotators[d.Annotator[j]].ID+"="+d.Labels[d.Label[j]])
	}
	return out
}
