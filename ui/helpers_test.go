package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"labelqa/app/core"
)

// smallCSV is a batch of four judgments: three items, three annotators, two
// vendors, two queues, two markets and three labels.
const smallCSV = `item_id,annotator_id,label,vendor,queue,market
ad-1,rev-1,approve,VendorA,live,ID
ad-1,rev-2,misleading_claims,VendorB,live,ID
ad-2,rev-1,approve,VendorA,practice,NO
ad-3,rev-3,adult_content,VendorB,live,NO
`

// newTestWorkbench builds the workbench in a test window.
func newTestWorkbench(t *testing.T) (*workbench, fyne.Window) {
	t.Helper()
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	wb := newWorkbench(a, w)
	t.Cleanup(wb.shutdown)
	return wb, w
}

// writeFile writes content to name in dir and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// newProject creates a project in a temporary folder, declaring labels
// when given, and returns its path.
func newProject(t *testing.T, labels ...string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "test.lqa")
	if err := core.Init(context.Background(), p, labels, nil); err != nil {
		t.Fatal(err)
	}
	return p
}

// openWait opens path in wb and waits for it and the views' loads.
func openWait(t *testing.T, wb *workbench, path string) {
	t.Helper()
	wb.openProject(path)
	wb.tasks.wait()
	if wb.proj == nil {
		t.Fatalf("the project %s did not open", path)
	}
}

// importWait imports paths through the Import view and waits for the
// import and the reloads after it.
func importWait(wb *workbench, paths ...string) {
	wb.importer.start(paths)
	wb.tasks.wait()
}

// viewOf returns the workbench's view of type T.
func viewOf[T fyne.CanvasObject](t *testing.T, wb *workbench) T {
	t.Helper()
	for _, it := range wb.tabs.Items {
		if v, ok := it.Content.(T); ok {
			return v
		}
	}
	var zero T
	t.Fatalf("no view of type %T", zero)
	return zero
}

// dialogText returns the text of the labels in the window's top overlay
// (an open dialog), or "" when there is none.
func dialogText(w fyne.Window) string {
	top := w.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	var b strings.Builder
	for _, o := range test.LaidOutObjects(top) {
		if l, ok := o.(*widget.Label); ok {
			fmt.Fprintln(&b, l.Text)
		}
	}
	return b.String()
}

// menuItem finds the item titled title in the window's main menu.
func menuItem(t *testing.T, w fyne.Window, title string) *fyne.MenuItem {
	t.Helper()
	var find func(items []*fyne.MenuItem) *fyne.MenuItem
	find = func(items []*fyne.MenuItem) *fyne.MenuItem {
		for _, it := range items {
			if it.Label == title {
				return it
			}
			if it.ChildMenu != nil {
				if f := find(it.ChildMenu.Items); f != nil {
					return f
				}
			}
		}
		return nil
	}
	for _, m := range w.MainMenu().Items {
		if it := find(m.Items); it != nil {
			return it
		}
	}
	t.Fatalf("no menu item %q", title)
	return nil
}
