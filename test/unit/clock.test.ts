import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isCanonicalIso, isoTimestamp } from "../../src/clock.js";

describe("isoTimestamp", () => {
  it("equals Date#toISOString for any instant, in any order", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4_102_444_800_000 }), { minLength: 1, maxLength: 50 }), (instants) => {
        for (const ms of instants) {
          expect(isoTimestamp(ms)).toBe(new Date(ms).toISOString());
          expect(isoTimestamp(ms + 1)).toBe(new Date(ms + 1).toISOString());
          expect(isCanonicalIso(isoTimestamp(ms))).toBe(true);
        }
      }),
    );
  });

  it("equals it across days, before 1970 and beyond year 9999, and from one second to the next", () => {
    // The whole range a Date holds (±8.64e15 ms), and runs of consecutive seconds around midnight.
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 - 100_000 }), fc.integer({ min: 1, max: 90 }), (start, seconds) => {
        for (let i = 0; i < seconds; i++) expect(isoTimestamp(start + i * 1000)).toBe(new Date(start + i * 1000).toISOString());
      }),
    );
    for (const ms of [86_399_999, 86_400_000, -1, -86_400_001, 253_402_300_799_999, 253_402_300_800_000])
      expect(isoTimestamp(ms)).toBe(new Date(ms).toISOString());
  });
});
