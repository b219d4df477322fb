#!/usr/bin/env bash
# `npm test`, the README's test command: on a fresh Debian machine it installs what the suite needs
# (the packages in scripts/test-tools.txt), then runs the typecheck, the linter, every vitest test,
# the slowest ones again under CPU load (scripts/load-check.sh) and the container image test (scripts/image-test.sh: as root, with podman, installed if missing).
# Programs that cannot be installed here (no apt-get, not root, no sudo) are named; the tests that
# need them then fail naming the package, they never skip. Only the image test can be skipped, on a
# machine where it cannot run at all, and it says so.
set -uo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/tools.sh
. scripts/tools.sh

mapfile -t need < <(missing_packages scripts/test-tools.txt)
install_packages "${need[@]}" || log "not installed: ${need[*]}; the tests that need them will fail naming them"

failed=()
step() { # NAME CMD...: run one step, remember a failure and go on, so one run reports everything
  log "== $1"
  local name=$1; shift
  "$@" || failed+=("$name")
}
log "node $(node --version) ($(command -v node)): npm install brings it, npm scripts find it first"
step typecheck npx tsc --noEmit -p tsconfig.json
step lint npx eslint .
step format npx prettier --check .
step vitest npx vitest run
# The slowest integration files again, on a machine held at a load of 4 per core (scripts/load-check.sh).
step load bash scripts/load-check.sh

log "== image"
bash scripts/image-test.sh
case $? in
  0) ;;
  3) log "SKIPPED the container image test (reason above); it runs as root on Debian, or where podman and debootstrap are installed" ;;
  *) failed+=(image) ;;
esac

if [ ${#failed[@]} -gt 0 ]; then log "FAILED: ${failed[*]}"; exit 1; fi
log "all passed"
