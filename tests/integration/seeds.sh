#!/bin/sh
# The showcase: ingest the three seed analyses of Russia-North Korea relations and check that
# the store and report.html hold the facts an analyst expects (issue 5, "Done when").
# Env: TUMEN (binary), SRC (source dir). Needs ../shared, python3 and sqlite3 (else 77).
set -u
SHARED="${SRC:?}/../shared"
SEEDS="$SHARED/corpus/seeds"
if [ ! -f "$SEEDS/seeds.jsonl" ]; then
    echo "SKIP: $SEEDS not found (the seed articles live in ../shared)"
    exit 77
fi
for tool in python3 sqlite3; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIP: $tool not installed"
        exit 77
    fi
done
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# seeds.jsonl holds metadata only: join it with the texts into a temporary corpus
python3 - "$SEEDS" "$T/seeds.jsonl" <<'PY' || exit 1
import json, os, sys
seeds, out = sys.argv[1], sys.argv[2]
with open(os.path.join(seeds, "seeds.jsonl"), encoding="utf-8") as f, \
        open(out, "w", encoding="utf-8") as o:
    for line in f:
        m = json.loads(line)
        text = open(os.path.join(seeds, m["file"]), encoding="utf-8").read()
        doc = {"id": m["file"][:3], "date": m["pubdate"], "title": m["title"], "text": text}
        o.write(json.dumps(doc, ensure_ascii=False) + "\n")
PY
DB="$T/seeds.db"
"${TUMEN:?}" ingest -q --db "$DB" "$T/seeds.jsonl" || { echo "FAIL: ingest"; exit 1; }
"$TUMEN" report RUS PRK --db "$DB" -o "$T/report.html" || { echo "FAIL: report"; exit 1; }

fails=0
q() { sqlite3 "$DB" "$1"; }
check() { # name, sql returning a count > 0, text that report.html must contain (regex)
    n=$(q "$2")
    if [ "${n:-0}" -gt 0 ] 2>/dev/null; then
        store=ok
    else
        store=missing
    fi
    if grep -Eq "$3" "$T/report.html"; then
        rep=ok
    else
        rep=missing
    fi
    if [ "$store" = ok ] && [ "$rep" = ok ]; then
        echo "ok   $1"
    else
        echo "FAIL $1 (store: $store, report: $rep)"
        fails=$((fails + 1))
    fi
}
RP="source_country IN ('RUS','PRK') AND target_country IN ('RUS','PRK')"
check "the 2024 treaty" \
    "SELECT count(*) FROM events WHERE $RP AND (code='057' OR channel='treaties')
       AND coalesce(event_time, date) LIKE '2024%'" \
    '[Tt]reat(y|ies)'
check "~14,000 troops" \
    "SELECT count(*) FROM events WHERE qty_value=14000 AND source_country='PRK'" \
    '14,000'
check "workers proposal (Khusnullin, 2022) as one merged event" \
    "SELECT count(*) FROM clusters c WHERE c.source_country='RUS' AND c.target_country='PRK'
       AND c.channel='labour' AND c.sources>=2 AND c.event_time LIKE '2022%'
       AND (SELECT count(*) FROM events e WHERE e.cluster=c.id AND e.qty_value=50000) >= 1" \
    '50,000 workers'
check "1,500 Russian tourists" \
    "SELECT count(*) FROM events WHERE qty_value=1500 AND (qty_unit LIKE 'touris%' OR channel='tourism')" \
    '1,?500'
check "200,000 tourists to South Korea" \
    "SELECT count(*) FROM events WHERE qty_value=200000" \
    '200,000'
check "the UN General Assembly vote" \
    "SELECT count(*) FROM events WHERE target_country='UNO' AND root='12'" \
    'General Assembly'
for svg in chart-timeline chart-channels chart-network; do
    if ! grep -q "id=\"$svg\"" "$T/report.html"; then
        echo "FAIL report has no $svg"
        fails=$((fails + 1))
    fi
done
if [ "$fails" -gt 0 ]; then
    echo "--- events in the store:"
    "$TUMEN" events --db "$DB" --csv | cut -c1-200 | head -80
    exit 1
fi
