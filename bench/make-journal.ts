/**
 * A drop-heavy journal for `bench:replay`: `node dist/bench/make-journal.js FILE [LINES]`
 * (default 80,000 lines). Only the kinds the Python seed's `seed_replay.py` understands
 * (connection_success, connection_drop, publish) on the default connection, so both replays do
 * the same work: reconnect storms of refused sockets after a hang-up, short sessions between
 * them, a few publishes. Deterministic (no randomness): the same file every time.
 */
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const START = Date.parse("2026-03-01T00:00:00.000Z");

const HANGUP = '"error_name":"AWS_ERROR_MQTT_UNEXPECTED_HANGUP","error_message":"The connection was closed unexpectedly.","error_code":5134';
const REFUSED = '"error_name":"AWS_IO_SOCKET_CONNECTION_REFUSED","error_message":"socket connection refused.","error_code":1047';
const TIMEOUT = '"error_name":"AWS_IO_SOCKET_TIMEOUT","error_message":"socket operation timed out.","error_code":1048';

/** The journal's text: `lines` lines, each ended by a newline, in the writer's key order. */
export function dropHeavyJournal(lines: number): string {
  const out: string[] = [];
  let t = START;
  let cycle = 0;
  const push = (ms: number, body: string): void => {
    t += ms;
    out.push(`{"ts":"${new Date(t).toISOString()}",${body}}`);
  };
  push(0, '"kind":"connection_success","event_type":"connected","session_present":false,"return_code":0,"attempt_number":0,"keep_alive_seconds":300');
  while (out.length < lines) {
    cycle++;
    // A short session: a few publishes (one queued), then a hang-up.
    for (let p = 0; p < 3 && out.length < lines; p++) push(1_250 + p * 7, `"kind":"publish","queued":${p === 2 ? "true" : "false"}`);
    if (out.length < lines) push(5_003, `"kind":"connection_drop",${HANGUP},"reconnect_attempt":0,"active_subscriptions":2,"queued_commands":1`);
    // A storm: 8-15 refused or timed-out reconnects, backing off.
    const storm = 8 + (cycle % 8);
    for (let a = 1; a <= storm && out.length < lines; a++) {
      push(
        100 * a + (cycle % 13),
        `"kind":"connection_drop",${a % 5 === 0 ? TIMEOUT : REFUSED},"reconnect_attempt":${a},"active_subscriptions":0,"queued_commands":0`,
      );
    }
    if (out.length < lines) {
      push(
        731,
        `"kind":"connection_success","event_type":"${cycle % 3 === 0 ? "connected" : "resumed"}","session_present":${cycle % 3 === 0 ? "false" : "true"},"return_code":0,"attempt_number":${storm + 1},"keep_alive_seconds":300`,
      );
    }
  }
  return `${out.join("\n")}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [file, count] = process.argv.slice(2);
  if (file === undefined) {
    process.stderr.write("usage: make-journal FILE [LINES]\n");
    process.exit(2);
  }
  const lines = count === undefined ? 80_000 : Number(count);
  if (!Number.isSafeInteger(lines) || lines < 0) {
    process.stderr.write(`make-journal: LINES: '${count ?? ""}' must be a whole number\n`);
    process.exit(2);
  }
  writeFileSync(file, lines === 0 ? "" : dropHeavyJournal(lines));
}
