#!/usr/bin/env bats
# Attacks from a hostile bundle or container. Each test performs the
# attack and checks the host afterwards.

load helpers

# CVE-2019-5736. Guards libcontainer/selfexe.go (sealedSelf) and the
# memfd exec in initprocess.go: without them /proc/<init>/exe is the
# host's vessel binary and the write below replaces it.
@test "the init's /proc/<pid>/exe cannot be written, during create or after start" {
	cp "$VESSEL" "$BATS_TEST_TMPDIR/vessel-copy"
	before=$(sha256sum <"$BATS_TEST_TMPDIR/vessel-copy")
	update_config '.process.args = ["sleep", "100"]'
	"$BATS_TEST_TMPDIR/vessel-copy" --root "$ROOT" create --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1
	pid=$(vessel state "$ID" | jq -r .pid)
	# the attacker keeps a handle on the init's binary...
	exec 5</proc/$pid/exe
	vessel start "$ID"
	# ...and writes through it once vessel has exited
	! sh -c 'echo pwned >> /proc/self/fd/5' 2>/dev/null
	! sh -c 'printf x | dd of=/proc/self/fd/5 conv=notrunc 2>/dev/null'
	exec 5<&-
	[ "$(sha256sum <"$BATS_TEST_TMPDIR/vessel-copy")" = "$before" ]
}

# Guards the PR_SET_DUMPABLE call in nsenter/nsexec.c.
@test "the init is not dumpable before it execs the workload" {
	requires_vessel "dumpable flag check through /proc"
	update_config '.process.args = ["sleep", "100"]'
	vessel_bg create --bundle "$BUNDLE" "$ID"
	pid=$(vessel state "$ID" | jq -r .pid)
	# /proc/<pid> of a non-dumpable process belongs to root:root and its
	# environ cannot be read by others
	[ "$(stat -c %u /proc/$pid/status)" = 0 ]
	! setpriv --reuid=65534 --regid=65534 --clear-groups cat /proc/$pid/environ 2>/dev/null
}

# CVE-2024-21626. Guards enterCwd and close_range in libcontainer/process.go.
@test "no runtime descriptor or host directory reaches the workload" {
	set_cmd 'ls -l /proc/self/fd/ 2>/dev/null | tail -n +2 | wc -l; for fd in /proc/self/fd/*; do readlink $fd; done 2>/dev/null; true'
	run_ctr
	[ "$status" -eq 0 ]
	[ "${lines[0]}" -le 4 ]
	[[ "$output" != *"/proc"*"fd"* ]] || true
	! echo "$output" | grep -E '^(/run|/sys/fs/cgroup|/tmp/bats|/work)'
}

@test "a cwd through a leaked descriptor is refused (CVE-2024-21626)" {
	for n in 3 4 5 6 7 8 9 10; do
		update_config --arg c "/proc/self/fd/$n" '.process.cwd = $c'
		set_cmd 'ls ../../../../../ 2>/dev/null | head -3'
		run "$VESSEL" --root "$ROOT" run --bundle "$BUNDLE" "$ID"
		echo "fd $n: $output"
		# either refused, or somewhere inside the container
		if [ "$status" -eq 0 ]; then
			[[ "$output" != *"bats"* ]]
			[[ "$output" != *"work"* ]]
		fi
		"$VESSEL" --root "$ROOT" delete -f "$ID" 2>/dev/null || true
	done
}

# CVE-2021-30465. Guards the pathrs-lite resolution in libcontainer/handles.go.
@test "a symlinked /proc in the rootfs does not redirect the proc mount" {
	own_rootfs
	rmdir "$BUNDLE/rootfs/proc"
	mkdir -p "$BATS_TEST_TMPDIR/target"
	ln -s "$BATS_TEST_TMPDIR/target" "$BUNDLE/rootfs/proc"
	set_cmd 'true'
	run_ctr
	[ "$status" -ne 0 ]
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/target")" ]
	! grep -q "$BATS_TEST_TMPDIR/target" /proc/self/mountinfo
}

@test "a bind mount destination swapped to a symlink lands inside the rootfs" {
	own_rootfs
	mkdir -p "$BATS_TEST_TMPDIR/host-secret"
	ln -s "$BATS_TEST_TMPDIR/host-secret" "$BUNDLE/rootfs/mnt-link"
	mkdir -p "$BATS_TEST_TMPDIR/src"
	echo data >"$BATS_TEST_TMPDIR/src/f"
	update_config --arg s "$BATS_TEST_TMPDIR/src" '.mounts += [{"destination": "/mnt-link", "type": "bind", "source": $s, "options": ["bind"]}]'
	set_cmd 'cat /mnt-link/f'
	run_ctr
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/host-secret")" ]
	! grep -q "host-secret" /proc/self/mountinfo
}

# CVE-2025-31133 and friends: a masked path or /dev/null replaced by a symlink.
@test "a rootfs /dev/null symlinked to a host file does not expose it" {
	own_rootfs
	echo secret >"$BATS_TEST_TMPDIR/hostfile"
	update_config '.mounts |= map(select(.destination != "/dev"))'
	mkdir -p "$BUNDLE/rootfs/dev"
	ln -sf "$BATS_TEST_TMPDIR/hostfile" "$BUNDLE/rootfs/dev/null"
	set_cmd 'cat /proc/keys; echo done'
	run_ctr
	[ "$(cat "$BATS_TEST_TMPDIR/hostfile")" = secret ]
	[[ "$output" != *secret* ]]
}

# Guards capSets.dropBounding/apply (libcontainer/caps.go) and the
# PR_SET_NO_NEW_PRIVS call in processSetup.exec (libcontainer/process.go).
@test "no capability beyond the configured sets, and no_new_privs, in init" {
	update_config '.process.capabilities = {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"]} | .process.noNewPrivileges = true'
	set_cmd 'grep -E "^(Cap|NoNewPrivs)" /proc/self/status'
	run_ctr
	[ "$status" -eq 0 ]
	[[ "$output" == *"CapBnd:	0000000000000020"* ]]
	[[ "$output" == *"CapPrm:	0000000000000020"* ]]
	[[ "$output" == *"CapAmb:	0000000000000000"* ]]
	[[ "$output" == *"NoNewPrivs:	1"* ]]
}

# Guards the MaxConfigSize limit in LoadSpec (libcontainer/configs/load.go).
@test "a config.json of 100 MB is refused quickly" {
	requires_vessel "size cap"
	head -c $((100 * 1024 * 1024)) /dev/zero | tr '\0' ' ' >"$BUNDLE/config.json"
	start=$(date +%s)
	run vessel create --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[ $(($(date +%s) - start)) -lt 10 ]
	[ ! -e "$ROOT/$ID" ]
}

# Guards the MaxMounts check in validateMounts (libcontainer/configs/validate.go).
@test "100000 mounts are refused" {
	requires_vessel "mount count cap"
	jq '.mounts += [range(100000) | {"destination": "/m\(.)", "type": "tmpfs", "source": "tmpfs"}]' "$BUNDLE/config.json" >"$BATS_TEST_TMPDIR/c.json"
	mv "$BATS_TEST_TMPDIR/c.json" "$BUNDLE/config.json"
	run vessel create --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$ID" ]
}

# Guards the openat2 resolution in mkdirInRoot (libcontainer/handles.go):
# ELOOP, not an endless walk.
@test "a symlink loop as mount destination fails cleanly" {
	own_rootfs
	ln -s loop2 "$BUNDLE/rootfs/loop1"
	ln -s loop1 "$BUNDLE/rootfs/loop2"
	update_config '.mounts += [{"destination": "/loop1/x", "type": "tmpfs", "source": "tmpfs"}]'
	set_cmd true
	run timeout 20 "$VESSEL" --root "$ROOT" run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[ "$status" -ne 124 ]
}

# Guards ensureFileInRoot (libcontainer/handles.go) and setupConsole:
# /dev/console is resolved inside the rootfs, never through a host path.
@test "a rootfs /dev/console symlinked to a host file does not reach it" {
	own_rootfs
	echo secret >"$BATS_TEST_TMPDIR/hostfile"
	update_config '.mounts |= map(select(.destination != "/dev" and .destination != "/dev/pts" and .destination != "/dev/shm" and .destination != "/dev/mqueue"))'
	update_config '.mounts += [{"destination": "/dev/pts", "type": "devpts", "source": "devpts", "options": ["newinstance", "ptmxmode=0666"]}]'
	ln -sf "$BATS_TEST_TMPDIR/hostfile" "$BUNDLE/rootfs/dev/console"
	update_config '.process.terminal = true'
	set_cmd 'echo overwritten > /dev/console; true'
	"$RECVTTY" --mode null "$BATS_TEST_TMPDIR/tty.sock" &
	rpid=$!
	for _ in $(seq 50); do [ -S "$BATS_TEST_TMPDIR/tty.sock" ] && break; sleep 0.05; done
	vessel_bg run -d --console-socket "$BATS_TEST_TMPDIR/tty.sock" --bundle "$BUNDLE" "$ID" || true
	wait "$rpid" || true
	[ "$(cat "$BATS_TEST_TMPDIR/hostfile")" = secret ]
}

# Guards checkNoSymlink for sysfs (libcontainer/handles.go).
@test "a symlinked /sys in the rootfs does not redirect the sysfs mount" {
	own_rootfs
	rmdir "$BUNDLE/rootfs/sys"
	mkdir -p "$BATS_TEST_TMPDIR/systarget"
	ln -s "$BATS_TEST_TMPDIR/systarget" "$BUNDLE/rootfs/sys"
	set_cmd true
	run_ctr
	[ "$status" -ne 0 ]
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/systarget")" ]
}

# Guards maskPaths resolving inside the rootfs (openInRoot).
@test "a masked path that is a symlink to a host file masks nothing on the host" {
	own_rootfs
	echo secret >"$BATS_TEST_TMPDIR/hostfile2"
	mkdir -p "$BUNDLE/rootfs/secrets"
	ln -s "$BATS_TEST_TMPDIR/hostfile2" "$BUNDLE/rootfs/secrets/link"
	update_config '.linux.maskedPaths += ["/secrets/link"]'
	set_cmd 'cat /secrets/link 2>&1; true'
	run_ctr
	[ "$(cat "$BATS_TEST_TMPDIR/hostfile2")" = secret ]
	! grep -q hostfile2 /proc/self/mountinfo
}

# Guards MaxIDLength in ValidateID (libcontainer/configs/id.go).
@test "an ID of 10000 characters is refused and leaves nothing" {
	id=$(head -c 10000 /dev/zero | tr '\0' a)
	run vessel create --bundle "$BUNDLE" "$id"
	[ "$status" -ne 0 ]
	[ -z "$(ls -A "$ROOT" 2>/dev/null | grep -v '^\.exe-layer$')" ]
}

# Guards setUser's setgroups (libcontainer/process.go): in a user namespace
# the configured groups, and only those, are set.
@test "additional groups in a user namespace are exactly the configured ones" {
	own_rootfs
	chown -R 100000:100000 "$BUNDLE/rootfs"
	d=$BUNDLE
	while [ "$d" != / ]; do chmod o+x "$d"; d=$(dirname "$d"); done
	update_config '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .mounts |= map(select(.type != "cgroup" and .destination != "/sys"))
		| .process.user = {"uid": 1000, "gid": 1000, "additionalGids": [5]}'
	set_cmd 'grep ^Groups: /proc/self/status'
	run_ctr
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^Groups:[[:space:]]+5[[:space:]]*$ ]]
}

# CVE-2019-5736 during exec. Guards protectedSelf (libcontainer/selfexe.go)
# as used by Container.Exec: the exec'd init runs from a read-only handle,
# not from the host's binary. The exec into a paused container waits, set
# up, until resume, which holds it still for the attacker.
@test "the exec'd init's /proc/<pid>/exe cannot be written, during exec or after" {
	cp "$VESSEL" "$BATS_TEST_TMPDIR/vessel-copy"
	before=$(sha256sum <"$BATS_TEST_TMPDIR/vessel-copy")
	update_config '.process.args = ["sleep", "100"]'
	vessel_bg run -d --bundle "$BUNDLE" "$ID"
	vessel pause "$ID"
	"$BATS_TEST_TMPDIR/vessel-copy" --root "$ROOT" exec --ignore-paused -d "$ID" true \
		</dev/null >/dev/null 2>&1 &
	execpid=$!
	# The exec'd init: the process in the container's PID namespace that is
	# not its init (whatever the runtime calls it).
	cpid=$(vessel state "$ID" | jq -r .pid)
	pidns=$(readlink "/proc/$cpid/ns/pid")
	init=""
	for _ in $(seq 100); do
		for p in /proc/[0-9]*; do
			p=${p#/proc/}
			[ "$p" != "$cpid" ] && [ "$(readlink "/proc/$p/ns/pid" 2>/dev/null)" = "$pidns" ] && init=$p
		done
		[ -n "$init" ] && break
		sleep 0.05
	done
	[ -n "$init" ]
	# the attacker keeps a handle on the exec'd init's binary...
	exec 5</proc/$init/exe
	vessel resume "$ID"
	wait "$execpid"
	# ...and writes through it once vessel has exited
	! sh -c 'echo pwned >> /proc/self/fd/5' 2>/dev/null
	! sh -c 'printf x | dd of=/proc/self/fd/5 conv=notrunc 2>/dev/null'
	exec 5<&-
	[ "$(sha256sum <"$BATS_TEST_TMPDIR/vessel-copy")" = "$before" ]
}

# CVE-2021-30465, raced: a process swaps the mount destination with a
# symlink while vessel sets up, over and over. The symlink names a host
# path; resolved on the host it leads to /elsewhere of the rootfs, where the
# container would see the mount. Guards the resolution of every destination
# with openat2(RESOLVE_IN_ROOT) and the mount onto the resolved O_PATH
# handle (libcontainer/mounts.go): a runtime that checks a path and then
# mounts by path follows the symlink swapped in between.
@test "a mount destination swapped with a symlink during setup never lands elsewhere" {
	own_rootfs
	mkdir -p "$BATS_TEST_TMPDIR/src" "$BUNDLE/rootfs/vol/dir" "$BUNDLE/rootfs/elsewhere"
	echo data >"$BATS_TEST_TMPDIR/src/f"
	ln -s "$BUNDLE/rootfs/elsewhere" "$BUNDLE/rootfs/vol/link"
	update_config --arg s "$BATS_TEST_TMPDIR/src" '.mounts += [{"destination": "/vol/dir", "type": "bind", "source": $s, "options": ["bind"]}]'
	set_cmd 'if [ -e /elsewhere/f ]; then echo ESCAPED; fi; cat /vol/dir/f'
	"$SWAPPER" "$BUNDLE/rootfs/vol/dir" "$BUNDLE/rootfs/vol/link" >"$BATS_TEST_TMPDIR/swaps" &
	spid=$!
	echo "$spid" >"$BATS_TEST_TMPDIR/racer.pid"
	ran=0
	for i in $(seq 40); do
		out=$("$VESSEL" --root "$ROOT" run --bundle "$BUNDLE" "$ID-$i" 2>/dev/null) && ran=$((ran + 1))
		"$VESSEL" --root "$ROOT" delete --force "$ID-$i" >/dev/null 2>&1 || true
		[[ "$out" != *ESCAPED* ]]
		[ -z "$(ls -A "$BUNDLE/rootfs/elsewhere")" ]
	done
	kill "$spid"
	wait "$spid"
	echo "runs that started: $ran of 40; swaps: $(cat "$BATS_TEST_TMPDIR/swaps")"
	# the race was on: the swapper kept swapping throughout
	[ "$(cat "$BATS_TEST_TMPDIR/swaps")" -gt 1000 ]
}

# The container's /etc/passwd is read by exec (for HOME) inside the
# container: a fifo there would block exec, /dev/zero would never end.
# Guards the regular-file check and the 1 MiB bound of withHome
# (libcontainer/process.go) and add_home (nsenter/execplan.c); both paths.
@test "a hostile /etc/passwd (fifo, /dev/zero) does not hang exec" {
	own_rootfs
	update_config '.process.args = ["sleep", "100"]'
	vessel_bg run -d --bundle "$BUNDLE" "$ID"
	# home_both_ways: HOME as exec sets it through the C plan and the Go init
	home_both_ways() {
		timeout 10 "$VESSEL" --root "$ROOT" exec "$ID" sh -c 'echo $HOME'
		timeout 10 env _VESSEL_EXEC_GO_INIT=1 "$VESSEL" --root "$ROOT" exec "$ID" sh -c 'echo $HOME'
	}
	rm "$BUNDLE/rootfs/etc/passwd"
	mkfifo "$BUNDLE/rootfs/etc/passwd"
	[ "$(home_both_ways | tr '\n' ' ')" = "/ / " ]
	rm "$BUNDLE/rootfs/etc/passwd"
	ln -s /dev/zero "$BUNDLE/rootfs/etc/passwd"
	[ "$(home_both_ways | tr '\n' ' ')" = "/ / " ]
	# a 2 MiB file whose matching line lies past the first MiB is not read there
	head -c 2097152 /dev/zero | tr '\0' 'x' >"$BATS_TEST_TMPDIR/big"
	rm "$BUNDLE/rootfs/etc/passwd"
	{ cat "$BATS_TEST_TMPDIR/big"; printf '\nroot:x:0:0:root:/deep:/bin/sh\n'; } >"$BUNDLE/rootfs/etc/passwd"
	[ "$(home_both_ways | tr '\n' ' ')" = "/ / " ]
	# and within the first MiB it is
	printf 'root:x:0:0:root:/near:/bin/sh\n' >"$BUNDLE/rootfs/etc/passwd"
	[ "$(home_both_ways | tr '\n' ' ')" = "/near /near " ]
}

# The same attack on an exec whose process the C stub sets up (the plan
# path, not the Go init): the stub is held still in a frozen sub-cgroup
# given with --cgroup (v1 freezer, or v2 cgroup.freeze). Guards
# protectedSelf as used for the plan path of Container.Exec.
@test "the exec stub's /proc/<pid>/exe cannot be written (C plan path)" {
	cp "$VESSEL" "$BATS_TEST_TMPDIR/vessel-copy"
	before=$(sha256sum <"$BATS_TEST_TMPDIR/vessel-copy")
	update_config '.process.args = ["sleep", "100"]'
	vessel_bg run -d --bundle "$BUNDLE" "$ID"
	cpid=$(vessel state "$ID" | jq -r .pid)
	if [ -d /sys/fs/cgroup/freezer ]; then
		held=/sys/fs/cgroup/freezer$(grep -E '^[0-9]+:freezer:' "/proc/$cpid/cgroup" | cut -d: -f3)/held
		mkdir "$held"
		echo FROZEN >"$held/freezer.state"
		sub=freezer:held
		thaw() { echo THAWED >"$held/freezer.state"; }
	else
		held=/sys/fs/cgroup$(grep '^0::' "/proc/$cpid/cgroup" | cut -d: -f3)/held
		mkdir "$held"
		echo 1 >"$held/cgroup.freeze"
		sub=held
		thaw() { echo 0 >"$held/cgroup.freeze"; }
	fi
	"$BATS_TEST_TMPDIR/vessel-copy" --root "$ROOT" exec --cgroup "$sub" "$ID" true \
		</dev/null >/dev/null 2>&1 &
	execpid=$!
	stub=""
	for _ in $(seq 100); do
		stub=$(pgrep -P "$execpid" | head -1)
		[ -n "$stub" ] && grep -q "$stub" "$held/cgroup.procs" && break
		sleep 0.05
	done
	[ -n "$stub" ]
	# the attacker keeps a handle on the stub's binary...
	exec 5</proc/$stub/exe
	thaw
	wait "$execpid"
	# ...and writes through it once vessel has exited
	! sh -c 'echo pwned >> /proc/self/fd/5' 2>/dev/null
	! sh -c 'printf x | dd of=/proc/self/fd/5 conv=notrunc 2>/dev/null'
	exec 5<&-
	[ "$(sha256sum <"$BATS_TEST_TMPDIR/vessel-copy")" = "$before" ]
	rmdir "$held"
}
