package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"

	"labelqa/app/core"
)

// badCSV has an empty item_id on row 3 and 25 labels outside the declared
// set (rows 4 to 28): more problems than an ErrorList keeps.
func badCSV() string {
	var b strings.Builder
	b.WriteString("item_id,annotator_id,label,vendor,queue,market\n")
	b.WriteString("ad-1,rev-1,approve,VendorA,live,ID\n")
	b.WriteString(",rev-1,approve,VendorA,live,ID\n")
	for i := range 25 {
		fmt.Fprintf(&b, "ad-%d,rev-2,spam,VendorB,live,NO\n", i+10)
	}
	return b.String()
}

func TestImportShowsProblems(t *testing.T) {
	wb, w := newTestWorkbench(t)
	iv := viewOf[*importView](t, wb)
	openWait(t, wb, newProject(t, "approve", "misleading_claims"))
	wb.showView(msg("Import"))
	importWait(wb, writeFile(t, t.TempDir(), "bad.csv", badCSV()))

	if top := w.Canvas().Overlays().Top(); top != nil {
		t.Errorf("problems with positions belong in the table, not in a dialog: %q", dialogText(w))
	}
	if !iv.problemsBox.Visible() {
		t.Fatal("the problems table is hidden")
	}
	if iv.noProblems.Visible() {
		t.Error("the 'no problems' hint is drawn over the problems table")
	}
	rows := iv.problems.rows
	if len(rows) != core.MaxInputErrors {
		t.Fatalf("the table lists %d problems, want %d", len(rows), core.MaxInputErrors)
	}
	// file:row:col of the first problem, in file, row, column order.
	if got := iv.problems.cell(0, 0) + ":" + iv.problems.cell(0, 1) + ":" + iv.problems.cell(0, 2); got != "bad.csv:3:1" {
		t.Errorf("first problem at %s, want bad.csv:3:1 (the empty item_id)", got)
	}
	if got := iv.problems.cell(1, 1); got != "4" {
		t.Errorf("second problem on row %s, want 4 (the first unknown label)", got)
	}
	// The problem says what to do with the workbench's control, not a flag.
	want := `accept labels outside the label set to add it (turn on “Accept labels outside the project's label set”)`
	if got := iv.problems.cell(1, 4); !strings.HasSuffix(got, want) || strings.Contains(got, "--") {
		t.Errorf("the unknown label's problem reads %q, want it to end %q", got, want)
	}
	if strings.Contains(iv.problemText, "--") || !strings.Contains(iv.problemText, want) {
		t.Errorf("the copied problems name a flag or no control:\n%s", iv.problemText)
	}
	if !iv.more.Visible() || iv.more.Text != "and 6 more" {
		t.Errorf("the overflow line says %q (visible %v), want \"and 6 more\"", iv.more.Text, iv.more.Visible())
	}
	if !strings.Contains(iv.problemsTitle.Text, "bad.csv") || !strings.Contains(iv.problemsTitle.Text, "26") {
		t.Errorf("problems heading %q should name the file and count 26 problems", iv.problemsTitle.Text)
	}
	if len(iv.results) == 0 || !strings.Contains(iv.results[len(iv.results)-1], "not imported") {
		t.Errorf("results %q do not say the file was not imported", iv.results)
	}

	// Sorting by row, descending, with two taps on the header.
	test.Tap(headerButton(t, iv.problems.Table, "Row"))
	test.Tap(headerButton(t, iv.problems.Table, "Row"))
	if got := iv.problems.cell(0, 1); got == "3" || got == "4" {
		t.Errorf("sorted by row descending, the first row is %s", got)
	}

	// Nothing was stored.
	assertEmpty(t, wb.proj.core)

	// A good file afterwards clears the problems.
	good := strings.ReplaceAll(smallCSV, "adult_content", "misleading_claims")
	importWait(wb, writeFile(t, t.TempDir(), "good.csv", good))
	if iv.problemsBox.Visible() || !iv.noProblems.Visible() {
		t.Error("the problems of the last import stay on show after a good one")
	}
}

func TestImportTwiceSaysWhatToDo(t *testing.T) {
	wb, w := newTestWorkbench(t)
	openWait(t, wb, newProject(t))
	csv := writeFile(t, t.TempDir(), "batch.csv", smallCSV)
	importWait(wb, csv)
	importWait(wb, csv)
	if got := dialogText(w); !strings.Contains(got, "Skip files imported before") || strings.Contains(got, "--") {
		t.Errorf("importing a file twice shows %q", got)
	}
}

func TestCancelStopsImport(t *testing.T) {
	wb, w := newTestWorkbench(t)
	iv := viewOf[*importView](t, wb)
	openWait(t, wb, newProject(t))

	var b strings.Builder
	b.WriteString("item_id,annotator_id,label,vendor,queue,market\n")
	for i := range 100_000 {
		fmt.Fprintf(&b, "ad-%d,rev-%d,approve,VendorA,live,ID\n", i, i%50)
	}
	big := writeFile(t, t.TempDir(), "big.csv", b.String())

	// The user presses Cancel once the import has stored some rows.
	var once sync.Once
	iv.importFile = func(ctx context.Context, p *core.Project, path string, opts core.ImportOptions, progress core.ImportProgress) (core.ImportResult, error) {
		return p.Import(ctx, path, opts, func(done, total, rows int64) {
			if rows == 0 {
				progress(done, total, rows)
				return
			}
			once.Do(func() {
				if !wb.tasks.cancel.Visible() || wb.tasks.cancel.Disabled() {
					t.Error("no Cancel button while importing")
				}
				test.Tap(wb.tasks.cancel)
			})
			progress(done, total, rows)
		})
	}
	importWait(wb, big)

	tapped := false
	once.Do(func() { tapped = true })
	if tapped {
		t.Fatal("the import reported no rows, so Cancel was never pressed")
	}
	if got := dialogText(w); got != "" {
		t.Errorf("cancelling showed a dialog: %q", got)
	}
	if len(iv.results) == 0 || !strings.Contains(iv.results[len(iv.results)-1], "cancelled") {
		t.Errorf("results %q do not say the import was cancelled", iv.results)
	}
	if !strings.HasPrefix(wb.tasks.status.Text, "Cancelled") {
		t.Errorf("status line %q", wb.tasks.status.Text)
	}
	if wb.tasks.running() {
		t.Error("the task bar still shows a running task")
	}
	assertEmpty(t, wb.proj.core)
}

// assertEmpty fails unless s holds no batch and no annotation.
func assertEmpty(t *testing.T, s *core.Project) {
	t.Helper()
	ctx := context.Background()
	list, err := s.Batches(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 0 || c.Annotations != 0 || c.Items != 0 {
		t.Errorf("the project changed: %d batches, %+v", len(list), c)
	}
}

func TestImportWithoutProject(t *testing.T) {
	wb, w := newTestWorkbench(t)
	iv := viewOf[*importView](t, wb)
	if !iv.importBtn.Disabled() {
		t.Error("Import files… is enabled without a project")
	}
	wb.onImport()
	if got := dialogText(w); !strings.Contains(got, "No project is open") {
		t.Errorf("Ctrl+I without a project shows %q", got)
	}
}
