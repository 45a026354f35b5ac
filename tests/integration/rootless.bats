#!/usr/bin/env bats
# Rootless: an unprivileged user runs containers with `spec --rootless`
# (a user namespace mapping only its own uid and gid) and state under its
# runtime directory; what needs privileges is refused, naming the field.

load helpers

# An id no account uses: the tests need no passwd entry.
RUID=4242

setup() {
	RDIR=$(mktemp -d /tmp/vessel-rootless.XXXXXX)
	chmod 755 "$RDIR"
	mkdir -p "$RDIR/run" "$RDIR/bundle"
	cp -a "$SHARED_BUNDLE/rootfs" "$RDIR/bundle/rootfs"
	# A copy the user can reach, wherever the checkout is (CI may clone
	# under a directory closed to others).
	cp "$VESSEL" "$RDIR/vessel"
	VESSEL=$RDIR/vessel
	chown -R "$RUID:$RUID" "$RDIR"
	chmod 700 "$RDIR/run"
	ID="vt$$-$BATS_TEST_NUMBER"
	# The state root the unprivileged user gets without --root.
	ROOT="$RDIR/run/vessel"
}

teardown() {
	local c
	for c in "$ROOT"/*; do
		[ -e "$c/state.json" ] || continue
		as_user "$VESSEL" delete --force "${c##*/}" >/dev/null 2>&1 || true
	done
	check_no_leftovers
	rm -rf "$RDIR"
}

# as_user CMD...: run CMD as uid/gid RUID, no supplementary groups, in the
# bundle, with its own runtime directory.
as_user() {
	(cd "$RDIR/bundle" && setpriv --reuid "$RUID" --regid "$RUID" --clear-groups \
		env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$RDIR" XDG_RUNTIME_DIR="$RDIR/run" "$@")
}

# user_config FILTER: apply a jq filter to the user's config.json.
user_config() {
	jq "$@" "$RDIR/bundle/config.json" >"$RDIR/config.tmp"
	chown "$RUID:$RUID" "$RDIR/config.tmp"
	mv "$RDIR/config.tmp" "$RDIR/bundle/config.json"
}

@test "rootless: spec --rootless, run, exec, kill, delete as an unprivileged user" {
	as_user "$VESSEL" spec --rootless
	[ "$(jq -c .linux.uidMappings "$RDIR/bundle/config.json")" = "[{\"containerID\":0,\"hostID\":$RUID,\"size\":1}]" ]
	user_config '.process.terminal = false | .process.args = ["sleep", "100"]'
	as_user "$VESSEL" run -d "$ID" </dev/null >/dev/null 2>&1
	# state went to $XDG_RUNTIME_DIR/vessel, owned by the user
	[ -f "$ROOT/$ID/state.json" ]
	[ "$(stat -c %u "$ROOT/$ID/state.json")" = "$RUID" ]
	pid=$(as_user "$VESSEL" state "$ID" | jq -r .pid)
	[ "$(as_user "$VESSEL" state "$ID" | jq -r .status)" = running ]
	# On the host the workload is the user, not root.
	[ "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")" = "$RUID" ]
	run as_user "$VESSEL" exec "$ID" sh -c 'id -u; cat /proc/self/uid_map; cat /proc/self/setgroups; readlink /proc/self/ns/pid'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0 ]
	[ "$(echo "${lines[1]}" | tr -s ' ' | sed 's/^ //')" = "0 $RUID 1" ]
	[ "${lines[2]}" = deny ]
	[ "${lines[3]}" = "$(readlink "/proc/$pid/ns/pid")" ]
	# No cgroup was writable: cgroup commands say so.
	run as_user "$VESSEL" pause "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"has no cgroup"* ]]
	as_user "$VESSEL" kill "$ID" KILL
	wait_status_user "$ID" stopped
	as_user "$VESSEL" delete "$ID"
	[ ! -e "$ROOT/$ID" ]
}

wait_status_user() {
	local _
	for _ in $(seq 100); do
		[ "$(as_user "$VESSEL" state "$1" 2>/dev/null | jq -r .status)" = "$2" ] && return 0
		sleep 0.05
	done
	return 1
}

@test "rootless: what needs privileges is refused, naming the field, leaving nothing" {
	as_user "$VESSEL" spec --rootless
	user_config '.process.terminal = false | .process.args = ["true"]'
	cp "$RDIR/bundle/config.json" "$RDIR/good.json"

	user_config '.linux.resources = {"memory": {"limit": 33554432}}'
	run as_user "$VESSEL" run "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == "vessel: linux.resources.memory: limits need a cgroup this user may write"* ]]
	[ ! -e "$ROOT/$ID" ]

	jq '.linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]' "$RDIR/good.json" >"$RDIR/bundle/config.json"
	run as_user "$VESSEL" run "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == "vessel: linux.uidMappings: an unprivileged user may map only its own id $RUID"* ]]

	jq 'del(.linux.namespaces[] | select(.type == "user")) | del(.linux.uidMappings, .linux.gidMappings)' "$RDIR/good.json" >"$RDIR/bundle/config.json"
	run as_user "$VESSEL" run "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == "vessel: linux.namespaces: an unprivileged user needs a new user namespace"* ]]
	[ ! -e "$ROOT/$ID" ]

	# and the good config runs
	cp "$RDIR/good.json" "$RDIR/bundle/config.json"
	run as_user "$VESSEL" run "$ID"
	[ "$status" -eq 0 ]
}

@test "rootless: with a delegated cgroup, limits apply" {
	# Delegation as a system manager does it: a cgroup below ours in every
	# hierarchy, owned by the user. Relative cgroupsPaths nest below it.
	local h own dirs=()
	for h in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
		[ -e "$h/cgroup.procs" ] || continue
		own=$(awk -F: -v h="$h" 'BEGIN { n = split(h, p, "/"); c = p[n-1] }
			$2 == c || $2 ~ "(^|,)" c "(,|$)" || (c == "unified" && $1 == 0) || (c == "cgroup" && $1 == 0) || ("name=" c == $2) { print $3 }' /proc/self/cgroup)
		mkdir "$h${own%/}/vt$$-deleg"
		dirs+=("$h${own%/}/vt$$-deleg")
		if [ -e "$h${own%/}/cpuset.cpus" ]; then
			cat "$h${own%/}/cpuset.cpus" >"$h${own%/}/vt$$-deleg/cpuset.cpus"
			cat "$h${own%/}/cpuset.mems" >"$h${own%/}/vt$$-deleg/cpuset.mems"
		fi
		chown -R "$RUID:$RUID" "$h${own%/}/vt$$-deleg"
	done
	# The user's processes live in the delegated cgroup (moving a process
	# needs write access where source and target meet), so the relative
	# cgroupsPath nests below it.
	in_deleg() {
		(for h in "${dirs[@]}"; do echo "$BASHPID" >"$h/cgroup.procs"; done && as_user "$@")
	}
	as_user "$VESSEL" spec --rootless
	user_config --arg p "$ID" '.process.terminal = false | .process.args = ["sleep", "100"] |
		.linux.cgroupsPath = $p | .linux.resources = {"pids": {"limit": 17}}'
	in_deleg "$VESSEL" run -d "$ID" </dev/null >/dev/null 2>"$RDIR/err" || { cat "$RDIR/err"; false; }
	pid=$(as_user "$VESSEL" state "$ID" | jq -r .pid)
	cg=$(grep -E '^[0-9]+:pids:' "/proc/$pid/cgroup" | cut -d: -f3)
	[[ "$cg" == */vt$$-deleg/$ID ]]
	[ "$(cat "/sys/fs/cgroup/pids$cg/pids.max")" = 17 ]
	in_deleg "$VESSEL" pause "$ID"
	[ "$(as_user "$VESSEL" state "$ID" | jq -r .status)" = paused ]
	in_deleg "$VESSEL" delete --force "$ID"
	for h in "${dirs[@]}"; do rmdir "$h"; done
}
