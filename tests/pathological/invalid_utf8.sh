#!/bin/sh
# Invalid UTF-8 (overlong forms, surrogates, truncated sequences, stray continuation bytes,
# bytes that never occur): exit 3, "tumen: FILE:LINE:COL: ... byte N" naming the first bad
# byte, nothing of that document on stdout, and other documents coded as if alone.
. "$(dirname "$0")/common.inc"
patho_init invalid_utf8

printf '%s\n' "$CODABLE" >"$T/good.txt"
# Each bad file: line 1 = "$CODABLE", line 2 = "Bad here: " + sequence + " end. " + codable.
prefix_len=$(printf '%s\n' "$CODABLE" | wc -c)
byte=$((prefix_len + 10)) # 0-based offset of the first bad byte
mk() { # name, printf-escaped bytes, trailing text (empty = the sequence ends the file)
    {
        printf '%s\nBad here: ' "$CODABLE"
        printf "$2"
        [ -n "$3" ] && printf '%s\n' "$3"
    } >"$T/$1.txt"
}
TAIL=" end. $CODABLE"
mk overlong2 '\300\257' "$TAIL"          # C0 AF: overlong "/"
mk overlong3 '\340\200\257' "$TAIL"      # E0 80 AF: overlong "/"
mk overlong4 '\360\200\200\257' "$TAIL"  # F0 80 80 AF
mk surrogate '\355\240\200' "$TAIL"      # ED A0 80: U+D800
mk surrogate_lo '\355\277\277' "$TAIL"   # ED BF BF: U+DFFF
mk above_max '\364\220\200\200' "$TAIL"  # F4 90 80 80: U+110000
mk truncated_mid '\342\202' "$TAIL"      # E2 82 then ASCII
mk truncated_eof '\342\202' ""           # E2 82 at end of file
mk lone_cont '\200' "$TAIL"              # 80
mk byte_f5 '\365\200\200\200' "$TAIL"    # F5: never valid
mk byte_ff '\377' "$TAIL"                # FF: never valid
mk latin1 '\351t\351' "$TAIL"            # "été" in Latin-1

run goods code "$T/good.txt"
expect_rc goods 0
for name in overlong2 overlong3 overlong4 surrogate surrogate_lo above_max truncated_mid \
    truncated_eof lone_cont byte_f5 byte_ff latin1; do
    run "$name" code "$T/$name.txt"
    expect_rc "$name" 3
    expect_out_empty "$name"
    expect_diag_format "$name" 3
    expect_err "$name" "^tumen: .*$name\\.txt:2:11: " "file:line:col of the first bad byte"
    expect_err "$name" "^tumen: .*$name\\.txt:2:11: .*byte $byte([^0-9]|\$)" "byte offset $byte"
    expect_err "$name" '[Uu][Tt][Ff]-?8' "the message says UTF-8"
done

run mixed code "$T/good.txt" "$T/surrogate.txt" "$T/good.txt"
expect_rc mixed 3
run goods2 code "$T/good.txt" "$T/good.txt"
expect_same_out goods2 mixed

# JSONL: invalid bytes inside a JSON string (line 2), an escaped lone surrogate (line 4),
# an overlong form outside any string (line 6); lines 1, 3, 5, 7 are valid.
python3 - "$T" "$CODABLE" <<'EOF'
import sys
t, cod = sys.argv[1], sys.argv[2].encode()
def rec(i, text):
    return b'{"id":"j%d","date":"2024-06-19","text":"' % i + text + b'"}'
lines = [
    rec(1, cod),
    rec(2, cod + b" Bad \xc0\xaf here."),
    rec(3, cod),
    rec(4, cod + b" Bad \\ud800 here."),
    rec(5, cod),
    b'{"id":"j6",\xc0\xaf"text":"' + cod + b'"}',
    rec(7, cod),
]
open(t + "/bad.jsonl", "wb").write(b"\n".join(lines) + b"\n")
open(t + "/good.jsonl", "wb").write(b"\n".join(lines[0::2]) + b"\n")
EOF
run jbad code "$T/bad.jsonl"
expect_rc jbad 3
expect_diag_format jbad 10
for l in 2 4 6; do
    expect_err jbad "^tumen: .*bad\\.jsonl:$l(:[0-9]+)?: " "line $l"
done
expect_no_doc jbad j2
expect_no_doc jbad j4
expect_no_doc jbad j6
expect_jsonl jbad
run jgood code "$T/good.jsonl"
expect_rc jgood 0
expect_same_out jgood jbad

patho_finish
