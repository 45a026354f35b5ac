#!/usr/bin/env bash
# mkbundle.sh DIR: make an OCI bundle in DIR: a busybox root filesystem from
# Debian's busybox-static and a config.json written by `vessel spec` (the
# same default runc writes), with terminal off and sh as the process.
# VESSEL names the binary (default: ./vessel).
set -euo pipefail
dir=${1:?usage: mkbundle.sh DIR}
vessel=${VESSEL:-./vessel}
"$(dirname "$0")/mkrootfs.sh" "$dir/rootfs"
rm -f "$dir/config.json"
"$vessel" spec --bundle "$dir"
tmp=$(mktemp)
jq '.process.terminal = false | .process.args = ["sh"]' "$dir/config.json" >"$tmp"
mv "$tmp" "$dir/config.json"
