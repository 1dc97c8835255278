#!/bin/sh
# scaling.sh: does any input cost more than linear time? For each kind of
# pathological note (one huge clause of negated matches, a million-letter
# word, punctuation only, contractions, invalid UTF-8, distinct words that
# churn the stem cache, typos, CJK text...) it times `fivewhys analyze` on a
# note of N bytes and one of 4N, less the time to start and load the rules,
# and prints the ratio: about 4 is linear, about 16 quadratic. Answers are
# timed the same way through `ask`, up to the answer limit (64 KiB). A
# benchmark, not a test: it prints figures and never fails on them.
#
#   bench/scaling.sh                 # N = 4 MB (4N stays under the 16 MiB note limit)
#   SCALING_BYTES=1000000 bench/scaling.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
program=${FIVEWHYS:-$top/src/fivewhys}
rules="-r $top/rules"
n=${SCALING_BYTES:-4000000}
work=$(mktemp -d "${TMPDIR:-/tmp}/fivewhys-scaling.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT

# seconds of user plus system time a command takes (best of 3)
cost () {
  best=""
  for _ in 1 2 3; do
    /usr/bin/time -f '%U %S' -o "$work/time" "$@" >/dev/null 2>&1
    t=$(tail -n 1 "$work/time" | awk '{ print $1 + $2 }')
    if [ -z "$best" ] || awk "BEGIN { exit !($t < $best) }"; then best=$t; fi
  done
  echo "$best"
}

# unit NAME TEXT: a note of $1 bytes made of TEXT repeated
repeat () {
  awk -v unit="$2" -v n="$1" 'BEGIN { while (len < n) { printf "%s", unit; len += length(unit) } }'
}

baseline=$(printf 'nothing\n' >"$work/empty.txt"; cost "$program" analyze --jobs 1 --input-format text $rules "$work/empty.txt")
printf '%-14s %12s %12s %7s\n' "note" "N s" "4N s" "ratio"
while IFS='|' read -r name unit; do
  [ -n "$name" ] || continue
  repeat "$n" "$unit" >"$work/small.txt"
  repeat $((4 * n)) "$unit" >"$work/big.txt"
  small=$(cost "$program" analyze --jobs 1 --input-format text $rules "$work/small.txt")
  big=$(cost "$program" analyze --jobs 1 --input-format text $rules "$work/big.txt")
  awk -v name="$name" -v s="$small" -v b="$big" -v base="$baseline" 'BEGIN {
    s -= base; b -= base; if (s < 0.001) s = 0.001; if (b < 0) b = 0
    printf "%-14s %12.3f %12.3f %7.1f\n", name, s, b, b / s }'
done <<'EOF'
huge-clause|we need the money to buy a house for the kids because family matters and rate price security peace of mind not really about the money but deal 
negations|not never no none not 
clauses|not about the money. 
long-word|aaaaaaaaaaaaaaaa
punctuation|!?.;:,-
contractions|don't won't shouldn't've y'all 
invalid-utf8|caf\351 \377\376 
distinct|w1 w22 w333 w4444 q5 x66 y777 z8888 
typos|moeny mortage hosue famly 
cjk|中文的句子，没有空格
EOF

# answers, up to the limit of 64 KiB: 200 answers of 16 KiB, then of 64 KiB,
# in one session that never stalls
printf '\n%-14s %12s %12s %7s\n' "answers" "16 KiB s" "64 KiB s" "ratio"
printf 'x\n' >"$work/none.txt"
base_ask=$(cost "$program" ask --need mortgage --json --max-misses 1000 --answers "$work/none.txt" $rules)
# (answers that match nothing, so that the session goes on through all 200)
for unit in "it is not about the price but " "aaaaaaaa" "don't can't " "well, um, "; do
  : >"$work/small.txt"
  : >"$work/big.txt"
  for _ in $(seq 200); do
    repeat 16000 "$unit" >>"$work/small.txt"
    printf '\n' >>"$work/small.txt"
    repeat 64000 "$unit" >>"$work/big.txt"
    printf '\n' >>"$work/big.txt"
  done
  small=$(cost "$program" ask --need mortgage --json --max-misses 1000 --answers "$work/small.txt" $rules)
  big=$(cost "$program" ask --need mortgage --json --max-misses 1000 --answers "$work/big.txt" $rules)
  awk -v name="$(echo "$unit" | cut -c1-14)" -v s="$small" -v b="$big" -v base="$base_ask" 'BEGIN {
    s -= base; b -= base; if (s < 0.001) s = 0.001; if (b < 0) b = 0
    printf "%-14s %12.3f %12.3f %7.1f\n", name, s, b, b / s }'
done
