# Sourced by scripts/test.sh, image-test.sh and load-check.sh: the project's Node; find programs, install their Debian packages.
# The lists (program, package) are scripts/test-tools.txt and scripts/image-tools.txt.

# The project's own Node (the devDependency `node`, which npm install brings) first on the PATH, as
# npm scripts put it, also when a script is run directly: bash scripts/test.sh runs on it too.
if [ -d node_modules/.bin ]; then export PATH="$PWD/node_modules/.bin:$PATH"; fi

log() { printf '%s: %s\n' "${LOG_NAME:-test}" "$*"; }

# as_root CMD...: run as root, through sudo when we are not root; fails when neither is possible.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else return 1; fi
}

# have PROGRAM: on the PATH or in sbin (daemons such as mosquitto live there), as require-tool.ts looks.
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ]; }

# missing_packages LIST: the Debian packages of the LIST's programs that are not installed, once each.
missing_packages() {
  sed 's/#.*//' "$1" | while read -r program package; do
    if [ -n "${package:-}" ] && ! have "$program"; then echo "$package"; fi
  done | sort -u
}

APT_UPDATED=0
# install_packages PKG...: apt-get install; returns 1 (saying why) when this machine cannot.
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
