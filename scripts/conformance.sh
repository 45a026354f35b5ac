#!/usr/bin/env bash
# conformance.sh [NAME=BINARY ...]: run the OCI runtime conformance suite
# (github.com/opencontainers/runtime-tools v0.9.0: its validation programs and
# runtimetest) against each runtime, default vessel, runc and crun.
#
# runtime-tools has no go.mod; tests/conformance/runtime-tools.go.mod pins the
# versions its Godeps name (runtime-spec v1.0.2) that the module proxy has.
# Each runtime runs through a wrapper that gives it a private --root. crun 1.8
# refuses hybrid cgroups, so every runtime runs in a private mount namespace
# where the hybrid cgroup2 mount is hidden (as ../shared/bench does).
# Results: .cache/conformance/NAME.tap and a summary; exit status 1 if vessel
# fails a validation listed in tests/conformance/vessel-expected-pass.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=$repo/.cache/conformance
version=v0.9.0
mkdir -p "$work"
src=$work/runtime-tools
if [ ! -x "$src/runtimetest" ]; then
	dir=$(GOFLAGS=-mod=mod go mod download -json "github.com/opencontainers/runtime-tools@$version" | jq -r .Dir)
	rm -rf "$src"
	cp -r "$dir" "$src"
	chmod -R u+w "$src"
	cp tests/conformance/runtime-tools.go.mod "$src/go.mod"
	cp tests/conformance/runtime-tools.go.sum "$src/go.sum"
	(
		cd "$src"
		export CGO_ENABLED=0 GOFLAGS=-mod=mod
		go build -o runtimetest ./cmd/runtimetest
		for d in validation/*/; do
			name=$(basename "$d")
			[ "$name" = util ] && continue
			go build -o "$d/$name.t" "./$d"
		done
	)
fi
if [ $# -eq 0 ]; then
	set -- vessel="$repo/vessel" runc=/usr/sbin/runc crun=/usr/bin/crun
fi
summary=()
for spec in "$@"; do
	name=${spec%%=*}
	bin=${spec#*=}
	[ -x "$bin" ] || { summary+=("$name: $bin not found"); continue; }
	state=$(mktemp -d)
	wrap=$work/$name-wrap
	printf '#!/bin/sh\nexec %q --root %q "$@"\n' "$bin" "$state" >"$wrap"
	chmod +x "$wrap"
	tap=$work/$name.tap
	: >"$tap"
	for t in "$src"/validation/*/*.t; do
		test=$(basename "$t" .t)
		echo "# validation $test" >>"$tap"
		(cd "$src" && unshare -m sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; exec "$@"' sh \
			env RUNTIME="$wrap" timeout 60 "$t" >>"$tap" 2>/dev/null) || echo "not ok - $test exited with status $?" >>"$tap"
	done
	for c in "$state"/*; do [ -e "$c" ] && "$bin" --root "$state" delete --force "${c##*/}" >/dev/null 2>&1; done
	rm -rf "$state"
	pass=$(grep -c '^ok' "$tap" || true)
	fail=$(grep -c '^not ok' "$tap" || true)
	skip=$(grep -c '^ok.*# SKIP' "$tap" || true)
	summary+=("$name: $pass ok ($skip skipped), $fail not ok")
done
printf '%s\n' "${summary[@]}"
# vessel must pass every validation program listed as expected.
status=0
if [ -f "$work/vessel.tap" ]; then
	while read -r test; do
		[ -z "$test" ] && continue
		if awk -v t="$test" '/^# validation /{cur=$3} cur==t && /^not ok/{bad=1} END{exit !bad}' "$work/vessel.tap"; then
			echo "vessel: expected to pass, failed: $test"
			status=1
		fi
	done <tests/conformance/vessel-expected-pass.txt
fi
exit $status
