#!/bin/sh
# run.sh: runs one libFuzzer harness with its seed corpus and dictionary.
#
#   fuzz/run.sh HARNESS [SECONDS] [LIBFUZZER-FLAG...]
#
# HARNESS is loader, pattern, answer, note, csv, jsonl or linear; SECONDS
# (default 600) bounds the run. Run from a build tree configured with
#   CC=clang ./configure --enable-fuzzing --enable-asan --enable-ubsan
# The seeds in fuzz/corpus/HARNESS are copied to $FUZZ_WORK/HARNESS/corpus
# (default: fuzz-work/ in the build tree), where new inputs accumulate; a
# crash, leak, timeout or broken invariant is saved in
# $FUZZ_WORK/HARNESS/artifacts/ and the run stops. One job at a time: the
# machines this runs on are shared.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
harness=${1:?usage: fuzz/run.sh HARNESS [SECONDS] [LIBFUZZER-FLAG...]}
seconds=${2:-600}
shift
[ $# -gt 0 ] && shift
build=${TOP_BUILDDIR:-$(pwd)}
program=$build/fuzz/fuzz-$harness
[ -x "$program" ] || { echo "run.sh: no $program: configure --enable-fuzzing and make" >&2; exit 2; }
case $harness in
  note | linear) dict=answer ;;
  *) dict=$harness ;;
esac
case $harness in
  loader) max_len=65536 ;;
  linear) max_len=1024 ;;
  *) max_len=16384 ;;
esac
work=${FUZZ_WORK:-$build/fuzz-work}/$harness
mkdir -p "$work/corpus" "$work/artifacts"
cp -n "$here/corpus/$harness/"* "$work/corpus/" 2>/dev/null || true
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# libFuzzer's -jobs mode writes its log to fuzz-0.log in the current folder.
cd "$work"
exec "$program" -dict="$here/$dict.dict" -max_len=$max_len -timeout=10 -rss_limit_mb=2048 \
  -max_total_time="$seconds" -jobs=1 -workers=1 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "$@" "$work/corpus"
