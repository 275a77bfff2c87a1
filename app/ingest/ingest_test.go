package ingest

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"labelqa/app/remedy"
)

var update = flag.Bool("update", false, "rewrite testdata/errors.golden")

type scanned struct {
	recs  []Record
	golds []GoldRecord
	sum   Summary
	lines []string
	err   error
}

func copyRec(r *Record) Record {
	c := *r
	c.Labels = append([]string(nil), r.Labels...)
	return c
}

func scanText(name, text string, opts Options) scanned {
	var out scanned
	out.sum, out.err = ScanBytes(context.Background(), name, []byte(text), opts, func(r *Record) error {
		out.recs = append(out.recs, copyRec(r))
		return nil
	})
	if l, ok := AsList(out.err); ok {
		out.lines = l.Lines()
	} else if out.err != nil {
		out.lines = []string{"NOT A LIST: " + out.err.Error()}
	}
	return out
}

// hintedLines are out's problems as the golden file pins them: the core's
// words, then the actions attached to them (app/remedy) as
// "(hint: map a field label=COLUMN)" where a face would name its flag or
// control.
func hintedLines(out scanned) []string {
	if l, ok := AsList(out.err); ok {
		return l.RenderLines(remedy.Tag)
	}
	return out.lines
}

func scanGoldText(name, text string, opts Options) scanned {
	var out scanned
	out.sum, out.err = ScanGoldBytes(context.Background(), name, []byte(text), opts, func(r *GoldRecord) error {
		c := *r
		c.Labels = append([]string(nil), r.Labels...)
		out.golds = append(out.golds, c)
		return nil
	})
	if l, ok := AsList(out.err); ok {
		out.lines = l.Lines()
	}
	return out
}

// errorCases pins every user-visible error message (testdata/errors.golden).
var errorCases = []struct {
	name, file, text string
	opts             Options
	gold             bool
}{
	{"empty file", "b.csv", "", Options{}, false},
	{"blank lines only", "b.csv", "\n\n  \n", Options{}, false},
	{"header only", "b.csv", "item_id,annotator_id,label\n", Options{}, false},
	{"missing label column", "b.csv", "item,worker,verdikt\n1,a,x\n", Options{}, false},
	{"missing two columns", "b.csv", "item,notes\n1,x\n", Options{}, false},
	{"map to absent column", "b.csv", "item,worker,verdikt\n1,a,x\n", Options{Map: map[string]string{"label": "Verdict"}}, false},
	{"map unknown field", "b.csv", "item,worker,label\n1,a,x\n", Options{Map: map[string]string{"labell": "x"}}, false},
	{"unknown format", "b.csv", "a\n", Options{Format: "xls"}, false},
	{"empty required", "b.csv", "item_id,annotator_id,label\n,a,x\n1,,x\n1,a,\n1,a, | \n", Options{}, false},
	{"bad time", "b.csv", "item_id,annotator_id,label,submitted_at\n1,a,x,15.05.2024\n1,a,x,20240515\n1,a,x,2024-02-30\n", Options{}, false},
	{"bad duration", "b.csv", "item_id,annotator_id,label,duration_s\n1,a,x,-3\n1,a,x,abc\n1,a,x,12,5\n", Options{}, false},
	{"bad duration ssv", "b.csv", "item_id;annotator_id;label;duration_s\n1;a;x;12,5\n1;a;x;1.2.3\n", Options{}, false},
	{"bad round", "b.csv", "item_id,annotator_id,label,round\n1,a,x,first\n1,a,x,-1\n1,a,x,1.5\n", Options{}, false},
	{"round over the ceiling", "b.csv", "item_id,annotator_id,label,round\n1,a,x,258\n2,a,x,1e999\n3,a,x,99999999999999999999\n4,a,x,-1e999\n5,a,x,NaN\n6,a,x,100\n7,a,x,-0\n", Options{}, false},
	{"ragged row", "b.csv", "item_id,annotator_id,label\n1,a,x,extra\n2,b\n", Options{}, false},
	{"unterminated quote at end", "b.csv", "item_id,annotator_id,label\n1,a,\"x\n2,b,y\n", Options{}, false},
	{"quote error mid file", "b.csv", "item_id,annotator_id,label\n1,a,\"x\"y\n2,b,y\n", Options{}, false},
	{"bare quote", "b.csv", "item_id,annotator_id,label\n1,a,5\" screen\n2,b,y\n", Options{}, false},
	{"binary", "b.csv", "item_id,annotator_id\x00\x01\x02label\n", Options{}, false},
	{"utf16 without bom", "b.csv", "i\x00t\x00e\x00m\x00,\x00a\x00\n\x00", Options{}, false},
	{"mixed encodings", "b.csv", "item_id,annotator_id,label\n1,Bjørn,x\n2,Bj\xf8rn,x\n", Options{}, false},
	{"control bytes", "b.csv", "item_id,annotator_id,label\n1,a\x01\xf8,x\n", Options{}, false},
	{"nul later", "b.csv", "item_id,annotator_id,label\n1,a,x\n" + strings.Repeat("2,b,y\n", 20000) + "3,c\x00,z\n", Options{}, false},
	{"invalid utf8 later", "b.csv", "item_id,annotator_id,label\n" + strings.Repeat("2,b,y\n", 20000) + "3,c\xff,z\n", Options{}, false},
	{"truncated json", "b.json", "[\n {\"item_id\": \"1\", \"annotator_id\": \"a\", \"label\": \"x\"},\n {\"item_id\": \"2\", \"annot", Options{}, false},
	{"json syntax", "b.json", "[\n {\"item_id\": \"1\", \"annotator_id\": \"a\", \"label\": \"x\"},\n {\"item_id\" \"2\"}\n]", Options{}, false},
	{"json wrong types", "b.json", "[\n {\"item_id\": \"1\",\n  \"annotator_id\": \"a\",\n  \"label\": {\"x\": 1}},\n {\"item_id\": [1], \"annotator_id\": \"a\", \"label\": [\"x\", {}]},\n {\"item_id\": \"3\", \"annotator_id\": {}, \"label\": \"x\", \"duration_s\": true}\n]", Options{}, false},
	{"json not object", "b.json", "[\n {\"item_id\": \"1\", \"annotator_id\": \"a\", \"label\": \"x\"},\n 42,\n \"text\"\n]", Options{}, false},
	{"json empty array", "b.json", "[]", Options{}, false},
	{"doccano with meta keys read as canonical", "alice.jsonl", "{\"id\": 1, \"text\": \"ok\", \"queue\": \"live\", \"annotator\": \"x\", \"label\": [\"approve\"], \"Comments\": [\"see SOP\"]}\n", Options{}, false},
	{"json trailing text", "b.json", "[{\"item_id\": \"1\", \"annotator_id\": \"a\", \"label\": \"x\"}] x", Options{}, false},
	{"json missing key", "b.json", "[{\"item\": \"1\", \"who\": \"a\", \"label\": \"x\"}]", Options{}, false},
	{"json not json", "b.json", "hello", Options{}, false},
	{"jsonl errors", "b.jsonl", "{\"item_id\": \"1\", \"annotator_id\": \"a\", \"label\": \"x\"}\n{\"item_id\": \"2\" \"annotator_id\": \"a\"}\n[1]\n{\"item_id\": \"3\", \"annotator_id\": \"a\", \"label\": \"x\"} {}\n{\"item_id\": \"4\", \"annotator_id\": \"a\", \"label\": \"", Options{}, false},
	{"gold missing label", "g.csv", "item_id,rationale\n1,x\n", Options{}, true},
	{"gold empty label", "g.csv", "item_id,label\n1,\n", Options{}, true},
	{"xlsx not zip", "b.xlsx", "item_id,annotator_id,label\n", Options{}, false},
	{"old xls", "b.xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", Options{}, false},
	{"html named xls", "b.xls", "<html xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><body><table><tr><td>item_id</td></tr></table></body></html>", Options{}, false},
	{"xlsx encrypted or old", "b.xlsx", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", Options{}, false},
	{"xlsx zip not a workbook", "b.xlsx", zipText(map[string]string{"notes.txt": "hello"}), Options{}, false},
	{"xlsx truncated zip", "b.xlsx", workbookText([]string{headerRow}, nil)[:600], Options{}, false},
	{"xlsx undefined entity", "b.xlsx", workbookText([]string{headerRow, strRow("2", "ad-1", "r1", "ok"), strRow("3", "ad&nbsp;2", "r1", "ok"), strRow("4", "ad-3", "r1", "ok")}, nil), Options{}, false},
	{"xlsx duplicate row", "b.xlsx", workbookText([]string{headerRow, strRow("2", "ad-1", "r1", "ok"), strRow("2", "ad-2", "r1", "ok"), strRow("3", "ad-3", "r1", "ok")}, nil), Options{}, false},
	{"xlsx descending row", "b.xlsx", workbookText([]string{headerRow, strRow("3", "ad-1", "r1", "ok"), strRow("2", "ad-2", "r1", "ok")}, nil), Options{}, false},
	{"xlsx huge row number", "b.xlsx", workbookText([]string{headerRow, strRow("2", "ad-1", "r1", "ok"), strRow("99999999999", "ad-2", "r1", "ok")}, nil), Options{}, false},
	{"xlsx row number not a number", "b.xlsx", workbookText([]string{headerRow, strRow("2x", "ad-1", "r1", "ok")}, nil), Options{}, false},
	{"xlsx shared string out of range", "b.xlsx", workbookText([]string{headerRow, `<row r="2"><c r="A2" t="s"><v>7</v></c><c r="B2" t="s"><v>8</v></c><c r="C2" t="s"><v>99</v></c></row>`}, nil), Options{}, false},
	{"xlsx truncated sheet", "b.xlsx", workbookText([]string{headerRow, strRow("2", "ad-1", "r1", "ok"), `<row r="3"><c r="A3" t="str"><v>ad-2`}, map[string][]byte{"xl/worksheets/sheet1.xml": []byte(wsHead + headerRow + strRow("2", "ad-1", "r1", "ok") + `<row r="3"><c r="A3" t="str"><v>ad-2`)}), Options{}, false},
	{"xlsx cells out of order", "b.xlsx", workbookText([]string{headerRow, `<row r="2"><c r="C2" t="str"><v>ok</v></c><c r="A2" t="str"><v>ad-1</v></c><c r="B2" t="str"><v>r1</v></c></row>`}, nil), Options{}, false},
	{"xlsx bad formula", "b.xlsx", workbookText([]string{headerRow, `<row r="2"><c r="A2" t="str"><f ca="maybe">X</f><v>ad-1</v></c><c r="B2" t="str"><v>r1</v></c><c r="C2" t="str"><v>ok</v></c></row>`}, nil), Options{}, false},
	{"xlsx damaged shared strings", "b.xlsx", workbookText([]string{headerRow, strRow("2", "ad-1", "r1", "ok")}, map[string][]byte{"xl/sharedStrings.xml": sstXML(headerSI + `<si><t>a&nbsp;b</t></si>`)}), Options{}, false},
	{"label studio no choice", "ls.json", `[{"id": 1, "data": {"text": "t"}, "annotations": [{"id": 5, "completed_by": 3, "result": [], "was_cancelled": false}]}]`, Options{}, false},
	{"more than 20", "b.csv", "item_id,annotator_id,label\n" + strings.Repeat(",a,x\n", 25), Options{}, false},
	{"doccano collaborative export", "all.jsonl", `{"id": 1, "text": "t", "label": ["x"], "Comments": []}` + "\n", Options{}, false},
	{"doccano csv collaborative export", "all.csv", "id,text,label,Comments\n1,t,x,\n", Options{}, false},
	{"doccano bad records", "alice.jsonl", `{"id": 1, "text": "t", "label": [[0, 4, "ORG"]], "Comments": []}` + "\n" +
		`{"id": 2, "text": "t", "label": {"x": 1}, "Comments": []}` + "\n" + `{"id": 3, "text": "t", "Comments": []}` + "\n", Options{}, false},
	{"doccano map absent key", "alice.jsonl", `{"id": 1, "text": "t", "label": ["x"], "Comments": []}` + "\n", Options{Format: "doccano", Map: map[string]string{"annotator_id": "user"}}, false},
	{"canonical id label text is not doccano", "b.csv", "id,label,text\n1,x,t\n", Options{}, false},
	{"canonical jsonl id label text is not doccano", "b.jsonl", `{"id": 1, "text": "t", "label": ["x"]}` + "\n", Options{}, false},
	{"doccano csv with canonical meta columns needs --format", "alice.csv", "id,text,ad_id,label,Comments\n1,t,AD-1,x,\n", Options{}, false},
	{"canonical csv with Comments keeps empty labels", "b.csv", "id,text,label,Comments,annotator\n1,t,,note,erin\n", Options{}, false},
	{"cvat not cvat", "b.xml", "<?xml version=\"1.0\"?>\n<html><body>x</body></html>\n", Options{}, false},
	{"cvat invalid xml", "b.xml", "<annotations>\n<image id=\"0\" name=\"a.jpg\">\n<tag label=\"x\">\n</image>\n</annotations>\n", Options{}, false},
	{"cvat truncated", "b.xml", "<annotations>\n<image id=\"0\" name=\"a.jpg\">\n<tag label=\"x\"></tag>", Options{}, false},
	{"cvat bad images", "alice.xml", "<annotations>\n<image id=\"0\" name=\"a.jpg\">\n<tag source=\"manual\"></tag>\n</image>\n<image id=\"1\">\n<tag label=\"x\"></tag>\n</image>\n</annotations>\n", Options{}, false},
	{"cvat no labeler", "annotations.xml", "<annotations>\n<meta><task><id>1</id><owner><username>admin</username></owner><assignee></assignee></task></meta>\n<image id=\"0\" name=\"a.jpg\"><tag label=\"x\"></tag></image>\n</annotations>\n", Options{}, false},
	{"cvat map absent element", "annotations.xml", "<annotations>\n<meta><task><id>1</id><owner><username>admin</username></owner></task></meta>\n<image id=\"0\" name=\"a.jpg\"><tag label=\"x\"></tag></image>\n</annotations>\n", Options{Map: map[string]string{"annotator_id": "reviewer"}}, false},
	{"cvat map label", "b.xml", "<annotations/>", Options{Map: map[string]string{"label": "policy"}}, false},
	{"cvat video", "b.xml", "<annotations>\n<track id=\"0\" label=\"car\"></track>\n</annotations>\n", Options{}, false},
	{"cvat no tags", "b.xml", "<annotations>\n<image id=\"0\" name=\"a.jpg\"><box label=\"car\"/></image>\n</annotations>\n", Options{}, false},
	{"cvat task of several jobs", "annotations.xml", "<annotations>\n<meta><task><id>4</id><segments><segment><id>1</id></segment><segment><id>2</id></segment></segments><assignee><username>alice</username></assignee></task></meta>\n<image id=\"0\" name=\"a.jpg\"><tag label=\"x\"></tag></image>\n</annotations>\n", Options{}, false},
	{"cvat task without segments", "annotations.xml", "<annotations>\n<meta><task><id>4</id><assignee><username>alice</username></assignee></task></meta>\n<image id=\"0\" name=\"a.jpg\"><tag label=\"x\"></tag></image>\n</annotations>\n", Options{}, false},
	{"cvat same name without task id", "alice.xml", "<annotations>\n<image id=\"0\" name=\"a.jpg\"><tag label=\"x\"/></image>\n<image id=\"1\" name=\"b.jpg\"><tag label=\"x\"/></image>\n<image id=\"2\" name=\"a.jpg\"><tag label=\"y\"/></image>\n</annotations>\n", Options{}, false},
	{"cvat same name in one task", "alice.xml", "<annotations>\n<image id=\"0\" name=\"a.jpg\" task_id=\"3\"><tag label=\"x\"/></image>\n<image id=\"1\" name=\"a.jpg\" task_id=\"4\"><tag label=\"x\"/></image>\n<image id=\"2\" name=\"a.jpg\" task_id=\"3\"><tag label=\"y\"/></image>\n</annotations>\n", Options{}, false},
	{"cvat too many tags", "alice.xml", "<annotations>\n<image id=\"0\" name=\"a.jpg\">\n" + strings.Repeat("<tag label=\"x\"/>", MaxCVATTags) + "\n<tag label=\"y\"/></image>\n</annotations>\n", Options{}, false},
	{"cvat too many task children", "alice.xml", "<annotations>\n<meta><task><id>1</id>\n" + strings.Repeat("<x/>", MaxCVATUnitElements-1) + "\n<y/></task></meta>\n</annotations>\n", Options{}, false},
	{"cvat username too long", "alice.xml", "<annotations>\n<meta><task><id>1</id>\n<assignee><username>" + strings.Repeat("a", 2000) + "</username></assignee></task></meta>\n</annotations>\n", Options{}, false},
	{"cvat too deep", "b.xml", "<annotations>\n" + strings.Repeat("<x>", 70), Options{}, false},
	{"argilla bad answers", "b.json", "[{\"id\": \"r1\", \"fields\": {\"text\": \"t\"},\n \"responses\": {\"label\": [\n  {\"value\": \"x\"},\n  {\"value\": {\"a\": 1}, \"user_id\": \"u2\"},\n  {\"value\": [{\"value\": \"a\", \"rank\": 1}], \"user_id\": \"u3\"},\n  \"oops\"]}}]", Options{}, false},
	{"argilla several questions", "b.json", `[{"id": "r1", "fields": {}, "responses": {"policy": [{"value": "x", "user_id": "u"}], "notes": [{"value": "y", "user_id": "u"}]}}]`, Options{}, false},
	{"argilla map absent question", "b.json", `[{"id": "r1", "fields": {}, "responses": {"policy": [{"value": "x", "user_id": "u"}]}}]`, Options{Map: map[string]string{"label": "decision"}}, false},
	{"argilla no answers", "b.json", `[{"id": "r1", "fields": {"text": "t"}, "responses": {}, "suggestions": {"label": {"value": "x"}}}]`, Options{}, false},
	{"argilla no responses", "b.json", `[{"id": "r1", "fields": {"text": "t"}, "responses": {}}]`, Options{}, false},
	{"project file given as a batch", "p.lqa", "SQLite format 3\x00\x10\x00\x01\x01\x00\x40\x20\x20\x00\x00\x00\x02", Options{}, false},
	{"project file given as a batch, any name", "b.csv", "SQLite format 3\x00\x10\x00\x01\x01\x00\x40\x20\x20\x00\x00\x00\x02", Options{}, false},
	{"cr-only line ends: problems on the right line", "b.csv", "item_id,annotator_id,label\r1,a,x\r2,,x\r" + strings.Repeat("3,c,z\r", 20000) + "4,d\xff,z\r", Options{}, false},
	{"duplicate header", "b.csv", "item_id,annotator_id,label,label\n1,a,x,y\n", Options{}, false},
	{"headers that compare equal", "b.csv", "Item ID,annotator_id,label,item_id\n1,a,x,2\n", Options{}, false},
	{"duplicate synonym header", "b.csv", "item_id,worker,worker,label\n1,a,b,x\n", Options{}, false},
	{"map to a duplicate header", "b.csv", "item_id,annotator_id,verdict,verdict\n1,a,x,y\n", Options{Map: map[string]string{"label": "verdict"}}, false},
	{"gold duplicate header", "g.csv", "item_id,label,label\n1,x,y\n", Options{}, true},
	{"json keys that compare equal", "b.json", "[{\"item_id\": \"1\", \"annotator_id\": \"a\",\n  \"label\": \"x\",\n  \"Label\": \"y\"}]", Options{}, false},
	{"label studio data keys that compare equal", "ls.json", `[{"id": 1, "data": {"text": "t", "Text": "u"}, "annotations": [{"id": 5, "completed_by": 3, "result": [{"value": {"choices": ["ok"]}}]}]}]`, Options{}, false},
	{"control characters in ids and labels", "b.csv", "item_id,annotator_id,label,vendor\nad\x07-1,a,x,v\n2,\x1b]0;pwned\x07,x,v\n3,a,\x1b[31mred,v\n4,a,x,acme\x7f\n5,a,\u009bx,v\n\"6\n7\",a,x,v\n", Options{}, false},
	{"control characters in free text", "b.csv", "item_id,annotator_id,label,content,comment\n1,a,x,\"tab\tand\nline break are text\",ok\n2,a,x,\x1b[2J,ok\n3,a,x,ok,bell\x07\n", Options{}, false},
	{"json control characters", "b.json", `[{"item_id": "1", "annotator_id": "a", "label": "\u001b[31mred"}, {"item_id": "2", "annotator_id": "a\tb", "label": "x"}]`, Options{}, false},
	{"label studio csv choices with control characters", "ls.csv", "annotation_id,annotator,id,sentiment\n1,a@b,5,\"{\"\"choices\"\": [\"\"ok\"\", \"\"\\u001b[31m\"\"]}\"\n2,a@b,6,\"{\"\"choices\"\": [\"\"\\ud800\"\"]}\"\n", Options{}, false},
	{"gold control characters", "g.csv", "item_id,label,rationale\n1,x\x1b,ok\n2,x,\"see\nSOP\"\n", Options{}, true},
	{"json duplicate key", "b.json", "[\n {\"item_id\": \"1\", \"annotator_id\": \"a\",\n  \"label\": \"x\", \"label\": \"y\"},\n {\"item_id\": \"2\", \"annotator_id\": \"a\", \"label\": \"x\"}\n]", Options{}, false},
	{"jsonl duplicate nested key", "b.jsonl", `{"id": 1, "data": {"text": "t"}, "annotations": [{"id": 1, "id": 2, "completed_by": 1, "result": []}]}` + "\n", Options{}, false},
	{"json nul in text", "b.json", `[{"item_id": "1", "annotator_id": "a", "label": "x\u0000y"}]`, Options{}, false},
	{"jsonl nul in ignored key", "b.jsonl", `{"item_id": "1", "annotator_id": "a", "label": "x", "note\u0000": 1}` + "\n", Options{}, false},
	{"json lone surrogate", "b.json", `[{"item_id": "1", "annotator_id": "a", "label": "x\ud800"}]`, Options{}, false},
	{"jsonl lone low surrogate", "b.jsonl", `{"item_id": "1", "annotator_id": "a", "label": ["ok", "\udc00"]}` + "\n", Options{}, false},
	{"jsonl invalid utf8 later", "b.jsonl", strings.Repeat(`{"item_id": "1", "annotator_id": "a", "label": "ok"}`+"\n", 2000) + "{\"item_id\": \"2\", \"annotator_id\": \"a\", \"label\": \"\xff\"}\n", Options{}, false},
	{"xlsx excel error cells", "b.xlsx", workbookText([]string{headerRow,
		`<row r="2"><c r="A2" t="e"><v>#N/A</v></c><c r="B2" t="e"><v>#REF!</v></c><c r="C2" t="str"><v>ok</v></c></row>`,
		`<row r="3"><c r="A3" t="str"><v>ad-3</v></c><c r="B3" t="str"><v>r1</v></c><c r="C3" t="e"><f>VLOOKUP(A3,X!A:B,2,0)</f><v>#VALUE!</v></c><c r="D3" t="e"><v>#DIV/0!</v></c><c r="E3" t="e"><v>#NAME?</v></c><c r="F3" t="e"><v>#NUM!</v></c></row>`,
		`<row r="4"><c r="A4" t="str"><v>ad-4</v></c><c r="B4" t="str"><v>r1</v></c><c r="C4" t="str"><v>ok</v></c><c r="D4" t="e"><v>#NULL!</v></c><c r="E4" t="e"><v>#GETTING_DATA</v></c><c r="F4" t="str"><v>#SPILL!</v></c></row>`,
	}, nil), Options{}, false},
	{"csv excel error values", "b.csv", "item_id,annotator_id,label,duration_s,submitted_at\n#N/A,a,x,3,\n1,a,#REF!,#DIV/0!, #VALUE! \n2,a,x,3,2024-05-15\n", Options{}, false},
	{"time outside the accepted range", "b.csv", "item_id,annotator_id,label,submitted_at\n" +
		"1,a,x,0001-01-01T00:00:00Z\n2,a,x,0001-01-01 00:00:00\n3,a,x,1970-01-01\n4,a,x,2000-12-31T23:59\n5,a,x,2001-01-01T00:30:00+01:00\n" +
		"6,a,x,5000-01-01T00:00:00Z\n7,a,x,9999-12-31 23:59:59 +0000\n8,a,x,946684799000\n9,a,x,99999999999\n10,a,x,2001-01-01T00:00:00Z\n11,a,x,4999-12-31T23:59:59.999Z\n", Options{}, false},
	{"xlsx date serial outside the accepted range", "b.xlsx", workbookText([]string{headerRow,
		`<row r="2"><c r="A2" t="str"><v>ad-2</v></c><c r="B2" t="str"><v>r1</v></c><c r="C2" t="str"><v>ok</v></c><c r="E2"><v>1</v></c></row>`,
		`<row r="3"><c r="A3" t="str"><v>ad-3</v></c><c r="B3" t="str"><v>r1</v></c><c r="C3" t="str"><v>ok</v></c><c r="E3"><v>36891.5</v></c></row>`,
		`<row r="4"><c r="A4" t="str"><v>ad-4</v></c><c r="B4" t="str"><v>r1</v></c><c r="C4" t="str"><v>ok</v></c><c r="E4"><v>2958465</v></c></row>`,
	}, nil), Options{}, false},
	{"duration over the ceiling", "b.csv", "item_id,annotator_id,label,duration_s\n1,a,x,1.7e308\n2,a,x,1e999\n3,a,x,604800.5\n4,a,x,NaN\n5,a,x,Inf\n6,a,x,0x1p3\n7,a,x,-1e999\n8,a,x,604800\n9,a,x,-0\n", Options{}, false},
	{"duration over the ceiling ssv", "b.csv", "item_id;annotator_id;label;duration_s\n1;a;x;1,7e308\n2;a;x;604800,5\n3;a;x;12,5\n4;a;x;1.000,5\n", Options{}, false},
	{"json duration and time out of range", "b.jsonl", `{"item_id": "1", "annotator_id": "a", "label": "x", "duration_s": 1.7e308}` + "\n" + `{"item_id": "2", "annotator_id": "a", "label": "x", "duration_s": 1e999, "submitted_at": "0001-01-01T00:00:00Z"}` + "\n", Options{}, false},
	{"argilla flattened mismatch", "b.jsonl", `{"id": "r1", "label.responses": ["x", "y"], "label.responses.users": ["u1"]}` + "\n" + `{"id": "r2", "label.responses": "x", "label.responses.users": ["u1"]}` + "\n", Options{}, false},
}

// smallLimits lowers the size limits for a test: 64 bytes a field, 256 a record.
func smallLimits(t testing.TB) {
	f, r := MaxFieldBytes, MaxRecordBytes
	MaxFieldBytes, MaxRecordBytes = 64, 256
	t.Cleanup(func() { MaxFieldBytes, MaxRecordBytes = f, r })
}

// limitCases are read with smallLimits (their messages say 64 bytes and 256
// bytes where the real limits are 16 MiB and 64 MiB).
var limitCases = []struct {
	name, file, text string
}{
	{"field over the limit", "b.csv", "item_id,annotator_id,label,content\n1,a,x," + strings.Repeat("t", 65) + "\n2,a,x,ok\n"},
	{"quoted field over the limit", "b.csv", "item_id,annotator_id,label,content\n1,a,x,ok\n2,a,x,\"" + strings.Repeat("line\n", 20) + "\"\n3,a,x,ok\n"},
	{"record over the limit", "b.csv", "item_id,annotator_id,label,content\n1,a,x," + strings.Repeat("t,", 200) + "\n"},
	{"unquoted line over the limit in one field", "b.tsv", "item_id\tannotator_id\tlabel\tcontent\n1\ta\tx\t" + strings.Repeat("t", 300) + "\n"},
	{"quoted record over the limit", "b.csv", "item_id;annotator_id;label" + strings.Repeat(";x", 10) + "\n1;a;x;" + strings.Repeat("\""+strings.Repeat("l\n", 20)+"\";", 10) + "\n"},
	{"record over the limit after a quoting error", "b.csv", "item_id,annotator_id,label,content\n1,a,x\"y,ok\n2,a,x," + strings.Repeat("t", 200_000) + "\n"},
	{"json text over the limit", "b.json", "[{\"item_id\": \"1\", \"annotator_id\": \"a\",\n  \"label\": \"" + strings.Repeat("x", 65) + "\"},\n {\"item_id\": \"2\", \"annotator_id\": \"a\", \"label\": \"x\"}]"},
	{"json record over the limit", "b.json", "[{\"item_id\": \"1\", \"annotator_id\": \"a\", \"label\": \"x\"},\n {\"item_id\": \"2\", \"annotator_id\": \"a\", \"label\": \"x\", \"extra\": \"" + strings.Repeat("x", 200_000) + "\"}]"},
	{"json record over the limit after much space", "b.json", "[{\"item_id\": \"1\", \"annotator_id\": \"a\", \"label\": \"x\"}," + strings.Repeat(" ", 40) + "\n {\"item_id\": \"2\", \"annotator_id\": \"a\", \"label\": \"x\", \"extra\": \"" + strings.Repeat("x", 200_000) + "\"}]"},
	{"jsonl line over the limit", "b.jsonl", "{\"item_id\": \"1\", \"annotator_id\": \"a\", \"label\": \"x\"}\n{\"item_id\": \"2\", \"annotator_id\": \"a\", \"label\": \"x\", \"extra\": \"" + strings.Repeat("x", 70000) + "\"}\n"},
	{"label studio text over the limit", "ls.json", "[{\"id\": 1, \"data\": {\"text\": \"" + strings.Repeat("x", 65) + "\"}, \"annotations\": [{\"id\": 5, \"completed_by\": 3, \"result\": [{\"value\": {\"choices\": [\"ok\"]}}]}]}]"},
}

func TestErrorMessages(t *testing.T) {
	var b strings.Builder
	cases := errorCases
	for _, c := range limitCases {
		cases = append(cases, struct {
			name, file, text string
			opts             Options
			gold             bool
		}{"limit: " + c.name, c.file, c.text, Options{}, false})
	}
	for i, c := range cases {
		if i == len(errorCases) {
			smallLimits(t)
		}
		var out scanned
		if c.gold {
			out = scanGoldText(c.file, c.text, c.opts)
		} else {
			out = scanText(c.file, c.text, c.opts)
		}
		if out.err == nil {
			t.Errorf("%s: no error", c.name)
		}
		var l *ErrorList
		if !errors.As(out.err, &l) {
			t.Errorf("%s: error %T is not an *ErrorList", c.name, out.err)
		}
		fmt.Fprintf(&b, "== %s\n%s\n", c.name, strings.Join(hintedLines(out), "\n"))
	}
	golden := filepath.Join("testdata", "errors.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Errorf("errors.golden line %d:\n got: %s\nwant: %s", i+1, g, w)
				break
			}
		}
	}
}
