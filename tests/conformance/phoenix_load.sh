#!/bin/sh
# All of ../shared/dictionaries/phoenix loads with no error, and a second load goes through
# the compiled cache (the image lives in a scratch cache directory). Its load time is printed
# for the log but not asserted: timings belong in bench/, and a loaded machine made a time
# bound fail here.
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
echo "$out" | grep -q "^load time" || { echo "FAIL: no load time reported"; exit 1; }
