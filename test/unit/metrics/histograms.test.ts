import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { CollectorRegistry } from "../../../src/collector/registry.js";
import { CATALOG } from "../../../src/metrics/catalog.js";
import { ConnectionHistograms, HistogramState } from "../../../src/metrics/histograms.js";

const quiet = { warn: () => undefined, error: () => undefined };

describe("HistogramState", () => {
  it("counts a value in the first bucket whose upper bound holds it, as OpenTelemetry and Prometheus do", () => {
    const h = new HistogramState([1, 5]);
    for (const v of [0, 1, 1.5, 5, 6]) h.record(v);
    expect([...h.counts]).toEqual([2, 2, 1]);
    expect([h.sum, h.count]).toEqual([13.5, 5]);
  });

  it("ignores negative values and NaN (OpenTelemetry drops negative histogram values too)", () => {
    const h = new HistogramState([1]);
    expect([h.record(-1), h.record(Number.NaN)]).toEqual([false, false]);
    expect(h.count).toBe(0);
  });
});

describe("ConnectionHistograms", () => {
  const metrics = [CATALOG.sessionDuration, CATALOG.timeToReconnect, CATALOG.probeRtt];

  it("follows the collector's events, restored ones included, and counts its changes", () => {
    const clock = new ManualClock(Date.parse("2026-03-01T12:00:00Z"));
    const c = new CollectorRegistry({ clock, logger: quiet }).getOrCreate("a");
    const h = new ConnectionHistograms(c, metrics);
    c.recordConnectionSuccess();
    clock.advance(310_000);
    c.recordConnectionDrop();
    clock.advance(1_500);
    c.recordConnectionSuccess({ eventType: "resumed" });
    c.recordProbe(0.02);
    c.recordProbe(null);
    const [session, reconnect, rtt] = h.states;
    expect([session?.count, session?.sum]).toEqual([1, 310]);
    expect([reconnect?.count, reconnect?.sum]).toEqual([1, 1.5]);
    expect([rtt?.count, rtt?.sum]).toEqual([1, 0.02]);
    expect(h.changes).toBe(3);
    c.apply({ kind: "probe", ts: "2026-03-01T12:10:00.000Z", connection: "a", rtt_seconds: 0.5 } as never, { restored: true });
    expect(rtt?.count).toBe(2);
    h.close();
    c.recordProbe(0.1);
    expect(rtt?.count).toBe(2);
  });
});
