#!/usr/bin/env bash
# Builds the services' base image offline from Debian's packages, without a Docker engine: a minimal Debian root
# (debootstrap), imported with podman, plus the Java 17 runtime; saved as a docker-archive that Jib builds onto.
#   deploy/images/build-base.sh            # → target/images/base.tar (skipped when it exists)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/podman-env.sh"
base="$COSELL_IMAGES_WORK/base.tar"
if [[ -f "$base" && "${1:-}" != "--force" ]]; then
  echo "base image: $base (exists; --force rebuilds it)"
  exit 0
fi
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
root="$COSELL_IMAGES_WORK/debian-root"
rm -rf "$root"
started=$(date +%s)
debootstrap --variant=minbase bookworm "$root" "$mirror" > "$COSELL_IMAGES_WORK/debootstrap.log"
# what debootstrap leaves behind and a service never reads: downloaded packages, package lists, documentation
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* \
  "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/var/log/*
tar -C "$root" -c . | podman import - localhost/cosell-debian-root:bookworm > /dev/null
rm -rf "$root"
podman build --network=host --pull=never -t localhost/cosell-base:17 -f "$here/Containerfile.base" "$here" \
  > "$COSELL_IMAGES_WORK/base-build.log"
rm -f "$base"
podman save --format docker-archive -o "$base" localhost/cosell-base:17
echo "base image: $base ($(du -m "$base" | cut -f1) MB, $(( $(date +%s) - started )) s)"
