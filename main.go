// Command labelqa is the LabelQA workbench. With no arguments (or a project
// path) it opens the desktop window; with a subcommand it runs headless.
package main

import (
	"os"
	"strings"

	_ "a.labelqa/localeenv" // must initialise before Fyne: see its doc
	"fyne.io/fyne/v2/app"

	"labelqa/app/cli"
	"labelqa/ui"
)

func main() {
	args := os.Args[1:]
	if len(args) == 0 || (len(args) == 1 && strings.HasSuffix(strings.ToLower(args[0]), ".lqa")) {
		var project string
		if len(args) == 1 {
			project = args[0]
		}
		a := app.NewWithID("io.labelqa.workbench")
		w := a.NewWindow("LabelQA")
		ui.New(a, w, project)
		w.ShowAndRun()
		return
	}
	os.Exit(cli.Run(args, os.Stdin, os.Stdout, os.Stderr))
}
