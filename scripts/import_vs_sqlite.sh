#!/usr/bin/env bash
# import_vs_sqlite.sh: time `labelqa import` of the canonical 1 M-row CSV
# against the sqlite3 shell's `.import` of the same file into a bare table,
# side by side: the two alternate (which goes first swaps every run), so the
# machine's drift falls on both. Prints each run, then the ranges and the
# ratio labelqa / sqlite3 of each pair.
#
#   scripts/import_vs_sqlite.sh [RUNS]        (default 5)
#
# Environment: ROWS (default 1000000), WORK (a scratch folder, default a new
# one under /tmp, removed after), LABELQA (a labelqa binary to time instead
# of building this tree's), GOMEMLIMIT. Needs the sqlite3 shell
# (make deps-bench) and GNU time (/usr/bin/time) for peak memory.
set -euo pipefail

RUNS=${1:-5}
ROWS=${ROWS:-1000000}
cd "$(dirname "$0")/.."
command -v sqlite3 >/dev/null || { echo "import_vs_sqlite.sh: the sqlite3 shell is missing; run: make deps-bench" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "import_vs_sqlite.sh: GNU time (/usr/bin/time) is missing; run: make deps-bench" >&2; exit 1; }

own_work=""
if [ -z "${WORK:-}" ]; then
	WORK=$(mktemp -d /tmp/import_vs_sqlite.XXXXXX)
	own_work=$WORK
fi
cleanup() { [ -n "$own_work" ] && rm -rf "$own_work"; }
trap cleanup EXIT
mkdir -p "$WORK"

bin=${LABELQA:-}
if [ -z "$bin" ]; then
	bin=$WORK/labelqa
	go build -o "$bin" .
fi
csv=$WORK/batch.csv
if [ ! -s "$csv" ]; then
	go run ./scripts/gencsv -rows "$ROWS" -out "$WORK"
fi
echo "file: $ROWS rows, $(( $(stat -c %s "$csv") / 1000000 )) MB; labelqa: $bin; $(sqlite3 --version | cut -d' ' -f1-2)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"

# timed CMD...: prints "seconds peakKB cpuSeconds" of one run of CMD (cpu:
# user + system, of every thread; steadier than the wall time on a busy machine).
timed() {
	/usr/bin/time -f '%e %M %U %S' -o "$WORK/time.txt" "$@" >/dev/null 2>"$WORK/err.txt" || { cat "$WORK/err.txt" >&2; exit 1; }
	awk '{ printf "%s %s %.2f", $1, $2, $3 + $4 }' "$WORK/time.txt"
}
run_labelqa() {
	rm -f "$WORK/p.lqa" "$WORK/p.lqa-wal" "$WORK/p.lqa-shm"
	"$bin" init "$WORK/p.lqa" >/dev/null
	timed "$bin" import "$WORK/p.lqa" "$csv"
}
run_sqlite() {
	rm -f "$WORK/bare.db"
	timed sqlite3 "$WORK/bare.db" -cmd ".mode csv" ".import $csv bare"
}

lq=() sq=() ratios=() lc=() sc=()
for i in $(seq 1 "$RUNS"); do
	if (( i % 2 )); then
		l=$(run_labelqa); s=$(run_sqlite)
	else
		s=$(run_sqlite); l=$(run_labelqa)
	fi
	read -r ls lm lcpu <<<"$l"
	read -r ss sm scpu <<<"$s"
	r=$(awk -v a="$ls" -v b="$ss" 'BEGIN { printf "%.2f", a / b }')
	printf 'run %d: labelqa import %5.2f s (cpu %5.2f s, %d MB)   sqlite3 .import %5.2f s (cpu %5.2f s, %d MB)   ratio %s\n' \
		"$i" "$ls" "$lcpu" $((lm / 1024)) "$ss" "$scpu" $((sm / 1024)) "$r"
	lq+=("$ls") sq+=("$ss") ratios+=("$r") lc+=("$lcpu") sc+=("$scpu")
done

range() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%s – %s (median %.2f)", v[1], v[NR], (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2 }'; }
echo "labelqa import:  $(range "${lq[@]}") s"
echo "sqlite3 .import: $(range "${sq[@]}") s"
echo "ratio labelqa / sqlite3, per pair: $(range "${ratios[@]}")"
echo "cpu seconds: labelqa $(range "${lc[@]}"), sqlite3 $(range "${sc[@]}")"
