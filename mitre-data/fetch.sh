#!/usr/bin/env bash
# Obtains the pinned ATT&CK STIX 2.1 bundles into mitre-data/cache/ and verifies each one.
#   1. already in the cache and verified: nothing to do;
#   2. a local mirror ($TIDEMARK_ATTACK_MIRROR, else ../shared/attack beside the checkout):
#      copy, then check the sha256 listed in versions.tsv (or the upstream git blob id);
#   3. otherwise download MITRE's release from attack-stix-data and check its git blob id.
# Never commits anything: mitre-data/cache/ is ignored by git.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache="$here/cache"
mirror="${TIDEMARK_ATTACK_MIRROR:-$here/../../shared/attack}"
mkdir -p "$cache"

verify() {  # file expected_blob expected_sha
  local file=$1 blob=$2 sha=$3
  [ -f "$file" ] || return 1
  [ "$(sha256sum "$file" | cut -d' ' -f1)" = "$sha" ] && return 0
  [ "$(git hash-object --no-filters "$file")" = "$blob" ] && return 0
  return 1
}

grep -v '^#' "$here/versions.tsv" | while IFS=$'\t' read -r name url blob sha; do
  target="$cache/$name"
  if verify "$target" "$blob" "$sha"; then continue; fi
  if [ -f "$mirror/$name" ]; then
    rm -f "$target.part"
    cp "$mirror/$name" "$target.part"
    chmod u+w "$target.part"
    source_desc="mirror $mirror"
  else
    echo "mitre-data: downloading $url" >&2
    curl -fsSL --retry 2 -o "$target.part" "$url"
    source_desc="$url"
  fi
  if ! verify "$target.part" "$blob" "$sha"; then
    rm -f "$target.part"
    echo "mitre-data: $name from $source_desc does not match versions.tsv (sha256 or git blob id)" >&2
    exit 1
  fi
  mv "$target.part" "$target"
  echo "mitre-data: $name ready (from $source_desc)" >&2
done
