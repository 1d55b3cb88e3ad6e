#!/bin/sh
# Store benchmark: ingest rate through the store API (no coder) and 'tumen dyad' time.
#   usage: sh bench/store.sh [BUILD_DIR] [EVENTS]   (defaults: build, 10000000)
# Needs a release build (make). Uses a temporary directory for the database.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-$here/build}
N=${2:-10000000}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
${CC:-cc} -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -I"$here/include" \
    "$here/bench/bench_store.c" "$B/libtumen.a" \
    $(pkg-config --libs sqlite3 libutf8proc jansson) -lpthread -lm -o "$T/bench_store"
"$T/bench_store" "$T/bench.db" "$N"
ls -l "$T/bench.db" | awk '{ printf "store size: %.0f MB\n", $5 / 1e6 }'
# the CLI end to end (process start, open, query, print)
start=$(date +%s.%N)
"$B/tumen" dyad RUS PRK --by year --db "$T/bench.db" >/dev/null
end=$(date +%s.%N)
awk -v a="$start" -v b="$end" 'BEGIN { printf "tumen dyad RUS PRK --by year: %.3f s\n", b - a }'
