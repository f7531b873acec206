#!/usr/bin/env bash
# Short name for tools/bench/vulnerabilities.sh (same arguments): the SPEC §7 findings benchmark.
exec "$(dirname "$0")/vulnerabilities.sh" "$@"
