package ingest

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"labelqa/app/remedy"
	"labelqa/app/rules"
)

// builder validates raw field values into the reused Record or GoldRecord and
// records problems in the error list.
type builder struct {
	file     string
	sheet    string
	gold     bool
	errs     *ErrorList
	decComma bool // decimal comma allowed (semicolon- and tab-separated files)
	xlsx     bool // numeric submitted_at may be an Excel serial date
	sheet2   bool // delimited text (CSV, TSV, SSV), often saved from a spreadsheet
	date1904 bool

	rec  Record
	grec GoldRecord
	bad  bool // the current record has a problem
	row  int
	badF [numFields]bool // fields of the current record with a problem

	queueRaw, queueLow string // last queue value and its lower case, to avoid re-allocating
}

func newBuilder(file string, gold bool, errs *ErrorList) *builder {
	b := &builder{file: file, gold: gold, errs: errs}
	b.rec.Reset()
	return b
}

func (b *builder) start(row int) {
	b.rec.Reset()
	labels := b.grec.Labels[:0]
	b.grec = GoldRecord{Labels: labels}
	b.rec.Row, b.grec.Row = row, row
	b.bad = false
	b.row = row
	b.badF = [numFields]bool{}
}

func (b *builder) add(row, col int, f field, err error) {
	b.bad = true
	name := ""
	if f >= 0 {
		name = fieldNames[f]
		if b.badF[f] {
			return // one message per field and record
		}
		b.badF[f] = true
	}
	b.errs.Add(&Error{File: b.file, Sheet: b.sheet, Row: row, Col: col, Field: name, Err: err})
}

func (b *builder) addf(row, col int, f field, format string, args ...any) {
	b.add(row, col, f, fmt.Errorf(format, args...))
}

// addHint is addf for a message that ends with what to do about it, in
// words the hint's action names (app/remedy).
func (b *builder) addHint(row, col int, f field, h remedy.Hint, format string, args ...any) {
	b.add(row, col, f, remedy.With(fmt.Errorf(format, args...), h))
}

// set validates v (already a string) for field f at row, col.
func (b *builder) set(f field, v string, row, col int) {
	v = strings.TrimSpace(v)
	if v == "" {
		return
	}
	if len(v) > MaxFieldBytes {
		b.add(row, col, f, fieldTooLong(f))
		return
	}
	if i := controlAt(v, freeText(f)); i >= 0 {
		b.add(row, col, f, controlError(f, v, i))
		return
	}
	if (b.xlsx || b.sheet2) && v[0] == '#' && excelErrors[v] {
		b.add(row, col, f, b.excelError(v))
		return
	}
	if b.gold {
		switch f {
		case fItemID:
			b.grec.ItemID = v
		case fLabel:
			b.grec.Labels = b.splitLabels(b.grec.Labels, v, row, col)
		case fRationale:
			b.grec.Rationale = v
		case fSOPSection:
			b.grec.SOPSection = v
		case fGDSVersion:
			b.grec.GDSVersion = v
		}
		return
	}
	r := &b.rec
	switch f {
	case fItemID:
		r.ItemID = v
	case fAnnotator:
		r.AnnotatorID = v
	case fLabel:
		r.Labels = b.splitLabels(r.Labels, v, row, col)
	case fVendor:
		r.Vendor = v
	case fTeam:
		r.Team = v
	case fMarket:
		r.Market = v
	case fQueue:
		if v != b.queueRaw {
			b.queueRaw, b.queueLow = v, strings.ToLower(v)
		}
		r.Queue = b.queueLow
	case fRound:
		n, err := parseRound(v)
		if err != nil {
			b.add(row, col, f, err)
			return
		}
		r.Round = n
	case fSubmittedAt:
		t, err := b.parseTime(v)
		if err != nil {
			b.add(row, col, f, err)
			return
		}
		r.SubmittedAt = t
	case fDuration:
		d, err := parseDuration(v, b.decComma)
		if err != nil {
			b.add(row, col, f, err)
			return
		}
		r.DurationS = d
	case fSOPVersion:
		r.SOPVersion = v
	case fTemplate:
		r.Template = v
	case fContent:
		r.Content = v
	case fComment:
		r.Comment = v
	case fErrorCat:
		r.ErrorCat = v
	case fRootCause:
		r.RootCause = v
	}
}

// splitLabels appends the labels of a cell "a|b" to dst, trimming spaces and
// dropping empties. A Label Studio CSV cell {"choices": [...]} gives its choices.
func (b *builder) splitLabels(dst []string, v string, row, col int) []string {
	if strings.HasPrefix(v, `{"choices"`) {
		cs, ok, bad := parseChoicesCell(v)
		if bad != nil {
			b.add(row, col, fLabel, fmt.Errorf("the label cell %s", strings.TrimPrefix(bad.Error(), "the text of ")))
			return dst
		}
		if ok {
			for _, c := range cs {
				if c = strings.TrimSpace(c); c == "" {
					continue
				} else if i := controlAt(c, false); i >= 0 {
					b.add(row, col, fLabel, controlError(fLabel, c, i))
					return dst
				}
				dst = append(dst, c)
			}
			return dst
		}
	}
	for {
		i := strings.IndexByte(v, '|')
		part := v
		if i >= 0 {
			part = v[:i]
		}
		if p := strings.TrimSpace(part); p != "" {
			dst = append(dst, p)
		}
		if i < 0 {
			return dst
		}
		v = v[i+1:]
	}
}

// finish checks the required fields and hands a valid record to fn. cols gives
// the 1-based column of each required field (0 when unknown).
func (b *builder) finish(cols *[numFields]int, fn RecordFunc, gfn GoldFunc) error {
	row := b.row
	col := func(f field) int {
		if cols == nil {
			return 0
		}
		return cols[f]
	}
	if b.gold {
		if b.grec.ItemID == "" {
			b.add(row, col(fItemID), fItemID, errEmpty("item_id"))
		}
		if len(b.grec.Labels) == 0 {
			b.add(row, col(fLabel), fLabel, errEmpty("label"))
		}
	} else {
		if b.rec.ItemID == "" {
			b.add(row, col(fItemID), fItemID, errEmpty("item_id"))
		}
		if b.rec.AnnotatorID == "" {
			b.add(row, col(fAnnotator), fAnnotator, errEmpty("annotator_id"))
		}
		if len(b.rec.Labels) == 0 {
			b.add(row, col(fLabel), fLabel, errEmpty("label"))
		}
	}
	if b.bad {
		return nil
	}
	var err error
	if b.gold {
		err = gfn(&b.grec)
	} else {
		err = fn(&b.rec)
	}
	if err == nil {
		return nil
	}
	var pe *Error
	if errors.As(err, &pe) {
		if pe.File == "" {
			pe.File = b.file
			pe.Sheet = b.sheet
		}
		if pe.Row == 0 {
			pe.Row = row
		}
		if pe.Col == 0 && pe.Field != "" {
			// The callback names the field; the reader knows its column.
			if f, ok := fieldByName(pe.Field); ok {
				pe.Col = col(f)
			}
		}
		b.errs.Add(pe)
		b.bad = true
		return nil
	}
	return err
}

// freeText says whether f is prose (item content, a comment, a rationale),
// which may hold tabs and line breaks; ids, labels and the other fields are
// one line of text.
func freeText(f field) bool { return f == fContent || f == fComment || f == fRationale }

// controlAt is rules.ControlAt: where v holds a control character.
func controlAt(v string, free bool) int { return rules.ControlAt(v, free) }

func controlError(f field, v string, i int) error {
	return controlText(fieldNames[f], v, i, freeText(f))
}

// CheckName is rules.CheckName: a name a user gives the core outside an
// import file, refused when it holds a control character.
func CheckName(what, v string) error { return rules.CheckName(what, v) }

func controlText(fieldName, v string, i int, free bool) error {
	return rules.ControlText(fieldName, v, i, free)
}

// excelErrors are the values Excel shows (and writes, in XLSX and CSV) for a
// formula that failed. An XLSX cell of type "e" holds one of them; a cell or
// field whose whole value is one of them is refused in every field, optional
// ones included: importing "#N/A" as an item id, a label or a comment would
// be silently wrong data.
var excelErrors = map[string]bool{
	"#NULL!": true, "#DIV/0!": true, "#VALUE!": true, "#REF!": true, "#NAME?": true,
	"#NUM!": true, "#N/A": true, "#GETTING_DATA": true, "#SPILL!": true, "#CALC!": true,
	"#FIELD!": true, "#BLOCKED!": true, "#CONNECT!": true, "#BUSY!": true, "#UNKNOWN!": true,
}

func (b *builder) excelError(v string) error {
	if b.xlsx {
		return fmt.Errorf("the cell holds the Excel error %s (a formula that failed); fix the formula or the value in the workbook and export again", v)
	}
	return fmt.Errorf("the value %s is an Excel error (a formula that failed in the spreadsheet this file was saved from); fix the formula or the value in the spreadsheet and export again", v)
}

func errEmpty(name string) error {
	return fmt.Errorf("%s is empty; fill it in or remove the row", name)
}

// ---- numbers ----

// MaxDurationS is the longest handling time accepted for one judgment: 7 days.
// A longer one is a unit error (milliseconds or microseconds in a seconds
// column) or a broken value, and would swamp every median and total.
const MaxDurationS = 7 * 24 * 3600

// parseDuration reads a number of seconds from 0 to MaxDurationS. With
// decComma a single comma is the decimal separator ("12,5").
func parseDuration(v string, decComma bool) (float64, error) {
	s := v
	if decComma && strings.IndexByte(s, ',') >= 0 && strings.IndexByte(s, '.') < 0 {
		s = strings.Replace(s, ",", ".", 1)
	}
	if !numberSyntax(s) {
		hint := "12.5"
		if decComma {
			hint = "12.5 or 12,5"
		}
		return 0, fmt.Errorf("duration_s %q is not a number; write the handling time in seconds, like %s", clip(v), hint)
	}
	d, err := strconv.ParseFloat(s, 64)
	if err != nil && !math.IsInf(d, 0) || math.IsNaN(d) {
		return 0, fmt.Errorf("duration_s %q is not a number; write the handling time in seconds, like 12.5", clip(v))
	}
	if d < 0 {
		return 0, fmt.Errorf("duration_s %q is negative; a handling time is 0 seconds or more", clip(v))
	}
	if d > MaxDurationS { // +Inf too ("1e999")
		return 0, fmt.Errorf("duration_s %q is over 7 days (%d seconds), too long for one judgment's handling time; is the column in milliseconds? map another column or fix the file", clip(v), MaxDurationS)
	}
	if d == 0 {
		d = 0 // "-0" is 0
	}
	return d, nil
}

// numberSyntax accepts [+-]digits[.digits][e[+-]digits], the forms a spreadsheet writes.
func numberSyntax(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		ed := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			ed++
		}
		if ed == 0 {
			return false
		}
	}
	return i == len(s)
}

// MaxRound is the highest round accepted. A round counts review passes (1
// first-round work, 2 second-round QA…); a larger number is an id, a date or
// a count in the wrong column. (The report keeps a round in a byte: 258 read
// as is would have become round 2, second-round QA.)
const MaxRound = 100

func parseRound(v string) (int, error) {
	var f float64
	if n, err := strconv.Atoi(v); err == nil {
		f = float64(n)
	} else if numberSyntax(v) {
		f, _ = strconv.ParseFloat(v, 64) // fails only out of range, with ±Inf
	} else {
		f = 0.5
	}
	if f != math.Trunc(f) {
		return 0, fmt.Errorf("round %q is not a whole number; write 1 for first-round work or 2 for second-round QA", clip(v))
	}
	if f < 0 {
		return 0, fmt.Errorf("round %q is negative; write 1 for first-round work or 2 for second-round QA", clip(v))
	}
	if f > MaxRound {
		return 0, fmt.Errorf("round %q is over %d; a round counts review passes (1 for first-round work, 2 for second-round QA); is the column something else? map another column or fix the file", clip(v), MaxRound)
	}
	return int(f), nil
}

func clip(s string) string { return rules.Clip(s) }

// ---- times ----

// Epoch numbers: seconds in [1e9, 1e11) (2001-09-09 to year 5138), milliseconds
// in [1e11, 1e14) (1973 to year 5138). Anything smaller or larger is refused.
const (
	epochSecMin = 1e9
	epochMsMin  = 1e11
	epochMsMax  = 1e14
)

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999 -0700",
	"2006-01-02 15:04:05.999999999 -0700 MST",
	"2006-01-02",
}

// Every submitted_at, in whatever form it is written (RFC 3339 and the other
// text layouts, a date, epoch seconds or milliseconds, an Excel date serial),
// must fall in [timeMin, timeMax): 2001-01-01 to 5000-01-01 UTC. The
// placeholders tools write for "no time" (Go's 0001-01-01, Excel's 1899-12-30
// and 1900-01-00, the Unix epoch 1970-01-01) all lie before, and a time
// after 5000 is a unit error; such a time is refused, never stored as absent.
var (
	timeMin = time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	timeMax = time.Date(5000, 1, 1, 0, 0, 0, 0, time.UTC)
)

func (b *builder) parseTime(v string) (time.Time, error) {
	t, form, err := b.parseTimeForm(v)
	if err != nil {
		return t, err
	}
	if t.Before(timeMin) || !t.Before(timeMax) {
		when := "before 2001"
		if !t.Before(timeMax) {
			when = "after 5000"
		}
		return time.Time{}, fmt.Errorf("submitted_at %q is %s (%s%s), outside the times LabelQA accepts (2001 to 5000), so it looks like a placeholder or a unit error; leave it empty when the time is unknown, or fix the value", clip(v), when, form, t.Format("2006-01-02"))
	}
	return t, nil
}

// parseTimeForm parses v and names the form it was read in when that is not
// plain text ("as an Excel date, ", "as epoch seconds, ").
func (b *builder) parseTimeForm(v string) (time.Time, string, error) {
	if t, ok := fastTime(v); ok {
		return t, "", nil
	}
	if isEpochLike(v) {
		f, err := strconv.ParseFloat(v, 64)
		if err == nil {
			if b.xlsx && f > 0 && f < 2958466 { // Excel serial date (up to 9999-12-31)
				return excelSerial(f, b.date1904), "as an Excel date, ", nil
			}
			if t, ok := epochTime(f); ok {
				form := "as epoch seconds, "
				if f >= epochMsMin {
					form = "as epoch milliseconds, "
				}
				return t, form, nil
			}
		}
		return time.Time{}, "", fmt.Errorf("submitted_at %q is not a time: as epoch seconds or milliseconds it is before 2001 or after 5000; write RFC 3339 like 2024-05-15T12:09:16Z", clip(v))
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t.UTC(), "", nil
		}
	}
	return time.Time{}, "", fmt.Errorf("submitted_at %q is not a time; write RFC 3339 (2024-05-15T12:09:16Z), \"2024-05-15 12:09:16\", a date (2024-05-15) or epoch seconds", clip(v))
}

func isEpochLike(v string) bool {
	dot := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '.' && !dot && i > 0 {
			dot = true
			continue
		}
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(v) > 0
}

func epochTime(f float64) (time.Time, bool) {
	switch {
	case f >= epochSecMin && f < epochMsMin:
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(math.Round(frac*1e9))).UTC(), true
	case f >= epochMsMin && f < epochMsMax:
		return time.UnixMilli(int64(f)).UTC(), true
	}
	return time.Time{}, false
}

func excelSerial(f float64, date1904 bool) time.Time {
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	days := math.Floor(f)
	if !date1904 && days < 61 {
		// Excel counts 1900 as a leap year: serial 1 is 1900-01-01 and 60
		// the 29 February that never was (read as 1 March). Such times are
		// refused (before 2001); this keeps the date the message names.
		base = base.AddDate(0, 0, 1)
	}
	ns := math.Round((f - days) * 86400e3) // milliseconds of the day
	return base.AddDate(0, 0, int(days)).Add(time.Duration(ns) * time.Millisecond)
}

// fastTime parses YYYY-MM-DD, and YYYY-MM-DD[T ]hh:mm:ss[.frac][Z|±hh:mm]
// without allocating. A time without a zone is UTC.
func fastTime(s string) (time.Time, bool) {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || month < 1 || month > 12 || day < 1 || day > daysIn(month, year) {
		return time.Time{}, false
	}
	if len(s) == 10 {
		return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC), true
	}
	if len(s) < 19 || (s[10] != 'T' && s[10] != ' ' && s[10] != 't') || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	hh, ok1 := digits(s[11:13])
	mm, ok2 := digits(s[14:16])
	ss, ok3 := digits(s[17:19])
	if !ok1 || !ok2 || !ok3 || hh > 23 || mm > 59 || ss > 59 {
		return time.Time{}, false
	}
	rest := s[19:]
	nsec := 0
	if len(rest) > 0 && rest[0] == '.' {
		i := 1
		scale := 100000000
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			nsec += int(rest[i]-'0') * scale
			scale /= 10
			i++
		}
		if i == 1 {
			return time.Time{}, false
		}
		rest = rest[i:]
	}
	off := 0
	switch {
	case rest == "" || rest == "Z" || rest == "z":
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := digits(rest[1:3])
		om, ok2 := digits(rest[4:6])
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return time.Time{}, false
		}
		off = oh*3600 + om*60
		if rest[0] == '-' {
			off = -off
		}
	default:
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hh, mm, ss, nsec, time.UTC)
	if off != 0 {
		t = t.Add(-time.Duration(off) * time.Second)
	}
	return t, true
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
