#!/bin/sh
# report-cases.sh: `fivewhys report` through the real program.
#
# 1. Every case of tests/cases/report (README there): NAME.args are the
#    arguments, NAME.stdin (if any) standard input, and NAME.out, NAME.err,
#    NAME.status the exact expected standard output, standard error and exit
#    status.
# 2. Merging is exact, associative and commutative: the analyze records are
#    split in three, each part reported as a JSON partial, and the partials
#    merged in different groupings and orders (and mixed with raw records)
#    must give the bytes of the single run, in JSON, text and HTML.
# 3. The HTML page is well-formed (xmllint) and self-contained; the DOT map
#    parses with Graphviz (skipped without dot); --format svg works with dot
#    and says what is missing without it.
# 4. -o writes atomically: the file appears whole or not at all, exit 4 on
#    a write error.
#
# Give names (or parts of names) as arguments to run only those checks.
. "$(dirname "$0")/lib.sh"

cases=$TOP_SRCDIR/tests/cases/report
cd "$cases" || exit 99
nl='
'

# ---- 1. the cases ------------------------------------------------------------
for args_file in *.args; do
  name=${args_file%.args}
  fw_selected "$name" "$@" || continue
  args=$(cat "$args_file")
  if [ -f "$name.stdin" ]; then
    # shellcheck disable=SC2086 # the arguments are whitespace separated words
    fw_run report $args <"$name.stdin"
  else
    # shellcheck disable=SC2086
    fw_run report $args </dev/null
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
  if [ -z "$problems" ]; then fw_ok "$name"; else fw_fail "$name" "$problems"; fi
done

# ---- 2. merging -----------------------------------------------------------------
# report_to FILE [ARG...]: runs report, standard output to FILE; fails the
# check (returns 1) on a non-zero exit.
report_to () {
  out=$1
  shift
  timeout "$FW_TIMEOUT" "$FIVEWHYS" report "$@" >"$out" 2>"$FW_TMP/merge.err"
}

check_merge () {
  group=$1
  shift
  label=merge${group:+-grouped}
  fw_selected "$label" "$@" || return 0
  set -- ${group:+--group-field "$group"}
  dir=$FW_TMP/$label
  mkdir -p "$dir"
  # The damaged lines ride along: unreadable counts must merge exactly too.
  cat notes.jsonl damaged.jsonl >"$dir/all.jsonl"
  total=$(wc -l <"$dir/all.jsonl")
  third=$((total / 3))
  sed -n "1,${third}p" "$dir/all.jsonl" >"$dir/p1.jsonl"
  sed -n "$((third + 1)),$((2 * third))p" "$dir/all.jsonl" >"$dir/p2.jsonl"
  sed -n "$((2 * third + 1)),\$p" "$dir/all.jsonl" >"$dir/p3.jsonl"
  problems=""
  for format in json text html; do
    if ! report_to "$dir/single.$format" "$@" --format $format "$dir/all.jsonl"; then
      problems="$problems${problems:+$nl}single run failed: $(cat "$FW_TMP/merge.err")"
    fi
  done
  for p in p1 p2 p3; do
    report_to "$dir/$p.json" "$@" --format json "$dir/$p.jsonl" ||
      problems="$problems${problems:+$nl}$p failed: $(cat "$FW_TMP/merge.err")"
  done
  # (p1 + p2) + p3
  report_to "$dir/p12.json" "$@" --format json "$dir/p1.json" "$dir/p2.json" &&
    report_to "$dir/left.json" "$@" --format json "$dir/p12.json" "$dir/p3.json" ||
    problems="$problems${problems:+$nl}(p1+p2)+p3 failed: $(cat "$FW_TMP/merge.err")"
  # p1 + (p3 + p2), the inner pair in reverse order
  report_to "$dir/p32.json" "$@" --format json "$dir/p3.json" "$dir/p2.json" &&
    report_to "$dir/right.json" "$@" --format json "$dir/p1.json" "$dir/p32.json" ||
    problems="$problems${problems:+$nl}p1+(p3+p2) failed: $(cat "$FW_TMP/merge.err")"
  # all three at once from standard input, reversed, the reduce step of the README
  cat "$dir/p3.json" "$dir/p2.json" "$dir/p1.json" >"$dir/parts.json"
  timeout "$FW_TIMEOUT" "$FIVEWHYS" report "$@" --format json <"$dir/parts.json" >"$dir/stdin.json" 2>/dev/null ||
    problems="$problems${problems:+$nl}reduce from standard input failed"
  # partials and raw records mixed
  report_to "$dir/mixed.json" "$@" --format json "$dir/p2.json" "$dir/p3.jsonl" "$dir/p1.json" ||
    problems="$problems${problems:+$nl}mixed input failed: $(cat "$FW_TMP/merge.err")"
  for merged in left right stdin mixed; do
    if ! cmp -s "$dir/single.json" "$dir/$merged.json"; then
      problems="$problems${problems:+$nl}$merged.json differs from the single run:$nl$(diff "$dir/single.json" "$dir/$merged.json" | head -c 2000)"
    fi
  done
  for format in text html; do
    report_to "$dir/merged.$format" "$@" --format $format "$dir/left.json" ||
      problems="$problems${problems:+$nl}rendering $format from the partial failed"
    cmp -s "$dir/single.$format" "$dir/merged.$format" ||
      problems="$problems${problems:+$nl}$format of the merge differs:$nl$(diff -u "$dir/single.$format" "$dir/merged.$format" | head -c 2000)"
  done
  if [ -z "$problems" ]; then fw_ok "$label"; else fw_fail "$label" "$problems"; fi
}
check_merge "" "$@"
check_merge OwnerName "$@"

# ---- 3. HTML, DOT and SVG ------------------------------------------------------------
if fw_selected html "$@"; then
  fw_run report --format html --group-field OwnerName notes.jsonl damaged.jsonl </dev/null
  problems=""
  [ "$fw_status" -eq 0 ] || problems="exit status $fw_status: $(cat "$FW_TMP/stderr")"
  cp "$FW_TMP/stdout" "$FW_TMP/report.html"
  if command -v xmllint >/dev/null 2>&1; then
    xmllint --noout "$FW_TMP/report.html" 2>"$FW_TMP/xmllint" ||
      problems="$problems${problems:+$nl}not well-formed:$nl$(head -20 "$FW_TMP/xmllint")"
  else
    echo "# xmllint not installed: well-formedness not checked"
  fi
  if grep -n -i -E 'http|src=|<link|<script|@import|url\(' "$FW_TMP/report.html" >"$FW_TMP/external"; then
    problems="$problems${problems:+$nl}not self-contained:$nl$(head -5 "$FW_TMP/external")"
  fi
  grep -q '&lt;Eve &amp; &quot;Co&quot;&gt;' "$FW_TMP/report.html" ||
    problems="$problems${problems:+$nl}the group name <Eve & \"Co\"> is not escaped as expected"
  grep -q '<svg class="chart"' "$FW_TMP/report.html" || problems="$problems${problems:+$nl}no inline SVG chart"
  if [ -z "$problems" ]; then fw_ok html; else fw_fail html "$problems"; fi
fi

if fw_selected dot-parses "$@"; then
  if command -v dot >/dev/null 2>&1; then
    problems=""
    for args in "--format dot notes.jsonl" "--format dot --min-link 1 notes.jsonl damaged.jsonl" "--format dot empty.jsonl"; do
      # shellcheck disable=SC2086
      fw_run report $args </dev/null
      if ! dot -Tsvg "$FW_TMP/stdout" >/dev/null 2>"$FW_TMP/dot.err"; then
        problems="$problems${problems:+$nl}dot rejects the map of '$args': $(head -3 "$FW_TMP/dot.err")"
      fi
    done
    if [ -z "$problems" ]; then fw_ok dot-parses; else fw_fail dot-parses "$problems"; fi
  else
    echo "ok dot-parses # SKIP: Graphviz's dot is not installed"
  fi
fi

if fw_selected svg "$@"; then
  if command -v dot >/dev/null 2>&1; then
    fw_run report --format svg notes.jsonl </dev/null
    problems=""
    [ "$fw_status" -eq 0 ] || problems="exit status $fw_status: $(cat "$FW_TMP/stderr")"
    grep -q '<svg' "$FW_TMP/stdout" || problems="$problems${problems:+$nl}no <svg> in the output"
    if command -v xmllint >/dev/null 2>&1 && ! xmllint --noout "$FW_TMP/stdout" 2>/dev/null; then
      problems="$problems${problems:+$nl}the SVG is not well-formed"
    fi
    if [ -z "$problems" ]; then fw_ok svg; else fw_fail svg "$problems"; fi
  else
    echo "ok svg # SKIP: Graphviz's dot is not installed"
  fi
fi

if fw_selected svg-without-dot "$@"; then
  # A PATH without dot (the program is named by its full path).
  mkdir -p "$FW_TMP/no-dot"
  timeout=$(command -v timeout)
  PATH=$FW_TMP/no-dot "$timeout" "$FW_TIMEOUT" "$FIVEWHYS" report --format svg notes.jsonl \
    >"$FW_TMP/stdout" 2>"$FW_TMP/stderr" </dev/null
  status=$?
  problems=""
  [ "$status" -eq 4 ] || problems="exit status $status, expected 4"
  grep -q "needs the 'dot' program of Graphviz, which is not installed" "$FW_TMP/stderr" ||
    problems="$problems${problems:+$nl}no clear error: $(cat "$FW_TMP/stderr")"
  [ -s "$FW_TMP/stdout" ] && problems="$problems${problems:+$nl}printed on stdout"
  if [ -z "$problems" ]; then fw_ok svg-without-dot; else fw_fail svg-without-dot "$problems"; fi
fi

# ---- 4. -o ------------------------------------------------------------------------------
if fw_selected output-file "$@"; then
  problems=""
  out=$FW_TMP/out/report.json
  mkdir -p "$FW_TMP/out"
  fw_run report --format json -o "$out" notes.jsonl </dev/null
  [ "$fw_status" -eq 0 ] || problems="exit status $fw_status"
  [ -s "$FW_TMP/stdout" ] && problems="$problems${problems:+$nl}printed on stdout with -o"
  cmp -s "$out" json-ungrouped.out || problems="$problems${problems:+$nl}-o FILE differs from json-ungrouped.out"
  # the old file stays whole when the new one cannot be written
  fw_run report --format json -o "$FW_TMP/no-such-dir/report.json" notes.jsonl </dev/null
  [ "$fw_status" -eq 4 ] || problems="$problems${problems:+$nl}unwritable -o: exit status $fw_status, expected 4"
  [ -e "$FW_TMP/no-such-dir" ] && problems="$problems${problems:+$nl}unwritable -o left something behind"
  if [ "$(id -u)" -ne 0 ]; then
    chmod a-w "$FW_TMP/out"
    fw_run report --format text -o "$out" notes.jsonl </dev/null
    chmod u+w "$FW_TMP/out"
    [ "$fw_status" -eq 4 ] || problems="$problems${problems:+$nl}read-only folder: exit status $fw_status, expected 4"
    cmp -s "$out" json-ungrouped.out || problems="$problems${problems:+$nl}read-only folder: the old file changed"
    [ "$(ls "$FW_TMP/out")" = report.json ] || problems="$problems${problems:+$nl}read-only folder: temporary file left"
  fi
  if [ -w /dev/full ]; then
    fw_run report --format json -o /dev/full notes.jsonl </dev/null
    [ "$fw_status" -eq 4 ] || problems="$problems${problems:+$nl}-o /dev/full: exit status $fw_status, expected 4"
    timeout "$FW_TIMEOUT" "$FIVEWHYS" report notes.jsonl >/dev/full 2>/dev/null </dev/null
    status=$?
    [ "$status" -eq 4 ] || problems="$problems${problems:+$nl}stdout on /dev/full: exit status $status, expected 4"
  fi
  [ "$(ls "$FW_TMP/out")" = report.json ] || problems="$problems${problems:+$nl}stray files: $(ls "$FW_TMP/out")"
  if [ -z "$problems" ]; then fw_ok output-file; else fw_fail output-file "$problems"; fi
fi

fw_finish
