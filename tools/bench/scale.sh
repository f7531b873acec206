#!/usr/bin/env bash
# Issue 16 / SPEC §7 (version 2) scale benchmark, side by side with a baseline binary:
#  A. catalogs of 500, 1,500 and 5,000 controls (each implementing 2 ATT&CK mitigations and
#     mapped directly to 8 techniques; 3 daily posture snapshots) with 100,000 incidents:
#     `run` (first run) and `threat all --json`           targets at 5,000: <= 5 s, <= 300 ms
#  B. 1,000,000 incidents with the demo catalog: `import incidents`, `run`, `threat all --json`,
#     `incident ID`                                          targets: 12 s, 20 s, 1 s, 20 ms, 1 GB
# Each line: wall seconds, CPU seconds (user + system: the figure to compare on a shared machine)
# and peak RSS (MB) from /usr/bin/time; the load average is printed before each part. A baseline that does not finish
# within TIDEMARK_BENCH_TIMEOUT seconds (default 120) reads "timeout".
# Usage: tools/bench/scale.sh [--baseline BIN] [--only A|B]
#   BIN: a tidemark binary of the code to compare with (e.g. built from the previous release:
#   git worktree add /tmp/base 059ec24 && cmake -S /tmp/base -B /tmp/base/build && cmake --build ...)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${TIDEMARK_BIN:-$root/build/tidemark}
baseline="" only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --baseline) baseline=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    *) echo "usage: $0 [--baseline BIN] [--only A|B]" >&2; exit 1 ;;
  esac
done
timeout_s=${TIDEMARK_BENCH_TIMEOUT:-120}
bundle="$root/mitre-data/cache/enterprise-attack.json"
demo="$root/tools/demo/data"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# measure LABEL BIN ARGS... : one timed run, output to /dev/null
measure() {
  local label=$1 b=$2; shift 2
  if timeout "$timeout_s" /usr/bin/time -v "$b" "$@" > /dev/null 2> "$work/time.txt"; then
    printf '  %-34s %8.3f s  %8.3f s CPU  %6d MB\n' "$label" \
      "$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')" \
      "$(awk -F': ' '/User time|System time/ { cpu += $2 } END { print cpu }' "$work/time.txt")" \
      "$(( $(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}') / 1024 ))"
  else
    printf '  %-34s  timeout (> %d s) or failure\n' "$label" "$timeout_s"
  fi
}

# setup BIN STORE ORGDIR : ATT&CK, catalog, mappings (ORGDIR's own), posture, assets
setup() {
  local b=$1 store=$2 org=$3
  "$b" -q --store "$store" import attack "$bundle"
  "$b" -q --store "$store" import controls "$org/catalog.json"
  [ -f "$org/mappings.json" ] && "$b" -q --store "$store" import mappings "$org/mappings.json"
  "$b" -q --store "$store" import posture "$org"/posture/*.json
  [ -f "$org/assets.json" ] && "$b" -q --store "$store" import assets "$org/assets.json"
  return 0
}

binaries=("new:$bin")
[ -n "$baseline" ] && binaries+=("baseline:$baseline")

if [ "$only" != B ]; then
  python3 "$root/tools/bench/gen_incidents.py" 100000 > "$work/inc100k.ndjson"
  for controls in 500 1500 5000; do
    org="$work/org$controls"
    python3 "$root/tools/bench/gen_org.py" "$org" --controls "$controls" --days 3 --bundle "$bundle" \
      --mitigations-per 2 --techniques-per 8
    for entry in "${binaries[@]}"; do
      name=${entry%%:*} b=${entry#*:}
      store="$work/$name-$controls.db"
      setup "$b" "$store" "$org"
      "$b" -q --store "$store" import incidents "$work/inc100k.ndjson"
      echo "A. $controls controls, 100,000 incidents — $name ($(cut -d' ' -f1-3 /proc/loadavg) load)"
      measure "run (first)" "$b" --store "$store" run
      measure "threat all --json" "$b" --store "$store" --json threat all
      rm -rf "$store"
    done
  done
fi

if [ "$only" != A ]; then
  python3 "$root/tools/bench/gen_incidents.py" 1000000 > "$work/inc1m.ndjson"
  org="$work/demo"
  mkdir -p "$org/posture"
  cp "$demo/catalog.json" "$demo/mappings.json" "$demo/assets.json" "$org/"
  cp "$demo"/posture-*.json "$org/posture/"
  for entry in "${binaries[@]}"; do
    name=${entry%%:*} b=${entry#*:}
    store="$work/$name-1m.db"
    setup "$b" "$store" "$org"
    echo "B. 1,000,000 incidents, demo catalog — $name ($(cut -d' ' -f1-3 /proc/loadavg) load)"
    measure "import incidents" "$b" -q --store "$store" import incidents "$work/inc1m.ndjson"
    measure "run (first)" "$b" --store "$store" run
    measure "threat all --json" "$b" --store "$store" --json threat all
    measure "incident INC-0500000 --json" "$b" --store "$store" --json incident INC-0500000
    rm -rf "$store"
  done
fi
