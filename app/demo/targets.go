package demo

import "labelqa/app/targets"

// Targets are the KPI targets the demo project comes with, as a quality
// team would set them: organisation-wide targets with amber bands, a
// stricter gold-accuracy target on the live queue, and a newer vendor
// (Manila Trust Ops) given a gentler one while it ramps up. They make the
// workbooks' red, amber and green visible on the demo.
var Targets = []targets.Target{
	{Metric: "gold_accuracy", Target: 0.90, Amber: 0.85},
	{Metric: "gold_accuracy", Queue: "live", Target: 0.92, Amber: 0.87},
	{Metric: "gold_accuracy", Vendor: "Manila Trust Ops", Target: 0.88, Amber: 0.83},
	{Metric: "audit_accuracy", Target: 0.95, Amber: 0.90},
	{Metric: "overturn_rate", Target: 0.15, Amber: 0.20},
	{Metric: "fleiss_kappa", Target: 0.60, Amber: 0.50},
	{Metric: "gwet_ac1", Target: 0.70, Amber: 0.60},
	{Metric: "aht_median_s", Target: 45, Amber: 60},
	{Metric: "units_per_hour", Target: 40, Amber: 30},
	{Metric: "over_enforcement", Target: 0.08, Amber: 0.12},
	{Metric: "under_enforcement", Target: 0.05, Amber: 0.08},
}
