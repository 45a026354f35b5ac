#!/usr/bin/env bats
# The process: args, env, cwd, user, capabilities, rlimits, no_new_privs,
# oom score, terminal, descriptors.

load helpers

@test "args and env reach the process; HOME is set" {
	update_config '.process.env += ["FOO=bar baz"] | .process.args = ["sh", "-c", "echo \"$FOO|$HOME|$0|$1\"", "zero", "one"]'
	run_ctr
	[ "$status" -eq 0 ]
	[ "$output" = "bar baz|/root|zero|one" ]
}

@test "cwd is created if missing" {
	own_rootfs
	update_config '.process.cwd = "/work/dir"'
	set_cmd 'pwd'
	run_ctr
	[ "$status" -eq 0 ]
	[ "$output" = /work/dir ]
}

@test "user uid, gid, additionalGids and umask" {
	update_config '.process.user = {"uid": 1000, "gid": 1000, "additionalGids": [5, 65534], "umask": 63}'
	set_cmd 'id; umask'
	run_ctr
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "uid=1000(user) gid=1000(user) groups=5(tty),1000(user),65534(nogroup)" ] || [ "${lines[0]}" = "uid=1000(user) gid=1000(user) groups=5(tty),65534(nogroup)" ]
	[ "${lines[1]}" = 0077 ]
}

@test "all five capability sets are exactly as configured" {
	update_config '.process.capabilities = {"bounding": ["CAP_KILL", "CAP_CHOWN", "CAP_NET_RAW"], "effective": ["CAP_KILL", "CAP_CHOWN"], "permitted": ["CAP_KILL", "CAP_CHOWN", "CAP_NET_RAW"], "inheritable": ["CAP_KILL"], "ambient": ["CAP_KILL"]}'
	set_cmd 'grep ^Cap /proc/self/status'
	run_ctr
	[ "$status" -eq 0 ]
	# CAP_CHOWN=0 (1), CAP_KILL=5 (0x20), CAP_NET_RAW=13 (0x2000); sh was
	# exec'd, so effective/permitted follow the exec rules: ambient KILL stays
	[[ "$output" == *"CapBnd:	0000000000002021"* ]]
	[[ "$output" == *"CapInh:	0000000000000020"* ]]
	[[ "$output" == *"CapAmb:	0000000000000020"* ]]
}

@test "capabilities of a root process in the default spec" {
	set_cmd 'grep ^Cap /proc/self/status'
	run_ctr
	[ "$status" -eq 0 ]
	# CAP_AUDIT_WRITE(29) CAP_KILL(5) CAP_NET_BIND_SERVICE(10)
	[[ "$output" == *"CapEff:	0000000020000420"* ]]
	[[ "$output" == *"CapBnd:	0000000020000420"* ]]
	[[ "$output" == *"CapInh:	0000000000000000"* ]]
}

@test "an unknown capability is an error" {
	update_config '.process.capabilities.bounding += ["CAP_NOPE"]'
	run_ctr
	[ "$status" -ne 0 ]
	[[ "$output" == *"CAP_NOPE"* ]]
}

@test "rlimits" {
	update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 123, "hard": 456}]'
	set_cmd 'ulimit -n; ulimit -Hn'
	run_ctr
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 123 ]
	[ "${lines[1]}" = 456 ]
}

@test "noNewPrivileges" {
	set_cmd 'grep NoNewPrivs /proc/self/status'
	update_config '.process.noNewPrivileges = true'
	run_ctr
	[[ "$output" == *"NoNewPrivs:	1"* ]]
	update_config '.process.noNewPrivileges = false'
	run_ctr
	[[ "$output" == *"NoNewPrivs:	0"* ]]
}

@test "oomScoreAdj" {
	update_config '.process.oomScoreAdj = 123'
	set_cmd 'cat /proc/self/oom_score_adj'
	run_ctr
	[ "$status" -eq 0 ]
	[ "$output" = 123 ]
}

@test "terminal: the pty master goes to the console socket" {
	update_config '.process.terminal = true | .process.consoleSize = {"height": 25, "width": 90}'
	set_cmd 'tty; stty size </dev/console; ls -l /proc/self/fd/0'
	"$RECVTTY" "$BATS_TEST_TMPDIR/tty.sock" >"$BATS_TEST_TMPDIR/tty.out" &
	rpid=$!
	for _ in $(seq 50); do [ -S "$BATS_TEST_TMPDIR/tty.sock" ] && break; sleep 0.05; done
	run vessel_bg run -d --console-socket "$BATS_TEST_TMPDIR/tty.sock" --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	wait "$rpid"
	cat "$BATS_TEST_TMPDIR/tty.out"
	grep -q "^/dev/pts/0" "$BATS_TEST_TMPDIR/tty.out"
	grep -q "^25 90" "$BATS_TEST_TMPDIR/tty.out"
}

@test "terminal: create returns while its output pipe is read to EOF" {
	# containerd's shim reads create's stdout and stderr until EOF: an init
	# that kept them (instead of /dev/null) hung `ctr run -t` until start.
	# Guards the terminal branch of initProcess.start.
	update_config '.process.terminal = true | .process.args = ["true"]'
	"$RECVTTY" --mode null "$BATS_TEST_TMPDIR/tty.sock" &
	for _ in $(seq 50); do [ -S "$BATS_TEST_TMPDIR/tty.sock" ] && break; sleep 0.05; done
	run timeout 10 bash -c '"$@" 2>&1 | cat' _ "$VESSEL" --root "$ROOT" create \
		--console-socket "$BATS_TEST_TMPDIR/tty.sock" --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "$(vessel state "$ID" | jq -r .status)" = created ]
	vessel start "$ID"
	wait_status "$ID" stopped
}

@test "terminal without a console socket is an error for create" {
	update_config '.process.terminal = true'
	run vessel_bg create --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "only stdio and --preserve-fds reach the process" {
	set_cmd 'ls /proc/self/fd | sort -n | tr "\n" " "'
	exec 7</dev/null
	run "$VESSEL" --root "$ROOT" run --bundle "$BUNDLE" "$ID" 8</dev/null 9</dev/null
	[ "$status" -eq 0 ]
	[ "$output" = "0 1 2 3 " ]
	set_cmd 'ls -l /proc/self/fd/3 /proc/self/fd/4 | wc -l; test ! -e /proc/self/fd/5'
	run "$VESSEL" --root "$ROOT" run --preserve-fds 2 --bundle "$BUNDLE" "$ID" 3</dev/null 4</dev/null 5</dev/null
	[ "$status" -eq 0 ]
	[ "$output" = 2 ]
}

@test "the working directory is never a host directory (CVE-2024-21626)" {
	update_config '.process.cwd = "/proc/self/fd/7"'
	set_cmd 'pwd; ls'
	run "$VESSEL" --root "$ROOT" run --bundle "$BUNDLE" "$ID" 7</
	[ "$status" -ne 0 ] || [[ "$output" != *"etc"*"usr"* ]]
}

@test "exec failures say what runc says" {
	update_config '.process.args = ["/nonexistent"]'
	run_ctr
	[ "$status" -ne 0 ]
	[[ "$output" == *"no such file or directory"* ]]
	update_config '.process.args = ["/etc/passwd"]'
	run_ctr
	[ "$status" -ne 0 ]
	[[ "$output" == *"permission denied"* ]]
	update_config '.process.args = ["nosuchcommand"]'
	run_ctr
	[ "$status" -ne 0 ]
	[[ "$output" == *"executable file not found"* ]]
}
