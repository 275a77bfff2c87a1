package cli

import (
	"fmt"

	"labelqa/app/core"
	"labelqa/app/demo"
)

func runDemo(e *env, args []string) int {
	fs := newFlags(e, "demo")
	items := fs.Int("items", demo.DefaultItems, "number of live items to generate")
	seed := fs.Int64("seed", 1, "random seed; the same seed writes the same files")
	pos, code, ok := parse(e, fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "labelqa demo: want one directory, for example: labelqa demo /tmp/labelqa-demo")
		return ExitUsage
	}
	if *items < 1 || *items > demo.MaxItems {
		fmt.Fprintf(e.stderr, "labelqa demo: --items must be between 1 and %d\n", demo.MaxItems)
		return ExitUsage
	}
	proj, res, err := core.CreateDemo(e.ctx, pos[0], demo.Options{Items: *items, Seed: *seed}, nil)
	if err != nil {
		return report(e, err)
	}
	fmt.Fprintf(e.stdout, "wrote %d batch files and %d golden-set files under %s: %s\nproject: %s\n",
		len(res.Batches), len(res.Gold), pos[0], res.Summary(), proj)
	return ExitOK
}
