#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/*_fuzz.cpp) with clang, ASan and UBSan, and runs each
# for a fixed share of a time budget. A crash leaves its input in build-san/crashes/<target>/
# and fails the script; fix it, add the input under tests/fuzz/regressions/<format>/ and a
# regression test.
#
# Only the libraries the readers need are built (tm_core, tm_model, tm_store, tm_importers, all
# instrumented for coverage, with RapidJSON's assertions on so type misuse aborts); the targets
# are compiled and linked here, as many at a time as there are cores, so a run never builds the
# graph, scoring, report or command layers. Seeds: the target's fixtures (tests/data/incidents/
# <format>, tests/data/controls, mappings/, tests/data/scoring/mini-attack.json), the hostile
# corpus tests/data/hostile and tests/fuzz/regressions/<format>; the corpus grows in
# build-fuzz/corpus/<target> from run to run (merged down when it passes 5000 files).
# Usage: tools/fuzz.sh [TOTAL_SECONDS] [TARGET...]   (default 20 s over every target)
# TIDEMARK_FUZZ_BUILD_ONLY=1 builds the targets and stops (tools/test.sh does that in the
# background during the sanitizer tests, so the run that follows starts fuzzing at once).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
budget=${1:-20}
shift || true
# The build is shared with tools/test.sh's sanitizer pass (same directory, same flags), so a CI
# run compiles the instrumented libraries once for both the tests and the fuzz targets.
build="${TIDEMARK_SANITIZE_BUILD:-$root/build-san}"
data="$root/tests/data"
jobs=$(nproc)

# TIDEMARK_SANITIZE adds ASan+UBSan (UBSan fatal) and keeps RapidJSON's SSE4.2 scans off (their
# aligned reads past a string's end are reported by ASan). RelWithDebInfo without -DNDEBUG keeps
# assertions. Warnings are the GCC build's business (-Werror there), not this one's.
# tests/fuzz/ubsan_ignorelist.txt lists the UBSan reports of code that is not ours.
ignorelist="-fsanitize-ignorelist=$root/tests/fuzz/ubsan_ignorelist.txt"
"$root/tools/configure-sanitize.sh" "$build"
# (RapidJSON's member iterators trip clang's C++20 reversed-operator warning in every file that
# iterates an object; the warning is about the header, not our code.)
if ! cmake --build "$build" -j"$jobs" --target tm_importers > "$build/make.log" 2>&1; then
  grep -E 'error' -A3 "$build/make.log" | head -40 >&2
  echo "fuzz: the clang build of the importer libraries failed (full log: $build/make.log)" >&2
  exit 2
fi

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for src in "$root"/tests/fuzz/*_fuzz.cpp; do targets+=("$(basename "$src" .cpp)"); done
fi
libs=("$build"/libtm_importers.a "$build"/libtm_store.a "$build"/libtm_model.a "$build"/libtm_core.a)
flags=(-std=c++20 -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       "$ignorelist" -DRAPIDJSON_HAS_STDSTRING=1 -DSPDLOG_FMT_EXTERNAL -DSPDLOG_COMPILED_LIB -Wno-ambiguous-reversed-operator -I"$root")

# The incident reader targets share one body (tests/fuzz/fuzz_reader.cpp), compiled once here
# and linked into each target that includes fuzz_reader.h: their own files are one line.
reader_obj="$build/fuzz_reader.o"
if [ ! -f "$reader_obj" ] || [ "$root/tests/fuzz/fuzz_reader.cpp" -nt "$reader_obj" ] ||
   [ "$root/tests/fuzz/fuzz_reader.h" -nt "$reader_obj" ] || [ "$build/libtm_importers.a" -nt "$reader_obj" ]; then
  if ! clang++ "${flags[@]}" -c "$root/tests/fuzz/fuzz_reader.cpp" -o "$reader_obj" > "$build/fuzz_reader.build.log" 2>&1; then
    rm -f "$reader_obj"
    grep -E 'error' -A3 "$build/fuzz_reader.build.log" | head -20 >&2
    echo "fuzz: tests/fuzz/fuzz_reader.cpp did not build (log: $build/fuzz_reader.build.log)" >&2
    exit 2
  fi
fi
# A target is rebuilt when its source, the shared reader, the ignore list or a library is newer.
stale() {
  local binary="$build/$1"
  [ -x "$binary" ] || return 0
  for input in "$root/tests/fuzz/$1.cpp" "$root/tests/fuzz/fuzz_reader.h" "$reader_obj" "$root/tests/fuzz/ubsan_ignorelist.txt" "${libs[@]}"; do
    [ "$input" -nt "$binary" ] && return 0
  done
  return 1
}
for target in "${targets[@]}"; do
  [ -f "$root/tests/fuzz/$target.cpp" ] || { echo "fuzz: no target $target (tests/fuzz/$target.cpp)" >&2; exit 2; }
  stale "$target" || continue
  rm -f "$build/$target"
  extra=()  # the shared reader body, for the targets that include its header
  if grep -q '"tests/fuzz/fuzz_reader.h"' "$root/tests/fuzz/$target.cpp"; then extra=("$reader_obj"); fi
  clang++ "${flags[@]}" "$root/tests/fuzz/$target.cpp" "${extra[@]}" "${libs[@]}" -llmdb -lspdlog -lfmt \
    -o "$build/$target" > "$build/$target.build.log" 2>&1 &
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
done
wait
for target in "${targets[@]}"; do
  if [ ! -x "$build/$target" ]; then
    grep -E 'error' -A3 "$build/$target.build.log" | head -20 >&2
    echo "fuzz: $target did not build (log: $build/$target.build.log)" >&2
    exit 2
  fi
done
if [ "${TIDEMARK_FUZZ_BUILD_ONLY:-0}" = 1 ]; then
  echo "fuzz: ${#targets[@]} targets built"
  exit 0
fi

# The seed files of a target, besides the hostile corpus and its regressions.
seeds_of() {
  case "$1" in
    catalog_fuzz) echo "$data"/controls/catalog.* "$data"/controls/graph_control_profiles.json ;;
    mapping_fuzz) echo "$root"/mappings/*.json "$data"/controls/catalog.* ;;
    posture_fuzz) echo "$data"/controls/posture.* "$data"/controls/graph_secure_scores.json ;;
    assets_fuzz) echo "$data"/controls/assets.* ;;
    attack_bundle_fuzz) echo "$data"/scoring/mini-attack.json ;;
    *) local format=${1%_fuzz}; format=${format//_/-}  # attack_flow_fuzz: tests/data/incidents/attack-flow
       if [ -d "$data/incidents/$format" ]; then echo "$data/incidents/$format"/*; fi ;;
  esac
}

max_corpus=5000
# Targets run as many at a time as there are cores; each gets budget x cores / targets seconds,
# so the step takes about the budget in wall time.
per_target=$(( budget * jobs / ${#targets[@]} ))
[ "$per_target" -ge 1 ] || per_target=1
fuzz_one() {
  local target=$1 format corpus crashes
  format=${target%_fuzz}
  format=${format//_/-}
  corpus="$build/corpus/$target"
  crashes="$build/crashes/$target"
  mkdir -p "$corpus" "$crashes"
  read -r -a seeds <<< "$(seeds_of "$target")"  # repository paths, without blanks
  if [ ${#seeds[@]} -gt 0 ]; then cp -r "${seeds[@]}" "$corpus/"; fi
  find "$data/hostile" -maxdepth 1 -type f ! -name README.md -exec cp -t "$corpus/" {} +
  if [ -d "$root/tests/fuzz/regressions/$format" ]; then cp -r "$root/tests/fuzz/regressions/$format"/. "$corpus/"; fi
  # The corpus grows from run to run; past max_corpus files it is merged down to the inputs that
  # still add coverage, so the replay that starts every run stays short.
  if [ "$(find "$corpus" -type f | wc -l)" -gt "$max_corpus" ]; then
    rm -rf "$corpus.min" && mkdir "$corpus.min"
    "$build/$target" -merge=1 "$corpus.min" "$corpus" -max_len=65536 -timeout=10 > "$build/$target.merge.log" 2>&1 &&
      rm -rf "$corpus" && mv "$corpus.min" "$corpus"
  fi
  if ! "$build/$target" "$corpus" -max_total_time="$per_target" -max_len=65536 -timeout=10 \
       -artifact_prefix="$crashes/" -print_final_stats=1 2>"$build/$target.log"; then
    { echo "$target: FAILED, see $build/$target.log and $crashes/"; tail -30 "$build/$target.log"; } > "$build/$target.summary"
    return 1
  fi
  local execs rss
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/$target.log")
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$build/$target.log")
  echo "fuzz: $target: ${per_target}s, ${execs} runs, peak RSS ${rss} MB, corpus $(ls "$corpus" | wc -l) files" > "$build/$target.summary"
}
for target in "${targets[@]}"; do
  rm -f "$build/$target.summary"
  fuzz_one "$target" &
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
done
wait
status=0
for target in "${targets[@]}"; do
  if grep -q "^fuzz: $target:" "$build/$target.summary" 2>/dev/null; then
    cat "$build/$target.summary"
  else
    cat "$build/$target.summary" >&2 2>/dev/null || echo "$target: FAILED (no summary)" >&2
    status=1
  fi
done
exit $status
