#!/usr/bin/env bats
# Hooks: order, state on stdin, args and env, failures, timeouts.

load helpers

# hook writes "<name> <status> <pid>" and its args/env to the host log.
make_hook() {
	cat >"$BATS_TEST_TMPDIR/hook.sh" <<'HOOK'
#!/bin/sh
state=$(cat)
echo "$1 $(echo "$state" | jq -r '.status + " " + (.pid|tostring) + " " + .id') $HOOKENV" >>"$HOOKLOG"
HOOK
	chmod +x "$BATS_TEST_TMPDIR/hook.sh"
}

hook() { # name
	jq -n --arg p "$BATS_TEST_TMPDIR/hook.sh" --arg n "$1" --arg l "$BATS_TEST_TMPDIR/hooks.log" \
		'{"path": $p, "args": ["hook.sh", $n], "env": ["HOOKLOG=" + $l, "HOOKENV=env-ok", "PATH=/usr/bin:/bin"]}'
}

@test "hooks run in order with the state on stdin, args and env" {
	make_hook
	update_config --argjson a "$(hook prestart)" --argjson b "$(hook createRuntime)" --argjson c "$(hook createContainer)" \
		--argjson d "$(hook poststart)" --argjson e "$(hook poststop)" \
		'.hooks = {"prestart": [$a], "createRuntime": [$b], "createContainer": [$c], "poststart": [$d], "poststop": [$e]}'
	set_cmd 'sleep 0.2'
	run_ctr
	[ "$status" -eq 0 ]
	cat "$BATS_TEST_TMPDIR/hooks.log"
	mapfile -t log <"$BATS_TEST_TMPDIR/hooks.log"
	[[ "${log[0]}" == "prestart creating "*" $ID env-ok" ]]
	[[ "${log[1]}" == "createRuntime creating "*" $ID env-ok" ]]
	[[ "${log[2]}" == "createContainer creating "*" $ID env-ok" ]]
	[[ "${log[3]}" == "poststart running "*" $ID env-ok" ]]
	[[ "${log[4]}" == "poststop stopped "*" $ID env-ok" ]]
	pid=$(echo "${log[0]}" | cut -d' ' -f3)
	[ "$pid" -gt 0 ]
}

@test "startContainer runs in the container, before the process" {
	own_rootfs
	update_config '.hooks = {"startContainer": [{"path": "/bin/sh", "args": ["sh", "-c", "echo started > /hook-ran"]}]}'
	set_cmd 'cat /hook-ran'
	run_ctr
	[ "$status" -eq 0 ]
	[ "$output" = started ]
}

@test "createContainer runs in the container's namespaces" {
	update_config --arg l "$BATS_TEST_TMPDIR/ns" '.hooks = {"createContainer": [{"path": "/bin/sh", "args": ["sh", "-c", "readlink /proc/self/ns/net > " + $l]}]}'
	set_cmd 'readlink /proc/self/ns/net'
	run_ctr
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$BATS_TEST_TMPDIR/ns")" ]
}

@test "a failing createRuntime hook fails create and leaves nothing" {
	update_config '.hooks = {"createRuntime": [{"path": "/bin/false"}]}'
	run vessel_bg create --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	grep -q createRuntime "$BATS_TEST_TMPDIR/ctr.err"
	[ ! -e "$ROOT/$ID" ]
}

@test "a failing poststop hook only warns" {
	update_config '.hooks = {"poststop": [{"path": "/bin/false"}]}'
	set_cmd 'true'
	run_ctr
	[ "$status" -eq 0 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "a hook over its timeout fails create" {
	update_config '.hooks = {"prestart": [{"path": "/bin/sleep", "args": ["sleep", "10"], "timeout": 1}]}'
	start=$(date +%s)
	run vessel_bg create --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[ $(($(date +%s) - start)) -lt 8 ]
	[ ! -e "$ROOT/$ID" ]
}
