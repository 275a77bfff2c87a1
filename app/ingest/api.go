package ingest

import "context"

// Options controls how a file is read.
type Options struct {
	// Format is auto (default, by extension and shape), csv, tsv, ssv (semicolon),
	// xlsx, json, jsonl, labelstudio, labelstudio-min, labelbox, prodigy, sagemaker,
	// doccano, cvat (CVAT for images 1.1 XML), argilla; Formats lists them all.
	Format string
	// Sheet names the XLSX sheet to read; empty means the first.
	Sheet string
	// Map overrides header matching: canonical field name -> column header in the file.
	Map map[string]string
	// Progress, when set, is called now and then with bytes read and the file size.
	Progress func(done, total int64)
}

// RecordFunc receives each valid record. The *Record is reused by the reader:
// copy what you keep. Returning an *Error records a problem at that row and
// scanning goes on; any other error stops the scan and is returned as is.
type RecordFunc func(*Record) error

// GoldFunc receives each valid golden-set record, with the same rules as RecordFunc.
type GoldFunc func(*GoldRecord) error

// Scan and ScanGold are implemented in scan.go.
var _ = context.Background
