#!/usr/bin/env bats
# create, start, state, kill, delete, run and the state directory.

load helpers

@test "create, start, exit, delete: statuses and state fields" {
	update_config '.process.args = ["sh", "-c", "read x < /dev/null; sleep 0.3"] | .annotations = {"a": "b"}'
	run vessel_bg create --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" "$ID"
	[ "$status" -eq 0 ]
	run vessel state "$ID"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r .status)" = created ]
	[ "$(echo "$output" | jq -r .id)" = "$ID" ]
	[ "$(echo "$output" | jq -r .bundle)" = "$BUNDLE" ]
	[ "$(echo "$output" | jq -r .annotations.a)" = b ]
	[ -n "$(echo "$output" | jq -r .ociVersion)" ]
	[ -n "$(echo "$output" | jq -r .created)" ]
	echo "$output" | jq -e 'has("owner")'
	pid=$(echo "$output" | jq -r .pid)
	[ "$pid" -gt 0 ]
	[ "$(cat "$BATS_TEST_TMPDIR/pid")" = "$pid" ]
	# the pid file was written atomically: no temporary file beside it
	[ "$(ls "$BATS_TEST_TMPDIR" | grep -c pid)" -eq 1 ]
	run vessel start "$ID"
	[ "$status" -eq 0 ]
	[ "$(vessel state "$ID" | jq -r .status)" = running ]
	wait_status "$ID" stopped
	[ "$(vessel state "$ID" | jq -r .pid)" = 0 ]
	run vessel delete "$ID"
	[ "$status" -eq 0 ]
	run vessel state "$ID"
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "start of a started or stopped container fails" {
	update_config '.process.args = ["true"]'
	vessel_bg create --bundle "$BUNDLE" "$ID"
	vessel start "$ID"
	wait_status "$ID" stopped
	run vessel start "$ID"
	[ "$status" -ne 0 ]
}

@test "run passes on the exit status" {
	set_cmd 'exit 3'
	run_ctr
	[ "$status" -eq 3 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "run exits with 128+N when the container is killed by signal N" {
	update_config '.process.args = ["sleep", "100"]'
	"$VESSEL" --root "$ROOT" run --bundle "$BUNDLE" "$ID" &
	runpid=$!
	wait_status "$ID" running
	vessel kill "$ID" KILL
	st=0
	wait "$runpid" || st=$?
	[ "$st" -eq 137 ]
}

@test "run forwards signals to the container" {
	# sh as pid 1 ignores SIGTERM unless it traps it
	set_cmd 'trap "exit 42" TERM; while :; do sleep 0.05; done'
	"$VESSEL" --root "$ROOT" run --bundle "$BUNDLE" "$ID" &
	runpid=$!
	wait_status "$ID" running
	sleep 0.2
	kill -TERM "$runpid"
	st=0
	wait "$runpid" || st=$?
	echo "status $st" >&2
	[ "$st" -eq 42 ]
}

@test "run --detach returns while the container runs" {
	update_config '.process.args = ["sleep", "100"]'
	run vessel_bg run --detach --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[ "$(vessel state "$ID" | jq -r .status)" = running ]
}

@test "a duplicate ID is refused and the first container is untouched" {
	update_config '.process.args = ["sleep", "100"]'
	vessel_bg run -d --bundle "$BUNDLE" "$ID"
	run vessel_bg run -d --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[ "$(vessel state "$ID" | jq -r .status)" = running ]
}

@test "an unknown ID is an error for state, start, kill and delete" {
	for cmd in state start kill delete; do
		run vessel "$cmd" nosuch
		[ "$status" -ne 0 ]
	done
}

@test "delete --force of an unknown ID succeeds" {
	run vessel delete --force nosuch
	[ "$status" -eq 0 ]
}

@test "delete of a running container needs --force" {
	update_config '.process.args = ["sleep", "100"]'
	vessel_bg run -d --bundle "$BUNDLE" "$ID"
	run vessel delete "$ID"
	[ "$status" -ne 0 ]
	[ "$(vessel state "$ID" | jq -r .status)" = running ]
	run vessel delete --force "$ID"
	[ "$status" -eq 0 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "delete of a created container kills it" {
	update_config '.process.args = ["sleep", "100"]'
	vessel_bg create --bundle "$BUNDLE" "$ID"
	pid=$(vessel state "$ID" | jq -r .pid)
	run vessel delete "$ID"
	[ "$status" -eq 0 ]
	sleep 0.1
	[ ! -e "/proc/$pid" ] || grep -q '^State:.*Z' "/proc/$pid/status"
}

@test "kill takes names with and without SIG, and numbers" {
	for sig in KILL SIGKILL 9; do
		update_config '.process.args = ["sleep", "100"]'
		vessel_bg run -d --bundle "$BUNDLE" "$ID"
		run vessel kill "$ID" "$sig"
		[ "$status" -eq 0 ]
		wait_status "$ID" stopped
		vessel delete "$ID"
	done
	run vessel kill nosuch FOO
	[ "$status" -ne 0 ]
}

@test "kill of a stopped container fails" {
	update_config '.process.args = ["true"]'
	vessel_bg run -d --bundle "$BUNDLE" "$ID"
	wait_status "$ID" stopped
	run vessel kill "$ID" KILL
	[ "$status" -ne 0 ]
}

@test "kill --all reaches every process of the container" {
	set_cmd 'sleep 100 & sleep 100 & wait'
	update_config '.linux.namespaces -= [{"type": "pid"}]'
	vessel_bg run -d --bundle "$BUNDLE" "$ID"
	wait_status "$ID" running
	sleep 0.2
	run vessel kill --all "$ID" KILL
	[ "$status" -eq 0 ]
	wait_status "$ID" stopped
	[ -z "$(pgrep -f 'sleep 100' | xargs -r -n1 sh -c 'grep -l vt'"$$"' /proc/$0/cgroup' 2>/dev/null)" ]
}

@test "without a private PID namespace kill stops every process of the container" {
	requires_vessel "runc 1.2+ behaviour"
	set_cmd 'sleep 101 & exec sleep 102'
	update_config '.linux.namespaces -= [{"type": "pid"}]'
	vessel_bg run -d --bundle "$BUNDLE" "$ID"
	wait_status "$ID" running
	sleep 0.2
	vessel kill "$ID" KILL
	wait_status "$ID" stopped
	sleep 0.2
	! pgrep -f 'sleep 101'
}

@test "commands on one container are serialized" {
	update_config '.process.args = ["sleep", "100"]'
	vessel_bg run -d --bundle "$BUNDLE" "$ID"
	for i in 1 2 3 4 5; do
		vessel kill "$ID" 0 2>/dev/null &
	done
	vessel delete --force "$ID" &
	wait
	run vessel state "$ID"
	[ "$status" -ne 0 ]
}

@test "create killed with SIGKILL leaves nothing that delete --force cannot clean" {
	requires_vessel "state written before the init starts"
	# a createRuntime hook that blocks lets us kill create half-way
	update_config '.process.args = ["true"] | .hooks.createRuntime = [{"path": "/bin/sleep", "args": ["sleep", "100"]}]'
	vessel_bg create --bundle "$BUNDLE" "$ID" &
	cpid=$!
	for _ in $(seq 100); do
		[ -e "$ROOT/$ID/state.json" ] && [ "$(jq -r .init_process_pid "$ROOT/$ID/state.json")" != 0 ] && break
		sleep 0.05
	done
	sleep 0.2
	kill -KILL "$cpid"
	wait "$cpid" || true
	pkill -f "sleep 100" || true
	run vessel delete --force "$ID"
	[ "$status" -eq 0 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "delete --force removes a state directory left without state" {
	requires_vessel "stale state directory"
	mkdir -p "$ROOT/$ID"
	run vessel delete --force "$ID"
	[ "$status" -eq 0 ]
	[ ! -e "$ROOT/$ID" ]
}
