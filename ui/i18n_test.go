package ui

import (
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"

	"labelqa/assets"
)

func readTranslation(t *testing.T, code string) map[string]string {
	t.Helper()
	data, err := assets.Translations.ReadFile(assets.TranslationsDir + "/" + code + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s.json: %v", code, err)
	}
	return m
}

var templateField = regexp.MustCompile(`{{\.[A-Za-z]+}}`)

// TestTranslationsComplete checks that every English message has an
// Indonesian and a Norwegian translation with the same template fields.
func TestTranslationsComplete(t *testing.T) {
	en := readTranslation(t, "en")
	for _, l := range languages {
		tr := readTranslation(t, l.code)
		for key := range en {
			v, ok := tr[key]
			if !ok || v == "" {
				t.Errorf("%s.json: no translation of %q", l.code, key)
				continue
			}
			want, got := templateField.FindAllString(key, -1), templateField.FindAllString(v, -1)
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(want, got) {
				t.Errorf("%s.json: %q has fields %v, want %v", l.code, key, got, want)
			}
		}
		for key := range tr {
			if _, ok := en[key]; !ok {
				t.Errorf("%s.json: %q is not an English message", l.code, key)
			}
		}
	}
}

// TestMessagesTranslated checks that every message the code shows, through
// lang.L or msg, is in en.json.
func TestMessagesTranslated(t *testing.T) {
	en := readTranslation(t, "en")
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	n := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(node ast.Node) bool {
			call, ok := node.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 || !isMessageCall(call.Fun) {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok {
				return true // a key held in a variable, marked with msg where it is written
			}
			key, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatal(err)
			}
			n++
			if _, ok := en[key]; !ok {
				t.Errorf("%s: %q is not in en.json", fset.Position(lit.Pos()), key)
			}
			return true
		})
	}
	if n < 50 {
		t.Errorf("found only %d messages; is the parser looking at the right calls?", n)
	}
}

func isMessageCall(fun ast.Expr) bool {
	switch f := fun.(type) {
	case *ast.Ident:
		return f.Name == "msg"
	case *ast.SelectorExpr:
		x, ok := f.X.(*ast.Ident)
		return ok && x.Name == "lang" && f.Sel.Name == "L"
	}
	return false
}

// TestLanguagesLoad switches lang.L to each language and back to English.
func TestLanguagesLoad(t *testing.T) {
	if err := loadTranslations(""); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { useLanguage("en") })
	for _, l := range languages {
		if err := useLanguage(l.code); err != nil {
			t.Fatalf("%s: %v", l.code, err)
		}
		tr := readTranslation(t, l.code)
		for _, key := range []string{"Cancel", "Overview", "Import files…"} {
			if got := lang.L(key); got != tr[key] {
				t.Errorf("%s: lang.L(%q) = %q, want %q", l.code, key, got, tr[key])
			}
		}
		if got, want := lang.L("and {{.N}} more", map[string]any{"N": 5}), strings.ReplaceAll(tr["and {{.N}} more"], "{{.N}}", "5"); got != want {
			t.Errorf("%s: template message %q, want %q", l.code, got, want)
		}
	}
	if err := useLanguage("xx"); err == nil {
		t.Error("an unknown language loaded")
	}
}

func TestLanguagePreference(t *testing.T) {
	wb, w := newTestWorkbench(t)
	menuItem(t, w, "Bahasa Indonesia").Action()
	if got := wb.app.Preferences().String(prefLanguage); got != "id" {
		t.Errorf("language preference %q, want id", got)
	}
	if !menuItem(t, w, "Bahasa Indonesia").Checked {
		t.Error("the chosen language is not checked")
	}
	// The window switches at once: tabs and menus in Indonesian.
	id := readTranslation(t, "id")
	if got := wb.tabs.Items[0].Text; got != id["Overview"] {
		t.Errorf("first tab %q after choosing Indonesian, want %q", got, id["Overview"])
	}
	if w.MainMenu().Items[0].Label != id["File"] {
		t.Errorf("File menu %q, want %q", w.MainMenu().Items[0].Label, id["File"])
	}
	// And back to English, with a view that still works.
	menuItem(t, w, "English").Action()
	if got := wb.tabs.Items[0].Text; got != "Overview" || wb.importer == nil || len(wb.tabs.Items) != len(views()) {
		t.Errorf("after English: first tab %q, %d tabs, importer %v", got, len(wb.tabs.Items), wb.importer != nil)
	}
}

// TestLanguageWaitsForRunningTask: while a task runs the views keep their
// language (the task's view holds its results) and the user is told so.
func TestLanguageWaitsForRunningTask(t *testing.T) {
	t.Cleanup(func() { useLanguage("en") })
	wb, w := newTestWorkbench(t)
	release := make(chan struct{})
	wb.tasks.run(wb.ctx, nil, task{Title: "Working", Work: func(ctx context.Context, _ progressFunc) error {
		<-release
		return nil
	}})
	defer func() { close(release); wb.tasks.wait() }()
	menuItem(t, w, "Norsk bokmål").Action()
	if got := wb.tabs.Items[0].Text; got != "Overview" {
		t.Errorf("tab %q changed language during a task", got)
	}
	if got := dialogText(w); !strings.Contains(got, "next start") {
		t.Errorf("no word of when the language applies: %q", got)
	}
	if wb.settings.Language != "nb" {
		t.Errorf("language preference %q, want nb", wb.settings.Language)
	}
}

// TestCountGrouping: counts are grouped as the language in use writes them,
// and switching the language switches the grouping.
func TestCountGrouping(t *testing.T) {
	t.Cleanup(func() { useNumbers("en") })
	for code, want := range map[string]string{"en": "1,234,567", "id": "1.234.567", "nb": "1\u00a0234\u00a0567"} {
		useNumbers(code)
		if got := count(1234567); got != want {
			t.Errorf("%s: count(1234567) = %q, want %q", code, got, want)
		}
	}
	useNumbers("en")
	if got := count(999); got != "999" {
		t.Errorf("count(999) = %q", got)
	}
	_, w := newTestWorkbench(t)
	t.Cleanup(func() { useLanguage("en") })
	menuItem(t, w, "Bahasa Indonesia").Action()
	if got := count(1000); got != "1.000" {
		t.Errorf("after choosing Indonesian count(1000) = %q", got)
	}
	menuItem(t, w, "English").Action()
}
