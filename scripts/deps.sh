#!/usr/bin/env bash
# deps.sh: install what building and testing vessel needs on a Debian 12
# machine, if it is missing. Run by `make demo` and `make test` (as root).
set -euo pipefail
# runc and crun are the references some tests and the benchmark compare
# against; the rest are what the build, the bundles and the bats suite use.
packages=(build-essential libc6-dev git make runc crun bats busybox-static jq shellcheck clang-format file
	iproute2 util-linux procps psmisc)
# The clients tests/clients drives vessel with (make test-clients).
packages+=(containerd podman conmon docker.io)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps.sh: missing packages (${missing[*]}); run as root" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	# The daemons' packages must not start services on the host: the client
	# tests start their own on private sockets. policy-rc.d says so to
	# invoke-rc.d while apt runs, unless the machine has one already.
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod +x /usr/sbin/policy-rc.d
		trap 'rm -f /usr/sbin/policy-rc.d' EXIT
	fi
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then
	echo "deps.sh: add /usr/local/go/bin to PATH" >&2
fi
