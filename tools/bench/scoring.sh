#!/usr/bin/env bash
# SPEC §7 scoring benchmarks, whole processes on one store:
#   - `tidemark --json threat all` with 100,000 incidents stored        (target <= 200 ms)
#   - `tidemark --json incident ID` on the same store                    (target <= 20 ms)
#   - `tidemark history --scope all` over 365 daily snapshots of 500 controls (target <= 1 s)
#   - peak RSS of each                                                   (target <= 300 MB)
# Medians from hyperfine (Debian package `hyperfine`), peak RSS from /usr/bin/time -v.
# Usage: tools/bench/scoring.sh [INCIDENTS] (default 100000). Needs build/tidemark and
# mitre-data/cache/enterprise-attack.json.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
count=${1:-100000}
bin=${TIDEMARK_BIN:-$root/build/tidemark}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
store="$work/store.db"

echo "setting up: $count incidents, 500 controls, 365 daily snapshots..." >&2
python3 "$root/tools/bench/gen_incidents.py" "$count" > "$work/incidents.ndjson"
python3 "$root/tools/bench/gen_org.py" "$work/org" --controls 500 --days 365 \
  --bundle "$root/mitre-data/cache/enterprise-attack.json"
"$bin" -q --store "$store" import attack "$root/mitre-data/cache/enterprise-attack.json"
"$bin" -q --store "$store" import controls "$work/org/catalog.json"
"$bin" -q --store "$store" import posture "$work/org/posture/"*.json
"$bin" -q --store "$store" import incidents "$work/incidents.ndjson"
incident=$(head -1 "$work/incidents.ndjson" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

median_ms() {  # median wall time of a command in ms
  hyperfine -N --warmup 2 --runs "${RUNS:-10}" --export-json "$work/h.json" "$@" >/dev/null 2>&1
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print(round(r["median"]*1000,1))' "$work/h.json"
}
peak_mb() {
  /usr/bin/time -v "$@" >/dev/null 2> "$work/t.txt"
  echo $(( $(grep 'Maximum resident set size' "$work/t.txt" | awk '{print $NF}') / 1024 ))
}
row() {  # label target_ms command...
  local label=$1 target=$2; shift 2
  local ms mb verdict
  ms=$(median_ms "$*")
  mb=$(peak_mb "$@")
  verdict=$(python3 -c "print('PASS' if $ms <= $target and $mb <= 300 else 'FAIL')")
  printf '%-46s %10s ms %8s ms %8s MB  %s\n' "$label" "$ms" "$target" "$mb" "$verdict"
}

printf '%-46s %13s %11s %11s\n' "work (whole process, median)" "measured" "target" "peak RSS"
row "threat all --json ($count incidents)" 200 "$bin" --store "$store" --json threat all
row "incident $incident --json" 20 "$bin" --store "$store" --json incident "$incident"
row "history --scope all (365 x 500 posture)" 1000 "$bin" --store "$store" --json history --scope all
row "threats (every ATT&CK threat ranked)" 1000 "$bin" --store "$store" --json threats
