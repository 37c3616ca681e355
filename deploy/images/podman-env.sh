# Sourced by the image scripts: podman and buildah as this machine allows them (deploy/images/README.md) —
# runc, vfs storage under build/, explicit ulimits, and host networking only (never a bridge network).
COSELL_IMAGES_WORK="${COSELL_IMAGES_WORK:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/target/images}"
mkdir -p "$COSELL_IMAGES_WORK/storage/root" "$COSELL_IMAGES_WORK/storage/run"
cat > "$COSELL_IMAGES_WORK/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]
netns = "host"
[engine]
runtime = "runc"
CONF
cat > "$COSELL_IMAGES_WORK/storage.conf" <<CONF
[storage]
driver = "vfs"
graphroot = "$COSELL_IMAGES_WORK/storage/root"
runroot = "$COSELL_IMAGES_WORK/storage/run"
CONF
export CONTAINERS_CONF="$COSELL_IMAGES_WORK/containers.conf"
export CONTAINERS_STORAGE_CONF="$COSELL_IMAGES_WORK/storage.conf"
