#!/bin/sh
# Sentences of 10^6 tokens: words with a few actors and verbs, bare commas, "U.S." repeated
# (the abbreviation rule), a 10^6-digit number next to a unit (the quantity parser) and a
# single 10^6-letter word. Each is coded (exit 0) in bounded time and memory; long sentences
# are coded in windows, so the work stays linear.
. "$(dirname "$0")/common.inc"
patho_init million_tokens

N=${PATHO_TOKENS:-1000000}
python3 - "$T" "$N" <<'EOF'
import sys
t, n = sys.argv[1], int(sys.argv[2])
neutral = ("the of and to in a that said on for with as was by at from its has "
           "been were an their which would more after over also about than").split()
# 1: words, one actor-verb-actor triple every 100,000 tokens, ending in a full stop.
out, i = [], 0
while i < n:
    if i % 100000 == 50000:
        out.extend(["Russia", "attacked", "Ukraine"])
        i += 3
    else:
        out.append(neutral[i % len(neutral)])
        i += 1
open(t + "/words.txt", "w").write("North Korea said " + " ".join(out) + ".\n")
# 2: bare punctuation.
open(t + "/commas.txt", "w").write("Russia said" + " ," * n + " nothing.\n")
# 3: the abbreviation rule, no sentence end in sight.
open(t + "/abbrev.txt", "w").write("The U.S. " * (n // 2) + "agreed.\n")
# 4: a number of 10^6 digits (grouped) with a unit, inside a codable sentence.
groups = ",".join(["123"] * (n // 3))
open(t + "/number.txt", "w").write("North Korea sent " + groups + " troops to Russia.\n")
# 5: one word of 10^6 letters.
open(t + "/longword.txt", "w").write("Russia " + "a" * n + " Ukraine.\n")
# 6: the same words as one JSONL document.
import json
words = open(t + "/words.txt").read()
open(t + "/words.jsonl", "w").write(json.dumps({"id": "w", "text": words}) + "\n")
EOF

for name in words commas abbrev number longword; do
    run "$name" code "$T/$name.txt"
    expect_rc "$name" 0
    expect_jsonl "$name"
    expect_diag_format "$name" 5
done
run jsonl code "$T/words.jsonl"
expect_rc jsonl 0
expect_jsonl jsonl
expect_diag_format jsonl 5

patho_finish
