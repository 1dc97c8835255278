#!/bin/sh
# cli.sh: the command-line contract of DESIGN.md: help, version, usage
# errors, rule paths (-r and FIVEWHYS_RULES) and exit codes, checked through
# the real program. Arguments select checks by name.
. "$(dirname "$0")/lib.sh"

motivations=$TOP_SRCDIR/rules/motivations.xml
home_loan=$TOP_SRCDIR/rules/home-loan.xml
fixture=$TOP_SRCDIR/tests/data/rules
broken=$TOP_SRCDIR/tests/cases/check/dead-end.xml

# expect NAME STATUS [out TEXT | err TEXT | no-out TEXT | no-err TEXT |
#                     empty-out | empty-err]...
# Checks the last fw_run: its exit status, and that stdout/stderr hold (or
# do not hold) each TEXT as a fixed string.
expect () {
  name=$1
  want=$2
  shift 2
  fw_selected "$name" $FW_SELECT || return 0
  problems=""
  nl='
'
  [ "$fw_status" = "$want" ] || problems="exit status $fw_status, expected $want"
  while [ $# -gt 0 ]; do
    what=$1
    case $what in
      empty-out)
        [ -s "$FW_TMP/stdout" ] && problems="$problems${problems:+$nl}stdout is not empty"
        shift
        continue
        ;;
      empty-err)
        [ -s "$FW_TMP/stderr" ] && problems="$problems${problems:+$nl}stderr is not empty"
        shift
        continue
        ;;
    esac
    text=$2
    shift 2
    case $what in
      out) grep -qF -e "$text" "$FW_TMP/stdout" || problems="$problems${problems:+$nl}stdout lacks: $text" ;;
      err) grep -qF -e "$text" "$FW_TMP/stderr" || problems="$problems${problems:+$nl}stderr lacks: $text" ;;
      no-out) grep -qF -e "$text" "$FW_TMP/stdout" && problems="$problems${problems:+$nl}stdout holds: $text" ;;
      no-err) grep -qF -e "$text" "$FW_TMP/stderr" && problems="$problems${problems:+$nl}stderr holds: $text" ;;
      *) problems="$problems${problems:+$nl}bad expectation '$what'" ;;
    esac
  done
  if [ -z "$problems" ]; then
    fw_ok "$name"
  else
    fw_fail "$name" "$problems" "stdout:" "$(head -c 1500 "$FW_TMP/stdout")" "stderr:" "$(head -c 1500 "$FW_TMP/stderr")"
  fi
}
FW_SELECT="$*"

# ---- help and version ---------------------------------------------------------

fw_run --help
expect help-exits-0-and-lists-the-commands 0 out "Usage: fivewhys COMMAND" out "  ask " out "  check " \
  out "Exit codes:" empty-err
fw_run -h
expect short-help-exits-0 0 out "Usage: fivewhys COMMAND"
fw_run
expect no-command-is-a-usage-error 2 err "Usage: fivewhys COMMAND" empty-out
fw_run --version
expect version-exits-0 0 empty-err
if ! grep -qE '^fivewhys [0-9]+\.[0-9]+' "$FW_TMP/stdout"; then
  fw_fail version-names-the-program-and-its-version "stdout: $(cat "$FW_TMP/stdout")"
else
  fw_ok version-names-the-program-and-its-version
fi

# Every command the program lists has --help naming -r/--rules.
fw_run --help
commands=$(sed -n '/^Commands:/,/^$/p' "$FW_TMP/stdout" | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p')
[ -n "$commands" ] || fw_fail help-lists-commands "no command found in: $(cat "$FW_TMP/stdout")"
bad_usage=""
for command in $commands; do
  fw_run "$command" --help
  expect "help-of-$command" 0 out "--rules" out "--help" empty-err
  # The usage line names the program and the command, once.
  grep -qF "fivewhys $command [OPTION" "$FW_TMP/stdout" && ! grep -qF "] $command" "$FW_TMP/stdout" \
    || bad_usage="$bad_usage$(grep -A1 '^Usage:' "$FW_TMP/stdout" | tail -1)
"
done
if fw_selected help-usage-lines-name-the-program-and-the-command $FW_SELECT; then
  if [ -z "$bad_usage" ]; then
    fw_ok help-usage-lines-name-the-program-and-the-command
  else
    fw_fail help-usage-lines-name-the-program-and-the-command "expected 'fivewhys COMMAND [OPTION...]', got:" "$bad_usage"
  fi
fi

fw_run ask --help
expect help-of-ask-names-its-options 0 out "--need" out "--answers" out "--json" out "--explain" out "--max-misses"
fw_run check --help
expect help-of-check-names-its-options 0 out "--strict" out "--quiet" out "PATH"

# ---- usage errors ---------------------------------------------------------------

fw_run frobnicate
expect unknown-command-exits-2 2 err "fivewhys: unknown command 'frobnicate' (see 'fivewhys --help')" empty-out
fw_run check --frobnicate
expect unknown-option-of-check-exits-2 2 err "fivewhys: check: " err "--frobnicate" err "(see 'fivewhys check --help')" empty-out
fw_run ask --frobnicate
expect unknown-option-of-ask-exits-2 2 err "--frobnicate" err "'fivewhys ask --help'" empty-out
fw_run ask -r "$motivations" -r "$home_loan" --need "home loan" stray-argument </dev/null
expect ask-with-an-argument-exits-2 2 err "unexpected argument 'stray-argument'"
fw_run ask -r "$motivations" -r "$home_loan" --need "home loan" --max-misses=lots </dev/null
expect ask-with-a-bad-number-exits-2 2 err "--max-misses"

# ---- ask: needs --------------------------------------------------------------------

fw_run ask -r "$motivations" -r "$home_loan" --need "a pony" --answers /dev/null --json
expect ask-unknown-need-lists-the-known-needs 2 err "no ruleset recognises the need 'a pony'" \
  err "known needs: home-loan (Home loan)" empty-out
printf 'a pony\n' >"$FW_TMP/in"
fw_run ask -r "$motivations" -r "$home_loan" --answers - --json <"$FW_TMP/in"
expect ask-unknown-need-on-the-first-line-is-an-input-error 4 err "no ruleset recognises the need 'a pony'" \
  err "known needs:"
printf 'we need a mortgage\nwe need the money\n' >"$FW_TMP/in"
fw_run ask -r "$motivations" -r "$home_loan" --answers - --json <"$FW_TMP/in"
expect ask-takes-the-need-from-the-first-line 0 out '"need":"home-loan"' out '"rung":"money"'
fw_run ask -r "$motivations" -r "$home_loan" --need home-loan --answers /dev/null --json
expect ask-need-may-be-the-ruleset-id 0 out '"need":"home-loan"' out '"status":"ended"'

# ---- rule paths: -r and FIVEWHYS_RULES --------------------------------------------------

printf 'so I can ride to work\n' >"$FW_TMP/in"
fw_run ask -r "$fixture" --need bike --answers - --json <"$FW_TMP/in"
expect rules-option-names-a-folder 0 out '"need":"bike"' out '"rung":"commute"' empty-err
printf 'so I can ride to work\n' >"$FW_TMP/in"
export FIVEWHYS_RULES=$fixture
fw_run ask --need bike --answers - --json <"$FW_TMP/in"
unset FIVEWHYS_RULES
expect fivewhys-rules-names-a-folder 0 out '"need":"bike"' out '"rung":"commute"' empty-err
printf 'we need the money\n' >"$FW_TMP/in"
export FIVEWHYS_RULES=$motivations:$home_loan
fw_run ask --need "home loan" --answers - --json <"$FW_TMP/in"
unset FIVEWHYS_RULES
expect fivewhys-rules-is-colon-separated 0 out '"need":"home-loan"' out '"rung":"money"'
printf 'we need the money\n' >"$FW_TMP/in"
export FIVEWHYS_RULES=$fixture
fw_run ask -r "$motivations" -r "$home_loan" --need "home loan" --answers - --json <"$FW_TMP/in"
unset FIVEWHYS_RULES
expect rules-option-overrides-fivewhys-rules 0 out '"need":"home-loan"'
export FIVEWHYS_RULES=$fixture
fw_run check
unset FIVEWHYS_RULES
expect check-uses-fivewhys-rules 0 err "2 rulesets, 0 errors"

# ---- check ----------------------------------------------------------------------------

fw_run check
expect check-on-the-shipped-rules-exits-0 0 err " 0 errors" empty-out
fw_run check "$motivations" "$home_loan"
expect check-on-home-loan-exits-0 0 err "1 ruleset, 0 errors, 0 warnings" empty-out
fw_run check -q "$motivations" "$home_loan"
expect check-quiet-prints-nothing-when-clean 0 empty-err empty-out
fw_run check "$motivations" "$broken"
expect check-on-broken-rules-exits-1 1 err "dead-end.xml:11: error: rung 'fitness' is a dead end"

# ---- ask: exit codes ---------------------------------------------------------------------

fw_run ask -r "$motivations" -r "$broken" --need bike --answers /dev/null
expect ask-on-broken-rules-exits-3 3 err "dead-end.xml:11: error: rung 'fitness' is a dead end" \
  err "fivewhys: the rules could not be loaded" empty-out
fw_run ask -r "$TOP_SRCDIR/tests/cases/check/no-such-file.xml" --need bike --answers /dev/null
expect ask-on-a-missing-rule-file-exits-3 3 err "no-such-file.xml: error: no such file or folder"
fw_run ask -r "$fixture" --need bike --answers "$FW_TMP/no-such-answers"
expect ask-with-a-missing-answers-file-exits-4 4 err "no-such-answers: cannot read"
printf 'so I can ride to work\n' >"$FW_TMP/in"
fw_run ask -r "$fixture" --need bike --answers - --json <"$FW_TMP/in"
expect ask-exits-0-when-answers-run-out 0 out '"status":"ended"'
if [ -w /dev/full ]; then
  printf 'so I can ride to work\n' >"$FW_TMP/in"
  timeout "$FW_TIMEOUT" "$FIVEWHYS" ask -r "$fixture" --need bike --answers - --json \
    <"$FW_TMP/in" >/dev/full 2>"$FW_TMP/stderr"
  fw_status=$?
  : >"$FW_TMP/stdout"
  expect ask-that-cannot-write-exits-4 4 err "cannot write"
fi

# ---- ask: what it prints ---------------------------------------------------------------

printf "It's for the kids\n" >"$FW_TMP/in"
fw_run ask -r "$fixture" --need bike --answers - <"$FW_TMP/in"
expect ask-prints-the-ladder-and-the-motivation 0 out "Need: Bike (bike)" out "A1: It's for the kids" \
  out "-> family (motivation)" out "The ladder (reached):" out "Motivation: Love of family (family" \
  out "Talk about the family, not the product."
printf 'so I can ride to work\n' >"$FW_TMP/in"
fw_run ask -r "$fixture" --need bike --answers - --explain <"$FW_TMP/in"
expect ask-explain-names-the-pattern 0 out "matched pattern '[ride cycle] to ~job'" out "bike.xml:17"
printf 'so I can ride to work\n' >"$FW_TMP/in"
fw_run ask -r "$fixture" --need bike --answers - --json --explain <"$FW_TMP/in"
expect ask-json-explain-names-the-pattern 0 out '"pattern":"[ride cycle] to ~job"' out '"nearest":['

fw_finish
