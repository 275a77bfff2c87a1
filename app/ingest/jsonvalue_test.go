package ingest

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func stdDecode(raw []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	err := d.Decode(&v)
	return v, err
}

func TestParseJSON(t *testing.T) {
	ok := []string{
		`{}`, `[]`, `{"a": [1, -2.5e3, true, false, null, "x"], "b": {"c": "\u00e9\ud83d\ude00\"\\\/\b\f\n\r\t"}}`,
		` "s" `, `0`, `{"a": {"a": 1}, "b": {"a": 2}}`, `["\u001b[31m"]`,
	}
	for _, s := range ok {
		got, bad := parseJSON([]byte(s))
		want, err := stdDecode([]byte(s))
		if bad != nil || err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %#v %v, want %#v %v", s, got, bad, want, err)
		}
	}
	refused := []struct{ in, msg string }{
		{`{"label": "x", "label": "y"}`, `the object has the key "label" twice`},
		{`{"a": {"k": 1, "k": 1}}`, `the object has the key "k" twice`},
		{`{"label": "a\u0000b"}`, `the text of "label" holds the NUL character`},
		{`{"a\u0000": 1}`, `a key of this object holds the NUL character`},
		{`{"label": "\ud800"}`, `the text of "label" holds \ud800, half of a UTF-16 surrogate pair`},
		{`{"label": ["ok", "\ud800x"]}`, `the text of "label" holds \ud800`},
		{`{"label": "\udc00\ud800"}`, `holds \udc00`},
		{`{"label": "\ud800\u0041"}`, `holds \ud800`},
		{"{\"label\": \"\xff\"}", `is not valid UTF-8`},
	}
	for _, c := range refused {
		_, bad := parseJSON([]byte(c.in))
		if bad == nil || !strings.Contains(bad.msg, c.msg) {
			t.Errorf("%s: got %v, want %q", c.in, bad, c.msg)
		}
	}
}

// FuzzParseJSON: parseJSON gives encoding/json's value for every well-formed
// JSON text it accepts, and refuses only duplicate keys, NUL, lone surrogates
// and invalid UTF-8.
func FuzzParseJSON(f *testing.F) {
	for _, c := range errorCases {
		if strings.HasSuffix(c.file, ".json") || strings.HasSuffix(c.file, ".jsonl") {
			for _, l := range strings.Split(c.text, "\n") {
				f.Add([]byte(l))
			}
			f.Add([]byte(c.text))
		}
	}
	f.Add([]byte(`{"a": "\ud83d\ude00", "b": "\ud800", "c": "\u0000", "a": 1}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !json.Valid(raw) {
			return
		}
		got, bad := parseJSON(raw)
		want, err := stdDecode(raw)
		if err != nil {
			if bad == nil {
				t.Fatalf("encoding/json refuses %q (%v), parseJSON does not", raw, err)
			}
			return
		}
		if bad != nil {
			if bad.off < 0 || bad.off > len(raw) {
				t.Fatalf("offset %d out of %d", bad.off, len(raw))
			}
			m := bad.msg
			if !strings.Contains(m, "twice") && !strings.Contains(m, "NUL") && !strings.Contains(m, "surrogate") && !strings.Contains(m, "UTF-8") && !strings.Contains(m, "levels deep") {
				t.Fatalf("%q refused: %s", raw, m)
			}
			return
		}
		if !utf8.Valid(raw) {
			t.Fatalf("invalid UTF-8 accepted: %q", raw)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: got %#v, want %#v", raw, got, want)
		}
	})
}
