#!/bin/sh
# 1 MB of /dev/urandom as a .txt, as a .jsonl and through stdin: refused with positioned
# diagnostics (exit 3), no events, no crash. The input is kept under $BUILD on failure.
. "$(dirname "$0")/common.inc"
patho_init binary_junk

# the first byte is fixed (0xFF, never valid): random data that began with a newline made line
# 1 empty and the first diagnostic name line 2
printf '\377' >"$T/junk.txt"
head -c 1048575 /dev/urandom >>"$T/junk.txt"
cp "$T/junk.txt" "$T/junk.jsonl"

run txt code "$T/junk.txt"
expect_rc txt 3
expect_out_empty txt
expect_diag_format txt 3
expect_err txt '^tumen: .*junk\.txt:[0-9]+:[0-9]+: .*byte [0-9]+' "file:line:col and byte"

run jsonl code "$T/junk.jsonl"
expect_rc jsonl 3
expect_out_empty jsonl
expect_diag_format jsonl 10000
expect_err jsonl '^tumen: .*junk\.jsonl:1(:[0-9]+)?: ' "line 1"

STDIN="$T/junk.txt" run stdin_text code --input text -
expect_rc stdin_text 3
expect_out_empty stdin_text
expect_diag_format stdin_text 3

STDIN="$T/junk.txt" run stdin_jsonl code --input jsonl -
expect_rc stdin_jsonl 3
expect_out_empty stdin_jsonl
expect_diag_format stdin_jsonl 10000

[ "$FAILED" = 0 ] || keep "$T/junk.txt"
patho_finish
