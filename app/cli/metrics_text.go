package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"labelqa/analysis/truth"
	"labelqa/app/metrics"
)

// printMetrics writes the readable summary of "labelqa metrics": accuracy
// against gold first, then the labels and reviewers that need attention,
// then agreement and the aggregated answers.
func printMetrics(w io.Writer, r *metrics.Report) {
	c := r.Counts
	fmt.Fprintf(w, "%s on %s by %s; %s: %s\n",
		count(c.Annotations, "annotation", "annotations"), count(c.Items, "item", "items"),
		count(c.Annotators, "annotator", "annotators"), count(len(c.Labels), "label", "labels"), safeList(c.Labels, ", "))
	switch {
	case c.Duplicates == nil:
		fmt.Fprintf(w, "repeated (item, annotator) rows: %s\n", c.DuplicatesText())
	case *c.Duplicates > 0:
		fmt.Fprintf(w, "%s repeated (item, annotator) rows seen\n", thousands(*c.Duplicates))
	}
	fmt.Fprintln(w)

	if c.Annotations == 0 {
		fmt.Fprintln(w, "No judgments yet: import a batch (labelqa import PROJECT.lqa FILE), or check the filters; every figure below is n/a.")
		fmt.Fprintln(w)
	}

	g := r.Gold
	switch {
	case g == nil:
		fmt.Fprintln(w, "Accuracy vs gold   n/a (no golden set: give --gold FILE, or import one with labelqa gold)")
	case g.Annotations == 0 && c.GoldItems == 0:
		fmt.Fprintln(w, "Accuracy vs gold   n/a (no annotation selected is on a gold item)")
	case g.Annotations == 0:
		fmt.Fprintf(w, "Accuracy vs gold   n/a (none of the %s gold items has an annotation)\n", thousands(c.GoldItems))
	default:
		fmt.Fprintf(w, "Accuracy vs gold   %s  95%% CI %s  (%s annotations on %s gold items)\n",
			pct(g.Accuracy.Value), pctInterval(g.Accuracy), thousands(g.Annotations), thousands(g.Items))
		fmt.Fprintf(w, "  over-enforcement   %s\n", rateLine(g.OverEnforcement, "no annotations on allowed-gold items"))
		fmt.Fprintf(w, "  under-enforcement  %s\n", rateLine(g.UnderEnforcement, "no annotations on violation-gold items"))
		fmt.Fprintf(w, "  Cohen's kappa %s   MCC %s   macro F1 %s   weighted F1 %s\n",
			num(g.CohenKappa), num(g.MCC), num(g.Macro.F1), num(g.Weighted.F1))
		printWorstLabels(w, r)
		printWeakestReviewers(w, r)
	}
	if au := r.Audit; au != nil {
		// Only once audits are imported: a line for every project without
		// them would say nothing.
		fmt.Fprintf(w, "Audit accuracy     %s  95%% CI [%s, %s]  (%s audited judgments, %s correct; %s)\n",
			pct(au.Accuracy.Value), pct(au.Accuracy.CILow), pct(au.Accuracy.CIHigh), thousands(au.Audits), thousands(au.Correct), au.Method)
	}
	fmt.Fprintln(w)
	printAgreement(w, r.Agreement)
	fmt.Fprintln(w)

	mv, ds := r.Aggregation.MajorityVote, r.Aggregation.DawidSkene
	fmt.Fprintln(w, "Aggregated answers")
	if mv.Items == 0 {
		fmt.Fprintln(w, "  n/a (no judgments)")
		printDisputedGold(w, r)
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  Majority vote\t%s items, %s ties (%s)\tgold accuracy %s\n", thousands(mv.Items), thousands(mv.Ties), mv.TieRule, goldAcc(mv.GoldAccuracy, mv.GoldItems))
	conv := "converged"
	if !ds.Converged {
		conv = "not converged"
	}
	fmt.Fprintf(tw, "  Dawid-Skene\t%s items, %d rounds, %s\tgold accuracy %s\n", thousands(ds.Items), ds.Iterations, conv, goldAcc(ds.GoldAccuracy, ds.GoldItems))
	wm := r.Aggregation.WeightedMajorityVote
	fmt.Fprintf(tw, "  Weighted majority vote\t%s items, %s ties (%s)\tgold accuracy %s\n", thousands(wm.Items), thousands(wm.Ties), wm.TieRule, goldAcc(wm.GoldAccuracy, wm.GoldItems))
	tw.Flush()
	printDisputedGold(w, r)
}

// printDisputedGold lists gold answers the evidence contradicts, so that an
// analyst reviews the golden set before blaming reviewers for it. Each row
// shows what makes the item disputed: the gold label and the label the
// evidence favours, each with its Dawid-Skene posterior (printed so that a
// small one never reads as 0), the item's votes, and which test fired.
func printDisputedGold(w io.Writer, r *metrics.Report) {
	if r.Gold == nil || len(r.Gold.Disputed) == 0 {
		return
	}
	const show = 10
	fmt.Fprintf(w, "\nDisputed gold (%d gold answers the reviewers' evidence contradicts; review them in the golden set)\n", len(r.Gold.Disputed))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  item\tgold (posterior)\tsuggested instead (posterior)\tvotes\tdisputed because")
	for i, d := range r.Gold.Disputed {
		if i == show {
			break
		}
		fmt.Fprintf(tw, "  %s\t%s (%s)\t%s (%s)\t%s\t%s\n", safeText(d.Item), safeText(d.Gold), prob(d.GoldPosterior), safeText(d.Suggested), prob(d.Posterior),
			votes(d.Votes, r.Counts.Labels), disputeReason(d))
	}
	tw.Flush()
	if n := len(r.Gold.Disputed); n > show {
		fmt.Fprintf(w, "  and %d more (labelqa metrics --json lists them all under gold.disputed)\n", n-show)
	}
	fmt.Fprintf(w, "  posterior: Dawid-Skene's probability of the label; skilled: Dawid-Skene accuracy %.2f or more\n", truth.DefaultDisputeAccuracy)
}

// disputeReason names the test that flagged a disputed gold item.
func disputeReason(d metrics.DisputedGold) string {
	var why []string
	if d.ByPosterior {
		why = append(why, fmt.Sprintf("posterior %.1f or more", truth.DefaultDisputePosterior))
	}
	if d.ByReviewers {
		why = append(why, fmt.Sprintf("%d skilled reviewers agree", len(d.Reviewers)))
	}
	return strings.Join(why, "; ")
}

// votes lists an item's votes, most first (ties in label order):
// "gambling 9, financial_scam 2".
func votes(v map[string]int, labels []string) string {
	type vote struct {
		label string
		n     int
	}
	var vs []vote
	for _, l := range labels {
		if n := v[l]; n > 0 {
			vs = append(vs, vote{l, n})
		}
	}
	sort.SliceStable(vs, func(a, b int) bool { return vs[a].n > vs[b].n })
	parts := make([]string, len(vs))
	for i, x := range vs {
		parts[i] = fmt.Sprintf("%s %d", safeText(x.label), x.n)
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// prob formats a probability so that it never rounds to a wrong 0 or 1:
// three decimals in [0.001, 0.999], else "2.1e-06" or ">0.999".
// Shown as "0.000", a posterior of 2e-08 looked like a bug.
func prob(f metrics.Float) string {
	v := float64(f)
	switch {
	case !f.OK():
		return "n/a"
	case v == 0:
		return "0"
	case v < 0.001:
		return fmt.Sprintf("%.1e", v)
	case v > 0.999:
		return ">0.999" // 1 - 1e-20 is 1 in floating point: never print a certain 1
	}
	return fmt.Sprintf("%.3f", v)
}

func goldAcc(v metrics.Float, items int) string {
	if !v.OK() {
		return "n/a (no answered gold items)"
	}
	return fmt.Sprintf("%s on %s gold items", pct(v), thousands(items))
}

// minLabelSupport is how many gold answers a label needs before "Worst
// labels" ranks it: an F1 over two or three gold answers says little, and
// ranked by F1 alone such a label would head the list.
const minLabelSupport = 10

// printWorstLabels ranks the labels with at least minLabelSupport gold
// answers by F1, lowest first, with the n behind each rate (precision: the
// times the label was given on gold items; recall and F1: its gold
// answers), and names the labels with fewer.
func printWorstLabels(w io.Writer, r *metrics.Report) {
	type row struct {
		label string
		s     metrics.LabelScores
		given int64
	}
	given := map[string]int64{}
	cf := r.Gold.Confusion
	for _, m := range cf.Matrix {
		for k, v := range m {
			if k < len(cf.Labels) {
				given[cf.Labels[k]] += v
			}
		}
	}
	var rows []row
	var few []string
	for _, l := range r.Counts.Labels {
		s, ok := r.Gold.PerLabel[l]
		if !ok || !s.F1.OK() {
			continue
		}
		if s.Support < minLabelSupport {
			few = append(few, fmt.Sprintf("%s %s (n = %s)", safeText(l), num(s.F1), thousands(int(s.Support))))
			continue
		}
		rows = append(rows, row{l, s, given[l]})
	}
	if len(rows) == 0 && len(few) == 0 {
		return
	}
	sort.SliceStable(rows, func(a, b int) bool {
		if rows[a].s.F1 != rows[b].s.F1 {
			return rows[a].s.F1 < rows[b].s.F1
		}
		return rows[a].s.Support > rows[b].s.Support
	})
	if len(rows) > 5 {
		rows = rows[:5]
	}
	if len(rows) == 0 {
		fmt.Fprintf(w, "\nWorst labels (none has %d or more gold answers yet: too few to rank)\n", minLabelSupport)
		fmt.Fprintf(w, "  F1 against gold: %s\n", strings.Join(few, ", "))
		return
	}
	fmt.Fprintf(w, "\nWorst labels (lowest F1 against gold, among labels with %d or more gold answers)\n", minLabelSupport)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  label\tF1\tprecision\tn given\trecall\tn gold")
	for _, x := range rows {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\n", safeText(x.label), num(x.s.F1), num(x.s.Precision), thousands(int(x.given)),
			num(x.s.Recall), thousands(int(x.s.Support)))
	}
	tw.Flush()
	if len(few) > 0 {
		fmt.Fprintf(w, "  not ranked, fewer than %d gold answers: %s\n", minLabelSupport, strings.Join(few, ", "))
	}
}

// printWeakestReviewers lists the reviewers whose gold accuracy is surely
// low: ranked by the upper end of the Wilson 95% interval, lowest first, so
// a reviewer with three gold answers (interval [21%, 94%]) does not head
// the list on one mistake; ranking by the lower end would put exactly those
// first. Every rate has its n beside it.
func printWeakestReviewers(w io.Writer, r *metrics.Report) {
	var rows []metrics.Annotator
	for _, a := range r.Annotators {
		if a.GoldAnnotations > 0 && a.GoldAccuracy.Value.OK() && a.GoldAccuracy.CIHigh.OK() {
			rows = append(rows, a)
		}
	}
	if len(rows) == 0 {
		return
	}
	sort.SliceStable(rows, func(a, b int) bool {
		x, y := rows[a].GoldAccuracy, rows[b].GoldAccuracy
		if x.CIHigh != y.CIHigh {
			return x.CIHigh < y.CIHigh
		}
		if x.Value != y.Value {
			return x.Value < y.Value
		}
		return rows[a].GoldAnnotations > rows[b].GoldAnnotations
	})
	if len(rows) > 5 {
		rows = rows[:5]
	}
	fmt.Fprintln(w, "\nWeakest reviewers (accuracy vs gold, ranked by the upper end of its 95% CI: surely weak first)")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  reviewer\tvendor\taccuracy\t95% CI\tn gold\tagreement w/ majority\tn")
	for _, a := range rows {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\n", safeText(a.ID), safeText(a.Vendor), pct(a.GoldAccuracy.Value), pctInterval(a.GoldAccuracy),
			thousands(a.GoldAnnotations), pct(a.AgreementWithMajority), thousands(int(a.AgreementScored)))
	}
	tw.Flush()
}

func printAgreement(w io.Writer, a *metrics.Agreement) {
	fmt.Fprintf(w, "Agreement (%s items rated by two or more annotators)\n", thousands(a.ItemsUsed))
	type row struct{ name, value, ci, se, p, na string }
	var rows []row
	line := func(name, key string, c *metrics.Coef, present bool) {
		if !present {
			if why := a.Undefined[key]; why != "" {
				rows = append(rows, row{name: name, na: "n/a (" + safeText(why) + ")"})
			}
			return
		}
		if c == nil || !c.Value.OK() {
			why := a.Undefined[key]
			if why == "" {
				why = "undefined for these data"
			}
			rows = append(rows, row{name: name, na: "n/a (" + safeText(why) + ")"})
			return
		}
		ci := "n/a"
		if c.CILow.OK() && c.CIHigh.OK() {
			ci = fmt.Sprintf("[%s, %s]", num(c.CILow), num(c.CIHigh))
		}
		rows = append(rows, row{name: name, value: num(c.Value), ci: ci, se: num(c.SE), p: pval(c.PValue)})
	}
	line("Percent agreement", "percent_agreement", a.PercentAgreement, true)
	line("Cohen's kappa", "cohen_kappa", a.CohenKappa, a.CohenKappa != nil)
	line("Scott's pi", "scott_pi", a.ScottPi, a.ScottPi != nil)
	line("Fleiss' kappa", "fleiss_kappa", a.FleissKappa, true)
	line("Conger's kappa", "conger_kappa", a.CongerKappa, true)
	if a.GwetAC2 != nil {
		line("Gwet's AC2", "gwet_ac2", a.GwetAC2, true)
	} else {
		line("Gwet's AC1", "gwet_ac1", a.GwetAC1, true)
	}
	line("Brennan-Prediger", "brennan_prediger", a.BrennanPrediger, true)
	alpha := "Krippendorff's alpha"
	if c := a.KrippendorffAlpha; c != nil && c.Weights != "" {
		alpha += " (" + c.Weights + " weights)"
	} else if c != nil && c.Level != "" {
		alpha += " (" + c.Level + ")"
	}
	line(alpha, "krippendorff_alpha", a.KrippendorffAlpha, true)
	line("Bangdiwala's B", "bangdiwala_b", a.BangdiwalaB, a.BangdiwalaB != nil)
	if a.AlphaMASI != nil {
		line("Krippendorff's alpha (MASI, multi-label)", "krippendorff_alpha_masi", a.AlphaMASI, true)
	}
	// Fixed-width columns: an "n/a (why)" row spans the numeric columns.
	nameW, valW, ciW, seW := len("measure"), len("value"), len("95% CI"), len("SE")
	for _, r := range rows {
		nameW = max(nameW, len(r.name))
		valW, ciW, seW = max(valW, len(r.value)), max(ciW, len(r.ci)), max(seW, len(r.se))
	}
	fmt.Fprintf(w, "  %-*s  %*s  %-*s  %*s  %s\n", nameW, "measure", valW, "value", ciW, "95% CI", seW, "SE", "p (one-sided)")
	for _, r := range rows {
		if r.na != "" {
			fmt.Fprintf(w, "  %-*s  %s\n", nameW, r.name, r.na)
			continue
		}
		fmt.Fprintf(w, "  %-*s  %*s  %-*s  %*s  %s\n", nameW, r.name, valW, r.value, ciW, r.ci, seW, r.se, r.p)
	}
}

func num(f metrics.Float) string {
	if !f.OK() {
		return "n/a"
	}
	return fmt.Sprintf("%.3f", float64(f))
}

func pct(f metrics.Float) string {
	if !f.OK() {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(f))
}

func pctInterval(i metrics.Interval) string {
	if !i.CILow.OK() || !i.CIHigh.OK() {
		return "n/a"
	}
	return fmt.Sprintf("[%s, %s]", pct(i.CILow), pct(i.CIHigh))
}

func rateLine(i metrics.Interval, why string) string {
	if !i.Value.OK() {
		return "n/a (" + why + ")"
	}
	return fmt.Sprintf("%s  95%% CI %s  (n = %s)", pct(i.Value), pctInterval(i), thousands(int(i.N)))
}

func pval(f metrics.Float) string {
	switch {
	case !f.OK():
		return "n/a"
	case f < 0.001:
		return "<0.001"
	}
	return fmt.Sprintf("%.3f", float64(f))
}

// thousands formats n with comma separators.
func thousands(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, ch := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(ch)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
