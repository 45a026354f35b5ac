#!/usr/bin/env bats
# podman drives vessel through conmon: `podman --runtime vessel`.

load helpers

setup_file() {
	client_setup_file
	VROOT=/run/vessel
	# podman's default rlimits raise nofile and nproc to 1048576, which
	# needs CAP_SYS_RESOURCE: the sandboxed test machines lack it (runc fails
	# there the same way), so the defaults are lowered there.
	: >"$T/containers.conf"
	if sys_resource_missing; then
		echo '[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]' >"$T/containers.conf"
	fi
	export CONTAINERS_CONF=$T/containers.conf
	podman_ load -i "$T/image.tar" >/dev/null
}

teardown_file() {
	podman_ rm -af -t 0 >/dev/null 2>&1 || true
	podman_ rmi -af >/dev/null 2>&1 || true
	umount "$T/podman/storage/overlay" 2>/dev/null || true
	client_teardown_file
}

teardown() {
	podman_ rm -af -t 0 >/dev/null 2>&1 || true
	check_no_leftovers
	! pgrep -f "conmon.*$T" >/dev/null
}

# podman_ ARGS...: podman with its storage under $T, vessel as its runtime,
# cgroupfs and no network. vessel keeps its state in its default --root:
# podman 4.3 passes --runtime-flag to every command but delete, so a
# private root would leave the state of every removed container behind.
podman_() {
	podman --root "$T/podman/storage" --runroot "$T/podman/run" --tmpdir "$T/podman/tmp" \
		--storage-driver overlay --cgroup-manager cgroupfs --events-backend file \
		--runtime "$VESSEL" "$@"
}

# podman_run ARGS...: podman run with the container's cgroup under CGPARENT.
podman_run() {
	podman_ run --network none --cgroup-parent "$CGPARENT" "$@"
}

podman_pid() {
	podman_ inspect --format '{{.State.Pid}}' "$1"
}

@test "podman run: output and exit code" {
	run podman_run --rm "$IMAGE" sh -c 'echo hello from vessel; exit 3'
	[ "$status" -eq 3 ]
	[ "$output" = "hello from vessel" ]
	[ "$(podman_ info --format '{{.Host.OCIRuntime.Path}}')" = "$VESSEL" ]
}

@test "podman: a detached container, exec into it, stop it" {
	podman_run -d --name p2 "$IMAGE" sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done'
	pid=$(podman_pid p2)
	[ "$pid" -gt 0 ]
	id=$(podman_ inspect --format '{{.Id}}' p2)
	[ "$("$VESSEL" --root "$VROOT" state "$id" | jq -r .status)" = running ]
	run podman_ exec p2 sh -c 'echo in exec; exit 4'
	[ "$status" -eq 4 ]
	[ "$output" = "in exec" ]
	run podman_ exec p2 sh -c 'readlink /proc/1/ns/pid; readlink /proc/self/ns/pid'
	[ "$(echo "$output" | sort -u | wc -l)" -eq 1 ]
	run podman_ exec --user 1000 --workdir /tmp --env X=y p2 sh -c 'id -u; pwd; echo $X'
	[ "$output" = "$(printf '1000\n/tmp\ny')" ]
	podman_ stop -t 10 p2
	[ "$(podman_ inspect --format '{{.State.Status}} {{.State.ExitCode}}' p2)" = "exited 0" ]
	podman_ rm p2
	[ ! -d "$VROOT/$id" ]
}

@test "podman run -t: the process has a terminal" {
	run with_tty podman --root "$T/podman/storage" --runroot "$T/podman/run" --tmpdir "$T/podman/tmp" \
		--storage-driver overlay --cgroup-manager cgroupfs --events-backend file \
		--runtime "$VESSEL" \
		run --rm -t --network none --cgroup-parent "$CGPARENT" "$IMAGE" \
		sh -c 'tty; [ -t 0 ] && echo stdin-is-tty; exit 5'
	[ "$status" -eq 5 ]
	[[ "$output" == *"/dev/pts/0"* ]]
	[[ "$output" == *"stdin-is-tty"* ]]
}

@test "podman: env, user and working directory" {
	run podman_run --rm --env FOO=bar --user 1000:1000 --workdir /home/user "$IMAGE" \
		sh -c 'echo $FOO; id -u; id -g; pwd'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'bar\n1000\n1000\n/home/user')" ]
}

@test "podman: --memory and --pids-limit reach the container's cgroup" {
	podman_run -d --name p5 --memory 64m --pids-limit 20 "$IMAGE" sleep 100
	pid=$(podman_pid p5)
	[ "$(cat "$(cgroup_file "$pid" memory memory.limit_in_bytes)")" -eq 67108864 ]
	[ "$(cat "$(cgroup_file "$pid" pids pids.max)")" -eq 20 ]
	# and from inside
	run podman_ exec p5 cat /sys/fs/cgroup/pids/pids.max
	[ "$output" = 20 ]
}

@test "podman: pause and unpause freeze the container" {
	podman_run -d --name p6 "$IMAGE" sleep 100
	pid=$(podman_pid p6)
	podman_ pause p6
	[ "$(podman_ inspect --format '{{.State.Status}}' p6)" = paused ]
	[ "$(cat "$(cgroup_file "$pid" freezer freezer.state)")" = FROZEN ]
	podman_ unpause p6
	[ "$(podman_ inspect --format '{{.State.Status}}' p6)" = running ]
	[ "$(cat "$(cgroup_file "$pid" freezer freezer.state)")" = THAWED ]
}

@test "podman: stats and top" {
	podman_run -d --name p7 --memory 64m "$IMAGE" sh -c 'sleep 100 & sleep 100 & wait'
	pid=$(podman_pid p7)
	wait_for pids_in_cgroup "$pid" 3
	run podman_ stats --no-stream --format '{{.PIDs}} {{.MemUsage}}' p7
	[ "$status" -eq 0 ]
	[[ "$output" == "3 "*"/ 67.11MB" ]]
	run podman_ top p7 pid args
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
	[[ "$output" == *"sleep 100"* ]]
}

@test "podman run --read-only: the rootfs is read-only" {
	run podman_run --rm --read-only --read-only-tmpfs=false "$IMAGE" sh -c 'touch /x 2>&1'
	[ "$status" -ne 0 ]
	[[ "$output" == *"Read-only file system"* ]]
}

@test "podman run -v: a bind-mounted volume" {
	mkdir -p "$T/vol"
	echo from-host >"$T/vol/in"
	run podman_run --rm -v "$T/vol:/vol" "$IMAGE" sh -c 'cat /vol/in; echo from-container > /vol/out'
	[ "$status" -eq 0 ]
	[ "$output" = from-host ]
	[ "$(cat "$T/vol/out")" = from-container ]
}

@test "podman: removal leaves nothing behind" {
	podman_run -d --name p10 "$IMAGE" sleep 100
	pid=$(podman_pid p10)
	id=$(podman_ inspect --format '{{.Id}}' p10)
	memcg=$(dirname "$(cgroup_file "$pid" memory cgroup.procs)")
	[ -d "$memcg" ]
	podman_ rm -f -t 0 p10
	[ ! -d "$memcg" ]
	[ ! -e "/proc/$pid" ]
	[ ! -d "$VROOT/$id" ]
	check_no_leftovers
}
