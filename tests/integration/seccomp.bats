#!/usr/bin/env bats
# seccomp filters enforced in containers.

load helpers

AGENT=$REPO/tests/cmd/seccompagent/bin/seccompagent

# profile DEFAULT RULES-JSON: set linux.seccomp.
profile() {
	update_config --arg d "$1" --argjson r "$2" '.linux.seccomp = {"defaultAction": $d, "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], "syscalls": $r}'
}

@test "ERRNO returns the errno" {
	profile SCMP_ACT_ALLOW '[{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]'
	set_cmd 'mkdir /tmp/x 2>&1; grep Seccomp: /proc/self/status'
	run_ctr
	[[ "$output" == *"Permission denied"* ]]
	[[ "$output" == *"Seccomp:	2"* ]]
}

@test "KILL kills the process" {
	profile SCMP_ACT_ALLOW '[{"names": ["uname"], "action": "SCMP_ACT_KILL_PROCESS"}]'
	update_config '.process.args = ["uname"]'
	run_ctr
	[ "$status" -eq 159 ] # 128 + SIGSYS
	[ -z "$output" ]
}

@test "TRAP sends SIGSYS" {
	profile SCMP_ACT_ALLOW '[{"names": ["uname"], "action": "SCMP_ACT_TRAP"}]'
	update_config '.process.args = ["uname"]'
	run_ctr
	[ "$status" -eq 159 ]
}

@test "LOG allows and logs" {
	profile SCMP_ACT_ALLOW '[{"names": ["uname"], "action": "SCMP_ACT_LOG"}]'
	update_config '.process.args = ["uname"]'
	before=$(dmesg | grep -c 'type=1326.*syscall=63 ' || true)
	run_ctr
	[ "$status" -eq 0 ]
	[ "$output" = Linux ]
	# the kernel logs SECCOMP_RET_LOG decisions as audit type 1326 (x86_64 uname: 63)
	for _ in $(seq 20); do
		[ "$(dmesg | grep -c 'type=1326.*syscall=63 ' || true)" -gt "$before" ] && return 0
		sleep 0.1
	done
	false
}

@test "argument filters: personality(0xffffffff) allowed, other values denied" {
	profile SCMP_ACT_ALLOW '[{"names": ["personality"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 4294967295, "op": "SCMP_CMP_NE"}]}]'
	# busybox linux32 calls personality(PER_LINUX32 = 8): denied
	set_cmd 'linux32 uname -m 2>/dev/null || echo denied'
	run_ctr
	[ "$output" = denied ]
	# without the rule the same call works
	update_config '.linux.seccomp.syscalls = []'
	run_ctr
	[ "$output" = i686 ]
}

@test "the Docker default profile runs a busybox shell normally" {
	update_config --slurpfile p "$REPO/seccomp/testdata/seccomp-default-oci.json" '.linux.seccomp = $p[0]'
	set_cmd 'ls / >/dev/null && ps >/dev/null && echo hi | sed s/h/H/ && mount -t tmpfs t /mnt 2>/dev/null || echo mount-denied'
	run_ctr
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = Hi ]
	[ "${lines[1]}" = mount-denied ]
}

@test "syscalls newer than the profile get ENOSYS" {
	requires_vessel "runc's ENOSYS rule"
	# an allow-list without mkdirat or anything above it: mkdirat (258) is
	# newer than every listed syscall
	# an allow-list up to set_tid_address (218): openat (257) is newer
	profile SCMP_ACT_ERRNO '[{"names": ["read", "write", "exit", "exit_group", "execve", "brk", "arch_prctl", "mmap", "munmap", "rt_sigaction", "rt_sigprocmask", "getpid", "close", "open", "stat", "fstat", "lstat", "ioctl", "getuid", "geteuid", "getgid", "getegid", "mprotect", "uname", "fcntl", "dup2", "wait4", "getppid", "getcwd", "access", "set_tid_address", "rt_sigreturn"], "action": "SCMP_ACT_ALLOW"}]'
	update_config '.process.args = ["cat", "/etc/passwd"]'
	run_ctr
	[[ "$output" == *"Function not implemented"* ]]
	# listed: a known-era syscall, openat, now gets the default EPERM errno
	# for what is not listed
	update_config '.linux.seccomp.syscalls[0].names += ["openat", "sendfile"]'
	update_config '.process.args = ["sh", "-c", "cd /tmp"]'
	run_ctr
	[[ "$output" != *"Function not implemented"* ]]
}

@test "NOTIFY reaches the listener with the container state" {
	[ -x "$AGENT" ] || (cd "$REPO" && go build -o "$AGENT" ./tests/cmd/seccompagent)
	"$AGENT" --count 1 --errno 1 "$BATS_TEST_TMPDIR/agent.sock" >"$BATS_TEST_TMPDIR/agent.out" 2>&1 &
	apid=$!
	for _ in $(seq 50); do [ -S "$BATS_TEST_TMPDIR/agent.sock" ] && break; sleep 0.05; done
	profile SCMP_ACT_ALLOW '[{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_NOTIFY"}]'
	update_config --arg s "$BATS_TEST_TMPDIR/agent.sock" '.linux.seccomp.listenerPath = $s | .linux.seccomp.listenerMetadata = "meta1"'
	update_config '.process.args = ["mkdir", "/tmp/new"]'
	run_ctr
	wait "$apid"
	cat "$BATS_TEST_TMPDIR/agent.out"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Operation not permitted"* ]]
	grep -q '"metadata":"meta1"' "$BATS_TEST_TMPDIR/agent.out"
	grep -q '"fds":\["seccompFd"\]' "$BATS_TEST_TMPDIR/agent.out"
	grep -Eq "notify nr=(83|258) " "$BATS_TEST_TMPDIR/agent.out"
}

@test "bad profiles name the field" {
	profile SCMP_ACT_ALLOW '[{"names": ["read"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_NOPE"}]}]'
	run vessel create --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"linux.seccomp.syscalls[0].args[0].op"* ]] || [[ "$output" == *"SCMP_CMP_NOPE"* ]]
	[ ! -e "$ROOT/$ID" ]
}
