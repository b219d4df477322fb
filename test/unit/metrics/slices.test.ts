import { describe, expect, it } from "vitest";
import { inSlices, SLICE_MS } from "../../../src/metrics/slices.js";

/** CPU work longer than a slice (not a wait: nothing else can run meanwhile). */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* spin */
  }
}

describe("inSlices", () => {
  it("lets the event loop run between items once a slice's time is used", async () => {
    const order: string[] = [];
    setImmediate(() => order.push("other work"));
    await inSlices([1, 2, 3], (i) => {
      order.push(`item ${i}`);
      busy(SLICE_MS + 1);
    });
    expect(order.indexOf("other work")).toBeGreaterThan(0);
    expect(order.indexOf("other work")).toBeLessThan(order.indexOf("item 3"));
  });

  it("visits every item in order", async () => {
    const seen: number[] = [];
    await inSlices(new Set([3, 1, 2]), (i) => void seen.push(i));
    expect(seen).toEqual([3, 1, 2]);
  });
});
