package csvsafe

import "testing"

func TestText(t *testing.T) {
	cases := map[string]string{
		"":                           "",
		"approve":                    "approve",
		"=cmd|' /C calc'!A0":         "'=cmd|' /C calc'!A0",
		"+SUM(1)":                    "'+SUM(1)",
		"-2+3":                       "'-2+3",
		"@SUM(A1)":                   "'@SUM(A1)",
		"\t=1":                       "'\t=1",
		"\r=1":                       "'\r=1",
		`=HYPERLINK("http://x","y")`: `'=HYPERLINK("http://x","y")`,
		"Nusantara BPO":              "Nusantara BPO",
		"a=b":                        "a=b",
		"Kjøp nå – 50 % rabatt":      "Kjøp nå – 50 % rabatt",
		"'already":                   "'already",
	}
	for in, want := range cases {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
}
