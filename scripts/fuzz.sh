#!/usr/bin/env bash
# fuzz.sh DURATION: run every go fuzz target for DURATION (default 10s).
set -euo pipefail
cd "$(dirname "$0")/.."
d=${1:-10s}
for target in ./libcontainer/configs:FuzzLoadAndValidate ./libcontainer/configs:FuzzParseMountOptions \
	./libcontainer/configs:FuzzParseSignal ./seccomp:FuzzCompile; do
	pkg=${target%%:*}
	name=${target##*:}
	echo "== $name ($pkg, $d)"
	go test -run '^$' -fuzz "^$name\$" -fuzztime "$d" "$pkg"
done
