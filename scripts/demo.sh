#!/usr/bin/env bash
# demo.sh: build a busybox bundle and run a container that shows what it
# sees: its pid 1, hostname, mounts, capabilities, cgroup and network.
set -euo pipefail
vessel=${VESSEL:-$(pwd)/vessel}
work=$(mktemp -d /tmp/vessel-demo.XXXXXX)
root="$work/state"
id="demo-$$"
cleanup() {
	"$vessel" --root "$root" delete --force "$id" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
VESSEL=$vessel "$(dirname "$0")/mkbundle.sh" "$work/bundle" >/dev/null
# shellcheck disable=SC2016 # the script runs inside the container
script='
echo "== I am pid $$; pid 1 is: $(cat /proc/1/cmdline | tr "\0" " ")"
echo "== processes I can see:"; ps -o pid,user,args
echo "== hostname: $(hostname)"
echo "== my user: $(id)"
echo "== capabilities:"; grep ^Cap /proc/self/status
echo "== seccomp / no_new_privs:"; grep -E "^(Seccomp|NoNewPrivs):" /proc/self/status
echo "== network interfaces:"; ip -o link | cut -d" " -f2
echo "== my cgroup:"; cat /proc/self/cgroup
echo "== mounts:"; cut -d" " -f5,9 /proc/self/mountinfo | column -t 2>/dev/null || cut -d" " -f5,9 /proc/self/mountinfo
echo "== can I write to / (read-only root)?"; touch /x 2>&1 || true
'
tmp=$(mktemp)
jq --arg s "$script" '.process.args = ["sh", "-c", $s] | .hostname = "vessel-demo"' "$work/bundle/config.json" >"$tmp"
mv "$tmp" "$work/bundle/config.json"
echo "running: $vessel --root $root run --bundle $work/bundle $id"
"$vessel" --root "$root" run --bundle "$work/bundle" "$id"
echo "== the container exited; containers left: $("$vessel" --root "$root" list -q | wc -l)"
