#!/usr/bin/env bash
# Builds the OCI images of co-sell sync without a Docker engine (deploy/images/README.md):
#   deploy/images/build.sh [tag]
# → <registry>/ingress-service, mapper-service, salesforce-writer, partnercenter-writer, admin-cli (the services and
#   the CLI the chart runs) and partner-center-simulator, salesforce-simulator (a demo namespace), all :<tag>, loaded
#   into podman's store under target/images. Default tag: the chart's appVersion; default registry:
#   ghcr.io/cosell-sync (COSELL_IMAGE_REGISTRY). Push them with skopeo or podman push (README).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$here/podman-env.sh"
"$here/build-base.sh"

tag="${1:-$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$root/deploy/helm/cosell-sync/Chart.yaml")}"
registry="${COSELL_IMAGE_REGISTRY:-ghcr.io/cosell-sync}"
revision="$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)"
modules="ingress-service,mapper-service,salesforce-writer,partnercenter-writer,admin-cli"
modules="$modules,simulators/partner-center,simulators/salesforce"
label() { printf -- '-Dquarkus.container-image.labels."org.opencontainers.image.%s"=%s' "$1" "$2"; }

started=$(date +%s)
cd "$root"
./mvnw -B -q package -DskipTests -am -pl "$modules" \
  -Dquarkus.container-image.build=true \
  -Dquarkus.container-image.registry="${registry%%/*}" \
  -Dquarkus.container-image.group="${registry#*/}" \
  -Dquarkus.container-image.tag="$tag" \
  -Dquarkus.container-image.additional-tags= \
  -Dquarkus.jib.base-jvm-image="tar://$COSELL_IMAGES_WORK/base.tar" \
  -Dquarkus.jib.docker-executable-name="$here/podman-as-docker" \
  -Dquarkus.jib.user=10001 \
  -Dquarkus.jib.working-directory=/opt/cosell \
  -Dquarkus.jib.jvm-additional-arguments="-XX:MaxRAMPercentage=75,-XX:+ExitOnOutOfMemoryError,-Djava.io.tmpdir=/tmp" \
  "$(label source https://github.com/cosell-sync/cosell-sync)" \
  "$(label revision "$revision")" \
  "$(label version "$tag")" \
  "$(label licenses Apache-2.0)"
echo "images built in $(( $(date +%s) - started )) s:"
podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep "^$registry/" | grep ":$tag "
