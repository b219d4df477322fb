import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../../src/config/errors.js";
import { parseGoDuration, TokenBucket } from "../../../../src/http/web-config/rate-limit.js";

describe("rate_limit", () => {
  it("reads Go durations as the toolkit's YAML does", () => {
    expect(parseGoDuration("1s", "x")).toBe(1000);
    expect(parseGoDuration("250ms", "x")).toBe(250);
    expect(parseGoDuration("1m30s", "x")).toBe(90_000);
    expect(parseGoDuration("1.5h", "x")).toBe(5_400_000);
    expect(parseGoDuration("500us", "x")).toBe(0.5);
    expect(parseGoDuration(0, "x")).toBe(0);
    expect(parseGoDuration("0", "x")).toBe(0);
    for (const bad of ["", "1", "fast", "-1s", "1 s", "1d"]) expect(() => parseGoDuration(bad, "rate_limit.interval")).toThrow(ConfigError);
  });

  it("a token bucket: a burst, then one request per interval, with the wait to retry", () => {
    let now = 0;
    const bucket = new TokenBucket(1000, 2, () => now);
    expect([bucket.take(), bucket.take()]).toEqual([undefined, undefined]);
    expect(bucket.take()).toBe(1);
    now = 500;
    expect(bucket.take()).toBe(1);
    now = 1000;
    expect(bucket.take()).toBeUndefined();
    now = 60_000;
    // Refilled to the burst, never beyond it.
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([undefined, undefined, 1]);
  });
});
