#!/usr/bin/env bash
# `npm test`, the README's test command: on a fresh Debian machine it installs what the suite needs
# (the packages in scripts/test-tools.txt), then runs the typecheck, the linter and every test.
# Missing programs that cannot be installed here (no apt-get, not root, no sudo) are named; the
# tests that need them then fail naming the package, they never skip.
set -uo pipefail
cd "$(dirname "$0")/.."

log() { printf 'test: %s\n' "$*"; }

# as_root CMD...: run as root, through sudo when we are not root; fails when neither is possible.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else return 1; fi
}

# have PROGRAM: on the PATH or in sbin (daemons such as mosquitto live there), as require-tool.ts looks.
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ]; }

# missing_packages LIST: the Debian packages of the LIST's programs that are not installed, once each.
missing_packages() { sed 's/#.*//' "$1" | while read -r program package; do
  [ -n "${package:-}" ] && ! have "$program" && echo "$package"
done | sort -u; }

APT_UPDATED=0
# install_packages PKG...: apt-get install; returns 1 (with the reason) when this machine cannot.
install_packages() {
  [ $# -gt 0 ] || return 0
  if ! command -v apt-get >/dev/null 2>&1; then log "cannot install $* (no apt-get: not Debian)"; return 1; fi
  log "installing Debian packages: $*"
  if [ "$APT_UPDATED" = 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || { log "apt-get update failed (root or sudo needed)"; return 1; }
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
    || { log "apt-get install $* failed"; return 1; }
}

mapfile -t need < <(missing_packages scripts/test-tools.txt)
install_packages "${need[@]}" || log "the tests that need $(echo "${need[*]}" | sed 's/ /, /g') will fail naming the package"

failed=()
step() { # NAME CMD...: run one step, remember a failure and go on, so one run reports everything
  log "== $1"
  local name=$1; shift
  "$@" || failed+=("$name")
}
step typecheck npx tsc --noEmit -p tsconfig.json
step lint npx eslint .
step vitest npx vitest run

if [ ${#failed[@]} -gt 0 ]; then log "FAILED: ${failed[*]}"; exit 1; fi
log "all passed"
