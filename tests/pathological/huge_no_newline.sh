#!/bin/sh
# 100 MB with no newline at all, as one .txt document, as one JSONL record and through
# stdin. It must be coded or refused with a clear size error (--max-doc-bytes), in bounded
# time and memory; with the limit raised it must be coded, still within the bounds.
. "$(dirname "$0")/common.inc"
patho_init huge_no_newline

SIZE=${PATHO_HUGE_BYTES:-100000000}
FILLER='The weather in the capital was mild and the markets were quiet that week. '

# One document: codable sentences at both ends, neutral filler in between, no newline.
gen_body() {
    printf '%s ' "$CODABLE"
    yes "$FILLER" | tr -d '\n' | head -c "$SIZE"
    printf ' %s' "$CODABLE"
}
gen_body >"$T/big.txt"
{
    printf '{"id":"big","date":"2024-06-19","text":"'
    gen_body
    printf '"}'
} >"$T/big.jsonl"

check() { # label file-pattern
    expect_rc "$1" 0 3
    expect_jsonl "$1"
    expect_diag_format "$1" 5
    if [ "$RC" = 3 ]; then
        expect_err "$1" "^tumen: $2(:1(:[0-9]+)?)?: .*([Ll]imit|too (large|long|big)|(longer|larger|bigger) than|exceed|size|max)" \
            "a size error naming the input (and line 1)"
        expect_out_empty "$1"
    fi
}

run txt code "$T/big.txt"
check txt '.*big\.txt'

run jsonl code "$T/big.jsonl"
check jsonl '.*big\.jsonl'

STDIN="$T/big.txt" run stdin_text code --input text -
check stdin_text '(-|<stdin>|stdin)'

STDIN="$T/big.jsonl" run stdin_jsonl code --input jsonl -
check stdin_jsonl '(-|<stdin>|stdin)'

# With the size limit raised, the whole 100 MB document is coded, still within the bounds.
run txt_raised code --max-doc-bytes 209715200 "$T/big.txt"
expect_rc txt_raised 0
expect_jsonl txt_raised
expect_diag_format txt_raised 0

run jsonl_raised code --max-doc-bytes 209715200 "$T/big.jsonl"
expect_rc jsonl_raised 0
expect_jsonl jsonl_raised
expect_diag_format jsonl_raised 0

patho_finish
