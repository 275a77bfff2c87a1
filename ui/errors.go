package ui

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"labelqa/app/core"
	"labelqa/app/remedy"
)

// Errors of the workbench itself, told apart like the core's sentinels.
var (
	errNoOpenProject = errors.New("no project is open")
	errBusy          = errors.New("another task is running")
)

// showError tells the user what went wrong and what to do about it, in a
// dialog over w. It may be called from any goroutine: the dialog is shown
// with fyne.Do.
func showError(w fyne.Window, err error) {
	if err == nil {
		return
	}
	text := errorMessage(err)
	details := problemWords(err)
	fyne.Do(func() {
		sentence := widget.NewLabel(text)
		sentence.Wrapping = fyne.TextWrapWord
		content := container.NewVBox(sentence)
		if details != text {
			d := widget.NewLabel(details)
			d.Wrapping = fyne.TextWrapWord
			d.Importance = widget.LowImportance
			d.Selectable = true
			content.Add(d)
		}
		dlg := dialog.NewCustom(lang.L("Something needs your attention"), lang.L("OK"), content, w)
		dlg.Resize(fyne.NewSize(480, 0))
		dlg.Show()
	})
}

// errorMessage is the sentence showError shows for err: what happened, and
// what to do next.
func errorMessage(err error) string {
	var ie *core.InputError
	switch {
	case errors.Is(err, errNoOpenProject):
		return lang.L("No project is open. Open one with File › Open project…, or create one with File › New project…, then try again.")
	case errors.Is(err, errBusy):
		return lang.L("Another task is still running. Wait for it to finish, or cancel it, then try again.")
	case errors.Is(err, core.ErrBatchExists):
		return lang.L("This file was imported into the project before. Turn on “Skip files imported before” to pass over it, or choose another file.")
	case errors.Is(err, core.ErrNotProject):
		return lang.L("This file is not a LabelQA project. Choose a .lqa file, or create a new project with File › New project….")
	case errors.Is(err, core.ErrNoProject):
		return lang.L("There is no project file at that place any more. It may have been moved or deleted: open it from its new place, or create a new project.")
	case errors.Is(err, core.ErrNewerProject):
		return lang.L("This project was saved by a newer version of LabelQA. Install the newer version to open it.")
	case errors.Is(err, core.ErrProjectExists):
		return lang.L("A file with that name already exists. Choose another name for the new project.")
	case errors.Is(err, fs.ErrPermission):
		return lang.L("LabelQA is not allowed to use that file. Check its permissions, or choose another place.")
	case errors.Is(err, fs.ErrNotExist):
		return lang.L("The file could not be found. It may have been moved or deleted: choose it again.")
	case errors.As(err, &ie):
		return lang.L("There is a problem in {{.File}} at row {{.Row}}. Nothing from this file was imported: fix the file and import it again.",
			map[string]any{"File": filepath.Base(ie.File), "Row": ie.Row})
	}
	if l, ok := core.AsInputErrors(err); ok {
		return lang.L("The file has {{.N}} problems. Nothing from it was imported: fix them and import it again.", map[string]any{"N": l.Len()})
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return lang.L("The task took too long and was stopped. Try again.")
	}
	return lang.L("Something went wrong. Try again; if it happens again, send the details below to the LabelQA team.")
}

// problemWords is err's text as the workbench shows it: after the core's
// words for what to do, the control that does it, in the language in use
// ("… accept labels outside the label set (turn on “Accept labels outside
// the project's label set”)"). An action the workbench has no control for
// (a column mapping, a sheet, a golden-set version name) keeps the core's
// words alone. It takes the error, not the core's error types.
func problemWords(err error) string {
	if err == nil {
		return ""
	}
	return remedy.Render(err, controlHint)
}

// controlHint names the workbench's control for h, or "" when there is none.
func controlHint(h remedy.Hint) string {
	turnOn := func(control string) string {
		return lang.L("turn on “{{.Control}}”", map[string]any{"Control": lang.L(control)})
	}
	switch h.Action {
	case remedy.AcceptLabels:
		return turnOn(msg("Accept labels outside the project's label set"))
	case remedy.SkipImported:
		return turnOn(msg("Skip files imported before"))
	case remedy.ChooseDuplicates:
		return lang.L("choose under “{{.Control}}”", map[string]any{"Control": lang.L("Repeated rows")})
	case remedy.ChooseFormat:
		if i := slices.IndexFunc(importFormats, func(f struct{ value, title string }) bool { return f.value == h.Value }); h.Value != "" && i >= 0 {
			return lang.L("choose “{{.Choice}}” under “{{.Control}}”", map[string]any{"Choice": lang.L(importFormats[i].title), "Control": lang.L("Format")})
		}
		return lang.L("choose under “{{.Control}}”", map[string]any{"Control": lang.L("Format")})
	case remedy.CreateProject:
		return lang.L("{{.Menu}} › {{.Item}}", map[string]any{"Menu": lang.L("File"), "Item": lang.L("New project…")})
	}
	return ""
}
