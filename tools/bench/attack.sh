#!/usr/bin/env bash
# SPEC §7 ATT&CK benchmarks, side by side in one run on the same file:
#   - `tidemark import attack F` into a fresh store, whole process, against
#     `python3 -c "import json; json.load(open(F))"`                    (target: ratio <= 0.5)
#   - a fresh `tidemark --json technique T1059.001` process on the imported store
#                                                                        (target <= 20 ms median)
#   - peak RSS of each                                                   (target <= 300 MB)
# Medians from hyperfine (Debian package `hyperfine`; the store is removed before every import
# run), peak RSS from /usr/bin/time -v.
# Usage: tools/bench/attack.sh [BUNDLE] (default mitre-data/cache/enterprise-attack.json).
# Needs build/tidemark (tools/setup.sh builds it); RUNS=N changes the number of timed runs,
# PYTHON=... the baseline interpreter (default /usr/bin/python3).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bundle=${1:-$root/mitre-data/cache/enterprise-attack.json}
bin=${TIDEMARK_BIN:-$root/build/tidemark}
runs=${RUNS:-15}
# Debian's interpreter, as on a fresh machine (a pyenv shim in PATH adds its own start-up time).
python=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
store="$work/store.db"
[ -f "$bundle" ] || { echo "attack.sh: $bundle not found (run mitre-data/fetch.sh)" >&2; exit 2; }

# hyperfine's median (ms) of each command, all measured in one hyperfine run.
hyperfine -N --warmup 2 --runs "$runs" --export-json "$work/import.json" \
  --prepare "rm -rf $store" -n tidemark "$bin -q --store $store import attack $bundle" \
  --prepare "true" -n python "$python -c 'import json; json.load(open(\"$bundle\"))'" \
  >/dev/null 2>&1
"$bin" -q --store "$store" import attack "$bundle"
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/technique.json" \
  "$bin --store $store --json technique T1059.001" >/dev/null 2>&1

peak_mb() {
  /usr/bin/time -v "$@" >/dev/null 2> "$work/t.txt"
  echo $(( $(grep 'Maximum resident set size' "$work/t.txt" | awk '{print $NF}') / 1024 ))
}
rm -rf "$store"
import_mb=$(peak_mb "$bin" -q --store "$store" import attack "$bundle")
python_mb=$(peak_mb "$python" -c "import json; json.load(open('$bundle'))")
technique_mb=$(peak_mb "$bin" --store "$store" --json technique T1059.001)

python3 - "$work" "$bundle" "$import_mb" "$python_mb" "$technique_mb" <<'EOF'
import json, os, sys
work, bundle, import_mb, python_mb, technique_mb = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
runs = {r["command"]: r for r in json.load(open(f"{work}/import.json"))["results"]}
tm, py = runs["tidemark"]["median"] * 1000, runs["python"]["median"] * 1000
technique = json.load(open(f"{work}/technique.json"))["results"][0]["median"] * 1000
ratio = tm / py
print(f"bundle: {bundle} ({os.path.getsize(bundle) / 1e6:.1f} MB)")
print(f"{'work (whole process, median)':44} {'measured':>10} {'target':>16} {'peak RSS':>9}")
def row(label, value, target, mb, ok):
    verdict = "PASS" if ok and mb <= 300 else "FAIL"
    print(f"{label:44} {value:>10} {target:>16} {mb:>6} MB  {verdict}")
row("tidemark import attack (fresh store)", f"{tm:.1f} ms", f"<= {py / 2:.1f} ms", import_mb, ratio <= 0.5)
row("python3 json.load (baseline)", f"{py:.1f} ms", "", python_mb, True)
row("ratio tidemark / python", f"{ratio:.2f}", "<= 0.50", import_mb, ratio <= 0.5)
row("tidemark --json technique T1059.001", f"{technique:.1f} ms", "<= 20 ms", technique_mb, technique <= 20)
EOF
