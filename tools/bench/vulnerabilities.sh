#!/usr/bin/env bash
# SPEC §7 (version 2) benchmark: import 1,000,000 vulnerability findings (10,000 assets × 100)
# into a store holding ATT&CK v18.1, the CTID KEV/CVE mappings, the CISA KEV catalog and an
# inventory; then `vulnerabilities --json` with them and 100,000 incidents stored. Whole
# process, wall time and peak RSS (/usr/bin/time -v). Targets: import <= 5 s;
# vulnerabilities --json <= 500 ms and <= 500 MB. `run` is timed too (it keeps patch events).
# Usage: tools/bench/vulnerabilities.sh [ASSETS] [PER_ASSET] [INCIDENTS] (10000 100 100000).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
assets=${1:-10000}
per_asset=${2:-100}
incidents=${3:-100000}
bin=${TIDEMARK_BIN:-$root/build/tidemark}
shared=$root/../shared
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 "$root/tools/bench/gen_findings.py" "$assets" "$per_asset" "$work/findings.ndjson" "$work/inventory.json"
python3 "$root/tools/bench/gen_incidents.py" "$incidents" > "$work/incidents.ndjson"
"$bin" -q --store "$work/base.db" import attack "$root/mitre-data/cache/enterprise-attack.json"
"$bin" -q --store "$work/base.db" import cves "$shared"/mappings/kev/*.json "$shared/mappings/cve/Att&ckToCveMappings.csv" \
  "$shared/vulnerabilities/known_exploited_vulnerabilities.json"
"$bin" -q --store "$work/base.db" import assets "$work/inventory.json"
"$bin" -q --store "$work/base.db" import incidents "$work/incidents.ndjson"

report() {  # report LABEL: wall time and peak RSS from $work/time.txt
  printf '%s: wall %s, peak RSS %d MB\n' "$1" "$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}')" \
    "$(( $(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}') / 1024 ))"
}

lines=$(wc -l < "$work/findings.ndjson")
for run in 1 2 3; do
  rm -rf "$work/store.db" && cp -r "$work/base.db" "$work/store.db"
  /usr/bin/time -v "$bin" -q --store "$work/store.db" import vulnerabilities "$work/findings.ndjson" 2> "$work/time.txt"
  report "import $lines findings ($(( $(stat -c %s "$work/findings.ndjson") / 1000000 )) MB), run $run"
done
for run in 1 2 3; do
  /usr/bin/time -v "$bin" --store "$work/store.db" --as-of 2026-01-01 vulnerabilities --json > "$work/out.json" 2> "$work/time.txt"
  report "vulnerabilities --json ($incidents incidents, $lines findings), run $run"
done
/usr/bin/time -v "$bin" --store "$work/store.db" --as-of 2026-01-01 threat all --json > /dev/null 2> "$work/time.txt"
report "threat all --json (with vulnerability exposure)"
/usr/bin/time -v "$bin" --store "$work/store.db" --as-of 2026-01-01 threats --json > /dev/null 2> "$work/time.txt"
report "threats --json (VE of every threat)"
if /usr/bin/time -v timeout 300 "$bin" --store "$work/store.db" --as-of 2026-01-01 history --scope all --format csv \
    > "$work/history.csv" 2> "$work/time.txt"; then
  report "history --scope all ($(( $(wc -l < "$work/history.csv") - 1 )) points, VE at each)"
else
  echo "history --scope all: over 300 s (stopped)"
fi
/usr/bin/time -v "$bin" -q --store "$work/store.db" --as-of 2026-01-01 run > /dev/null 2> "$work/time.txt"
report "run (first: every event, patch events of all and each threat included)"
/usr/bin/time -v "$bin" -q --store "$work/store.db" --as-of 2026-01-01 run > /dev/null 2> "$work/time.txt"
report "run (second: nothing changed, appends nothing)"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('VE', d['vulnerability_exposure'], 'patches', len(d['patches']), 'open', d['open_findings'])" "$work/out.json"
