#!/usr/bin/python3
"""The analyst's alternative to `labelqa report`: a notebook of pandas +
openpyxl that reads the batch file and the golden set and writes two plain
workbooks (a KPI table per vendor, queue, market and ISO week; a Pareto of
confused label pairs), without charts, formats or definitions.
scripts/compare_reports.sh times it against labelqa on the same data.

    /usr/bin/python3 scripts/compare_reports.py BATCH.csv GOLD.csv OUTDIR
"""
import sys

import numpy as np
import pandas as pd


def main(batch, gold, out):
    d = pd.read_csv(batch, usecols=["item_id", "annotator_id", "label", "vendor", "market", "queue",
                                    "submitted_at", "duration_s"])
    g = pd.read_csv(gold).rename(columns={"label": "gold"})
    d = d.merge(g[["item_id", "gold"]], on="item_id", how="left")
    at = pd.to_datetime(d["submitted_at"], utc=True)
    iso = at.dt.isocalendar()
    d["week"] = iso["year"].astype(str) + "-W" + iso["week"].astype(str).str.zfill(2)
    d["on_gold"] = d["gold"].notna()
    d["correct"] = d["on_gold"] & (d["label"] == d["gold"])
    keys = ["vendor", "queue", "market", "week"]
    k = d.groupby(keys).agg(judgments=("label", "size"), reviewers=("annotator_id", "nunique"),
                            gold_n=("on_gold", "sum"), correct=("correct", "sum"),
                            aht_median=("duration_s", "median"),
                            aht_p90=("duration_s", lambda s: s.quantile(0.9))).reset_index()
    k["gold_accuracy"] = k["correct"] / k["gold_n"].replace(0, np.nan)
    # Wilson 95% interval, as a notebook would write it.
    z = 1.959963984540054
    n, p = k["gold_n"], k["gold_accuracy"]
    den = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / den
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    k["gold_low"], k["gold_high"] = mid - half, mid + half
    with pd.ExcelWriter(f"{out}/kpi_pandas.xlsx", engine="openpyxl") as xw:
        k.to_excel(xw, sheet_name="KPI by week", index=False)
        k.groupby("vendor")[["judgments", "gold_n", "correct"]].sum().reset_index().to_excel(
            xw, sheet_name="KPI by vendor", index=False)
    e = d[d["on_gold"] & ~d["correct"]]
    pairs = e.groupby(["gold", "label"]).size().sort_values(ascending=False).reset_index(name="errors")
    pairs["share"] = pairs["errors"] / pairs["errors"].sum()
    pairs["cumulative"] = pairs["share"].cumsum()
    by_vendor = e.groupby(["vendor", "market", "gold", "label"]).size().reset_index(name="errors")
    with pd.ExcelWriter(f"{out}/rca_pandas.xlsx", engine="openpyxl") as xw:
        pairs.to_excel(xw, sheet_name="Pareto", index=False)
        by_vendor.to_excel(xw, sheet_name="By vendor", index=False)


if __name__ == "__main__":
    main(*sys.argv[1:4])
