import { resourceFromAttributes } from "@opentelemetry/resources";
import { MeterProvider } from "@opentelemetry/sdk-metrics";
import { describe, expect, it } from "vitest";
import { mergeResourceMetrics } from "../../../src/metrics/merge.js";
import { PullReader } from "../../../src/metrics/pull-reader.js";

async function collected(connection: string, value: number) {
  const reader = new PullReader();
  const provider = new MeterProvider({ readers: [reader] });
  provider.getMeter("m").createCounter("drops").add(value, { connection });
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  return resourceMetrics;
}

describe("mergeResourceMetrics", () => {
  it("makes one metric per name with every collection's data points, in order", async () => {
    const resource = resourceFromAttributes({ "service.name": "x" });
    const merged = mergeResourceMetrics(resource, [await collected("a", 1), await collected("b", 2)]);
    expect(merged.resource).toBe(resource);
    expect(merged.scopeMetrics).toHaveLength(1);
    const metrics = merged.scopeMetrics[0]?.metrics ?? [];
    expect(metrics.map((m) => m.descriptor.name)).toEqual(["drops"]);
    expect(metrics[0]?.dataPoints.map((p) => [p.attributes["connection"], p.value])).toEqual([["a", 1], ["b", 2]]);
  });

  it("is empty for nothing collected", () => {
    expect(mergeResourceMetrics(resourceFromAttributes({}), []).scopeMetrics).toEqual([]);
  });
});
