#!/usr/bin/env bats
# cgroup placement, pause/resume, update, events, ps on this host.

load helpers

@test "default placement: under the caller's cgroup, named after the ID; removed by delete" {
	update_config '.process.args = ["sleep", "100"] | del(.linux.cgroupsPath)'
	vessel_bg run -d --bundle "$BUNDLE" "$ID"
	pid=$(vessel state "$ID" | jq -r .pid)
	for ctrl in memory pids; do
		[ -d /sys/fs/cgroup/$ctrl ] || continue
		[ "$(grep -E "^[0-9]+:$ctrl:" /proc/$pid/cgroup | cut -d: -f3)" = "$(own_cgroup $ctrl | sed 's|/$||')/$ID" ]
	done
	vessel delete --force "$ID"
	[ -z "$(leftover_cgroups)" ]
}

@test "an absolute cgroupsPath" {
	update_config --arg p "/vt$$-abs/$ID" '.process.args = ["sleep", "100"] | .linux.cgroupsPath = $p'
	vessel_bg run -d --bundle "$BUNDLE" "$ID"
	pid=$(vessel state "$ID" | jq -r .pid)
	grep -Eq "(:pids:|^0::)/vt$$-abs/$ID$" /proc/$pid/cgroup
	vessel delete --force "$ID"
	rmdir /sys/fs/cgroup/*/vt$$-abs /sys/fs/cgroup/vt$$-abs 2>/dev/null || true
}

@test "pause and resume" {
	update_config '.process.args = ["sleep", "100"]'
	vessel_bg run -d --bundle "$BUNDLE" "$ID"
	run vessel pause "$ID"
	[ "$status" -eq 0 ]
	[ "$(vessel state "$ID" | jq -r .status)" = paused ]
	[[ "$(vessel list)" == *paused* ]]
	pid=$(vessel state "$ID" | jq -r .pid)
	grep -q '^State:.*(stopped)\|^State:.*D\|^State:.*S' /proc/$pid/status
	run vessel resume "$ID"
	[ "$status" -eq 0 ]
	[ "$(vessel state "$ID" | jq -r .status)" = running ]
	run vessel resume "$ID"
	[ "$status" -ne 0 ]
}

@test "update changes limits; a limit below usage keeps the old one" {
	# 8 MiB of shm charged to the container: a 4 KiB limit is below usage
	update_config '.process.args = ["sh", "-c", "head -c 8388608 /dev/zero > /dev/shm/fill; sleep 100"] | .linux.resources.pids = {"limit": 50} | .linux.resources.memory = {"limit": 268435456}'
	vessel_bg run -d --bundle "$BUNDLE" "$ID"
	sleep 0.3
	run vessel update --pids-limit 20 --memory 128m "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	run vessel exec "$ID" sh -c 'cat /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/memory.max'
	[ "${lines[0]}" = 20 ]
	[ "${lines[1]}" = 134217728 ]
	echo '{"memory": {"limit": 4096, "checkBeforeUpdate": true}}' | vessel update -r - "$ID" && false
	run vessel exec "$ID" sh -c 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max'
	[ "$output" = 134217728 ]
}

@test "update -r: zeros leave limits as they are (what containerd's shim sends)" {
	# `docker update --pids-limit 30` reaches the runtime as every field,
	# the unset ones 0; runc keeps those. Guards cgroups.MergeUpdate.
	update_config '.process.args = ["sleep", "100"] | .linux.resources.pids = {"limit": 50} | .linux.resources.memory = {"limit": 268435456}'
	vessel_bg run -d --bundle "$BUNDLE" "$ID"
	echo '{"memory":{"limit":0,"reservation":0,"swap":0,"kernel":0,"kernelTCP":0},
		"cpu":{"shares":0,"quota":0,"period":0,"realtimeRuntime":0,"realtimePeriod":0,"cpus":"","mems":""},
		"pids":{"limit":30},"blockIO":{"weight":0}}' | vessel update -r - "$ID"
	run vessel exec "$ID" sh -c 'cat /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/memory.max'
	[ "${lines[0]}" = 30 ]
	[ "${lines[1]}" = 268435456 ]
}

@test "events --stats prints runc's JSON" {
	update_config '.process.args = ["sleep", "100"]'
	vessel_bg run -d --bundle "$BUNDLE" "$ID"
	run vessel events --stats "$ID"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e --arg id "$ID" '.type == "stats" and .id == $id and .data.pids.current == 1 and (.data.memory.usage.usage > 0)'
}

@test "ps lists the container's processes" {
	set_cmd 'sleep 100 & sleep 101 & wait'
	vessel_bg run -d --bundle "$BUNDLE" "$ID"
	sleep 0.3
	run vessel ps --format json "$ID"
	[ "$(echo "$output" | jq length)" -eq 3 ]
	run vessel ps "$ID"
	[[ "${lines[0]}" == *PID* ]]
	[[ "$output" == *"sleep 101"* ]]
	[ "${#lines[@]}" -eq 4 ]
}

@test "delete removes cgroups the workload made below its own" {
	requires_vessel "nested cgroup removal"
	update_config '.process.args = ["sleep", "100"] | .linux.namespaces -= [{"type": "cgroup"}] | .mounts |= map(if .type == "cgroup" then .options -= ["ro"] else . end)'
	vessel_bg run -d --bundle "$BUNDLE" "$ID"
	run vessel exec "$ID" sh -c 'mkdir /sys/fs/cgroup/pids/child 2>/dev/null || mkdir /sys/fs/cgroup/child'
	[ "$status" -eq 0 ]
	vessel delete --force "$ID"
	[ -z "$(leftover_cgroups)" ]
}
