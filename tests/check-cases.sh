#!/bin/sh
# check-cases.sh: runs every case of tests/cases/check through the real
# `fivewhys check` and compares what it prints with what the case expects.
# tests/cases/check/README describes a case; give names (or parts of names)
# as arguments to run only those.
. "$(dirname "$0")/lib.sh"

cases=$TOP_SRCDIR/tests/cases/check
# Cases name their files relative to their folder, so that the paths in the
# expected messages are the same wherever the tree is.
cd "$cases" || exit 99

for status_file in *.status; do
  name=${status_file%.status}
  fw_selected "$name" "$@" || continue
  if [ -f "$name.args" ]; then
    args=$(cat "$name.args")
  else
    args="../../../rules/motivations.xml $name.xml"
  fi
  # shellcheck disable=SC2086 # the arguments are whitespace separated words
  fw_run check $args </dev/null
  want_status=$(cat "$status_file")
  problems=""
  nl='
'
  if [ "$fw_status" -eq 124 ]; then
    problems="timed out after ${FW_TIMEOUT}s"
  elif [ "$fw_status" != "$want_status" ]; then
    problems="exit status $fw_status, expected $want_status"
  fi
  if ! diff -u "$name.err" "$FW_TMP/stderr" >"$FW_TMP/diff" 2>&1; then
    problems="$problems${problems:+$nl}stderr differs from $name.err:$nl$(cat "$FW_TMP/diff")"
  fi
  if [ -s "$FW_TMP/stdout" ]; then
    problems="$problems${problems:+$nl}printed on stdout:$nl$(head -c 2000 "$FW_TMP/stdout")"
  fi
  if [ -f "$name.absent" ]; then
    while IFS= read -r secret; do
      [ -n "$secret" ] || continue
      if grep -qF -e "$secret" "$FW_TMP/stdout" "$FW_TMP/stderr"; then
        problems="$problems${problems:+$nl}output holds '$secret', which must never appear"
      fi
    done <"$name.absent"
  fi
  if [ -z "$problems" ]; then
    fw_ok "$name"
  else
    fw_fail "$name" "fivewhys check $args" "$problems"
  fi
done
fw_finish
