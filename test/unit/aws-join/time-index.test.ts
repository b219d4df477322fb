import { describe, expect, it } from "vitest";
import { TimeIndex } from "../../../src/aws-join/time-index.js";

const idx = (capacity = 100) => new TimeIndex<{ t: number; name: string }>((x) => x.t, capacity);
const item = (t: number, name = String(t)) => ({ t, name });

describe("TimeIndex", () => {
  it("keeps items sorted whatever order they come in; finds the nearest within a gap, by a filter", () => {
    const i = idx();
    for (const t of [10, 30, 20, 5, 40]) i.insert(item(t));
    expect(i.values().map((x) => x.t)).toEqual([5, 10, 20, 30, 40]);
    expect(i.nearest(24, 5)?.t).toBe(20);
    expect(i.nearest(24, 3)).toBeUndefined();
    expect(i.nearest(24, 10, (x) => x.t !== 20)?.t).toBe(30);
    expect(i.within(10, 30).map((x) => x.t)).toEqual([10, 20, 30]);
  });

  it("removes by identity, takes what is due, and drops the oldest past its capacity", () => {
    const i = idx(3);
    const a = item(1, "a");
    const b = item(1, "b");
    i.insert(a);
    i.insert(b);
    expect(i.remove(a)).toBe(true);
    expect(i.remove(a)).toBe(false);
    expect(i.values()).toEqual([b]);
    i.insert(item(2));
    i.insert(item(3));
    expect(i.insert(item(4))?.name).toBe("b");
    expect(i.takeUntil(3).map((x) => x.t)).toEqual([2, 3]);
    expect(i.size).toBe(1);
  });

  it("stays correct over many inserts and takes (the emptied front is compacted)", () => {
    const i = idx(1000);
    for (let t = 0; t < 5000; t++) {
      i.insert(item(t));
      if (t % 2 === 1) i.takeUntil(t - 1);
    }
    expect(i.size).toBe(1);
    expect(i.nearest(4999, 0)?.t).toBe(4999);
  });
});
