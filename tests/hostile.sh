#!/bin/sh
# hostile.sh: broken, huge and malicious rule files, notes and answers, each
# through the real program with the exact error it must give, under a time
# limit of $HOSTILE_TIMEOUT seconds (10 by default). tests/cases/hostile/README
# describes the cases; give names (or parts of names) as arguments to run only
# those:
#
#   tests/hostile.sh                 # every case
#   tests/hostile.sh billion nested  # the cases whose name holds either
#
# Big inputs (100k-deep XML, a 10 MB attribute, 10,000 rungs, a 10 MB note, a
# 10 MB answer) are made at test time in $FW_TMP, never committed.
# HOSTILE_SMALL=1 leaves them out (valgrind.sh does, since they would take
# minutes there).
FW_TIMEOUT=${HOSTILE_TIMEOUT:-10}
. "$(dirname "$0")/lib.sh"

cases=$TOP_SRCDIR/tests/cases/hostile
motivations=$TOP_SRCDIR/rules/motivations.xml
# the secret a local-file entity would paste in: it must never be printed
secret=$(cat "$cases/rules/secret.txt")
small=${HOSTILE_SMALL:-0}
nl='
'

# ---- helpers ---------------------------------------------------------------

# problem TEXT: adds a line to what is wrong with the current case.
problem () {
  problems="$problems${problems:+$nl}$1"
}

# no_secret: the local file never shows up in anything printed.
no_secret () {
  if grep -qF -e "$secret" "$FW_TMP/stdout" "$FW_TMP/stderr"; then
    problem "the content of secret.txt was printed"
  fi
}

# verdict NAME COMMAND: records the case as passed or failed.
verdict () {
  if [ -z "$problems" ]; then
    fw_ok "$1"
  else
    fw_fail "$1" "$2" "$problems"
  fi
}

# valid_utf8 FILE: whether FILE is valid UTF-8 throughout.
valid_utf8 () {
  iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1
}

# ---- rules -----------------------------------------------------------------
# Each rule case is checked three ways: `check` must exit 1 with exactly
# rules/NAME.err on stderr; `ask` and `analyze` must refuse to start (exit 3)
# with the first error line of NAME.err first (they print no warnings). Nothing may print secret.txt.

rules=$FW_TMP/rules
mkdir -p "$rules"
cp -R "$cases/rules/." "$rules/"
if [ "$small" != 1 ]; then
  # 100,000 nested elements, on one line
  {
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<ruleset id="deep" lang="en" title="Deep">\n'
    awk 'BEGIN { for (i = 0; i < 100000; i++) printf "<rung>"; printf "\n" }'
  } >"$rules/deep-nesting.xml"
  # a 10 MB attribute: over the size limit of a rule file
  {
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<ruleset id="bike" lang="en" title="'
    head -c 10485760 /dev/zero | tr '\0' x
    printf '">\n</ruleset>\n'
  } >"$rules/huge-attribute.xml"
  # a 3 MB attribute: within the file limit, over the limit of a text
  {
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<ruleset id="bike" lang="en" title="'
    head -c 3145728 /dev/zero | tr '\0' x
    printf '">\n  <need><pattern>bike</pattern></need>\n</ruleset>\n'
  } >"$rules/long-attribute.xml"
  # 10,000 rungs, each with a pattern, an example and a question
  awk 'BEGIN {
    print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    print "<ruleset id=\"many\" lang=\"en\" title=\"Many\">"
    print "  <need><pattern>bike</pattern></need>"
    print "  <ask>Why do you want a bike?</ask>"
    for (i = 0; i < 10000; i++)
      printf "  <rung id=\"r%d\" level=\"function\" label=\"R%d\"><pattern>word%d</pattern><example>word%d</example><ask>Why %d?</ask><motivation ref=\"health\"/></rung>\n", i, i, i, i, i
    print "</ruleset>"
  }' >"$rules/many-rungs.xml"
fi

# a FIFO with a rule file's name: reading it would block for ever
mkfifo "$rules/fifo.xml" 2>/dev/null

cd "$rules" || exit 99
for err_file in *.err; do
  name=${err_file%.err}
  fw_selected "$name" "$@" || continue
  case $name in
    deep-nesting | huge-attribute | long-attribute | many-rungs) [ "$small" = 1 ] && continue ;;
  esac
  case $name in
    missing) target=missing.xml ;;
    device) target=/dev/zero ;; # a device that never ends
    *) if [ -d "$name" ]; then target=$name; else target=$name.xml; fi ;;
  esac
  [ "$name" = fifo ] && [ ! -p fifo.xml ] && continue

  problems=""
  fw_run check "$motivations" "$target" </dev/null
  if [ "$fw_status" -eq 124 ]; then
    problem "timed out after ${FW_TIMEOUT}s"
  elif [ "$fw_status" -ne 1 ]; then
    problem "exit status $fw_status, expected 1"
  fi
  if ! diff -u "$err_file" "$FW_TMP/stderr" >"$FW_TMP/diff" 2>&1; then
    problem "stderr differs from rules/$err_file:$nl$(head -c 3000 "$FW_TMP/diff")"
  fi
  [ -s "$FW_TMP/stdout" ] && problem "printed on stdout: $(head -c 300 "$FW_TMP/stdout")"
  no_secret
  verdict "rules/$name: check" "fivewhys check motivations.xml $target"

  first_error=$(grep -m 1 ': error: ' "$err_file")
  for command in ask analyze; do
    problems=""
    if [ "$command" = ask ]; then
      fw_run ask --need bike -r "$motivations" -r "$target" </dev/null
    else
      fw_run analyze -r "$motivations" -r "$target" </dev/null
    fi
    if [ "$fw_status" -eq 124 ]; then
      problem "timed out after ${FW_TIMEOUT}s"
    elif [ "$fw_status" -ne 3 ]; then
      problem "exit status $fw_status, expected 3 (rules could not be loaded)"
    fi
    if [ "$(head -n 1 "$FW_TMP/stderr")" != "$first_error" ]; then
      problem "stderr does not start with: $first_error$nl$(head -c 1000 "$FW_TMP/stderr")"
    fi
    [ -s "$FW_TMP/stdout" ] && problem "printed on stdout: $(head -c 300 "$FW_TMP/stdout")"
    no_secret
    verdict "rules/$name: $command" "fivewhys $command -r motivations.xml -r $target"
  done
done

# ---- notes -----------------------------------------------------------------
# `analyze` over each notes/NAME.{csv,jsonl,txt}: notes/NAME.want says what
# must come out (see the README): the records, in order, as "ID<tab>ok" or
# "ID<tab>error<tab>MESSAGE", or "exit N" and "stderr LINE" when the input is
# refused as a whole. Records in must equal records out, ok + error, always:
# the input's records are counted from the .want file, which a person wrote,
# not from what the program says.

notes=$FW_TMP/notes
mkdir -p "$notes"
cp "$cases/notes/"* "$notes/"
tab=$(printf '\t')
if [ "$small" != 1 ]; then
  # a 10 MB note on one line, in CSV and in JSON Lines
  words='we need the money so the kids have their own rooms, not really about the price '
  {
    printf 'Id,Body\n1,"'
    yes "$words" | tr -d '\n' | head -c 10485760
    printf '"\n2,a short note after it\n'
  } >"$notes/huge-note.csv"
  printf "1${tab}ok\n2${tab}ok\n" >"$notes/huge-note.want"
  {
    printf '{"Id":"1","Body":"'
    yes "$words" | tr -d '\n' | head -c 10485760
    printf '"}\n{"Id":"2","Body":"a short note after it"}\n'
  } >"$notes/huge-note.jsonl"
  cp "$notes/huge-note.want" "$notes/huge-note-jsonl.want"
  mv "$notes/huge-note.jsonl" "$notes/huge-note-jsonl.jsonl"
  # a note over the 16 MiB record limit, between two good ones
  {
    printf 'Id,Body\n1,first\n2,"'
    yes "$words" | tr -d '\n' | head -c 17825792
    printf '"\n3,last\n'
  } >"$notes/too-long-note.csv"
  printf "1${tab}ok\n2${tab}error${tab}line 3: record exceeds 16 MiB\n3${tab}ok\n" >"$notes/too-long-note.want"
  # 4 MB of one clause (no full stop) where patterns with a !word match and
  # are negated again and again: linear work, not a clause walk per match
  {
    printf 'Id,Body\n1,"'
    awk 'BEGIN {
      split("we need the money to buy a house for the kids because family matters and rate price security peace of mind not really about the money but deal", w, " ")
      for (i = n = 0; n < 4194304; i++) { s = w[(i * 7) % 29 + 1] " "; printf "%s", s; n += length(s) }
    }'
    printf '"\n'
  } >"$notes/huge-clause.csv"
  printf "1${tab}ok\n" >"$notes/huge-clause.want"
  # 100,000 nested arrays on the second line of a JSON Lines file
  {
    printf '{"Id":"1","Body":"fine"}\n{"Id":"2","Body":'
    awk 'BEGIN { for (i = 0; i < 100000; i++) printf "["; printf "\n" }'
    printf '{"Id":"3","Body":"fine too"}\n'
  } >"$notes/deeply-nested.jsonl"
  printf "1${tab}ok\n2${tab}error${tab}line 2: json nested deeper than 64 levels\n3${tab}ok\n" \
    >"$notes/deeply-nested.want"
fi

cd "$notes" || exit 99
for want in *.want; do
  name=${want%.want}
  fw_selected "$name" "$@" || continue
  input=$(ls "$name".csv "$name".jsonl "$name".txt 2>/dev/null | head -n 1)
  [ -n "$input" ] || { fw_fail "notes/$name" "no input file for $want"; continue; }

  problems=""
  fw_run analyze -r "$motivations" -r "$TOP_SRCDIR/rules/home-loan.xml" "$input" </dev/null
  if [ "$fw_status" -eq 124 ]; then
    problem "timed out after ${FW_TIMEOUT}s"
  fi
  want_exit=$(sed -n 's/^exit //p' "$want")
  if [ -n "$want_exit" ]; then
    # the input is refused as a whole
    [ "$fw_status" = "$want_exit" ] || problem "exit status $fw_status, expected $want_exit"
    sed -n 's/^stderr //p' "$want" >"$FW_TMP/want-stderr"
    if ! diff -u "$FW_TMP/want-stderr" "$FW_TMP/stderr" >"$FW_TMP/diff" 2>&1; then
      problem "stderr differs:$nl$(cat "$FW_TMP/diff")"
    fi
    [ -s "$FW_TMP/stdout" ] && problem "printed records for a refused input"
    verdict "notes/$name" "fivewhys analyze $input"
    continue
  fi

  [ "$fw_status" = 0 ] || [ "$fw_status" = 124 ] || problem "exit status $fw_status, expected 0"
  grep -v '^#' "$want" >"$FW_TMP/want-records"
  records_in=$(wc -l <"$FW_TMP/want-records" | tr -d ' ')
  ok_in=$(grep -c "${tab}ok\$" "$FW_TMP/want-records")
  errors_in=$((records_in - ok_in))
  # one line per record: id, status and error, as the .want file has them
  sed -e 's/^{"id":"\(\([^"\\]\|\\.\)*\)",.*"status":"\([a-z]*\)","error":\(null\|"\(\([^"\\]\|\\.\)*\)"\).*$/\1\t\3\t\5/' \
    -e 's/\tok\t$/\tok/' "$FW_TMP/stdout" >"$FW_TMP/got-records"
  if ! diff -u "$FW_TMP/want-records" "$FW_TMP/got-records" >"$FW_TMP/diff" 2>&1; then
    problem "records differ from notes/$want:$nl$(head -c 3000 "$FW_TMP/diff")"
  fi
  records_out=$(wc -l <"$FW_TMP/stdout" | tr -d ' ')
  [ "$records_out" = "$records_in" ] || problem "$records_in records in, $records_out out"
  summary="fivewhys: analyze: $records_in records read, $ok_in ok, $errors_in errors"
  if [ "$(cat "$FW_TMP/stderr")" != "$summary" ]; then
    problem "stderr is not just: $summary$nl$(head -c 1000 "$FW_TMP/stderr")"
  fi
  valid_utf8 "$FW_TMP/stdout" || problem "the output is not valid UTF-8"
  verdict "notes/$name" "fivewhys analyze $input"
done

# ---- answers ---------------------------------------------------------------
# `ask --need mortgage --json --answers answers/NAME.txt`: answers/NAME.want
# holds "exit N", the session's "status S" when it runs, and "stderr LINE"
# for each line it must print on stderr (none when there are none).

answers=$FW_TMP/answers
mkdir -p "$answers"
cp "$cases/answers/"* "$answers/"
if [ "$small" != 1 ]; then
  {
    printf 'we need the money\n'
    yes 'for the kids and their future ' | tr -d '\n' | head -c 10485760
    printf '\n'
  } >"$answers/huge-answer.txt"
  printf 'exit 4\nstderr fivewhys: ask: huge-answer.txt:2: the line is longer than the limit of 65536 bytes for an answer\n' \
    >"$answers/huge-answer.want"
fi

cd "$answers" || exit 99
for want in *.want; do
  name=${want%.want}
  fw_selected "$name" "$@" || continue
  problems=""
  input=$name.txt
  [ "$name" = device ] && input=/dev/zero # NUL bytes without end, and no line break
  fw_run ask --need mortgage --json --answers "$input" -r "$motivations" -r "$TOP_SRCDIR/rules/home-loan.xml" </dev/null
  want_exit=$(sed -n 's/^exit //p' "$want")
  if [ "$fw_status" -eq 124 ]; then
    problem "timed out after ${FW_TIMEOUT}s"
  elif [ "$fw_status" != "$want_exit" ]; then
    problem "exit status $fw_status, expected $want_exit"
  fi
  sed -n 's/^stderr //p' "$want" >"$FW_TMP/want-stderr"
  if ! diff -u "$FW_TMP/want-stderr" "$FW_TMP/stderr" >"$FW_TMP/diff" 2>&1; then
    problem "stderr differs:$nl$(head -c 2000 "$FW_TMP/diff")"
  fi
  want_status=$(sed -n 's/^status //p' "$want")
  if [ -n "$want_status" ]; then
    grep -q "^{\"need\":\"home-loan\",.*\"status\":\"$want_status\"" "$FW_TMP/stdout" ||
      problem "the session is not '$want_status': $(head -c 300 "$FW_TMP/stdout")"
    [ "$(wc -l <"$FW_TMP/stdout" | tr -d ' ')" = 1 ] || problem "not one line of JSON on stdout"
    valid_utf8 "$FW_TMP/stdout" || problem "the output is not valid UTF-8"
  else
    [ -s "$FW_TMP/stdout" ] && problem "printed on stdout: $(head -c 300 "$FW_TMP/stdout")"
  fi
  verdict "answers/$name" "fivewhys ask --need mortgage --json --answers $input"
done

fw_finish
