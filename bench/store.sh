#!/bin/sh
# Store benchmark: ingest rate through the store API (no coder), and the time of the CLI's
# 'tumen dyad' on the result.
#   usage: sh bench/store.sh [BUILD_DIR] [EVENTS] [OPTIONS...]
#   defaults: build, 10000000; OPTIONS are bench_store's (random-dates, skewed, no-clusters,
#   batch=N). RUNS=3 repeats the ingest and reports each run and the median.
# Needs a release build (make). Uses a temporary directory for the database.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-$here/build}
N=${2:-10000000}
[ $# -ge 2 ] && shift 2 || shift $#
RUNS=${RUNS:-1}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
${CC:-cc} -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -I"$here/include" \
    "$here/bench/bench_store.c" "$B/libtumen.a" \
    $(pkg-config --libs sqlite3 libutf8proc jansson libcrypto) -lpthread -lm -o "$T/bench_store"
echo "bench_store $N events $* (rev $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores)"
i=0
while [ "$i" -lt "$RUNS" ]; do
    /usr/bin/time -f 'cpu: %U user %S sys, peak RSS %M KB' "$T/bench_store" "$T/bench.db" "$N" "$@" \
        2>&1 | tee -a "$T/runs.txt"
    i=$((i + 1))
done
sed -n 's/^ingest: .* = \([0-9]*\) events\/s$/\1/p' "$T/runs.txt" | sort -n |
    awk '{ v[NR] = $1 } END { if (NR) printf "median ingest rate: %d events/s over %d run(s)\n", v[int((NR + 1) / 2)], NR }'
ls -l "$T/bench.db" | awk '{ printf "store size: %.0f MB\n", $5 / 1e6 }'
# the CLI end to end (process start, open, query, print)
start=$(date +%s.%N)
"$B/tumen" dyad RUS PRK --by year --db "$T/bench.db" >/dev/null
end=$(date +%s.%N)
awk -v a="$start" -v b="$end" 'BEGIN { printf "tumen dyad RUS PRK --by year: %.3f s\n", b - a }'
