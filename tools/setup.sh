#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: install what is missing, build (Release), obtain
# ATT&CK (mirror or MITRE download, verified), build the demo organisation's store and print
# what it shows. Re-runnable.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
tools/install-deps.sh
. tools/build-env.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target tidemark
mitre-data/fetch.sh
tools/demo/run.sh
