#!/bin/sh
# Empty and blank inputs: no events, no diagnostics, exit 0.
. "$(dirname "$0")/common.inc"
patho_init empty_input

: >"$T/empty.txt"
: >"$T/empty.jsonl"
printf ' \n\t\n\n' >"$T/blank.txt"
printf '\n\n   \n' >"$T/blank.jsonl"

for f in empty.txt empty.jsonl blank.txt; do
    run "$f" code "$T/$f"
    expect_rc "$f" 0
    expect_out_empty "$f"
    expect_no_err "$f" '.'
done

STDIN="$T/empty.txt" run stdin_text code --input text -
expect_rc stdin_text 0
expect_out_empty stdin_text
expect_no_err stdin_text '.'

STDIN="$T/empty.txt" run stdin_jsonl code --input jsonl -
expect_rc stdin_jsonl 0
expect_out_empty stdin_jsonl
expect_no_err stdin_jsonl '.'

# Blank lines in JSONL carry no document. Skipping them (exit 0) or reporting them (exit 3,
# naming the line) are both acceptable; anything else is not.
run blank.jsonl code "$T/blank.jsonl"
expect_rc blank.jsonl 0 3
expect_out_empty blank.jsonl
expect_diag_format blank.jsonl 3
if [ "$RC" = 3 ]; then
    expect_err blank.jsonl 'blank\.jsonl:[123]:' "the blank line"
fi

# --stats on empty input still prints its closing line.
run stats code --stats "$T/empty.txt"
expect_rc stats 0
expect_out_empty stats
expect_err stats '^tumen: stats: documents=[01] sentences=0 events=0 bytes=0 ' "the stats line"

patho_finish
