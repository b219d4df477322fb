import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { MqttDiagnosticsCollector } from "../../../src/collector/collector.js";
import { CollectorRegistry } from "../../../src/collector/registry.js";
import { restoreJournal } from "../../../src/journal/restore.js";
import { requireTool } from "../../helpers/require-tool.js";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const success = (s: number, connection: string) =>
  JSON.stringify({ ts: at(s), kind: "connection_success", event_type: "connected", session_present: false, return_code: 0, attempt_number: 1, connection });
const drop = (s: number, connection: string) =>
  JSON.stringify({
    ts: at(s),
    kind: "connection_drop",
    error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP",
    error_message: "m",
    error_code: 5134,
    reconnect_attempt: 0,
    active_subscriptions: 0,
    queued_commands: 0,
    connection,
  });

/** A checkpoint as rotation writes it: the state of a collector that saw `sessions` sessions. */
function checkpoint(s: number, connection: string, sessions: number): string {
  const clock = new ManualClock(T0 - 3_600_000);
  const c = new MqttDiagnosticsCollector({ connection, clock });
  for (let i = 0; i < sessions; i++) {
    c.recordConnectionSuccess();
    clock.advance(60_000);
    c.recordConnectionDrop();
  }
  return JSON.stringify({ ts: at(s), kind: "checkpoint", connection, state: c.snapshot() });
}

describe("restoreJournal", () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "mde-restore-"));
    path = join(dir, "journal.jsonl");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("replays each connection's events into its collector, as of an instant when asked", async () => {
    writeFileSync(path, [success(0, "a"), drop(60, "a"), success(61, "b"), success(120, "a")].join("\n") + "\n");
    const registry = new CollectorRegistry();
    const stats = await restoreJournal(path, registry);
    expect(registry.names()).toEqual(["a", "b"]);
    expect(registry.get("a")?.getMetrics().total_connections).toBe(2);
    expect(stats).toMatchObject({ lines: 4, skipped: 0, lastEventMs: T0 + 120_000, afterUntil: 0 });

    const asOf = new CollectorRegistry();
    const early = await restoreJournal(path, asOf, { untilMs: T0 + 60_000 });
    expect(asOf.names()).toEqual(["a"]);
    expect(early.afterUntil).toBe(2);

    const one = new CollectorRegistry();
    await restoreJournal(path, one, { connection: "b" });
    expect(one.names()).toEqual(["b"]);
  });

  it("skips a file of the set that is not a regular file (a FIFO would block the read for ever)", async () => {
    execFileSync(requireTool("mkfifo"), [`${path}.1`]);
    writeFileSync(path, `${success(0, "a")}\n`);
    const warnings: string[] = [];
    const registry = new CollectorRegistry();
    const stats = await restoreJournal(path, registry, { logger: { warn: (_o, m) => warnings.push(String(m)), error: () => undefined } });
    expect(stats.lines).toBe(1);
    expect(warnings).toEqual([`journal: skipping ${path}.1: not a regular file`]);
  });

  it("a checkpoint stands for deleted files, and only for a connection with no earlier history", async () => {
    // Rotation deleted the older files of "a": its checkpoint carries the 5 sessions they held.
    writeFileSync(path, [checkpoint(0, "a", 5), success(10, "a")].join("\n") + "\n");
    const fromCheckpoint = new CollectorRegistry();
    await restoreJournal(path, fromCheckpoint);
    expect(fromCheckpoint.get("a")?.getMetrics().total_connections).toBe(6);

    // The older file is still there: its events count, the checkpoint after them does not.
    writeFileSync(`${path}.1`, success(-10, "a") + "\n");
    const fromEvents = new CollectorRegistry();
    await restoreJournal(path, fromEvents);
    expect(fromEvents.get("a")?.getMetrics().total_connections).toBe(2);
  });
});
