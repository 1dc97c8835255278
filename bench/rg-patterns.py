#!/usr/bin/env python3
"""The compiled patterns as ripgrep patterns over the original text.

  bench/rg-patterns.py PATTERNS.jsonl > patterns.rg

PATTERNS.jsonl is what `fivewhys analyze --dump-patterns` prints. Phrase
patterns are PCRE2 sources over fivewhys's normalized text, where every word
is " stem" followed by a space or a clause end; this rewrites them, mechanically,
for text as written: the space before a word becomes \\W*\\b, the word end
(?=[ \\n]) becomes \\w* (a stem matches any word it begins: ripgrep does not
stem), and a gap word [^ \\n]+ becomes \\w+. Raw regexes are kept as they are.
Then \\b, \\w, \\W, \\d and \\s are made their ASCII forms ((?-u:\\b)...):
Unicode word boundaries keep ripgrep's regex engine off its fast DFA, and
with thousands of patterns the Unicode classes blow its size limits.
One pattern a line, for `rg -i -f`. A raw regex that ripgrep's default
engine cannot run (look-around, back-references) is left out and counted on
standard error.
"""
import json
import re
import sys

UNSUPPORTED = re.compile(r"\(\?<?[=!]|\\[1-9]")


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: rg-patterns.py PATTERNS.jsonl")
    out = []
    dropped = 0
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            p = json.loads(line)
            regex = p["regex"]
            if not p["raw"]:
                regex = regex.replace("[^ \\n]+", "\\w+").replace("(?=[ \\n])", "\\w*").replace(" ", "\\W*\\b")
            elif UNSUPPORTED.search(regex):
                dropped += 1
                continue
            regex = re.sub(r"(?<!\\)((?:\\\\)*)\\([bwWdsS])", r"\1(?-u:\\\2)", regex)
            out.append(regex)
    sys.stdout.write("\n".join(out) + "\n")
    print("rg-patterns.py: %d patterns, %d raw regexes left out (look-around or back-references)"
          % (len(out), dropped), file=sys.stderr)


if __name__ == "__main__":
    main()
