import { describe, expect, it } from "vitest";
import { KeyedRecord, recordKeyOf } from "../../../src/aws-join/record-key.js";

describe("a record's key", () => {
  it("is the key a keyed record carries, else the object itself", () => {
    const owner = {};
    const keyed = Object.assign(new KeyedRecord(owner, 12), { timestamp: "2026-03-01T12:00:00.000Z" });
    expect(recordKeyOf(keyed)).toBe(12);
    expect(KeyedRecord.ownerOf(keyed)).toBe(owner);
    const plain = { timestamp: "2026-03-01T12:00:00.000Z" };
    expect(recordKeyOf(plain)).toBe(plain);
    expect(KeyedRecord.ownerOf(plain)).toBeUndefined();
    // A copy is a plain object: the key stays with the record the ring made.
    expect(recordKeyOf({ ...keyed })).not.toBe(12);
    expect(Object.keys(keyed)).toEqual(["timestamp"]);
  });
});
