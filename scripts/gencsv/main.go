// Command gencsv writes the canonical benchmark batch (demo.WriteCanonicalCSV)
// for scripts/import_vs_sqlite.sh: gencsv FILE [ROWS [SEED]].
package main

import (
	"fmt"
	"os"
	"strconv"

	"labelqa/app/demo"
)

func main() {
	if len(os.Args) < 2 || len(os.Args) > 4 {
		fmt.Fprintln(os.Stderr, "usage: gencsv FILE [ROWS [SEED]]")
		os.Exit(2)
	}
	rows, seed := 1_000_000, int64(1)
	var err error
	if len(os.Args) > 2 {
		if rows, err = strconv.Atoi(os.Args[2]); err != nil || rows < 0 {
			fmt.Fprintf(os.Stderr, "gencsv: rows %q: want a whole number\n", os.Args[2])
			os.Exit(2)
		}
	}
	if len(os.Args) > 3 {
		if seed, err = strconv.ParseInt(os.Args[3], 10, 64); err != nil {
			fmt.Fprintf(os.Stderr, "gencsv: seed %q: want a whole number\n", os.Args[3])
			os.Exit(2)
		}
	}
	if err := demo.WriteCanonicalCSVFile(os.Args[1], rows, seed); err != nil {
		fmt.Fprintln(os.Stderr, "gencsv:", err)
		os.Exit(1)
	}
}
