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

# test/fixtures/journals: a rotated set with bad lines (the seed replays its clean copy, as of its
# last event, the replay default), the default retention overflowing, and edge-case lines.
fixtures="$here/../fixtures/journals"
python3 "$here/make-fixtures.py"
python3 "$seed/seed_replay.py" "$fixtures/rotated/clean.jsonl" > "$fixtures/rotated.expected.json"
python3 "$seed/seed_replay.py" "$fixtures/overflow.jsonl" --at "2026-03-10T00:00:00Z" > "$fixtures/overflow.expected.json"
python3 "$seed/seed_replay.py" "$fixtures/edge.jsonl" --at "2026-03-01T07:30:00Z" > "$fixtures/edge.expected.json"
