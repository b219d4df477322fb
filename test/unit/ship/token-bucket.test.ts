import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { TokenBucket } from "../../../src/ship/token-bucket.js";

describe("TokenBucket", () => {
  it("allows `burst` at once, then one per 1/rate seconds", () => {
    const clock = new ManualClock(0);
    const bucket = new TokenBucket(2, 3, clock);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, true, false]);
    expect(bucket.waitMs()).toBe(500);
    clock.advance(499);
    expect(bucket.tryTake()).toBe(false);
    clock.advance(1);
    expect(bucket.tryTake()).toBe(true);
  });

  it("never holds more than `burst` tokens after a quiet time", () => {
    const clock = new ManualClock(0);
    const bucket = new TokenBucket(1, 1, clock);
    clock.advance(3_600_000);
    expect([bucket.tryTake(), bucket.tryTake()]).toEqual([true, false]);
    expect(bucket.waitMs()).toBe(1000);
  });

  it("refuses a zero rate or a burst below one", () => {
    expect(() => new TokenBucket(0, 1, new ManualClock())).toThrow(RangeError);
    expect(() => new TokenBucket(1, 0, new ManualClock())).toThrow(RangeError);
  });
});
