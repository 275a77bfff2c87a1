package ui

import (
	"context"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"labelqa/app/core"
)

// batchTimeLayout shows when a batch was imported, in local time.
const batchTimeLayout = "2006-01-02 15:04"

// batches lists the files imported into the open project.
type batches struct {
	widget.BaseWidget
	wb *workbench

	content fyne.CanvasObject
	summary *widget.Label
	table   *sortTable[core.Batch]
	loadSeq int
}

func newBatches(wb *workbench) fyne.CanvasObject {
	v := &batches{wb: wb}
	v.ExtendBaseWidget(v)
	v.content = v.buildUI()
	wb.onProjectChanged(v.onProjectChanged)
	v.onProjectChanged()
	return v
}

func (v *batches) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(v.content) }

func (v *batches) buildUI() fyne.CanvasObject {
	v.summary = widget.NewLabel("")
	v.summary.Wrapping = fyne.TextWrapWord
	v.table = newSortTable([]column[core.Batch]{
		textCol(lang.L("File"), 220, func(b core.Batch) string { return filepath.Base(b.FileName) }),
		textCol(lang.L("Kind"), 100, func(b core.Batch) string { return kindText(b.Kind) }),
		textCol(lang.L("Format"), 90, func(b core.Batch) string { return b.Format }),
		numCol(lang.L("Rows"), 80, func(b core.Batch) int64 { return int64(b.Rows) }),
		numCol(lang.L("Stored"), 80, func(b core.Batch) int64 { return int64(b.Stored) }),
		numCol(lang.L("Duplicates"), 100, func(b core.Batch) int64 { return int64(b.Duplicates) }),
		textCol(lang.L("Duplicate policy"), 110, func(b core.Batch) string { return b.DupPolicy }),
		textCol(lang.L("Imported at"), 150, func(b core.Batch) string {
			if b.ImportedAt.IsZero() {
				return ""
			}
			return b.ImportedAt.Local().Format(batchTimeLayout)
		}),
	})
	return container.NewBorder(v.summary, nil, nil, nil, v.table)
}

func (v *batches) onProjectChanged() {
	if v.wb.proj == nil {
		v.summary.SetText(lang.L("Open a project to see the files imported into it."))
		v.table.setRows(nil)
		return
	}
	p := v.wb.proj.core
	v.loadSeq++
	seq := v.loadSeq
	var list []core.Batch
	v.wb.runProject(task{
		Work: func(ctx context.Context, _ progressFunc) (err error) {
			list, err = p.Batches(ctx)
			return err
		},
		Done: func() {
			if seq == v.loadSeq {
				v.show(list)
			}
		},
	})
}

func (v *batches) show(list []core.Batch) {
	if len(list) == 0 {
		v.summary.SetText(lang.L("No files imported yet. Import a batch with File › Import files…, or drop files on the window."))
	} else {
		v.summary.SetText(lang.L("Files imported: {{.N}}", map[string]any{"N": len(list)}))
	}
	v.table.setRows(list)
}

// kindText names a batch's kind for people.
func kindText(kind string) string {
	switch kind {
	case "annotations":
		return lang.L("labels")
	case "gold":
		return lang.L("golden set")
	}
	return kind
}
