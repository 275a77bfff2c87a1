package targets

import (
	"math"
	"strings"
	"testing"
)

func TestRateDirections(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		tg    Target
		value float64
		want  Status
	}{
		{Target{Metric: "gold_accuracy", Target: 0.95, Amber: 0.90}, 0.95, Green},
		{Target{Metric: "gold_accuracy", Target: 0.95, Amber: 0.90}, 0.90, Amber},
		{Target{Metric: "gold_accuracy", Target: 0.95, Amber: 0.90}, 0.8999, Red},
		{Target{Metric: "gold_accuracy", Target: 0.95, Amber: nan}, 0.94, Red},
		{Target{Metric: "overturn_rate", Target: 0.05, Amber: 0.08}, 0.05, Green},
		{Target{Metric: "overturn_rate", Target: 0.05, Amber: 0.08}, 0.07, Amber},
		{Target{Metric: "overturn_rate", Target: 0.05, Amber: 0.08}, 0.09, Red},
		{Target{Metric: "aht_median_s", Target: 30, Amber: 40}, 12, Green},
		{Target{Metric: "units_per_hour", Target: 100, Amber: 80}, 79, Red},
		{Target{Metric: "gold_accuracy", Target: 0.95, Amber: 0.9}, nan, None},
	} {
		if got := c.tg.Rate(c.value); got != c.want {
			t.Errorf("%s target %v amber %v: Rate(%v) = %v, want %v", c.tg.Metric, c.tg.Target, c.tg.Amber, c.value, got, c.want)
		}
	}
}

func TestCheck(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		tg   Target
		want string // "" = valid
	}{
		{Target{Metric: "gold_accuracy", Target: 0.95, Amber: 0.9}, ""},
		{Target{Metric: "gold_accuracy", Target: 95, Amber: nan}, "between 0 and 1"},
		{Target{Metric: "gold_accuracy", Target: 0.9, Amber: 0.95}, "must not be above"},
		{Target{Metric: "overturn_rate", Target: 0.05, Amber: 0.01}, "must not be below"},
		{Target{Metric: "accuracy", Target: 0.9, Amber: nan}, "unknown metric"},
		{Target{Metric: "units_per_hour", Target: 120, Amber: 100}, ""},
	} {
		err := c.tg.Check()
		if (err == nil) != (c.want == "") || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%+v: Check() = %v, want %q", c.tg, err, c.want)
		}
	}
}

func TestForMostSpecific(t *testing.T) {
	nan := math.NaN()
	s := Set{
		{Metric: "gold_accuracy", Target: 0.90, Amber: nan},
		{Metric: "gold_accuracy", Vendor: "Fjord", Target: 0.93, Amber: nan},
		{Metric: "gold_accuracy", Queue: "live", Target: 0.91, Amber: nan},
		{Metric: "gold_accuracy", Vendor: "Fjord", Queue: "live", Market: "NO", Target: 0.97, Amber: nan},
		{Metric: "overturn_rate", Target: 0.05, Amber: nan},
	}
	for _, c := range []struct {
		v, q, m string
		want    float64
	}{
		{"", "", "", 0.90},
		{"Acme", "practice", "ID", 0.90},
		{"Acme", "LIVE", "ID", 0.91},
		{"Fjord", "live", "ID", 0.93}, // vendor outranks queue
		{"Fjord", "live", "NO", 0.97},
	} {
		got, ok := s.For("gold_accuracy", c.v, c.q, c.m)
		if !ok || got.Target != c.want {
			t.Errorf("For(%q,%q,%q) = %v %v, want %v", c.v, c.q, c.m, got.Target, ok, c.want)
		}
	}
	if _, ok := s.For("gwet_ac1", "", "", ""); ok {
		t.Error("a metric without a target has one")
	}
	if st, _ := s.Rate("overturn_rate", "Fjord", "live", "NO", 0.06); st != Red {
		t.Errorf("overturn 0.06 vs 0.05 = %v, want red", st)
	}
}
