// Package ui is LabelQA's desktop workbench: one window whose views show an
// open project and import batches into it.
//
// ui calls labelqa/app/core only, never the store or the readers beneath
// it. Work that reads or writes a project runs in a goroutine through
// tasks.run, which hands every result back to the UI goroutine with fyne.Do.
package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"labelqa/app/core"
	"labelqa/assets"
)

// view is one view of the workbench, shown as a tab.
type view struct {
	Title string // message key
	Icon  fyne.Resource
	View  func(wb *workbench) fyne.CanvasObject
}

// views are the workbench's views, in tab order. A function, not a package
// variable: theme icons need the running app, and the headless CLI links
// this package without one.
func views() []view {
	return []view{
		{Title: msg("Overview"), Icon: theme.HomeIcon(), View: newOverview},
		{Title: msg("Batches"), Icon: theme.ListIcon(), View: newBatches},
		{Title: msg("Import"), Icon: theme.UploadIcon(), View: newImportView},
	}
}

// Keyboard shortcuts; Ctrl on Linux and Windows, Cmd on macOS.
var (
	shortcutNew    = &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutOpen   = &desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutImport = &desktop.CustomShortcut{KeyName: fyne.KeyI, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutQuit   = &desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierShortcutDefault}
)

// New builds the workbench in w, the app's main window, and opens
// projectPath when it is not empty. main creates the app and the window,
// calls New, then w.ShowAndRun.
func New(a fyne.App, w fyne.Window, projectPath string) {
	wb := newWorkbench(a, w)
	if projectPath != "" {
		wb.openProject(projectPath)
	}
}

// workbench is the window: the open project, the views, the menus and the
// task bar.
type workbench struct {
	app      fyne.App
	win      fyne.Window
	settings *settings
	tasks    *tasks
	ctx      context.Context // cancelled when the window closes
	stop     context.CancelFunc

	// UI goroutine only.
	proj       *session // the open project, nil when none
	listeners  []func() // views' reloads after the project or its content changed
	tabs       *container.AppTabs
	viewTitles []string // message keys of the tabs, in order
	importer   *importView
	closeOnce  sync.Once
}

// session is an open project and the tasks that use it.
type session struct {
	path   string
	core   *core.Project
	ctx    context.Context // cancelled when the project is closed
	cancel context.CancelFunc
	tasks  sync.WaitGroup
}

func newWorkbench(a fyne.App, w fyne.Window) *workbench {
	wb := &workbench{app: a, win: w, settings: loadSettings(a.Preferences())}
	wb.ctx, wb.stop = context.WithCancel(context.Background())
	if err := loadTranslations(wb.settings.Language); err != nil {
		fyne.LogError("loading translations", err)
	}
	a.SetIcon(assets.Icon)
	a.Settings().SetTheme(themeFor(wb.settings.Theme))
	wb.tasks = newTasks(w)
	wb.buildViews()
	w.SetMainMenu(wb.menu())
	for sc, action := range map[*desktop.CustomShortcut]func(){
		shortcutNew: wb.onNewProject, shortcutOpen: wb.onOpenProject,
		shortcutImport: wb.onImport, shortcutQuit: wb.onQuit,
	} {
		w.Canvas().AddShortcut(sc, func(fyne.Shortcut) { action() })
	}
	w.SetOnDropped(wb.onDropped)
	w.SetOnClosed(wb.shutdown)
	w.SetTitle(lang.L("LabelQA"))
	w.Resize(fyne.NewSize(1100, 720))
	return wb
}

// buildViews makes the tabs, in the current language, and puts them in the
// window above the task bar. Called again after a change of language: the
// views then reload from the open project.
func (wb *workbench) buildViews() {
	wb.listeners, wb.viewTitles, wb.importer = nil, nil, nil
	wb.tabs = container.NewAppTabs()
	for _, v := range views() {
		obj := v.View(wb)
		if imp, ok := obj.(*importView); ok {
			wb.importer = imp // for Ctrl+I and dropped files
		}
		wb.viewTitles = append(wb.viewTitles, v.Title)
		wb.tabs.Append(container.NewTabItemWithIcon(lang.L(v.Title), v.Icon, obj))
	}
	wb.win.SetContent(container.NewBorder(nil, container.NewPadded(wb.tasks.view()), nil, nil, wb.tabs))
}

// onProjectChanged registers fn to run, on the UI goroutine, after a
// project was opened or closed, or its content changed.
func (wb *workbench) onProjectChanged(fn func()) { wb.listeners = append(wb.listeners, fn) }

// changed tells every view that the project or its content changed.
func (wb *workbench) changed() {
	for _, fn := range wb.listeners {
		fn()
	}
}

// runProject runs tk with the open project; closing the project
// cancels it. It returns false when no project is open or another titled
// task is running.
func (wb *workbench) runProject(tk task) bool {
	if wb.proj == nil {
		showError(wb.win, errNoOpenProject)
		return false
	}
	return wb.tasks.run(wb.proj.ctx, &wb.proj.tasks, tk)
}

// openProject opens the project at path in place of the open one.
func (wb *workbench) openProject(path string) {
	var p *core.Project
	wb.tasks.run(wb.ctx, nil, task{
		Title: lang.L("Opening {{.File}}", map[string]any{"File": filepath.Base(path)}),
		Work: func(ctx context.Context, _ progressFunc) (err error) {
			p, err = core.Open(ctx, path)
			return err
		},
		Done: func() { wb.setProject(path, p) },
		Failed: func(err error) bool {
			if errors.Is(err, core.ErrNoProject) {
				wb.settings.removeRecent(path)
				wb.win.SetMainMenu(wb.menu())
				wb.changed()
			}
			return false
		},
		Cancelled: func() { p.Close() },
	})
}

// createProject makes a new, empty project at path and opens it.
func (wb *workbench) createProject(path string) {
	var p *core.Project
	wb.tasks.run(wb.ctx, nil, task{
		Title: lang.L("Creating {{.File}}", map[string]any{"File": filepath.Base(path)}),
		Work: func(ctx context.Context, _ progressFunc) (err error) {
			p, err = core.Create(ctx, path, nil, nil)
			return err
		},
		Done:      func() { wb.setProject(path, p) },
		Cancelled: func() { p.Close() },
	})
}

// setProject makes p, opened from path, the open project.
func (wb *workbench) setProject(path string, p *core.Project) {
	wb.closeProject()
	ctx, cancel := context.WithCancel(wb.ctx)
	wb.proj = &session{path: path, core: p, ctx: ctx, cancel: cancel}
	wb.settings.addRecent(path)
	wb.win.SetMainMenu(wb.menu())
	wb.win.SetTitle(lang.L("LabelQA — {{.File}}", map[string]any{"File": filepath.Base(path)}))
	wb.tasks.setStatus(path)
	wb.tabs.SelectIndex(0)
	wb.changed()
}

// closeProject cancels the open project's tasks and closes it once
// they have returned.
func (wb *workbench) closeProject() {
	p := wb.proj
	if p == nil {
		return
	}
	wb.proj = nil
	p.cancel()
	go func() {
		p.tasks.Wait()
		if err := p.core.Close(); err != nil {
			fyne.LogError("closing "+p.path, err)
		}
	}()
}

// shutdown cancels every task and closes the project, waiting for both: the
// window is closing.
func (wb *workbench) shutdown() {
	wb.closeOnce.Do(func() {
		wb.stop()
		wb.tasks.wait()
		if wb.proj != nil {
			if err := wb.proj.core.Close(); err != nil {
				fyne.LogError("closing "+wb.proj.path, err)
			}
			wb.proj = nil
		}
	})
}

// onNewProject asks for a name and a folder for a new project. Fyne's save
// dialog opens the chosen file for writing, which would empty an existing
// project once its owner confirmed "overwrite", before LabelQA could refuse
// it; this dialog touches no file, and creating refuses one that exists.
func (wb *workbench) onNewProject() {
	d, _ := wb.newProjectDialog()
	d.Resize(fyne.NewSize(min(560, dialogSize(wb.win).Width), 0))
	d.Show()
}

// newProjectDialog builds the New project dialog; the entry is its name field.
func (wb *workbench) newProjectDialog() (*dialog.FormDialog, *widget.Entry) {
	folder := wb.defaultFolder()
	name := widget.NewEntry()
	name.SetText(lang.L("project"))
	name.Validator = validateProjectName
	where := widget.NewLabel(folder)
	where.Truncation = fyne.TextTruncateEllipsis
	choose := widget.NewButtonWithIcon(lang.L("Choose…"), theme.FolderOpenIcon(), func() {
		fd := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
			if err != nil {
				showError(wb.win, err)
				return
			}
			if u != nil {
				folder = u.Path()
				where.SetText(folder)
			}
		}, wb.win)
		if l, err := storage.ListerForURI(storage.NewFileURI(folder)); err == nil {
			fd.SetLocation(l)
		}
		fd.Resize(dialogSize(wb.win))
		fd.Show()
	})
	items := []*widget.FormItem{
		widget.NewFormItem(lang.L("Name"), name),
		widget.NewFormItem(lang.L("Folder"), container.NewBorder(nil, nil, nil, choose, where)),
	}
	d := dialog.NewForm(lang.L("New project"), lang.L("Create"), lang.L("Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		path := newProjectPath(folder, name.Text)
		if _, err := os.Stat(path); err == nil {
			showError(wb.win, fmt.Errorf("%s: %w", path, core.ErrProjectExists))
			return
		}
		wb.createProject(path)
	}, wb.win)
	return d, name
}

// defaultFolder is where a new project goes unless the user picks another
// folder: beside the most recent project, else the home folder.
func (wb *workbench) defaultFolder() string {
	if len(wb.settings.Recent) > 0 {
		return filepath.Dir(wb.settings.Recent[0])
	}
	if home, err := os.UserHomeDir(); err == nil {
		return home
	}
	return "."
}

// newProjectPath is folder/name with the .lqa extension added when missing.
func newProjectPath(folder, name string) string {
	name = strings.TrimSpace(name)
	if !strings.EqualFold(filepath.Ext(name), ".lqa") {
		name += ".lqa"
	}
	return filepath.Join(folder, name)
}

// validateProjectName refuses an empty name and one naming another folder.
func validateProjectName(name string) error {
	name = strings.TrimSpace(name)
	if name == "" || name == "." || name == ".." {
		return errors.New(lang.L("Give the project a name."))
	}
	if strings.ContainsAny(name, `/\`) {
		return errors.New(lang.L("A name cannot hold a slash; choose the folder with Choose…."))
	}
	return nil
}

func (wb *workbench) onOpenProject() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			showError(wb.win, err)
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		wb.openProject(path)
	}, wb.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".lqa"}))
	wb.setDialogLocation(d)
	d.Resize(dialogSize(wb.win))
	d.Show()
}

// setDialogLocation starts a file dialog in the folder of the most recent project.
func (wb *workbench) setDialogLocation(d *dialog.FileDialog) {
	if len(wb.settings.Recent) == 0 {
		return
	}
	if dir, err := storage.ListerForURI(storage.NewFileURI(filepath.Dir(wb.settings.Recent[0]))); err == nil {
		d.SetLocation(dir)
	}
}

// onImport shows the Import view and asks for a file to import.
func (wb *workbench) onImport() {
	wb.showView(msg("Import"))
	wb.importer.onChooseFile()
}

// onDropped opens a dropped project file, or imports dropped batch files.
func (wb *workbench) onDropped(_ fyne.Position, uris []fyne.URI) {
	var paths []string
	for _, u := range uris {
		if u.Scheme() == "file" {
			paths = append(paths, u.Path())
		}
	}
	if len(paths) == 1 && strings.EqualFold(filepath.Ext(paths[0]), ".lqa") {
		wb.openProject(paths[0])
		return
	}
	if len(paths) > 0 {
		wb.showView(msg("Import"))
		wb.importer.start(paths)
	}
}

func (wb *workbench) onQuit() {
	wb.shutdown()
	wb.app.Quit()
}

func (wb *workbench) onThemeChanged(name string) {
	wb.settings.setTheme(name)
	wb.app.Settings().SetTheme(themeFor(name))
	wb.win.SetMainMenu(wb.menu())
}

// onLanguageChanged switches the window to another language at once: the
// views are built again and reload from the project. While a task runs its
// view keeps its results, so the switch waits for the next start.
func (wb *workbench) onLanguageChanged(code string) {
	wb.settings.setLanguage(code)
	if wb.tasks.running() {
		wb.win.SetMainMenu(wb.menu())
		dialog.ShowInformation(lang.L("Language"),
			lang.L("A task is running, so the new language is used from the next start of LabelQA."), wb.win)
		return
	}
	if err := useLanguage(languageOrSystem(code)); err != nil {
		showError(wb.win, err)
		return
	}
	useNumbers(languageOrSystem(code))
	sel := wb.tabs.SelectedIndex()
	wb.buildViews()
	wb.tasks.retranslate()
	wb.win.SetMainMenu(wb.menu())
	if wb.proj != nil {
		wb.win.SetTitle(lang.L("LabelQA — {{.File}}", map[string]any{"File": filepath.Base(wb.proj.path)}))
	} else {
		wb.win.SetTitle(lang.L("LabelQA"))
	}
	wb.tabs.SelectIndex(sel)
	wb.changed()
}

func (wb *workbench) onClearRecent() {
	wb.settings.clearRecent()
	wb.win.SetMainMenu(wb.menu())
	wb.changed()
}

func (wb *workbench) onAbout() {
	version := wb.app.Metadata().Version
	if version == "" {
		version = lang.L("development build")
	}
	icon := canvas.NewImageFromResource(assets.Icon)
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSize(96, 96))
	text := widget.NewLabel(lang.L("LabelQA checks the quality of labeling work: agreement, accuracy against golden sets, audits and KPIs. Everything stays on this computer."))
	text.Wrapping = fyne.TextWrapWord
	name := widget.NewLabel("LabelQA")
	name.SizeName = theme.SizeNameHeadingText
	d := dialog.NewCustom(lang.L("About LabelQA"), lang.L("Close"), container.NewVBox(icon, name,
		widget.NewLabel(lang.L("Version {{.Version}}", map[string]any{"Version": version})), text), wb.win)
	d.Resize(fyne.NewSize(420, 0))
	d.Show()
}

// showView selects the view whose title is key.
func (wb *workbench) showView(key string) {
	for i, title := range wb.viewTitles {
		if title == key {
			wb.tabs.SelectIndex(i)
		}
	}
}

// menu builds the main menu for the current settings.
func (wb *workbench) menu() *fyne.MainMenu {
	item := func(key string, sc fyne.Shortcut, action func()) *fyne.MenuItem {
		it := fyne.NewMenuItem(lang.L(key), action)
		it.Shortcut = sc
		return it
	}

	var recent []*fyne.MenuItem
	for _, p := range wb.settings.Recent {
		recent = append(recent, fyne.NewMenuItem(p, func() { wb.openProject(p) }))
	}
	if len(recent) == 0 {
		none := fyne.NewMenuItem(lang.L("No recent projects"), nil)
		none.Disabled = true
		recent = append(recent, none)
	} else {
		recent = append(recent, fyne.NewMenuItemSeparator(), fyne.NewMenuItem(lang.L("Clear recent projects"), wb.onClearRecent))
	}
	recentItem := fyne.NewMenuItem(lang.L("Recent projects"), nil)
	recentItem.ChildMenu = fyne.NewMenu("", recent...)
	quit := item(msg("Quit"), shortcutQuit, wb.onQuit)
	quit.IsQuit = true
	file := fyne.NewMenu(lang.L("File"),
		item(msg("New project…"), shortcutNew, wb.onNewProject),
		item(msg("Open project…"), shortcutOpen, wb.onOpenProject),
		recentItem,
		fyne.NewMenuItemSeparator(),
		item(msg("Import files…"), shortcutImport, wb.onImport),
		fyne.NewMenuItemSeparator(),
		quit,
	)

	var viewItems []*fyne.MenuItem
	for _, t := range themeChoices {
		it := fyne.NewMenuItem(lang.L(t.title), func() { wb.onThemeChanged(t.name) })
		it.Checked = wb.settings.Theme == t.name
		viewItems = append(viewItems, it)
	}
	langItems := []*fyne.MenuItem{fyne.NewMenuItem(lang.L("System language"), func() { wb.onLanguageChanged("") })}
	langItems[0].Checked = wb.settings.Language == ""
	for _, l := range languages {
		it := fyne.NewMenuItem(l.name, func() { wb.onLanguageChanged(l.code) })
		it.Checked = wb.settings.Language == l.code
		langItems = append(langItems, it)
	}
	langItem := fyne.NewMenuItem(lang.L("Language"), nil)
	langItem.ChildMenu = fyne.NewMenu("", langItems...)
	viewItems = append(viewItems, fyne.NewMenuItemSeparator(), langItem)

	help := fyne.NewMenu(lang.L("Help"), fyne.NewMenuItem(lang.L("About LabelQA"), wb.onAbout))
	return fyne.NewMainMenu(file, fyne.NewMenu(lang.L("View"), viewItems...), help)
}

// dialogSize is the size of file dialogs: most of the window.
func dialogSize(w fyne.Window) fyne.Size {
	s := w.Canvas().Size()
	return fyne.NewSize(max(s.Width*0.8, 600), max(s.Height*0.8, 420))
}
