import { describe, expect, it } from "vitest";
import { CauseHistory } from "../../../../src/http/routes/cause-history.js";

describe("CauseHistory", () => {
  it("keeps the newest samples, oldest first, each a copy of the counts at the time", () => {
    const h = new CauseHistory(3, 1000);
    const counts = new Map([["healthy", 1]]);
    for (let i = 1; i <= 5; i++) {
      counts.set("healthy", i);
      h.sample(i * 1000, counts);
    }
    expect(h.samples().map((s) => [s.at, s.counts.get("healthy")])).toEqual([
      [3000, 3],
      [4000, 4],
      [5000, 5],
    ]);
    expect(new CauseHistory(4).samples()).toEqual([]);
  });

  it("refuses a capacity under 2", () => {
    expect(() => new CauseHistory(1)).toThrow(RangeError);
  });
});
