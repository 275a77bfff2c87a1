package ingest

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// The check of a worksheet before excelize's row iterator reads it.
//
// excelize's Rows.Next and Rows.Columns drop the XML decoder's errors: at an
// entity XML does not define (&nbsp;), a mismatched tag or a truncated part,
// Next simply returns false, Columns returns the cells read so far, and
// Rows.Error stays nil, so the sheet ends early and looks complete. A cell
// whose formula or inline string does not decode, or whose style is not a
// number, loses its value silently; a shared-string index out of range reads
// as an empty cell (or, with the strings in a temporary file, as the index
// itself); duplicate or descending row numbers merge one row's cells into
// another's; and a row number past Excel's last row makes Next step through
// every row number up to it, one at a time.
//
// checkSheet reads the worksheet part with encoding/xml exactly as far as
// excelize would (up to </sheetData>), decoding each cell as excelize does,
// and refuses the sheet, naming the row, wherever excelize would go wrong
// without a word. The fast reader gives such sheets to excelize, so both
// paths end with this check's error.

// chkSI mirrors excelize's xlsxSI (and the types in it) for decoding errors.
type chkSI struct {
	T          *chkT          `xml:"t"`
	R          []chkR         `xml:"r"`
	RPh        []*chkRPh      `xml:"rPh"`
	PhoneticPr *chkPhoneticPr `xml:"phoneticPr"`
}

type chkT struct {
	Space xml.Attr `xml:"space,attr,omitempty"`
	Val   string   `xml:",chardata"`
}

type chkR struct {
	RPr *chkRPr `xml:"rPr"`
	T   *chkT   `xml:"t"`
}

type chkValString struct {
	Val *string `xml:"val,attr"`
}
type chkValInt struct {
	Val *int `xml:"val,attr"`
}
type chkValFloat struct {
	Val *float64 `xml:"val,attr"`
}
type chkValBool struct {
	Val *bool `xml:"val,attr"`
}

type chkColor struct {
	Auto    bool    `xml:"auto,attr,omitempty"`
	RGB     string  `xml:"rgb,attr,omitempty"`
	Indexed int     `xml:"indexed,attr,omitempty"`
	Theme   *int    `xml:"theme,attr"`
	Tint    float64 `xml:"tint,attr,omitempty"`
}

type chkRPr struct {
	RFont     *chkValString `xml:"rFont"`
	Charset   *chkValInt    `xml:"charset"`
	Family    *chkValInt    `xml:"family"`
	B         *chkValBool   `xml:"b"`
	I         *chkValBool   `xml:"i"`
	Strike    *chkValBool   `xml:"strike"`
	Outline   *chkValBool   `xml:"outline"`
	Shadow    *chkValBool   `xml:"shadow"`
	Condense  *chkValBool   `xml:"condense"`
	Extend    *chkValBool   `xml:"extend"`
	Color     *chkColor     `xml:"color"`
	Sz        *chkValFloat  `xml:"sz"`
	U         *chkValString `xml:"u"`
	VertAlign *chkValString `xml:"vertAlign"`
	Scheme    *chkValString `xml:"scheme"`
}

type chkRPh struct {
	Sb uint32 `xml:"sb,attr"`
	Eb uint32 `xml:"eb,attr"`
	T  string `xml:"t"`
}

type chkPhoneticPr struct {
	Alignment string `xml:"alignment,attr,omitempty"`
	FontID    *int   `xml:"fontId,attr"`
	Type      string `xml:"type,attr,omitempty"`
}

// chkF mirrors excelize's xlsxF.
type chkF struct {
	Content string `xml:",chardata"`
	T       string `xml:"t,attr,omitempty"`
	Aca     bool   `xml:"aca,attr,omitempty"`
	Ref     string `xml:"ref,attr,omitempty"`
	Dt2D    bool   `xml:"dt2D,attr,omitempty"`
	Dtr     bool   `xml:"dtr,attr,omitempty"`
	Del1    bool   `xml:"del1,attr,omitempty"`
	Del2    bool   `xml:"del2,attr,omitempty"`
	R1      string `xml:"r1,attr,omitempty"`
	R2      string `xml:"r2,attr,omitempty"`
	Ca      bool   `xml:"ca,attr,omitempty"`
	Si      *int   `xml:"si,attr"`
	Bx      bool   `xml:"bx,attr,omitempty"`
}

const damagedAdvice = "LabelQA stops rather than import only part of the sheet; export the workbook again (or open it in Excel, let Excel repair it and save it), or export the batch as CSV"

// sheetFault is a problem checkSheet found, at a sheet row (and column).
type sheetFault struct {
	row, col int
	msg      string
}

func (f *sheetFault) Error() string { return f.msg }

// xmlErrText is an encoding/xml error without its "XML syntax error on line
// N:" prefix, which names a line of the zipped part, not of the sheet.
func xmlErrText(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return se.Msg
	}
	return err.Error()
}

// checkSheet checks a worksheet part as excelize's row iterator will read it
// (see above). nsst is the number of shared strings. It returns the number of
// the last row element, which excelize's iterator must reach.
func (s *scanner) checkSheet(part *zip.File, nsst int, charset func(string, io.Reader) (io.Reader, error)) (lastRow int, err error) {
	rc, cr, err := openPart(part)
	if err != nil {
		return 0, &sheetFault{msg: fmt.Sprintf("the sheet cannot be read (%v); %s", err, damagedAdvice)}
	}
	defer rc.Close()
	d := xml.NewDecoder(cr)
	d.CharsetReader = charset
	depth := 0
	dataDepth := -1 // the depth of sheetData's children
	inRow := false
	cur := 0     // the row being read, as excelize numbers it
	prevCol := 0 // the last cell's column in the row
	tokens := 0
	fault := func(col int, format string, args ...any) error {
		row := cur
		return &sheetFault{row: row, col: col, msg: fmt.Sprintf(format, args...)}
	}
	for {
		if tokens++; tokens&1023 == 0 {
			if err := s.ctx.Err(); err != nil {
				return 0, err
			}
		}
		tok, err := d.Token()
		if err == io.EOF {
			if dataDepth >= 0 {
				if inRow {
					return 0, fault(0, "the sheet ends in the middle of this row, so the workbook is truncated; %s", damagedAdvice)
				}
				return 0, &sheetFault{row: 0, msg: fmt.Sprintf("the sheet ends after row %d without the end of its data, so the workbook is truncated; %s", cur, damagedAdvice)}
			}
			return cur, nil
		}
		if err != nil {
			if errors.Is(err, errXLSXLimit) || errors.Is(err, zip.ErrFormat) || errors.Is(err, zip.ErrChecksum) {
				return 0, fault(0, "the sheet's zip data is damaged here (%v); %s", err, damagedAdvice)
			}
			if xmlErrText(err) == "unexpected EOF" {
				if inRow {
					return 0, fault(0, "the sheet ends in the middle of this row, so the workbook is truncated; %s", damagedAdvice)
				}
				return 0, &sheetFault{msg: fmt.Sprintf("the sheet ends after row %d without the end of its data, so the workbook is truncated; %s", cur, damagedAdvice)}
			}
			switch {
			case inRow:
				return 0, fault(0, "the sheet's XML is damaged in this row (%s); %s", xmlErrText(err), damagedAdvice)
			case cur == 0:
				return 0, &sheetFault{msg: fmt.Sprintf("the sheet's XML is damaged before its first row (%s); %s", xmlErrText(err), damagedAdvice)}
			}
			return 0, &sheetFault{msg: fmt.Sprintf("the sheet's XML is damaged after row %d (%s); %s", cur, xmlErrText(err), damagedAdvice)}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch t.Name.Local {
			case "sheetData":
				if dataDepth >= 0 {
					// excelize would end the sheet (or the row) at its end
					return 0, fault(0, "the sheet holds a sheetData element inside its rows, so the workbook is damaged; %s", damagedAdvice)
				}
				dataDepth = depth + 1
			case "row":
				if depth != dataDepth {
					return 0, fault(0, "the sheet holds a row element outside its rows; %s", damagedAdvice)
				}
				n, ok, bad := 0, false, ""
				for _, a := range t.Attr {
					if a.Name.Local == "r" {
						v, err := strconv.Atoi(a.Value)
						if err != nil {
							bad = a.Value
							break
						}
						n, ok = v, true
					}
				}
				prev := cur
				switch {
				case bad != "":
					cur = prev + 1
					return 0, &sheetFault{msg: fmt.Sprintf("the row after row %d has the row number %q, which is not a number; %s", prev, bad, damagedAdvice)}
				case ok && n != 0 && (n < 0 || n > maxSheetRow):
					return 0, &sheetFault{msg: fmt.Sprintf("the row after row %d has the row number %d, past the last row a sheet can have (%d); %s", prev, n, maxSheetRow, damagedAdvice)}
				case ok && n != 0 && n <= prev:
					return 0, &sheetFault{row: n, msg: fmt.Sprintf("this row is numbered %d but comes after row %d (rows must be numbered in increasing order, each number once), so the workbook is damaged; %s", n, prev, damagedAdvice)}
				case ok && n != 0:
					cur = n
				default:
					cur = prev + 1
					if cur > maxSheetRow {
						return 0, &sheetFault{msg: fmt.Sprintf("the sheet has more rows than a sheet can have (%d); %s", maxSheetRow, damagedAdvice)}
					}
				}
				inRow, prevCol = true, 0
			case "c":
				if dataDepth < 0 {
					continue // excelize looks for cells only in rows
				}
				if !inRow || depth != dataDepth+1 {
					return 0, fault(0, "the sheet holds a cell outside a row; %s", damagedAdvice)
				}
				col, err := s.checkCell(d, &t, nsst, prevCol)
				depth-- // checkCell read the cell's end
				if err != nil {
					var f *sheetFault
					if errors.As(err, &f) {
						return 0, fault(f.col, "%s", f.msg)
					}
					return 0, err
				}
				prevCol = col
			}
		case xml.EndElement:
			depth--
			switch {
			case t.Name.Local == "sheetData" && depth == dataDepth-2:
				// excelize stops at the end of the sheet data
				return cur, nil
			case t.Name.Local == "row" && depth == dataDepth-1:
				inRow = false
			}
		}
	}
}

// checkCell reads a cell as excelize's cellXMLHandler does and checks what it
// would drop; col is the cell's column.
func (s *scanner) checkCell(d *xml.Decoder, start *xml.StartElement, nsst, prevCol int) (col int, err error) {
	col = prevCol + 1
	ref, typ := "", ""
	for _, a := range start.Attr {
		switch a.Name.Local {
		case "r":
			ref = a.Value
		case "s":
			if _, err := strconv.ParseInt(a.Value, 10, 64); err != nil {
				return 0, &sheetFault{col: col, msg: fmt.Sprintf("the cell's style %q is not a number, so the cell cannot be read; %s", a.Value, damagedAdvice)}
			}
		case "t":
			typ = a.Value
		}
	}
	if ref != "" {
		c, _, err := excelize.CellNameToCoordinates(ref)
		if err != nil {
			return 0, &sheetFault{col: col, msg: fmt.Sprintf("the cell reference %q is not a cell name like B7; %s", ref, damagedAdvice)}
		}
		col = c
	}
	if col <= prevCol {
		return 0, &sheetFault{col: col, msg: fmt.Sprintf("this cell comes after column %d of the same row (cells must be in increasing column order, each column once), so the workbook is damaged; %s", prevCol, damagedAdvice)}
	}
	var v string
	for {
		tok, err := d.Token()
		if err != nil {
			if err == io.EOF {
				return 0, &sheetFault{col: col, msg: fmt.Sprintf("the sheet ends in the middle of this cell, so the workbook is truncated; %s", damagedAdvice)}
			}
			return 0, &sheetFault{col: col, msg: fmt.Sprintf("the sheet's XML is damaged in this cell (%s); %s", xmlErrText(err), damagedAdvice)}
		}
		switch el := tok.(type) {
		case xml.StartElement:
			switch el.Name.Local {
			case "c", "row":
				// excelize would end the cell at the inner cell's end
				return 0, &sheetFault{col: col, msg: fmt.Sprintf("the cell holds another %s element, so the workbook is damaged; %s", el.Name.Local, damagedAdvice)}
			case "v":
				v, err = elementText(d)
			case "f":
				if err = formulaAttrs(el.Attr); err == nil {
					err = d.Skip()
				}
			case "is":
				err = d.DecodeElement(&chkSI{}, &el)
			}
			if err != nil {
				if xmlErrText(err) == "unexpected EOF" {
					return 0, &sheetFault{col: col, msg: fmt.Sprintf("the sheet ends in the middle of this cell, so the workbook is truncated; %s", damagedAdvice)}
				}
				return 0, &sheetFault{col: col, msg: fmt.Sprintf("this cell cannot be read (%s); %s", xmlErrText(err), damagedAdvice)}
			}
		case xml.EndElement:
			if el == start.End() {
				if typ == "s" && v != "" {
					n, err := strconv.Atoi(strings.TrimSpace(v))
					switch {
					case err != nil:
						return 0, &sheetFault{col: col, msg: fmt.Sprintf("the cell names the workbook's shared string %q, which is not a number, so the file is damaged; %s", v, damagedAdvice)}
					case n < 0 || n >= nsst:
						return 0, &sheetFault{col: col, msg: fmt.Sprintf("the cell's text is the workbook's shared string %d, which does not exist (the workbook has %d shared strings), so the file is damaged; %s", n, nsst, damagedAdvice)}
					}
				}
				return col, nil
			}
		}
	}
}

// elementText reads the rest of an element as DecodeElement into a string
// does, a good deal faster: its own character data, nested elements skipped.
func elementText(d *xml.Decoder) (string, error) {
	var b []byte
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if depth == 0 {
				b = append(b, t...)
			}
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth == 0 {
				return string(b), nil
			}
			depth--
		}
	}
}

// formulaAttrs checks a formula's attributes as DecodeElement into excelize's
// xlsxF (chkF) parses them: an empty value is the zero value, anything else is
// trimmed and parsed.
func formulaAttrs(attrs []xml.Attr) error {
	for _, a := range attrs {
		if a.Value == "" {
			continue
		}
		var err error
		switch a.Name.Local {
		case "aca", "dt2D", "dtr", "del1", "del2", "ca", "bx":
			_, err = strconv.ParseBool(strings.TrimSpace(a.Value))
		case "si":
			_, err = strconv.ParseInt(strings.TrimSpace(a.Value), 10, 64)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// checkSharedStrings counts the workbook's shared strings, refusing a part
// excelize would read only in part (its reader of large string tables, too,
// drops decoder errors).
func (s *scanner) checkSharedStrings(part *zip.File, charset func(string, io.Reader) (io.Reader, error)) (int, error) {
	damaged := func(format string, args ...any) error {
		return &sheetFault{msg: "the workbook's shared strings (the text of its cells) are damaged (" + fmt.Sprintf(format, args...) + "); " + damagedAdvice}
	}
	rc, cr, err := openPart(part)
	if err != nil {
		return 0, damaged("%v", err)
	}
	defer rc.Close()
	d := xml.NewDecoder(cr)
	d.CharsetReader = charset
	n, depth := 0, 0
	for {
		if n&1023 == 1023 {
			if err := s.ctx.Err(); err != nil {
				return 0, err
			}
		}
		tok, err := d.Token()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return 0, damaged("string %d: %s", n+1, xmlErrText(err))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if t.Name.Local != "si" {
				continue
			}
			if depth != 2 {
				return 0, damaged("string %d is inside another element", n+1)
			}
			if err := d.DecodeElement(&chkSI{}, &t); err != nil {
				return 0, damaged("string %d: %s", n+1, xmlErrText(err))
			}
			depth--
			n++
		case xml.EndElement:
			depth--
		}
	}
}

// sheetFaultError is the Error readXLSX records for a check's fault.
func (s *scanner) sheetFaultError(sheet string, f *sheetFault) *Error {
	return &Error{File: s.file, Sheet: sheet, Row: f.row, Col: f.col, Err: errors.New(f.msg)}
}
