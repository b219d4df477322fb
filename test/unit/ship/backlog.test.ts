import { describe, expect, it } from "vitest";
import { Backlog } from "../../../src/ship/backlog.js";

const push = (b: Backlog, n: number) => {
  for (let i = 0; i < n; i++) b.push("2026-03-01T00:00:00.000Z", i + 1, `{"i":${i}}`);
};

describe("Backlog", () => {
  it("numbers events from the seq after the acknowledged one", () => {
    const b = new Backlog(41, 0);
    push(b, 3);
    expect(b.waiting().map((e) => e.seq)).toEqual([41, 42, 43]);
    expect(b.next).toBe(44);
  });

  it("past its bound discards the oldest events and counts them; seqs keep their numbers", () => {
    const b = new Backlog(1, 7, { maxEvents: 3, maxBytes: 1 << 20 });
    push(b, 5);
    expect(b.waiting().map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(b.discardedTotal).toBe(9);
  });

  it("never discards the events in flight", () => {
    const b = new Backlog(1, 0, { maxEvents: 3, maxBytes: 1 << 20 });
    push(b, 3);
    b.pin(2);
    push(b, 2);
    expect(b.waiting().map((e) => e.seq)).toEqual([1, 2, 5]);
    expect(b.acknowledge(2)?.seq).toBe(2);
    expect(b.waiting().map((e) => e.seq)).toEqual([5]);
    expect(b.discardedTotal).toBe(2);
  });

  it("bounds bytes too", () => {
    const b = new Backlog(1, 0, { maxEvents: 1000, maxBytes: 100 });
    push(b, 10);
    expect(b.pendingBytes).toBeLessThanOrEqual(100);
    expect(b.size + b.discardedTotal).toBe(10);
  });

  it("acknowledging returns the last event gone; discardFirst counts", () => {
    const b = new Backlog(1, 0);
    push(b, 3);
    b.discardFirst();
    expect(b.discardedTotal).toBe(1);
    expect(b.acknowledge(5)?.seq).toBe(3);
    expect(b.size).toBe(0);
  });
});
