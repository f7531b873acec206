#!/usr/bin/env bash
# Configures the one instrumented build that tools/test.sh (the test suite under ASan + UBSan +
# LeakSanitizer) and tools/fuzz.sh (the libFuzzer targets) share: clang, ASan+UBSan (UBSan
# fatal), coverage instrumentation for libFuzzer in the readers' libraries only
# (TIDEMARK_FUZZ_COVERAGE: -fsanitize=fuzzer-no-link on core, model, store, importers), -O1 with line tables only (enough for sanitizer stack traces, cheaper to compile
# and link than full -g), precompiled headers (TIDEMARK_PCH; clang loads them cheaply), assertions on
# (RelWithDebInfo without -DNDEBUG), RapidJSON's SSE4.2 scans
# off (TIDEMARK_SANITIZE: their aligned reads past a string's end are ASan reports), executables
# not position-independent (-no-pie: no relocations to apply, and fault in, at each of the
# sanitizer tests' ~2,500 process starts; docs/performance.md#the-test-loop). Warnings are
# the GCC build's business (-Werror there), not this one's. tests/fuzz/ubsan_ignorelist.txt
# lists the UBSan reports of code that is not ours.
# Usage: tools/configure-sanitize.sh BUILD_DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: configure-sanitize.sh BUILD_DIR}
. "$root/tools/build-env.sh"
ignorelist="-fsanitize-ignorelist=$root/tests/fuzz/ubsan_ignorelist.txt"
# (RapidJSON's member iterators trip clang's C++20 reversed-operator warning in every file that
# iterates an object; the warning is about the header, not our code.)
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DBUILD_TESTING=ON -DTIDEMARK_FUZZ=OFF -DTIDEMARK_WERROR=OFF \
  -DTIDEMARK_SANITIZE=ON -DTIDEMARK_FUZZ_COVERAGE=ON -DTIDEMARK_PCH=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
  -DCMAKE_CXX_FLAGS="$ignorelist -Wno-ambiguous-reversed-operator" -DCMAKE_EXE_LINKER_FLAGS=-no-pie \
  ${CMAKE_CXX_COMPILER_LAUNCHER:+-DCMAKE_CXX_COMPILER_LAUNCHER=$CMAKE_CXX_COMPILER_LAUNCHER} >/dev/null
