#!/bin/sh
# Deeply nested JSON in a JSONL record (extra fields, and a whole line of brackets): no stack
# overflow. A record with a nested extra field may be coded (extra fields are ignored) or
# refused; the unterminated line is refused; the valid record is coded as alone.
. "$(dirname "$0")/common.inc"
patho_init deep_json

D=${PATHO_DEPTH:-100000}
python3 - "$T" "$CODABLE" "$D" <<'EOF'
import json, sys
t, cod, d = sys.argv[1], sys.argv[2], int(sys.argv[3])
head = lambda i: '{"id":"d%d","text":%s,"meta":' % (i, json.dumps(cod))
lines = [
    head(1) + "[" * d + "]" * d + "}",
    head(2) + '{"a":' * d + "1" + "}" * d + "}",
    "[" * (10 * d),
    json.dumps({"id": "d4", "text": cod}),
    '{"id":"d5","text":' + "[" * d + '"x"' + "]" * d + "}",
]
open(t + "/deep.jsonl", "w").write("\n".join(lines) + "\n")
open(t + "/good.jsonl", "w").write(lines[3] + "\n")
EOF

run deep code "$T/deep.jsonl"
expect_rc deep 3
expect_jsonl deep
expect_diag_format deep 10
expect_err deep '^tumen: .*deep\.jsonl:3(:[0-9]+)?: ' "the unterminated line 3"
expect_err deep '^tumen: .*deep\.jsonl:5(:[0-9]+)?: ' "line 5 (text is not a string)"
expect_no_doc deep d5
run good code "$T/good.jsonl"
expect_rc good 0
expect_doc_same good deep d4

patho_finish
