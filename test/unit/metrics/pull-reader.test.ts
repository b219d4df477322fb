import { MeterProvider } from "@opentelemetry/sdk-metrics";
import { describe, expect, it } from "vitest";
import { PullReader } from "../../../src/metrics/pull-reader.js";

describe("PullReader", () => {
  it("collects on demand; flush and shutdown have nothing to do and resolve", async () => {
    const reader = new PullReader();
    const provider = new MeterProvider({ readers: [reader] });
    provider.getMeter("m").createCounter("things").add(2);
    const { resourceMetrics, errors } = await reader.collect();
    expect(errors).toEqual([]);
    const metric = resourceMetrics.scopeMetrics[0]?.metrics[0];
    expect([metric?.descriptor.name, metric?.dataPoints[0]?.value]).toEqual(["things", 2]);
    await expect(reader.forceFlush()).resolves.toBeUndefined();
    await expect(provider.shutdown()).resolves.toBeUndefined();
  });
});
