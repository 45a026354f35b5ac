#!/usr/bin/env bats
# linux.resources enforced by the kernel, on whatever layout the host has:
# hybrid here, pure v2 and pure v1 in VMs (make test-cgroupv2/-v1).

load helpers

v2() { [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; }

@test "memory limit: an OOM kill, seen through events" {
	set_cmd 'read x; cat /dev/zero | head -c 300m | tail >/dev/null; echo survived'
	update_config '.linux.resources.memory = {"limit": 33554432, "swap": 33554432} | .process.args = ["sh", "-c", "sleep 1; head -c 300m /dev/zero | tail > /dev/null; sleep 100"]'
	vessel_bg run -d --bundle "$BUNDLE" "$ID"
	vessel events --interval 100ms "$ID" >"$BATS_TEST_TMPDIR/events" &
	epid=$!
	for _ in $(seq 100); do
		grep -q '"type":"oom"' "$BATS_TEST_TMPDIR/events" && break
		sleep 0.1
	done
	kill "$epid" || true
	grep -q "\"type\":\"oom\",\"id\":\"$ID\"" "$BATS_TEST_TMPDIR/events"
}

@test "pids limit stops forks" {
	update_config '.linux.resources.pids = {"limit": 5}'
	set_cmd 'for i in 1 2 3 4 5 6 7 8; do sleep 5 & done 2>&1; wait'
	run_ctr
	[[ "$output" == *"Resource temporarily unavailable"* ]] || [[ "$output" == *"can't fork"* ]]
}

@test "cpu quota and shares reach the cgroup files" {
	update_config '.linux.resources.cpu = {"quota": 50000, "period": 100000, "shares": 512}'
	set_cmd 'cat /sys/fs/cgroup/cpu.max /sys/fs/cgroup/cpu.weight 2>/dev/null || cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.shares'
	run_ctr
	[ "$status" -eq 0 ]
	if v2; then
		[ "${lines[0]}" = "50000 100000" ]
		[ "${lines[1]}" = 59 ]
	else
		[ "${lines[0]}" = 50000 ]
		[ "${lines[1]}" = 512 ]
	fi
}

@test "memory swap semantics: v1 memsw is limit+swap, v2 swap.max is the difference" {
	update_config '.linux.resources.memory = {"limit": 67108864, "swap": 100663296}'
	set_cmd 'cat /sys/fs/cgroup/memory.swap.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes 2>/dev/null || echo no-swap-accounting'
	run_ctr
	[ "$status" -eq 0 ]
	if v2; then
		[ "$output" = 33554432 ]
	else
		[ "$output" = 100663296 ] || [ "$output" = no-swap-accounting ]
	fi
}

@test "devices: a node outside the allowed list cannot be opened" {
	update_config '.linux.resources.devices = [{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rw"}]
		| .process.capabilities.bounding += ["CAP_MKNOD"] | .process.capabilities.effective += ["CAP_MKNOD"] | .process.capabilities.permitted += ["CAP_MKNOD"]'
	set_cmd 'echo x > /dev/null && echo null-ok; mknod /dev/m c 1 1 && echo mknod-ok; head -c1 /dev/m 2>&1; true'
	run_ctr
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *null-ok* ]]
	[[ "$output" == *mknod-ok* ]]
	[[ "$output" == *"/dev/m: Operation not permitted"* ]]
}

@test "unified keys are written on v2 and refused on v1" {
	update_config '.linux.resources.unified = {"pids.max": "9"}'
	set_cmd 'cat /sys/fs/cgroup/pids.max'
	run_ctr
	if v2; then
		[ "$status" -eq 0 ]
		[ "$output" = 9 ]
	else
		[ "$status" -ne 0 ]
		[ ! -e "$ROOT/$ID" ]
	fi
}

@test "cpuset cpus and mems" {
	update_config '.linux.resources.cpu = {"cpus": "0", "mems": "0"}'
	set_cmd 'grep -E "^Cpus_allowed_list|^Mems_allowed_list" /proc/self/status'
	run_ctr
	[ "$status" -eq 0 ]
	[[ "$output" == *"Cpus_allowed_list:	0"* ]]
	[[ "$output" == *"Mems_allowed_list:	0"* ]]
}

@test "io limits on a loop device" {
	truncate -s 16M "$BATS_TEST_TMPDIR/disk"
	loop=$(losetup -f --show "$BATS_TEST_TMPDIR/disk")
	majmin=$(lsblk -ndo MAJ:MIN "$loop" | tr -d ' ')
	major=${majmin%%:*} minor=${majmin##*:}
	update_config --argjson ma "$major" --argjson mi "$minor" '.linux.resources.blockIO = {"throttleReadBpsDevice": [{"major": $ma, "minor": $mi, "rate": 2097152}], "throttleWriteIOPSDevice": [{"major": $ma, "minor": $mi, "rate": 100}]}'
	set_cmd 'cat /sys/fs/cgroup/io.max 2>/dev/null || cat /sys/fs/cgroup/blkio/blkio.throttle.read_bps_device /sys/fs/cgroup/blkio/blkio.throttle.write_iops_device'
	run_ctr
	losetup -d "$loop"
	echo "$output"
	[ "$status" -eq 0 ]
	if v2; then
		[[ "$output" == *"$major:$minor rbps=2097152 wbps=max riops=max wiops=100"* ]]
	else
		[[ "$output" == *"$major:$minor 2097152"* ]]
		[[ "$output" == *"$major:$minor 100"* ]]
	fi
}

@test "update changes the device rules" {
	update_config '.linux.resources.devices = [{"allow": false, "access": "rwm"}]
		| .process.capabilities.bounding += ["CAP_MKNOD"] | .process.capabilities.effective += ["CAP_MKNOD"] | .process.capabilities.permitted += ["CAP_MKNOD"]
		| .process.args = ["sh", "-c", "mknod /dev/f c 10 229; sleep 100"]'
	# /dev/fuse (c 10:229): not among the default devices, opens without a mount
	vessel_bg run -d --bundle "$BUNDLE" "$ID"
	sleep 0.3
	run vessel exec "$ID" sh -c 'exec 3</dev/f'
	[ "$status" -ne 0 ]
	[[ "$output" == *"Operation not permitted"* ]]
	echo '{"devices": [{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 10, "minor": 229, "access": "rw"}]}' | vessel update -r - "$ID"
	run vessel exec "$ID" sh -c 'exec 3</dev/f && echo opened'
	[ "$output" = opened ]
}
