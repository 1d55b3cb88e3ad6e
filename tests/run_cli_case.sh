#!/bin/sh
# Runs one CLI golden case. A case folder holds:
#   cmd          one shell command line; $TUMEN is the binary, $SRC the source tree; cwd is the folder
#   stdout       expected standard output (exact)
#   stderr       expected standard error (optional; exact)
#   exit         expected exit code (optional; default 0)
#   needs-shared present when the case reads ../shared (skips loudly when it is absent)
# Regenerate expectations with UPDATE=1 (review the diff before committing).
set -u
dir=$1
cd "$dir" || exit 1
if [ -e needs-shared ] && [ ! -d "$SRC/../shared" ]; then
  echo "SKIP: $dir needs ../shared, which is absent" >&2
  exit 77
fi
out=$(mktemp); err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
sh ./cmd >"$out" 2>"$err"
code=$?
want_code=0
[ -f exit ] && want_code=$(cat exit)
if [ "${UPDATE:-0}" = "1" ]; then
  cp "$out" stdout
  [ -s "$err" ] && cp "$err" stderr
  [ "$code" != "0" ] && echo "$code" >exit
  exit 0
fi
fail=0
if [ "$code" != "$want_code" ]; then
  echo "exit code: want $want_code, got $code" >&2; cat "$err" >&2; fail=1
fi
if ! diff -u stdout "$out" >&2; then
  echo "stdout differs (above: - expected, + actual)" >&2; fail=1
fi
if [ -f stderr ] && ! diff -u stderr "$err" >&2; then
  echo "stderr differs (above: - expected, + actual)" >&2; fail=1
fi
exit $fail
