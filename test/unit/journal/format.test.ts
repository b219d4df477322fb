import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { JournalEvent } from "../../../src/journal/events.js";
import { serializeJournalEvent } from "../../../src/journal/format.js";
import { parseJournalLine } from "../../../src/journal/parse.js";

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme" }),
  fc.constantFrom("", '"', "\\", "\u2028", "\ud800", "a\u0000b"),
);
const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-0, 1e21, 5e-324, Number.NaN, Number.POSITIVE_INFINITY));
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const ts = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  text,
);
const head = <K extends string>(kind: K) => ({ ts, kind: fc.constant(kind), connection: maybe(text) });

// Key order as the collector builds its lines; undefined optional fields are left out by both.
const event: fc.Arbitrary<JournalEvent> = fc.oneof(
  fc.record({ ...head("publish"), queued: fc.boolean() }),
  fc.record({
    ...head("connection_drop"),
    error_name: fc.option(text),
    error_message: fc.option(text),
    error_code: fc.option(number),
    reconnect_attempt: number,
    active_subscriptions: number,
    queued_commands: number,
    disconnect_reason_code: maybe(fc.option(number)),
  }),
  fc.record({
    ...head("connection_success"),
    event_type: text,
    session_present: fc.boolean(),
    return_code: fc.option(number),
    attempt_number: number,
    keep_alive_seconds: maybe(fc.option(number)),
  }),
  fc.record({
    ...head("connection_failure"),
    error_name: fc.option(text),
    error_message: maybe(fc.option(text)),
    error_code: fc.option(number),
    connack_reason_code: maybe(fc.option(number)),
  }),
  fc.record({ ...head("connection_attempt") }),
  fc.record({ ...head("connection_stopped"), reason: maybe(text) }),
  fc.record({ ...head("probe"), rtt_seconds: fc.option(number) }),
);

/** The record without keys whose value is undefined, in the same order (what JSON.stringify writes). */
function defined(e: JournalEvent): JournalEvent {
  return Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as unknown as JournalEvent;
}

describe("serializeJournalEvent", () => {
  it("writes exactly what JSON.stringify writes, for any event", () => {
    fc.assert(
      fc.property(event, (e) => {
        expect(serializeJournalEvent(e)).toBe(JSON.stringify(defined(e)));
      }),
      { numRuns: 3000 },
    );
  });

  it("writes lines the parser reads back unchanged", () => {
    const line: JournalEvent = {
      ts: "2026-03-01T12:05:12.250Z",
      kind: "connection_drop",
      connection: 'plant "7" \\ east',
      error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP",
      error_message: "The connection was closed unexpectedly.\n\u2028",
      error_code: 5134,
      reconnect_attempt: 0,
      active_subscriptions: 1,
      queued_commands: 0,
      disconnect_reason_code: 142,
    };
    expect(parseJournalLine(serializeJournalEvent(line))).toEqual({ ok: true, event: line });
  });
});
