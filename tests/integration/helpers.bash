#!/usr/bin/env bash
# shellcheck disable=SC2034 # variables are used by the .bats files
# Shared setup for the bats suite. Every test gets a private --root and
# bundle, and teardown checks that nothing of its containers is left:
# no state, no cgroup, no process, no mount.

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
VESSEL=${VESSEL:-$REPO/vessel}
RECVTTY=$REPO/tests/cmd/recvtty/bin/recvtty
SWAPPER=$REPO/tests/cmd/swapper/bin/swapper

# Built once per file: the shared read-only busybox root filesystem.
setup_file() {
	export SHARED_BUNDLE="$BATS_FILE_TMPDIR/shared"
	VESSEL=$VESSEL "$REPO/scripts/mkbundle.sh" "$SHARED_BUNDLE" >/dev/null
	if [ ! -x "$RECVTTY" ]; then
		(cd "$REPO" && go build -o "$RECVTTY" ./tests/cmd/recvtty)
	fi
	if [ ! -x "$SWAPPER" ]; then
		(cd "$REPO" && go build -o "$SWAPPER" ./tests/cmd/swapper)
	fi
}

setup() {
	ROOT="$BATS_TEST_TMPDIR/state"
	BUNDLE="$BATS_TEST_TMPDIR/bundle"
	ID="vt$$-$BATS_TEST_NUMBER"
	mkdir -p "$BUNDLE"
	jq --arg r "$SHARED_BUNDLE/rootfs" '.root.path = $r' "$SHARED_BUNDLE/config.json" >"$BUNDLE/config.json"
}

teardown() {
	local c
	# a background racer (tests/cmd/swapper) a failed test left running
	if [ -f "$BATS_TEST_TMPDIR/racer.pid" ]; then
		kill "$(cat "$BATS_TEST_TMPDIR/racer.pid")" 2>/dev/null || true
	fi
	for c in "$ROOT"/*; do
		[ -e "$c" ] || continue
		"$VESSEL" --root "$ROOT" delete --force "${c##*/}" >/dev/null 2>&1 || true
	done
	check_no_leftovers
}

# vessel runs the binary under test with the test's private state root.
vessel() {
	"$VESSEL" --root "$ROOT" "$@"
}

# update_config applies a jq filter to the test's config.json.
update_config() {
	local tmp
	tmp=$(mktemp)
	jq "$@" "$BUNDLE/config.json" >"$tmp"
	mv "$tmp" "$BUNDLE/config.json"
}

# own_rootfs gives the test a private, writable copy of the rootfs.
own_rootfs() {
	cp -a "$SHARED_BUNDLE/rootfs" "$BUNDLE/rootfs"
	update_config '.root.path = "rootfs" | .root.readonly = false'
}

# set_cmd sets process.args to sh -c SCRIPT.
set_cmd() {
	# shellcheck disable=SC2016 # a jq filter, not shell
	update_config --arg s "$1" '.process.args = ["sh", "-c", $s]'
}

# run_ctr runs the container in the foreground, capturing output and status.
run_ctr() {
	run "$VESSEL" --root "$ROOT" run --bundle "$BUNDLE" "$ID"
}

requires_vessel() {
	"$VESSEL" --version | grep -q '^vessel' || skip "needs vessel: $*"
}

# cgroup directories named after this test's containers, anywhere in the
# host's cgroup hierarchies (directories on a cgroup filesystem: crun run in
# a namespace without the hybrid cgroup2 mount makes plain directories on
# the tmpfs below it, which are no cgroup).
leftover_cgroups() {
	find /sys/fs/cgroup -maxdepth 6 -type d -name "vt$$-*" 2>/dev/null |
		while read -r d; do
			case $(stat -f -c %T "$d") in cgroupfs | cgroup2fs) echo "$d" ;; esac
		done
}

check_no_leftovers() {
	local state
	state=$(ls "$ROOT" 2>/dev/null || true)
	if [ -n "$state" ]; then
		echo "leftover state: $state" >&2
		return 1
	fi
	local cg
	cg=$(leftover_cgroups)
	if [ -n "$cg" ]; then
		echo "leftover cgroups: $cg" >&2
		echo "$cg" | while read -r d; do cat "$d/cgroup.procs"; done >&2 || true
		return 1
	fi
	if grep -q "$BATS_TEST_TMPDIR" /proc/self/mountinfo; then
		echo "leftover mounts:" >&2
		grep "$BATS_TEST_TMPDIR" /proc/self/mountinfo >&2
		return 1
	fi
}

# wait_status waits until the container has the given status.
wait_status() {
	local _
	for _ in $(seq 100); do
		[ "$(vessel state "$1" 2>/dev/null | jq -r .status)" = "$2" ] && return 0
		sleep 0.05
	done
	echo "container $1 never reached $2 (now: $(vessel state "$1" 2>&1))" >&2
	return 1
}

# own_cgroup prints the test process's cgroup in a v1 controller hierarchy.
own_cgroup() {
	grep -E "^[0-9]+:([^:]*,)?$1(,[^:]*)?:" /proc/self/cgroup | cut -d: -f3
}

# vessel_bg runs vessel with stdio on files: a detached container keeps its
# stdio open, and bats' run would wait for it. The container's (and
# vessel's) output is in $BATS_TEST_TMPDIR/ctr.out and ctr.err.
vessel_bg() {
	"$VESSEL" --root "$ROOT" "$@" </dev/null >>"$BATS_TEST_TMPDIR/ctr.out" 2>>"$BATS_TEST_TMPDIR/ctr.err"
}
