# lib.sh: what the shell tests share. Source it; do not run it.
#
# Every test runs the real program, $FIVEWHYS, which the Makefile sets (with
# TOP_SRCDIR and TOP_BUILDDIR) in TESTS_ENVIRONMENT. Run by hand from the
# build tree, the defaults below find them too:
#
#   tests/check-cases.sh            # every case
#   tests/check-cases.sh doctype    # only the cases whose name holds "doctype"
#
# Each check prints one line, "ok NAME" or "FAIL NAME" followed by what
# differed, and the script ends with "N passed, N failed" (fw_finish), exiting
# 1 when anything failed. Scripts never write into the source tree (make
# distcheck runs them on a read-only one): scratch files go to $FW_TMP, which
# is removed on exit.

set -u

fw_here=$(cd "$(dirname "$0")" && pwd)
: "${TOP_SRCDIR:=$(cd "$fw_here/.." && pwd)}"
: "${TOP_BUILDDIR:=$(pwd)}"
: "${FIVEWHYS:=$TOP_BUILDDIR/src/fivewhys}"
export TOP_SRCDIR TOP_BUILDDIR FIVEWHYS

if [ ! -x "$FIVEWHYS" ]; then
  echo "$0: no program at $FIVEWHYS: build first, or set FIVEWHYS" >&2
  exit 99
fi

# The tests name their rules explicitly; the environment must not add any.
unset FIVEWHYS_RULES
# Messages must not depend on the locale of whoever runs the suite.
LC_ALL=C.UTF-8
export LC_ALL

# A command that takes longer than this hangs: fail it rather than wait.
FW_TIMEOUT=${FW_TIMEOUT:-60}

FW_TMP=$(mktemp -d "${TMPDIR:-/tmp}/fivewhys-test.XXXXXX") || exit 99
trap 'rm -rf "$FW_TMP"' EXIT
trap 'exit 130' INT TERM

fw_passed=0
fw_failed=0

# fw_ok NAME: records a pass.
fw_ok () {
  fw_passed=$((fw_passed + 1))
  echo "ok $1"
}

# fw_fail NAME [DETAIL...]: records a failure; each DETAIL is printed
# indented under it.
fw_fail () {
  fw_failed=$((fw_failed + 1))
  echo "FAIL $1"
  shift
  for detail in "$@"; do
    printf '%s\n' "$detail" | sed 's/^/    /'
  done
}

# fw_run [ARG...]: runs the program with a time limit, stdout to
# $FW_TMP/stdout, stderr to $FW_TMP/stderr, and the exit status in $fw_status
# (124 when it timed out). Standard input is inherited.
fw_run () {
  timeout "$FW_TIMEOUT" "$FIVEWHYS" "$@" >"$FW_TMP/stdout" 2>"$FW_TMP/stderr"
  fw_status=$?
}

# fw_selected NAME [WANT...]: whether a case is chosen by the script's
# arguments, passed as WANT: every case when there are none, else the cases
# whose name holds one of them.
fw_selected () {
  fw_name=$1
  shift
  [ $# -eq 0 ] && return 0
  for fw_want in "$@"; do
    case "$fw_name" in *"$fw_want"*) return 0 ;; esac
  done
  return 1
}

# fw_finish: prints the totals and exits 1 on any failure (or when nothing
# ran, which means the cases were not found).
fw_finish () {
  echo "$fw_passed passed, $fw_failed failed"
  [ "$fw_failed" -eq 0 ] && [ "$fw_passed" -gt 0 ]
  exit $?
}
