#!/bin/sh
# Crash safety of 'tumen ingest': kill -9 it at random points many times, then check with
# sqlite3 that no document is partial (every document's events equal a clean run's), nothing
# is duplicated, the aggregates and clusters agree with the events, and a re-run completes
# the rest. Env: TUMEN (binary), SRC (source dir). Needs python3 and sqlite3 (else 77).
set -u
for tool in python3 sqlite3; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIP: $tool not installed"
        exit 77
    fi
done
CORPUS="${SRC:?}/corpus/sample.jsonl"
if [ ! -f "$CORPUS" ]; then
    echo "SKIP: $CORPUS not found"
    exit 77
fi
T=$(mktemp -d)
[ -n "${KEEP_TMP:-}" ] && echo "temp: $T" || trap 'rm -rf "$T"' EXIT
ITER=${KILL_ITERATIONS:-20}
# a snapshot of the dictionaries, so that every run codes alike even while data/ is edited
cp -R "$SRC/data" "$T/data" || exit 1
TUMEN_DATA="$T/data"
export TUMEN_DATA
# a large input: the bundled corpus many times over, each copy made unique
python3 - "$CORPUS" "$T/big.jsonl" "${KILL_COPIES:-150}" <<'PY' || exit 1
import json, sys
src, out, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
docs = [json.loads(l) for l in open(src, encoding="utf-8") if l.strip()]
with open(out, "w", encoding="utf-8") as o:
    for c in range(copies):
        for d in docs:
            d2 = dict(d)
            d2["id"] = "%s-%d" % (d["id"], c)
            d2["text"] = d["text"] + " (Copy %d.)" % c
            o.write(json.dumps(d2, ensure_ascii=False) + "\n")
PY
"${TUMEN:?}" ingest -q --batch 25 --db "$T/clean.db" "$T/big.jsonl" || { echo "FAIL: clean run"; exit 1; }
total=$(sqlite3 "$T/clean.db" "SELECT count(*) FROM documents")
echo "clean run: $total documents, $(sqlite3 "$T/clean.db" "SELECT count(*) FROM events") events"

i=0
while [ "$i" -lt "$ITER" ]; do
    "$TUMEN" ingest -q --batch 25 --db "$T/k.db" "$T/big.jsonl" 2>/dev/null &
    pid=$!
    pause=$(awk -v s="$i$$" 'BEGIN { srand(s); printf "%.3f", 0.02 + rand() * 0.45 }')
    sleep "$pause"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    got=$(sqlite3 "$T/k.db" "SELECT count(*) FROM documents" 2>/dev/null || echo "?")
    echo "kill $i after ${pause}s: $got/$total documents stored"
    i=$((i + 1))
done

fails=0
check() { # name, sql that must print 0 (or the expected value $3)
    want=${3:-0}
    got=$(sqlite3 "$T/k.db" "$2" 2>&1)
    if [ "$got" = "$want" ]; then
        echo "ok   $1"
    else
        echo "FAIL $1: got '$got', want '$want'"
        fails=$((fails + 1))
    fi
}
verify() {
    check "integrity" "PRAGMA integrity_check" ok
    check "no partial document (events column = events rows)" \
        "SELECT count(*) FROM documents d WHERE d.events <>
           (SELECT count(*) FROM events e WHERE e.doc = d.id)"
    check "every document as in the clean run" \
        "ATTACH '$T/clean.db' AS c;
         SELECT count(*) FROM documents d LEFT JOIN c.documents cd ON cd.hash = d.hash
         WHERE cd.id IS NULL OR cd.events <> d.events OR cd.sentences <>
           (SELECT count(*) FROM sentences s WHERE s.doc = d.id)"
    check "events as in the clean run" \
        "ATTACH '$T/clean.db' AS c;
         SELECT count(*) FROM (
           SELECT d.hash, e.seq, e.code, e.source, e.target, e.modality, e.channel
             FROM events e JOIN documents d ON d.id = e.doc
           EXCEPT
           SELECT d.hash, e.seq, e.code, e.source, e.target, e.modality, e.channel
             FROM c.events e JOIN c.documents d ON d.id = e.doc)"
    check "no duplicate document" "SELECT count(*) - count(DISTINCT hash) FROM documents"
    check "no duplicate event" \
        "SELECT count(*) FROM (SELECT doc, seq FROM events GROUP BY 1,2 HAVING count(*) > 1)"
    check "aggregates match events" \
        "SELECT (SELECT coalesce(sum(events),0) FROM dyad_month) - (SELECT count(*) FROM events)"
    check "cluster mentions match members" \
        "SELECT count(*) FROM clusters c WHERE c.mentions <>
           (SELECT count(*) FROM events e WHERE e.cluster = c.id)"
    check "no orphan event or sentence" \
        "SELECT (SELECT count(*) FROM events e LEFT JOIN sentences s ON s.id = e.sentence
                 WHERE s.id IS NULL OR s.doc <> e.doc)
              + (SELECT count(*) FROM sentences s LEFT JOIN documents d ON d.id = s.doc
                 WHERE d.id IS NULL)"
}
verify
"$TUMEN" ingest -q --batch 25 --db "$T/k.db" "$T/big.jsonl" || { echo "FAIL: re-run"; exit 1; }
check "re-run completes the rest" "SELECT count(*) FROM documents" "$total"
verify
[ "$fails" -eq 0 ]
