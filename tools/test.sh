#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run): install what is missing, build with warnings
# as errors, obtain ATT&CK, run every test with ctest; then the same suite built with clang,
# AddressSanitizer + UndefinedBehaviorSanitizer (LeakSanitizer on), in the build the fuzz step
# reuses (two builds in all, not three: the figure is in docs/development.md).
# TIDEMARK_SKIP_SANITIZE=1 skips the sanitizer pass (local iteration only).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
started=$(date +%s)
phase_start=$started
# Each step's wall time goes to stderr, so a slow CI run says where its time went.
phase_done() {
  local now; now=$(date +%s)
  echo "test.sh: $1 took $((now - phase_start)) s ($((now - started)) s in all)" >&2
  phase_start=$now
}
tools/install-deps.sh
mitre-data/fetch.sh
. tools/build-env.sh
jobs=$(nproc)
phase_done "installing and fetching"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DTIDEMARK_WERROR=ON -DBUILD_TESTING=ON >/dev/null
cmake --build build -j"$jobs"
phase_done "the Release build"
(cd build && ctest --output-on-failure -j"$jobs")
phase_done "the Release tests"
if [ "${TIDEMARK_SKIP_SANITIZE:-0}" != 1 ]; then
  # One clang build serves both the sanitizer pass and the fuzz step (tools/configure-sanitize.sh).
  tools/configure-sanitize.sh build-san
  cmake --build build-san -j"$jobs"
  phase_done "the sanitizer build"
  (cd build-san && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
     ctest --output-on-failure -j"$jobs" -LE slow)
  phase_done "the sanitizer tests"
fi
# The libFuzzer targets of every reader, briefly (tools/fuzz.sh: clang, ASan+UBSan, only the
# importer libraries built); TIDEMARK_FUZZ_SECONDS sets the budget over all targets, 0 skips.
if [ "${TIDEMARK_FUZZ_SECONDS:-30}" != 0 ]; then
  tools/fuzz.sh "${TIDEMARK_FUZZ_SECONDS:-30}"
  phase_done "the fuzz step"
fi
