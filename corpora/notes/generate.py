#!/usr/bin/env python3
"""Generates CRM-like deal notes of any size from the sample corpus.

  python3 corpora/notes/generate.py SIZE [--format jsonl|csv] [--seed N] > notes.jsonl

SIZE is in bytes (suffixes k, M, G: 100M). Each note takes a subject and one
to five sentences of the notes in deals.jsonl, recombined, with an owner and
a product: realistic words, realistic share of matching text, any volume.
The output is deterministic for a seed. Used by tests/shard.sh and to measure
`fivewhys analyze` throughput; the labels do not apply to generated notes.
"""

import argparse
import csv
import io
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def parse_size(text):
    m = re.fullmatch(r"(\d+)([kKmMgG]?)", text)
    if not m:
        raise SystemExit("generate.py: size must be a number of bytes, with k, M or G")
    scale = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9}[m.group(2).lower()]
    return int(m.group(1)) * scale


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("size")
    parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    target = parse_size(args.size)

    notes = [json.loads(line) for line in open(os.path.join(HERE, "deals.jsonl"), encoding="utf-8")]
    owners = sorted({n["OwnerName"] for n in notes})
    products = sorted({n["Product"] for n in notes})
    subjects = [n["Subject"] for n in notes]
    sentences = []
    for n in notes:
        for s in re.split(r"(?<=[.!?])\s+|\n", n["Body"]):
            if s.strip():
                sentences.append(s.strip())

    rng = random.Random(args.seed)
    out = sys.stdout
    written = 0
    number = 0
    if args.format == "csv":
        header = "Id,OwnerName,Product,Subject,Body\r\n"
        out.write(header)
        written += len(header)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    while written < target:
        number += 1
        body = " ".join(rng.choice(sentences) for _ in range(rng.randint(1, 5)))
        record = {
            "Id": "G%09d" % number,
            "OwnerName": rng.choice(owners),
            "Product": rng.choice(products),
            "Subject": rng.choice(subjects),
            "Body": body,
        }
        if args.format == "jsonl":
            line = json.dumps(record, ensure_ascii=False) + "\n"
        else:
            buf.seek(0)
            buf.truncate()
            writer.writerow(record.values())
            line = buf.getvalue()
        out.write(line)
        written += len(line.encode("utf-8"))


if __name__ == "__main__":
    main()
