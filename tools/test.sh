#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run): install what is missing, build with warnings
# as errors, obtain ATT&CK, run every test with ctest; then the same suite built with
# AddressSanitizer + UndefinedBehaviorSanitizer (LeakSanitizer on).
# TIDEMARK_SKIP_SANITIZE=1 skips the sanitizer pass (local iteration only).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
tools/install-deps.sh
mitre-data/fetch.sh
jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DTIDEMARK_WERROR=ON -DBUILD_TESTING=ON >/dev/null
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure -j"$jobs")
if [ "${TIDEMARK_SKIP_SANITIZE:-0}" != 1 ]; then
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DTIDEMARK_SANITIZE=ON -DTIDEMARK_WERROR=ON \
        -DCMAKE_CXX_FLAGS="-O1" >/dev/null
  cmake --build build-asan -j"$jobs"
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
     ctest --output-on-failure -j"$jobs" -LE slow)
fi
# The libFuzzer targets of every reader, briefly (tools/fuzz.sh: clang, ASan+UBSan, only the
# importer libraries built); TIDEMARK_FUZZ_SECONDS sets the budget over all targets, 0 skips.
if [ "${TIDEMARK_FUZZ_SECONDS:-60}" != 0 ]; then
  tools/fuzz.sh "${TIDEMARK_FUZZ_SECONDS:-60}"
fi
