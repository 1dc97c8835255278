#!/bin/sh
# shard.sh: `fivewhys analyze` as the map step and `fivewhys report` as the
# reduce step of a map/reduce, on one machine, as README.md ("Past one
# machine") runs them on many:
#
# 1. split: a notes corpus (JSON Lines, a generated one) is cut into four
#    shards with `split -n l/4`; each shard is analyzed on its own, numbered
#    from where it starts (--first-record), and the concatenation must equal
#    the single run byte for byte.
# 2. parallel-n: the same through GNU parallel --pipe -k with a fixed number
#    of records per job (-N), each job numbering from {#}: byte for byte
#    again. Skipped when GNU parallel is not installed.
# 3. parallel-block: GNU parallel --pipe -k --block SIZE, the usual way for
#    big inputs: a block ends at any line, so record numbers restart in every
#    block; the records must equal the single run's in everything else
#    ("record" left out), in order.
# 4. reduce: each shard's records reported as a JSON partial
#    (`report --format json`), the partials merged by one `report`, must
#    equal the report of the single run, in JSON and in text.
#
# Give names (or parts of names) as arguments to run only those checks.
. "$(dirname "$0")/lib.sh"

corpus=$TOP_SRCDIR/corpora/notes
rules="-r $TOP_SRCDIR/rules"
input=$FW_TMP/notes.jsonl
if command -v python3 >/dev/null 2>&1; then
  python3 "$corpus/generate.py" 2M --seed 11 >"$input"
else
  for i in 1 2 3 4 5 6 7 8; do cat "$corpus/deals.jsonl"; done >"$input"
fi
n_records=$(wc -l <"$input")

# map OUT [ARG...]: analyze standard input into OUT (what every shard runs).
map () {
  out=$1
  shift
  # shellcheck disable=SC2086 # $rules is two words
  timeout "$FW_TIMEOUT" "$FIVEWHYS" analyze $rules --keep OwnerName --keep Product "$@" >"$out" 2>>"$FW_TMP/map.err"
}

map "$FW_TMP/single.jsonl" <"$input"
if [ $? -ne 0 ] || [ "$(wc -l <"$FW_TMP/single.jsonl")" -ne "$n_records" ]; then
  fw_fail single-run "analyze of $n_records records failed: $(cat "$FW_TMP/map.err")"
  fw_finish
fi

# ---- 1. split -n l/4 ----------------------------------------------------------
shards=$FW_TMP/shards
mkdir -p "$shards"
if fw_selected split "$@"; then
  (cd "$shards" && split -n l/4 "$input" shard-)
  first=1
  problems=""
  : >"$FW_TMP/split.jsonl"
  for shard in "$shards"/shard-*; do
    map "$shard.out" --first-record "$first" <"$shard" || problems="analyze failed on $shard: $(cat "$FW_TMP/map.err")"
    cat "$shard.out" >>"$FW_TMP/split.jsonl"
    first=$((first + $(wc -l <"$shard")))
  done
  if [ -z "$problems" ] && cmp -s "$FW_TMP/split.jsonl" "$FW_TMP/single.jsonl"; then
    fw_ok split
  else
    fw_fail split "$problems" "the four shards concatenated differ from the single run:" \
      "$(cmp "$FW_TMP/split.jsonl" "$FW_TMP/single.jsonl" 2>&1)"
  fi
fi

# ---- 2. and 3. GNU parallel --pipe ---------------------------------------------
if parallel --version 2>/dev/null | grep -q "GNU parallel"; then
  per_job=700
  if fw_selected parallel-n "$@"; then
    # shellcheck disable=SC2016 # {#} and $(( )) are for the shell parallel starts
    parallel --will-cite --pipe -k -N $per_job -j 4 \
      "\"$FIVEWHYS\" analyze $rules --keep OwnerName --keep Product --jobs 1 --first-record \$(( ({#} - 1) * $per_job + 1 ))" \
      <"$input" >"$FW_TMP/parallel-n.jsonl" 2>"$FW_TMP/parallel-n.err"
    if cmp -s "$FW_TMP/parallel-n.jsonl" "$FW_TMP/single.jsonl"; then
      fw_ok parallel-n
    else
      fw_fail parallel-n "parallel --pipe -k -N $per_job differs from the single run:" \
        "$(cmp "$FW_TMP/parallel-n.jsonl" "$FW_TMP/single.jsonl" 2>&1)" "$(head -c 2000 "$FW_TMP/parallel-n.err")"
    fi
  fi
  if fw_selected parallel-block "$@"; then
    parallel --will-cite --pipe -k --block 300k -j 4 \
      "\"$FIVEWHYS\" analyze $rules --keep OwnerName --keep Product --jobs 1" \
      <"$input" >"$FW_TMP/parallel-block.jsonl" 2>"$FW_TMP/parallel-block.err"
    sed 's/"record":[0-9]*,//' "$FW_TMP/parallel-block.jsonl" >"$FW_TMP/pb-norecord"
    sed 's/"record":[0-9]*,//' "$FW_TMP/single.jsonl" >"$FW_TMP/single-norecord"
    blocks=$(grep -c '"record":1,' "$FW_TMP/parallel-block.jsonl")
    if cmp -s "$FW_TMP/pb-norecord" "$FW_TMP/single-norecord" && [ "$blocks" -gt 1 ]; then
      fw_ok parallel-block
    else
      fw_fail parallel-block "parallel --pipe -k --block 300k ($blocks blocks) differs from the single run beyond record numbers:" \
        "$(cmp "$FW_TMP/pb-norecord" "$FW_TMP/single-norecord" 2>&1)" "$(head -c 2000 "$FW_TMP/parallel-block.err")"
    fi
  fi
else
  echo "skip parallel-n, parallel-block: GNU parallel is not installed"
fi

# ---- 4. reduce: report partials merge to the single report ------------------------
if fw_selected reduce "$@"; then
  problems=""
  report () {
    timeout "$FW_TIMEOUT" "$FIVEWHYS" report --group-field OwnerName "$@" 2>>"$FW_TMP/report.err"
  }
  [ -f "$shards/shard-aa.out" ] || (cd "$shards" && split -n l/4 "$input" shard- &&
    for shard in shard-a?; do map "$shard.out" <"$shard"; done)
  for out in "$shards"/shard-*.out; do
    report --format json "$out" >"$out.partial" || problems="report failed on $out: $(cat "$FW_TMP/report.err")"
  done
  for format in json text; do
    report --format $format "$FW_TMP/single.jsonl" >"$FW_TMP/single.$format"
    # Partials merge in any grouping: all four at once, and two pairs.
    report --format $format "$shards"/shard-*.out.partial >"$FW_TMP/merged.$format"
    report --format json "$shards/shard-aa.out.partial" "$shards/shard-ab.out.partial" >"$FW_TMP/left.json"
    report --format json "$shards/shard-ac.out.partial" "$shards/shard-ad.out.partial" >"$FW_TMP/right.json"
    report --format $format "$FW_TMP/right.json" "$FW_TMP/left.json" >"$FW_TMP/pairs.$format"
    cmp -s "$FW_TMP/merged.$format" "$FW_TMP/single.$format" ||
      problems="$problems${problems:+
}$format: merged partials differ from the single report: $(diff "$FW_TMP/single.$format" "$FW_TMP/merged.$format" | head -20)"
    cmp -s "$FW_TMP/pairs.$format" "$FW_TMP/single.$format" ||
      problems="$problems${problems:+
}$format: partials merged in pairs differ from the single report"
  done
  if [ -z "$problems" ] && [ -s "$FW_TMP/single.json" ]; then fw_ok reduce; else fw_fail reduce "$problems"; fi
fi

fw_finish
