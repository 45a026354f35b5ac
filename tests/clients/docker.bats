#!/usr/bin/env bats
# Docker drives vessel through containerd's runc v2 shim: dockerd with
# vessel added as a runtime, `docker run --runtime vessel`.

load helpers

setup_file() {
	client_setup_file
	start_containerd
	echo '{}' >"$T/daemon.json"
	# No bridge, no iptables: the tests use --network none and must not
	# touch the host's network. Containers nest under CGPARENT.
	start_daemon dockerd "$T/docker.sock" dockerd --config-file "$T/daemon.json" \
		--data-root "$T/docker" --exec-root "$T/dx" --host "unix://$T/docker.sock" \
		--pidfile "$T/docker.pid" --containerd "$T/containerd.sock" \
		--bridge none --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
		--storage-driver overlay2 --exec-opt native.cgroupdriver=cgroupfs \
		--cgroup-parent "$CGPARENT" --add-runtime "vessel=$VESSEL"
	# dockerd 20.10 gives the runc v2 shim this state root, whatever the
	# runtime's binary.
	VROOT=$T/dx/runtime-runc
	docker_ load -i "$T/image.tar" >/dev/null
}

teardown_file() {
	docker_ rm -f $(docker_ ps -aq) >/dev/null 2>&1 || true
	stop_daemon dockerd
	stop_daemon containerd
	client_teardown_file
}

teardown() {
	docker_ rm -f $(docker_ ps -aq) >/dev/null 2>&1 || true
	check_no_leftovers
}

# Debian's docker.io client: /usr/local/bin may hold a newer one.
docker_() {
	/usr/bin/docker --host "unix://$T/docker.sock" "$@"
}

docker_run() {
	docker_ run --runtime vessel --network none "$@"
}

docker_pid() {
	docker_ inspect --format '{{.State.Pid}}' "$1"
}

@test "docker run: output and exit code" {
	run docker_run --rm "$IMAGE" sh -c 'echo hello from vessel; exit 3'
	[ "$status" -eq 3 ]
	[ "$output" = "hello from vessel" ]
}

@test "docker: a detached container, exec into it, stop it" {
	docker_run -d --name d2 "$IMAGE" sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done'
	pid=$(docker_pid d2)
	[ "$pid" -gt 0 ]
	id=$(docker_ inspect --format '{{.Id}}' d2)
	[ "$("$VESSEL" --root "$VROOT/moby" state "$id" | jq -r .status)" = running ]
	run docker_ exec d2 sh -c 'echo in exec; exit 4'
	[ "$status" -eq 4 ]
	[ "$output" = "in exec" ]
	run docker_ exec d2 sh -c 'readlink /proc/1/ns/pid; readlink /proc/self/ns/pid'
	[ "$(echo "$output" | sort -u | wc -l)" -eq 1 ]
	run docker_ exec --user 1000 --workdir /tmp --env X=y d2 sh -c 'id -u; pwd; echo $X'
	[ "$output" = "$(printf '1000\n/tmp\ny')" ]
	docker_ stop -t 10 d2
	[ "$(docker_ inspect --format '{{.State.Status}} {{.State.ExitCode}}' d2)" = "exited 0" ]
	docker_ rm d2
	[ ! -d "$VROOT/moby/$id" ]
}

@test "docker run -t: the process has a terminal" {
	run with_tty /usr/bin/docker --host "unix://$T/docker.sock" run --rm -t --runtime vessel \
		--network none "$IMAGE" sh -c 'tty; [ -t 0 ] && echo stdin-is-tty; exit 5'
	[ "$status" -eq 5 ]
	[[ "$output" == *"/dev/pts/0"* ]]
	[[ "$output" == *"stdin-is-tty"* ]]
}

@test "docker: env, user and working directory" {
	run docker_run --rm --env FOO=bar --user 1000:1000 --workdir /home/user "$IMAGE" \
		sh -c 'echo $FOO; id -u; id -g; pwd'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'bar\n1000\n1000\n/home/user')" ]
}

@test "docker: --memory and --pids-limit reach the container's cgroup" {
	docker_run -d --name d5 --memory 64m --pids-limit 20 "$IMAGE" sleep 100
	pid=$(docker_pid d5)
	[ "$(cat "$(cgroup_file "$pid" memory memory.limit_in_bytes)")" -eq 67108864 ]
	[ "$(cat "$(cgroup_file "$pid" pids pids.max)")" -eq 20 ]
	run docker_ exec d5 cat /sys/fs/cgroup/pids/pids.max
	[ "$output" = 20 ]
	# update goes through the shim to `vessel update`
	docker_ update --pids-limit 30 d5
	[ "$(cat "$(cgroup_file "$pid" pids pids.max)")" -eq 30 ]
}

@test "docker: pause and unpause freeze the container" {
	docker_run -d --name d6 "$IMAGE" sleep 100
	pid=$(docker_pid d6)
	docker_ pause d6
	[ "$(docker_ inspect --format '{{.State.Status}}' d6)" = paused ]
	[ "$(cat "$(cgroup_file "$pid" freezer freezer.state)")" = FROZEN ]
	docker_ unpause d6
	[ "$(docker_ inspect --format '{{.State.Status}}' d6)" = running ]
	[ "$(cat "$(cgroup_file "$pid" freezer freezer.state)")" = THAWED ]
}

@test "docker: stats and top" {
	docker_run -d --name d7 --memory 64m "$IMAGE" sh -c 'sleep 100 & sleep 100 & wait'
	pid=$(docker_pid d7)
	wait_for pids_in_cgroup "$pid" 3
	run docker_ stats --no-stream --format '{{.PIDs}} {{.MemUsage}}' d7
	[ "$status" -eq 0 ]
	[[ "$output" == "3 "*"/ 64MiB" ]]
	run docker_ top d7
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
	[[ "$output" == *"sleep 100"* ]]
}

@test "docker run --read-only: the rootfs is read-only" {
	run docker_run --rm --read-only "$IMAGE" sh -c 'touch /x 2>&1'
	[ "$status" -ne 0 ]
	[[ "$output" == *"Read-only file system"* ]]
}

@test "docker run -v: a bind-mounted volume" {
	mkdir -p "$T/vol"
	echo from-host >"$T/vol/in"
	run docker_run --rm -v "$T/vol:/vol" "$IMAGE" sh -c 'cat /vol/in; echo from-container > /vol/out'
	[ "$status" -eq 0 ]
	[ "$output" = from-host ]
	[ "$(cat "$T/vol/out")" = from-container ]
}

@test "docker: removal leaves nothing behind" {
	docker_run -d --name d10 "$IMAGE" sleep 100
	pid=$(docker_pid d10)
	id=$(docker_ inspect --format '{{.Id}}' d10)
	memcg=$(dirname "$(cgroup_file "$pid" memory cgroup.procs)")
	[ -d "$memcg" ]
	docker_ rm -f d10
	[ ! -d "$memcg" ]
	[ ! -e "/proc/$pid" ]
	[ ! -d "$VROOT/moby/$id" ]
	check_no_leftovers
}
