#!/usr/bin/env python3
"""The Python `re` baseline: every compiled pattern on every note, the simple way.

  bench/py-baseline.py PATTERNS.jsonl NOTES.csv|NOTES.jsonl [--max-bytes N]

PATTERNS.jsonl is what `fivewhys analyze --dump-patterns` prints. The script
reads the first N bytes of the notes file (default 2000000; whole records
only), and for every note:

  - normalizes the text the simple way: lower case, clauses cut at . ! ? ; :
    ( ) [ ] and line breaks, words (\\w+ with inner apostrophes) written as
    " word" and every clause ended by "\\n", the shape fivewhys matches its
    phrase patterns against;
  - runs every phrase pattern with re.search over that text, and every raw
    regex over the original text (re.IGNORECASE), and counts the patterns
    that matched.

Phrase patterns are the PCRE2 sources fivewhys compiled, with one change:
the word end "(?=[ \\n])" becomes "[^ \\n]*(?=[ \\n])", so that a stem
matches any word it begins ("mortgag" matches "mortgages"), because this
script does not stem. It does no Snowball stemming, no contractions, no
typo correction, no negation, no scoring, no chain building and writes no
output but the figures: it does less work than fivewhys per note, so the
ratio it gives is a lower bound. It runs on one core.

Prints one line: bytes, notes, matches, and MB/s in wall and in CPU time.
"""

import argparse
import csv
import io
import json
import re
import sys
import time

TEXT_NAMES = ["body", "note", "notes", "description", "comments", "comment", "text", "content", "details",
              "summary", "message", "notebody", "notetext"]

CLAUSE = re.compile(r"[.!?;:()\[\]\n\r]+")
WORD = re.compile(r"\w+(?:'\w+)*")


def normalize(text):
    out = []
    for clause in CLAUSE.split(text.lower()):
        words = WORD.findall(clause)
        if words:
            out.append(" " + " ".join(words) + "\n")
    return "".join(out)


def load_patterns(path):
    phrase, raw, skipped = [], [], 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = json.loads(line)
            try:
                if p["raw"]:
                    raw.append(re.compile(p["regex"], re.IGNORECASE))
                else:
                    phrase.append(re.compile(p["regex"].replace("(?=[ \\n])", "[^ \\n]*(?=[ \\n])")))
            except re.error:
                skipped += 1
    return phrase, raw, skipped


def text_field(names):
    lowered = [n.lower() for n in names]
    for candidate in TEXT_NAMES:
        if candidate in lowered:
            return names[lowered.index(candidate)]
    raise SystemExit("py-baseline.py: no text column among %s" % names)


def notes(data, jsonl):
    """The note texts of @data, all but a last record that may be cut."""
    text = data.decode("utf-8", errors="replace")
    if jsonl:
        lines = text.split("\n")[:-1]
        key = None
        for line in lines:
            obj = json.loads(line)
            if key is None:
                key = text_field(list(obj.keys()))
            yield str(obj.get(key, ""))
        return
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    column = rows[0].index(text_field(rows[0]))
    for row in rows[1:-1]:
        if column < len(row):
            yield row[column]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("patterns")
    parser.add_argument("notes")
    parser.add_argument("--max-bytes", type=int, default=2000000)
    args = parser.parse_args()

    phrase, raw, skipped = load_patterns(args.patterns)
    with open(args.notes, "rb") as f:
        data = f.read(args.max_bytes)
    jsonl = args.notes.endswith(".jsonl") or args.notes.endswith(".ndjson")

    start = time.perf_counter()
    cpu_start = time.process_time()
    n_notes = 0
    matched = 0
    for text in notes(data, jsonl):
        n_notes += 1
        norm = normalize(text)
        for p in phrase:
            if p.search(norm):
                matched += 1
        for p in raw:
            if p.search(text):
                matched += 1
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    print("python-re: %d bytes, %d notes, %d phrase + %d raw patterns (%d skipped), %d matches; "
          "wall %.2f s = %.3f MB/s, cpu %.2f s = %.3f MB/s"
          % (len(data), n_notes, len(phrase), len(raw), skipped, matched, seconds, len(data) / 1e6 / seconds,
             cpu, len(data) / 1e6 / cpu))


if __name__ == "__main__":
    main()
