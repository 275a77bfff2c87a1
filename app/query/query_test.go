package query

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestMatch(t *testing.T) {
	at := time.Date(2025, 3, 7, 8, 0, 0, 0, time.UTC)
	j := Judgment{Vendor: "Fjord Review AS", Team: "OSL", Market: "NO", Reviewer: "no_rev01", Queue: "live", SOP: "v3", At: at.UnixMilli(), HasTime: true}
	untimed := j
	untimed.HasTime, untimed.At = false, 0
	cases := []struct {
		name string
		q    Query
		j    Judgment
		want bool
	}{
		{"zero", Query{}, j, true},
		{"zero, no time", Query{}, untimed, true},
		{"vendor", Query{Vendor: "Fjord Review AS"}, j, true},
		{"vendor in another case", Query{Vendor: "fjord review as"}, j, false},
		{"team", Query{Team: "OSL"}, j, true},
		{"team in another case", Query{Team: "osl"}, j, false},
		{"market", Query{Market: "NO"}, j, true},
		{"other market", Query{Market: "ID"}, j, false},
		{"queue", Query{Queue: "live"}, j, true},
		{"queue in upper case", Query{Queue: "LIVE"}, j, true},
		{"other queue", Query{Queue: "practice"}, j, false},
		{"SOP", Query{SOP: "v3"}, j, true},
		{"SOP in another case", Query{SOP: "V3"}, j, false},
		{"reviewer", Query{Reviewer: "no_rev01"}, j, true},
		{"reviewer in another case", Query{Reviewer: "NO_REV01"}, j, false},
		{"from its time", Query{From: at}, j, true},
		{"from a millisecond later", Query{From: at.Add(time.Millisecond)}, j, false},
		{"to its time", Query{To: at}, j, false},
		{"to a millisecond later", Query{To: at.Add(time.Millisecond)}, j, true},
		{"from, no time", Query{From: at.AddDate(-1, 0, 0)}, untimed, false},
		{"to, no time", Query{To: at.AddDate(1, 0, 0)}, untimed, false},
		{"empty range", Query{From: at, To: at}, j, false},
		{"every field", Query{Vendor: "Fjord Review AS", Team: "OSL", Market: "NO", Reviewer: "no_rev01", Queue: "Live", SOP: "v3", From: at, To: at.Add(time.Hour)}, j, true},
		{"every field but one", Query{Vendor: "Fjord Review AS", Team: "OSL", Market: "NO", Reviewer: "no_rev02", Queue: "Live", SOP: "v3", From: at, To: at.Add(time.Hour)}, j, false},
		{"scope", Query{}.WithinVendor("Fjord Review AS"), j, true},
		{"other scope", Query{}.WithinVendor("Nusantara BPO"), j, false},
		{"scope and its vendor", Query{Vendor: "Fjord Review AS"}.WithinVendor("Fjord Review AS"), j, true},
		{"scope and another vendor", Query{Vendor: "Nusantara BPO"}.WithinVendor("Fjord Review AS"), Judgment{Vendor: "Nusantara BPO"}, false},
		{"scope and another vendor, its vendor", Query{Vendor: "Nusantara BPO"}.WithinVendor("Fjord Review AS"), j, false},
		{"two scopes", Query{}.WithinVendor("Fjord Review AS").WithinVendor("Nusantara BPO"), j, false},
		{"two scopes, other order", Query{}.WithinVendor("Nusantara BPO").WithinVendor("Fjord Review AS"), j, false},
		{"the same scope twice", Query{}.WithinVendor("Fjord Review AS").WithinVendor("Fjord Review AS"), j, true},
		{"empty scope", Query{}.WithinVendor(""), j, false},
		{"empty scope, no vendor", Query{}.WithinVendor(""), Judgment{}, true},
	}
	for _, c := range cases {
		if got := c.q.Match(c.j); got != c.want {
			t.Errorf("%s: Match = %v, want %v", c.name, got, c.want)
		}
	}
}

// A scope cannot be widened: setting Vendor afterwards, scoping again or
// copying the query never reaches another vendor's judgments.
func TestScopeCannotBeWidened(t *testing.T) {
	fjord, other := Judgment{Vendor: "Fjord Review AS"}, Judgment{Vendor: "Nusantara BPO"}
	q := Query{}.WithinVendor("Fjord Review AS")
	if !q.Filtered() {
		t.Error("a scoped query is not Filtered")
	}
	if v, ok := q.Scope(); !ok || v != "Fjord Review AS" {
		t.Errorf("Scope = %q, %v", v, ok)
	}
	widened := []Query{q, q.WithinVendor("Nusantara BPO"), q.WithinVendor("")}
	w := q
	w.Vendor = "Nusantara BPO"
	widened = append(widened, w)
	w = q
	w.Vendor, w.Team, w.From = "", "", time.Time{} // clearing every exported field keeps the scope
	widened = append(widened, w)
	for i, x := range widened {
		if x.Match(other) {
			t.Errorf("query %d reaches another vendor's judgment", i)
		}
		if v, ok := x.VendorCondition(); !ok || v != "Fjord Review AS" {
			t.Errorf("query %d: vendor condition %q, %v", i, v, ok)
		}
	}
	if !q.Match(fjord) || !w.Match(fjord) {
		t.Error("the scope's own judgments are not matched")
	}
	for _, x := range []Query{widened[1], widened[2], widened[3]} {
		if !x.MatchesNothing() {
			t.Errorf("%+v: MatchesNothing false", x)
		}
		err := x.Validate()
		if !errors.Is(err, ErrOutsideScope) {
			t.Errorf("%+v: Validate = %v, want ErrOutsideScope", x, err)
		}
	}
	if err := w.Validate(); err != nil {
		t.Errorf("scope alone: %v", err)
	}
	err := widened[3].Validate()
	want := `vendor "Nusantara BPO" is outside this view, which shows vendor "Fjord Review AS" only; choose "Fjord Review AS" or no vendor`
	if err == nil || err.Error() != want {
		t.Errorf("Validate = %v\nwant %s", err, want)
	}
}

func TestValidate(t *testing.T) {
	day := time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		q          Query
		field, msg string
		is         error
	}{
		{Query{From: day, To: day.AddDate(0, 0, -4)}, "date range",
			"the date range from 2026-11-05T00:00:00Z to 2026-11-01T00:00:00Z is empty (it holds the times from the start up to, not including, the end); give an earlier start or a later end", ErrEmptyRange},
		{Query{From: day, To: day}, "date range",
			"the date range from 2026-11-05T00:00:00Z to 2026-11-05T00:00:00Z is empty (it holds the times from the start up to, not including, the end); give an earlier start or a later end", ErrEmptyRange},
		{Query{Team: "OSL\xff"}, "team", `the team "OSL\xff" is not valid UTF-8 text, so no judgment can have it; type it again`, nil},
		{Query{SOP: "v\x001"}, "SOP version", `the SOP version "v\x001" holds the NUL character, which no imported value can hold; remove it`, nil},
	}
	for _, c := range cases {
		err := c.q.Validate()
		var qe *Error
		if !errors.As(err, &qe) || qe.Field != c.field || err.Error() != c.msg || c.is != nil && !errors.Is(err, c.is) {
			t.Errorf("%+v: Validate = %v", c.q, err)
		}
		if err != nil && strings.Contains(err.Error(), "--") {
			t.Errorf("message names a flag: %s", err)
		}
	}
	for _, q := range []Query{{}, {From: day}, {To: day}, {From: day, To: day.Add(time.Millisecond)},
		{Vendor: "Nusantara\x1b[2J BPO", Team: "\tT", Queue: "Live", Reviewer: "ev\x1b]0;pwned\x07il"}} {
		if err := q.Validate(); err != nil {
			t.Errorf("%+v: %v", q, err)
		}
	}
	if (Query{}).Filtered() || (Query{From: time.Time{}.In(time.FixedZone("X", 3600))}).Filtered() {
		t.Error("a query without conditions is Filtered")
	}
	for _, q := range []Query{{Vendor: "v"}, {Team: "t"}, {Queue: "q"}, {Market: "m"}, {SOP: "s"}, {Reviewer: "r"}, {From: day}, {To: day}} {
		if !q.Filtered() {
			t.Errorf("%+v is not Filtered", q)
		}
	}
}

func TestParseDate(t *testing.T) {
	for in, want := range map[string]time.Time{
		"":                          {},
		"2026-11-02":                time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC),
		"2026-11-02T08:00:00":       time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC),
		"2026-11-02T08:00:00Z":      time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC),
		"2026-11-02T09:00:00+01:00": time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC),
	} {
		got, err := ParseDate(in)
		if err != nil || !got.Equal(want) || !got.IsZero() && got.Location() != time.UTC {
			t.Errorf("ParseDate(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseDate("02/11/2026"); err == nil || err.Error() != `date "02/11/2026": use YYYY-MM-DD or an RFC 3339 time such as 2026-11-02T08:00:00Z` {
		t.Errorf("ParseDate: %v", err)
	}
}
