#!/bin/sh
# NUL bytes: in a .txt (raw) and in JSONL text (as \u0000 and raw). The document is refused
# with "tumen: FILE:LINE:COL: ..." naming the byte, nothing of it is emitted, exit 3, and
# the other inputs are still coded exactly as they would be alone.
. "$(dirname "$0")/common.inc"
patho_init nul_bytes

# good1.txt, good2.txt: codable. nul.txt: codable text with a NUL on line 2.
# Line 1 is 39 bytes + newline; the NUL is at line 2, column 17, byte offset 56.
printf '%s\n' "$CODABLE" >"$T/good1.txt"
printf '%s\n' "$CODABLE" >"$T/good2.txt"
printf 'Russia and North Korea signed a treaty.\nNorth Korea sent\000 troops to Russia. %s\n' \
    "$CODABLE" >"$T/nul.txt"

run nul code "$T/nul.txt"
expect_rc nul 3
expect_out_empty nul
expect_diag_format nul 3
expect_err nul '^tumen: .*nul\.txt:2:17: ' "file:line:col of the NUL"
expect_err nul '^tumen: .*nul\.txt:2:17: .*byte 56([^0-9]|$)' "the byte offset (0-based) of the NUL"

run goods code "$T/good1.txt" "$T/good2.txt"
expect_rc goods 0
run mixed code "$T/good1.txt" "$T/nul.txt" "$T/good2.txt"
expect_rc mixed 3
expect_same_out goods mixed
expect_no_doc mixed nul

# JSONL: line 2 has an escaped NUL, line 4 a raw NUL byte inside the string.
python3 - "$T" "$CODABLE" <<'EOF'
import json, sys
t, cod = sys.argv[1], sys.argv[2]
def rec(i, text):
    return json.dumps({"id": "j%d" % i, "date": "2024-06-19", "text": text})
lines = [
    rec(1, cod),
    rec(2, cod + " North Korea\u0000 sent troops."),
    rec(3, cod),
    rec(4, cod + " North Korea\x00 sent troops.").replace("\\u0000", "\x00"),
    rec(5, cod),
]
open(t + "/nul.jsonl", "w").write("\n".join(lines) + "\n")
open(t + "/good.jsonl", "w").write("\n".join(lines[0::2]) + "\n")
EOF

run jnul code "$T/nul.jsonl"
expect_rc jnul 3
expect_diag_format jnul 10
expect_err jnul '^tumen: .*nul\.jsonl:2(:[0-9]+)?: ' "line 2 (escaped NUL)"
expect_err jnul '^tumen: .*nul\.jsonl:4(:[0-9]+)?: ' "line 4 (raw NUL)"
expect_no_doc jnul j2
expect_no_doc jnul j4
expect_jsonl jnul
run jgood code "$T/good.jsonl"
expect_rc jgood 0
expect_same_out jgood jnul

STDIN="$T/nul.txt" run stdin code --input text -
expect_rc stdin 3
expect_out_empty stdin
expect_err stdin '^tumen: (-|<stdin>|stdin):2:17: ' "stdin named as '-'"

patho_finish
