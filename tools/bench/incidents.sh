#!/usr/bin/env bash
# SPEC §7 benchmark: import 100,000 native incidents (NDJSON, ~5 techniques, ~2 assets each)
# into a store holding ATT&CK v18.1, whole process, and report wall time and peak RSS.
# Targets: <= 2 s, <= 300 MB. Usage: tools/bench/incidents.sh [COUNT] (default 100000).
# Needs a built ./build/tidemark and mitre-data/cache/enterprise-attack.json.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
count=${1:-100000}
bin=${TIDEMARK_BIN:-$root/build/tidemark}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 "$root/tools/bench/gen_incidents.py" "$count" > "$work/incidents.ndjson"
"$bin" -q --store "$work/attack.db" import attack "$root/mitre-data/cache/enterprise-attack.json"

measure() {  # measure LABEL: copies the ATT&CK-only store, imports, prints time and RSS
  rm -rf "$work/store.db" && cp -r "$work/attack.db" "$work/store.db"
  /usr/bin/time -v "$bin" -q --store "$work/store.db" import incidents "$work/incidents.ndjson" 2> "$work/time.txt"
  wall=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
  printf '%s: %s incidents (%s MB file): wall %s, peak RSS %d MB\n' "$1" "$count" \
    "$(( $(stat -c %s "$work/incidents.ndjson") / 1000000 ))" "$wall" "$(( rss / 1024 ))"
}

for run in 1 2 3; do measure "run $run"; done
# Re-import into the filled store: every record unchanged (the upsert path).
/usr/bin/time -v "$bin" -q --store "$work/store.db" import incidents "$work/incidents.ndjson" 2> "$work/time.txt"
printf 're-import (all unchanged): wall %s, peak RSS %d MB\n' \
  "$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}')" \
  "$(( $(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}') / 1024 ))"
