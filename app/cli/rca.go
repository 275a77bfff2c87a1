package cli

import (
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"labelqa/app/core"
	"labelqa/app/rules"
)

// RCASchema is the schema of "labelqa rca list --json".
const RCASchema = "labelqa.rca/v1"

const rcaUsage = "labelqa rca tag PROJECT --item ID [--annotator A] --cause CAUSE [--note TEXT] | labelqa rca untag PROJECT --item ID [--annotator A] [--cause CAUSE] | labelqa rca list PROJECT [--json] [--vendor V] [--queue Q] [--market M] [--from DATE] [--to DATE]"

// runRCA is "labelqa rca tag|list": the root-cause tags of RCA.
func runRCA(e *env, args []string) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") && args[0] != "-h" && args[0] != "--help" && args[0] != "-help" {
		fmt.Fprintln(e.stderr, "labelqa rca: want tag, untag or list, for example: labelqa rca tag ads.lqa --item ad-1 --cause sop_ambiguity")
		return ExitUsage
	}
	switch args[0] {
	case "tag":
		return runRCATag(e, args[1:])
	case "list":
		return runRCAList(e, args[1:])
	case "untag":
		return runRCAUntag(e, args[1:])
	case "-h", "--help", "-help":
		fmt.Fprintf(e.stderr, "Usage: %s\n\nCauses: %s\n", rcaUsage, strings.Join(core.RootCauses(), ", "))
		return ExitOK
	}
	fmt.Fprintf(e.stderr, "labelqa rca: unknown subcommand %s; use tag, untag or list\n", quote(args[0]))
	return ExitUsage
}

func runRCATag(e *env, args []string) int {
	fs := newFlags(e, "rca")
	var item, annotator, cause, note string
	fs.StringVar(&item, "item", "", "the item's id in the batch files (required)")
	fs.StringVar(&annotator, "annotator", "", "tag this annotator's judgment of the item (default: the whole item)")
	fs.StringVar(&cause, "cause", "", "the root cause: "+strings.Join(core.RootCauses(), ", ")+" (required)")
	fs.StringVar(&note, "note", "", "a note on the tag")
	pos, code, ok := parse(e, fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "labelqa rca tag: want one project, for example: labelqa rca tag ads.lqa --item ad-1 --cause sop_ambiguity")
		return ExitUsage
	}
	if strings.TrimSpace(item) == "" {
		fmt.Fprintln(e.stderr, "labelqa rca tag: --item is required: name the item's id as the batch files give it")
		return ExitUsage
	}
	if strings.TrimSpace(cause) == "" {
		fmt.Fprintf(e.stderr, "labelqa rca tag: --cause is required: one of %s\n", strings.Join(core.RootCauses(), ", "))
		return ExitUsage
	}
	if _, err := rules.ParseRootCause(cause); err != nil {
		fmt.Fprintf(e.stderr, "labelqa rca tag: --cause: %s\n", safeText(err.Error()))
		return ExitUsage
	}
	p, err := core.Open(e.ctx, pos[0])
	if err != nil {
		return report(e, err)
	}
	defer p.Close()
	t, err := p.AddTag(e.ctx, core.Tag{Item: item, Annotator: annotator, Cause: cause, Note: note})
	if err != nil {
		if errors.Is(err, core.ErrNoItem) || errors.Is(err, core.ErrNoJudgment) {
			fmt.Fprintf(e.stderr, "labelqa rca tag: %s\n", safeText(errText(err)))
			return ExitFail
		}
		return report(e, err)
	}
	what := "item " + quote(t.Item)
	if t.Annotator != "" {
		what = quote(t.Annotator) + "'s judgment of item " + quote(t.Item)
	}
	fmt.Fprintf(e.stdout, "tagged %s: %s\n", safeText(what), t.Cause)
	return ExitOK
}

// runRCAUntag is "labelqa rca untag": removes the tags of an item (or of
// one annotator's judgment of it), of one cause or all.
func runRCAUntag(e *env, args []string) int {
	fs := newFlags(e, "rca")
	var item, annotator, cause string
	fs.StringVar(&item, "item", "", "the item's id in the batch files (required)")
	fs.StringVar(&annotator, "annotator", "", "remove the tags of this annotator's judgment of the item (default: the whole item's tags)")
	fs.StringVar(&cause, "cause", "", "remove only the tags of this cause (default: every cause)")
	pos, code, ok := parse(e, fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 || strings.TrimSpace(item) == "" {
		fmt.Fprintln(e.stderr, "labelqa rca untag: want one project and --item, for example: labelqa rca untag ads.lqa --item ad-1 --cause sop_ambiguity")
		return ExitUsage
	}
	if cause != "" {
		if _, err := rules.ParseRootCause(cause); err != nil {
			fmt.Fprintf(e.stderr, "labelqa rca untag: --cause: %s\n", safeText(err.Error()))
			return ExitUsage
		}
	}
	p, err := core.Open(e.ctx, pos[0])
	if err != nil {
		return report(e, err)
	}
	defer p.Close()
	n, err := p.DeleteTags(e.ctx, core.Tag{Item: item, Annotator: annotator, Cause: cause})
	if err != nil {
		if errors.Is(err, core.ErrNoItem) || errors.Is(err, core.ErrNoTag) {
			fmt.Fprintf(e.stderr, "labelqa rca untag: %s\n", safeText(errText(err)))
			return ExitFail
		}
		return report(e, err)
	}
	fmt.Fprintf(e.stdout, "removed %d root-cause tag(s) of item %s\n", n, safeText(quote(item)))
	return ExitOK
}

// rcaTag is one tag of labelqa.rca/v1.
type rcaTag struct {
	Item      string `json:"item_id"`
	Annotator string `json:"annotator_id"` // "" for a tag of the whole item
	Cause     string `json:"cause"`
	Note      string `json:"note"`
	TaggedAt  string `json:"tagged_at"` // RFC 3339, UTC; "" when unknown
}

func runRCAList(e *env, args []string) int {
	fs := newFlags(e, "rca")
	var filter filterFlags
	var asJSON bool
	filter.register(fs)
	fs.BoolVar(&asJSON, "json", false, "print one JSON object (schema "+RCASchema+")")
	pos, code, ok := parse(e, fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "labelqa rca list: want one project, for example: labelqa rca list ads.lqa --json")
		return ExitUsage
	}
	q, err := filter.query()
	if err != nil {
		fmt.Fprintf(e.stderr, "labelqa rca list: %s\n", safeText(err.Error()))
		return ExitUsage
	}
	p, err := core.OpenReadOnly(e.ctx, pos[0])
	if err != nil {
		return report(e, err)
	}
	defer p.Close()
	if !filter.empty() {
		// A filter that matches nothing is refused with what the project
		// holds, as labelqa metrics refuses it.
		d, err := p.Data(e.ctx, q)
		if err != nil {
			return report(e, err)
		}
		m := metricsFlags{filter: filter}
		if code, ok := m.checkData(e, "rca list", d, func() (*filterData, error) { return projectValues(e, p, &m.filter) }); !ok {
			return code
		}
	}
	tags, err := p.Tags(e.ctx, q)
	if err != nil {
		return report(e, err)
	}
	out := make([]rcaTag, 0, len(tags))
	for _, t := range tags {
		at := ""
		if !t.TaggedAt.IsZero() {
			at = t.TaggedAt.UTC().Format(time.RFC3339)
		}
		out = append(out, rcaTag{Item: t.Item, Annotator: t.Annotator, Cause: t.Cause, Note: t.Note, TaggedAt: at})
	}
	if asJSON {
		if err := writeJSON(e.stdout, struct {
			Schema string   `json:"schema"`
			Tags   []rcaTag `json:"tags"`
		}{RCASchema, out}); err != nil {
			return report(e, err)
		}
		return ExitOK
	}
	if len(out) == 0 {
		fmt.Fprintln(e.stdout, "No root-cause tags yet: add one with labelqa rca tag PROJECT --item ID --cause CAUSE.")
		return ExitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "item\tannotator\tcause\ttagged at\tnote")
	for _, t := range out {
		ann := t.Annotator
		if ann == "" {
			ann = "(whole item)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", safeText(t.Item), safeText(ann), safeText(t.Cause), t.TaggedAt, safeText(t.Note))
	}
	tw.Flush()
	return ExitOK
}
