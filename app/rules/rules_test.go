package rules

import (
	"flag"
	"io"
	"strings"
	"testing"
)

func TestParseDuplicatePolicy(t *testing.T) {
	for _, c := range []struct {
		in   string
		want DuplicatePolicy
		err  bool
	}{
		{"", DupLast, false}, {"last", DupLast, false}, {"first", DupFirst, false},
		{"keep", DupKeep, false}, {"error", DupError, false}, {"newest", "", true}, {"Last", "", true},
	} {
		got, err := ParseDuplicatePolicy(c.in)
		if got != c.want || (err != nil) != c.err {
			t.Errorf("ParseDuplicatePolicy(%q) = %q, %v", c.in, got, err)
		}
	}
	if got := DuplicatePolicyNames(); got != "last, first, keep or error" {
		t.Errorf("names %q", got)
	}
}

// TestDuplicatePolicyFlag: *DuplicatePolicy is a flag.Value that refuses
// an unknown name with the policies' names.
func TestDuplicatePolicyFlag(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	p := DefaultDuplicatePolicy
	fs.Var(&p, "duplicates", "")
	if err := fs.Parse([]string{"--duplicates", "keep"}); err != nil || p != DupKeep {
		t.Fatalf("keep: %q %v", p, err)
	}
	err := fs.Parse([]string{"--duplicates", "newest"})
	if err == nil || !strings.Contains(err.Error(), "use last, first, keep or error") || p != DupKeep {
		t.Fatalf("newest: %q %v", p, err)
	}
}

func TestResolve(t *testing.T) {
	const early, late = 1000, 2000
	for _, c := range []struct {
		p            DuplicatePolicy
		oldAt, newAt int64
		want         Repeat
	}{
		{DupLast, early, late, DropOld},
		{DupLast, late, early, DropNew}, // the earlier row is the later submission
		{DupLast, late, late, DropOld},
		{DupLast, NoTime, early, DropOld}, // a time unknown: the row met later wins
		{DupLast, late, NoTime, DropOld},
		{DupFirst, early, late, DropNew},
		{DupKeep, late, early, KeepBoth},
		{DupError, early, late, Refuse},
	} {
		if got := c.p.Resolve(c.oldAt, c.newAt); got != c.want {
			t.Errorf("%s.Resolve(%d, %d) = %d, want %d", c.p, c.oldAt, c.newAt, got, c.want)
		}
	}
}

func TestMergeAttribute(t *testing.T) {
	for _, c := range [][3]string{{"A", "", "A"}, {"A", "B", "B"}, {"", "B", "B"}, {"", "", ""}} {
		if got := MergeAttribute(c[0], c[1]); got != c[2] {
			t.Errorf("MergeAttribute(%q, %q) = %q, want %q", c[0], c[1], got, c[2])
		}
	}
}

func TestApproves(t *testing.T) {
	for _, c := range []struct {
		name  string
		allow []string
		want  bool
	}{
		{"Approve", nil, true}, {" no_violation ", nil, true}, {"scam", nil, false},
		{"approve", []string{}, false}, // allow labels declared, none of them
		{"APPROVE", []string{"approve"}, true},
		{"fine", []string{"Fine", "ok"}, true},
		{"ok", []string{"fine"}, false},
	} {
		if got := Approves(c.name, c.allow); got != c.want {
			t.Errorf("Approves(%q, %q) = %v", c.name, c.allow, got)
		}
	}
}

func TestCheckName(t *testing.T) {
	if err := CheckName("label", "fine"); err != nil {
		t.Error(err)
	}
	err := CheckName("label", "a\x1bb")
	if err == nil || !strings.Contains(err.Error(), `label "a\x1bb" holds a control character (ESC, U+001B) at character 2`) {
		t.Errorf("got %v", err)
	}
}
