package ingest

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestReadAudit(t *testing.T) {
	dir := t.TempDir()
	save := func(name string, fill func(f *excelize.File)) string {
		f := excelize.NewFile()
		fill(f)
		p := filepath.Join(dir, name)
		if err := f.SaveAs(p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	noSheet := save("nosheet.xlsx", func(f *excelize.File) { f.SetCellStr("Sheet1", "A1", "ref") })
	noHeader := save("noheader.xlsx", func(f *excelize.File) {
		f.SetSheetName("Sheet1", "audit") // letter case does not matter
		f.SetCellStr("audit", "A1", "Audit of V")
	})
	good := save("good.xlsx", func(f *excelize.File) {
		f.SetSheetName("Sheet1", AuditSheet)
		f.SetCellStr(AuditSheet, "A1", "Audit of V")
		f.SetCellStr(AuditSheet, "A3", " REF ")
		f.SetCellInt(AuditSheet, "A4", 17)
		f.SetCellStr(AuditSheet, "B4", "  =item ")
		f.SetCellStr(AuditSheet, "N4", "comment")
		f.SetCellStr(AuditSheet, "O4", "beyond the table")
		f.SetCellInt(AuditSheet, "A6", 18) // row 5 blank: dropped
	})
	for _, c := range []struct{ path, want string }{
		{noSheet, `nosheet.xlsx: no sheet named "Audit"`},
		{noHeader, `noheader.xlsx:Audit: no header row`},
	} {
		_, err := ReadAudit(c.path)
		var l *CellErrors
		if !errors.As(err, &l) || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: %v", filepath.Base(c.path), err)
		}
	}
	f, err := ReadAudit(good)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Rows) != 2 || f.Rows[0].Row != 4 || f.Rows[1].Row != 6 || f.Rows[0].Cells[AuditColRef] != "17" ||
		f.Rows[0].Cells[AuditColItem] != "=item" || f.Rows[0].Cells[AuditColComment] != "comment" || len(f.SHA256) != 64 {
		t.Fatalf("read %+v", f)
	}
	var l CellErrors
	l.Addf("a.xlsx", 17, AuditColGivenLabel, "bad %s", "label")
	if got := l.Error(); got != "a.xlsx:Audit!F17: bad label" {
		t.Errorf("cell text %q", got)
	}
}
