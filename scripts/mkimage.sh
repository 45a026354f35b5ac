#!/usr/bin/env bash
# mkimage.sh ARCHIVE [NAME]: an offline container image of the busybox root
# filesystem (mkrootfs.sh), written as one tar that is both an OCI image
# layout (index.json, for `ctr image import` and `podman load`) and a Docker
# archive (manifest.json, for `docker load`). NAME defaults to
# vessel-busybox:latest. Images cannot be pulled on the test machines.
set -euo pipefail
archive=${1:?usage: mkimage.sh ARCHIVE [NAME]}
name=${2:-vessel-busybox:latest}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$here/mkrootfs.sh" "$work/rootfs"
blobs="$work/image/blobs/sha256"
mkdir -p "$blobs"
# blob FILE: move FILE into the blob store, print its digest (hex).
blob() {
	local sum
	sum=$(sha256sum "$1" | cut -d' ' -f1)
	mv "$1" "$blobs/$sum"
	echo "$sum"
}
size() { stat -c %s "$blobs/$1"; }

# An uncompressed layer: its digest is also its diff_id. Reproducible:
# sorted names, fixed times and owners.
tar -C "$work/rootfs" --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 \
	--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
	-cf "$work/layer.tar" .
layer=$(blob "$work/layer.tar")

jq -n --arg diff "sha256:$layer" '{
	architecture: "amd64", os: "linux",
	created: "1970-01-01T00:00:00Z",
	config: {
		Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
		Cmd: ["sh"], WorkingDir: "/"
	},
	rootfs: {type: "layers", diff_ids: [$diff]},
	history: [{created: "1970-01-01T00:00:00Z", created_by: "scripts/mkimage.sh"}]
}' >"$work/config.json"
config=$(blob "$work/config.json")

jq -n --arg c "sha256:$config" --argjson cs "$(size "$config")" \
	--arg l "sha256:$layer" --argjson ls "$(size "$layer")" '{
	schemaVersion: 2,
	mediaType: "application/vnd.oci.image.manifest.v1+json",
	config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $c, size: $cs},
	layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar", digest: $l, size: $ls}]
}' >"$work/manifest.json"
manifest=$(blob "$work/manifest.json")

# Docker and containerd both name an unqualified image docker.io/library/NAME.
case $name in
*/*) full=$name ;;
*) full=docker.io/library/$name ;;
esac
jq -n --arg m "sha256:$manifest" --argjson ms "$(size "$manifest")" \
	--arg full "$full" --arg tag "${name##*:}" '{
	schemaVersion: 2,
	manifests: [{
		mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $m, size: $ms,
		annotations: {"io.containerd.image.name": $full, "org.opencontainers.image.ref.name": $tag}
	}]
}' >"$work/image/index.json"
echo '{"imageLayoutVersion":"1.0.0"}' >"$work/image/oci-layout"
jq -n --arg c "blobs/sha256/$config" --arg l "blobs/sha256/$layer" --arg name "$name" \
	'[{Config: $c, RepoTags: [$name], Layers: [$l]}]' >"$work/image/manifest.json"

tar -C "$work/image" --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 -cf "$archive" .
