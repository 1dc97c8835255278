#!/bin/sh
# faults.sh: what fivewhys does when the world fails it. A full disk
# (/dev/full, and a tiny tmpfs when this runs as root and may mount one)
# is a clear error and exit 4 with no output file that looks complete; a
# closed pipe (`analyze | head -1`) ends quietly; SIGINT or SIGTERM during
# `analyze -o FILE` leaves either the finished FILE or none, and no
# temporary file. Give names (or parts of names) as arguments to run only
# those cases.
FW_TIMEOUT=${FAULTS_TIMEOUT:-60}
. "$(dirname "$0")/lib.sh"

rules="-r $TOP_SRCDIR/rules/motivations.xml -r $TOP_SRCDIR/rules/home-loan.xml"
nl='
'

problem () {
  problems="$problems${problems:+$nl}$1"
}

verdict () {
  if [ -z "$problems" ]; then
    fw_ok "$1"
  else
    fw_fail "$1" "$problems"
  fi
}

# expect_status WANT: compares $fw_status.
expect_status () {
  if [ "$fw_status" -eq 124 ]; then
    problem "timed out after ${FW_TIMEOUT}s"
  elif [ "$fw_status" != "$1" ]; then
    problem "exit status $fw_status, expected $1"
  fi
}

# expect_stderr LINE: stderr is exactly LINE.
expect_stderr () {
  if [ "$(cat "$FW_TMP/stderr")" != "$1" ]; then
    problem "stderr is not: $1$nl$(head -c 1000 "$FW_TMP/stderr")"
  fi
}

# Notes: the CRM export of corpora/ a hundred times over, 21,500 records:
# enough output to fill a pipe and a tiny disk, and to take a moment.
notes=$FW_TMP/notes.csv
head -n 1 "$TOP_SRCDIR/corpora/notes/deals.csv" >"$notes"
i=0
while [ $i -lt 100 ]; do
  tail -n +2 "$TOP_SRCDIR/corpora/notes/deals.csv" | grep -v '^$' >>"$notes"
  i=$((i + 1))
done
# Quoted fields hold line breaks: count the records as analyze writes them
# when nothing goes wrong.
# shellcheck disable=SC2086
records=$(timeout "$FW_TIMEOUT" "$FIVEWHYS" analyze $rules "$notes" 2>/dev/null | wc -l | tr -d ' ')
summary="fivewhys: analyze: $records records read, $records ok, 0 errors"

# ---- a full disk --------------------------------------------------------------

if fw_selected full-disk "$@"; then
  for format in jsonl csv; do
    problems=""
    # shellcheck disable=SC2086 # $rules is two options
    timeout "$FW_TIMEOUT" "$FIVEWHYS" analyze $rules --format $format "$notes" >/dev/full 2>"$FW_TMP/stderr"
    fw_status=$?
    expect_status 4
    expect_stderr "fivewhys: analyze: cannot write standard output: No space left on device"
    verdict "full-disk: analyze --format $format >/dev/full"
  done

  problems=""
  printf 'we need the money\nfor the kids\n' >"$FW_TMP/answers"
  # shellcheck disable=SC2086
  timeout "$FW_TIMEOUT" "$FIVEWHYS" ask --need mortgage --answers "$FW_TMP/answers" $rules >/dev/full 2>"$FW_TMP/stderr"
  fw_status=$?
  expect_status 4
  expect_stderr "fivewhys: cannot write the output: No space left on device"
  verdict "full-disk: ask >/dev/full"

  # The other commands that write a document: exit 4 and a message that
  # names the cause.
  # shellcheck disable=SC2086
  timeout "$FW_TIMEOUT" "$FIVEWHYS" analyze $rules "$TOP_SRCDIR/corpora/notes/deals.csv" >"$FW_TMP/records" 2>/dev/null
  for command in "prep --need mortgage" "report $FW_TMP/records" "ask --need mortgage --json --answers $FW_TMP/answers"; do
    problems=""
    # shellcheck disable=SC2086 # the command and its arguments are words
    timeout "$FW_TIMEOUT" "$FIVEWHYS" $command $rules >/dev/full 2>"$FW_TMP/stderr"
    fw_status=$?
    expect_status 4
    grep -qi 'no space left on device' "$FW_TMP/stderr" || problem "no message names the cause: $(head -c 500 "$FW_TMP/stderr")"
    label=$(echo "$command" | sed "s|$FW_TMP/||g")
    verdict "full-disk: $label >/dev/full"
  done
fi

# A tiny disk for -o: a 16 KiB tmpfs, when we may mount one.
tiny=$FW_TMP/tiny
mkdir -p "$tiny"
if fw_selected tiny-disk "$@"; then
  if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=16k tmpfs "$tiny" 2>/dev/null; then
    trap 'umount "$tiny" 2>/dev/null; rm -rf "$FW_TMP"' EXIT
    problems=""
    printf 'the last good output\n' >"$tiny/out.jsonl"
    # shellcheck disable=SC2086
    fw_run analyze $rules -o "$tiny/out.jsonl" "$notes" </dev/null
    expect_status 4
    expect_stderr "fivewhys: analyze: cannot write $tiny/out.jsonl: No space left on device"
    [ "$(cat "$tiny/out.jsonl")" = "the last good output" ] || problem "out.jsonl was changed"
    leftovers=$(ls -A "$tiny" | grep -v '^out\.jsonl$')
    [ -z "$leftovers" ] || problem "left behind: $leftovers"
    verdict "tiny-disk: analyze -o FILE on a full tmpfs keeps FILE as it was"

    problems=""
    rm -f "$tiny/out.jsonl"
    # shellcheck disable=SC2086
    fw_run analyze $rules -o "$tiny/new.jsonl" "$notes" </dev/null
    expect_status 4
    [ -z "$(ls -A "$tiny")" ] || problem "left behind: $(ls -A "$tiny")"
    verdict "tiny-disk: analyze -o NEW on a full tmpfs leaves nothing"
    umount "$tiny"
  else
    echo "skip tiny-disk: cannot mount a tmpfs here (needs root)"
  fi
fi

if fw_selected no-folder "$@"; then
  problems=""
  # shellcheck disable=SC2086
  fw_run analyze $rules -o "$FW_TMP/no/such/folder/out.jsonl" "$notes" </dev/null
  expect_status 4
  expect_stderr "fivewhys: analyze: $FW_TMP/no/such/folder/out.jsonl: cannot create a temporary file in $FW_TMP/no/such/folder: No such file or directory"
  verdict "no-folder: analyze -o into a folder that is not there"
fi

# ---- a closed pipe ----------------------------------------------------------------

if fw_selected closed-pipe "$@"; then
  for format in jsonl csv; do
    problems=""
    # shellcheck disable=SC2086
    { timeout "$FW_TIMEOUT" "$FIVEWHYS" analyze $rules --format $format "$notes" 2>"$FW_TMP/stderr"; echo $? >"$FW_TMP/status"; } |
      head -n 1 >"$FW_TMP/first"
    fw_status=$(cat "$FW_TMP/status")
    expect_status 0
    [ -s "$FW_TMP/stderr" ] && problem "printed on stderr: $(head -c 500 "$FW_TMP/stderr")"
    [ "$(wc -l <"$FW_TMP/first" | tr -d ' ')" = 1 ] || problem "head got no line"
    verdict "closed-pipe: analyze --format $format | head -1 ends quietly"
  done
fi

# ---- interrupts -------------------------------------------------------------------
# The signal comes once the temporary file exists, so that it lands while
# analyze is writing; a run that is faster than that must have finished.

interrupt () {
  signal=$1
  problems=""
  out=$FW_TMP/sig/out.jsonl
  rm -rf "$FW_TMP/sig"
  mkdir -p "$FW_TMP/sig"
  # A script's background jobs ignore SIGINT; timeout gives the program the
  # default handling back, and passes on the signal it gets.
  # shellcheck disable=SC2086
  timeout -s "$signal" "$FW_TIMEOUT" "$FIVEWHYS" analyze $rules --jobs 2 -o "$out" "$notes" 2>"$FW_TMP/stderr" &
  pid=$!
  waited=0
  while [ $waited -lt 200 ] && [ -z "$(ls -A "$FW_TMP/sig")" ]; do
    sleep 0.05
    waited=$((waited + 1))
  done
  kill -s "$signal" "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  fw_status=$?
  leftovers=$(ls -A "$FW_TMP/sig" | grep -v '^out\.jsonl$')
  [ -z "$leftovers" ] || problem "left behind: $leftovers"
  if [ -f "$out" ]; then
    lines=$(wc -l <"$out" | tr -d ' ')
    [ "$lines" = "$records" ] || problem "out.jsonl holds $lines of $records records: it looks complete but is not"
    [ "$fw_status" = 0 ] || problem "out.jsonl is there but the exit status is $fw_status"
  elif [ "$fw_status" = 0 ]; then
    problem "exit status 0 but no out.jsonl"
  fi
  verdict "interrupt: SIG$signal during analyze -o leaves the finished file or none"
}

if fw_selected interrupt "$@"; then
  interrupt INT
  interrupt TERM
fi

fw_finish
