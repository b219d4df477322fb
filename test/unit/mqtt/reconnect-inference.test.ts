import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { MqttDiagnosticsCollector } from "../../../src/collector/collector.js";
import { INFERRED_FAILURE_NAME, ReconnectInference } from "../../../src/mqtt/reconnect-inference.js";

// Timers are the SDK's schedule being modelled, so they are faked: no test waits on real time.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function setup() {
  const collector = new MqttDiagnosticsCollector({ clock: new ManualClock(Date.parse("2026-03-01T12:00:00Z")) });
  return { collector, inference: new ReconnectInference(collector, { minSeconds: 1, maxSeconds: 4 }) };
}

describe("ReconnectInference (MQTT 3.1.1's unreported reconnects)", () => {
  it("counts the attempts the backoff schedules (1, 2, 4, 4 s) and the failures they imply", () => {
    const { collector, inference } = setup();
    inference.dropped();
    vi.advanceTimersByTime(999);
    expect(collector.connectionAttempts).toBe(0);
    vi.advanceTimersByTime(1); // 1 s: first attempt
    vi.advanceTimersByTime(2000); // 3 s: second, so the first failed
    vi.advanceTimersByTime(4000); // 7 s: third
    vi.advanceTimersByTime(4000); // 11 s: fourth (the delay stays at the maximum)
    expect(collector.connectionAttempts).toBe(4);
    expect(collector.connectionFailures).toBe(3);
    expect([...collector.failuresByErrorLabel]).toEqual([[INFERRED_FAILURE_NAME, 3]]);
    expect(inference.succeeded()).toBe(4);
    vi.advanceTimersByTime(60_000);
    expect(collector.connectionAttempts).toBe(4);
  });

  it("a success before any attempt came due is one attempt, counted then", () => {
    const { collector, inference } = setup();
    inference.dropped();
    vi.advanceTimersByTime(500);
    expect(inference.succeeded()).toBe(1);
    expect(collector.connectionAttempts).toBe(1);
    expect(collector.connectionFailures).toBe(0);
  });

  it("a failure the SDK did report takes the place of an inferred one", () => {
    const { collector, inference } = setup();
    inference.dropped();
    vi.advanceTimersByTime(1000);
    inference.realFailure();
    vi.advanceTimersByTime(2000);
    expect(collector.connectionAttempts).toBe(2);
    expect(collector.connectionFailures).toBe(0);
  });

  it("a success without a drop (the first connection) infers nothing", () => {
    const { collector, inference } = setup();
    expect(inference.succeeded()).toBe(1);
    expect(collector.connectionAttempts).toBe(0);
  });
});
