#!/bin/sh
# All of ../shared/dictionaries/phoenix loads with no error, and a second load through the
# compiled cache stays under 0.2 s (the image lives in a scratch cache directory).
D="$SRC/../shared/dictionaries/phoenix"
if [ ! -d "$D" ]; then
  echo "SKIP: $D is absent (../shared not checked out)"
  exit 77
fi
C=$(mktemp -d)
trap 'rm -rf "$C"' EXIT
"$TUMEN" dict stats --cache "$C" --dict "$D" || exit 1
out=$("$TUMEN" dict stats --cache "$C" --dict "$D") || exit 1
echo "$out"
echo "$out" | grep -q "compiled cache" || { echo "FAIL: second load did not use the cache"; exit 1; }
t=$(echo "$out" | sed -n 's/^load time *\([0-9.]*\) s.*/\1/p')
awk -v t="$t" 'BEGIN { exit !(t < 0.2) }' || { echo "FAIL: cached load took $t s"; exit 1; }
