#!/usr/bin/env bash
# Regenerates the golden journals and, for each, the original Python module's document
# (test/golden/reference/: the module, a stand-in for awscrt's exception, and replay.py).
# Needs python3 (3.11+) and nothing outside the repository.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
replay="$here/reference/replay.py"
python3 "$here/make-journals.py"
at="2026-03-01T18:00:00Z"
for j in "$here"/journals/*.jsonl; do
  name="$(basename "$j" .jsonl)"
  args=(--at "$at")
  [ "$name" = retention ] && args+=(--max-events 5)
  python3 "$replay" "$j" "${args[@]}" > "$here/journals/$name.expected.json"
done

# test/fixtures/journals: a rotated set with bad lines (the original replays its clean copy, as of
# its last event, the replay default), the default retention overflowing, and edge-case lines.
fixtures="$here/../fixtures/journals"
python3 "$here/make-fixtures.py"
python3 "$replay" "$fixtures/rotated/clean.jsonl" > "$fixtures/rotated.expected.json"
python3 "$replay" "$fixtures/overflow.jsonl" --at "2026-03-10T00:00:00Z" > "$fixtures/overflow.expected.json"
python3 "$replay" "$fixtures/edge.jsonl" --at "2026-03-01T07:30:00Z" > "$fixtures/edge.expected.json"
