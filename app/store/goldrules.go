package store

import "fmt"

// GoldAnswerTwice is the problem of a golden-set file that gives item a
// second answer (prevRow holds the first): one answer per item, whether the
// file is imported into a project or read beside batch files.
func GoldAnswerTwice(item string, prevRow int) error {
	return fmt.Errorf("item %q already has a gold answer on row %d; keep one answer per item in a golden-set file", item, prevRow)
}
