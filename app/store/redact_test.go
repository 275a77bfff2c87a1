package store

import "testing"

// TestRedactor: a name matches whatever separates its words and in any
// letter case; reviewer ids are redacted in text, not in identifiers; a
// longer name wins over a shorter one it starts with; column maps are
// redacted in keys and values.
func TestRedactor(t *testing.T) {
	r := NewRedactor([]string{"Manila Trust Ops", "", "Nusa"}, []string{"ph_rev01", "Nusantara"})
	for _, c := range []struct{ in, text, name string }{
		{"see Manila Trust Ops", "see [redacted]", "see [redacted]"},
		{"live_manila-trust-ops_2025-W10.csv", "live_[redacted]_2025-W10.csv", "live_[redacted]_2025-W10.csv"},
		{"ManilaTrustOps!", "[redacted]!", "[redacted]!"},
		{"MANILA_TRUST_OPS", "[redacted]", "[redacted]"},
		{"ask PH_REV01 or ph-rev01", "ask [redacted] or [redacted]", "ask PH_REV01 or ph-rev01"},
		{"Nusantara BPO", "[redacted] BPO", "[redacted]ntara BPO"},
		{"Manila alone", "Manila alone", "Manila alone"},
		{"", "", ""},
	} {
		if got, _ := r.Text(c.in); got != c.text {
			t.Errorf("Text(%q) = %q, want %q", c.in, got, c.text)
		}
		if got, _ := r.Name(c.in); got != c.name {
			t.Errorf("Name(%q) = %q, want %q", c.in, got, c.name)
		}
	}
	m, changed := r.Mapping(map[string]string{"comment": "Note of Manila Trust Ops", "item_id": "id"})
	if !changed || m["comment"] != "Note of [redacted]" || m["item_id"] != "id" {
		t.Errorf("Mapping: %v %v", m, changed)
	}
	if got, changed := NewRedactor(nil, nil).Text("Manila Trust Ops"); changed || got != "Manila Trust Ops" {
		t.Errorf("empty Redactor changed %q", got)
	}
}
