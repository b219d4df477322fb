import { spawnSync } from "node:child_process";
import { MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import { describe, expect, it } from "vitest";
import { serializePrometheus } from "../../../src/metrics/serializer.js";
import { promtool } from "../../helpers/prometheus.js";

class PullReader extends MetricReader {
  protected override onForceFlush = () => Promise.resolve();
  protected override onShutdown = () => Promise.resolve();
}

describe("serializePrometheus", () => {
  it("never emits an invalid label name, even for OpenTelemetry's overflow series", async () => {
    const reader = new PullReader();
    const provider = new MeterProvider({ readers: [reader], views: [{ instrumentName: "c", aggregationCardinalityLimit: 2 }] });
    const counter = provider.getMeter("t").createCounter("c", { description: "a counter" });
    for (const name of ["a", "b", "c"]) counter.add(1, { error_name: name, "9.bad-key": "x" });
    const { resourceMetrics } = await reader.collect();
    const text = serializePrometheus(resourceMetrics, [], []);
    expect(text).toContain('otel_metric_overflow="true"');
    expect(text).toContain('_9_bad_key="x"');
    const r = spawnSync(promtool(), ["check", "metrics"], { input: text, encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    await provider.shutdown();
  });
});
