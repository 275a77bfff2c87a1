package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
)

// TestRun checks the golden-set rule (every 20th item in order of first
// appearance, labelled with its first judgment) and that the same rows and
// seed write the same bytes.
func TestRun(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if err := run(dir, 3000, 1); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"batch.csv", "gold.csv"} {
		x, _ := os.ReadFile(filepath.Join(a, name))
		y, _ := os.ReadFile(filepath.Join(b, name))
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Fatalf("%s: %d bytes, not the same bytes twice", name, len(x))
		}
	}
	read := func(name string) [][]string {
		f, err := os.Open(filepath.Join(a, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		r := csv.NewReader(f)
		r.FieldsPerRecord = -1
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows[1:]
	}
	var order []string
	first := map[string]string{}
	batch := read("batch.csv")
	if len(batch) != 3000 {
		t.Fatalf("%d judgments, want 3000", len(batch))
	}
	for _, r := range batch {
		if _, ok := first[r[0]]; !ok {
			first[r[0]] = r[2]
			order = append(order, r[0])
		}
	}
	var want [][]string
	for k := 0; k < len(order); k += 20 {
		want = append(want, []string{order[k], first[order[k]]})
	}
	gold := read("gold.csv")
	if len(gold) != len(want) || len(gold) < 50 {
		t.Fatalf("%d gold items, want %d (of %d items)", len(gold), len(want), len(order))
	}
	for k := range want {
		if gold[k][0] != want[k][0] || gold[k][1] != want[k][1] {
			t.Fatalf("gold row %d = %v, want %v", k+1, gold[k], want[k])
		}
	}
}
