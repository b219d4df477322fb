import { describe, expect, it } from "vitest";
import { bootstrapOffset, ClockOffset } from "../../../src/aws-join/clock-offset.js";

describe("the clock offset", () => {
  it("is the median of the newest paired connects: a wrong pair does not move it", () => {
    const o = new ClockOffset(5);
    expect(o.ms).toBeNull();
    for (const d of [120_000, 120_040, 119_980, 3_000, 120_010]) o.add(d);
    expect(o.ms).toBe(120_000);
    o.remove(3_000);
    expect([o.count, o.ms]).toEqual([4, 120_005]);
    for (let i = 0; i < 5; i++) o.add(-4_000);
    expect(o.ms).toBe(-4_000);
  });

  it("before any pair, the offset most connect/success pairs agree on (ties: the smallest)", () => {
    // Successes every 60 s, AWS's connects 120 s ahead: 120 s is the only offset all agree on.
    const client = [0, 60_000, 120_000, 180_000];
    const aws = client.map((t) => t + 120_050);
    expect(bootstrapOffset(aws, client, 600_000, 2_000)).toBe(120_050);
    expect(bootstrapOffset([1_000], [0], 600_000, 2_000)).toBe(1_000);
    expect(bootstrapOffset([1_000_000], [0], 600_000, 2_000)).toBeNull();
  });
});
