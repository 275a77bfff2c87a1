// Command gencsv writes the input of scripts/compare_python.sh: a canonical
// batch of -rows judgments (demo.WriteCanonicalCSVFile, the generator of
// BenchmarkMetricsFromCSV1M) and a golden set built by the benchmark's rule:
// every 20th item in order of first appearance, gold = the label of its first
// judgment. The same -rows and -seed give the same bytes.
//
//	go run ./scripts/gencsv -rows 1000000 -out /tmp/labelqa-compare
package main

import (
	"bufio"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"labelqa/app/demo"
)

func main() {
	rows := flag.Int("rows", 1_000_000, "judgments to generate")
	seed := flag.Int64("seed", 1, "random seed")
	out := flag.String("out", "", "directory for batch.csv and gold.csv (created)")
	flag.Parse()
	if *out == "" || flag.NArg() != 0 || *rows < 1 {
		fmt.Fprintln(os.Stderr, "usage: gencsv -out DIR [-rows N] [-seed S]")
		os.Exit(2)
	}
	if err := run(*out, *rows, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "gencsv:", err)
		os.Exit(1)
	}
}

func run(dir string, rows int, seed int64) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	batch := filepath.Join(dir, "batch.csv")
	if err := demo.WriteCanonicalCSVFile(batch, rows, seed); err != nil {
		return err
	}
	in, err := os.Open(batch)
	if err != nil {
		return err
	}
	defer in.Close()
	r := csv.NewReader(bufio.NewReaderSize(in, 1<<20))
	r.ReuseRecord = true
	if _, err := r.Read(); err != nil { // header: item_id, annotator_id, label, ...
		return err
	}
	f, err := os.Create(filepath.Join(dir, "gold.csv"))
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "item_id,label")
	seen := map[string]bool{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			f.Close()
			return err
		}
		if seen[rec[0]] {
			continue
		}
		if len(seen)%20 == 0 {
			fmt.Fprintf(w, "%s,%s\n", rec[0], rec[2])
		}
		seen[rec[0]] = true
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
