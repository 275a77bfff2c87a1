package cli

import (
	"errors"
	"fmt"
	"strings"

	"labelqa/app/core"
)

// ExportSchema names the JSON of "labelqa export --json".
const ExportSchema = "labelqa.export/v1"

// runExport is "labelqa export PROJECT --vendor V -o V.lqa": a project of
// one vendor's part, for that vendor's lead (core.Project.ExportVendor).
func runExport(e *env, args []string) int {
	fs := newFlags(e, "export")
	vendor := fs.String("vendor", "", "the vendor whose part is exported (required; letter case counts)")
	out := fs.String("o", "", "the project file to write (required), for example Vendor.lqa")
	format := fs.String("format", "lqa", "what to write: lqa (a LabelQA project)")
	asJSON := fs.Bool("json", false, "print what was written as JSON ("+ExportSchema+")")
	pos, code, ok := parse(e, fs, args)
	if !ok {
		return code
	}
	switch {
	case len(pos) != 1:
		fmt.Fprintln(e.stderr, "labelqa export: want one project, for example: labelqa export project.lqa --vendor \"Fjord Review AS\" -o fjord.lqa")
		return ExitUsage
	case strings.TrimSpace(*vendor) == "":
		fmt.Fprintln(e.stderr, "labelqa export: name the vendor with --vendor; its reviewers' judgments are what the export holds")
		return ExitUsage
	case *out == "":
		fmt.Fprintln(e.stderr, "labelqa export: name the file to write with -o, for example -o vendor.lqa")
		return ExitUsage
	case *format != "lqa":
		fmt.Fprintf(e.stderr, "labelqa export: --format %s is not available; this LabelQA writes --format lqa (a project file) only\n", quote(*format))
		return ExitUsage
	}
	p, err := core.OpenReadOnly(e.ctx, pos[0])
	if err != nil {
		return report(e, err)
	}
	defer p.Close()
	res, err := p.ExportVendor(e.ctx, *vendor, *out)
	if err != nil {
		if errors.Is(err, core.ErrNoVendor) || errors.Is(err, core.ErrExportOverSource) {
			fmt.Fprintf(e.stderr, "labelqa export: %s\n", safeText(errText(err)))
			return ExitFail
		}
		return report(e, err)
	}
	if *asJSON {
		if err := writeJSON(e.stdout, struct {
			Schema string `json:"schema"`
			core.ExportResult
		}{ExportSchema, res}); err != nil {
			return report(e, err)
		}
		return ExitOK
	}
	fmt.Fprintf(e.stdout, "wrote %s: vendor %s only: %d judgments by %d reviewers on %d items from %d batches; golden answers of %d practice items (%d gold items still in use withheld); %d audits, %d root-cause tags, %d targets; %d values redacted\n",
		res.Path, quote(res.Vendor), res.Annotations, res.Annotators, res.Items, res.Batches, res.GoldItems, res.WithheldGold, res.Audits, res.Tags, res.Targets, res.Redacted)
	return ExitOK
}
