#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/*_fuzz.cpp) with clang, ASan and UBSan, the whole
# library instrumented for coverage, and runs each for a fixed share of a time budget with a
# seed corpus from tests/data/incidents/<format>. A crash leaves its input in
# build-fuzz/crashes/<target>/ and fails the script; turn it into a regression test.
# Usage: tools/fuzz.sh [TOTAL_SECONDS] [TARGET...]   (default 20 s over every target)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
budget=${1:-20}
shift || true
build="$root/build-fuzz"

CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DTIDEMARK_FUZZ=ON -DBUILD_TESTING=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -Wno-ambiguous-reversed-operator" >/dev/null
# (RapidJSON's member iterators trip clang's C++20 reversed-operator warning in every file that
# iterates an object; the warning is about the header, not our code.)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for src in "$root"/tests/fuzz/*_fuzz.cpp; do targets+=("$(basename "$src" .cpp)"); done
fi
if ! make -C "$build" -j"$(nproc)" "${targets[@]}" > "$build/make.log" 2>&1; then
  # The CMake targets link tm_report, i.e. the whole tree; the readers need only the importer
  # libraries. When some other part of the tree does not build with clang, say so and link the
  # targets against those libraries directly, so the readers still get fuzzed.
  echo "warning: clang build of the fuzz targets failed (full log: $build/make.log):" >&2
  grep -E 'error' "$build/make.log" | head -5 >&2
  echo "linking the targets against the importer libraries only" >&2
  make -C "$build" -j"$(nproc)" tm_importers > "$build/make-importers.log" 2>&1 ||
    { grep -E 'error' -A3 "$build/make-importers.log" | head -40 >&2; exit 2; }
  for target in "${targets[@]}"; do
    clang++ -std=c++20 -O1 -g -DRAPIDJSON_HAS_STDSTRING=1 -DRAPIDJSON_SSE42 -msse4.2 \
      -DSPDLOG_FMT_EXTERNAL -DSPDLOG_COMPILED_LIB -fsanitize=fuzzer,address,undefined -I"$root" \
      "$root/tests/fuzz/$target.cpp" "$build"/libtm_importers.a "$build"/libtm_store.a \
      "$build"/libtm_model.a "$build"/libtm_core.a -llmdb -lspdlog -lfmt -o "$build/$target" || exit 2
  done
fi

per_target=$(( budget / ${#targets[@]} ))
[ "$per_target" -ge 1 ] || per_target=1
status=0
for target in "${targets[@]}"; do
  format=${target%_fuzz}
  format=${format//_/-}  # attack_flow_fuzz seeds from tests/data/incidents/attack-flow
  corpus="$build/corpus/$target"
  crashes="$build/crashes/$target"
  mkdir -p "$corpus" "$crashes"
  if [ -d "$root/tests/data/incidents/$format" ]; then cp -r "$root/tests/data/incidents/$format"/. "$corpus/"; fi
  if [ -d "$root/tests/fuzz/regressions/$format" ]; then cp -r "$root/tests/fuzz/regressions/$format"/. "$corpus/"; fi
  echo "== $target: ${per_target}s"
  if ! "$build/$target" "$corpus" -max_total_time="$per_target" -max_len=65536 -timeout=10 \
       -artifact_prefix="$crashes/" -print_final_stats=1 2>"$build/$target.log"; then
    echo "$target: FAILED, see $build/$target.log and $crashes/" >&2
    tail -30 "$build/$target.log" >&2
    status=1
  else
    grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "$build/$target.log" | tr '\n' ' '
    echo
  fi
done
exit $status
