import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isCanonicalIso, isoTimestamp } from "../../../src/collector/clock.js";

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
});
