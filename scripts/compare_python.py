#!/usr/bin/python3
"""What `labelqa metrics BATCH --gold GOLD --json` computes, done the way an
analyst would with pandas, scikit-learn and statsmodels (Debian's
python3-pandas, python3-sklearn, python3-statsmodels: `make deps-bench`).

    compare_python.py BATCH.csv GOLD.csv [--out RESULT.json] [--check LABELQA.json]

Computes, on every row of BATCH (the generated file repeats no (item,
annotator) pair, so labelqa's default --duplicates last keeps every row too):

- Fleiss' kappa on the items x labels table of counts. statsmodels'
  `fleiss_kappa` asserts the same number of ratings on every item; when the
  file has that, it is called. Otherwise (the benchmark file has 1 to 3 per
  item) the same formula generalised as irrCAC's fleiss.kappa.raw, which
  labelqa follows (docs/METRICS.md): observed agreement over items with >= 2
  ratings, category shares averaged over all rated items. It equals
  statsmodels' value on items with a constant number of ratings (--check
  tests that on the items with 3).
- Krippendorff's alpha, nominal, from the coincidence matrix (Krippendorff
  2011), vectorised with numpy (statsmodels has none).
- per-class precision, recall, F1 against gold with scikit-learn's
  `precision_recall_fscore_support` (every judgment of a gold item is one
  prediction; macro = the unweighted mean, as average="macro").
- per-reviewer gold accuracy with a groupby.
- majority vote per item (groupby + idxmax; ties to the first label in sorted
  order, labelqa's "first" rule), its ties and its accuracy on gold.

It prints the seconds the imports and the computation took on stderr,
writes the figures to --out, and with --check compares them with labelqa's JSON
and prints that comparison (exit 1 when a figure disagrees).
"""

import argparse
import json
import sys
import time

T_START = time.perf_counter()

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.metrics import precision_recall_fscore_support  # noqa: E402
from statsmodels.stats.inter_rater import fleiss_kappa  # noqa: E402

T_IMPORTED = time.perf_counter()


def fleiss_raw(table):
    """Fleiss' kappa of an items x categories count table with any number
    (>= 1) of ratings per item: irrCAC's fleiss.kappa.raw (Gwet 2014)."""
    table = np.asarray(table, dtype=float)
    r = table.sum(axis=1)
    pairable = r >= 2
    t2, r2 = table[pairable], r[pairable]
    pa = ((t2 * (t2 - 1)).sum(axis=1) / (r2 * (r2 - 1))).mean()
    pi = (table / r[:, None]).mean(axis=0)
    pe = (pi * pi).sum()
    return (pa - pe) / (1 - pe)


def fleiss(table):
    r = table.sum(axis=1)
    if (r == r[0]).all():
        return fleiss_kappa(table, method="fleiss")
    return fleiss_raw(table)


def krippendorff_nominal(table):
    """Krippendorff's alpha, nominal metric, from the coincidence matrix
    o_ck = sum_u (n_uc n_uk - [c=k] n_uc) / (m_u - 1) over pairable units."""
    table = np.asarray(table, dtype=float)
    m = table.sum(axis=1)
    t = table[m >= 2]
    w = 1.0 / (t.sum(axis=1) - 1)
    tw = t * w[:, None]
    o = tw.T @ t - np.diag(tw.sum(axis=0))
    n_c = o.sum(axis=1)
    n = n_c.sum()
    d_o = n - np.trace(o)
    d_e = (n * n - (n_c * n_c).sum()) / (n - 1)
    return 1 - d_o / d_e


PHASES = []


def phase(name):
    PHASES.append((name, time.perf_counter()))


def compute(batch, gold_path, category=False):
    phase("start")
    cols = ["item_id", "annotator_id", "label"]
    dtype = {c: "category" for c in cols} if category else str
    df = pd.read_csv(batch, usecols=cols, dtype=dtype, keep_default_na=False)
    gold = pd.read_csv(gold_path, usecols=["item_id", "label"], dtype=str, keep_default_na=False)
    if category:
        labels = sorted(df["label"].cat.categories)
        df["label"] = df["label"].cat.reorder_categories(labels)
    else:
        labels = sorted(df["label"].unique())
    phase("read_csv")

    # items x labels table of counts (rows: every item with a judgment)
    counts = df.groupby(["item_id", "label"], observed=True).size().unstack("label", fill_value=0)
    counts = counts.reindex(columns=labels, fill_value=0)
    table = counts.to_numpy()
    phase("items x labels table")

    out = {"labels": labels, "items": int(len(counts))}
    out["fleiss_kappa"] = float(fleiss(table))
    out["krippendorff_alpha"] = float(krippendorff_nominal(table))
    phase("fleiss, alpha")

    # gold: every judgment of a gold item predicts the gold label
    judged = df.merge(gold.rename(columns={"label": "gold"}), on="item_id", how="inner")
    y_true, y_pred = judged["gold"].astype(str), judged["label"].astype(str)
    present = sorted(set(y_true) | set(y_pred))
    p, r, f1, support = precision_recall_fscore_support(y_true, y_pred, labels=present, average=None, zero_division=0)
    out["per_label"] = {
        lab: {"precision": float(p[k]), "recall": float(r[k]), "f1": float(f1[k]), "support": int(support[k])}
        for k, lab in enumerate(present)
    }
    out["macro"] = {"precision": float(p.mean()), "recall": float(r.mean()), "f1": float(f1.mean())}
    out["gold_annotations"] = int(len(judged))
    phase("merge gold, P/R/F1")

    correct = judged.assign(correct=y_true.to_numpy() == y_pred.to_numpy())
    acc = correct.groupby("annotator_id", observed=True)["correct"].mean()
    out["reviewer_accuracy"] = {str(k): float(v) for k, v in acc.items()}
    phase("reviewer accuracy")

    # majority vote: the label with the most votes, ties to the first label
    mv = counts.idxmax(axis=1)
    top = counts.max(axis=1)
    ties = int((counts.eq(top, axis=0).sum(axis=1) > 1).sum())
    g = gold.set_index("item_id")["label"]
    g = g[g.index.isin(counts.index)]
    out["majority_vote"] = {
        "items": int(len(mv)),
        "ties": ties,
        "gold_items": int(len(g)),
        "gold_accuracy": float((mv.reindex(g.index).astype(str) == g).mean()),
    }
    phase("majority vote")
    return out, table


def check(py, lq_path, table):
    """Compares with labelqa's JSON at the precision both print (1e-9) and
    prints the comparison; returns the number of disagreements."""
    with open(lq_path) as f:
        lq = json.load(f)
    bad = 0

    def row(name, mine, theirs, tol=1e-9):
        nonlocal bad
        if isinstance(mine, int) and isinstance(theirs, int):
            ok = mine == theirs
            text = f"{mine} {'=' if ok else '!='} {theirs}"
        else:
            ok = theirs is not None and abs(mine - theirs) <= tol
            text = f"{mine:.9f} {'=' if ok else '!='} {theirs:.9f}" if theirs is not None else f"{mine:.9f} != null"
        bad += not ok
        print(f"  {'ok ' if ok else 'BAD'} {name:<34} {text}")

    print("check: Python (pandas, scikit-learn, statsmodels) = labelqa --json, to 9 decimals")
    r = table.sum(axis=1)
    same = table[r == 3]
    if len(same) > 1:
        row("fleiss generalised = statsmodels*", float(fleiss_raw(same)), float(fleiss_kappa(same)), 1e-12)
    row("fleiss_kappa", py["fleiss_kappa"], lq["agreement"]["fleiss_kappa"]["value"])
    row("krippendorff_alpha (nominal)", py["krippendorff_alpha"], lq["agreement"]["krippendorff_alpha"]["value"])
    for s in ("precision", "recall", "f1"):
        row(f"gold macro {s}", py["macro"][s], lq["gold"]["macro"][s])
    worst, n = 0.0, 0
    for lab, v in py["per_label"].items():
        theirs = lq["gold"]["per_label"][lab]
        for s in ("precision", "recall", "f1"):
            worst, n = max(worst, abs(v[s] - theirs[s])), n + 1
        bad += v["support"] != theirs["support"]
    row(f"per-class P/R/F1, max |diff| ({n})", 0.0, worst)
    lq_acc = {a["id"]: a.get("gold_accuracy") for a in lq["annotators"]}
    worst, missing = 0.0, 0
    for rev, v in py["reviewer_accuracy"].items():
        theirs = lq_acc.get(rev)
        if theirs is None or theirs.get("value") is None:
            missing += 1
            continue
        worst = max(worst, abs(v - theirs["value"]))
    bad += missing
    row(f"reviewer accuracy, max |diff| ({len(py['reviewer_accuracy'])})", 0.0, worst)
    mv, lmv = py["majority_vote"], lq["aggregation"]["majority_vote"]
    row("majority vote items", mv["items"], lmv["items"])
    row("majority vote ties", mv["ties"], lmv["ties"])
    row("majority vote gold items", mv["gold_items"], lmv["gold_items"])
    row("majority vote gold accuracy", mv["gold_accuracy"], lmv["gold_accuracy"])
    print("  (* on the items with 3 ratings, where statsmodels' fleiss_kappa applies)")
    print(f"check: {'all agree' if bad == 0 else f'{bad} disagree'}")
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("batch")
    ap.add_argument("gold")
    ap.add_argument("--out", help="write the figures as JSON here")
    ap.add_argument("--category", action="store_true",
                    help="read the three columns as categoricals (slower on this file: 700,000 distinct items)")
    ap.add_argument("--phases", action="store_true", help="print the seconds of each step on stderr")
    ap.add_argument("--check", metavar="LABELQA_JSON", help="compare with labelqa metrics --json output")
    a = ap.parse_args()
    t0 = time.perf_counter()
    py, table = compute(a.batch, a.gold, a.category)
    t1 = time.perf_counter()
    if not a.check:
        print(f"python: imports {T_IMPORTED - T_START:.2f} s, compute {t1 - t0:.2f} s", file=sys.stderr)
    if a.phases:
        for (_, t_a), (name, t_b) in zip(PHASES, PHASES[1:]):
            print(f"  {name:<22} {t_b - t_a:6.2f} s", file=sys.stderr)
    if a.out:
        with open(a.out, "w") as f:
            json.dump(py, f, indent=1)
    if a.check and check(py, a.check, table):
        sys.exit(1)


if __name__ == "__main__":
    main()
