#!/usr/bin/env bats
# vessel features lists exactly what the code accepts.

load helpers

@test "features is runtime-spec features JSON" {
	run "$VESSEL" features
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.ociVersionMin == "1.0.0" and (.ociVersionMax | startswith("1.")) and (.hooks | length == 6)'
	echo "$output" | jq -e '.linux.namespaces | sort == ["cgroup","ipc","mount","network","pid","time","user","uts"]'
	echo "$output" | jq -e '.linux.cgroup.v1 and .linux.cgroup.v2 and (.linux.cgroup.systemd | not)'
}

@test "every listed capability is accepted and an unlisted one is refused" {
	requires_vessel "features of this build"
	# only those this host's bounding set holds can be granted
	bnd=$((16#$(grep CapBnd /proc/self/status | cut -f2)))
	caps=$("$VESSEL" features | jq -r '.linux.capabilities[]' | {
		i=0
		while read -r c; do
			[ $(((bnd >> i) & 1)) -eq 1 ] && echo "$c"
			i=$((i + 1))
		done
	} | jq -R . | jq -sc .)
	update_config --argjson c "$caps" '.process.capabilities = {"bounding": $c, "effective": $c, "permitted": $c} | .process.args = ["true"]'
	run_ctr
	[ "$status" -eq 0 ]
	update_config '.process.capabilities.bounding += ["CAP_NOT_IN_FEATURES"]'
	run_ctr
	[ "$status" -ne 0 ]
}

@test "every listed seccomp action, operator, architecture and flag compiles" {
	requires_vessel "features of this build"
	f=$("$VESSEL" features)
	for action in $(echo "$f" | jq -r '.linux.seccomp.actions[]'); do
		update_config --arg a "$action" '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["uname"], "action": $a}]} | .process.args = ["true"]'
		run vessel_bg create --bundle "$BUNDLE" "$ID"
		[ "$status" -eq 0 ] || [[ "$action" == SCMP_ACT_NOTIFY ]]
		vessel delete --force "$ID"
	done
	for op in $(echo "$f" | jq -r '.linux.seccomp.operators[]'); do
		update_config --arg o "$op" '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["uname"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 1, "op": $o}]}]}'
		run_ctr
		[ "$status" -eq 0 ]
	done
	archs=$(echo "$f" | jq -c '.linux.seccomp.archs')
	flags=$(echo "$f" | jq -c '.linux.seccomp.supportedFlags - ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"]')
	update_config --argjson a "$archs" --argjson fl "$flags" '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "architectures": $a, "flags": $fl}'
	run_ctr
	[ "$status" -eq 0 ]
	update_config '.linux.seccomp.architectures += ["SCMP_ARCH_NOT_LISTED"]'
	run_ctr
	[ "$status" -ne 0 ]
}

@test "every listed mount option is understood" {
	requires_vessel "features of this build"
	for o in $("$VESSEL" features | jq -r '.mountOptions[]'); do
		case $o in
		idmap | ridmap | remount | bind | rbind | ro | rro | private | rprivate | shared | rshared | slave | rslave | unbindable | runbindable | sync | dirsync | mand) continue ;;
		esac
		update_config --arg o "$o" '.mounts += [{"destination": "/opt", "type": "tmpfs", "source": "tmpfs", "options": [$o]}] | .process.args = ["true"]'
		run_ctr
		echo "$o: $output"
		[ "$status" -eq 0 ]
		update_config '.mounts |= map(select(.destination != "/opt"))'
	done
}
