#!/bin/sh
# Runs every libFuzzer target of a TUMEN_FUZZ build for a short while.
#
#   sh fuzz/run.sh BUILD_DIR [TARGET...]      (make fuzz runs: sh fuzz/run.sh build-fuzz)
#
# Each target (BUILD_DIR/fuzz/fuzz_*, or only the TARGETs named) runs FUZZ_SECONDS seconds
# (default 30) on a working corpus in BUILD_DIR/fuzz-corpus/TARGET/. The first run seeds it
# with inputs generated here from the repository (corpus/sample.jsonl, data/ dictionaries)
# and, when present, ../shared dictionaries, plus any files committed in fuzz/corpus/TARGET/.
# Later runs continue from what earlier runs found. Crashes are saved in
# BUILD_DIR/fuzz-artifacts/ and logs in BUILD_DIR/fuzz-logs/. Exit status: 0 when every
# target ran clean, 1 when one crashed, 77 when the build has no fuzz targets.
# Replay a crash: BUILD_DIR/fuzz/TARGET BUILD_DIR/fuzz-artifacts/TARGET-crash-...
set -u

if [ $# -lt 1 ]; then
    echo "usage: sh fuzz/run.sh BUILD_DIR [TARGET...]" >&2
    exit 2
fi
BUILD=$(cd "$1" 2>/dev/null && pwd) || { echo "fuzz: no build directory $1" >&2; exit 2; }
shift
SRC=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${FUZZ_SHARED:-$SRC/../shared}
SECS=${FUZZ_SECONDS:-30}

targets=""
if [ $# -gt 0 ]; then
    for n in "$@"; do
        targets="$targets $BUILD/fuzz/$n"
    done
else
    for f in "$BUILD"/fuzz/fuzz_*; do
        [ -f "$f" ] && [ -x "$f" ] && targets="$targets $f"
    done
fi
if [ -z "$targets" ]; then
    echo "SKIP: no fuzz targets in $BUILD/fuzz (configure with CC=clang -DTUMEN_FUZZ=ON)"
    exit 77
fi

# seed_file DIR NAME: stdin becomes DIR/NAME.
seed_file() {
    cat >"$1/$2"
}

# seed_chunks DIR PREFIX FILE...: the first 4 KB of each file, then its next 4 KB.
seed_chunks() {
    d=$1
    p=$2
    shift 2
    i=0
    for f in "$@"; do
        [ -f "$f" ] || continue
        i=$((i + 1))
        head -c 4096 "$f" >"$d/$p-$i-a"
        tail -c +4097 "$f" | head -c 4096 >"$d/$p-$i-b"
        [ -s "$d/$p-$i-b" ] || rm -f "$d/$p-$i-b"
    done
}

# sample_texts DIR COUNT: the text of the first COUNT documents of corpus/sample.jsonl.
sample_texts() {
    python3 - "$SRC/corpus/sample.jsonl" "$1" "$2" <<'EOF' 2>/dev/null || true
import json, sys
src, d, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for i, line in enumerate(open(src, encoding="utf-8")):
    if i >= n:
        break
    open("%s/sample-%03d" % (d, i), "w", encoding="utf-8").write(json.loads(line)["text"])
EOF
}

seed_tokenizer() {
    sample_texts "$1" 40
    printf 'The U.S. and the U.N. met on Jan. 5 at 3.5 p.m. in Washington, D.C., said Gen. J. R. Smith... Then nothing.' | seed_file "$1" abbrev
    printf '\342\200\234Pyongyang\342\200\231s troops\342\200\235 \342\200\224 around 14,000 \342\200\223 arrived.' | seed_file "$1" quotes
    printf 'He said: "No." (It was 1.5%%.) $20 billion; up to 50,000 workers!\n\nNew paragraph?' | seed_file "$1" punct
    printf '\357\254\201 \357\274\241\357\274\242 Cafe\314\201 \341\272\236 \316\243\316\243 İstanbul' | seed_file "$1" unicode
    printf 'North Korea-Russia ties; Russia\047s foreign ministry; O\047Brien\047s; rock\047n\047roll.' | seed_file "$1" clitics
}

seed_reader() {
    head -n 1 "$SRC/corpus/sample.jsonl" 2>/dev/null | seed_file "$1" one
    head -n 5 "$SRC/corpus/sample.jsonl" 2>/dev/null | seed_file "$1" five
    printf '\001%s\n' 'Russia and North Korea signed a treaty.' | seed_file "$1" text-odd
    printf '{"id":1,"text":"a","date":"20240619"}\r\n\n  \n{"text":"b","title":"t","url":"u"}\n' | seed_file "$1" variants
    printf '{"id":"x","text":"caf\\u00e9 \\ud83d\\ude00 \\"q\\""}\n{"id":"y","text":"tru' | seed_file "$1" escapes
    printf '{"id":"n","text":[1,{"a":null}],"date":7}\n[1,2]\n"s"\n{"id":"z","text":"\\u0000"}\n' | seed_file "$1" wrong-types
}

seed_dict() { # DIR FORMAT
    case "$2" in
    tumen)
        seed_chunks "$1" data "$SRC"/data/verbs/*.verbs "$SRC"/data/verbs/*.sets \
            "$SRC"/data/actors/*.actors "$SRC"/data/agents/* 2>/dev/null
        ;;
    tabari)
        seed_chunks "$1" tabari "$SHARED"/conformance/tabari/*.actors \
            "$SHARED"/conformance/tabari/*.verbs "$SHARED"/conformance/tabari/*.agents \
            "$SHARED"/conformance/tabari/*.options 2>/dev/null
        ;;
    petrarch)
        seed_chunks "$1" phoenix "$SHARED"/dictionaries/phoenix/* 2>/dev/null
        ;;
    esac
    [ -n "$(ls "$1")" ] || printf 'RUSSIA [RUS]\n' | seed_file "$1" minimal
}

seed_quantity() {
    for q in 'around 14,000 troops' 'up to 50,000 workers' '$20 billion' 'tens of thousands' \
        'at least 1.5 million barrels' 'between 10,000 and 12,000 soldiers' '3 per cent' \
        'some 9 million rounds' 'more than 1,000 containers' 'half a million' 'a dozen' \
        '1e308 troops' '99999999999999999999999 workers'; do
        i=$((${i:-0} + 1))
        printf '%s' "$q" | seed_file "$1" "q$i"
    done
    sample_texts "$1" 10
}

seed() { # NAME DIR
    case "$1" in
    fuzz_tokenizer) seed_tokenizer "$2" ;;
    fuzz_reader) seed_reader "$2" ;;
    fuzz_dict_tumen*) seed_dict "$2" tumen ;;
    fuzz_dict_tabari*) seed_dict "$2" tabari ;;
    fuzz_dict_petrarch* | fuzz_dict_phoenix*) seed_dict "$2" petrarch ;;
    fuzz_quantity* | fuzz_timex* | fuzz_modality*) seed_quantity "$2" ;;
    *) sample_texts "$2" 20 ;;
    esac
    if [ -d "$SRC/fuzz/corpus/$1" ]; then
        cp "$SRC/fuzz/corpus/$1"/* "$2"/ 2>/dev/null || true
    fi
    [ -n "$(ls "$2")" ] || printf 'Russia and North Korea signed a treaty.' | seed_file "$2" default
}

mkdir -p "$BUILD/fuzz-corpus" "$BUILD/fuzz-artifacts" "$BUILD/fuzz-logs"
failed=""
for bin in $targets; do
    name=$(basename "$bin")
    if [ ! -x "$bin" ]; then
        echo "fuzz: $bin is missing" >&2
        failed="$failed $name"
        continue
    fi
    corpus="$BUILD/fuzz-corpus/$name"
    if [ ! -d "$corpus" ] || [ -z "$(ls "$corpus")" ]; then
        mkdir -p "$corpus"
        seed "$name" "$corpus"
    fi
    log="$BUILD/fuzz-logs/$name.log"
    printf '%-24s %3ss, %4d seed/corpus files ... ' "$name" "$SECS" "$(ls "$corpus" | wc -l)"
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
        "$bin" -max_total_time="$SECS" -timeout=20 -rss_limit_mb=2048 -max_len=16384 \
        -print_final_stats=1 -artifact_prefix="$BUILD/fuzz-artifacts/$name-" \
        "$corpus" >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
    if [ "$rc" = 0 ]; then
        echo "ok (${runs:-?} runs, ${cov:-cov: ?})"
    else
        echo "FAILED (exit $rc)"
        grep -m 1 -E 'ERROR: |runtime error|deadly signal|Test unit written' "$log" || true
        grep 'Test unit written to' "$log" | tail -n 1
        echo "  log: $log"
        failed="$failed $name"
    fi
done
if [ -n "$failed" ]; then
    echo "fuzz: failed:$failed"
    exit 1
fi
exit 0
