import { describe, expect, it } from "vitest";
import { RingBuffer } from "../../../src/collector/ring-buffer.js";

describe("RingBuffer", () => {
  it("keeps the newest items, oldest first, and hands back what it evicts", () => {
    const ring = new RingBuffer<number>(3);
    expect([ring.push(1), ring.push(2), ring.push(3)]).toEqual([undefined, undefined, undefined]);
    expect(ring.push(4)).toBe(1);
    expect(ring.last()).toEqual([2, 3, 4]);
    expect(ring.last(2)).toEqual([3, 4]);
    expect(ring.last(0)).toEqual([]);
    expect(ring.last(-1)).toEqual([]);
    expect(ring.last(10)).toEqual([2, 3, 4]);
    expect([ring.size, ring.newest()]).toEqual([3, 4]);
  });

  it("clears, and refuses a capacity that is not a positive integer", () => {
    const ring = new RingBuffer<number>(2);
    ring.push(1);
    ring.clear();
    expect([ring.size, ring.newest(), ring.last()]).toEqual([0, undefined, []]);
    expect(() => new RingBuffer(0)).toThrow(RangeError);
    expect(() => new RingBuffer(1.5)).toThrow(RangeError);
  });
});
