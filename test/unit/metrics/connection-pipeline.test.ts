import { resourceFromAttributes } from "@opentelemetry/resources";
import type { ResourceMetrics } from "@opentelemetry/sdk-metrics";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { MqttDiagnosticsCollector } from "../../../src/collector/collector.js";
import { ConnectionPipeline } from "../../../src/metrics/connection-pipeline.js";
import { NAMES } from "../../../src/metrics/names.js";

const resource = resourceFromAttributes({ "service.name": "test" });

function points(rm: ResourceMetrics, name: string): { value: unknown; attributes: Record<string, unknown> }[] {
  return rm.scopeMetrics.flatMap((s) => s.metrics).filter((m) => m.descriptor.name === name).flatMap((m) => m.dataPoints as { value: unknown; attributes: Record<string, unknown> }[]);
}

describe("ConnectionPipeline", () => {
  it("collects one connection's counters and histograms from its own provider", async () => {
    const clock = new ManualClock(Date.parse("2026-01-01T00:00:00Z"));
    const collector = new MqttDiagnosticsCollector({ connection: "heater-1", clock });
    const pipeline = new ConnectionPipeline(collector, resource, "1.2.3", {});
    collector.recordConnectionSuccess();
    clock.advance(300_000);
    collector.recordConnectionDrop();
    const rm = await pipeline.collect();
    const connections = points(rm, NAMES.connections);
    expect(new Set(connections.map((p) => p.attributes["connection"]))).toEqual(new Set(["heater-1"]));
    expect(connections.reduce((n, p) => n + Number(p.value), 0)).toBe(1);
    expect(points(rm, NAMES.drops).reduce((n, p) => n + Number(p.value), 0)).toBe(1);
    const durations = points(rm, NAMES.sessionDuration);
    expect(durations.map((p) => (p.value as { count: number; sum: number }).count)).toEqual([1]);
    expect((durations[0]?.value as { sum: number }).sum).toBe(300);
    await pipeline.shutdown();
  });

  it("stops observing the collector once shut down", async () => {
    const collector = new MqttDiagnosticsCollector({ connection: "c", clock: new ManualClock(0) });
    const pipeline = new ConnectionPipeline(collector, resource, "1.2.3", {});
    await pipeline.shutdown();
    collector.recordConnectionSuccess();
    await expect(pipeline.collect()).rejects.toThrow();
  });
});
