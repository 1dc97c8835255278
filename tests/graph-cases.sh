#!/bin/sh
# graph-cases.sh: `fivewhys graph` output is parsed and rendered by
# Graphviz's dot, and `--format svg` works through it. Skipped (exit 77)
# when dot is not installed; the DOT text itself is checked against a
# golden file in prep-cases.sh either way.
set -u
: "${FIVEWHYS:?set FIVEWHYS to the fivewhys program}"
: "${TOP_SRCDIR:?set TOP_SRCDIR to the source tree}"
cd "$TOP_SRCDIR" || exit 99
export LC_ALL=C.UTF-8
export FIVEWHYS_RULES=
if ! command -v dot >/dev/null 2>&1; then
  echo "dot (Graphviz) is not installed: skipping"
  exit 77
fi

RULES=tests/cases/prep/rules
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
failures=0
tests=0
pass () { tests=$((tests + 1)); echo "ok $tests - $1"; }
fail () { tests=$((tests + 1)); failures=$((failures + 1)); echo "not ok $tests - $1"; }

# dot parses and renders the fixture (escaped quotes, markup, emoji) ...
"$FIVEWHYS" graph -r "$RULES" >"$tmp/fixture.dot"
if dot -Tsvg "$tmp/fixture.dot" >"$tmp/fixture.svg" 2>"$tmp/err" && [ ! -s "$tmp/err" ] && xmllint --noout "$tmp/fixture.svg"; then
  pass "dot -Tsvg renders the fixture graph without a warning"
else
  fail "dot -Tsvg on the fixture graph"
  cat "$tmp/err"
fi
if grep -q 'Carries the kids' "$tmp/fixture.svg" && grep -q '&lt;script&gt;' "$tmp/fixture.svg" && ! grep -q '<script' "$tmp/fixture.svg"; then
  pass "the <script> label is text in the SVG"
else
  fail "the <script> label in the SVG"
fi

# ... and the shipped home-loan tree and every shipped ruleset at once.
"$FIVEWHYS" graph -r rules/home-loan.xml -r rules/motivations.xml --need "home loan" >"$tmp/home-loan.dot"
if dot -Tsvg "$tmp/home-loan.dot" >"$tmp/home-loan.svg" 2>"$tmp/err" && xmllint --noout "$tmp/home-loan.svg"; then
  pass "dot -Tsvg renders the home-loan graph"
else
  fail "dot -Tsvg on the home-loan graph"
  cat "$tmp/err"
fi

# --format svg runs dot itself.
"$FIVEWHYS" graph -r "$RULES" --format svg -o "$tmp/direct.svg"
if [ $? -eq 0 ] && xmllint --noout "$tmp/direct.svg" && grep -q '<svg' "$tmp/direct.svg"; then
  pass "graph --format svg writes SVG"
else
  fail "graph --format svg"
fi

# Without dot on the PATH: a clear message and exit 4. The libtool wrapper
# script needs ls, so the PATH keeps that and nothing else.
mkdir "$tmp/bin"
ln -s "$(command -v ls)" "$tmp/bin/ls"
PATH=$tmp/bin "$FIVEWHYS" graph -r "$RULES" --format svg >"$tmp/out" 2>"$tmp/err"
code=$?
if [ $code -eq 4 ] && grep -q "needs the 'dot' program of Graphviz, which is not installed" "$tmp/err" && [ ! -s "$tmp/out" ]; then
  pass "graph --format svg without dot says so and exits 4"
else
  fail "graph --format svg without dot: exit $code"
  cat "$tmp/err"
fi

echo "1..$tests"
[ $failures -eq 0 ]
