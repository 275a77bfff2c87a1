package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"labelqa/app/core"
)

func TestOverviewShowsCounts(t *testing.T) {
	wb, _ := newTestWorkbench(t)
	ov := viewOf[*overview](t, wb)
	if !ov.welcome.Visible() || ov.body.Visible() {
		t.Fatal("without a project the overview should offer to create or open one")
	}

	path := newProject(t)
	openWait(t, wb, path)
	importWait(wb, writeFile(t, t.TempDir(), "batch.csv", smallCSV))

	want := map[string]string{"Items": "3", "Annotators": "3", "Annotations": "4", "Gold items": "0", "Duplicates": "0", "Labels": "3"}
	for key, n := range want {
		if got := ov.stats[key].Text; got != n {
			t.Errorf("%s: shows %q, want %q", key, got, n)
		}
	}
	if !strings.Contains(ov.labels.Text, "adult_content, approve, misleading_claims") {
		t.Errorf("labels line %q does not list the labels in order", ov.labels.Text)
	}
	wantBars := []bar{{"live", 3}, {"practice", 1}}
	if got := ov.byQueue.bars; len(got) != 2 || got[0] != wantBars[0] || got[1] != wantBars[1] {
		t.Errorf("queue chart bars %v, want %v", got, wantBars)
	}
	if got := ov.byVendor.bars; len(got) != 2 || got[0].value+got[1].value != 4 {
		t.Errorf("vendor chart bars %v, want two vendors with 4 annotations", got)
	}

	// The vendor table, sorted by tapping its "Annotators" header.
	tbl := ov.tables[core.ByVendor]
	if len(tbl.rows) != 2 {
		t.Fatalf("vendor table has %d rows, want 2", len(tbl.rows))
	}
	header := headerButton(t, tbl.Table, "Annotators")
	test.Tap(header)
	if tbl.cell(0, 0) != "VendorA" || tbl.cell(1, 0) != "VendorB" { // 1 annotator, then 2
		t.Errorf("sorted by annotators ascending: %s, %s", tbl.cell(0, 0), tbl.cell(1, 0))
	}
	test.Tap(headerButton(t, tbl.Table, "Annotators"))
	if tbl.cell(0, 0) != "VendorB" || tbl.cell(0, 3) != "2" {
		t.Errorf("sorted by annotators descending: first row %s with %s annotators", tbl.cell(0, 0), tbl.cell(0, 3))
	}
	if got := ov.tables[core.ByMarket].rows; len(got) != 2 {
		t.Errorf("market table has %d rows, want 2", len(got))
	}
	if got := ov.tables[core.ByLabel].rows; len(got) != 3 {
		t.Errorf("label table has %d rows, want 3", len(got))
	}
}

// headerButton finds the header button titled title among the table's
// rendered objects.
func headerButton(t *testing.T, tbl *widget.Table, title string) *widget.Button {
	t.Helper()
	for _, o := range test.LaidOutObjects(tbl) {
		if b, ok := o.(*widget.Button); ok && b.Text == title {
			return b
		}
	}
	t.Fatalf("no header %q", title)
	return nil
}

func TestBatchesListsFile(t *testing.T) {
	wb, _ := newTestWorkbench(t)
	bv := viewOf[*batches](t, wb)
	path := newProject(t)
	openWait(t, wb, path)
	if len(bv.table.rows) != 0 {
		t.Fatalf("a new project lists %d batches", len(bv.table.rows))
	}
	csv := writeFile(t, t.TempDir(), "batch.csv", smallCSV)
	importWait(wb, csv)

	if len(bv.table.rows) != 1 {
		t.Fatalf("batches table has %d rows, want 1", len(bv.table.rows))
	}
	if got := bv.table.cell(0, 0); got != "batch.csv" {
		t.Errorf("file column shows %q, want batch.csv", got)
	}
	if got := bv.table.cell(0, 3); got != "4" {
		t.Errorf("rows column shows %q, want 4", got)
	}
	if got := bv.table.cell(0, 4); got != "4" {
		t.Errorf("stored column shows %q, want 4", got)
	}
	if !strings.Contains(bv.summary.Text, "1") {
		t.Errorf("summary %q does not count one file", bv.summary.Text)
	}
}

func TestDropImportsFiles(t *testing.T) {
	wb, _ := newTestWorkbench(t)
	openWait(t, wb, newProject(t))
	csv := writeFile(t, t.TempDir(), "dropped.csv", smallCSV)
	wb.onDropped(fyne.Position{}, []fyne.URI{storage.NewFileURI(csv)})
	wb.tasks.wait()
	if wb.tabs.SelectedIndex() != 2 {
		t.Errorf("dropping files should show the Import view")
	}
	list, err := wb.proj.core.Batches(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || filepath.Base(list[0].FileName) != "dropped.csv" {
		t.Errorf("after the drop the project holds %v", list)
	}
}

func TestCreateProject(t *testing.T) {
	wb, _ := newTestWorkbench(t)
	path := filepath.Join(t.TempDir(), "new.lqa")
	wb.createProject(path)
	wb.tasks.wait()
	if wb.proj == nil || wb.proj.path != path {
		t.Fatalf("the new project is not open")
	}
	if wb.settings.Recent[0] != path {
		t.Errorf("recent projects %v do not start with the new one", wb.settings.Recent)
	}
	if got := wb.app.Preferences().StringList(prefRecentProjects); len(got) == 0 || got[0] != path {
		t.Errorf("recent projects preference %v", got)
	}
	if got := loadSettings(wb.app.Preferences()).Recent; len(got) == 0 || got[0] != path {
		t.Errorf("recent projects read back as %v", got)
	}
	menuItem(t, wb.win, path) // listed under File › Recent projects

	// The new project takes an import.
	c, err := wb.proj.core.Import(context.Background(), writeFile(t, t.TempDir(), "b.csv", smallCSV), core.ImportOptions{}, nil)
	if err != nil || c.Stored != 4 {
		t.Fatalf("import into the new project: %v, %+v", err, c)
	}
}

func TestOpenMissingProject(t *testing.T) {
	wb, w := newTestWorkbench(t)
	missing := filepath.Join(t.TempDir(), "gone.lqa")
	wb.settings.addRecent(missing)
	wb.openProject(missing)
	wb.tasks.wait()
	if wb.proj != nil {
		t.Fatal("a missing project opened")
	}
	if got := dialogText(w); !strings.Contains(got, "no project file at that place") {
		t.Errorf("the error dialog says %q", got)
	}
	for _, p := range wb.settings.Recent {
		if p == missing {
			t.Errorf("the missing project stays in the recent list")
		}
	}
}

// TestNewProjectDialog: the dialog creates name.lqa in the folder of the
// most recent project, and refuses a name that is taken without touching
// the file (Fyne's save dialog had emptied it on "overwrite").
func TestNewProjectDialog(t *testing.T) {
	wb, _ := newTestWorkbench(t)
	dir := t.TempDir()
	wb.settings.Recent = []string{filepath.Join(dir, "old.lqa")}

	d, name := wb.newProjectDialog()
	d.Show()
	name.SetText("Week 47")
	d.Submit()
	wb.tasks.wait()
	want := filepath.Join(dir, "Week 47.lqa")
	if wb.proj == nil || wb.proj.path != want {
		t.Fatalf("open project %v, want %s", wb.proj, want)
	}

	taken := filepath.Join(dir, "taken.lqa")
	if err := os.WriteFile(taken, []byte("someone's data"), 0o644); err != nil {
		t.Fatal(err)
	}
	d, name = wb.newProjectDialog()
	d.Show()
	name.SetText("taken")
	d.Submit()
	wb.tasks.wait()
	if data, _ := os.ReadFile(taken); string(data) != "someone's data" {
		t.Fatalf("an existing file was changed: %q", data)
	}
	if wb.proj == nil || wb.proj.path != want {
		t.Fatalf("a taken name opened %v", wb.proj)
	}

	for _, bad := range []string{"", "  ", "a/b", `a\b`, ".."} {
		if validateProjectName(bad) == nil {
			t.Errorf("name %q accepted", bad)
		}
	}
	if got := newProjectPath("/x", " p.LQA "); got != filepath.Join("/x", "p.LQA") {
		t.Errorf("newProjectPath kept no extension: %s", got)
	}
}
