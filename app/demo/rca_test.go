package demo

import (
	"bytes"
	"encoding/csv"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"labelqa/app/rules"
)

// TestRootCauseColumns checks the error_category and root_cause columns
// against the files themselves: they are set only on wrong first-round
// judgments of golden items, on about tagShare of them, with the category
// the gold and given labels imply and the cause the generator planted.
func TestRootCauseColumns(t *testing.T) {
	res, rows, gold := defaultSample(t)
	p := res.Planted
	wrongGold := map[string]bool{}
	for _, w := range p.WrongGold {
		wrongGold[w.ItemID] = true
	}
	sopOf := map[string]*sop{}
	for i := range sops {
		sopOf[sops[i].version] = &sops[i]
	}
	label := map[string]int{}
	for i, l := range Labels {
		label[l] = i
	}
	var eligible, tagged, training, tool int
	causes := map[string]int{}
	for _, r := range rows {
		g, isGold := gold[r.item]
		if (r.errCat == "") != (r.cause == "") {
			t.Fatalf("%s: %s/%s: error_category %q but root_cause %q", r.file, r.item, r.ann, r.errCat, r.cause)
		}
		if r.cause != "" {
			if r.round != 1 || r.queue == "2rqa" || !isGold || r.label == g {
				t.Fatalf("%s: %s/%s tagged %s, but round %d queue %s gold %v (%q) label %q",
					r.file, r.item, r.ann, r.cause, r.round, r.queue, isGold, g, r.label)
			}
			if !slices.Contains(rules.RootCauses, r.cause) {
				t.Errorf("%s: root cause %q not in rules.RootCauses", r.file, r.cause)
			}
			causes[r.cause]++
		}
		if r.round != 1 || !isGold || r.label == g || wrongGold[r.item] {
			continue
		}
		// A golden item with a right answer: gold is its truth.
		eligible++
		if r.cause == "" {
			continue
		}
		tagged++
		goldOK, givenOK := slices.Contains(Allowed, g), slices.Contains(Allowed, r.label)
		want := "wrong_policy"
		if goldOK && !givenOK {
			want = "over_enforcement"
		} else if !goldOK && givenOK {
			want = "under_enforcement"
		}
		if r.errCat != want {
			t.Errorf("%s/%s: gold %s, given %s: error_category %q, want %q", r.item, r.ann, g, r.label, r.errCat, want)
		}
		_, week := r.at.ISOWeek()
		inBadWeek := r.vendor == p.BadWeekVendor && week == p.BadWeekNumber
		changed := sops[0].sections[label[g]] != sops[1].sections[label[g]]
		switch r.cause {
		case "carelessness":
			if !inBadWeek || r.queue == "test" {
				t.Errorf("%s/%s: carelessness outside the bad week (%s, week %d, %s)", r.item, r.ann, r.vendor, week, r.queue)
			}
		case "guideline_change":
			if r.sop != "v4" || !changed || inBadWeek {
				t.Errorf("%s/%s: guideline_change under SOP %s, gold %s (section changed: %v)", r.item, r.ann, r.sop, g, changed)
			}
		case "training_gap", "tool_or_template":
			if inBadWeek || (r.sop == "v4" && changed) {
				t.Errorf("%s/%s: %s, but the bad week (%v) or a changed section (%v) explains it", r.item, r.ann, r.cause, inBadWeek, changed)
			}
			if r.cause == "training_gap" {
				training++
			} else {
				tool++
			}
		case "sop_ambiguity":
		default:
			t.Errorf("%s/%s: unexpected root cause %q", r.item, r.ann, r.cause)
		}
		if sopOf[r.sop] == nil {
			t.Errorf("%s/%s: SOP %q", r.item, r.ann, r.sop)
		}
	}
	share := float64(tagged) / float64(eligible)
	t.Logf("%d of %d wrong first-round judgments of golden items tagged (%.2f): %v", tagged, eligible, share, causes)
	if share < 0.5 || share > 0.7 {
		t.Errorf("%.2f of the errors tagged, want about %.1f", share, tagShare)
	}
	for _, c := range []string{"sop_ambiguity", "training_gap", "tool_or_template", "guideline_change", "carelessness"} {
		if causes[c] == 0 {
			t.Errorf("no error tagged %s: %v", c, causes)
		}
	}
	if f := float64(training) / float64(training+tool); f < 0.55 || f > 0.85 {
		t.Errorf("training_gap is %.2f of training_gap and tool_or_template, want about %.1f", f, trainingShare)
	}
}

// TestRootCauseColumnsChangeNothingElse generates a sample with and
// without the two columns filled: every other byte (CSV) and cell (XLSX)
// is the same, so tagging draws nothing from the random streams.
func TestRootCauseColumnsChangeNothingElse(t *testing.T) {
	opts := Options{Items: 400, Seed: 11}
	tagged, dirA := generate(t, opts)
	tagErrors = false
	_, dirB := generate(t, opts)
	tagErrors = true
	a, b := snapshot(t, dirA), snapshot(t, dirB)
	if len(a) != len(b) {
		t.Fatalf("%d files with tags, %d without", len(a), len(b))
	}
	n := 0
	for name, data := range a {
		ra, rb := records(t, name, data), records(t, name, b[name])
		if len(ra) != len(rb) {
			t.Fatalf("%s: %d rows with tags, %d without", name, len(ra), len(rb))
		}
		for i := range ra {
			if len(ra[i]) != len(rb[i]) || (len(ra[i]) == len(Header) && i > 0 && (rb[i][14] != "" || rb[i][15] != "")) {
				t.Fatalf("%s row %d: %q vs %q", name, i+1, ra[i], rb[i])
			}
			if len(ra[i]) == len(Header) && ra[i][15] != "" {
				n++
			}
			cut := min(len(ra[i]), 14)
			if !slices.Equal(ra[i][:cut], rb[i][:cut]) {
				t.Fatalf("%s row %d differs beyond the two columns:\n%q\n%q", name, i+1, ra[i], rb[i])
			}
		}
	}
	if n == 0 {
		t.Fatalf("no judgment tagged in %d files (%d annotations)", len(a), tagged.Annotations)
	}
}

// records reads a snapshot file's rows, padded to the header's width.
func records(t *testing.T, name string, data []byte) [][]string {
	t.Helper()
	var recs [][]string
	if strings.HasSuffix(name, ".xlsx") {
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		defer f.Close()
		if recs, err = f.GetRows(f.GetSheetName(0)); err != nil {
			t.Fatal(err)
		}
	} else {
		cr := csv.NewReader(bytes.NewReader(data))
		if filepath.Base(filepath.Dir(name)) == "batches" && bytes.HasPrefix(data, []byte("item_id;")) {
			cr.Comma = ';'
		}
		var err error
		if recs, err = cr.ReadAll(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if len(recs) > 0 && len(recs[0]) == len(Header) {
		for i := range recs {
			for len(recs[i]) < len(Header) {
				recs[i] = append(recs[i], "")
			}
		}
	}
	return recs
}
