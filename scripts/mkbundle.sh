#!/usr/bin/env bash
# mkbundle.sh DIR: make an OCI bundle in DIR: a busybox root filesystem from
# Debian's busybox-static and a config.json written by `vessel spec` (the
# same default runc writes), with terminal off and sh as the process.
# VESSEL names the binary (default: ./vessel).
set -euo pipefail
dir=${1:?usage: mkbundle.sh DIR}
vessel=${VESSEL:-./vessel}
busybox=${BUSYBOX:-/bin/busybox}
if ! file -L "$busybox" | grep -q "statically linked"; then
	echo "mkbundle.sh: $busybox is not a static busybox (apt-get install busybox-static)" >&2
	exit 1
fi
mkdir -p "$dir/rootfs"/{bin,etc,tmp,root,home/user,proc,sys,dev}
chmod 1777 "$dir/rootfs/tmp"
cp "$busybox" "$dir/rootfs/bin/busybox"
# Relative links: absolute ones would point at the host's path.
for applet in $("$busybox" --list); do
	[ "$applet" = busybox ] || ln -sf busybox "$dir/rootfs/bin/$applet"
done
cat >"$dir/rootfs/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
user:x:1000:1000:user:/home/user:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat >"$dir/rootfs/etc/group" <<'GROUP'
root:x:0:
tty:x:5:
user:x:1000:
nogroup:x:65534:
GROUP
rm -f "$dir/config.json"
"$vessel" spec --bundle "$dir"
tmp=$(mktemp)
jq '.process.terminal = false | .process.args = ["sh"]' "$dir/config.json" >"$tmp"
mv "$tmp" "$dir/config.json"
