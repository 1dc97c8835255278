#!/bin/sh
# practice-cases.sh: runs every case of tests/cases/practice through the real
# program and compares what it prints with what the case expects.
# tests/cases/practice/README describes a case; give names (or parts of
# names) as arguments to run only those.
. "$(dirname "$0")/lib.sh"

cases=$TOP_SRCDIR/tests/cases/practice
# Cases name their files relative to their folder, so that the paths in the
# expected messages are the same wherever the tree is.
cd "$cases" || exit 99
# Wrapped text must not depend on the terminal of whoever runs the suite.
COLUMNS=80
export COLUMNS

nl='
'
for status_file in *.status; do
  name=${status_file%.status}
  fw_selected "$name" "$@" || continue
  args=$(cat "$name.args")
  input=/dev/null
  [ -f "$name.questions" ] && input=$name.questions
  # shellcheck disable=SC2086 # the arguments are whitespace separated words
  fw_run $args <"$input"
  problems=""
  want_status=$(cat "$status_file")
  if [ "$fw_status" -eq 124 ]; then
    problems="timed out after ${FW_TIMEOUT}s"
  elif [ "$fw_status" != "$want_status" ]; then
    problems="exit status $fw_status, expected $want_status"
  fi
  want_out=/dev/null
  [ -f "$name.out" ] && want_out=$name.out
  if ! diff -u "$want_out" "$FW_TMP/stdout" >"$FW_TMP/diff" 2>&1; then
    problems="$problems${problems:+$nl}stdout differs from $want_out:$nl$(cat "$FW_TMP/diff")"
  fi
  want_err=/dev/null
  [ -f "$name.err" ] && want_err=$name.err
  if ! diff -u "$want_err" "$FW_TMP/stderr" >"$FW_TMP/diff" 2>&1; then
    problems="$problems${problems:+$nl}stderr differs from $want_err:$nl$(cat "$FW_TMP/diff")"
  fi
  # The same seed and questions must give the same call, byte for byte.
  cp "$FW_TMP/stdout" "$FW_TMP/first"
  # shellcheck disable=SC2086
  fw_run $args <"$input"
  if ! cmp -s "$FW_TMP/first" "$FW_TMP/stdout"; then
    problems="$problems${problems:+$nl}a second run printed something else:$nl$(diff -u "$FW_TMP/first" "$FW_TMP/stdout" | head -40)"
  fi
  if [ -z "$problems" ]; then
    fw_ok "$name"
  else
    fw_fail "$name" "fivewhys $args" "$problems"
  fi
done
# Persona and question files loaded with the rules change nothing for
# `ask`: the same answers give the same session with or without them.
name=ask-ignores-practice-files
if fw_selected "$name" "$@"; then
  printf 'They need money.\nThey wish to make a purchase.\nThey want to progress in life.\nThey want to provide for their family.\nThey care for, love, and want the best for their family.\n' >"$FW_TMP/answers"
  rules="-r ../../../rules/motivations.xml -r ../../../rules/home-loan.xml"
  # shellcheck disable=SC2086
  fw_run ask $rules --need mortgage --json <"$FW_TMP/answers"
  cp "$FW_TMP/stdout" "$FW_TMP/without"
  without_status=$fw_status
  # shellcheck disable=SC2086
  fw_run ask $rules -r ../../../rules/questions.xml -r ../../../rules/personas --need mortgage --json <"$FW_TMP/answers"
  if [ "$fw_status" -ne 0 ] || [ "$without_status" -ne 0 ]; then
    fw_fail "$name" "exit status $without_status without the practice files, $fw_status with them" "$(cat "$FW_TMP/stderr")"
  elif ! cmp -s "$FW_TMP/without" "$FW_TMP/stdout"; then
    fw_fail "$name" "ask printed something else with the practice files loaded:" "$(diff -u "$FW_TMP/without" "$FW_TMP/stdout")"
  elif ! grep -q '"motivation":"family"' "$FW_TMP/stdout"; then
    fw_fail "$name" "the seed 004 answers did not reach the motivation family:" "$(cat "$FW_TMP/stdout")"
  else
    fw_ok "$name"
  fi
fi
fw_finish
