#!/usr/bin/env python3
"""Generate data/actors/countries.actors (tumen dictionary format, TDF 1).

Reads Debian's iso-codes ISO 3166-1 table (/usr/share/iso-codes/json/iso_3166-1.json,
package `iso-codes`) for the list of countries, their alpha-3 codes and official names, and
merges in the hand-written supplement tools/countries_extra.tsv (short names, adjectives,
demonyms, capitals, major cities, non-ISO and historical states, seats of government).

CAMEO country codes are ISO 3166-1 alpha-3; the supplement's @code rows list the exceptions
(none are needed with current iso-codes; Kosovo, which has no ISO code, is added as KSV).

The output is deterministic: blocks sorted by CAMEO code, phrases in supplement order, and
a phrase is emitted once. A phrase claimed by two different codes is an error.

Usage:
  tools/gen_countries.py                 write data/actors/countries.actors
  tools/gen_countries.py --check         exit 1 if the committed file differs from a fresh run
  tools/gen_countries.py --iso FILE --extra FILE --out FILE
"""
import argparse
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ISO_JSON = "/usr/share/iso-codes/json/iso_3166-1.json"
EXTRA = os.path.join(HERE, "countries_extra.tsv")
OUT = os.path.join(ROOT, "data", "actors", "countries.actors")

CODE_RE = re.compile(r"^[A-Z0-9]{3}(?:[A-Z0-9]{3})*$")


def fold(s):
    """The matching key of a phrase: NFKC, case fold, accents stripped (as tumen does)."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = unicodedata.normalize("NFKC", s).casefold()
    s = s.replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(s.split())


def to_phrase(name):
    """Writes a name in dictionary form: hyphens, "'s" and brackets split off as tokens."""
    s = name.replace("\u2019", "'").replace("\u2018", "'")
    s = re.sub(r"(?<=\w)-(?=\w)", " - ", s)
    s = re.sub(r"(?<=\w)'s\b", " 's", s)
    s = re.sub(r"(?<=\w)([,;:()/])", r" \1", s)
    return " ".join(s.split())


def iso_names(entry):
    """Usable names of an ISO entry: inverted ("Korea, Republic of") and bracketed names are
    skipped, a leading "the" is dropped."""
    out = []
    for key in ("common_name", "name", "official_name"):
        n = entry.get(key)
        if not n or "," in n or "(" in n:
            continue
        if n.lower().startswith("the "):
            n = n[4:]
        out.append(n)
    return out


def split_list(field):
    field = field.strip()
    if field in ("", "-"):
        return []
    items = []
    for p in field.split(" ; "):
        p = p.strip()
        if not p or p == "-":
            continue
        if p.endswith("+s"):
            base = p[:-2]
            items += [base, base + "s"]
        else:
            items.append(p)
    return items


def load_extra(path):
    codes, drops, adds, rows = {}, set(), [], {}
    with open(path, encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cols = line.split("\t")
            where = f"{path}:{ln}"
            if cols[0] == "@code":
                codes[cols[1]] = cols[2]
            elif cols[0] == "@drop":
                drops.add((cols[1], fold(cols[2])))
            elif cols[0] == "@add":
                if not CODE_RE.match(cols[1]):
                    sys.exit(f"{where}: bad code {cols[1]!r}")
                adds.append((cols[1], split_list(cols[2]), where))
            else:
                if len(cols) != 5:
                    sys.exit(f"{where}: expected 5 tab-separated columns, got {len(cols)}")
                iso = cols[0]
                if iso in rows:
                    sys.exit(f"{where}: {iso} listed twice")
                rows[iso] = {
                    "names": split_list(cols[1]),
                    "forms": split_list(cols[2]),
                    "capital": split_list(cols[3]),
                    "cities": split_list(cols[4]),
                    "where": where,
                }
    return codes, drops, adds, rows


def generate(iso_path, extra_path):
    with open(iso_path, encoding="utf-8") as f:
        iso = json.load(f)["3166-1"]
    codes, drops, adds, rows = load_extra(extra_path)

    owner = {}   # folded phrase -> code
    blocks = {}  # country code -> list of (comment, code, phrases)
    titles = {}

    def emit(block, code, phrases, comment, where):
        kept = []
        for p in phrases:
            p = to_phrase(p)
            key = fold(p)
            if not key:
                continue
            if key in owner:
                if owner[key] != code:
                    sys.exit(f"{where}: phrase {p!r} given to {code} and {owner[key]}")
                continue
            owner[key] = code
            kept.append(p)
        if kept:
            blocks.setdefault(block, []).append((comment, code, kept))

    iso_codes = set()
    for e in sorted(iso, key=lambda e: e["alpha_3"]):
        a3 = e["alpha_3"]
        iso_codes.add(a3)
        code = codes.get(a3, a3)
        titles[code] = f"{e.get('common_name') or e['name']} (ISO 3166-1 {a3})"
        row = rows.get(a3, {"names": [], "forms": [], "capital": [], "cities": [], "where": iso_path})
        names = [n for n in row["names"]] + [n for n in iso_names(e) if (a3, fold(n)) not in drops]
        where = row["where"]
        emit(code, code, names, "names", where)
        emit(code, code, row["forms"], "adjectives and demonyms", where)
        emit(code, code, row["capital"], "capital: the government's metonym, bare code", where)
        emit(code, code, row["cities"], "major cities and regions", where)
    for a3 in rows:
        if a3 not in iso_codes:
            sys.exit(f"{rows[a3]['where']}: {a3} is not an ISO 3166-1 alpha-3 code")

    for code, phrases, where in adds:
        block = code[:3]
        if block not in titles:
            titles[block] = "not in ISO 3166-1 (historical or disputed)"
        if code == block:
            comment = "other and historical names"
        else:
            comment = "institutions and seats of government"
        emit(block, code, phrases, comment, where)

    out = [
        "# tumen country actors (TDF 1). GENERATED by tools/gen_countries.py from Debian",
        "# iso-codes (ISO 3166-1) and tools/countries_extra.tsv. Do not edit: edit the",
        "# supplement and rerun `python3 tools/gen_countries.py`.",
        "# Codes: CAMEO country codes (ISO 3166-1 alpha-3; KSV Kosovo). A capital used for",
        "# its government is coded as the bare country (CONVENTIONS 4).",
        "",
    ]
    for block in sorted(blocks):
        out.append(f"# ---- {block}: {titles.get(block, '')}")
        for comment, code, phrases in blocks[block]:
            out.append(f"# {comment}")
            out.append(f"{code} : " + " ; ".join(phrases))
        out.append("")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--iso", default=ISO_JSON)
    ap.add_argument("--extra", default=EXTRA)
    ap.add_argument("--out", default=OUT)
    ap.add_argument("--check", action="store_true",
                    help="compare with --out instead of writing it")
    a = ap.parse_args()
    text = generate(a.iso, a.extra)
    if a.check:
        try:
            with open(a.out, encoding="utf-8") as f:
                old = f.read()
        except OSError:
            old = None
        if old != text:
            print(f"{a.out} is stale: rerun tools/gen_countries.py", file=sys.stderr)
            return 1
        return 0
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
