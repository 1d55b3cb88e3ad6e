#!/usr/bin/env python3
"""Golden-test filter: one compact line per JSONL event read from stdin, with the fields a
case checks (pattern file:line is left out so dictionary edits do not churn every case).
usage: fields.py [FIELD ...]   default: sentence source target code modality"""
import json, sys

def num(x):
    s = format(float(x), "f")
    return s.rstrip("0").rstrip(".") if "." in s else s

fields = sys.argv[1:] or ["sentence", "source", "target", "code", "modality"]
for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    e = json.loads(line)
    out = []
    for f in fields:
        v = e.get(f)
        if f == "quantity" and isinstance(v, dict):
            v = "%s:%s%s%s%s" % (
                num(v["value"]), v.get("unit") or "",
                ":approx" if v.get("approx") else "",
                (":" + v["bound"]) if v.get("bound") else "",
                (":low=" + num(v["low"])) if v.get("low") is not None else "")
        elif isinstance(v, dict):
            v = v.get("text")
        out.append("-" if v is None else str(v))
    print("\t".join(out))
