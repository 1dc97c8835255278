#!/bin/sh
# e2e.sh: the browser test of fivewhys serve (tests/e2e/drill.mjs): headless
# Chromium driven by playwright-core completes the seed 004 drill in the
# page, checks the ladder, the motivation and an answer made of markup, and
# holds a practice call on a phone-sized screen. Skipped (exit 77) without
# node, Chromium (/usr/bin/chromium, or $CHROMIUM) or playwright-core, which
# .ci/run installs with: npm ci --prefix tests/e2e
# FW_SCREENSHOTS=DIR keeps the screenshots in DIR to look at.
. "$(dirname "$0")/lib.sh"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM FW_TIMEOUT
e2e=$TOP_SRCDIR/tests/e2e

if ! command -v node >/dev/null 2>&1; then
  echo "node is not installed: skipping the browser test"
  exit 77
fi
if [ ! -x "$CHROMIUM" ]; then
  echo "no Chromium at $CHROMIUM: skipping the browser test"
  exit 77
fi
if [ ! -f "$e2e/node_modules/playwright-core/package.json" ]; then
  # Once, when the source tree is writable and npm can reach its registry.
  if command -v npm >/dev/null 2>&1 && [ -w "$e2e" ] &&
    npm ci --prefix "$e2e" --no-audit --no-fund >"$FW_TMP/npm.log" 2>&1; then
    echo "installed playwright-core into $e2e/node_modules"
  else
    echo "playwright-core is not installed (npm ci --prefix tests/e2e): skipping the browser test"
    exit 77
  fi
fi

timeout $((FW_TIMEOUT * 3)) node "$e2e/drill.mjs"
