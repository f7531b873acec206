#!/usr/bin/env bash
# The demo organisation (tools/demo/data): ATT&CK v18.1, a control catalog with mappings,
# three months of posture, an asset inventory and incidents from two sources (tidemark NDJSON
# and a Microsoft Defender XDR Graph export), imported into a fresh store under build/demo.db;
# then what an analyst looks at: org-wide recommendations and one incident's exposures.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tm="$root/build/tidemark"
data="$root/tools/demo/data"
cache="$root/mitre-data/cache"
export TIDEMARK_STORE="$root/build/demo.db"
as_of=2026-03-15
rm -rf "$TIDEMARK_STORE"

"$tm" import attack "$cache/enterprise-attack.json" "$cache/mobile-attack.json" "$cache/ics-attack.json"
"$tm" import controls "$data/catalog.json"
"$tm" import mappings "$data/mappings.json"
"$tm" import posture "$data"/posture-2026-0{1,2,3}.json
"$tm" import assets "$data/assets.json"
"$tm" import incidents "$data/incidents.ndjson" "$data/defender-incidents.json"

section() { printf '\n== %s\n' "$*"; }
section "tidemark recommendations --as-of $as_of   (what to fix first, whole organisation)"
"$tm" recommendations --as-of "$as_of" --group-by product
section "tidemark incident INC-2004 --as-of $as_of   (exposures and mitigations of one incident)"
"$tm" incident INC-2004 --as-of "$as_of"
section "tidemark threats --observed-only --as-of $as_of"
"$tm" threats --observed-only --as-of "$as_of"
section "tidemark history --scope all"
"$tm" history --scope all --to "$as_of"
section "tidemark technique T1566.001"
"$tm" technique T1566.001
section "tidemark run --as-of $as_of   (the batch job: feed events for ticketing)"
"$tm" run --as-of "$as_of"
section "tidemark feed --consumer demo --format jira   (first of the bodies)"
"$tm" feed --consumer demo --format jira > "$root/build/demo-jira.ndjson"
head -n 1 "$root/build/demo-jira.ndjson"
"$tm" navigator --scope G0016 --as-of "$as_of" > "$root/build/demo-G0016-layer.json"
"$tm" report --scope all --as-of "$as_of" --out "$root/build/demo-report.html"
section "wrote build/demo-G0016-layer.json (ATT&CK Navigator) and build/demo-report.html"
