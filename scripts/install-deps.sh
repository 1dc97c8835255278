#!/bin/sh
# Installs the Debian 12 packages fivewhys needs to build, test and benchmark.
# Run as root (or through sudo). Safe to run again.
set -eu
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  build-essential autoconf automake libtool pkg-config make \
  libxml2-dev libxml2-utils libpcre2-dev libglib2.0-dev libglib2.0-bin libjson-glib-dev \
  libcsv-dev libstemmer-dev libcmocka-dev libreadline-dev libsoup-3.0-dev \
  python3 valgrind graphviz parallel time ca-certificates \
  chromium nodejs curl
# coverage: make coverage (configure --enable-gcov) prints it with gcovr
$SUDO apt-get install -y -qq --no-install-recommends gcovr
# fuzzing: configure --enable-fuzzing builds the libFuzzer harnesses of fuzz/
# with clang; libFuzzer is in clang's runtime package (14 on Debian 12)
$SUDO apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev
# benchmarks: bench/run.sh times ripgrep on the same patterns when it is
# installed (and skips it when not)
$SUDO apt-get install -y -qq --no-install-recommends ripgrep
# npm for the browser test (tests/e2e): Debian's package, unless npm is there
# already (NodeSource's nodejs carries its own and conflicts with Debian's).
if ! command -v npm >/dev/null 2>&1; then
  $SUDO apt-get install -y -qq --no-install-recommends npm
fi
