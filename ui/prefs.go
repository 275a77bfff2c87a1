package ui

import (
	"slices"

	"fyne.io/fyne/v2"
)

// Preference keys: every value the workbench keeps between runs, named here
// and nowhere else.
const (
	prefRecentProjects   = "recent.projects"   // []string, most recent first
	prefTheme            = "view.theme"        // themeSystem, themeLight or themeDark
	prefLanguage         = "view.language"     // "" for the system language, or a languages code
	prefImportFormat     = "import.format"     // an ingest format name, "auto" by default
	prefImportDuplicates = "import.duplicates" // a duplicate policy, core.DupLast by default
)

// maxRecent is how many recent projects the File menu lists.
const maxRecent = 8

// settings holds the preferences, read once at start and written back by
// each setXxx method when the user changes one.
type settings struct {
	prefs fyne.Preferences

	Recent           []string
	Theme            string
	Language         string
	ImportFormat     string
	ImportDuplicates string
}

// loadSettings reads every preference, with a fallback for each.
func loadSettings(p fyne.Preferences) *settings {
	return &settings{
		prefs:            p,
		Recent:           p.StringListWithFallback(prefRecentProjects, nil),
		Theme:            p.StringWithFallback(prefTheme, themeSystem),
		Language:         p.StringWithFallback(prefLanguage, ""),
		ImportFormat:     p.StringWithFallback(prefImportFormat, "auto"),
		ImportDuplicates: p.StringWithFallback(prefImportDuplicates, "last"),
	}
}

// addRecent puts path first in the recent projects.
func (s *settings) addRecent(path string) {
	recent := []string{path}
	for _, p := range s.Recent {
		if p != path && len(recent) < maxRecent {
			recent = append(recent, p)
		}
	}
	s.Recent = recent
	s.prefs.SetStringList(prefRecentProjects, recent)
}

// removeRecent drops path from the recent projects.
func (s *settings) removeRecent(path string) {
	s.Recent = slices.DeleteFunc(slices.Clone(s.Recent), func(p string) bool { return p == path })
	s.prefs.SetStringList(prefRecentProjects, s.Recent)
}

// clearRecent forgets every recent project.
func (s *settings) clearRecent() {
	s.Recent = nil
	s.prefs.SetStringList(prefRecentProjects, []string{})
}

func (s *settings) setTheme(name string) {
	s.Theme = name
	s.prefs.SetString(prefTheme, name)
}

func (s *settings) setLanguage(code string) {
	s.Language = code
	s.prefs.SetString(prefLanguage, code)
}

func (s *settings) setImportFormat(format string) {
	s.ImportFormat = format
	s.prefs.SetString(prefImportFormat, format)
}

func (s *settings) setImportDuplicates(policy string) {
	s.ImportDuplicates = policy
	s.prefs.SetString(prefImportDuplicates, policy)
}
