import { afterEach, describe, expect, it, vi } from "vitest";
import type { LifecycleSink } from "../../../src/emulator/broker-publisher.js";
import { UnreliableSink } from "../../../src/emulator/unreliable-sink.js";

function recording(): LifecycleSink & { sent: string[]; closed: boolean } {
  const r = {
    sent: [] as string[],
    closed: false,
    publish: (_topic: string, payload: string) => void r.sent.push(payload),
    close: () => {
      r.closed = true;
      return Promise.resolve();
    },
  };
  return r;
}

afterEach(() => vi.useRealTimers());

describe("lifecycle events delivered as AWS warns they may come", () => {
  it("reliable by default", () => {
    const inner = recording();
    const s = new UnreliableSink(inner, {});
    s.publish("t", "a");
    s.publish("t", "b");
    expect(inner.sent).toEqual(["a", "b"]);
  });

  it("late: nothing before the delay, everything after it", () => {
    vi.useFakeTimers();
    const inner = recording();
    const s = new UnreliableSink(inner, { delayMs: 500 });
    s.publish("t", "a");
    vi.advanceTimersByTime(499);
    expect(inner.sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(inner.sent).toEqual(["a"]);
  });

  it("twice, and out of order in pairs", () => {
    const inner = recording();
    const s = new UnreliableSink(inner, { duplicate: true, reorder: true });
    s.publish("t", "a");
    expect(inner.sent).toEqual([]);
    s.publish("t", "b");
    s.publish("t", "c");
    expect(inner.sent).toEqual(["b", "b", "a", "a"]);
  });

  it("close sends what waits or is held back, then closes the inner sink", async () => {
    vi.useFakeTimers();
    const inner = recording();
    const s = new UnreliableSink(inner, { delayMs: 10_000, reorder: true });
    s.publish("t", "a");
    s.publish("t", "b");
    s.publish("t", "c");
    await s.close();
    expect(inner.sent.sort()).toEqual(["a", "b", "c"]);
    expect(inner.closed).toBe(true);
  });
});
