#!/bin/sh
# The HTML report in a real browser: headless Chromium loads report.html with no console
# errors, the SVG charts are in the DOM, and a screenshot is written.
# Env: TUMEN (binary), SRC (source dir). Skips (77) when chromium is not installed.
set -u
CHROME=""
for c in chromium chromium-browser google-chrome; do
    if command -v "$c" >/dev/null 2>&1; then
        CHROME=$c
        break
    fi
done
if [ -z "$CHROME" ]; then
    echo "SKIP: chromium not installed (Debian package 'chromium')"
    exit 77
fi
CORPUS="${SRC:?}/corpus/sample.jsonl"
if [ ! -f "$CORPUS" ]; then
    echo "SKIP: $CORPUS not found"
    exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"${TUMEN:?}" ingest -q --db "$T/t.db" "$CORPUS" || { echo "FAIL: ingest"; exit 1; }
"$TUMEN" report RUS PRK --db "$T/t.db" -o "$T/report.html" || { echo "FAIL: report"; exit 1; }
flags="--headless --no-sandbox --disable-gpu --disable-background-networking \
--disable-component-update --disable-sync --no-first-run --window-size=1280,2000"
# 1. DOM after load, with the browser log on stderr
# shellcheck disable=SC2086
timeout 120 "$CHROME" $flags --user-data-dir="$T/profile1" --enable-logging=stderr --v=0 \
    --dump-dom "file://$T/report.html" >"$T/dom.html" 2>"$T/log.txt"
fails=0
for id in chart-timeline chart-channels chart-network; do
    if ! grep -q "<svg id=\"$id\"" "$T/dom.html"; then
        echo "FAIL: $id not in the DOM"
        fails=$((fails + 1))
    fi
done
if grep -E "CONSOLE|Uncaught|Refused to|Failed to load" "$T/log.txt"; then
    echo "FAIL: console errors (above)"
    fails=$((fails + 1))
fi
# 2. screenshot
# shellcheck disable=SC2086
timeout 120 "$CHROME" $flags --user-data-dir="$T/profile2" \
    --screenshot="$T/shot.png" "file://$T/report.html" >/dev/null 2>&1
if [ ! -s "$T/shot.png" ]; then
    echo "FAIL: no screenshot"
    fails=$((fails + 1))
elif [ "$(head -c 4 "$T/shot.png" | od -An -tx1 | tr -d ' \n')" != "89504e47" ]; then
    echo "FAIL: screenshot is not a PNG"
    fails=$((fails + 1))
else
    echo "ok   screenshot $(wc -c <"$T/shot.png" | tr -d ' ') bytes"
fi
[ "$fails" -eq 0 ]
