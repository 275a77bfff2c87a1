package ui

import (
	"fmt"
	"strings"
	"sync/atomic"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"fyne.io/fyne/v2/lang"

	"labelqa/assets"
)

// languages are the translations in assets/translations, as offered by the
// View ▸ Language menu. Each name is written in its own language.
var languages = []struct{ code, name string }{
	{"en", "English"},
	{"id", "Bahasa Indonesia"},
	{"nb", "Norsk bokmål"},
}

// msg marks a message key that is translated later, where it is shown, with
// lang.L. It returns key unchanged.
func msg(key string) string { return key }

// loadTranslations registers the embedded translations with Fyne and, when
// code names one of languages, makes it the language of every lang.L call
// from now on. An empty code follows the system's language.
//
// Fyne's lang package picks a translation from the system locale and has no
// call to choose one, so a chosen language is registered a second time under
// the system locale, which then finds it first. Widgets built before the call
// keep their text: the workbench builds its views again (onLanguageChanged).
func loadTranslations(code string) error {
	if err := lang.AddTranslationsFS(assets.Translations, assets.TranslationsDir); err != nil {
		return err
	}
	useNumbers(languageOrSystem(code))
	return useLanguage(code)
}

// languageOrSystem is code, or for "" the one of languages the system's
// locale asks for (English when none).
func languageOrSystem(code string) string {
	if code != "" {
		return code
	}
	sys := strings.ToLower(lang.SystemLocale().LanguageString())
	base, _, _ := strings.Cut(strings.ReplaceAll(sys, "_", "-"), "-")
	switch base {
	case "nb", "no", "nn":
		return "nb"
	case "id", "in":
		return "id"
	}
	return "en"
}

// useLanguage makes code's translation the one lang.L uses; "" leaves the
// system's choice.
func useLanguage(code string) error {
	if code == "" {
		return nil
	}
	data, err := assets.Translations.ReadFile(assets.TranslationsDir + "/" + code + ".json")
	if err != nil {
		return fmt.Errorf("no translation for language %q: %w", code, err)
	}
	// SystemLocale is "en" when the system names no language (LANG=C),
	// which is also what Fyne falls back to.
	return lang.AddTranslationsForLocale(data, lang.SystemLocale())
}

// numbers formats counts with the digit grouping of the language in use.
var numbers atomic.Pointer[message.Printer]

func init() { useNumbers("en") }

// useNumbers makes count group digits as code's language does.
func useNumbers(code string) { numbers.Store(message.NewPrinter(language.Make(code))) }

// count is n with digit grouping: 1,234,567 in English, 1.234.567 in
// Indonesian, 1 234 567 (with no-break spaces) in Norwegian.
func count(n int64) string { return numbers.Load().Sprintf("%d", n) }
