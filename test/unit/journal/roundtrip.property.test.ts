import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import type { MqttDiagnosticsCollector } from "../../../src/collector/collector.js";
import { CollectorRegistry } from "../../../src/collector/registry.js";
import { restoreJournal } from "../../../src/journal/restore.js";
import { JournalWriter } from "../../../src/journal/writer.js";
import { replayJournal } from "../../../src/replay/replay.js";

// Drives collectors through their public record API (what the SDK adapters call), journals
// everything, and checks that the journal alone rebuilds the same state: with restarts at random
// points, rotation deleting old files (checkpoints), and errors of every shape an SDK hands over.

const T0 = Date.parse("2026-03-01T12:00:00Z");
const silent = { warn: () => undefined, error: () => undefined };

const crtName = fc.constantFrom(
  "AWS_ERROR_MQTT_UNEXPECTED_HANGUP",
  "AWS_IO_SOCKET_CLOSED",
  "AWS_ERROR_MQTT_TIMEOUT",
  "AWS_IO_TLS_ERROR_NEGOTIATION_FAILURE",
  "AWS_ERROR_MQTT5_DISCONNECT_RECEIVED",
);
const message = fc.oneof(
  fc.constantFrom("", "socket is closed.", 'quote " and \\ and \n newline'),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ minLength: 500, maxLength: 700 }),
);
const anError: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.record({ error_name: crtName, error_code: fc.integer({ min: 1000, max: 6000 }), message }),
  fc.record({ error_name: fc.constant(""), error_code: fc.integer({ min: 0, max: 10 }), message }),
  message.map((m) => new Error(m)),
  message,
  fc.integer(),
  fc.record({ message: fc.integer() }),
);

type Step =
  | { op: "success"; eventType: string; sessionPresent: boolean; returnCode: number | null; attemptNumber: number; keepAliveSeconds: number | null }
  | { op: "drop"; error: unknown; reconnectAttempt: number; activeSubscriptions: number; queuedCommands: number; disconnectReasonCode: number | null }
  | { op: "failure"; error: unknown; connackReasonCode: number | null }
  | { op: "publish"; queued: boolean }
  | { op: "attempt" }
  | { op: "stopped"; reason: string | undefined }
  | { op: "probe"; rtt: number | null };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constant("success" as const),
    eventType: fc.constantFrom("connected", "resumed", "deep_reconnected"),
    sessionPresent: fc.boolean(),
    returnCode: fc.constantFrom(null, 0, 5),
    attemptNumber: fc.nat(20),
    keepAliveSeconds: fc.constantFrom(null, 30, 1200),
  }),
  fc.record({
    op: fc.constant("drop" as const),
    error: anError,
    reconnectAttempt: fc.nat(15),
    activeSubscriptions: fc.nat(4),
    queuedCommands: fc.nat(50),
    disconnectReasonCode: fc.constantFrom(null, 0, 142, 152),
  }),
  fc.record({ op: fc.constant("failure" as const), error: anError, connackReasonCode: fc.constantFrom(null, 135, 138) }),
  fc.record({ op: fc.constant("publish" as const), queued: fc.boolean() }),
  fc.record({ op: fc.constant("attempt" as const) }),
  fc.record({ op: fc.constant("stopped" as const), reason: fc.constantFrom(undefined, "client_stop") }),
  fc.record({ op: fc.constant("probe" as const), rtt: fc.option(fc.double({ min: 0.001, max: 5, noNaN: true })) }),
);

const script = fc.array(fc.record({ gapMs: fc.integer({ min: 0, max: 900_000 }), connection: fc.constantFrom("default", "b", "c"), step }), {
  minLength: 1,
  maxLength: 100,
});

function record(c: MqttDiagnosticsCollector, s: Step): void {
  switch (s.op) {
    case "success":
      c.recordConnectionSuccess(s);
      return;
    case "drop":
      c.recordConnectionDrop(s);
      return;
    case "failure":
      c.recordConnectionFailure(s);
      return;
    case "publish":
      c.recordPublish(s.queued);
      return;
    case "attempt":
      c.recordConnectionAttempt();
      return;
    case "stopped":
      c.recordConnectionStopped(s.reason);
      return;
    case "probe":
      c.recordProbe(s.rtt);
      return;
  }
}

describe("the journal alone rebuilds what the collectors recorded", () => {
  it("across any number of restarts, with or without rotation", async () => {
    await fc.assert(
      fc.asyncProperty(
        script,
        fc.array(fc.nat(), { maxLength: 3 }),
        fc.constantFrom({ maxBytes: 400, retainFiles: 1 }, { maxBytes: 2000, retainFiles: 3 }, { maxBytes: 1 << 30, retainFiles: 5 }),
        fc.constantFrom(3, 1000),
        async (items, cuts, rotation, maxEventsRetained) => {
          const dir = mkdtempSync(join(tmpdir(), "mde-roundtrip-"));
          try {
            const clock = new ManualClock(T0);
            const options = { clock, maxEventsRetained, logger: silent };
            const path = join(dir, "journal.jsonl");
            const live = new CollectorRegistry(options);
            const bounds = [...new Set(cuts.map((c) => c % (items.length + 1)))].sort((a, b) => a - b);
            let registry = new CollectorRegistry(options);
            let writer = new JournalWriter({ path, ...rotation, logger: silent, clock });
            writer.attach(registry);
            for (let i = 0; i < items.length; i++) {
              if (bounds.includes(i)) {
                // A restart: close, restore into fresh collectors, attach a new writer.
                await writer.close();
                registry = new CollectorRegistry(options);
                await restoreJournal(path, registry, { logger: silent });
                writer = new JournalWriter({ path, ...rotation, logger: silent, clock });
                writer.attach(registry);
              }
              const { gapMs, connection, step: s } = items[i] as (typeof items)[number];
              clock.advance(gapMs);
              record(live.getOrCreate(connection), s);
              record(registry.getOrCreate(connection), s);
            }
            await writer.close();
            expect(writer.writeErrors).toBe(0);

            const restored = new CollectorRegistry(options);
            await restoreJournal(path, restored, { logger: silent });
            for (const name of live.names()) {
              const expected = live.get(name)?.export();
              expect(registry.get(name)?.export(), `${name} (kept running)`).toEqual(expected);
              expect(restored.get(name)?.export(), `${name} (restored)`).toEqual(expected);
              const replayed = await replayJournal({ journal: path, atMs: clock.now(), maxEvents: maxEventsRetained, connection: name, logger: silent });
              expect(replayed.collector?.export(), `${name} (replayed)`).toEqual(expected);
            }
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: Number(process.env["ROUNDTRIP_RUNS"] ?? 80) },
    );
  });
});
