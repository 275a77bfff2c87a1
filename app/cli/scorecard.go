package cli

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"labelqa/app/core"
	"labelqa/app/csvsafe"
	"labelqa/app/metrics"
)

// runScorecard is "labelqa scorecard": per-reviewer scorecards, or rolled
// up by vendor, team, queue, market, SOP version or ISO week.
func runScorecard(e *env, args []string) int {
	fs := newFlags(e, "scorecard")
	var m metricsFlags
	var by byFlag
	var asJSON, asCSV bool
	m.register(fs)
	fs.Var(&by, "by", "one card per `group`: "+strings.Join(metrics.ByKeys, ", ")+" (default reviewer)")
	fs.BoolVar(&asJSON, "json", false, "print one JSON object (schema labelqa.scorecard/v1)")
	fs.BoolVar(&asCSV, "csv", false, "print CSV, one row per card")
	pos, code, ok := parse(e, fs, args)
	if !ok {
		return code
	}
	if len(pos) == 0 {
		fmt.Fprintln(e.stderr, "labelqa scorecard: want a project or batch files, for example: labelqa scorecard ads.lqa --by vendor")
		return ExitUsage
	}
	if asJSON && asCSV {
		fmt.Fprintln(e.stderr, "labelqa scorecard: give --json or --csv, not both")
		return ExitUsage
	}
	opts, err := m.options()
	if err != nil {
		fmt.Fprintf(e.stderr, "labelqa scorecard: %s\n", safeText(err.Error()))
		return ExitUsage
	}
	d, _, code, ok := m.load(e, "scorecard", pos, false)
	if !ok {
		return code
	}
	a, err := core.AnalyzeData(e.ctx, d, opts, nil)
	if err != nil {
		return report(e, err)
	}
	rep, err := a.Scorecards(by.b)
	if err != nil {
		return report(e, err)
	}
	switch {
	case asJSON:
		err = writeJSON(e.stdout, rep)
	case asCSV:
		err = writeScorecardCSV(e.rawStdout, rep, isTerminal(e.rawStdout))
	default:
		printScorecard(e.stdout, rep)
	}
	if err != nil {
		return report(e, err)
	}
	return ExitOK
}

// scorecardColumns are the CSV header after the key column (named after
// --by) and, with --by reviewer, the reviewer's vendor. An undefined value
// is an empty cell.
var scorecardColumns = []string{
	"reviewers", "annotations", "gold_annotations",
	"gold_accuracy", "gold_accuracy_ci_low", "gold_accuracy_ci_high",
	"over_enforcement", "over_enforcement_ci_low", "over_enforcement_ci_high",
	"under_enforcement", "under_enforcement_ci_low", "under_enforcement_ci_high",
	"agreement_with_majority", "dawid_skene_accuracy",
	"median_duration_s", "p90_duration_s", "units_per_hour",
	"qa_reviewed", "overturn_rate", "overturn_rate_ci_low", "overturn_rate_ci_high",
}

func cell(f metrics.Float) string {
	if !f.OK() {
		return ""
	}
	return strconv.FormatFloat(float64(f), 'g', -1, 64)
}

// writeScorecardCSV writes the cards with encoding/csv (RFC 4180 quoting).
// The key and vendor came from input files: csvsafe.Text keeps a value such
// as =HYPERLINK(...) from becoming a live formula in a spreadsheet. The
// figures are numbers the product computed and are written as they are.
// CSV is data, so control characters in text are kept, except on a
// terminal (tty), where they are escaped as in the text output.
func writeScorecardCSV(w io.Writer, rep *metrics.ScorecardReport, tty bool) error {
	text := csvsafe.Text
	if tty {
		text = func(s string) string { return csvsafe.Text(safeText(s)) }
	}
	cw := csv.NewWriter(w)
	perReviewer := rep.By == "reviewer"
	header := []string{rep.By}
	if perReviewer {
		header = append(header, "vendor")
	}
	header = append(header, scorecardColumns...)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, c := range rep.Cards {
		iv := func(i metrics.Interval) []string { return []string{cell(i.Value), cell(i.CILow), cell(i.CIHigh)} }
		row := []string{text(c.Key)}
		if perReviewer {
			row = append(row, text(c.Vendor))
		}
		row = append(row, strconv.Itoa(c.Reviewers), strconv.Itoa(c.Annotations), strconv.Itoa(c.GoldAnnotations))
		row = append(row, iv(c.GoldAccuracy)...)
		row = append(row, iv(c.OverEnforcement)...)
		row = append(row, iv(c.UnderEnforcement)...)
		row = append(row, cell(c.AgreementWithMajority), cell(c.DSAccuracy), cell(c.MedianDuration), cell(c.P90Duration), cell(c.UnitsPerHour),
			strconv.FormatFloat(c.Overturn.N, 'g', -1, 64))
		row = append(row, iv(c.Overturn)...)
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func printScorecard(w io.Writer, rep *metrics.ScorecardReport) {
	if len(rep.Cards) == 0 {
		if rep.By == "week" {
			fmt.Fprintln(w, "No judgments with a submission time (--by week groups by submitted_at).")
		} else {
			fmt.Fprintln(w, "No judgments yet: import a batch (labelqa import PROJECT.lqa FILE).")
		}
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := rep.By
	if rep.By == "reviewer" {
		head += "\tvendor"
	}
	fmt.Fprintf(tw, "%s\tannotations\tgold acc. [95%% CI] (n)\tover-enf.\tunder-enf.\tagree w/ majority\tDS acc.\tmedian s\tp90 s\tunits/h\t2RQA overturn (n)\n", head)
	for _, c := range rep.Cards {
		key := groupKeyText(c.Key)
		if rep.By == "reviewer" {
			key += "\t" + safeText(c.Vendor)
		}
		acc := "n/a"
		if c.GoldAccuracy.Value.OK() {
			acc = fmt.Sprintf("%s %s (%s)", pct(c.GoldAccuracy.Value), pctInterval(c.GoldAccuracy), thousands(c.GoldAnnotations))
		}
		over := "n/a"
		if c.Overturn.Value.OK() {
			over = fmt.Sprintf("%s %s (%s)", pct(c.Overturn.Value), pctInterval(c.Overturn), thousands(int(c.Overturn.N)))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", key, thousands(c.Annotations), acc,
			pct(c.OverEnforcement.Value), pct(c.UnderEnforcement.Value), pct(c.AgreementWithMajority), pct(c.DSAccuracy),
			oneDecimal(c.MedianDuration), oneDecimal(c.P90Duration), oneDecimal(c.UnitsPerHour), over)
	}
	tw.Flush()
}

func oneDecimal(f metrics.Float) string {
	if !f.OK() {
		return "n/a"
	}
	return fmt.Sprintf("%.1f", float64(f))
}

// groupKeyText shows a scorecard's key: (none) for the judgments that leave
// it empty, and a key that reads "(none)" quoted, so the two never look alike.
func groupKeyText(k string) string {
	switch k {
	case "":
		return "(none)"
	case "(none)":
		return quote(k)
	}
	return safeText(k)
}
