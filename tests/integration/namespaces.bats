#!/usr/bin/env bats
# Namespaces: new ones, joined ones, user mappings, hostname, time offsets.

load helpers

@test "pid namespace: the workload is pid 1" {
	set_cmd 'echo $$; tr "\0" " " </proc/1/cmdline; echo'
	run_ctr
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1 ]
	[[ "${lines[1]}" == "sh -c "* ]]
}

@test "network namespace: only lo" {
	set_cmd 'ls /sys/class/net'
	run_ctr
	[ "$status" -eq 0 ]
	[ "$output" = lo ]
}

@test "uts namespace: hostname and domainname" {
	update_config '.hostname = "box1" | .domainname = "example.org"'
	set_cmd 'hostname; cat /proc/sys/kernel/domainname'
	run_ctr
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = box1 ]
	[ "${lines[1]}" = example.org ]
	[ "$(hostname)" != box1 ]
}

@test "every requested namespace differs from the host's" {
	set_cmd 'for n in ipc mnt net pid uts cgroup; do readlink /proc/self/ns/$n; done'
	run_ctr
	[ "$status" -eq 0 ]
	for n in ipc mnt net pid uts cgroup; do
		[[ "$output" != *"$(readlink /proc/self/ns/$n)"* ]]
	done
}

@test "a namespace joined by path is the same inode" {
	unshare --net sleep 100 &
	holder=$!
	sleep 0.2
	# the unshare process execs sleep; its netns is the new one
	update_config --arg p "/proc/$holder/ns/net" '(.linux.namespaces[] | select(.type == "network")) .path = $p'
	set_cmd 'readlink /proc/self/ns/net'
	run_ctr
	kill "$holder"
	[ "$status" -eq 0 ]
	[ "$output" = "$(readlink /proc/$holder/ns/net 2>/dev/null || echo gone)" ] || [ "$output" != "$(readlink /proc/self/ns/net)" ]
}

@test "a namespace path of the wrong type is refused" {
	update_config '(.linux.namespaces[] | select(.type == "network")) .path = "/proc/self/ns/ipc"'
	run_ctr
	[ "$status" -ne 0 ]
	[[ "$output" == *"network"* ]] || [[ "$output" == *"net"* ]]
}

@test "user namespace with uid and gid mappings" {
	own_rootfs
	chown -R 100000:100000 "$BUNDLE/rootfs"
	# the container's root is host uid 100000: it must reach the bundle
	d=$BUNDLE
	while [ "$d" != / ]; do chmod o+x "$d"; d=$(dirname "$d"); done
	update_config '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .mounts |= map(select(.type != "cgroup" and .destination != "/sys"))
		| .mounts += [{"destination": "/sys", "type": "none", "source": "/sys", "options": ["rbind", "nosuid", "noexec", "nodev", "ro"]}]'
	set_cmd 'cat /proc/self/uid_map /proc/self/gid_map; id -u'
	run_ctr
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^\ +0\ +100000\ +65536$ ]]
	[[ "${lines[1]}" =~ ^\ +0\ +100000\ +65536$ ]]
	[ "${lines[2]}" = 0 ]
}

@test "cgroup namespace: the container's cgroup is its root" {
	set_cmd 'cat /proc/self/cgroup'
	run_ctr
	[ "$status" -eq 0 ]
	while read -r line; do
		[[ "$line" == *":/" ]]
	done <<<"$output"
}

@test "time namespace with offsets" {
	update_config '.linux.namespaces += [{"type": "time"}] | .linux.timeOffsets = {"monotonic": {"secs": 86400, "nanosecs": 0}, "boottime": {"secs": 86400, "nanosecs": 0}}'
	set_cmd 'cut -d. -f1 /proc/uptime'
	run_ctr
	[ "$status" -eq 0 ]
	host=$(cut -d. -f1 /proc/uptime)
	[ "$output" -ge $((host + 86400 - 5)) ]
}

@test "uid mappings without a user namespace are refused" {
	update_config '.linux.uidMappings = [{"containerID": 0, "hostID": 1000, "size": 1}]'
	run_ctr
	[ "$status" -ne 0 ]
}
