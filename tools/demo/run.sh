#!/usr/bin/env bash
# The demo: a fresh store under build/demo.db with ATT&CK v18.1 (enterprise, mobile, ics),
# then what an analyst would look at first.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tm="$root/build/tidemark"
store="$root/build/demo.db"
rm -rf "$store"
export TIDEMARK_STORE="$store"
cache="$root/mitre-data/cache"
"$tm" import attack "$cache/enterprise-attack.json" "$cache/mobile-attack.json" "$cache/ics-attack.json"
echo "== tidemark info"; "$tm" info
for t in T1566.001 T1086; do echo; echo "== tidemark technique $t"; "$tm" technique "$t"; done
echo; echo "== tidemark threat \"Cozy Bear\" (first lines)"; "$tm" threat "Cozy Bear" | head -12
