#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run): install what is missing, build with warnings
# as errors, obtain ATT&CK, run every test with ctest; then the same suite built with clang,
# AddressSanitizer + UndefinedBehaviorSanitizer (LeakSanitizer on), in the build the fuzz step
# reuses (two builds in all, not three: the figure is in docs/development.md). The sanitizer
# build runs in the background at low priority from the start (see start_background below).
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
# glibc's malloc asks for transparent huge pages (where THP is "madvise", as on Debian): clang,
# the linker and the Release build's tidemark processes take far fewer page faults, which cost
# ~20 us each on the CI VM (a clang ASan compile 50k -> 10k faults, ~20 % less CPU; the Release
# tests 114 -> 75 CPU-s; GCC's own allocator does not use malloc; ASan has its own).
export GLIBC_TUNABLES=${GLIBC_TUNABLES:+$GLIBC_TUNABLES:}glibc.malloc.hugetlb=1
phase_done "installing and fetching"
sanitize=1
[ "${TIDEMARK_SKIP_SANITIZE:-0}" = 1 ] && sanitize=0
fuzz_seconds=${TIDEMARK_FUZZ_SECONDS:-30}
# A background step runs at the lowest CPU priority (nice 19) in its own process group (killed if
# the script stops early), so it only takes the CPU the foreground step leaves idle: the
# sanitizer build fills the gaps of the Release build and its tests (a batch or a test finishing
# alone, the links, tests waiting on their tidemark processes), the fuzz targets compile during
# the sanitizer tests. The same work as one step after the other, in less wall time (figures in
# docs/performance.md#the-test-loop).
background=()
stop_background() { for pid in "${background[@]}"; do kill -- -"$pid" 2>/dev/null || true; done; }
trap stop_background EXIT
start_background() {  # LOG COMMAND...: sets background_pid
  local log=$1; shift
  set -m  # job control: the job gets its own process group (in this session, so nice applies)
  nice -n 19 "$@" < /dev/null > "$log" 2>&1 &
  background_pid=$!
  set +m
  background+=("$background_pid")
}
finish_background() {  # PID LOG WHAT: waits, shows the log, fails with its tail on an error
  if ! wait "$1"; then
    tail -40 "$2" >&2
    echo "test.sh: $3 failed (log: $2)" >&2
    exit 1
  fi
  cat "$2"
}
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DTIDEMARK_WERROR=ON -DBUILD_TESTING=ON >/dev/null
if [ "$sanitize" = 1 ]; then
  # One clang build serves both the sanitizer pass and the fuzz step (tools/configure-sanitize.sh).
  tools/configure-sanitize.sh build-san
  start_background build-san/build.log cmake --build build-san -j"$jobs"
  san_build=$background_pid
fi
cmake --build build -j"$jobs"
phase_done "the Release build"
(cd build && ctest --output-on-failure -j"$jobs")
phase_done "the Release tests"
if [ "$sanitize" = 1 ]; then
  finish_background "$san_build" build-san/build.log "the sanitizer build"
  phase_done "the rest of the sanitizer build"
  if [ "$fuzz_seconds" != 0 ]; then
    start_background build-san/fuzz-build.log env TIDEMARK_FUZZ_BUILD_ONLY=1 tools/fuzz.sh
    fuzz_build=$background_pid
  fi
  # A 64 MB quarantine instead of ASan's 256 MB: a use after free is still caught while the
  # freed block is among the last 64 MB freed (all of a short test process's frees, mostly);
  # the larger one made every busy process fault in fresh pages instead of reusing freed ones
  # (docs/performance.md#the-test-loop).
  (cd build-san && ASAN_OPTIONS=detect_leaks=1:quarantine_size_mb=64 UBSAN_OPTIONS=print_stacktrace=1 \
     ctest --output-on-failure -j"$jobs" -LE slow)
  phase_done "the sanitizer tests"
  if [ "$fuzz_seconds" != 0 ]; then
    finish_background "$fuzz_build" build-san/fuzz-build.log "building the fuzz targets"
  fi
fi
# The libFuzzer targets of every reader, briefly (tools/fuzz.sh: clang, ASan+UBSan, only the
# importer libraries built); TIDEMARK_FUZZ_SECONDS sets the budget over all targets, 0 skips.
if [ "$fuzz_seconds" != 0 ]; then
  tools/fuzz.sh "$fuzz_seconds"
  phase_done "the fuzz step"
fi
