#!/usr/bin/env bash
# mkrootfs.sh DIR: a busybox root filesystem in DIR from Debian's
# busybox-static: the applets as relative links, /etc/passwd and /etc/group
# with root, user (1000) and nobody. BUSYBOX names the binary.
set -euo pipefail
dir=${1:?usage: mkrootfs.sh DIR}
busybox=${BUSYBOX:-/bin/busybox}
if ! file -L "$busybox" | grep -q "statically linked"; then
	echo "mkrootfs.sh: $busybox is not a static busybox (apt-get install busybox-static)" >&2
	exit 1
fi
mkdir -p "$dir"/{bin,etc,tmp,root,home/user,proc,sys,dev}
chmod 1777 "$dir/tmp"
chown 1000:1000 "$dir/home/user"
cp "$busybox" "$dir/bin/busybox"
# Relative links: absolute ones would point at the host's path.
for applet in $("$busybox" --list); do
	[ "$applet" = busybox ] || ln -sf busybox "$dir/bin/$applet"
done
cat >"$dir/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
user:x:1000:1000:user:/home/user:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat >"$dir/etc/group" <<'GROUP'
root:x:0:
tty:x:5:
user:x:1000:
nogroup:x:65534:
GROUP
