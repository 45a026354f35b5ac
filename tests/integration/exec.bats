#!/usr/bin/env bats
# exec: another process in every namespace and the cgroup of a container.

load helpers

start_sleeper() {
	update_config '.process.args = ["sleep", "1000"]'
	vessel_bg run -d --bundle "$BUNDLE" "$ID"
	INIT=$(vessel state "$ID" | jq -r .pid)
}

@test "exec joins every namespace of the container and its cgroup" {
	start_sleeper
	run vessel exec "$ID" sh -c 'for n in ipc mnt net pid uts cgroup; do readlink /proc/self/ns/$n; done; cat /proc/self/cgroup'
	[ "$status" -eq 0 ]
	for n in ipc mnt net pid uts cgroup; do
		[[ "$output" == *"$(readlink /proc/$INIT/ns/$n)"* ]]
	done
}

@test "exec passes on the exit status and 128+N for a signal" {
	start_sleeper
	run vessel exec "$ID" sh -c 'exit 7'
	[ "$status" -eq 7 ]
	run vessel exec "$ID" sh -c 'kill -9 $$'
	[ "$status" -eq 137 ]
}

@test "exec --user, --additional-gids, --cwd, --env" {
	start_sleeper
	run vessel exec --user 1000:1000 --additional-gids 5 --cwd /tmp --env A=b "$ID" sh -c 'id; pwd; echo $A'
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "uid=1000(user) gid=1000(user) groups=5(tty)"* ]]
	[ "${lines[1]}" = /tmp ]
	[ "${lines[2]}" = b ]
}

@test "exec --cap adds a capability; --no-new-privs" {
	start_sleeper
	run vessel exec --cap CAP_SYS_ADMIN --no-new-privs "$ID" grep -E '^(CapEff|NoNewPrivs)' /proc/self/status
	[ "$status" -eq 0 ]
	[[ "$output" == *"CapEff:	0000000020200420"* ]]
	[[ "$output" == *"NoNewPrivs:	1"* ]]
	run vessel exec --cap CAP_NOPE "$ID" true
	[ "$status" -ne 0 ]
}

@test "exec --process takes a runtime-spec process JSON" {
	start_sleeper
	echo '{"args": ["sh", "-c", "echo $X; id -u"], "env": ["X=from-json"], "cwd": "/", "user": {"uid": 65534, "gid": 65534}}' >"$BATS_TEST_TMPDIR/p.json"
	run vessel exec --process "$BATS_TEST_TMPDIR/p.json" "$ID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = from-json ]
	[ "${lines[1]}" = 65534 ]
	printf '{\n "args": [\n}' >"$BATS_TEST_TMPDIR/bad.json"
	run vessel exec --process "$BATS_TEST_TMPDIR/bad.json" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"line 3"* ]]
}

@test "exec --detach with --pid-file" {
	start_sleeper
	run vessel_bg exec --detach --pid-file "$BATS_TEST_TMPDIR/exec.pid" "$ID" sleep 100
	[ "$status" -eq 0 ]
	pid=$(cat "$BATS_TEST_TMPDIR/exec.pid")
	[ "$(readlink /proc/$pid/ns/pid)" = "$(readlink /proc/$INIT/ns/pid)" ]
}

@test "exec --tty sends the pty master to the console socket" {
	start_sleeper
	"$RECVTTY" "$BATS_TEST_TMPDIR/tty.sock" >"$BATS_TEST_TMPDIR/tty.out" &
	rpid=$!
	for _ in $(seq 50); do [ -S "$BATS_TEST_TMPDIR/tty.sock" ] && break; sleep 0.05; done
	run vessel_bg exec --tty --detach --console-socket "$BATS_TEST_TMPDIR/tty.sock" "$ID" tty
	[ "$status" -eq 0 ]
	wait "$rpid"
	grep -q "^/dev/pts/" "$BATS_TEST_TMPDIR/tty.out"
}

@test "exec sees only stdio (and --preserve-fds)" {
	start_sleeper
	run vessel exec "$ID" sh -c 'ls /proc/self/fd | sort -n | tr "\n" " "' 8</dev/null
	[ "$status" -eq 0 ]
	[ "$output" = "0 1 2 3 " ]
	run vessel exec --preserve-fds 1 "$ID" sh -c 'test -e /proc/self/fd/3 && ! test -e /proc/self/fd/4 && echo ok' 3</dev/null 4</dev/null
	[ "$output" = ok ]
}

@test "exec into a stopped, missing or paused container fails" {
	run vessel exec nosuch true
	[ "$status" -ne 0 ]
	update_config '.process.args = ["true"]'
	vessel_bg run -d --bundle "$BUNDLE" "$ID"
	wait_status "$ID" stopped
	run vessel exec "$ID" true
	[ "$status" -ne 0 ]
	vessel delete "$ID"
	start_sleeper
	vessel pause "$ID"
	run vessel exec "$ID" true
	[ "$status" -ne 0 ]
	vessel resume "$ID"
}

@test "many concurrent execs leave no process behind" {
	start_sleeper
	for i in $(seq 20); do
		vessel exec "$ID" sh -c "echo $i" >"$BATS_TEST_TMPDIR/out.$i" &
	done
	wait
	for i in $(seq 20); do
		[ "$(cat "$BATS_TEST_TMPDIR/out.$i")" = "$i" ]
	done
	run vessel ps --format json "$ID"
	[ "$(echo "$output" | jq length)" -eq 1 ]
}

@test "exec --apparmor on a host without AppArmor is refused, not ignored" {
	[ -e /sys/module/apparmor/parameters/enabled ] && skip "AppArmor is enabled here"
	start_sleeper
	run vessel exec --apparmor some-profile "$ID" true
	[ "$status" -ne 0 ]
	[[ "$output" == *AppArmor* ]]
}

@test "exec --ignore-paused runs in a paused container once resumed" {
	start_sleeper
	vessel pause "$ID"
	vessel_bg exec --detach --ignore-paused --pid-file "$BATS_TEST_TMPDIR/p" "$ID" sleep 50
	pid=$(cat "$BATS_TEST_TMPDIR/p")
	[ "$(readlink /proc/$pid/ns/pid)" = "$(readlink /proc/$INIT/ns/pid)" ]
	vessel resume "$ID"
}

@test "exec --cgroup puts the process in a sub-cgroup" {
	start_sleeper
	requires_vessel "state.json layout"
	# make the sub-cgroup from the host, in every hierarchy of the container
	for dir in $(jq -r '.cgroup_paths[]' "$ROOT/$ID/state.json"); do
		mkdir -p "$dir/sub"
	done
	run vessel exec --cgroup sub "$ID" cat /proc/self/cgroup
	[ "$status" -eq 0 ]
	[[ "$output" == *"/sub"* ]]
}

# exec sets the process up in C from a plan (nsenter/execplan.c) unless it
# needs the Go init (terminal, AppArmor, NOTIFY); _VESSEL_EXEC_GO_INIT=1
# forces the Go init. Both must give the process the same identity, limits,
# filter, directory, environment and descriptors, and the same errors.
@test "exec through the C plan and through the Go init: the same process" {
	update_config '.process.args = ["sleep", "100"] | .process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 321, "hard": 654}] |
		.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mknod"], "action": "SCMP_ACT_ERRNO"}]}'
	vessel_bg run -d --bundle "$BUNDLE" "$ID"
	cat >"$BATS_TEST_TMPDIR/proc.json" <<'JSON'
{"args": ["sh", "-c", "grep -E '^(Uid|Gid|Groups|Cap|NoNewPrivs|Seccomp)' /proc/self/status; ulimit -n; ulimit -Hn; umask; pwd; env | sort; ls /proc/self/fd | tr '\n' ' '"],
 "env": ["PATH=/bin", "FOO=bar"], "cwd": "/tmp", "noNewPrivileges": true,
 "user": {"uid": 1000, "gid": 1000, "additionalGids": [5, 65534], "umask": 63},
 "rlimits": [{"type": "RLIMIT_NOFILE", "soft": 100, "hard": 200}],
 "capabilities": {"bounding": ["CAP_KILL", "CAP_CHOWN"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL", "CAP_CHOWN"],
   "inheritable": ["CAP_KILL"], "ambient": ["CAP_KILL"]}}
JSON
	c=$(vessel exec --process "$BATS_TEST_TMPDIR/proc.json" "$ID" 3</dev/null)
	g=$(_VESSEL_EXEC_GO_INIT=1 vessel exec --process "$BATS_TEST_TMPDIR/proc.json" "$ID" 3</dev/null)
	echo "$c"
	[ "$c" = "$g" ]
	# and the values are the asked ones
	[[ "$c" == *"Groups:	5 65534"* ]]
	[[ "$c" == *"CapAmb:	0000000000000020"* ]]
	[[ "$c" == *"Seccomp:	2"* ]]
	[[ "$c" == *"HOME=/home/user"* ]]
	[[ "$c" == *"$(printf '100\n200\n0077\n/tmp')"* ]]
	[[ "$c" == *"0 1 2 3 " ]]
	# --preserve-fds
	c=$(vessel exec --preserve-fds 1 "$ID" ls /proc/self/fd 3</dev/null | tr '\n' ' ')
	g=$(_VESSEL_EXEC_GO_INIT=1 vessel exec --preserve-fds 1 "$ID" ls /proc/self/fd 3</dev/null | tr '\n' ' ')
	[ "$c" = "$g" ]
	# the same errors
	for args in "|nosuch" "|/nosuch" "|/etc" "--cwd /nonexistent|true" "--user 1000 --cwd /root/x|true"; do
		opts=${args%%|*} cmd=${args#*|}
		# shellcheck disable=SC2086 # split on purpose
		c=$(vessel exec $opts "$ID" $cmd 2>&1 || true)
		# shellcheck disable=SC2086
		g=$(_VESSEL_EXEC_GO_INIT=1 vessel exec $opts "$ID" $cmd 2>&1 || true)
		echo "C: $c / Go: $g"
		[ "$c" = "$g" ]
		[[ "$c" == "vessel: "* ]]
	done
}
