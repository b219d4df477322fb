#!/usr/bin/env bash
# The suite under load (`npm run test:load`; `npm test` runs it last): the slowest integration files,
# run while the machine is busy, as a shared CI machine or a developer's laptop often is. Busy loops
# (`node -e 'for(;;){}'`) are added until the load average reaches MDE_LOAD_TARGET (default 4 per
# core: 8 on 2 cores, where a loaded run once failed), for as long as the files run, then stopped.
# A machine already that busy gets no extra loops. The tests wait for events, never for a clock,
# so they must pass however slow the machine is; a failure here is a timing assumption to remove.
#   usage: scripts/load-check.sh [TEST_FILE...]   (default: the files listed below)
# Exit: vitest's.
set -uo pipefail
cd "$(dirname "$0")/.."
LOG_NAME=load-check
# shellcheck source=scripts/tools.sh
. scripts/tools.sh

# The slowest integration files (the demo plays every AWS scenario; the others restart brokers,
# start processes or wait out keep-alives).
FILES=(
  test/integration/demo/demo.test.ts
  test/integration/chaos.test.ts
  test/integration/mqtt/watch-connection.test.ts
  test/integration/transports.test.ts
  test/integration/library-examples.test.ts
  test/integration/cli/serve-command.test.ts
)
[ $# -gt 0 ] && FILES=("$@")
present=()
for f in "${FILES[@]}"; do
  if [ -f "$f" ]; then present+=("$f"); else log "no $f (moved? update the list in this script)"; fi
done
[ ${#present[@]} -gt 0 ] || { log "none of the files exists"; exit 1; }

cores=$(nproc)
target=${MDE_LOAD_TARGET:-$((cores * 4))}
load=$(cut -d' ' -f1 /proc/loadavg)
busy=$((target - ${load%.*}))
[ "$busy" -gt 0 ] || busy=0

pids=()
stop_busy() { [ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null; pids=(); }
trap stop_busy EXIT
trap 'stop_busy; exit 130' INT TERM
for _ in $(seq "$busy"); do
  node -e 'for (;;) {}' &
  pids+=($!)
done
log "load average $load on $cores cores; $busy busy loops added (target $target); $(node --version)"
T0=$(date +%s)
npx vitest run "${present[@]}"
rc=$?
log "done in $(($(date +%s) - T0)) s (exit $rc); load average at the end $(cut -d' ' -f1 /proc/loadavg)"
exit "$rc"
