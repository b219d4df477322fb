import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { CollectorRegistry } from "../../../src/collector/registry.js";
import type { JournalEvent } from "../../../src/journal/events.js";
import { restoreJournal } from "../../../src/journal/restore.js";
import { JournalWriter } from "../../../src/journal/writer.js";

const T0 = Date.parse("2026-03-01T12:00:00Z");
const silent = { warn: () => undefined, error: () => undefined };
const errorName = fc.constantFrom(null, "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", "AWS_IO_SOCKET_CLOSED", "AWS_ERROR_MQTT_TIMEOUT");

const eventArb: fc.Arbitrary<Omit<JournalEvent, "ts">> = fc.oneof(
  fc.record({
    kind: fc.constant("connection_success" as const),
    event_type: fc.constantFrom("connected", "resumed", "deep_reconnected"),
    session_present: fc.boolean(),
    return_code: fc.constantFrom(null, 0),
    attempt_number: fc.nat(20),
  }),
  fc.record({
    kind: fc.constant("connection_drop" as const),
    error_name: errorName,
    error_message: fc.constantFrom(null, "x"),
    error_code: fc.constantFrom(null, 5134),
    reconnect_attempt: fc.nat(15),
    active_subscriptions: fc.nat(3),
    queued_commands: fc.nat(3),
  }),
  fc.record({ kind: fc.constant("publish" as const), queued: fc.boolean() }),
  fc.record({ kind: fc.constant("connection_failure" as const), error_name: errorName, error_code: fc.constantFrom(null, 1029) }),
  fc.record({ kind: fc.constant("probe" as const), rtt_seconds: fc.option(fc.double({ min: 0.001, max: 5, noNaN: true })) }),
);

const journalArb = fc.array(fc.record({ gapMs: fc.integer({ min: 0, max: 600_000 }), connection: fc.constantFrom("default", "b"), event: eventArb }), {
  minLength: 1,
  maxLength: 120,
});

interface Step {
  gapMs: number;
  connection: string;
  event: Omit<JournalEvent, "ts">;
}

function play(registry: CollectorRegistry, clock: ManualClock, items: Step[], start: number): number {
  let t = start;
  for (const { gapMs, connection, event } of items) {
    t += gapMs;
    clock.set(t);
    registry.getOrCreate(connection).apply({ ...event, ts: new Date(t).toISOString() } as JournalEvent);
  }
  return t;
}

describe("a journal replayed at once or split across a restart gives the same document", () => {
  it("holds for random journals, with and without rotation", async () => {
    await fc.assert(
      fc.asyncProperty(journalArb, fc.nat(), fc.constantFrom(300, 1_000_000), async (items, cut, maxBytes) => {
        const dir = mkdtempSync(join(tmpdir(), "mde-prop-"));
        try {
          const split = cut % (items.length + 1);
          const clock = new ManualClock(T0);
          const options = { clock, maxEventsRetained: 7, logger: silent };
          // Reference: everything in one process.
          const whole = new CollectorRegistry(options);
          const end = play(whole, clock, items, T0);

          // First process: journal the first part, then stop.
          const path = join(dir, "journal.jsonl");
          const first = new CollectorRegistry(options);
          const w1 = new JournalWriter({ path, maxBytes, retainFiles: 1, logger: silent, clock });
          w1.attach(first);
          const mid = play(first, clock, items.slice(0, split), T0);
          await w1.close();

          // Second process: restore, then carry on with the rest.
          const second = new CollectorRegistry(options);
          await restoreJournal(path, second, { logger: silent });
          const w2 = new JournalWriter({ path, maxBytes, retainFiles: 1, logger: silent, clock });
          w2.attach(second);
          play(second, clock, items.slice(split), mid);
          await w2.close();

          clock.set(end);
          for (const name of whole.names()) {
            expect(second.get(name)?.export(), name).toEqual(whole.get(name)?.export());
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 60 },
    );
  });
});
