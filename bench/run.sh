#!/bin/sh
# bench/run.sh [SIZE]: fivewhys analyze against its baselines, on one
# generated corpus, in one run. Not a test: it prints figures and never fails
# on timing (it fails only when a step cannot run at all).
#
#   bench/run.sh            100 MB of CSV notes (SIZE: 10M, 200M, 1G; 10^6)
#   FORMAT=jsonl bench/run.sh 200M
#
# What it times, on the same file (generated once by bench/gen-notes.py into
# $BENCH_DATA, default ${TMPDIR:-/tmp}/fivewhys-bench, and reused):
#   cat        `cat FILE | cat >/dev/null`: what a pipe moves
#   jobs 1/2   `fivewhys analyze --jobs N FILE | cat >/dev/null`: the full
#              shipped rule library (the default rules), JSON Lines out
#   python-re  bench/py-baseline.py: every compiled pattern (from
#              `fivewhys analyze --dump-patterns`) on every note, on the
#              first PY_BYTES of the file (default 1000000)
#   ripgrep    `rg -i -f` with the same patterns rewritten for raw text
#              (bench/rg-patterns.py), on the first RG_BYTES (default 200000);
#              skipped when rg is not installed
# and then: peak memory (/usr/bin/time -v) of analyze --jobs 1 and 2 on
# 10 MB and on SIZE (and on 1 GB with BENCH_1G=1); rule-library load time
# and per-answer latency of ask (bench/fwbench.c, built here against the
# build tree's libfivewhys).
#
# Each timing is the best of REPEAT runs (default 3), in wall time and in CPU
# time (user + sys). On a machine shared with other work, CPU time is the
# steadier figure; with --jobs 2 only wall time shows the speed-up.
#
# Environment: FIVEWHYS (the program; default: the build tree's), FORMAT
# (csv or jsonl), REPEAT, PY_BYTES, RG_BYTES, BENCH_DATA, BENCH_1G.
set -eu

SIZE=${1:-100M}
FORMAT=${FORMAT:-csv}
REPEAT=${REPEAT:-3}
PY_BYTES=${PY_BYTES:-1000000}
RG_BYTES=${RG_BYTES:-200000}
TOP=$(cd "$(dirname "$0")/.." && pwd)
DATA=${BENCH_DATA:-${TMPDIR:-/tmp}/fivewhys-bench}
mkdir -p "$DATA"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fivewhys-bench-run.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM

# The program: the build tree's binary itself (not the libtool wrapper, so
# that /usr/bin/time measures fivewhys and nothing else).
if [ -z "${FIVEWHYS:-}" ]; then
  if [ -x "$TOP/src/.libs/fivewhys" ]; then
    FIVEWHYS="$TOP/src/.libs/fivewhys"
    LD_LIBRARY_PATH="$TOP/src/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    export LD_LIBRARY_PATH
  else
    FIVEWHYS="$TOP/src/fivewhys"
  fi
fi
[ -x "$FIVEWHYS" ] || { echo "run.sh: no fivewhys at $FIVEWHYS: build first (make)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "run.sh: needs GNU time (/usr/bin/time; Debian package time)" >&2; exit 1; }

corpus () { # corpus SIZE -> path of the generated file
  f="$DATA/notes-$1-seed1.$FORMAT"
  if [ ! -s "$f" ]; then
    python3 "$TOP/bench/gen-notes.py" --size "$1" --seed 1 --format "$FORMAT" -o "$f.tmp" >&2
    mv "$f.tmp" "$f"
  fi
  echo "$f"
}

# measure NAME CMD...: runs CMD REPEAT times under /usr/bin/time -v; keeps the
# best wall and CPU time and the largest peak RSS in $WORK/NAME.
measure () {
  name=$1; shift
  best_wall=; best_cpu=; peak=0
  i=0
  while [ "$i" -lt "$REPEAT" ]; do
    i=$((i + 1))
    /usr/bin/time -v -o "$WORK/time" "$@" > /dev/null 2> "$WORK/stderr" || {
      echo "run.sh: $name failed:" >&2; cat "$WORK/stderr" >&2; return 1; }
    set -- "$@"
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
                for (k = 1; k <= n; k++) s = s * 60 + t[k]; print s }' "$WORK/time")
    cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { print u + s }' "$WORK/time")
    rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/time")
    best_wall=$(echo "$best_wall $wall" | awk '{ print ($1 == "" || $2 < $1) ? $2 : $1 }')
    [ -z "$best_wall" ] && best_wall=$wall
    best_cpu=$(echo "${best_cpu:-x} $cpu" | awk '{ print ($1 == "x" || $2 < $1) ? $2 : $1 }')
    [ "$rss" -gt "$peak" ] && peak=$rss
    echo "  $name run $i: wall ${wall}s cpu ${cpu}s peak ${rss} KB" >&2
  done
  echo "$best_wall $best_cpu $peak" > "$WORK/$name"
}

# The pipe stages run under sh -c so that time sees the pipeline; for
# analyze, time wraps fivewhys alone (its RSS), and its output goes through
# a pipe as a real consumer's would.
analyze_cmd () { # analyze_cmd JOBS FILE
  echo "exec \"$FIVEWHYS\" analyze --jobs $1 \"$2\" | cat > /dev/null"
}

mbps () { # mbps BYTES SECONDS
  awk -v b="$1" -v s="$2" 'BEGIN { if (s <= 0) print "inf"; else if (b / 1e6 / s < 10) printf "%.3g", b / 1e6 / s;
                               else printf "%.1f", b / 1e6 / s }'
}

FILE=$(corpus "$SIZE")
BYTES=$(wc -c < "$FILE")

echo "== fivewhys bench: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) cores, $(lscpu | awk -F': *' '/^Model name/ { print $2; exit }'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "program: $FIVEWHYS ($("$FIVEWHYS" analyze --dump-patterns | wc -l) patterns)"
echo "corpus:  $FILE ($BYTES bytes, $FORMAT, $(grep -c '' "$FILE") lines)"
echo "command: bench/run.sh $SIZE (FORMAT=$FORMAT REPEAT=$REPEAT)"
echo

# ---- throughput ------------------------------------------------------------
measure cat sh -c "cat \"$FILE\" | cat > /dev/null"
# The pipeline's own RSS is cat's; for analyze it is fivewhys's: time runs
# "sh -c 'exec fivewhys ... | cat'", whose largest child is fivewhys.
measure jobs1 sh -c "$(analyze_cmd 1 "$FILE")"
measure jobs2 sh -c "$(analyze_cmd 2 "$FILE")"

"$FIVEWHYS" analyze --dump-patterns > "$WORK/patterns.jsonl"
head -c "$PY_BYTES" "$FILE" > "$WORK/py-sample.$FORMAT"
python3 "$TOP/bench/py-baseline.py" "$WORK/patterns.jsonl" "$WORK/py-sample.$FORMAT" --max-bytes "$PY_BYTES" \
  > "$WORK/python.out"
cat "$WORK/python.out" >&2

HAVE_RG=no
if command -v rg > /dev/null 2>&1; then
  HAVE_RG=yes
  python3 "$TOP/bench/rg-patterns.py" "$WORK/patterns.jsonl" > "$WORK/patterns.rg" 2> "$WORK/rg-patterns.err"
  head -c "$RG_BYTES" "$FILE" > "$WORK/rg-sample.$FORMAT"
  : > "$WORK/empty"
  REPEAT_SAVED=$REPEAT; REPEAT=1
  # rg exits 1 when nothing matches: not a failure here
  measure rg_compile sh -c "rg -i -f \"$WORK/patterns.rg\" \"$WORK/empty\" || true"
  measure rg sh -c "rg -i -f \"$WORK/patterns.rg\" \"$WORK/rg-sample.$FORMAT\" | cat > /dev/null || true"
  REPEAT=$REPEAT_SAVED
fi

read cat_wall cat_cpu cat_rss < "$WORK/cat"
read j1_wall j1_cpu j1_rss < "$WORK/jobs1"
read j2_wall j2_cpu j2_rss < "$WORK/jobs2"
py_wall_mbps=$(sed -n 's/.*wall [0-9.]* s = \([0-9.]*\) MB\/s.*/\1/p' "$WORK/python.out")
py_cpu_mbps=$(sed -n 's/.*cpu [0-9.]* s = \([0-9.]*\) MB\/s.*/\1/p' "$WORK/python.out")

echo "throughput on $BYTES bytes (best of $REPEAT; MB = 10^6 bytes):"
printf '  %-34s %10s %10s   %s\n' "" "wall MB/s" "cpu MB/s" "(wall s, cpu s)"
printf '  %-34s %10s %10s   (%s, %s)\n' "cat | cat (no-op pipe)" "$(mbps "$BYTES" "$cat_wall")" "$(mbps "$BYTES" "$cat_cpu")" "$cat_wall" "$cat_cpu"
printf '  %-34s %10s %10s   (%s, %s)\n' "fivewhys analyze --jobs 1" "$(mbps "$BYTES" "$j1_wall")" "$(mbps "$BYTES" "$j1_cpu")" "$j1_wall" "$j1_cpu"
printf '  %-34s %10s %10s   (%s, %s)\n' "fivewhys analyze --jobs 2" "$(mbps "$BYTES" "$j2_wall")" "$(mbps "$BYTES" "$j2_cpu")" "$j2_wall" "$j2_cpu"
printf '  %-34s %10s %10s   (first %s bytes)\n' "python re, every pattern" "$py_wall_mbps" "$py_cpu_mbps" "$PY_BYTES"
if [ "$HAVE_RG" = yes ]; then
  read rg_wall rg_cpu rg_rss < "$WORK/rg"
  read rgc_wall rgc_cpu rgc_rss < "$WORK/rg_compile"
  RG_SAMPLE=$(wc -c < "$WORK/rg-sample.$FORMAT")
  printf '  %-34s %10s %10s   (first %s bytes; %s s cpu of it compiling; peak %s KB)\n' "ripgrep -i -f, same patterns" \
    "$(mbps "$RG_SAMPLE" "$rg_wall")" "$(mbps "$RG_SAMPLE" "$rg_cpu")" "$RG_SAMPLE" "$rgc_cpu" "$rg_rss"
  sed 's/^/  /' "$WORK/rg-patterns.err"
else
  echo "  ripgrep: not installed, skipped"
fi
j1w=$(mbps "$BYTES" "$j1_wall"); j1c=$(mbps "$BYTES" "$j1_cpu"); j2w=$(mbps "$BYTES" "$j2_wall")
echo "ratios:"
echo "  jobs 2 / jobs 1 (wall):            $(awk -v a="$j2w" -v b="$j1w" 'BEGIN { printf "%.2fx", a / b }')"
echo "  jobs 1 / python re (cpu):          $(awk -v a="$j1c" -v b="$py_cpu_mbps" 'BEGIN { printf "%.0fx", a / b }')"
echo "  jobs 1 / python re (wall):         $(awk -v a="$j1w" -v b="$py_wall_mbps" 'BEGIN { printf "%.0fx", a / b }')"
if [ "$HAVE_RG" = yes ]; then
  echo "  jobs 1 / ripgrep (cpu):            $(awk -v a="$j1c" -v b="$(mbps "$RG_SAMPLE" "$rg_cpu")" 'BEGIN { printf "%.0fx", a / b }')"
fi
echo "  cat / jobs 1 (wall):               $(awk -v a="$(mbps "$BYTES" "$cat_wall")" -v b="$j1w" 'BEGIN { printf "%.1fx", a / b }')"
echo

# ---- memory -----------------------------------------------------------------
echo "peak memory of fivewhys analyze (maximum resident set size, /usr/bin/time -v):"
SIZES="10M $SIZE"
[ "${BENCH_1G:-}" = 1 ] && SIZES="$SIZES 1G"
REPEAT_SAVED=$REPEAT; REPEAT=1
for s in $(echo "$SIZES" | tr ' ' '\n' | awk '!seen[$0]++'); do
  f=$(corpus "$s")
  for j in 1 2; do
    if [ "$s" = "$SIZE" ]; then
      read w c rss < "$WORK/jobs$j"
    else
      measure "mem$j" sh -c "$(analyze_cmd "$j" "$f")"
      read w c rss < "$WORK/mem$j"
    fi
    printf '  %-6s --jobs %s: %6d KB  (%s MB/s wall)\n' "$s" "$j" "$rss" "$(mbps "$(wc -c < "$f")" "$w")"
  done
done
REPEAT=$REPEAT_SAVED
echo

# ---- load time and ask latency ------------------------------------------------
CC=${CC:-cc}
if $CC -O2 -o "$WORK/fwbench" "$TOP/bench/fwbench.c" -I"$TOP/src/lib" $(pkg-config --cflags --libs glib-2.0) \
     -L"$TOP/src/lib/.libs" -lfivewhys -Wl,-rpath,"$TOP/src/lib/.libs" 2> "$WORK/cc.err"; then
  echo "rule library (the default: $TOP/rules):"
  (cd "$TOP" && "$WORK/fwbench" load --repeat 5 "$TOP/rules") | sed 's/^/  /'
  measure startup sh -c "exec \"$FIVEWHYS\" analyze --jobs 1 < /dev/null"
  read w c rss < "$WORK/startup"
  echo "  fivewhys analyze on empty input (exec, load, compile, exit): best wall ${w}s, cpu ${c}s"
  (cd "$TOP" && "$WORK/fwbench" ask --answers 10000 "$TOP/rules") | sed 's/^/  /'
else
  echo "fwbench did not build (load time and ask latency skipped):"; sed 's/^/  /' "$WORK/cc.err"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
