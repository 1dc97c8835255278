#!/bin/sh
# analyze-cases.sh: `fivewhys analyze` through the real program.
#
# 1. Every case of tests/cases/analyze (README there): NAME.args are the
#    arguments, NAME.stdin (if any) standard input, and NAME.out, NAME.err,
#    NAME.status the exact expected standard output, standard error and exit
#    status: JSON Lines and CSV out, an error record between good ones, CRLF
#    and a byte order mark, --keep, several inputs, plain text, usage errors.
# 2. The same export with CRLF and a byte order mark, and with LF: the same
#    bytes out.
# 3. --jobs 1, 2 and 5 write the same bytes, on the sample corpus and on a
#    generated one many batches long.
# 4. -o writes atomically: the file appears whole, no temporary file is left,
#    and on an error (exit 4) the file named keeps its old content.
# 5. A full disk (/dev/full) exits 4 with a message; a closed pipe (| head)
#    ends quietly with exit 0.
# 6. Every output line is JSON, the CSV output reads back (RFC 4180) to the
#    same records, and the totals hold: read == ok + errors.
# 7. The labeled sample corpus (corpora/notes) with the shipped rules: need
#    and motivation right for at least 75% of the notes, the need alone for
#    90%, the depth within one for 85%. The figures are printed either way.
# 8. --dump-patterns, what a rule author reads: one JSON object a line, every
#    <pattern> and <regex> of the rules exactly once, at the file and line
#    where it is written, with its owner, language and text as written (the
#    case rules and the shipped ones, which have raw regexes and non-answers).
#
# Give names (or parts of names) as arguments to run only those checks.
. "$(dirname "$0")/lib.sh"

cases=$TOP_SRCDIR/tests/cases/analyze
corpus=$TOP_SRCDIR/corpora/notes
rules="-r $TOP_SRCDIR/rules"
nl='
'
have_python=false
command -v python3 >/dev/null 2>&1 && have_python=true

# analyze_to FILE [ARG...]: runs analyze, standard output to FILE, standard
# error to FILE.err; returns its exit status.
analyze_to () {
  out=$1
  shift
  timeout "$FW_TIMEOUT" "$FIVEWHYS" analyze "$@" >"$out" 2>"$out.err"
}

# ---- 1. the cases ------------------------------------------------------------
cd "$cases" || exit 99
for args_file in *.args; do
  name=${args_file%.args}
  fw_selected "$name" "$@" || continue
  args=$(cat "$args_file")
  if [ -f "$name.stdin" ]; then
    # shellcheck disable=SC2086 # the arguments are whitespace separated words
    fw_run analyze $args <"$name.stdin"
  else
    # shellcheck disable=SC2086
    fw_run analyze $args </dev/null
  fi
  problems=""
  want_status=$(cat "$name.status")
  if [ "$fw_status" -eq 124 ]; then
    problems="timed out after ${FW_TIMEOUT}s"
  elif [ "$fw_status" != "$want_status" ]; then
    problems="exit status $fw_status, expected $want_status"
  fi
  for stream in out err; do
    actual=$FW_TMP/stdout
    [ $stream = err ] && actual=$FW_TMP/stderr
    if ! diff -u "$name.$stream" "$actual" >"$FW_TMP/diff" 2>&1; then
      problems="$problems${problems:+$nl}std$stream differs from $name.$stream:$nl$(head -c 4000 "$FW_TMP/diff")"
    fi
  done
  if [ -z "$problems" ]; then fw_ok "$name"; else fw_fail "$name" "fivewhys analyze $args" "$problems"; fi
done

# ---- 2. CRLF and a byte order mark --------------------------------------------
if fw_selected crlf-bom "$@"; then
  analyze_to "$FW_TMP/crlf" -r rules notes.csv
  analyze_to "$FW_TMP/lf" -r rules notes-lf.csv
  if cmp -s "$FW_TMP/crlf" "$FW_TMP/lf" && [ -s "$FW_TMP/crlf" ]; then
    fw_ok crlf-bom
  else
    fw_fail crlf-bom "notes.csv (BOM, CRLF) and notes-lf.csv give different output" \
      "$(diff "$FW_TMP/crlf" "$FW_TMP/lf" | head -20)"
  fi
fi

# ---- 3. --jobs writes the same bytes -----------------------------------------------
generated=$FW_TMP/generated.jsonl
if $have_python; then
  python3 "$corpus/generate.py" 1500k --seed 7 >"$generated"
else
  cat "$corpus/deals.jsonl" "$corpus/deals.jsonl" "$corpus/deals.jsonl" >"$generated"
fi
for input in deals.jsonl generated.jsonl; do
  name=jobs-$input
  fw_selected "$name" "$@" || continue
  file=$corpus/$input
  [ "$input" = generated.jsonl ] && file=$generated
  # shellcheck disable=SC2086
  analyze_to "$FW_TMP/j1" $rules --jobs 1 --keep OwnerName "$file"
  status1=$?
  problems=""
  for jobs in 2 5; do
    # shellcheck disable=SC2086
    analyze_to "$FW_TMP/j$jobs" $rules --jobs $jobs --keep OwnerName "$file"
    if [ $? -ne "$status1" ] || ! cmp -s "$FW_TMP/j1" "$FW_TMP/j$jobs"; then
      problems="$problems${problems:+$nl}--jobs $jobs differs from --jobs 1: $(cmp "$FW_TMP/j1" "$FW_TMP/j$jobs" 2>&1)"
    fi
  done
  lines=$(wc -l <"$FW_TMP/j1")
  [ "$status1" -eq 0 ] && [ "$lines" -gt 100 ] || problems="$problems${problems:+$nl}--jobs 1 exited $status1 with $lines lines: $(cat "$FW_TMP/j1.err")"
  if [ -z "$problems" ]; then fw_ok "$name"; else fw_fail "$name" "$problems"; fi
done

# ---- 4. -o is atomic ---------------------------------------------------------------
if fw_selected output-atomic "$@"; then
  problems=""
  out_dir=$FW_TMP/out
  mkdir -p "$out_dir"
  analyze_to "$FW_TMP/stdout-run" -r rules notes.jsonl
  analyze_to "$FW_TMP/o-run" -r rules -o "$out_dir/result.jsonl" notes.jsonl
  status=$?
  [ $status -eq 0 ] || problems="-o exited $status: $(cat "$FW_TMP/o-run.err")"
  [ -s "$FW_TMP/o-run" ] && problems="$problems${problems:+$nl}-o also wrote to standard output"
  cmp -s "$out_dir/result.jsonl" "$FW_TMP/stdout-run" ||
    problems="$problems${problems:+$nl}-o FILE differs from standard output"
  # An input that fails half way (a folder cannot be read): exit 4, the old
  # file stays as it was, and no temporary file is left behind.
  echo "old content" >"$out_dir/result.jsonl"
  analyze_to "$FW_TMP/o-fail" -r rules -o "$out_dir/result.jsonl" notes.jsonl "$out_dir"
  status=$?
  [ $status -eq 4 ] || problems="$problems${problems:+$nl}a read error exited $status, expected 4"
  [ "$(cat "$out_dir/result.jsonl")" = "old content" ] ||
    problems="$problems${problems:+$nl}a failed run replaced the file"
  leftovers=$(find "$out_dir" -name '.result.jsonl.*')
  [ -z "$leftovers" ] || problems="$problems${problems:+$nl}temporary files left: $leftovers"
  analyze_to "$FW_TMP/o-nodir" -r rules -o "$out_dir/no/such/folder.jsonl" notes.jsonl
  status=$?
  [ $status -eq 4 ] && grep -q "no/such/folder.jsonl" "$FW_TMP/o-nodir.err" ||
    problems="$problems${problems:+$nl}-o into a missing folder: exit $status, $(cat "$FW_TMP/o-nodir.err")"
  if [ -z "$problems" ]; then fw_ok output-atomic; else fw_fail output-atomic "$problems"; fi
fi

# ---- 5. a full disk, a closed pipe --------------------------------------------------
if fw_selected dev-full "$@"; then
  problems=""
  if [ -w /dev/full ]; then
    timeout "$FW_TIMEOUT" "$FIVEWHYS" analyze -r rules notes.jsonl >/dev/full 2>"$FW_TMP/full.err"
    status=$?
    [ $status -eq 4 ] || problems="standard output on /dev/full: exit $status, expected 4"
    grep -q "cannot write standard output: No space left on device" "$FW_TMP/full.err" ||
      problems="$problems${problems:+$nl}no clear message: $(cat "$FW_TMP/full.err")"
    analyze_to "$FW_TMP/full-o" -r rules -o /dev/full notes.jsonl
    status=$?
    [ $status -eq 4 ] || problems="$problems${problems:+$nl}-o /dev/full: exit $status, expected 4"
    if [ -z "$problems" ]; then fw_ok dev-full; else fw_fail dev-full "$problems"; fi
  else
    echo "skip dev-full: no writable /dev/full"
  fi
fi
if fw_selected closed-pipe "$@"; then
  # shellcheck disable=SC2086
  status=$( ( timeout "$FW_TIMEOUT" "$FIVEWHYS" analyze $rules --jobs 2 "$generated" 2>"$FW_TMP/pipe.err"; echo $? >"$FW_TMP/pipe.status" ) | head -n 1 >/dev/null; cat "$FW_TMP/pipe.status")
  if [ "$status" -eq 0 ] && [ ! -s "$FW_TMP/pipe.err" ]; then
    fw_ok closed-pipe
  else
    fw_fail closed-pipe "analyze | head -n 1: exit $status, stderr: $(cat "$FW_TMP/pipe.err")"
  fi
fi

# ---- 6. the output reads back ------------------------------------------------------
if fw_selected readable "$@"; then
  if $have_python; then
    # shellcheck disable=SC2086
    analyze_to "$FW_TMP/r.jsonl" $rules --keep OwnerName --text-field Subject --text-field Body "$corpus/deals.csv"
    # shellcheck disable=SC2086
    analyze_to "$FW_TMP/r.csv" $rules --format csv --keep OwnerName --text-field Subject --text-field Body "$corpus/deals.csv"
    if python3 - "$FW_TMP/r.jsonl" "$FW_TMP/r.csv" "$FW_TMP/r.jsonl.err" >"$FW_TMP/readable" 2>&1 <<'EOF'
import csv, json, re, sys
records = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
rows = list(csv.reader(open(sys.argv[2], encoding="utf-8", newline="")))
assert rows[0] == ["id", "record", "need", "depth", "motivation", "chain", "flags", "status", "error", "OwnerName"], rows[0]
assert len(rows) - 1 == len(records), "%d CSV rows, %d JSON records" % (len(rows) - 1, len(records))
for row, r in zip(rows[1:], records):
    want = [r["id"], str(r["record"]), r["need"] or "", str(r["depth"]), r["motivation"] or "",
            ">".join(link["rung"] for link in r["chain"]), ";".join(r["flags"]), r["status"], r["error"] or "",
            r["fields"]["OwnerName"]]
    assert row == want, "CSV %r != JSON %r" % (row, want)
    assert r["depth"] == len(r["chain"]), r
    assert [i for i in range(len(records)) if records[i] is r] == [r["record"] - 1], r
m = re.search(r"(\d+) records read, (\d+) ok, (\d+) errors", open(sys.argv[3]).read())
assert m and int(m.group(1)) == len(records) == int(m.group(2)) + int(m.group(3)), m
print(len(records), "records")
EOF
    then fw_ok readable; else fw_fail readable "$(cat "$FW_TMP/readable")"; fi
  else
    echo "skip readable: no python3"
  fi
fi

# ---- 7. the labeled corpus ----------------------------------------------------------
for input in deals.csv deals.jsonl; do
  name=labels-$input
  fw_selected "$name" "$@" || continue
  if ! $have_python; then
    echo "skip $name: no python3"
    continue
  fi
  # shellcheck disable=SC2086
  analyze_to "$FW_TMP/labels" $rules --text-field Subject --text-field Body "$corpus/$input"
  status=$?
  if [ $status -ne 0 ]; then
    fw_fail "$name" "exit $status: $(cat "$FW_TMP/labels.err")"
    continue
  fi
  if python3 - "$corpus/labels.jsonl" "$FW_TMP/labels" >"$FW_TMP/score" 2>&1 <<'EOF'
import json, sys
labels = {}
for line in open(sys.argv[1], encoding="utf-8"):
    label = json.loads(line)
    labels[label["id"]] = label
n = need = both = depth_near = depth_exact = 0
for line in open(sys.argv[2], encoding="utf-8"):
    r = json.loads(line)
    label = labels[r["id"]]
    n += 1
    need += r["need"] == label["need"]
    both += r["need"] == label["need"] and r["motivation"] == label["motivation"]
    depth_exact += r["depth"] == label["depth"]
    depth_near += abs(r["depth"] - label["depth"]) <= 1
assert n == len(labels), "%d records for %d labels" % (n, len(labels))
pct = lambda k: 100.0 * k / n
print("%d notes: need+motivation %.1f%%, need %.1f%%, depth exact %.1f%%, depth within 1 %.1f%%"
      % (n, pct(both), pct(need), pct(depth_exact), pct(depth_near)))
sys.exit(0 if pct(both) >= 85 and pct(need) >= 95 and pct(depth_near) >= 85 else 1)
EOF
  then
    echo "    $(cat "$FW_TMP/score")"
    fw_ok "$name"
  else
    fw_fail "$name" "$(cat "$FW_TMP/score")" "thresholds: need+motivation 85%, need 95%, depth within 1 85%"
  fi
done

# ---- 7b. the notes of other authors ---------------------------------------------------
# corpora/notes/heldout.csv (NoteId, Owner, Product, Title, Description) and
# heldout2.csv (a Salesforce-style activity export) and heldout3.csv (HubSpot), read with the default
# fields and scored against their labels. Each was written by someone who saw
# no rule; the misses of the first two have since guided general changes
# (corpora/README.md; heldout3 is untouched),
# so the thresholds sit below their scores to catch regressions, not to
# claim them.
for set in heldout:80:90 heldout2:70:90 heldout3:50:80; do
name=labels-${set%%:*}
min_both=$(echo "$set" | cut -d: -f2)
min_need=$(echo "$set" | cut -d: -f3)
if fw_selected "$name" "$@"; then
  if ! $have_python; then
    echo "skip $name: no python3"
  else
    # shellcheck disable=SC2086
    analyze_to "$FW_TMP/heldout" $rules "$corpus/${name#labels-}.csv"
    status=$?
    if [ $status -ne 0 ]; then
      fw_fail "$name" "exit $status: $(cat "$FW_TMP/heldout.err")"
    elif python3 - "$corpus/${name#labels-}-labels.jsonl" "$FW_TMP/heldout" "$min_both" "$min_need" >"$FW_TMP/score" 2>&1 <<'EOF2'
import json, sys
labels = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
records = [json.loads(line) for line in open(sys.argv[2], encoding="utf-8")]
assert [r["id"] for r in records] == [l["id"] for l in labels], "records out of order or missing"
n = len(labels)
need = sum(r["need"] == l["need"] for r, l in zip(records, labels))
both = sum(r["need"] == l["need"] and r["motivation"] == l["motivation"] for r, l in zip(records, labels))
print("%d notes: need+motivation %.1f%%, need %.1f%%" % (n, 100.0 * both / n, 100.0 * need / n))
sys.exit(0 if 100.0 * both / n >= float(sys.argv[3]) and 100.0 * need / n >= float(sys.argv[4]) else 1)
EOF2
    then
      echo "    $(cat "$FW_TMP/score")"
      fw_ok "$name"
    else
      fw_fail "$name" "$(cat "$FW_TMP/score")" "thresholds: need+motivation $min_both%, need $min_need%"
    fi
  fi
fi
done

# ---- 8. --dump-patterns ------------------------------------------------------------
# The expected patterns come from the rule files themselves (read with expat,
# which knows the line of each element), not from a copy of the dump: what is
# checked is that the dump points at the right place, whatever the regexes
# compile to.
cd "$cases" || exit 99
for set in case-rules shipped-rules; do
  name=dump-patterns-$set
  fw_selected "$name" "$@" || continue
  if ! $have_python; then
    echo "skip $name: no python3"
    continue
  fi
  dir=rules
  [ $set = shipped-rules ] && dir=$TOP_SRCDIR/rules
  fw_run analyze --dump-patterns -r "$dir" </dev/null
  if [ "$fw_status" -ne 0 ] || [ -s "$FW_TMP/stderr" ]; then
    fw_fail "$name" "fivewhys analyze --dump-patterns -r $dir: exit status $fw_status" \
      "$(head -c 2000 "$FW_TMP/stderr")"
    continue
  fi
  if python3 - "$dir" "$FW_TMP/stdout" >"$FW_TMP/dump-check" 2>&1 <<'EOF'
import json, os, sys
import xml.parsers.expat

# Every <pattern> and <regex> of the rulesets and motivations under
# sys.argv[1] (not the question classes and personas of practice, which are
# not in the library): (file, line) -> what the dump must say about it.
OWNERS = ("rung", "motivation", "need", "nonanswer")
expected = {}
for top, dirs, files in os.walk(sys.argv[1]):
    dirs.sort()
    for f in sorted(files):
        if not f.endswith(".xml"):
            continue
        path = os.path.join(top, f)
        parser = xml.parsers.expat.ParserCreate()
        stack, text = [], []
        def start(tag, attrs):
            stack.append((tag, attrs, parser.CurrentLineNumber))
            text.clear()
        def chars(data):
            text.append(data)
        def end(tag):
            _, attrs, line = stack.pop()
            if tag not in ("pattern", "regex") or stack[0][0] not in ("ruleset", "motivations"):
                return
            owner = next(t for t, _, _ in reversed(stack) if t in OWNERS)
            if owner == "need":
                of = stack[0][1]["id"]
            elif owner == "nonanswer":
                of = None
            else:
                of = next(a["id"] for t, a, _ in reversed(stack) if t == owner)
            assert (path, line) not in expected, "two patterns on %s:%d" % (path, line)
            expected[(path, line)] = {"owner": owner, "of": of, "lang": stack[0][1]["lang"],
                                      "raw": tag == "regex", "source": "".join(text).strip()}
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = chars
        with open(path, "rb") as fh:
            parser.ParseFile(fh)

KEYS = {"index", "lang", "owner", "of", "raw", "source", "regex", "file", "line"}
seen = set()
n = 0
problems = []
for n, text in enumerate(open(sys.argv[2], encoding="utf-8"), 1):
    p = json.loads(text)
    where = "line %d of the dump" % n
    if set(p) != KEYS:
        problems.append("%s: keys %s" % (where, sorted(p)))
        continue
    if p["index"] != n - 1:
        problems.append("%s: index %r" % (where, p["index"]))
    at = (p["file"], p["line"])
    want = expected.get(at)
    if want is None:
        problems.append("%s: %s:%s holds no pattern" % (where, p["file"], p["line"]))
        continue
    if at in seen:
        problems.append("%s: %s:%s dumped twice" % (where, p["file"], p["line"]))
    seen.add(at)
    got = {k: p[k] for k in want}
    if got != want:
        problems.append("%s: %s:%s is %r, the rules say %r" % (where, p["file"], p["line"], got, want))
    if not isinstance(p["regex"], str) or not p["regex"]:
        problems.append("%s: no regex" % where)
    elif p["raw"] and p["regex"] != p["source"]:
        problems.append("%s: the raw regex %r is not the one written, %r" % (where, p["regex"], p["source"]))
for at in sorted(set(expected) - seen):
    problems.append("%s:%d: not in the dump" % at)
kinds = {(w["owner"], w["raw"]) for w in expected.values()}
print("%d patterns; %d files; owners and raw: %s" % (n, len({f for f, _ in expected}), sorted(kinds)))
print("\n".join(problems[:20]))
sys.exit(1 if problems or n == 0 else 0)
EOF
  then
    echo "    $(head -1 "$FW_TMP/dump-check")"
    fw_ok "$name"
  else
    fw_fail "$name" "fivewhys analyze --dump-patterns -r $dir" "$(head -c 4000 "$FW_TMP/dump-check")"
  fi
done

fw_finish
