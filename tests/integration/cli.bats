#!/usr/bin/env bats
# The command line: version, help, global flags, spec, list.

load helpers

@test "--version names the runtime, its commit and the spec version" {
	run "$VESSEL" --version
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *"version"* ]]
	[[ "$output" == *"spec: 1."* ]]
}

@test "the binary is statically linked" {
	requires_vessel "static build"
	run file -L "$VESSEL"
	[[ "$output" == *"statically linked"* ]]
	# no libseccomp, no dynamic loader
	! ldd "$VESSEL" 2>/dev/null | grep -q libseccomp
}

@test "every command has help with its flags" {
	for cmd in create start run state kill delete list spec exec pause resume update events ps features; do
		run "$VESSEL" "$cmd" --help
		[ "$status" -eq 0 ]
		[[ "$output" == *"$cmd"* ]]
	done
}

@test "an unknown command fails" {
	run "$VESSEL" frobnicate
	[ "$status" -ne 0 ]
}

@test "long flags take a single dash, as go-runc emits them" {
	run "$VESSEL" -root "$ROOT" list -q
	[ "$status" -eq 0 ]
	update_config '.process.args = ["sleep", "100"]'
	run vessel_bg -root "$ROOT" run -bundle "$BUNDLE" -detach "$ID"
	[ "$status" -eq 0 ]
	wait_status "$ID" running
	run "$VESSEL" -root "$ROOT" delete -force "$ID"
	[ "$status" -eq 0 ]
}

@test "spec writes a valid default config and refuses to overwrite it" {
	cd "$BATS_TEST_TMPDIR"
	mkdir s && cd s
	run "$VESSEL" spec
	[ "$status" -eq 0 ]
	[ "$(jq -r .process.terminal config.json)" = true ]
	# runc 1.1 has no cgroup namespace in its default; vessel follows runc 1.2+
	[[ "$(jq -r '.linux.namespaces | map(.type) | sort | join(",")' config.json)" == *"ipc,mount,network,pid,uts" ]]
	run "$VESSEL" spec
	[ "$status" -ne 0 ]
}

@test "spec --rootless maps the caller and drops the network namespace" {
	cd "$BATS_TEST_TMPDIR"
	run "$VESSEL" spec --rootless --bundle "$BATS_TEST_TMPDIR"
	[ "$status" -eq 0 ]
	[ "$(jq -r '.linux.namespaces | map(.type) | index("user") != null' config.json)" = true ]
	[ "$(jq -r '.linux.namespaces | map(.type) | index("network")' config.json)" = null ]
	[ "$(jq -r '.linux.uidMappings[0].hostID' config.json)" = "$(id -u)" ]
}

@test "list: table, json and quiet" {
	run vessel list --format json
	[ "$status" -eq 0 ]
	[ "$output" = null ] || [ "$output" = "[]" ]
	update_config '.process.args = ["sleep", "100"]'
	vessel_bg run -d --bundle "$BUNDLE" "$ID"
	run vessel list
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "ID"*"PID"*"STATUS"*"BUNDLE"*"CREATED"*"OWNER"* ]]
	[[ "${lines[1]}" == "$ID"*"running"*"$BUNDLE"*"root" ]]
	run vessel list -q
	[ "$output" = "$ID" ]
	run vessel list --format json
	[ "$(echo "$output" | jq -r '.[0].id + " " + .[0].status')" = "$ID running" ]
}

@test "the manual page and shell completion come from the CLI" {
	requires_vessel "generate-man"
	run "$VESSEL" generate-man
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == ".TH vessel 8" ]]
	[[ "$output" == *"--preserve-fds"* ]]
	run "$VESSEL" --generate-bash-completion
	[[ "$output" == *exec* ]] && [[ "$output" == *update* ]]
	run bash -c "source '$REPO/contrib/completions/vessel.bash'; COMP_WORDS=('$VESSEL' del); COMP_CWORD=1; _vessel; echo \${COMPREPLY[*]}"
	[ "$output" = delete ]
}
