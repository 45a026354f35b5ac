#!/usr/bin/env bats
# What shims parse: vessel's JSON has the fields, with the types, of runc's
# output for the same container (recorded from runc 1.1.5 in testdata/runc).

load helpers

# signature prints "path:type" for every leaf, arrays collapsed to [].
signature() {
	jq -r '[paths as $p | select(getpath($p) | type != "object" and type != "array")
		| ($p | map(if type == "number" then "[]" else . end) | join(".")) + ":" + (getpath($p) | type)]
		| unique | .[] | select(test("^data\\.memory\\.raw\\.") | not)'
}

# covers: every runc path:type is in vessel's output.
covers() { # runc-file vessel-json
	local missing
	missing=$(comm -23 <(signature <"$1" | sort) <(echo "$2" | signature | sort))
	if [ -n "$missing" ]; then
		echo "missing in vessel's output: $missing" >&2
		return 1
	fi
}

setup_running() {
	update_config '.process.args = ["sleep", "100"] | .annotations = {"k": "v"}'
	vessel_bg run -d --bundle "$BUNDLE" "$ID"
}

@test "state" {
	setup_running
	covers "$BATS_TEST_DIRNAME/testdata/runc/state.json" "$(vessel state "$ID")"
	vessel kill "$ID" KILL
	wait_status "$ID" stopped
	covers "$BATS_TEST_DIRNAME/testdata/runc/state-stopped.json" "$(vessel state "$ID")"
}

@test "list --format json" {
	setup_running
	covers "$BATS_TEST_DIRNAME/testdata/runc/list.json" "$(vessel list --format json)"
}

@test "ps --format json" {
	setup_running
	covers "$BATS_TEST_DIRNAME/testdata/runc/ps.json" "$(vessel ps --format json "$ID")"
}

@test "events --stats" {
	setup_running
	covers "$BATS_TEST_DIRNAME/testdata/runc/events-stats.json" "$(vessel events --stats "$ID")"
}

@test "the JSON error log line" {
	run "$VESSEL" --root "$ROOT" --log "$BATS_TEST_TMPDIR/log" --log-format json state nosuch
	[ "$status" -ne 0 ]
	jq -e 'has("level") and has("msg") and has("time") and .level == "error"' "$BATS_TEST_TMPDIR/log"
}
