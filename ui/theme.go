package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Theme choices, as stored under prefTheme.
const (
	themeSystem = "system"
	themeLight  = "light"
	themeDark   = "dark"
)

// themeChoices lists the View menu's theme items in order, with their
// message keys.
var themeChoices = []struct{ name, title string }{
	{themeLight, msg("Light theme")},
	{themeDark, msg("Dark theme")},
	{themeSystem, msg("System theme")},
}

// themeFor returns Fyne's default theme, held to one variant for light and
// dark, or following the system for any other name.
func themeFor(name string) fyne.Theme {
	switch name {
	case themeLight:
		return &variantTheme{Theme: theme.DefaultTheme(), variant: theme.VariantLight}
	case themeDark:
		return &variantTheme{Theme: theme.DefaultTheme(), variant: theme.VariantDark}
	}
	return theme.DefaultTheme()
}

// variantTheme is a theme whose colours ignore the system's light or dark
// preference.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t *variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}
