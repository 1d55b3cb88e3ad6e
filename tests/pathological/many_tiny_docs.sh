#!/bin/sh
# Many tiny documents: 10^6 JSONL records (some empty, one in a thousand codable) and 5,000
# tiny .txt files on one command line. Exit 0, every document counted by --stats.
. "$(dirname "$0")/common.inc"
patho_init many_tiny_docs

N=${PATHO_DOCS:-1000000}
F=${PATHO_FILES:-5000}
python3 - "$T" "$CODABLE" "$N" "$F" <<'EOF'
import json, os, sys
t, cod, n, f = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
codable = json.dumps(cod)
with open(t + "/tiny.jsonl", "w") as out:
    for i in range(n):
        if i % 1000 == 0:
            out.write('{"id":"d%d","text":%s}\n' % (i, codable))
        elif i % 7 == 0:
            out.write('{"id":"d%d","text":""}\n' % i)
        else:
            out.write('{"id":"d%d","text":"Hi."}\n' % i)
os.mkdir(t + "/tiny")
for i in range(f):
    with open(t + "/tiny/t%05d.txt" % i, "w") as out:
        out.write(cod if i % 100 == 0 else "Hi.")
EOF

run jsonl code --stats "$T/tiny.jsonl"
expect_rc jsonl 0
expect_jsonl jsonl
expect_diag_format jsonl 1
expect_err jsonl "^tumen: stats: documents=$N " "documents=$N"

run txt code --stats "$T"/tiny/*.txt
expect_rc txt 0
expect_jsonl txt
expect_diag_format txt 1
expect_err txt "^tumen: stats: documents=$F " "documents=$F"

patho_finish
