#!/bin/sh
# valgrind.sh: the data-driven cases (check, ask, analyze, and the small
# hostile inputs) once more with every run of the program under valgrind:
# any memory error or leak (definitely or indirectly lost) fails the case
# that caused it, and the suite. Not part of `make check`, which it would
# slow down twenty-fold; run it with `make check-valgrind`, or by hand from
# the build tree:
#
#   tests/valgrind.sh               # every suite
#   tests/valgrind.sh check-cases   # one suite (a tests/*.sh name)
#
# Valgrind's reports go to $VALGRIND_LOGS (default: valgrind-logs/ in the
# build tree), one file per process; those with errors are printed at the end.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${TOP_SRCDIR:=$(cd "$here/.." && pwd)}"
: "${TOP_BUILDDIR:=$(pwd)}"
export TOP_SRCDIR TOP_BUILDDIR

if ! command -v valgrind >/dev/null 2>&1; then
  echo "valgrind.sh: valgrind is not installed (Debian: apt-get install valgrind)" >&2
  exit 77
fi
program=${FIVEWHYS:-$TOP_BUILDDIR/src/fivewhys}
[ -x "$program" ] || { echo "valgrind.sh: no program at $program: build first" >&2; exit 99; }

logs=${VALGRIND_LOGS:-$TOP_BUILDDIR/valgrind-logs}
rm -rf "$logs"
mkdir -p "$logs"
wrapper_dir=$(mktemp -d "${TMPDIR:-/tmp}/fivewhys-valgrind.XXXXXX") || exit 99
trap 'rm -rf "$wrapper_dir"' EXIT

suppressions="--suppressions=$TOP_SRCDIR/tests/valgrind.supp"
[ -f /usr/share/glib-2.0/valgrind/glib.supp ] &&
  suppressions="$suppressions --suppressions=/usr/share/glib-2.0/valgrind/glib.supp"

# The program as the suites run it: through libtool, which finds the real
# binary and the uninstalled library behind src/fivewhys.
libtool=$TOP_BUILDDIR/libtool
[ -x "$libtool" ] || libtool=""
cat >"$wrapper_dir/fivewhys" <<EOF
#!/bin/sh
G_SLICE=always-malloc G_DEBUG=gc-friendly
export G_SLICE G_DEBUG
exec ${libtool:+"$libtool" --mode=execute} valgrind -q --error-exitcode=99 \\
  --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \\
  --track-origins=yes --num-callers=30 $suppressions \\
  --log-file="$logs/%p.log" "$program" "\$@"
EOF
chmod +x "$wrapper_dir/fivewhys"

FIVEWHYS=$wrapper_dir/fivewhys
# valgrind is slow: give every run time, and leave out the 10 MB inputs
FW_TIMEOUT=${VALGRIND_TIMEOUT:-900}
HOSTILE_TIMEOUT=$FW_TIMEOUT
HOSTILE_SMALL=1
export FIVEWHYS FW_TIMEOUT HOSTILE_TIMEOUT HOSTILE_SMALL

suites="check-cases ask-cases analyze-cases hostile"
[ $# -gt 0 ] && suites="$*"
failed=0
for suite in $suites; do
  echo "== $suite under valgrind"
  if ! sh "$here/$suite.sh"; then
    failed=1
  fi
done

# Reports of the processes that had errors (a clean run leaves empty logs).
bad=0
for log in "$logs"/*.log; do
  [ -s "$log" ] || continue
  bad=$((bad + 1))
  echo "== $log"
  head -n 80 "$log"
done
echo "valgrind: $(ls "$logs" | wc -l | tr -d ' ') runs, $bad with errors or leaks"
[ "$bad" -eq 0 ] && [ "$failed" -eq 0 ]
