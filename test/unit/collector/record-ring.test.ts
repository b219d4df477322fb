import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KeyedRecord } from "../../../src/aws-join/record-key.js";
import { isoTimestamp } from "../../../src/clock.js";
import { recordOf, type RecordedKind, type RecordOf } from "../../../src/collector/event-model.js";
import { canonicalTimestampMs, keptTime, RecordOwner, RecordRing } from "../../../src/collector/record-ring.js";
import { RingBuffer } from "../../../src/ring-buffer.js";

const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const count = fc.nat({ max: 1_000_000 });
const int = fc.integer({ min: -1_000_000, max: 1_000_000 });
const seconds = fc.double({ min: 0, max: 1e7, noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0));
const name = fc.constantFrom("AWS_ERROR_MQTT_UNEXPECTED_HANGUP", "AWS_IO_SOCKET_CLOSED", "", "connected", "resumed", "x\u00e9\u{1F600}");
const instant = fc.integer({ min: Date.UTC(1, 0, 1), max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) });

/** Timestamps as records may carry them: canonical, and other ISO forms a replayed journal or a checkpoint may hold. */
const timestamp = fc.oneof(
  { weight: 4, arbitrary: instant.map((ms) => new Date(ms).toISOString()) },
  { weight: 1, arbitrary: instant.map((ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z")) },
  { weight: 1, arbitrary: instant.map((ms) => new Date(ms).toISOString().replace("Z", "+00:00")) },
  { weight: 1, arbitrary: fc.constantFrom("2026-02-30T12:00:00.000Z", "2026-03-01T24:00:00.000Z", "Sun, 01 Mar 2026 12:00:00 GMT", "2026-03-01T12:00:00.5Z") },
);

const lines: { [K in RecordedKind]: fc.Arbitrary<Record<string, unknown>> } = {
  connection_drop: fc.record({
    error_name: nullable(name),
    error_message: nullable(fc.string({ maxLength: 40 })),
    error_code: nullable(int),
    reconnect_attempt: count,
    active_subscriptions: count,
    queued_commands: count,
    disconnect_reason_code: nullable(fc.integer({ min: 0, max: 255 })),
  }),
  connection_success: fc.record(
    {
      event_type: name,
      session_present: fc.boolean(),
      return_code: nullable(int),
      attempt_number: count,
      keep_alive_seconds: nullable(seconds),
      transport: name,
      client_id: nullable(name),
    },
    { requiredKeys: ["event_type", "session_present", "return_code", "attempt_number"] },
  ),
  connection_failure: fc.record(
    { error_name: nullable(name), error_message: nullable(fc.string({ maxLength: 40 })), error_code: nullable(int), connack_reason_code: nullable(int) },
    { requiredKeys: ["error_name", "error_code"] },
  ),
};
const DERIVED: Readonly<Record<RecordedKind, string | null>> = {
  connection_drop: "duration_connected_seconds",
  connection_success: "time_to_reconnect_seconds",
  connection_failure: null,
};

function recordArb<K extends RecordedKind>(kind: K): fc.Arbitrary<RecordOf<K>> {
  return fc.tuple(timestamp, lines[kind], nullable(seconds)).map(([ts, line, derived]) => {
    const field = DERIVED[kind];
    return recordOf(kind, ts, line as never, field === null ? {} : ({ [field]: derived } as never));
  });
}

const NUMBER_FIELDS: Readonly<Record<RecordedKind, readonly string[]>> = {
  connection_drop: ["reconnect_attempt", "duration_connected_seconds", "disconnect_reason_code"],
  connection_success: ["session_present", "keep_alive_seconds"],
  connection_failure: ["error_code"],
};

const json = (records: readonly object[]) => JSON.stringify(records);

describe("a ring of records kept as columns", () => {
  for (const kind of ["connection_drop", "connection_success", "connection_failure"] as const) {
    it(`reads back what a ring of ${kind} objects holds: the same keys in the same order, the same values`, () => {
      const op = fc.oneof(
        { weight: 12, arbitrary: recordArb(kind).map((record) => ({ t: "push" as const, record })) },
        { weight: 1, arbitrary: fc.constant({ t: "clear" as const }) },
      );
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 7 }), fc.array(op, { maxLength: 40 }), fc.nat({ max: 9 }), (capacity, ops, limit) => {
          const ring = new RecordRing(kind, capacity, new RecordOwner());
          const oracle = new RingBuffer<RecordOf<typeof kind>>(capacity);
          for (const o of ops) {
            if (o.t === "push") {
              ring.push(o.record);
              oracle.push(o.record);
            } else {
              ring.clear();
              oracle.clear();
            }
            expect(ring.size).toBe(oracle.size);
            expect(json(ring.last())).toBe(json(oracle.last()));
            expect(ring.last(limit)).toEqual(oracle.last(limit));
            for (let i = -1; i <= ring.size; i++) expect(ring.at(i)).toEqual(oracle.at(i));
            for (const field of NUMBER_FIELDS[kind]) expect(ring.numbers(field)).toEqual(oracle.last().map((r) => (r as Record<string, unknown>)[field]));
          }
        }),
        { numRuns: 150 },
      );
    });
  }

  it("makes a record from a line as the event table does, and keeps it", () => {
    const ring = new RecordRing("connection_drop", 2, new RecordOwner());
    const line = {
      error_name: "AWS_IO_SOCKET_CLOSED",
      error_message: "closed",
      error_code: 1051,
      reconnect_attempt: 2,
      active_subscriptions: 1,
      queued_commands: 0,
    };
    const key = ring.add("2026-03-01T12:00:00.000Z", line, { duration_connected_seconds: 12.5 });
    const made = ring.newest("2026-03-01T12:00:00.000Z");
    expect(KeyedRecord.keyOf(made as object)).toBe(key);
    expect(ring.newest()).toEqual(made);
    const expected = recordOf("connection_drop", "2026-03-01T12:00:00.000Z", line as never, { duration_connected_seconds: 12.5 });
    expect(JSON.stringify(made)).toBe(JSON.stringify(expected));
    expect(JSON.stringify(ring.last())).toBe(JSON.stringify([expected]));
    expect(ring.last()[0]?.disconnect_reason_code).toBeNull();
  });

  it("takes the time the live path made the timestamp from, fractions and all, and reads back the same string", () => {
    fc.assert(
      fc.property(fc.double({ min: Date.UTC(1, 0, 1), max: Date.UTC(9999, 0, 1), noNaN: true }), (at) => {
        const ring = new RecordRing("connection_failure", 1, new RecordOwner());
        ring.add(isoTimestamp(at), {}, {}, at, "made");
        expect(ring.last()[0]?.timestamp).toBe(isoTimestamp(at));
      }),
      { numRuns: 2_000 },
    );
  });

  it("keeps a timestamp that is not toISOString's form of its time exactly as it came", () => {
    const ring = new RecordRing("connection_failure", 8, new RecordOwner());
    const forms = ["2026-03-01T12:00:00Z", "2026-03-01T12:00:00.000+00:00", "2026-02-30T12:00:00.000Z", "2026-03-01T24:00:00.000Z", "2026-03-01T12:00:00.000Z"];
    for (const ts of forms) ring.push(recordOf("connection_failure", ts, {} as never, {}));
    expect(ring.last().map((r) => r.timestamp)).toEqual(forms);
  });

  it("gives each record read a key (invisible to JSON, keys, spreads and equality) that never repeats, and tells its owner", () => {
    const owner = new RecordOwner();
    const ring = new RecordRing("connection_failure", 2, owner);
    const other = new RecordRing("connection_drop", 2, owner);
    const plain = recordOf("connection_failure", "2026-03-01T12:00:00.000Z", { error_name: null, error_code: null } as never, {});
    const keys = [ring.push(plain), ring.push(plain), ring.push(plain)];
    const [older, newer] = ring.last();
    expect([older, newer].map((r) => KeyedRecord.keyOf(r as object))).toEqual(keys.slice(1));
    expect(ring.at(1) && KeyedRecord.keyOf(ring.at(1) as object)).toBe(keys[2]);
    expect(Object.keys(newer as object)).toEqual(Object.keys(plain));
    expect(JSON.stringify(newer)).toBe(JSON.stringify(plain));
    expect(KeyedRecord.keyOf({ ...newer })).toBeUndefined();
    expect(newer).toEqual(plain);
    expect(owner.owns(newer as object)).toBe(true);
    expect(new RecordOwner().owns(newer as object)).toBe(false);
    expect(owner.owns(plain)).toBe(false);
    // The other kind's keys are never these; nor are the keys after a clear.
    expect(keys).not.toContain(other.push(recordOf("connection_drop", "2026-03-01T12:00:00.000Z", {} as never, {})));
    ring.clear();
    expect(keys).not.toContain(ring.push(plain));
  });

  it("reads one number field of every record without making them, and refuses a string field", () => {
    const ring = new RecordRing("connection_drop", 2, new RecordOwner());
    expect(() => ring.numbers("error_name")).toThrow(TypeError);
    expect(() => ring.numbers("nothing")).toThrow(TypeError);
  });

  it("refuses a capacity that is not a positive integer", () => {
    for (const capacity of [0, -1, 1.5, Number.NaN]) expect(() => new RecordRing("connection_drop", capacity, new RecordOwner())).toThrow(RangeError);
  });
});

describe("canonicalTimestampMs", () => {
  const oracle = (ts: string) => {
    const ms = Date.parse(ts);
    return !Number.isNaN(ms) && new Date(ms).toISOString() === ts ? ms : undefined;
  };
  const digits = (n: number, max: number) => fc.integer({ min: 0, max }).map((v) => String(v).padStart(n, "0"));

  it("gives the time exactly when the string is toISOString's form of it (any day, month or time written)", () => {
    const written = fc
      .tuple(digits(4, 9999), digits(2, 14), digits(2, 33), digits(2, 25), digits(2, 61), digits(2, 61), digits(3, 999))
      .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
    const real = instant.map((ms) => new Date(ms).toISOString());
    fc.assert(
      fc.property(fc.oneof(written, real, fc.string({ maxLength: 30 })), (ts) => {
        expect(canonicalTimestampMs(ts)).toBe(oracle(ts));
      }),
      { numRuns: 20_000 },
    );
  });

  it("keptTime: a shaped timestamp with its Date.parse, as the journal reader hands them, keeps its time exactly when it is canonical", () => {
    const shaped = fc
      .tuple(digits(4, 9999), digits(2, 13), digits(2, 32), digits(2, 24), digits(2, 60), digits(2, 60), digits(3, 999))
      .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
    // Where days roll over: month ends, midnights and 24:00.
    const edges = fc
      .tuple(digits(4, 9999), digits(2, 12), fc.integer({ min: 27, max: 31 }), fc.constantFrom("00:00:00.000", "24:00:00.000", "23:59:59.999", "00:00:00.001"))
      .map(([y, mo, d, time]) => `${y}-${mo}-${d}T${time}Z`);
    const parsed = fc.oneof(shaped, edges).filter((ts) => !Number.isNaN(Date.parse(ts)));
    fc.assert(
      fc.property(parsed, (ts) => {
        expect(keptTime(ts, Date.parse(ts), "shaped")).toBe(oracle(ts));
        expect(keptTime(ts, Number.NaN, "unknown")).toBe(oracle(ts));
      }),
      { numRuns: 20_000 },
    );
    expect(keptTime("2026-03-01T24:00:00.000Z", Date.parse("2026-03-01T24:00:00.000Z"), "shaped")).toBeUndefined();
    expect(keptTime("2026-03-14T12:00:00.000Z", Date.parse("2026-03-14T12:00:00.000Z"), "shaped")).toBe(Date.parse("2026-03-14T12:00:00.000Z"));
  });
});
