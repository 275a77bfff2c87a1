package ingest

// CheckMap validates the field names of an Options.Map before any file is
// read, so the command line can refuse a misspelt field as bad usage. The
// error names the valid fields.
func CheckMap(m map[string]string) error { return checkMapOption(m) }
