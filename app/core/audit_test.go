package core

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"labelqa/app/metrics"
)

// auditTestProject holds vendor A's judgments in two queues (with an
// exact duplicate row kept by --duplicates keep: two judgments that agree
// in everything) and vendor B's.
func auditTestProject(t *testing.T) (*Project, string) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("item_id,annotator_id,label,vendor,market,queue,submitted_at,content\n")
	for i := range 40 {
		q := []string{"live", "practice"}[i%2]
		fmt.Fprintf(&b, "it%02d,a%d,%s,A,NO,%s,2025-03-%02dT10:00:00Z,content %d\n", i, i%3, testLabels[i%3], q, 1+i%20, i)
		fmt.Fprintf(&b, "it%02d,b%d,%s,B,ID,live,2025-03-%02dT11:00:00Z,content %d\n", i, i%2, testLabels[(i+1)%3], 1+i%20, i)
	}
	b.WriteString("dup,a0,approve,A,NO,live,2025-03-05T10:00:00Z,dup content\n")
	b.WriteString("dup,a0,approve,A,NO,live,2025-03-05T10:00:00Z,dup content\n")
	path := filepath.Join(dir, "batch.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := Create(ctx, filepath.Join(dir, "p.lqa"), testLabels, []string{"approve"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	if _, err := p.Import(ctx, path, ImportOptions{Duplicates: DupKeep}, nil); err != nil {
		t.Fatal(err)
	}
	return p, dir
}

func analyze(t *testing.T, p *Project, q Query) *Analysis {
	t.Helper()
	a, err := p.Analyze(context.Background(), q, metrics.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// checkRows holds every sampled row to the judgment it names.
func checkRows(t *testing.T, a *Analysis, s *AuditSample) {
	t.Helper()
	d := a.Data
	refs := map[int64]bool{}
	for _, r := range s.Rows {
		if refs[r.Ref] {
			t.Fatalf("ref %d drawn twice", r.Ref)
		}
		refs[r.Ref] = true
		j := r.Judgment
		if d.Items[d.Item[j]] != r.Item || d.Annotators[d.Annotator[j]].ID != r.Annotator || d.Labels[d.Label[j]] != r.Label ||
			d.Queues[d.Queue[j]] != r.Queue || d.Annotators[d.Annotator[j]].Vendor != s.Vendor {
			t.Fatalf("row %+v is not judgment %d", r, j)
		}
		if !strings.HasPrefix(r.Content, "content") && r.Content != "dup content" {
			t.Fatalf("content %q", r.Content)
		}
	}
}

func TestAuditSample(t *testing.T) {
	ctx := context.Background()
	p, _ := auditTestProject(t)
	a := analyze(t, p, Query{})

	if _, err := p.AuditSample(ctx, a, "", SampleOptions{}); !errors.Is(err, ErrNoAuditVendor) || !strings.Contains(err.Error(), "A, B") {
		t.Errorf("no vendor: %v", err)
	}
	if _, err := p.AuditSample(ctx, a, "Z", SampleOptions{}); !errors.Is(err, ErrNoVendor) || !strings.Contains(err.Error(), "A, B") {
		t.Errorf("unknown vendor: %v", err)
	}

	// A census: every one of A's 42 judgments, probability 1, the two
	// duplicates as two refs.
	s, err := p.AuditSample(ctx, a, "A", SampleOptions{Size: 500, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if s.Population != 42 || s.Size != 42 || len(s.Rows) != 42 || s.Asked != 500 {
		t.Fatalf("census: population %d, size %d, rows %d", s.Population, s.Size, len(s.Rows))
	}
	checkRows(t, a, s)
	for _, r := range s.Rows {
		if r.Probability != 1 {
			t.Fatalf("census row with probability %v", r.Probability)
		}
	}

	// Cochran: ±30% at 95%, N = 42: n0 = z²/4/0.09, n = ⌈n0/(1+(n0−1)/42)⌉.
	z := 1.959963984540054
	n0 := z * z * 0.25 / 0.09
	want := int(math.Ceil(n0 / (1 + (n0-1)/42)))
	s, err = p.AuditSample(ctx, a, "A", SampleOptions{Margin: 0.3, Confidence: 0.95, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if s.Size != want || len(s.Rows) != want || s.Cochran != int(math.Ceil(n0)) {
		t.Fatalf("Cochran size %d (n0 %d), want %d (%v)", s.Size, s.Cochran, want, n0)
	}
	checkRows(t, a, s)
	sum := 0
	for _, st := range s.Strata {
		sum += st.Sample
	}
	if sum != want {
		t.Errorf("strata add up to %d", sum)
	}

	// A filtered analysis: rows still name their judgments.
	live := analyze(t, p, Query{Queue: "live"})
	s, err = p.AuditSample(ctx, live, "A", SampleOptions{Size: 10, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	if s.Population != 22 {
		t.Errorf("live population %d, want 22", s.Population)
	}
	checkRows(t, live, s)
}

// writeSheet writes an audit sheet as the report lays it out (a title row,
// then the table), rows of 14 cells.
func writeSheet(t *testing.T, path string, rows [][]string) {
	t.Helper()
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", AuditSheet)
	f.SetCellStr(AuditSheet, "A1", "Audit of A")
	hdr := []string{AuditRefHeader, "Item", "Reviewer", "Queue", "Market", "Given label", "Content", "Submitted", "p", "Auditor label", "Correct?", "Error category", "Root cause", "Comment"}
	for c, h := range hdr {
		cell, _ := excelize.CoordinatesToCellName(c+1, 3)
		f.SetCellStr(AuditSheet, cell, h)
	}
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+4)
			f.SetCellStr(AuditSheet, cell, v)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

func sheetRow(r AuditSampleRow) []string {
	row := make([]string, AuditColumns)
	row[AuditColRef] = strconv.FormatInt(r.Ref, 10)
	row[AuditColItem], row[AuditColAnnotator], row[AuditColQueue], row[AuditColMarket] = r.Item, r.Annotator, r.Queue, r.Market
	row[AuditColGivenLabel], row[AuditColContent] = r.Label, r.Content
	row[AuditColProbability] = strconv.FormatFloat(r.Probability, 'g', -1, 64)
	return row
}

func TestImportAudit(t *testing.T) {
	ctx := context.Background()
	p, dir := auditTestProject(t)
	a := analyze(t, p, Query{})
	s, err := p.AuditSample(ctx, a, "A", SampleOptions{Size: 500})
	if err != nil {
		t.Fatal(err)
	}
	rows := make([][]string, len(s.Rows))
	for i, r := range s.Rows {
		rows[i] = sheetRow(r)
	}
	// Every kind of problem, one per row (sheet rows 4, 5, ...).
	bad := make([][]string, 0, 10)
	for i := range 10 {
		bad = append(bad, append([]string(nil), rows[i]...))
	}
	bad[0][AuditColRef] = "x1"                                                                            // A4
	bad[1][AuditColRef] = "99999"                                                                         // A5
	bad[2][AuditColItem] = "it99"                                                                         // B6
	bad[3][AuditColAuditorLabel] = "apporve"                                                              // J7
	bad[4][AuditColCorrect] = "maybe"                                                                     // K8
	bad[5][AuditColCorrect], bad[5][AuditColRootCause] = "no", "gremlins"                                 // M9
	bad[6][AuditColComment] = "no verdict"                                                                // K10
	bad[7][AuditColCorrect], bad[7][AuditColAuditorLabel] = "yes", otherLabel(bad[7][AuditColGivenLabel]) // K11
	bad[8][AuditColProbability], bad[8][AuditColCorrect] = "1.5", "yes"                                   // I12
	bad[9] = append([]string(nil), rows[0]...)                                                            // A13: the first row's ref again... A4 was bad, so take row 2's
	bad[9][AuditColRef] = rows[3][AuditColRef]
	bad[9][AuditColCorrect] = "yes"
	bad[3][AuditColCorrect] = ""
	badPath := filepath.Join(dir, "bad.xlsx")
	writeSheet(t, badPath, bad)
	_, err = p.ImportAudit(ctx, badPath, AuditImportOptions{})
	var cells *AuditCellErrors
	if !errors.As(err, &cells) {
		t.Fatalf("bad sheet: %v", err)
	}
	for _, ref := range []string{"A4", "A5", "B6", "J7", "K8", "M9", "K10", "K11", "I12", "A13"} {
		if !strings.Contains(err.Error(), "bad.xlsx:Audit!"+ref+": ") {
			t.Errorf("no problem at %s in:\n%v", ref, err)
		}
	}
	if n := strings.Count(err.Error(), "\n") + 1; n != 10 {
		t.Errorf("%d problems, want 10:\n%v", n, err)
	}
	if got, _ := p.Audits(ctx); len(got) != 0 {
		t.Fatalf("refused import stored %d audits", len(got))
	}

	// The good sheet: the two duplicates get different verdicts, and every
	// practice judgment is wrong; the rest right by the label alone.
	wrong := map[int64]bool{}
	dupSeen := false
	for i, r := range s.Rows {
		switch {
		case r.Item == "dup" && !dupSeen:
			dupSeen = true
			rows[i][AuditColCorrect] = "tidak"
			wrong[r.Ref] = true
		case r.Queue == "practice":
			rows[i][AuditColAuditorLabel] = otherLabel(r.Label)
			rows[i][AuditColRootCause] = "Training gap"
			wrong[r.Ref] = true
		case i%7 == 0:
			// left for later: not audited
		default:
			rows[i][AuditColAuditorLabel] = strings.ToUpper(r.Label)
		}
	}
	good := filepath.Join(dir, "good.xlsx")
	writeSheet(t, good, rows)
	res, err := p.ImportAudit(ctx, good, AuditImportOptions{Auditor: "qa"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 42 || res.Incorrect != len(wrong) || res.Audited+res.Skipped != 42 || res.Skipped == 0 {
		t.Fatalf("result %+v (wrong %d)", res, len(wrong))
	}
	stored, _ := p.Audits(ctx)
	for _, x := range stored {
		if (x.Verdict == VerdictIncorrect) != wrong[x.Annotation] {
			t.Errorf("audit %+v", x)
		}
		if x.Judgment.Queue == "practice" && x.RootCause != "training_gap" {
			t.Errorf("root cause %q", x.RootCause)
		}
	}

	// Outcomes on a filtered analysis: only live judgments, each the one
	// audited (the two duplicates on two judgments, one right, one wrong).
	live := analyze(t, p, Query{Queue: "live"})
	outs, err := p.AuditOutcomes(ctx, live)
	if err != nil {
		t.Fatal(err)
	}
	byRef := map[int64]AuditSampleRow{}
	for _, r := range s.Rows {
		byRef[r.Ref] = r
	}
	liveAudited, dupRight, dupWrong := 0, 0, 0
	for _, x := range stored {
		if x.Judgment.Queue == "live" {
			liveAudited++
		}
	}
	d := live.Data
	seenJ := map[int]bool{}
	for _, o := range outs {
		if seenJ[o.Judgment] {
			t.Fatalf("two outcomes on judgment %d", o.Judgment)
		}
		seenJ[o.Judgment] = true
		if d.Queues[d.Queue[o.Judgment]] != "live" || o.InclusionProbability != 1 {
			t.Fatalf("outcome %+v", o)
		}
		if d.Items[d.Item[o.Judgment]] == "dup" {
			if o.Correct {
				dupRight++
			} else {
				dupWrong++
			}
		}
	}
	if len(outs) != liveAudited || dupRight != 1 || dupWrong != 1 {
		t.Errorf("%d outcomes (want %d), duplicates right %d wrong %d", len(outs), liveAudited, dupRight, dupWrong)
	}
	// Self-weighting (a census): Clopper-Pearson.
	acc, err := p.AuditAccuracy(ctx, live)
	if err != nil || acc == nil || acc.Method != "clopper-pearson" || acc.Audits != liveAudited {
		t.Errorf("accuracy %+v, %v", acc, err)
	}
}

func otherLabel(l string) string {
	if l == testLabels[0] {
		return testLabels[1]
	}
	return testLabels[0]
}
