import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RingBuffer } from "../../src/ring-buffer.js";

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
    expect([ring.size, ring.at(ring.size - 1)]).toEqual([3, 4]);
  });

  it("reads one item by its place from the oldest, across the wrap", () => {
    const ring = new RingBuffer<number>(3);
    for (let i = 1; i <= 5; i++) ring.push(i);
    expect([-1, 0, 1, 2, 3].map((i) => ring.at(i))).toEqual([undefined, 3, 4, 5, undefined]);
  });

  it("clears, and refuses a capacity that is not a positive integer", () => {
    const ring = new RingBuffer<number>(2);
    ring.push(1);
    ring.clear();
    expect([ring.size, ring.at(0), ring.last()]).toEqual([0, undefined, []]);
    expect(() => new RingBuffer(0)).toThrow(RangeError);
    expect(() => new RingBuffer(1.5)).toThrow(RangeError);
  });

  it("behaves as a list that drops its oldest item past capacity, through any pushes, clears and reads", () => {
    const op = fc.oneof(fc.record({ push: fc.integer() }), fc.constant({ clear: true as const }), fc.record({ last: fc.integer({ min: -2, max: 12 }) }));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(op, { maxLength: 60 }), (capacity, ops) => {
        const ring = new RingBuffer<number>(capacity);
        let model: number[] = [];
        for (const o of ops) {
          if ("push" in o) {
            const evicted = model.length === capacity ? model.shift() : undefined;
            model.push(o.push);
            expect(ring.push(o.push)).toBe(evicted);
          } else if ("clear" in o) {
            model = [];
            ring.clear();
          } else {
            expect(ring.last(o.last)).toEqual(o.last <= 0 ? [] : model.slice(-o.last));
          }
          expect(ring.size).toBe(model.length);
          expect(ring.at(ring.size - 1)).toBe(model.at(-1));
          expect(ring.last()).toEqual(model);
        }
      }),
    );
  });

  it("takes memory as items arrive, not for its whole capacity up front", () => {
    // 10,000 empty buffers of 1,000 slots: ~80 MB if preallocated, well under 2 MB if not.
    const before = process.memoryUsage().heapUsed;
    const rings = Array.from({ length: 10_000 }, () => new RingBuffer<object>(1000));
    const grown = process.memoryUsage().heapUsed - before;
    expect(rings).toHaveLength(10_000);
    expect(grown).toBeLessThan(20 * 2 ** 20);
  });
});
