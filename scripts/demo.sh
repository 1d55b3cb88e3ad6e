#!/bin/sh
# The README's main job: ingest the bundled corpus into tumen.db, print the Russia-DPRK
# summary and write report.html.
#   usage: sh scripts/demo.sh [path/to/tumen] [corpus.jsonl]
# Writes tumen.db and report.html in the current directory. Progress goes to stderr when
# it is a terminal (tumen ingest decides).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
TUMEN=${1:-$here/build/tumen}
CORPUS=${2:-$here/corpus/sample.jsonl}
DB=${TUMEN_DB:-tumen.db}
if [ ! -x "$TUMEN" ]; then
    echo "demo: $TUMEN not found; build first (make)" >&2
    exit 1
fi
if [ ! -f "$CORPUS" ]; then
    echo "demo: corpus $CORPUS not found" >&2
    exit 1
fi
if [ -t 2 ]; then
    echo "demo: ingesting $CORPUS into $DB" >&2
fi
"$TUMEN" ingest --db "$DB" "$CORPUS"
echo
"$TUMEN" dyad RUS PRK --by year --db "$DB"
echo
"$TUMEN" report RUS PRK --db "$DB" -o report.html
echo "demo: wrote report.html ($(wc -c <report.html | tr -d ' ') bytes); open it in a browser" >&2
