#!/usr/bin/env bash
# shellcheck disable=SC2034 # variables are used by the .bats files
# Shared set-up for the client tests: containerd, podman and dockerd drive
# vessel exactly as they drive runc. Each file starts its own daemons on
# unix sockets in a private directory, loads the offline busybox image from
# scripts/mkimage.sh, nests every cgroup under the cgroup of the test run and
# checks after every test that nothing of vessel is left: no state, no
# cgroup, no container process, no mount.

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
VESSEL=${VESSEL:-$REPO/vessel}
IMAGE=vessel-busybox:latest

# Short paths: unix socket names are limited to 108 bytes.
client_setup_file() {
	T=$(mktemp -d /tmp/vc.XXXXXX)
	export T
	# vessel's --root, where the client lets us choose it
	export VROOT=$T/vessel
	mkdir -p "$VROOT"
	"$REPO/scripts/mkimage.sh" "$T/image.tar" "$IMAGE"
	# The cgroup every container of this file nests under: the memory
	# cgroup of this process (on the hybrid host the others are "/").
	CGPARENT=$(own_cgroup memory)/vt$$
	export CGPARENT
	record_cgroup_parents
}

client_teardown_file() {
	local fail=0
	check_no_leftovers || fail=1
	remove_cgroup_parents
	rm -rf "$T"
	return $fail
}

# own_cgroup prints this process's cgroup in a v1 hierarchy (or the v2 one).
own_cgroup() {
	local cg
	cg=$(grep -E "^[0-9]+:([^:]*,)?$1(,[^:]*)?:" /proc/self/cgroup | cut -d: -f3)
	[ -n "$cg" ] || cg=$(grep '^0::' /proc/self/cgroup | cut -d: -f3)
	echo "${cg%/}"
}

# A path like /process_api/x/vt123 is created by the clients in every
# hierarchy; the directories that did not exist before are ours to remove.
record_cgroup_parents() {
	local h d
	: >"$T/cgroup-parents"
	for h in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
		d=$h${CGPARENT#/}
		while [ "$d" != "${h%/}" ] && [ ! -d "$d" ]; do
			echo "$d" >>"$T/cgroup-parents"
			d=${d%/*}
		done
	done
}

remove_cgroup_parents() {
	local d
	[ -f "$T/cgroup-parents" ] || return 0
	# Deepest first: the list holds each chain leaf to root.
	# What is below them the clients made for this file (podman's conmon
	# cgroup, say): empty directories, removed depth-first.
	while read -r d; do
		[ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
	done <"$T/cgroup-parents"
	return 0
}

# Every cgroup under CGPARENT belongs to one of our containers, except
# podman's "conmon", which podman creates for its monitors and keeps.
leftover_cgroups() {
	local h
	for h in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
		[ -d "$h${CGPARENT#/}" ] && find "$h${CGPARENT#/}" -mindepth 1 -type d ! -path "*$CGPARENT/conmon"
	done 2>/dev/null
	return 0
}

check_no_leftovers() {
	local left
	# state of a container whose bundle is one of ours
	left=$(find "$VROOT" -name state.json -exec grep -l "\"$T/" {} + 2>/dev/null)
	if [ -n "$left" ]; then
		echo "leftover vessel state: $left" >&2
		return 1
	fi
	left=$(leftover_cgroups)
	if [ -n "$left" ]; then
		echo "leftover cgroups: $left" >&2
		return 1
	fi
	# processes of our containers: their root is a rootfs under $T
	left=$(for p in /proc/[0-9]*; do
		case $(readlink "$p/root" 2>/dev/null) in "$T"/*) echo "${p#/proc/}" ;; esac
	done)
	if [ -n "$left" ]; then
		echo "leftover container processes: $left" >&2
		return 1
	fi
	# Mounts under $T other than the storage roots the clients keep
	# mounted for as long as they run: podman's overlay driver home and
	# dockerd's data root are bind mounts of themselves.
	left=$(grep " $T/" /proc/self/mountinfo | grep -v -e " $T/podman/storage/overlay " -e " $T/docker " || true)
	if [ -n "$left" ]; then
		echo "leftover mounts: $left" >&2
		return 1
	fi
}

# cgroup_file PID CTRL FILE: a file of the v1 cgroup of PID (as the host
# sees it), e.g. cgroup_file 123 memory memory.limit_in_bytes.
cgroup_file() {
	local path
	path=$(grep -E "^[0-9]+:([^:]*,)?$2(,[^:]*)?:" "/proc/$1/cgroup" | cut -d: -f3)
	echo "/sys/fs/cgroup/$2$path/$3"
}

# pids_in_cgroup PID N: the pids cgroup of PID counts N tasks.
pids_in_cgroup() {
	[ "$(cat "$(cgroup_file "$1" pids pids.current)")" -eq "$2" ]
}

# with_tty CMD...: run CMD with a pseudo-terminal as its stdio (script(1)),
# as a user at a terminal would; the output has CRLF line ends. A client
# that hangs on the terminal (as `ctr run -t` did) fails after a minute.
with_tty() {
	local cmd
	printf -v cmd '%q ' "$@"
	timeout 60 script -qec "$cmd" /dev/null </dev/null
}

# wait_for CMD...: retry CMD for up to 10 s.
wait_for() {
	local _
	for _ in $(seq 100); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "timed out waiting for: $*" >&2
	return 1
}

# start_daemon NAME SOCKET CMD...: start CMD in the background, logging to
# $T/NAME.log, and wait for its socket.
start_daemon() {
	local name=$1 sock=$2
	shift 2
	"$@" >"$T/$name.log" 2>&1 &
	echo $! >"$T/$name.pid"
	if ! wait_for test -S "$sock"; then
		cat "$T/$name.log" >&2
		return 1
	fi
}

stop_daemon() {
	local pid
	pid=$(cat "$T/$1.pid" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null || return 0
	for _ in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null || true
}

# start_containerd: a private containerd (no CRI) with its state under $T.
start_containerd() {
	cat >"$T/containerd.toml" <<TOML
version = 2
root = "$T/containerd/root"
state = "$T/containerd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$T/containerd.sock"
[ttrpc]
  address = "$T/containerd.sock.ttrpc"
TOML
	start_daemon containerd "$T/containerd.sock" containerd --config "$T/containerd.toml"
}

# sys_resource_missing: true when this process may not raise rlimits
# (CAP_SYS_RESOURCE, bit 24, absent from the bounding set), as in the
# project's sandboxed machines.
sys_resource_missing() {
	local bnd
	bnd=$(awk '/^CapBnd/ {print $2}' /proc/self/status)
	(((0x$bnd >> 24 & 1) == 0))
}
