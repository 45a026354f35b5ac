#!/usr/bin/env bats
# The root filesystem: mounts, /dev, masked and read-only paths, pivot,
# sysctl, propagation.

load helpers

@test "root.readonly makes / read-only" {
	set_cmd 'touch /x'
	run_ctr
	[ "$status" -ne 0 ]
	[[ "$output" == *"Read-only file system"* ]]
}

@test "a writable root when root.readonly is false" {
	own_rootfs
	set_cmd 'touch /x && echo made'
	run_ctr
	[ "$status" -eq 0 ]
	[ -e "$BUNDLE/rootfs/x" ]
}

@test "bind mount read-only, with nosuid, nodev, noexec" {
	mkdir -p "$BATS_TEST_TMPDIR/data"
	echo hello >"$BATS_TEST_TMPDIR/data/f"
	update_config --arg s "$BATS_TEST_TMPDIR/data" '.mounts += [{"destination": "/data", "type": "bind", "source": $s, "options": ["bind", "ro", "nosuid", "nodev", "noexec"]}]'
	set_cmd 'cat /data/f; grep " /data " /proc/self/mountinfo; touch /data/g'
	run_ctr
	[ "$status" -ne 0 ]
	[ "${lines[0]}" = hello ]
	[[ "${lines[1]}" == *" ro,nosuid,nodev,noexec"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/data/g" ]
}

@test "rbind brings submounts, bind does not" {
	mkdir -p "$BATS_TEST_TMPDIR/outer/inner"
	mount -t tmpfs tmpfs "$BATS_TEST_TMPDIR/outer/inner"
	touch "$BATS_TEST_TMPDIR/outer/inner/marker"
	update_config --arg s "$BATS_TEST_TMPDIR/outer" '.mounts += [{"destination": "/r", "type": "bind", "source": $s, "options": ["rbind"]}, {"destination": "/b", "type": "bind", "source": $s, "options": ["bind"]}]'
	set_cmd 'ls /r/inner; echo --; ls /b/inner'
	run_ctr
	umount "$BATS_TEST_TMPDIR/outer/inner"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = marker ]
	[ "${lines[1]}" = -- ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "tmpfs with options" {
	update_config '.mounts += [{"destination": "/scratch", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m", "mode=700", "nosuid"]}]'
	set_cmd 'grep " /scratch " /proc/self/mountinfo; stat -c %a /scratch'
	run_ctr
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *"tmpfs"*"size=1024k"* ]]
	[ "${lines[1]}" = 700 ]
}

@test "missing mount targets are created: directories and files" {
	own_rootfs
	echo content >"$BATS_TEST_TMPDIR/file"
	update_config --arg s "$BATS_TEST_TMPDIR/file" '.mounts += [{"destination": "/new/dir", "type": "tmpfs", "source": "tmpfs"}, {"destination": "/new/file", "type": "bind", "source": $s, "options": ["bind"]}]'
	set_cmd 'test -d /new/dir && cat /new/file'
	run_ctr
	[ "$status" -eq 0 ]
	[ "$output" = content ]
}

@test "a relative mount destination is taken relative to /" {
	update_config '.mounts += [{"destination": "rel", "type": "tmpfs", "source": "tmpfs"}]'
	set_cmd 'grep -c " /rel " /proc/self/mountinfo'
	own_rootfs
	run_ctr
	[ "$status" -eq 0 ]
	[[ "$output" == *1 ]]
}

@test "mount destinations through symlinks stay inside the rootfs" {
	own_rootfs
	mkdir -p "$BATS_TEST_TMPDIR/hostdir"
	ln -s /../../../../"$BATS_TEST_TMPDIR/hostdir" "$BUNDLE/rootfs/escape-abs"
	ln -s ../../../../../../../"$BATS_TEST_TMPDIR/hostdir" "$BUNDLE/rootfs/escape-rel"
	update_config '.mounts += [{"destination": "/escape-abs/a", "type": "tmpfs", "source": "tmpfs"}, {"destination": "/escape-rel/b", "type": "tmpfs", "source": "tmpfs"}]'
	set_cmd 'true'
	run_ctr
	# whatever the outcome, nothing may appear in the host directory
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/hostdir")" ]
	! grep -q "$BATS_TEST_TMPDIR/hostdir" /proc/self/mountinfo
}

@test "/dev has the default devices and links" {
	set_cmd 'for d in null zero full random urandom tty; do test -c /dev/$d || echo "missing $d"; done
		for l in fd stdin stdout stderr ptmx; do test -L /dev/$l || echo "no link $l"; done
		readlink /dev/ptmx; echo x > /dev/null && head -c1 /dev/zero | od -An -tx1'
	run_ctr
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = pts/ptmx ]
	[ "$(echo "${lines[1]}" | tr -d ' ')" = 00 ]
}

@test "linux.devices creates nodes with type, numbers, mode and owner" {
	update_config '.linux.devices = [{"path": "/dev/mynull", "type": "c", "major": 1, "minor": 3, "fileMode": 438, "uid": 1000, "gid": 1000}]
		| .linux.resources.devices += [{"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm"}]'
	set_cmd 'stat -c "%t:%T %a %u:%g %F" /dev/mynull; echo hi > /dev/mynull'
	run_ctr
	[ "$status" -eq 0 ]
	[ "$output" = "1:3 666 1000:1000 character special file" ]
}

@test "masked paths read empty and read-only paths refuse writes" {
	set_cmd 'cat /proc/keys | wc -c; ls /sys/firmware | wc -l; echo 1 > /proc/sys/kernel/domainname'
	run_ctr
	[ "$status" -ne 0 ]
	[ "${lines[0]}" = 0 ]
	[ "${lines[1]}" = 0 ]
	[[ "$output" == *"Read-only file system"* ]]
}

@test "--no-pivot uses MS_MOVE and chroot" {
	set_cmd 'test -x /bin/busybox && ls / | grep -c bin'
	run "$VESSEL" --root "$ROOT" run --no-pivot --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = 1 ]
}

@test "sysctl in a private network namespace" {
	update_config '.linux.sysctl = {"net.ipv4.ip_forward": "1"}'
	set_cmd 'cat /proc/sys/net/ipv4/ip_forward'
	before=$(cat /proc/sys/net/ipv4/ip_forward)
	run_ctr
	[ "$status" -eq 0 ]
	[ "$output" = 1 ]
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$before" ]
}

@test "sysctl of a namespace shared with the host is refused" {
	update_config '.linux.namespaces -= [{"type": "network"}] | .linux.sysctl = {"net.ipv4.ip_forward": "1"}'
	run_ctr
	[ "$status" -ne 0 ]
	[[ "$output" == *"net.ipv4.ip_forward"* ]]
}

@test "linux.rootfsPropagation and mount propagation" {
	update_config '.linux.rootfsPropagation = "rprivate"'
	set_cmd 'awk "\$5 == \"/\"" /proc/self/mountinfo'
	run_ctr
	[ "$status" -eq 0 ]
	[[ "$output" != *"shared:"* ]]
	[[ "$output" != *"master:"* ]]
}

@test "cgroup mounts show the container's own cgroups" {
	set_cmd 'ls /sys/fs/cgroup; grep " /sys/fs/cgroup" /proc/self/mountinfo | wc -l'
	run_ctr
	[ "$status" -eq 0 ]
	[[ "$output" == *memory* ]] || [[ "$output" == *cgroup.procs* ]]
}
