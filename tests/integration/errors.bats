#!/usr/bin/env bats
# Bad input: one line naming the field, non-zero exit, nothing left behind.

load helpers

# expect_error: run create, expect failure, one-line message containing $1.
expect_error() {
	run vessel create --bundle "$BUNDLE" "$ID"
	echo "$output"
	[ "$status" -ne 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"$1"* ]]
	[ ! -e "$ROOT/$ID" ]
}

@test "missing bundle" {
	BUNDLE=$BATS_TEST_TMPDIR/nope
	expect_error "nope"
}

@test "missing config.json" {
	rm "$BUNDLE/config.json"
	expect_error "config.json"
}

@test "invalid JSON reports line and column" {
	printf '{\n  "ociVersion": "1.0.0",\n  "process": {\n    "args": ["sh"\n  }\n}\n' >"$BUNDLE/config.json"
	expect_error "line 5, column 3"
}

@test "unsupported ociVersion" {
	update_config '.ociVersion = "2.0.0"'
	expect_error "ociVersion"
}

@test "mount without destination" {
	update_config '.mounts += [{"type": "tmpfs", "source": "tmpfs"}]'
	expect_error "destination"
}

@test "unknown namespace names linux.namespaces[N].type" {
	requires_vessel "exact field name"
	update_config '.linux.namespaces += [{"type": "foo"}]'
	n=$(jq '.linux.namespaces | length - 1' "$BUNDLE/config.json")
	expect_error "linux.namespaces[$n].type: unknown namespace \"foo\""
}

@test "duplicate namespace" {
	update_config '.linux.namespaces += [{"type": "pid"}]'
	expect_error "pid"
}

@test "namespace path of the wrong type" {
	update_config '(.linux.namespaces[] | select(.type == "ipc")) .path = "/proc/self/ns/net"'
	run vessel create --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "uid mappings without a user namespace" {
	update_config '.linux.uidMappings = [{"containerID": 0, "hostID": 1000, "size": 1}]'
	run vessel create --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "missing rootfs" {
	update_config '.root.path = "/nonexistent/rootfs"'
	expect_error "rootfs"
}

@test "empty args" {
	update_config '.process.args = []'
	expect_error "args"
}

@test "invalid IDs" {
	for id in "a/b" ".." "a b" "$(head -c 2000 /dev/zero | tr '\0' a)"; do
		run vessel create --bundle "$BUNDLE" "$id"
		[ "$status" -ne 0 ]
	done
	[ -z "$(ls "$ROOT" 2>/dev/null)" ]
}

@test "--log-format json writes exactly one error object with code and path" {
	requires_vessel "code and path fields"
	update_config '.linux.namespaces += [{"type": "foo"}]'
	run "$VESSEL" --root "$ROOT" --log "$BATS_TEST_TMPDIR/log.json" --log-format json create --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[ "$(wc -l <"$BATS_TEST_TMPDIR/log.json")" -eq 1 ]
	jq -e '.level == "error" and (.msg | contains("unknown namespace")) and .code == "invalid-namespace" and (.path | startswith("/linux/namespaces/")) and (.time | length > 0)' "$BATS_TEST_TMPDIR/log.json"
}

@test "a failure in the init (bad mount) leaves nothing behind" {
	update_config '.mounts += [{"destination": "/x", "type": "nosuchfs", "source": "none"}]'
	run vessel create --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"nosuchfs"* ]] || [[ "$output" == *"no such device"* ]]
	[ ! -e "$ROOT/$ID" ]
}
