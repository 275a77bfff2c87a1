package cli

import (
	"fmt"
	"strings"

	"labelqa/app/core"
)

// auditImportSchema is the schema of "labelqa audit import --json".
const auditImportSchema = "labelqa.audit-import/v1"

// runAudit is "labelqa audit import PROJECT FILE.xlsx": a filled audit
// sheet (written by "labelqa report audit") read back into the project.
func runAudit(e *env, args []string) int {
	if len(args) == 0 || args[0] != "import" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			fmt.Fprintln(e.stderr, "Usage: "+auditUsage)
			return ExitOK
		}
		fmt.Fprintln(e.stderr, "labelqa audit: want import, for example: labelqa audit import ads.lqa audit.xlsx (write the sheet with labelqa report audit ads.lqa --vendor V -o audit.xlsx)")
		return ExitUsage
	}
	fs := newFlags(e, "audit")
	auditor := fs.String("auditor", "", "who audited (stored with each verdict)")
	asJSON := fs.Bool("json", false, "print one JSON object (schema "+auditImportSchema+")")
	pos, code, ok := parse(e, fs, args[1:])
	if !ok {
		return code
	}
	if len(pos) != 2 {
		fmt.Fprintln(e.stderr, "labelqa audit import: want a project and one filled audit workbook, for example: labelqa audit import ads.lqa audit.xlsx")
		return ExitUsage
	}
	if !strings.EqualFold(fileExt(pos[1]), ".xlsx") {
		fmt.Fprintf(e.stderr, "labelqa audit import: %s is not an .xlsx workbook; import the audit workbook labelqa report audit wrote, once its Audit sheet is filled\n", safeText(quote(pos[1])))
		return ExitUsage
	}
	if code, ok := checkFiles(e, "audit import", pos[1:]); !ok {
		return code
	}
	p, err := core.Open(e.ctx, pos[0])
	if err != nil {
		return report(e, err)
	}
	defer p.Close()
	res, err := p.ImportAudit(e.ctx, pos[1], core.AuditImportOptions{Auditor: *auditor})
	if err != nil {
		if _, ok := err.(*core.AuditCellErrors); ok {
			fmt.Fprintln(e.stderr, "labelqa audit import: nothing was stored; correct these cells and import the file again:")
		}
		return report(e, err)
	}
	if *asJSON {
		if err := writeJSON(e.stdout, struct {
			Schema    string `json:"schema"`
			File      string `json:"file"`
			Rows      int    `json:"rows"`
			Audited   int    `json:"audited"`
			Correct   int    `json:"correct"`
			Incorrect int    `json:"incorrect"`
			Unclear   int    `json:"unclear"`
			Skipped   int    `json:"not_audited"`
		}{auditImportSchema, res.File, res.Rows, res.Audited, res.Correct, res.Incorrect, res.Unclear, res.Skipped}); err != nil {
			return report(e, err)
		}
		return ExitOK
	}
	fmt.Fprintf(e.stdout, "%s: %s stored (%s correct, %s incorrect, %s unclear)", safeText(pos[1]), count(res.Audited, "verdict", "verdicts"),
		thousands(res.Correct), thousands(res.Incorrect), thousands(res.Unclear))
	if res.Skipped > 0 {
		fmt.Fprintf(e.stdout, "; %s not audited yet", count(res.Skipped, "row", "rows"))
	}
	fmt.Fprintln(e.stdout)
	return ExitOK
}

const auditUsage = "labelqa audit import PROJECT.lqa FILE.xlsx [--auditor NAME] [--json]"

// fileExt is path's extension ("" when none).
func fileExt(path string) string {
	i := strings.LastIndexByte(path, '.')
	if i < 0 || strings.ContainsAny(path[i:], `/\`) {
		return ""
	}
	return path[i:]
}
