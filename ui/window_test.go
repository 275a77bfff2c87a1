package ui

import (
	"context"
	"errors"
	"fmt"
	"labelqa/app/core"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

func TestThemeSwitch(t *testing.T) {
	wb, w := newTestWorkbench(t)
	bg := theme.ColorNameBackground
	for _, tc := range []struct {
		item, pref string
		variant    fyne.ThemeVariant
	}{
		{"Dark theme", themeDark, theme.VariantDark},
		{"Light theme", themeLight, theme.VariantLight},
	} {
		menuItem(t, w, tc.item).Action()
		if got := wb.app.Preferences().String(prefTheme); got != tc.pref {
			t.Errorf("%s: preference %q, want %q", tc.item, got, tc.pref)
		}
		want := theme.DefaultTheme().Color(bg, tc.variant)
		for _, asked := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
			if got := wb.app.Settings().Theme().Color(bg, asked); got != want {
				t.Errorf("%s: background %v whatever the system asks, want %v", tc.item, got, want)
			}
		}
		if !menuItem(t, w, tc.item).Checked {
			t.Errorf("%s is not checked in the menu", tc.item)
		}
	}
	menuItem(t, w, "System theme").Action()
	if got := wb.app.Settings().Theme().Color(bg, theme.VariantDark); got != theme.DefaultTheme().Color(bg, theme.VariantDark) {
		t.Errorf("the system theme does not follow the system's variant")
	}
	if got := loadSettings(wb.app.Preferences()).Theme; got != themeSystem {
		t.Errorf("theme read back as %q", got)
	}
}

func TestShortcuts(t *testing.T) {
	for _, sc := range []fyne.Shortcut{shortcutOpen, shortcutNew} {
		t.Run(sc.ShortcutName(), func(t *testing.T) {
			_, w := newTestWorkbench(t)
			w.Canvas().(fyne.Shortcutable).TypedShortcut(sc)
			if w.Canvas().Overlays().Top() == nil {
				t.Errorf("%s shows no file dialog", sc.ShortcutName())
			}
		})
	}
}

func TestMenu(t *testing.T) {
	_, w := newTestWorkbench(t)
	for title, sc := range map[string]fyne.Shortcut{
		"New project…": shortcutNew, "Open project…": shortcutOpen, "Import files…": shortcutImport, "Quit": shortcutQuit,
	} {
		if it := menuItem(t, w, title); it.Shortcut != sc {
			t.Errorf("%s: shortcut %v, want %v", title, it.Shortcut, sc)
		}
	}
	if !menuItem(t, w, "Quit").IsQuit {
		t.Error("Quit is not the quit item")
	}
	menuItem(t, w, "No recent projects")
	menuItem(t, w, "Norsk bokmål")
	menuItem(t, w, "About LabelQA").Action()
	if got := dialogText(w); !strings.Contains(got, "Version") {
		t.Errorf("About shows %q", got)
	}
}

func TestErrorMessages(t *testing.T) {
	generic := errorMessage(errors.New("disk on fire"))
	seen := map[string]error{}
	for _, err := range []error{
		core.ErrBatchExists, core.ErrNotProject, core.ErrNoProject, core.ErrNewerProject,
		core.ErrProjectExists, errNoOpenProject, errBusy,
	} {
		wrapped := fmt.Errorf("x.lqa: %w", err)
		got := errorMessage(wrapped)
		if got == generic {
			t.Errorf("%v: the generic message", err)
		}
		if prev, ok := seen[got]; ok {
			t.Errorf("%v and %v share the message %q", err, prev, got)
		}
		seen[got] = err
	}
}

func TestProgressThrottle(t *testing.T) {
	var p progressState
	shown := 0
	for i := range 1000 {
		if p.store(int64(i), 1000, int64(i)) {
			shown++
		}
	}
	if shown != 1 {
		t.Errorf("1000 reports in a burst updated the widgets %d times, want 1", shown)
	}
	if p.done.Load() != 999 {
		t.Errorf("the latest report was not kept")
	}
	p.last.Store(time.Now().Add(-progressEvery).UnixNano())
	if !p.store(1000, 1000, 1000) {
		t.Error("a report after progressEvery was not shown")
	}
}

func TestByteSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 999: "999 B", 1000: "1.0 kB", 4_200_000: "4.2 MB", 1_300_000_000: "1.3 GB"} {
		if got := byteSize(n); got != want {
			t.Errorf("byteSize(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestProgressWritingPhase: once a task reports a negative total (an
// import writing the project) the bar shows activity and says so, even
// right after another report.
func TestProgressWritingPhase(t *testing.T) {
	wb, _ := newTestWorkbench(t)
	release := make(chan struct{})
	wb.tasks.run(wb.ctx, nil, task{Title: "Importing", Work: func(context.Context, progressFunc) error {
		<-release
		return nil
	}})
	defer func() { close(release); wb.tasks.wait() }()
	var p progressState
	p.store(500, 1000, 10)
	if !p.store(1000, core.Writing, 20) {
		t.Fatal("the writing phase was throttled away")
	}
	wb.tasks.progress(wb.tasks.current, &p)
	if !wb.tasks.busy.Visible() || wb.tasks.bar.Visible() {
		t.Error("the bar does not show activity while the project is written")
	}
	if got := wb.tasks.detail.Text; !strings.Contains(got, "Writing the project") || !strings.Contains(got, "20") {
		t.Errorf("detail %q", got)
	}
}
