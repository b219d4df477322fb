#!/usr/bin/env bash
# The container image test (`npm run test:image`; `npm test` runs it too): builds the Dockerfile with
# podman and checks the image (test/image/). Root only: debootstrap and rootful podman.
#
# These machines reach the Debian mirror and the npm registry but no container registry, so the base
# `node:<NODE_VERSION>-bookworm-slim` is a local stand-in: debootstrap minbase bookworm, the Node that
# `npm install` brought (node_modules/.bin/node, the devDependency `node`; it must be the Dockerfile's
# major) and this host's npm under /usr/local, user node (1000:1000), no CA bundle, as in the official
# slim image. It is built once and cached: the rootfs under $MDE_IMAGE_CACHE (default
# /var/tmp/mqtt-diagnostics-image), the image in podman's store. Podman's settings come from
# $MDE_IMAGE_CACHE/containers.conf (CONTAINERS_CONF); nothing in /etc changes.
# Exit: 0 passed, 1 failed, 2 broken set-up, 3 cannot run on this machine (the reason is printed).
set -uo pipefail
cd "$(dirname "$0")/.."
LOG_NAME=image-test
# shellcheck source=scripts/tools.sh
. scripts/tools.sh
T0=$(date +%s)
step() { log "[$(($(date +%s) - T0))s] $*"; }
die() { log "ERROR: $*"; exit 2; }

[ "$(id -u)" = 0 ] || { log "cannot run: not root (debootstrap and rootful podman need it)"; exit 3; }
mapfile -t need < <(missing_packages scripts/image-tools.txt)
install_packages "${need[@]}" || { log "cannot run: ${need[*]} missing and not installable here"; exit 3; }

export MDE_IMAGE_CACHE=${MDE_IMAGE_CACHE:-/var/tmp/mqtt-diagnostics-image}
mkdir -p "$MDE_IMAGE_CACHE"

# Podman on these hosts: crun refuses the hybrid cgroup layout (runc works, with cgroupfs and no
# systemd), and its default rlimits exceed what a container may set here, so they are capped.
export CONTAINERS_CONF=$MDE_IMAGE_CACHE/containers.conf
NOFILE=$(ulimit -Hn); [ "$NOFILE" = unlimited ] && NOFILE=1048576
write_conf() { # NPROC
  printf '[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=%s:%s"]\n[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n' \
    "$NOFILE" "$NOFILE" "$1" "$1" >"$CONTAINERS_CONF"
}
write_conf 32768

# The base stand-in, for the Node major the Dockerfile names.
NODE_MAJOR=$(sed -n 's/^ARG NODE_VERSION=\([0-9]*\).*/\1/p' Dockerfile | head -1)
BASE=node:${NODE_MAJOR}-bookworm-slim
# The project's own Node first (npm scripts put it first on the PATH too), else the PATH's.
HOST_NODE=$(readlink -f node_modules/.bin/node 2>/dev/null) && [ -x "$HOST_NODE" ] || HOST_NODE=$(readlink -f "$(command -v node)")
HOST_NODE_VERSION=$("$HOST_NODE" -p process.versions.node)
[ "${HOST_NODE_VERSION%%.*}" = "$NODE_MAJOR" ] || die "the Node here is $HOST_NODE_VERSION ($HOST_NODE); the Dockerfile wants $NODE_MAJOR (npm install brings it)"
# npm is this host's (the npm registry's Node packages carry none): the one running us, else the PATH's.
NPM_DIR=$(readlink -f "$(dirname "${npm_execpath:-$(readlink -f "$(command -v npm)")}")/..")
[ -f "$NPM_DIR/bin/npm-cli.js" ] || die "no npm found (npm_execpath or the PATH)"

make_rootfs() { # DIR
  local r=$1.tmp mirror
  mirror=$(grep -rhoE '^(URIs:|deb) *https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
    | sed -E 's/^(URIs:|deb) *//; s/ *$//' | head -1)
  [ -n "$mirror" ] || die "no Debian mirror in the apt sources"
  step "debootstrap minbase bookworm from $mirror (once; log: $MDE_IMAGE_CACHE/debootstrap.log)"
  rm -rf "$r"
  debootstrap --variant=minbase bookworm "$r" "$mirror" >"$MDE_IMAGE_CACHE/debootstrap.log" 2>&1 || die "debootstrap failed"
  install -D -m755 "$HOST_NODE" "$r/usr/local/bin/node"
  mkdir -p "$r/usr/local/lib/node_modules"
  cp -a "$NPM_DIR" "$r/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$r/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$r/usr/local/bin/npx"
  chroot "$r" sh -c 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node' || die "adding user node failed"
  # As in the official slim image: no package lists, no caches.
  chroot "$r" sh -c 'apt-get clean; rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/*.log'
  env -u NODE_EXTRA_CA_CERTS chroot "$r" /usr/local/bin/node -v >/dev/null || die "node does not run in the rootfs"
  mv "$r" "$1"
}

if podman image exists "docker.io/library/$BASE"; then
  step "base stand-in $BASE cached"
else
  ROOTFS=$MDE_IMAGE_CACHE/rootfs-node$NODE_MAJOR
  [ -x "$ROOTFS/usr/local/bin/node" ] || make_rootfs "$ROOTFS"
  step "podman import $ROOTFS as $BASE"
  tar -C "$ROOTFS" -c . | podman import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENV NODE_VERSION=$HOST_NODE_VERSION" --change 'CMD ["node"]' \
    - "docker.io/library/$BASE" >"$MDE_IMAGE_CACHE/import.log" 2>&1 || die "podman import failed (log: $MDE_IMAGE_CACHE/import.log)"
  podman tag "docker.io/library/$BASE" "localhost/$BASE"
fi

# Lower nproc until the host accepts it.
started=0
for nproc in 32768 16384 4096 1024; do
  write_conf "$nproc"
  if podman run --rm --pull=never --network none "$BASE" true >"$MDE_IMAGE_CACHE/probe.log" 2>&1; then started=1; break; fi
done
[ "$started" = 1 ] || die "podman cannot start a container: $(tail -1 "$MDE_IMAGE_CACHE/probe.log")"
step "podman runs containers (runc, nproc $nproc); running test/image"

export MDE_IMAGE_BASE=$BASE
npx vitest run --config vitest.image.config.ts
rc=$?
step "done (exit $rc)"
[ "$rc" = 0 ] || exit 1
