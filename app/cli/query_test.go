package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// teamCSV has teams, SOP versions in two cases and an annotator whose team
// only a later row names.
const teamCSV = `item_id,annotator_id,label,vendor,team,market,queue,sop_version,submitted_at
ad1,ann1,approve,Nusantara BPO,JKT-A,ID,live,v1,2026-11-02T08:00:00Z
ad1,ann2,scam,Nusantara BPO,JKT-B,ID,live,v1,2026-11-02T08:01:00Z
ad1,ann3,scam,Fjord Review AS,OSL,NO,Live,V1,2026-11-02T08:02:00Z
ad2,ann1,approve,Nusantara BPO,JKT-A,ID,live,v2,2026-11-03T08:00:00Z
ad2,ann2,approve,Nusantara BPO,,ID,live,v2,2026-11-03T08:01:00Z
ad2,ann4,scam,Fjord Review AS,,NO,practice,v2,2026-11-03T08:02:00Z
ad3,ann4,approve,Fjord Review AS,OSL,NO,live,v2,2026-11-04T08:00:00Z
ad3,ann3,approve,Fjord Review AS,OSL,NO,live,v1,
`

// The --team, --sop and --reviewer filters select the same judgments of a
// project and of its files: team as the annotator's latest non-empty team,
// SOP version and reviewer exactly.
func TestTeamSOPReviewerFilters(t *testing.T) {
	dir := t.TempDir()
	proj := filepath.Join(dir, "p.lqa")
	batch := write(t, dir, "teams.csv", teamCSV)
	for _, args := range [][]string{{"init", proj, "--labels", "approve,scam"}, {"import", proj, batch}} {
		if code, _, stderr := run(t, args...); code != 0 {
			t.Fatalf("%v: %d %s", args, code, stderr)
		}
	}
	for _, c := range []struct {
		flags       []string
		annotations int
	}{
		{[]string{"--team", "OSL"}, 4}, // ann4's team is OSL from its later row
		{[]string{"--team", "JKT-B"}, 2},
		{[]string{"--sop", "v1"}, 3},
		{[]string{"--sop", "V1"}, 1},
		{[]string{"--reviewer", "ann3"}, 2},
		{[]string{"--team", "OSL", "--sop", "v2", "--queue", "LIVE"}, 1},
		{[]string{"--reviewer", "ann3", "--from", "2026-11-01"}, 1}, // the untimed judgment is outside any range
	} {
		var outs []string
		for _, in := range []string{proj, batch} {
			for _, cmd := range []string{"metrics", "scorecard"} {
				args := append([]string{cmd, in, "--json"}, c.flags...)
				code, stdout, stderr := run(t, args...)
				if code != 0 {
					t.Fatalf("%v: exit %d, %s", args, code, stderr)
				}
				if cmd == "scorecard" {
					continue
				}
				var m struct{ Counts struct{ Annotations int } }
				if err := json.Unmarshal([]byte(stdout), &m); err != nil {
					t.Fatal(err)
				}
				if m.Counts.Annotations != c.annotations {
					t.Errorf("%v: %d annotations, want %d", args, m.Counts.Annotations, c.annotations)
				}
				outs = append(outs, stdout)
			}
		}
		// A project read with a filter cannot tell its duplicates in scope.
		if strings.Replace(outs[0], `"duplicates": null`, `"duplicates": 0`, 1) != outs[1] {
			t.Errorf("%v: the project and its file give different reports:\n%s\n%s", c.flags, outs[0], outs[1])
		}
	}
	// --counts of a project reads the judgments when a new filter is given.
	if code, stdout, _ := run(t, "metrics", proj, "--counts", "--json", "--reviewer", "ann1"); code != 0 || !strings.Contains(stdout, `"annotations": 2`) {
		t.Errorf("--counts --reviewer: exit %d, %s", code, stdout)
	}
	// A value no judgment can have is bad usage, with the flag named.
	code, stdout, stderr := run(t, "metrics", proj, "--team", "OSL\xff")
	if code != ExitUsage || stdout != "" || stderr != "labelqa metrics: --team: the team \"OSL\\xff\" is not valid UTF-8 text, so no judgment can have it; type it again\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	// A value the data lack lists the values they hold.
	code, _, stderr = run(t, "scorecard", batch, "--sop", "v3")
	if code != ExitFail || stderr != `labelqa scorecard: --sop "v3": no judgment has this SOP version; the SOP versions in the data are: "v2" (4 judgments), "v1" (3 judgments), "V1" (1 judgment)`+"\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = run(t, "metrics", proj, "--team", "jkt-a")
	if code != ExitFail || !strings.Contains(stderr, `--team "jkt-a": no judgment has this team; the teams in the data are: "OSL" (4 judgments), "JKT-A" (2 judgments), "JKT-B" (2 judgments)`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
