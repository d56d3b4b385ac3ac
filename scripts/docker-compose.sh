#!/usr/bin/env bash
# `docker compose`, wherever this runs: the machine's own Compose plugin when it has one, otherwise Docker Compose
# built from source (Go module proxy, pinned version) into the project's .tools/docker/cli-plugins/ — once; later
# calls reuse it. CI uses it to validate docker-compose.yml on machines that have the Docker CLI but no Compose.
#
#   scripts/docker-compose.sh -f docker-compose.yml config --quiet
#   scripts/docker-compose.sh up -d          # same arguments as `docker compose`
set -euo pipefail

COMPOSE_MODULE=github.com/docker/compose/v5
# The newest release whose go.mod this machine's Go toolchain accepts (v5.7.0 wants go >= 1.26.10).
COMPOSE_VERSION=v5.6.0

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${OVHFLOW_TOOLS_DIR:-$root/.tools}"
docker_config="$tools/docker"
plugin="$docker_config/cli-plugins/docker-compose"

if ! command -v docker >/dev/null 2>&1; then
  echo "scripts/docker-compose.sh: the docker CLI is not installed" >&2
  exit 1
fi

if [ -z "${OVHFLOW_BUILD_COMPOSE:-}" ] && docker compose version >/dev/null 2>&1; then
  exec docker compose "$@"
fi

if [ ! -x "$plugin" ] || [ "$("$plugin" version --short 2>/dev/null)" != "${COMPOSE_VERSION#v}" ]; then
  if ! command -v go >/dev/null 2>&1; then
    echo "scripts/docker-compose.sh: no Docker Compose plugin and no Go toolchain to build one;" >&2
    echo "install Docker Compose (https://docs.docker.com/compose/install/) or Go, then run this again" >&2
    exit 1
  fi
  started=$(date +%s)
  echo "scripts/docker-compose.sh: building Docker Compose $COMPOSE_VERSION into $plugin (once)" >&2
  # `go install module@version` refuses modules whose go.mod has replace/exclude directives, as Compose's has:
  # download the module and build its cmd/ as the main module instead, with its own go.mod and go.sum.
  src="$(GOFLAGS=-mod=mod go mod download -json "$COMPOSE_MODULE@$COMPOSE_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  if [ -z "$src" ] || [ ! -d "$src" ]; then
    echo "scripts/docker-compose.sh: could not download $COMPOSE_MODULE@$COMPOSE_VERSION" >&2
    exit 1
  fi
  mkdir -p "$(dirname "$plugin")"
  (cd "$src" && GOFLAGS=-mod=readonly CGO_ENABLED=0 go build -trimpath \
    -ldflags "-s -w -X $COMPOSE_MODULE/internal.Version=$COMPOSE_VERSION" -o "$plugin.tmp" ./cmd)
  mv "$plugin.tmp" "$plugin"
  echo "scripts/docker-compose.sh: Docker Compose $COMPOSE_VERSION built in $(($(date +%s) - started)) s" >&2
fi

# A private Docker config directory whose only content is the plugin: the docker CLI finds it there.
export DOCKER_CONFIG="$docker_config"
exec docker compose "$@"
