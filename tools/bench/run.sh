#!/usr/bin/env bash
# SPEC §7: `tidemark run` over 100,000 stored incidents (target <= 3 s, peak RSS <= 300 MB).
# The organisation is the demo's (tools/demo/data: 16 controls, mappings, three posture
# snapshots, assets) with N generated incidents (tools/bench/gen_incidents.py). Reports the
# first run (every recommendation opened) and a second run on the same data (nothing appended).
# Usage: tools/bench/run.sh [INCIDENTS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
count=${1:-100000}
bin=${TIDEMARK_BIN:-$root/build/tidemark}
data="$root/tools/demo/data"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
store="$work/store.db"
python3 "$root/tools/bench/gen_incidents.py" "$count" > "$work/incidents.ndjson"
"$bin" -q --store "$store" import attack "$root/mitre-data/cache/enterprise-attack.json"
"$bin" -q --store "$store" import controls "$data/catalog.json"
"$bin" -q --store "$store" import mappings "$data/mappings.json"
"$bin" -q --store "$store" import posture "$data"/posture-2026-0{1,2,3}.json
"$bin" -q --store "$store" import assets "$data/assets.json"
"$bin" -q --store "$store" import incidents "$work/incidents.ndjson"
for label in "first run" "second run"; do
  /usr/bin/time -v "$bin" --store "$store" run > "$work/out.txt" 2> "$work/time.txt"
  printf '%-10s wall %s  peak RSS %d MB  (target 3 s, 300 MB)  %s\n' "$label" \
    "$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}')" \
    "$(( $(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}') / 1024 ))" "$(cat "$work/out.txt")"
done
