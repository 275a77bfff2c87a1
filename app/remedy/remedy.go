// Package remedy names what a user can do about a problem, apart from the
// words each face has for it. The core (app/ingest, app/store, app/project,
// app/dataset) says what is wrong and what to do in plain words that a user
// of the workbench understands as well as a user of the command line, and
// attaches the action as a Hint (With). Each face renders the error with its
// own name for the action after those words (Render): the CLI its flag
// ("--map label=COLUMN"), the workbench its control ("Skip files imported
// before"). No message of the core names a flag; app/hints_test.go checks.
//
// The package is a leaf: it imports only the standard library.
package remedy

import (
	"errors"
	"slices"
	"strings"
)

// Action is something the user can do about a problem.
type Action int

// The actions. Each says which Hint fields it uses.
const (
	// MapField: say which column (key, question, element) of the file holds
	// Field; Value is the one to name when the message knows it, else Holder
	// says what holds the field in this format ("column", "key", "question",
	// "element", "header", "from_name"). Field "" is any field.
	MapField Action = iota + 1
	// ChooseSheet: choose the workbook's sheet to read.
	ChooseSheet
	// ChooseFormat: choose the file's format; Value names it when the
	// message knows which ("doccano", "xlsx").
	ChooseFormat
	// AcceptLabels: accept labels outside the project's declared label set.
	AcceptLabels
	// SkipImported: skip files imported before instead of refusing them.
	SkipImported
	// ChooseDuplicates: choose how repeated (item, annotator) rows are treated.
	ChooseDuplicates
	// NameGoldVersion: give the golden-set version a name of its own.
	NameGoldVersion
	// CreateProject: create a new project; Value is its path when known.
	CreateProject
)

var actionNames = [...]string{
	MapField: "map a field", ChooseSheet: "choose the sheet", ChooseFormat: "choose the format",
	AcceptLabels: "accept new labels", SkipImported: "skip files imported before",
	ChooseDuplicates: "choose a duplicate policy", NameGoldVersion: "name the golden-set version",
	CreateProject: "create a project",
}

// String is the action in a few words, for tests and logs.
func (a Action) String() string {
	if a > 0 && int(a) < len(actionNames) {
		return actionNames[a]
	}
	return "no action"
}

// Hint is one action with its arguments.
type Hint struct {
	Action Action
	Field  string // MapField: the field (label, annotator_id)
	Value  string // the concrete value, when the message knows it
	Holder string // MapField without Value: what holds the field in the file
}

// Do is a hint for an action without arguments.
func Do(a Action) Hint { return Hint{Action: a} }

// Map is a MapField hint: say which holder ("column", "key", ...) holds field.
func Map(field, holder string) Hint { return Hint{Action: MapField, Field: field, Holder: holder} }

// MapTo is a MapField hint naming the one to take: field is in value.
func MapTo(field, value string) Hint { return Hint{Action: MapField, Field: field, Value: value} }

// Format is a ChooseFormat hint; name is the format to choose, or "".
func Format(name string) Hint { return Hint{Action: ChooseFormat, Value: name} }

// Create is a CreateProject hint; path is the project's, or "".
func Create(path string) Hint { return Hint{Action: CreateProject, Value: path} }

// Error is an error whose message ends with what to do, in plain words, and
// the hints for it. Its text is Err's; errors.Is and errors.As see through it.
type Error struct {
	Err   error
	Hints []Hint
}

func (e *Error) Error() string { return e.Err.Error() }

// Unwrap gives the wrapped error.
func (e *Error) Unwrap() error { return e.Err }

// With attaches hints to err, whose text must already say what to do in
// plain words (ending with those words, where the faces add their names).
// With(nil, ...) is nil.
func With(err error, hints ...Hint) error {
	if err == nil {
		return nil
	}
	return &Error{Err: err, Hints: hints}
}

// Of returns the hints of the outermost remedy in err's chain.
func Of(err error) ([]Hint, bool) {
	var e *Error
	if !errors.As(err, &e) {
		return nil, false
	}
	return e.Hints, true
}

// All returns the hints of every remedy in err's tree, outermost first.
func All(err error) []Hint {
	var out []Hint
	walk(err, func(e *Error) { out = append(out, e.Hints...) })
	return out
}

func walk(err error, f func(*Error)) {
	if err == nil {
		return
	}
	if e, ok := err.(*Error); ok {
		f(e)
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		walk(u.Unwrap(), f)
	case interface{ Unwrap() []error }:
		for _, c := range u.Unwrap() {
			walk(c, f)
		}
	}
}

// Render is err's text with each remedy's hints, as the face names them,
// in parentheses right after the remedy's own words: where its text ends
// inside the text of the errors that wrap it ("file:row: ... (--add-labels)
// (byte 12)" when a position error wraps it). name returns the face's name
// for a hint, or "" when it has none (the plain words then stand alone);
// the names of one remedy's hints are joined by spaces, each name once.
// A wrapper whose text does not contain the text it wraps (one that
// rewords it) gets the hints at the end. Render never panics: were the
// hints impossible to place, it would return err's plain text.
func Render(err error, name func(Hint) string) (text string) {
	if err == nil {
		return ""
	}
	s := err.Error()
	defer func() {
		if recover() != nil {
			text = s
		}
	}()
	text, _ = place(err, s, 0, len(s), name)
	return text
}

// place inserts the hints of the remedies in err, whose text is s[lo:hi],
// and returns the new s and the new end of err's text.
func place(err error, s string, lo, hi int, name func(Hint) string) (string, int) {
	if e, ok := err.(*Error); ok {
		s, hi = place(e.Err, s, lo, hi, name)
		ins := parens(e.Hints, name)
		s = s[:hi] + ins + s[hi:]
		return s, hi + len(ins)
	}
	var children []error
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		if c := u.Unwrap(); c != nil {
			children = []error{c}
		}
	case interface{ Unwrap() []error }:
		children = u.Unwrap()
	}
	for _, c := range children {
		if !hasRemedy(c) {
			continue
		}
		text := c.Error()
		i := strings.LastIndex(s[lo:hi], text)
		if i < 0 {
			// A wrapper that rewords: the child's hints go at the end.
			var ins string
			walk(c, func(e *Error) { ins += parens(e.Hints, name) })
			s = s[:hi] + ins + s[hi:]
			hi += len(ins)
			continue
		}
		clo, chi := lo+i, lo+i+len(text)
		var end int
		s, end = place(c, s, clo, chi, name)
		hi += end - chi
	}
	return s, hi
}

// hasRemedy reports whether err's tree holds a remedy.
func hasRemedy(err error) bool {
	found := false
	walk(err, func(*Error) { found = true })
	return found
}

// parens is " (names)" for the hints the face has names for, or "".
func parens(hints []Hint, name func(Hint) string) string {
	var names []string
	for _, h := range hints {
		if n := name(h); n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return " (" + strings.Join(names, " ") + ")"
}

// Tag is a face-neutral name for h ("hint: map a field label=COLUMN"), for
// golden files and logs that pin which action a message carries: Render(err,
// Tag) shows the core's words and, where a face would name its flag or
// control, the action.
func Tag(h Hint) string {
	s := "hint: " + h.Action.String()
	field := h.Field
	if field == "" {
		field = "FIELD"
	}
	switch {
	case h.Action == MapField && h.Value != "":
		s += " " + field + "=" + h.Value
	case h.Action == MapField:
		s += " " + field + "=" + strings.ToUpper(h.Holder)
	case h.Value != "":
		s += " " + h.Value
	}
	return s
}
