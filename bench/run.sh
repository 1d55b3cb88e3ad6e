#!/bin/sh
# tumen throughput benchmark: one command, one process, one core.
#
#   sh bench/run.sh BINARY          (make bench runs: sh bench/run.sh build/tumen)
#
# For ../shared/corpus/guardian/guardian_sample.csv and
# ../shared/corpus/synthetic/ngec_synthetic_stories.csv it converts the CSV to JSONL in a
# temporary directory, replicates it until one run holds at least BENCH_SENTENCES sentences
# (default 200000), runs `tumen code --stats` BENCH_RUNS times (default 3) and reports the
# median run: sentences/s and MB/s (wall clock and per CPU second), events, peak RSS. It
# also times the dictionary load on empty input. The table goes to stdout and one dated
# line per corpus is appended to bench/results.md.
#
# Knobs: BENCH_SENTENCES, BENCH_RUNS, BENCH_MIN_SECONDS (replicate further until a run takes
# at least this long; default 0), BENCH_SHARED (default: ../shared next to the source tree),
# BENCH_NO_RECORD=1 (do not touch results.md), BENCH_ARGS (extra arguments for tumen code).
# Skips (exit 0, "SKIP: ...") when ../shared is absent.
set -u

if [ $# -lt 1 ]; then
    echo "usage: sh bench/run.sh BINARY" >&2
    exit 2
fi
BIN=$1
case "$BIN" in /*) ;; *) BIN="$(pwd)/$BIN" ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/.." && pwd)
SHARED=${BENCH_SHARED:-$SRC/../shared}
SENTENCES=${BENCH_SENTENCES:-200000}
RUNS=${BENCH_RUNS:-3}
MIN_SECONDS=${BENCH_MIN_SECONDS:-0}
ARGS=${BENCH_ARGS:-}

[ -x "$BIN" ] || { echo "bench: $BIN is not an executable (build first: make)" >&2; exit 1; }
if [ ! -d "$SHARED/corpus" ]; then
    echo "SKIP: $SHARED/corpus is absent; the benchmark needs ../shared"
    exit 0
fi
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 is missing"; exit 0; }
[ -x /usr/bin/time ] || { echo "SKIP: /usr/bin/time (Debian package 'time') is missing"; exit 0; }

T=$(mktemp -d "${TMPDIR:-/tmp}/tumen-bench.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
trap 'rm -rf "$T"; exit 1' INT TERM

# csv_to_jsonl NAME CSV: one JSONL document per CSV row in $T/NAME.1.jsonl.
csv_to_jsonl() {
    python3 - "$2" "$T/$1.1.jsonl" "$1" <<'EOF'
import csv, json, sys
csv.field_size_limit(1 << 30)
src, dst, name = sys.argv[1], sys.argv[2], sys.argv[3]
n = 0
with open(src, newline="", encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as out:
    for i, row in enumerate(csv.DictReader(f)):
        text = row.get("text") or ""
        if not text.strip():
            continue
        doc = {"id": "%s-%d" % (name, i), "text": text}
        if row.get("date"):
            doc["date"] = row["date"][:10]
        if row.get("title"):
            doc["title"] = row["title"]
        out.write(json.dumps(doc, ensure_ascii=False) + "\n")
        n += 1
if n == 0:
    sys.exit("no documents in " + src)
EOF
}

# replicate NAME N: $T/NAME.jsonl = N copies of $T/NAME.1.jsonl with distinct ids.
replicate() {
    python3 - "$T/$1.1.jsonl" "$T/$1.jsonl" "$2" <<'EOF'
import json, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
docs = [json.loads(l) for l in open(src, encoding="utf-8")]
with open(dst, "w", encoding="utf-8") as out:
    for r in range(n):
        for d in docs:
            d2 = dict(d, id="%s.r%d" % (d["id"], r))
            out.write(json.dumps(d2, ensure_ascii=False) + "\n")
EOF
}

# timed LABEL ARGS...: runs the binary under /usr/bin/time; stdout discarded. Sets STATS (the
# stats line), RSS_KB, WALL, CPU (user+sys seconds), RC.
timed() {
    label=$1
    shift
    # shellcheck disable=SC2086
    /usr/bin/time -f 'bench-time %M %e %U %S' -o "$T/$label.time" \
        "$BIN" code --stats $ARGS "$@" >/dev/null 2>"$T/$label.err"
    RC=$?
    STATS=$(grep '^tumen: stats: ' "$T/$label.err" | tail -n 1)
    set -- $(grep '^bench-time ' "$T/$label.time" | tail -n 1)
    RSS_KB=${2:-0}
    WALL=${3:-0}
    CPU=$(echo "${4:-0} ${5:-0}" | awk '{ printf "%.2f", $1 + $2 }')
    if [ -z "$STATS" ]; then
        echo "bench: no stats line from $BIN (exit $RC):" >&2
        head -n 5 "$T/$label.err" >&2
        exit 1
    fi
    if [ "$RC" != 0 ]; then
        echo "bench: note: $label exited $RC ($(grep -cv '^tumen: stats: ' "$T/$label.err") diagnostics)" >&2
    fi
}

# field NAME: value of NAME=... in $STATS.
field() {
    echo "$STATS" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

CPU_MODEL=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
NPROC=$(nproc 2>/dev/null || echo '?')
REV=$(git -C "$SRC" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$SRC" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    REV="$REV+dirty"
fi
DATE=$(date -u +%Y-%m-%d)
echo "tumen bench: $BIN (rev $REV), $DATE"
echo "machine: ${CPU_MODEL:-unknown CPU}, nproc $NPROC; single process, one thread"
echo

# ---- dictionary load: code empty input ----
: >"$T/empty.jsonl"
best_dict=""
for r in 1 2 3; do
    timed dict "$T/empty.jsonl"
    d=$(field dict_seconds)
    [ -n "$d" ] || d=$WALL
    if [ -z "$best_dict" ] || awk "BEGIN { exit !($d < $best_dict) }"; then
        best_dict=$d
        dict_wall=$WALL
        dict_rss=$RSS_KB
    fi
done
printf 'dictionary load (empty input, best of 3): %s s (process wall %s s, peak RSS %d MB)\n\n' \
    "$best_dict" "$dict_wall" $((dict_rss / 1024))

# ---- corpora ----
printf '%-10s %6s %9s %7s %8s %8s %8s %6s %10s %8s %6s\n' corpus copies sentences MB events \
    seconds sent/s MB/s sent/cpu-s MB/cpu-s RSS-MB
RESULTS=""
for spec in "guardian:corpus/guardian/guardian_sample.csv" \
    "synthetic:corpus/synthetic/ngec_synthetic_stories.csv"; do
    name=${spec%%:*}
    csv="$SHARED/${spec#*:}"
    if [ ! -f "$csv" ]; then
        echo "SKIP: $csv is absent"
        continue
    fi
    csv_to_jsonl "$name" "$csv" || exit 1
    # One copy first, to size the replication.
    timed "$name.probe" "$T/$name.1.jsonl"
    s1=$(field sentences)
    w1=$(field seconds)
    copies=$(awk -v s="$s1" -v w="$w1" -v want="$SENTENCES" -v mins="$MIN_SECONDS" 'BEGIN {
        n = (s > 0) ? int((want + s - 1) / s) : 1
        if (w > 0 && mins > 0 && n * w < mins) n = int(mins / w) + 1
        if (n < 1) n = 1
        print n }')
    replicate "$name" "$copies"
    runs=""
    r=0
    while [ "$r" -lt "$RUNS" ]; do
        r=$((r + 1))
        timed "$name.$r" "$T/$name.jsonl"
        runs="$runs$(field seconds) $r $RSS_KB $CPU
"
    done
    # The median run by coding time.
    set -- $(printf '%s' "$runs" | sort -n | sed -n "$(((RUNS + 1) / 2))p")
    mid=$2
    max_rss=$(printf '%s' "$runs" | awk 'BEGIN { m = 0 } $3 > m { m = $3 } END { print m }')
    STATS=$(grep '^tumen: stats: ' "$T/$name.$mid.err" | tail -n 1)
    cpu=$4
    line=$(awk -v docs="$(field documents)" -v sents="$(field sentences)" \
        -v events="$(field events)" -v bytes="$(field bytes)" -v secs="$(field seconds)" \
        -v cpu="$cpu" -v rss="$max_rss" -v name="$name" -v copies="$copies" 'BEGIN {
        mb = bytes / 1e6
        if (cpu <= 0) cpu = secs
        printf "%-10s %6d %9d %7.1f %8d %8.3f %8.0f %6.2f %10.0f %8.2f %6.0f\n",
            name, copies, sents, mb, events, secs, sents / secs, mb / secs,
            sents / cpu, mb / cpu, rss / 1024 }')
    printf '%s\n' "$line"
    RESULTS="$RESULTS$line
"
done
echo
echo "seconds: coding time reported by --stats (median of $RUNS runs; dictionary load excluded);"
echo "sent/cpu-s and MB/cpu-s divide by the process's user+sys CPU time (includes the load);"
echo "RSS-MB: peak resident set of the largest run (/usr/bin/time %M)."

if [ "${BENCH_NO_RECORD:-0}" != 1 ] && [ -n "$RESULTS" ]; then
    res="$HERE/results.md"
    if [ ! -f "$res" ]; then
        cat >"$res" <<'EOF'
# Benchmark results

Appended by `bench/run.sh` (see bench/README.md). One line per corpus and run:
date, git revision, corpus, sentences coded, sentences/s, MB/s, sentences per CPU second,
peak RSS, dictionary load time, machine.

EOF
    fi
    printf '%s' "$RESULTS" | while read -r name copies sents mb events secs sps mbps spc mbpc rss; do
        printf -- '- %s %s %s: %s sentences (%s copies), %s sent/s, %s MB/s, %s sent/cpu-s, peak RSS %s MB, dict load %s s; %s, nproc %s\n' \
            "$DATE" "$REV" "$name" "$sents" "$copies" "$sps" "$mbps" "$spc" "$rss" "$best_dict" \
            "${CPU_MODEL:-unknown CPU}" "$NPROC" >>"$res"
    done
    echo "appended to bench/results.md"
fi
