import { describe, expect, it } from "vitest";
import { KeyedRecord } from "../../../src/aws-join/record-key.js";
import { EVENT_FIELDS, recordOf, type RecordedKind } from "../../../src/collector/event-model.js";
import { codecOf, layoutOf, looped } from "../../../src/collector/record-columns.js";
import { fieldCheck, type Field } from "../../../src/collector/schema.js";

const KINDS: readonly RecordedKind[] = ["connection_drop", "connection_success", "connection_failure"];
const SAMPLE: Readonly<Record<RecordedKind, Record<string, unknown>>> = {
  connection_drop: {
    error_name: "AWS_IO_SOCKET_CLOSED",
    error_message: null,
    error_code: 1051,
    reconnect_attempt: 3,
    active_subscriptions: 2,
    queued_commands: 0,
  },
  connection_success: { event_type: "resumed", session_present: true, return_code: null, attempt_number: 4, keep_alive_seconds: 1200, client_id: "dev-1" },
  connection_failure: { error_name: null, error_message: "refused", error_code: null, connack_reason_code: 135 },
};
const DERIVED = { duration_connected_seconds: 61.25, time_to_reconnect_seconds: null };

describe("a kind's record columns", () => {
  it("puts numbers and booleans in the numbers, strings in the strings, each once, in the table's order", () => {
    for (const kind of KINDS) {
      const layout = layoutOf(kind);
      expect(layout.names).toEqual(Object.keys(EVENT_FIELDS[kind]));
      const numeric = layout.columns.filter((c) => c.numeric).map((c) => c.column);
      const strings = layout.columns.filter((c) => !c.numeric).map((c) => c.column);
      expect(numeric).toEqual(Array.from({ length: layout.numStride - 1 }, (_, i) => i + 1));
      expect(strings).toEqual(Array.from({ length: layout.strStride }, (_, i) => i));
    }
  });

  it("may store null as NaN: no number field's check accepts NaN", () => {
    for (const kind of KINDS)
      for (const f of Object.values(EVENT_FIELDS[kind]) as Field[]) if (f.type !== "name" && f.type !== "text") expect(fieldCheck(f)(Number.NaN)).toBe(false);
  });

  it("compiled and looped (no code generation) store an event's fields and read back the record the event table makes", () => {
    const owner = {};
    for (const kind of KINDS) {
      const expected = recordOf(kind, "2026-03-01T12:00:00.000Z", SAMPLE[kind] as never, DERIVED as never);
      for (const codec of [codecOf(kind), looped(layoutOf(kind))]) {
        const [nums, strs]: [number[], (string | null)[]] = [[0], []];
        codec.write(SAMPLE[kind], DERIVED, nums, 0, strs, 0);
        const read = codec.read(owner, 8, "2026-03-01T12:00:00.000Z", nums, 0, strs, 0);
        expect(JSON.stringify(read)).toBe(JSON.stringify(expected));
        expect(KeyedRecord.keyOf(read)).toBe(8);
        expect(KeyedRecord.ownerOf(read)).toBe(owner);
        // A record is its own line and derived fields.
        const again: [number[], (string | null)[]] = [[0], []];
        codec.write(expected, expected, again[0], 0, again[1], 0);
        expect(again).toEqual([nums, strs]);
      }
    }
  });
});
