package hints

import "fmt"

// A comment may name --map and labelqa init: comments are no messages.

func planted(name string) []error {
	return []error{
		fmt.Errorf("no column for label; name it with --map label=COLUMN"),
		fmt.Errorf("%s: %w", name, fmt.Errorf("x")), // -- a comment
		fmt.Errorf("a range -- not a flag; run labelqa on a copy"),
		fmt.Errorf("LabelQA Init is no command either"),
		fmt.Errorf(`the file was imported before; use --skip-existing`),
	}
}

func built(flag string) error {
	return fmt.Errorf("--%s names no label", flag)
}

func command(path string) error {
	return fmt.Errorf("no such project; create it first (labelqa init %s)", path)
}
