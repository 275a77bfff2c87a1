// Package csvsafe keeps text that came from input files from becoming a
// live formula when a CSV the product writes is opened in Excel, LibreOffice
// or Google Sheets (CSV injection, OWASP). Every CSV writer of the product
// passes each cell holding input text through Text; numbers the product
// computed are written as numbers and never pass through it.
package csvsafe

// Text returns s unchanged unless a spreadsheet would read it as a formula
// or a command: a cell starting with '=', '+', '-', '@', a tab or a carriage
// return gets a leading apostrophe, which spreadsheets show as text (and
// hide). The prefix is added to the value: a program reading the CSV back
// sees it, the price of a file that is safe to double-click.
func Text(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
