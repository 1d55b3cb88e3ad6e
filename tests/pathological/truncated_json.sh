#!/bin/sh
# Truncated and malformed JSONL records: each bad line is reported as
# "tumen: FILE:LINE[:COL]: ...", exit 3, and the valid lines are coded exactly as alone.
. "$(dirname "$0")/common.inc"
patho_init truncated_json

python3 - "$T" "$CODABLE" <<'EOF'
import json, sys
t, cod = sys.argv[1], sys.argv[2]
def rec(i):
    return json.dumps({"id": "j%d" % i, "date": "2024-06-19", "text": cod})
lines = [
    rec(1),
    '{"id":"j2","date":"2024-06-19","text":"North Korea sent tro',   # cut inside a string
    rec(3),
    '{"id":"j4","text":',                                             # cut after a key
    '{"id":"j5","text":"Russia attacked Ukraine." ',                  # missing }
    '[1,2,3]',                                                        # not an object
    rec(7),
    '{"id":"j8","text":"Russia attacked Ukraine."} trailing',         # junk after the value
    '{"id":"j9","text":"a\\',                                         # cut inside an escape
    rec(10),
    '{"id":"j11","text":"Russia sent troops\\u00',                    # cut inside \\u
]
# The last record is also cut: no closing brace and no final newline.
open(t + "/bad.jsonl", "w").write("\n".join(lines) + "\n" + '{"id":"j12","text":"Russia sent')
open(t + "/good.jsonl", "w").write("\n".join([rec(1), rec(3), rec(7), rec(10)]) + "\n")
EOF

run bad code "$T/bad.jsonl"
expect_rc bad 3
expect_jsonl bad
expect_diag_format bad 20
for l in 2 4 5 6 8 9 11 12; do
    expect_err bad "^tumen: .*bad\\.jsonl:$l(:[0-9]+)?: " "line $l"
done
for d in j2 j4 j5 j8 j9 j11 j12; do
    expect_no_doc bad "$d"
done
run good code "$T/good.jsonl"
expect_rc good 0
expect_same_out good bad

STDIN="$T/bad.jsonl" run stdin code --input jsonl -
expect_rc stdin 3
expect_same_out good stdin
expect_err stdin '^tumen: (-|<stdin>|stdin):12(:[0-9]+)?: ' "stdin line 12"

patho_finish
