#!/usr/bin/env bash
# Side-by-side timing of `labelqa metrics BATCH --gold GOLD --json` against
# pandas + scikit-learn + statsmodels (scripts/compare_python.py) computing
# Fleiss' kappa, Krippendorff's alpha, per-class P/R/F1, per-reviewer accuracy
# and majority vote on the same file. Runs both alternately RUNS times each,
# prints the ranges and the ratio, then checks that the figures agree.
#
#   scripts/compare_python.sh            (or: make compare)
#   ROWS=500000 RUNS=5 scripts/compare_python.sh
#
# Environment: ROWS (judgments, default 1000000), RUNS (default 3), DIR (input
# and outputs, default /tmp/labelqa-compare), LABELQA (binary, default
# bin/labelqa, built with `go build` when missing), PYTHON (default
# /usr/bin/python3: Debian's, where `make deps-bench` installs the packages),
# PYFLAGS (extra flags of compare_python.py, e.g. --category).
# Results go to docs/PERFORMANCE.md ("labelqa against pandas").
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${ROWS:-1000000}
RUNS=${RUNS:-3}
DIR=${DIR:-/tmp/labelqa-compare}
LABELQA=${LABELQA:-bin/labelqa}
PYTHON=${PYTHON:-/usr/bin/python3}
PYFLAGS=${PYFLAGS:-}
GO=${GO:-go}

if ! "$PYTHON" -c 'import pandas, sklearn, statsmodels' 2>/dev/null; then
  echo "compare: $PYTHON cannot import pandas, sklearn and statsmodels; run: make deps-bench" >&2
  exit 1
fi
if [ ! -x "$LABELQA" ]; then
  echo "compare: building $LABELQA"
  "$GO" build -o "$LABELQA" .
fi
[ -x /usr/bin/time ] || { echo "compare: /usr/bin/time is missing (Debian package time)" >&2; exit 1; }

mkdir -p "$DIR"
if [ "$(cat "$DIR/rows" 2>/dev/null)" != "$ROWS" ] || [ ! -s "$DIR/batch.csv" ] || [ ! -s "$DIR/gold.csv" ]; then
  echo "compare: writing $ROWS judgments and a golden set to $DIR"
  "$GO" run ./scripts/gencsv -rows "$ROWS" -out "$DIR"
  echo "$ROWS" > "$DIR/rows"
fi
B=$DIR/batch.csv G=$DIR/gold.csv
echo "compare: $ROWS judgments in $B, $(($(wc -l < "$G") - 1)) gold items; $("$LABELQA" version 2>/dev/null | head -1)"
echo "compare: $(nproc) cores, $(uptime | sed 's/.*load/load/')"

# one timed run: wall seconds, peak RSS (MB) and CPU seconds (user + system)
# appended to $DIR/$1.times; $2 is the file that gets the command's output
run() {
  local name=$1 out=$2; shift 2
  /usr/bin/time -f '%e %M %U %S' -o "$DIR/$name.t" "$@" > "$out"
  read -r s kb u sy < "$DIR/$name.t"
  cpu=$(awk "BEGIN {print $u + $sy}")
  echo "$s $((kb / 1024)) $cpu" >> "$DIR/$name.times"
  printf '  %-8s %6.2f s wall %6.2f s CPU %5d MB\n' "$name" "$s" "$cpu" "$((kb / 1024))"
}
lq() { run labelqa "$DIR/labelqa.json" "$LABELQA" metrics "$B" --gold "$G" --json; }
py() { run python /dev/null "$PYTHON" scripts/compare_python.py $PYFLAGS "$B" "$G" --out "$DIR/python.json" 2>> "$DIR/python.log"; }

rm -f "$DIR/labelqa.times" "$DIR/python.times" "$DIR/python.log"
for i in $(seq 1 "$RUNS"); do
  echo "round $i"
  if [ $((i % 2)) = 1 ]; then lq; py; else py; lq; fi
done
echo "compare: $(uptime | sed 's/.*load/load/') after the runs"

# ranges, median ratio and the per-round ratios
"$PYTHON" - "$DIR" <<'EOF'
import re, statistics, sys
d = sys.argv[1]
lq = [tuple(map(float, l.split())) for l in open(f"{d}/labelqa.times")]
py = [tuple(map(float, l.split())) for l in open(f"{d}/python.times")]
comp = [float(m) for m in re.findall(r"compute ([0-9.]+) s", open(f"{d}/python.log").read())]
rng = lambda xs: f"{min(xs):.2f} - {max(xs):.2f}" if len(xs) > 1 else f"{xs[0]:.2f}"
med = statistics.median
for name, rows in (("labelqa metrics --json", lq), ("pandas+sklearn+statsmodels", py)):
    wall, mb, cpu = zip(*rows)
    print(f"{name:<27} wall {rng(wall)} s (median {med(wall):.2f}), CPU {rng(cpu)} s (median {med(cpu):.2f}), "
          f"peak {min(mb):.0f} - {max(mb):.0f} MB")
print(f"  python after its imports   wall {rng(comp)} s")
for what, k in (("wall", 0), ("CPU", 2)):
    a, b = [r[k] for r in lq], [r[k] for r in py]
    per = [x / y for x, y in zip(a, b)]
    print(f"ratio labelqa / python, {what:<4} median {med(a) / med(b):.3f} (1/{med(b) / med(a):.1f}), per round {rng(per)}")
EOF

"$PYTHON" scripts/compare_python.py $PYFLAGS "$B" "$G" --check "$DIR/labelqa.json"
