#!/usr/bin/env bash
# Runs the cgroups package's root tests and the cgroup bats tests in a
# throwaway VM with a pure cgroup v2 or v1 layout (../shared/vm/run-in-vm).
# Usage: tests/vm/cgroup-run.sh v2|v1
set -euo pipefail
layout=${1:?usage: $0 v2|v1}
cd "$(dirname "$0")/../.."
runinvm=${RUN_IN_VM:-../shared/vm/run-in-vm}
if [ ! -x "$runinvm" ]; then
	echo "cgroup-$layout: $runinvm not found" >&2
	exit 1
fi
mkdir -p .cache/vm
go test -c -o .cache/vm/cgroups.test ./cgroups
# The guest sees this directory at the same path, read-write. The script
# runs in the guest, hence the single quotes.
# shellcheck disable=SC2016
exec "$runinvm" --cgroup "$layout" --modules loop --timeout 900 -q -- bash -c '
	set -eo pipefail
	./.cache/vm/cgroups.test -test.v -test.count=1 2>&1 | grep -E "^(=== RUN|--- |PASS|FAIL|ok)" 
	if [ -x ./vessel ] && [ -f tests/integration/cgroup-limits.bats ]; then
		VESSEL=$PWD/vessel bats tests/integration/cgroup-limits.bats tests/integration/cgroup.bats
	fi
'
