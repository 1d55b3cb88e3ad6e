#!/bin/sh
# Huge JSON strings: a 50 MB text made of escapes, a 4 MB id, a 30 MB title. Each is coded
# or refused with a size error naming its line; the valid record is coded as alone.
. "$(dirname "$0")/common.inc"
patho_init huge_json_string

python3 - "$T" "$CODABLE" <<'EOF'
import json, sys
t, cod = sys.argv[1], sys.argv[2]
unit = r'\u00c9t\u00e9 was \"quiet\" \/ calm\t and \ud83d\ude00 fine. '
text = unit * (50_000_000 // len(unit))
lines = [
    '{"id":"h1","date":"2024-06-19","text":"' + text + '"}',
    json.dumps({"id": "h2" + "x" * 4_000_000, "text": cod}),
    json.dumps({"id": "h3", "text": cod, "title": "T" * 30_000_000}),
    json.dumps({"id": "h4", "text": cod}),
]
open(t + "/huge.jsonl", "w").write("\n".join(lines) + "\n")
open(t + "/good.jsonl", "w").write(lines[3] + "\n")
EOF

run huge code "$T/huge.jsonl"
expect_rc huge 0 3
expect_jsonl huge
expect_diag_format huge 10
if [ "$RC" = 3 ]; then
    expect_err huge '^tumen: .*huge\.jsonl:[123](:[0-9]+)?: .*([Ll]imit|too (large|long|big)|(longer|larger|bigger) than|exceed|size|max)' \
        "a size error naming the line"
fi
run good code "$T/good.jsonl"
expect_rc good 0
expect_doc_same good huge h4

patho_finish
