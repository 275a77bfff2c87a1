package ui

import (
	"cmp"
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"labelqa/app/core"
)

// importExtensions are the files the Import dialog offers.
var importExtensions = []string{".csv", ".tsv", ".txt", ".xlsx", ".json", ".jsonl", ".ndjson", ".manifest", ".xml"}

// importFormats are the ingest formats, "auto" first, with message keys.
var importFormats = []struct{ value, title string }{
	{"auto", msg("Detect from the file")},
	{"csv", msg("CSV")}, {"tsv", msg("TSV")}, {"ssv", msg("CSV with semicolons")}, {"xlsx", msg("Excel (XLSX)")},
	{"json", msg("JSON")}, {"jsonl", msg("JSON Lines")}, {"labelstudio", msg("Label Studio")},
	{"labelstudio-min", msg("Label Studio (minimal)")}, {"labelbox", msg("Labelbox")}, {"prodigy", msg("Prodigy")},
	{"sagemaker", msg("SageMaker Ground Truth")}, {"doccano", msg("doccano")}, {"cvat", msg("CVAT (XML)")},
	{"argilla", msg("Argilla")},
}

// dupPolicies are the duplicate policies with message keys.
var dupPolicies = []struct{ value, title string }{
	{string(core.DupLast), msg("Keep the last submission")},
	{string(core.DupFirst), msg("Keep the first submission")},
	{string(core.DupKeep), msg("Keep every row")},
	{string(core.DupError), msg("Refuse the file")},
}

// importFunc imports one file; Project.Import, or a wrapper in tests.
type importFunc func(ctx context.Context, p *core.Project, path string, opts core.ImportOptions, progress core.ImportProgress) (core.ImportResult, error)

// projectImport is the importFunc of the workbench: the project's Import.
func projectImport(ctx context.Context, p *core.Project, path string, opts core.ImportOptions, progress core.ImportProgress) (core.ImportResult, error) {
	return p.Import(ctx, path, opts, progress)
}

// importView imports batch files into the open project and shows what each
// import stored, or the problems that stopped it.
type importView struct {
	widget.BaseWidget
	wb         *workbench
	importFile importFunc
	content    fyne.CanvasObject

	format    *widget.Select
	dups      *widget.Select
	skip      *widget.Check
	addLabels *widget.Check
	importBtn *widget.Button

	results    []string
	resultList *widget.List

	problemsBox   *fyne.Container
	noProblems    *widget.Label
	problemsTitle *widget.Label
	problems      *sortTable[*core.InputError]
	more          *widget.Label
	problemText   string // every kept problem, one a line, for the clipboard
}

func newImportView(wb *workbench) fyne.CanvasObject {
	v := &importView{wb: wb, importFile: projectImport}
	v.ExtendBaseWidget(v)
	v.content = v.buildUI()
	wb.onProjectChanged(v.onProjectChanged)
	v.onProjectChanged()
	return v
}

func (v *importView) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(v.content) }

func (v *importView) buildUI() fyne.CanvasObject {
	v.format = widget.NewSelect(titles(importFormats), func(string) {
		v.wb.settings.setImportFormat(valueOf(importFormats, v.format.SelectedIndex()))
	})
	v.format.SetSelectedIndex(indexOf(importFormats, v.wb.settings.ImportFormat))
	v.dups = widget.NewSelect(titles(dupPolicies), func(string) {
		v.wb.settings.setImportDuplicates(valueOf(dupPolicies, v.dups.SelectedIndex()))
	})
	v.dups.SetSelectedIndex(indexOf(dupPolicies, v.wb.settings.ImportDuplicates))
	v.skip = widget.NewCheck(lang.L("Skip files imported before"), nil)
	v.addLabels = widget.NewCheck(lang.L("Accept labels outside the project's label set"), nil)
	v.importBtn = widget.NewButtonWithIcon(lang.L("Import files…"), theme.UploadIcon(), v.onChooseFile)
	v.importBtn.Importance = widget.HighImportance

	form := widget.NewForm(
		widget.NewFormItem(lang.L("Format"), v.format),
		widget.NewFormItem(lang.L("Repeated rows"), v.dups),
	)
	hint := widget.NewLabel(lang.L("Each file is imported whole or not at all. You can also drop files on the window."))
	hint.Wrapping = fyne.TextWrapWord
	hint.TextStyle.Italic = true
	top := container.NewVBox(form, container.NewHBox(v.skip, v.addLabels), container.NewHBox(v.importBtn), hint)

	v.resultList = widget.NewList(
		func() int { return len(v.results) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(v.results[i]) },
	)
	results := container.NewBorder(boldLabel(lang.L("Imported files")), nil, nil, nil, v.resultList)

	v.problemsTitle = widget.NewLabel("")
	v.problemsTitle.Wrapping = fyne.TextWrapWord
	v.problemsTitle.Importance = widget.DangerImportance
	v.problems = newSortTable([]column[*core.InputError]{
		textCol(lang.L("File"), 160, func(e *core.InputError) string { return filepath.Base(e.File) }),
		posCol(lang.L("Row"), 70, func(e *core.InputError) int { return e.Row }),
		posCol(lang.L("Column"), 80, func(e *core.InputError) int { return e.Col }),
		textCol(lang.L("Field"), 110, func(e *core.InputError) string { return e.Field }),
		textCol(lang.L("Problem"), 720, problemText),
	})
	v.more = widget.NewLabel("")
	v.more.Hide()
	copyBtn := widget.NewButtonWithIcon(lang.L("Copy problems"), theme.ContentCopyIcon(), func() {
		v.wb.app.Clipboard().SetContent(v.problemText)
	})
	v.problemsBox = container.NewBorder(v.problemsTitle, container.NewHBox(v.more, copyBtn), nil, nil, v.problems)
	v.problemsBox.Hide()
	v.noProblems = widget.NewLabel(lang.L("When a file has problems, they are listed here with their row and column."))
	v.noProblems.Wrapping = fyne.TextWrapWord
	v.noProblems.TextStyle.Italic = true
	// A stack sizes the hidden table too, so it shows at full size; only
	// one of the two is visible at a time.
	problems := container.NewStack(container.NewVBox(v.noProblems), v.problemsBox)

	split := container.NewVSplit(results, problems)
	split.Offset = 0.35
	return container.NewBorder(top, nil, nil, nil, split)
}

func (v *importView) onProjectChanged() {
	if v.wb.proj == nil {
		v.importBtn.Disable()
	} else {
		v.importBtn.Enable()
	}
	v.results = nil
	v.resultList.Refresh()
	v.clearProblems()
}

// onChooseFile asks for a file and imports it.
func (v *importView) onChooseFile() {
	if v.wb.proj == nil {
		showError(v.wb.win, errNoOpenProject)
		return
	}
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			showError(v.wb.win, err)
			return
		}
		if r == nil {
			return // the user closed the dialog
		}
		path := r.URI().Path()
		r.Close()
		v.start([]string{path})
	}, v.wb.win)
	d.SetFilter(storage.NewExtensionFileFilter(importExtensions))
	if dir, err := storage.ListerForURI(storage.NewFileURI(filepath.Dir(v.wb.proj.path))); err == nil {
		d.SetLocation(dir)
	}
	d.Resize(dialogSize(v.wb.win))
	d.Show()
}

// options are the import options the user chose.
func (v *importView) options() core.ImportOptions {
	return core.ImportOptions{
		Ingest:       core.IngestOptions{Format: valueOf(importFormats, v.format.SelectedIndex())},
		Duplicates:   core.DuplicatePolicy(valueOf(dupPolicies, v.dups.SelectedIndex())),
		SkipExisting: v.skip.Checked,
		AddLabels:    v.addLabels.Checked,
	}
}

// start imports paths one after another, each in its own transaction. It
// stops at the first file that fails: the files before it stay imported.
func (v *importView) start(paths []string) {
	if v.wb.proj == nil {
		showError(v.wb.win, errNoOpenProject)
		return
	}
	if len(paths) == 0 {
		return
	}
	open, opts := v.wb.proj.core, v.options()
	if opts.Ingest.Format == "auto" {
		opts.Ingest.Format = ""
	}
	title := lang.L("Importing {{.File}}", map[string]any{"File": filepath.Base(paths[0])})
	if len(paths) > 1 {
		title = lang.L("Importing {{.N}} files", map[string]any{"N": len(paths)})
	}
	var (
		done    []core.ImportResult
		current string
	)
	finish := func() {
		for _, r := range done {
			v.addResult(resultText(r))
		}
		if len(done) > 0 {
			v.wb.changed()
		}
	}
	v.clearProblems()
	v.wb.runProject(task{
		Title: title,
		Work: func(ctx context.Context, report progressFunc) error {
			for _, p := range paths {
				current = p
				res, err := v.importFile(ctx, open, p, opts, core.ImportProgress(report))
				if err != nil {
					return err
				}
				done = append(done, res)
			}
			return nil
		},
		Done: finish,
		Failed: func(err error) bool {
			finish()
			v.addResult(lang.L("{{.File}}: not imported", map[string]any{"File": filepath.Base(current)}))
			return v.showProblems(current, err)
		},
		Cancelled: func() {
			finish()
			v.addResult(lang.L("{{.File}}: cancelled, nothing from it was imported", map[string]any{"File": filepath.Base(current)}))
		},
	})
}

func (v *importView) addResult(line string) {
	v.results = append(v.results, line)
	v.resultList.Refresh()
	v.resultList.ScrollToBottom()
}

// showProblems lists err's positioned problems in the table and returns
// true, or returns false when err has none.
func (v *importView) showProblems(file string, err error) bool {
	l, ok := core.AsInputErrors(err)
	if !ok {
		var ie *core.InputError
		if !errors.As(err, &ie) {
			return false
		}
		l = &core.InputErrorList{}
		l.Add(ie)
	}
	rows := slices.Clone(l.Errs)
	slices.SortStableFunc(rows, func(a, b *core.InputError) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Sheet, b.Sheet), cmp.Compare(a.Row, b.Row), cmp.Compare(a.Col, b.Col))
	})
	v.problems.setRows(rows)
	v.problemsTitle.SetText(lang.L("{{.File}}: {{.N}} problems. Nothing from this file was imported: fix them and import the file again.",
		map[string]any{"File": filepath.Base(file), "N": l.Len()}))
	if n := l.Len() - len(l.Errs); n > 0 {
		v.more.SetText(lang.L("and {{.N}} more", map[string]any{"N": n}))
		v.more.Show()
	} else {
		v.more.Hide()
	}
	v.problemText = strings.Join(l.RenderLines(controlHint), "\n")
	v.noProblems.Hide()
	v.problemsBox.Show()
	return true
}

func (v *importView) clearProblems() {
	v.problems.setRows(nil)
	v.problemText = ""
	v.more.Hide()
	v.problemsBox.Hide()
	v.noProblems.Show()
}

// resultText describes one imported file in a line.
func resultText(r core.ImportResult) string {
	name := filepath.Base(r.File)
	if r.Skipped {
		return lang.L("{{.File}}: skipped, it was imported before", map[string]any{"File": name})
	}
	s := lang.L("{{.File}}: {{.Rows}} rows ({{.Format}}), {{.Stored}} stored, {{.Duplicates}} duplicates, {{.Items}} new items, {{.Annotators}} new annotators",
		map[string]any{"File": name, "Rows": r.Rows, "Format": r.Format, "Stored": r.Stored, "Duplicates": r.Duplicates,
			"Items": r.NewItems, "Annotators": r.NewAnnotators})
	if len(r.NewLabels) > 0 {
		s += "; " + lang.L("new labels: {{.Labels}}", map[string]any{"Labels": strings.Join(r.NewLabels, ", ")})
	}
	return s + "; " + lang.L("{{.Seconds}} s", map[string]any{"Seconds": strconv.FormatFloat(r.Elapsed.Seconds(), 'f', 1, 64)})
}

func problemText(e *core.InputError) string { return problemWords(e.Err) }

// posCol is a column of 1-based positions; 0 (unknown) is left blank.
func posCol[T any](title string, width float32, pos func(T) int) column[T] {
	c := numCol(title, width, func(r T) int64 { return int64(pos(r)) })
	c.text = func(r T) string {
		if p := pos(r); p > 0 {
			return strconv.Itoa(p)
		}
		return ""
	}
	return c
}

// titles are the translated titles of choices, for a Select.
func titles(choices []struct{ value, title string }) []string {
	out := make([]string, len(choices))
	for i, c := range choices {
		out[i] = lang.L(c.title)
	}
	return out
}

// indexOf is the index of value in choices, or 0.
func indexOf(choices []struct{ value, title string }, value string) int {
	for i, c := range choices {
		if c.value == value {
			return i
		}
	}
	return 0
}

// valueOf is the value of choice i, or of the first choice when i is out of range.
func valueOf(choices []struct{ value, title string }, i int) string {
	if i < 0 || i >= len(choices) {
		return choices[0].value
	}
	return choices[i].value
}
