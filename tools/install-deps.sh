#!/usr/bin/env bash
# Installs the Debian 12 packages tidemark builds and tests with, only those missing.
set -euo pipefail
packages=(build-essential cmake ninja-build pkg-config git rapidjson-dev libboost-graph-dev liblmdb-dev
          libspdlog-dev libfmt-dev doctest-dev libcli11-dev python3 curl ca-certificates
          chromium hyperfine time
          clang libclang-rt-14-dev
          $@)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || true
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
