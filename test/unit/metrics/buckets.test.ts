import { describe, expect, it } from "vitest";
import { PROBE_RTT_BUCKETS, SESSION_DURATION_BUCKETS, TIME_TO_RECONNECT_BUCKETS } from "../../../src/metrics/buckets.js";

describe("histogram buckets", () => {
  it("are positive and strictly ascending", () => {
    for (const buckets of [SESSION_DURATION_BUCKETS, TIME_TO_RECONNECT_BUCKETS, PROBE_RTT_BUCKETS]) {
      expect(buckets[0]).toBeGreaterThan(0);
      expect(buckets.every((b, i) => i === 0 || b > (buckets[i - 1] ?? Infinity))).toBe(true);
    }
  });

  it("separate what the diagnosis tells apart in session lengths", () => {
    // 1-5 s client-ID fights, the 300-350 s NAT idle window, keep-alive 1200 s, AWS's 24 h limit.
    for (const edge of [1, 5, 300, 350, 1200, 86400]) expect(SESSION_DURATION_BUCKETS).toContain(edge);
    // A capped exponential backoff tops out at minutes; a local failover takes milliseconds.
    expect(TIME_TO_RECONNECT_BUCKETS[0]).toBeLessThanOrEqual(0.05);
    expect(TIME_TO_RECONNECT_BUCKETS.at(-1)).toBeGreaterThanOrEqual(600);
  });
});
