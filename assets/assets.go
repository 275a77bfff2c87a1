// Package assets holds what the workbench ships inside its binary: the
// application icon and the translations of every user-visible string.
//
// icon.png is drawn by ./internal/genicon and committed; FyneApp.toml points
// at it for packaging.
package assets

import (
	"embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is the application icon, 512×512 pixels.
var Icon = fyne.NewStaticResource("icon.png", iconPNG)

// Translations holds translations/<lang>.json (en, id, nb) in the format of
// fyne.io/fyne/v2/lang: a JSON object from English message to translation.
//
//go:embed translations/*.json
var Translations embed.FS

// TranslationsDir is the directory inside Translations that holds the files.
const TranslationsDir = "translations"
