#!/usr/bin/env bash
# Regenerates the golden journals and the seed's documents for them (needs python3 and ../shared/seed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
seed="${SEED_DIR:-$here/../../../shared/seed}"
python3 "$here/make-journals.py"
at="2026-03-01T18:00:00Z"
for j in "$here"/journals/*.jsonl; do
  name="$(basename "$j" .jsonl)"
  args=(--at "$at")
  [ "$name" = retention ] && args+=(--max-events 5)
  python3 "$seed/seed_replay.py" "$j" "${args[@]}" > "$here/journals/$name.expected.json"
done
