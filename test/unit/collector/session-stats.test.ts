import { describe, expect, it } from "vitest";
import { SAMPLE_DURATIONS, SessionStats } from "../../../src/collector/session-stats.js";

describe("SessionStats", () => {
  it("keeps count, sum, min, max and the recent durations in O(1)", () => {
    const stats = new SessionStats();
    expect([stats.min, stats.max, stats.average]).toEqual([Number.POSITIVE_INFINITY, 0, 0]);
    for (let i = 1; i <= SAMPLE_DURATIONS + 2; i++) stats.add(i);
    expect([stats.count, stats.min, stats.max]).toEqual([SAMPLE_DURATIONS + 2, 1, SAMPLE_DURATIONS + 2]);
    expect(stats.average).toBe((SAMPLE_DURATIONS + 3) / 2);
    expect(stats.recent.last()).toHaveLength(SAMPLE_DURATIONS);
  });

  it("comes back from what a checkpoint carried", () => {
    const stats = SessionStats.from({ count: 2, sum: 30, min: 10, max: 20, recent: [10, 20] });
    expect([stats.average, stats.recent.last()]).toEqual([15, [10, 20]]);
  });
});
