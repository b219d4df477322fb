import { afterEach, describe, expect, it, vi } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { MqttDiagnosticsCollector, type OperationalStatistics } from "../../../src/collector/collector.js";
import { startStatisticsSampler } from "../../../src/mqtt/statistics-sampler.js";

const stats = (n: number): OperationalStatistics => ({
  incompleteOperationCount: n,
  incompleteOperationSize: n * 10,
  unackedOperationCount: n,
  unackedOperationSize: n * 10,
});

describe("startStatisticsSampler", () => {
  afterEach(() => vi.useRealTimers());

  it("records a sample on demand, and nothing once the client is closed", () => {
    const collector = new MqttDiagnosticsCollector({ clock: new ManualClock(0) });
    let closed = false;
    const sampler = startStatisticsSampler(
      () => {
        if (closed) throw new Error("client closed");
        return stats(2);
      },
      collector,
      0,
    );
    expect(collector.operationalStatistics).toBeNull();
    expect(sampler.sample()).toEqual(stats(2));
    expect(collector.operationalStatistics).toEqual(stats(2));
    closed = true;
    expect(sampler.sample()).toBeUndefined();
    expect(collector.operationalStatistics).toEqual(stats(2));
    sampler.stop();
  });

  it("samples every interval until stopped", () => {
    vi.useFakeTimers();
    const collector = new MqttDiagnosticsCollector({ clock: new ManualClock(0) });
    let n = 0;
    const sampler = startStatisticsSampler(() => stats(++n), collector, 1000);
    vi.advanceTimersByTime(3000);
    expect(n).toBe(3);
    expect(collector.operationalStatistics).toEqual(stats(3));
    sampler.stop();
    vi.advanceTimersByTime(5000);
    expect(n).toBe(3);
  });
});
