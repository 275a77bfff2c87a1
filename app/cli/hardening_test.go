package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"labelqa/app/store"
)

// hostileCSV holds formulas (CSV injection) and terminal control bytes
// (ESC, OSC, BEL, C1 CSI, a bidi override) in ids, labels and vendors,
// next to ordinary Indonesian and Norwegian text that must stay as it is.
const hostileCSV = "item_id,annotator_id,label,vendor,team,market,queue,sop_version,submitted_at\n" +
	"ad1,\"=cmd|' /C calc'!A0\",approve,+SUM(1),-2+3,@SUM(A1),live,=1+1,2026-11-02T08:00:00Z\n" +
	"ad1,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",iklan_menyesatkan,Fjord Review AS,Bjørnøya,NO,live,v1,2026-11-02T08:01:00Z\n" +
	"ad2,ev\x1b]0;pwned\x07il,appr\x1b[31move,Nusantara\x1b[2J BPO,\tT,ID,\rlive,v1,2026-11-02T08:02:00Z\n" +
	"ad2,c1\u009b31m,approve,bidi\u202eDPB,T,ID,live,v1,2026-11-02T08:03:00Z\n" +
	"ad3,ann5,iklan_menyesatkan,Nusantara BPO,T,ID,live,v1,2026-11-03T08:00:00Z\n" +
	"ad3,\"=cmd|' /C calc'!A0\",approve,+SUM(1),-2+3,@SUM(A1),live,=1+1,2026-11-03T08:05:00Z\n"

// formulaCSV is hostileCSV without its control bytes: text the readers
// accept as it is, which a spreadsheet would run.
var formulaCSV = func() string {
	var keep []string
	for _, line := range strings.SplitAfter(hostileCSV, "\n") {
		if !strings.ContainsAny(line, "\x1b\u009b\u202e") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "")
}()

// storeProject writes the records of a CSV into a new project with the
// store's own API, without the readers' checks: a project imported by an
// older LabelQA, whose readers let control characters through, holds such
// text, and the CLI must still print it safely.
func storeProject(t *testing.T, path, text string) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Create(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	w, err := s.BeginBatch(ctx, store.BatchInfo{FileName: "old.csv", SHA256: "old", Format: "csv", AddLabels: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Rollback()
	for i, r := range recs[1:] {
		at := store.NoTime
		if t, err := time.Parse(time.RFC3339, r[8]); err == nil {
			at = t.UnixMilli()
		}
		rec := &store.Judgment{Row: i + 2, ItemID: r[0], AnnotatorID: r[1], Labels: []string{r[2]}, Vendor: r[3], Team: r[4], Market: r[5],
			Queue: r[6], SOPVersion: r[7], At: at, DurationS: math.NaN()}
		if err := w.Add(ctx, rec); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Commit(ctx, "csv", nil); err != nil {
		t.Fatal(err)
	}
}

// TestScorecardCSVInjection: every cell that came from input and would
// start a formula gets a leading apostrophe, for every --by; the header
// names each column once; computed numbers stay numbers.
func TestScorecardCSVInjection(t *testing.T) {
	dir := t.TempDir()
	batch := write(t, dir, "formulas.csv", formulaCSV)
	proj := filepath.Join(dir, "p.lqa")
	run(t, "init", proj)
	if code, _, stderr := run(t, "import", proj, batch); code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	old := filepath.Join(dir, "old.lqa")
	storeProject(t, old, hostileCSV)
	for _, in := range []string{proj, batch, old} {
		for _, by := range []string{"reviewer", "vendor", "team", "queue", "market", "sop", "week"} {
			code, out, stderr := run(t, "scorecard", in, "--csv", "--by", by)
			if code != 0 {
				t.Fatalf("--by %s: %d %s", by, code, stderr)
			}
			recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			if err != nil {
				t.Fatalf("--by %s: %v\n%s", by, err, out)
			}
			seen := map[string]bool{}
			for _, h := range recs[0] {
				if seen[h] {
					t.Errorf("--by %s: column %q twice in %v", by, h, recs[0])
				}
				seen[h] = true
			}
			if recs[0][0] != by {
				t.Errorf("--by %s: first column %q", by, recs[0][0])
			}
			textCols := 1
			if by == "reviewer" {
				textCols = 2
			}
			for _, rec := range recs[1:] {
				for i, c := range rec {
					if c == "" {
						continue
					}
					if i < textCols {
						if strings.ContainsAny(c[:1], "=+-@\t\r") {
							t.Errorf("--by %s: live formula cell %q", by, c)
						}
						continue
					}
					if _, err := strconv.ParseFloat(c, 64); err != nil {
						t.Errorf("--by %s: computed cell %q of column %s is not a number", by, c, recs[0][i])
					}
				}
			}
			switch by {
			case "reviewer":
				if !strings.Contains(out, `"'=HYPERLINK(""http://evil.example"",""click"")"`) || !strings.Contains(out, "\n'=cmd|' /C calc'!A0,'+SUM(1),") {
					t.Errorf("--by reviewer:\n%s", out)
				}
			case "team":
				if !strings.Contains(out, "\n'-2+3,") || !strings.Contains(out, "\nBjørnøya,") {
					t.Errorf("--by team:\n%s", out)
				}
			case "market":
				if !strings.Contains(out, "\n'@SUM(A1),") {
					t.Errorf("--by market:\n%s", out)
				}
			case "sop":
				if !strings.Contains(out, "\n'=1+1,") {
					t.Errorf("--by sop:\n%s", out)
				}
			}
		}
	}
}

// TestNoControlBytesInTextOutput: labels and ids holding ESC, OSC, BEL, C1
// and bidi controls are escaped in every text output (import, metrics,
// --counts, scorecard, error messages), and in JSON; printable Unicode stays.
func TestNoControlBytesInTextOutput(t *testing.T) {
	dir := t.TempDir()
	batch := write(t, dir, "hostile\x1b[1m.csv", hostileCSV)
	proj := filepath.Join(dir, "p.lqa")
	storeProject(t, proj, hostileCSV)
	fresh := filepath.Join(dir, "fresh.lqa")
	run(t, "init", fresh)
	var outputs []string
	var code int
	check := func(args ...string) string {
		t.Helper()
		var stdout, stderr string
		code, stdout, stderr = run(t, args...)
		noPanic(t, args, code, stdout, stderr)
		for _, s := range []string{stdout, stderr} {
			for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u202e", "\r", "\t"} {
				if strings.Contains(s, bad) {
					t.Errorf("labelqa %s: raw %q in output:\n%s", strings.Join(args[:1], " "), bad, s)
				}
			}
		}
		outputs = append(outputs, stdout+stderr)
		return stdout + stderr
	}
	// The readers may refuse control characters (exit 1) or let them in; the
	// summary or the refusal is printed safely either way.
	out := check("import", fresh, batch)
	if !strings.Contains(out, `hostile\x1b[1m.csv`) {
		t.Errorf("import: %s", out)
	}
	if code == 0 && !strings.Contains(out, `appr\x1b[31move`) {
		t.Errorf("import: %s", out)
	}
	check("metrics", proj)
	check("metrics", proj, "--counts")
	out = check("scorecard", proj)
	if !strings.Contains(out, `ev\x1b]0;pwned\x07il`) || !strings.Contains(out, `c1\u009b31m`) || !strings.Contains(out, `bidi\u202eDPB`) {
		t.Errorf("scorecard: %s", out)
	}
	out = check("scorecard", proj, "--by", "vendor")
	if !strings.Contains(out, "Fjord Review AS") || !strings.Contains(out, "Nusantara BPO") {
		t.Errorf("printable text changed:\n%s", out)
	}
	if out = check("scorecard", proj, "--by", "team"); !strings.Contains(out, "Bjørnøya") {
		t.Errorf("team: %s", out)
	}
	check("metrics", batch)
	check("metrics", proj, "--vendor", "x\x1b[2Jy")
	check("import", fresh, batch) // refused: imported before, or its text
	check("frobnicate\x1b[2J")
	check("metrics", proj, "--format", "x\x07")
	// JSON: every control escaped, and the values read back unchanged.
	for _, args := range [][]string{{"metrics", proj, "--json"}, {"scorecard", proj, "--json"}, {"metrics", proj, "--json", "--counts"}} {
		out := check(args...)
		var v map[string]any
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		if args[0] == "scorecard" && !strings.Contains(out, `c1\u009b31m`) {
			t.Errorf("C1 control not escaped: %s", out)
		}
	}
	_, js, _ := run(t, "scorecard", proj, "--json")
	var sc struct{ Cards []struct{ Key string } }
	json.Unmarshal([]byte(js), &sc)
	var keys []string
	for _, c := range sc.Cards {
		keys = append(keys, c.Key)
	}
	if !strings.Contains(strings.Join(keys, "|"), "c1\u009b31m") || !strings.Contains(strings.Join(keys, "|"), "ev\x1b]0;pwned\x07il") {
		t.Errorf("JSON values changed: %q", keys)
	}
}

func TestSafeText(t *testing.T) {
	cases := map[string]string{
		"approve": "approve",
		"Iklan menyesatkan — Bjørnøya 日本": "Iklan menyesatkan — Bjørnøya 日本",
		"a\x1b[31mb":                `a\x1b[31mb`,
		"\x1b]8;;http://x\x07link":  `\x1b]8;;http://x\x07link`,
		"line\nbreak\ttab\rcr":      `line\nbreak\ttab\rcr`,
		"c1\u009bx del\x7f":         `c1\u009bx del\x7f`,
		"bidi\u202eabc\u2066":       `bidi\u202eabc\u2066`,
		"marks\u200fx\u200ey\u061c": `marks\u200fx\u200ey\u061c`,
		"bad\xffutf8":               `bad\xffutf8`,
		"emoji 👍🏽 zwj 👩‍💻":          "emoji 👍🏽 zwj 👩‍💻",
	}
	for in, want := range cases {
		if got := safeText(in); got != want {
			t.Errorf("safeText(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPanicIsAnInternalError: a panic in a command is reported in one line
// with what to do, exit 1, never a Go stack trace.
func TestPanicIsAnInternalError(t *testing.T) {
	saved := commands
	defer func() { commands = saved }()
	commands = append(append([]command{}, commands...), command{name: "test-panic", run: func(*env, []string) int { panic("boom\x1b[2J") }})
	code, stdout, stderr := run(t, "test-panic")
	if code != ExitFail || stdout != "" || stderr != "labelqa: internal error: boom\\x1b[2J; please report it with the command you ran\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// TestUsageMessages pins the messages and exit codes of bad usage (2) and
// of flags naming nothing in the data (1).
func TestUsageMessages(t *testing.T) {
	dir, proj, batch, _ := qaProject(t)
	empty := filepath.Join(dir, "empty.lqa")
	run(t, "init", empty)
	cases := []struct {
		code int
		args []string
	}{
		{ExitUsage, []string{"batch.csv"}},
		{ExitUsage, []string{batch}},
		{ExitUsage, []string{proj}},
		{ExitUsage, []string{"metrcis", proj}},
		{ExitUsage, []string{"score", proj}},
		{ExitUsage, []string{"imprt"}},
		{ExitUsage, []string{"zzzzzz"}},
		{ExitUsage, []string{"help", "metrix"}},
		{ExitUsage, []string{"help", "metrics", "import"}},
		{ExitUsage, []string{"version", "--bogus"}},
		{ExitUsage, []string{"version", "extra"}},
		{ExitUsage, []string{"demo", dir, "extra"}},
		{ExitUsage, []string{"init", filepath.Join(dir, "n.lqa"), "extra"}},
		{ExitUsage, []string{"init", filepath.Join(dir, "n.lqa"), "--labels", "a,a"}},
		{ExitUsage, []string{"init", filepath.Join(dir, "n.lqa"), "--labels", ",,,"}},
		{ExitUsage, []string{"init", filepath.Join(dir, "n.lqa"), "--labels", "Approve,reject,approve"}},
		{ExitUsage, []string{"init", filepath.Join(dir, "n.lqa"), "--labels", "caf\u00e9,cafe\u0301"}}, // é composed and decomposed
		{ExitUsage, []string{"init", filepath.Join(dir, "n.lqa"), "--allow-labels", "ok"}},
		{ExitUsage, []string{"init", filepath.Join(dir, "n.lqa"), "--labels", "approve,reject", "--allow-labels", "ok"}},
		{ExitUsage, []string{"import", proj, batch, "--format", "xls"}},
		{ExitUsage, []string{"import", proj, batch, "--map", "labell=x"}},
		{ExitUsage, []string{"gold", proj, batch, "--format", "xls"}},
		{ExitUsage, []string{"metrics", batch, "--format", "xls"}},
		{ExitUsage, []string{"metrics", batch, "--map", "labell=x"}},
		{ExitUsage, []string{"metrics", batch, "--labels", "a,b,a"}},
		{ExitUsage, []string{"scorecard", batch, "--allow-labels", ",,"}},
		{ExitUsage, []string{"metrics", proj, "--from", "2026-11-05", "--to", "2026-11-01"}},
		{ExitUsage, []string{"metrics", proj, "--bogus"}},
		{ExitUsage, []string{"metrics", proj, "--gold", batch}},
		{ExitUsage, []string{"metrics", proj, "--counts", "--labels", "a,b"}},
		{ExitUsage, []string{"scorecard", proj, "--duplicates", "keep", "--format", "csv"}},
		{ExitUsage, []string{"metrics", proj, "--seed", "minus-one"}},
		{ExitUsage, []string{"metrics", proj, "--vendor"}},
		{ExitUsage, []string{"help", "--bogus"}},
		{ExitFail, []string{"metrics", proj, "--vendor", "Fjord"}},
		{ExitFail, []string{"metrics", batch, "--vendor", "Fjord"}},
		{ExitFail, []string{"scorecard", proj, "--queue", "practice"}},
		{ExitFail, []string{"metrics", proj, "--market", "SE"}},
		{ExitFail, []string{"metrics", proj, "--vendor", "Quality Team", "--queue", "live"}},
		{ExitFail, []string{"metrics", proj, "--from", "2027-01-01"}},
		{ExitFail, []string{"metrics", batch, "--to", "2026-01-01"}},
		{ExitFail, []string{"metrics", batch, "--allow-labels", "ok"}},
		{ExitFail, []string{"metrics", proj, "--allow-labels", "approve,ok"}},
		{ExitFail, []string{"metrics", empty, "--vendor", "Fjord"}},
		{ExitFail, []string{"metrics", proj, "--team", "JKT-A"}},
		{ExitFail, []string{"scorecard", batch, "--sop", "v9"}},
		{ExitFail, []string{"metrics", proj, "--reviewer", "ann9"}},
		{ExitFail, []string{"metrics", batch, "--reviewer", "ann1", "--queue", "2rqa"}},
		{ExitFail, []string{"import", proj, filepath.Join(dir, "nope.csv"), batch}},
		{ExitUsage, []string{"import", proj, batch, filepath.Join(dir, ".", "batch.csv")}},
		{ExitUsage, []string{"metrics", batch, proj}},
	}
	var got strings.Builder
	for _, c := range cases {
		code, stdout, stderr := run(t, c.args...)
		noPanic(t, c.args, code, stdout, stderr)
		if code != c.code || stderr == "" {
			t.Errorf("labelqa %s: exit %d, want %d; stderr %q", strings.Join(c.args, " "), code, c.code, stderr)
		}
		if stdout != "" {
			t.Errorf("labelqa %s: stdout %q", strings.Join(c.args, " "), stdout)
		}
		got.WriteString("$ labelqa " + strings.Join(c.args, " ") + "\n" + stderr + "exit " + strconv.Itoa(code) + "\n\n")
	}
	golden(t, "usage", dir, got.String())
	// Another spelling of a label names that label, as in init --labels
	// and imports (store.LabelKey); it was refused as unknown here.
	if code, _, stderr := run(t, "metrics", batch, "--allow-labels", "Approve"); code != ExitOK || stderr != "" {
		t.Errorf("--allow-labels Approve: exit %d, stderr %q", code, stderr)
	}
	// Good flags still work, and filters matching some judgments are not refused.
	if code, _, stderr := run(t, "metrics", proj, "--queue", "LIVE", "--vendor", "Nusantara BPO", "--from", "2026-11-01", "--to", "2026-11-04"); code != 0 {
		t.Errorf("good filters refused: %s", stderr)
	}
	if code, _, stderr := run(t, "metrics", batch, "--allow-labels", "approve", "--vendor", "Quality Team"); code != 0 {
		t.Errorf("an allow label outside the filtered judgments refused: %s", stderr)
	}
}

// TestMultiFileImportRefused: a refused file stops a multi-file import; the
// message says which files were imported, which was refused and that the
// rest were not imported.
func TestMultiFileImportRefused(t *testing.T) {
	dir := t.TempDir()
	proj := filepath.Join(dir, "p.lqa")
	run(t, "init", proj, "--labels", "approve,misleading_claims")
	a := write(t, dir, "a.csv", "item_id,annotator_id,label\nad1,ann1,approve\n")
	b := write(t, dir, "b.csv", "item_id,annotator_id,label\nad2,ann1,approve\n")
	bad := write(t, dir, "c.csv", "item_id,annotator_id,label\nad3,ann1,aprove\n")
	d := write(t, dir, "d.csv", "item_id,annotator_id,label\nad4,ann1,approve\n")
	e := write(t, dir, "e.csv", "item_id,annotator_id,label\nad5,ann1,approve\n")
	code, stdout, stderr := run(t, "import", proj, a, b, bad, d, e)
	if code != ExitFail || strings.Count(stdout, "stored") != 2 {
		t.Fatalf("exit %d\n%s", code, stdout)
	}
	var all strings.Builder
	all.WriteString(stderr)
	code, _, stderr = run(t, "import", proj, bad, d)
	all.WriteString("--\n" + stderr)
	if code != ExitFail {
		t.Fatal(code)
	}
	code, _, stderr = run(t, "gold", proj, write(t, dir, "g1.csv", "item_id,label\nad1,approve\n"), write(t, dir, "g2.csv", "item_id,label\nad1,nope\n"), a)
	all.WriteString("--\n" + stderr)
	if code != ExitFail {
		t.Fatal(code)
	}
	code, _, stderr = run(t, "import", proj, a, d, bad, e, "--skip-existing")
	all.WriteString("--\n" + stderr)
	if code != ExitFail {
		t.Fatal(code)
	}
	golden(t, "import_multi", dir, all.String())
	// The files before the refused one are in the project, nothing after it.
	_, out, _ := run(t, "metrics", proj, "--counts", "--json")
	if !strings.Contains(out, `"annotations": 3`) {
		t.Fatalf("project: %s", out)
	}
	// --skip-existing then imports the rest once the file is fixed.
	write(t, dir, "c.csv", "item_id,annotator_id,label\nad3,ann1,approve\n")
	if code, stdout, stderr := run(t, "import", proj, a, b, bad, d, e, "--skip-existing"); code != 0 || strings.Count(stdout, "skipped") != 3 {
		t.Fatalf("%d %s %s", code, stdout, stderr)
	}
}

// TestCancelledMultiFileImport: Ctrl-C or SIGTERM during the third file of
// four says the first two stay imported and the last two are not.
func TestCancelledMultiFileImport(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var errb bytes.Buffer
	e := &env{ctx: ctx, stderr: &errb}
	code := e.refused(fmt.Errorf("c.csv: %w", context.Canceled), []string{"a.csv", "b.csv", "c.csv", "d.csv"}, []bool{false, true, false, false}, 2)
	want := "labelqa: cancelled during c.csv, which was not imported (its import rolled back)\n" +
		"labelqa: imported before it (kept in the project): a.csv\n" +
		"labelqa: skipped, imported before: b.csv\n" +
		"labelqa: not imported, not read: d.csv\n"
	if code != ExitFail || errb.String() != want {
		t.Fatalf("exit %d\n%s\nwant\n%s", code, errb.String(), want)
	}
}

// TestInitAllowLabelsCase: --allow-labels Approve names the declared label
// approve (the store compares labels without letter case), and it is then
// the allow decision: over-enforcement is measured against it.
func TestInitAllowLabelsCase(t *testing.T) {
	dir := t.TempDir()
	proj := filepath.Join(dir, "p.lqa")
	if code, _, stderr := run(t, "init", proj, "--labels", "approve,misleading_claims", "--allow-labels", "Approve"); code != 0 {
		t.Fatal(stderr)
	}
	run(t, "import", proj, write(t, dir, "b.csv", "item_id,annotator_id,label\nad1,ann1,misleading_claims\nad1,ann2,approve\n"))
	run(t, "gold", proj, write(t, dir, "g.csv", "item_id,label\nad1,approve\n"))
	_, out, _ := run(t, "metrics", proj, "--json")
	var m struct {
		Gold struct {
			Over struct{ N float64 } `json:"over_enforcement"`
		}
	}
	if err := json.Unmarshal([]byte(out), &m); err != nil || m.Gold.Over.N != 2 {
		t.Fatalf("approve is not the allow label: %v\n%s", err, out)
	}
}

// TestTextWriter: the last guard of stdout escapes controls a writer left
// in, also across writes, and keeps layout and printable text.
func TestTextWriter(t *testing.T) {
	var b bytes.Buffer
	w := newTextWriter(&b)
	for _, s := range []string{"Bj\xc3", "\xb8rnøya\tok\n", "a\x1b[2Jb\x07\r\n", "c1 \xc2", "\x9b x\n", "\u202e", "\xff", "del\x7f ", "end \xe2\x82"} {
		io.WriteString(w, s)
	}
	w.Flush()
	// JSON written straight to it stays valid JSON with the same values.
	var j bytes.Buffer
	jw := newTextWriter(&j)
	json.NewEncoder(jw).Encode(map[string]string{"k": "del\x7f c1\u009b bidi\u202e esc\x1b"})
	var back map[string]string
	if err := json.Unmarshal(j.Bytes(), &back); err != nil || back["k"] != "del\x7f c1\u009b bidi\u202e esc\x1b" || bytes.ContainsAny(j.Bytes(), "\x7f\u009b\u202e\x1b") {
		t.Errorf("JSON through the text writer: %v %q", err, j.String())
	}
	want := "Bjørnøya\tok\n" + `a\x1b[2Jb\x07\r` + "\n" + `c1 \u009b x` + "\n" + `\u202e\xffdel\u007f end \xe2\x82`
	if b.String() != want {
		t.Fatalf("got  %q\nwant %q", b.String(), want)
	}
}

// TestScorecardEmptyGroupApart: judgments without a vendor are the group
// with the empty key, apart from a vendor literally named "(none)"; before,
// both were merged into one "(none)" card while --vendor "(none)" counted
// only the named one.
func TestScorecardEmptyGroupApart(t *testing.T) {
	batch := filepath.Join(t.TempDir(), "n.csv")
	os.WriteFile(batch, []byte("item_id,annotator_id,label,vendor\ni1,a1,approve,(none)\ni1,a2,approve,\ni2,a3,reject,(none)\n"), 0o644)
	code, stdout, stderr := run(t, "scorecard", batch, "--by", "vendor", "--json")
	if code != 0 {
		t.Fatalf("%d %s", code, stderr)
	}
	var rep struct {
		Cards []struct {
			Key         string
			Annotations int
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(rep.Cards)
	if want := "[{ 1} {(none) 2}]"; got != want {
		t.Errorf("cards %s, want %s", got, want)
	}
	_, stdout, _ = run(t, "scorecard", batch, "--by", "vendor")
	if !strings.Contains(stdout, "\n(none) ") || !strings.Contains(stdout, "\n\"(none)\" ") {
		t.Errorf("text table:\n%s", stdout)
	}
}
