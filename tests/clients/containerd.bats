#!/usr/bin/env bats
# containerd drives vessel through its io.containerd.runc.v2 shim (go-runc),
# with vessel as the shim's runc binary: `ctr run --runc-binary`.

load helpers

setup_file() {
	client_setup_file
	start_containerd
	ctr_ image import "$T/image.tar" >/dev/null
}

teardown_file() {
	stop_daemon containerd
	client_teardown_file
}

teardown() {
	local c
	for c in $(ctr_ task ls -q 2>/dev/null); do
		ctr_ task kill -s SIGKILL "$c" >/dev/null 2>&1 || true
		wait_for ctr_task_stopped "$c" || true
		ctr_ task rm -f "$c" >/dev/null 2>&1 || true
	done
	for c in $(ctr_ container ls -q 2>/dev/null); do
		ctr_ container rm "$c" >/dev/null 2>&1 || true
	done
	check_no_leftovers
}

ctr_() {
	ctr --address "$T/containerd.sock" --namespace vessel-test "$@"
}

# ctr_run [--opt=value...] ID [ARGS...]: `ctr run` of the image with vessel
# as the shim's runtime, its state under $VROOT and the container's cgroup
# under CGPARENT. Options take their value after "=".
ctr_run() {
	local opts=() id
	while [ $# -gt 0 ] && [ "${1#-}" != "$1" ]; do
		opts+=("$1")
		shift
	done
	id=$1
	shift
	ctr_ run --runc-binary "$VESSEL" --runc-root "$VROOT" --cgroup "$CGPARENT/$id" \
		"${opts[@]}" "docker.io/library/$IMAGE" "$id" "$@"
}

ctr_task_stopped() {
	ctr_ task ls | awk -v id="$1" '$1 == id && $3 == "STOPPED" {found = 1} END {exit !found}'
}

ctr_task_pid() {
	ctr_ task ls | awk -v id="$1" '$1 == id {print $2}'
}

@test "ctr run: output and exit code" {
	run ctr_run --rm c1 sh -c 'echo hello from vessel; exit 3'
	[ "$status" -eq 3 ]
	[ "$output" = "hello from vessel" ]
	# The shim ran vessel: the container's state was under our --runc-root.
	[ -d "$VROOT/vessel-test" ]
}

@test "ctr: a detached container, exec into it, stop it" {
	ctr_run -d c2 sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done'
	pid=$(ctr_task_pid c2)
	[ "$pid" -gt 0 ]
	[ "$("$VESSEL" --root "$VROOT/vessel-test" state c2 | jq -r .status)" = running ]
	run ctr_ task exec --exec-id e1 c2 sh -c 'echo in exec; exit 4'
	[ "$status" -eq 4 ]
	[ "$output" = "in exec" ]
	# The exec'd process shares the container's PID namespace.
	run ctr_ task exec --exec-id e2 c2 sh -c 'readlink /proc/1/ns/pid; readlink /proc/self/ns/pid'
	[ "$(echo "$output" | sort -u | wc -l)" -eq 1 ]
	ctr_ task kill -s SIGTERM c2
	wait_for ctr_task_stopped c2
	ctr_ task rm c2
	ctr_ container rm c2
	[ ! -d "$VROOT/vessel-test/c2" ]
}

@test "ctr run -t: the process has a terminal" {
	run with_tty ctr --address "$T/containerd.sock" --namespace vessel-test run \
		--runc-binary "$VESSEL" --runc-root "$VROOT" --cgroup "$CGPARENT/c3" -t --rm \
		"docker.io/library/$IMAGE" c3 sh -c 'tty; [ -t 0 ] && echo stdin-is-tty; exit 5'
	[ "$status" -eq 5 ]
	[[ "$output" == *"/dev/pts/0"* ]]
	[[ "$output" == *"stdin-is-tty"* ]]
}

@test "ctr: env, user and working directory" {
	run ctr_run --rm --env=FOO=bar --cwd=/tmp c4 sh -c 'echo $FOO; pwd'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = bar ]
	[ "${lines[1]}" = /tmp ]
	ctr_run -d c4b sleep 100
	run ctr_ task exec --exec-id e1 --user 1000 --cwd /home/user c4b sh -c 'id -u; id -g; pwd'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '1000\n1000\n/home/user')" ]
}

@test "ctr: memory and pids limits reach the container's cgroup" {
	# ctr has --memory-limit but no pids flag: the pids limit comes from a
	# whole runtime spec (--config), written by `vessel spec`.
	ctr_run -d --memory-limit=67108864 c5 sleep 100
	pid=$(ctr_task_pid c5)
	[ "$(cat "$(cgroup_file "$pid" memory memory.limit_in_bytes)")" -eq 67108864 ]
	mkdir -p "$T/c5b"
	"$REPO/scripts/mkrootfs.sh" "$T/c5b/rootfs"
	(cd "$T/c5b" && "$VESSEL" spec)
	jq --arg root "$T/c5b/rootfs" --arg cg "$CGPARENT/c5b" '
		.root.path = $root | .process.terminal = false |
		.process.args = ["sh", "-c", "cat /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/memory/memory.limit_in_bytes; id -u"] |
		.process.user = {uid: 1000, gid: 1000} |
		.linux.cgroupsPath = $cg |
		.linux.resources.pids = {limit: 20} | .linux.resources.memory = {limit: 33554432}' \
		"$T/c5b/config.json" >"$T/c5b/spec.json"
	run ctr_ run --rm --runc-binary "$VESSEL" --runc-root "$VROOT" --config "$T/c5b/spec.json" c5b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '20\n33554432\n1000')" ]
}

@test "ctr: pause and resume freeze the container" {
	ctr_run -d c6 sleep 100
	pid=$(ctr_task_pid c6)
	ctr_ task pause c6
	[ "$(ctr_ task ls | awk '$1 == "c6" {print $3}')" = PAUSED ]
	[ "$(cat "$(cgroup_file "$pid" freezer freezer.state)")" = FROZEN ]
	[ "$("$VESSEL" --root "$VROOT/vessel-test" state c6 | jq -r .status)" = paused ]
	ctr_ task resume c6
	[ "$(ctr_ task ls | awk '$1 == "c6" {print $3}')" = RUNNING ]
	[ "$(cat "$(cgroup_file "$pid" freezer freezer.state)")" = THAWED ]
}

@test "ctr: metrics (stats) and ps (top)" {
	ctr_run -d --memory-limit=67108864 c7 sh -c 'sleep 100 & sleep 100 & wait'
	pid=$(ctr_task_pid c7)
	wait_for pids_in_cgroup "$pid" 3
	run ctr_ task metrics --format json c7
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.pids.current == 3 and .memory.usage.limit == 67108864' >/dev/null
	run ctr_ task metrics c7
	[[ "$output" == *"memory.limit_in_bytes"*67108864* ]]
	[[ "$output" == *"pids.current"*3* ]]
	run ctr_ task ps c7
	[ "$status" -eq 0 ]
	# The header and the three processes: sh and two sleeps.
	[ "${#lines[@]}" -eq 4 ]
	[[ "$output" == *"$pid"* ]]
}

@test "ctr run --read-only: the rootfs is read-only" {
	run ctr_run --rm --read-only c8 sh -c 'touch /x 2>&1; touch /tmp/y 2>&1 || true'
	[[ "$output" == *"Read-only file system"* ]]
}

@test "ctr run --mount: a bind-mounted volume" {
	mkdir -p "$T/vol"
	echo from-host >"$T/vol/in"
	run ctr_run --rm --mount="type=bind,src=$T/vol,dst=/vol,options=rbind:rw" c9 \
		sh -c 'cat /vol/in; echo from-container > /vol/out'
	[ "$status" -eq 0 ]
	[ "$output" = from-host ]
	[ "$(cat "$T/vol/out")" = from-container ]
}

@test "ctr: removal leaves nothing behind" {
	ctr_run -d c10 sleep 100
	pid=$(ctr_task_pid c10)
	memcg=$(dirname "$(cgroup_file "$pid" memory cgroup.procs)")
	[ -d "$memcg" ]
	ctr_ task kill -s SIGKILL c10
	wait_for ctr_task_stopped c10
	ctr_ task rm c10
	ctr_ container rm c10
	[ ! -d "$memcg" ]
	[ ! -e "/proc/$pid" ]
	[ ! -d "$VROOT/vessel-test/c10" ]
	check_no_leftovers
}
