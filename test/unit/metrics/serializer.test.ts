import { spawnSync } from "node:child_process";
import { PrometheusSerializer } from "@opentelemetry/exporter-prometheus";
import { DataPointType, MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
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
    const text = serializePrometheus(resourceMetrics);
    expect(text).toContain('otel_metric_overflow="true"');
    expect(text).toContain('_9_bad_key="x"');
    const r = spawnSync(promtool(), ["check", "metrics"], { input: text, encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    await provider.shutdown();
  });
});

describe("familiesOf", () => {
  const setup = () => {
    const reader = new PullReader();
    const provider = new MeterProvider({ readers: [reader] });
    const meter = provider.getMeter("t");
    const counter = meter.createCounter("drops", { description: "d" });
    const gauge = meter.createGauge("up", { description: "u" });
    const histogram = meter.createHistogram("rtt", { description: "r", advice: { explicitBucketBoundaries: [1, 5] } });
    const collect = async () => (await reader.collect()).resourceMetrics;
    return { provider, counter, gauge, histogram, collect };
  };

  it("writes counters and gauges as exporter-prometheus's serializer does, label for label", async () => {
    const s = setup();
    for (const name of ["a", 'q"uote', "back\\slash", "é"]) s.counter.add(2, { connection: "c", error_name: name });
    s.gauge.record(0.25, { connection: "c" });
    const rm = await s.collect();
    const ours = serializePrometheus(rm);
    const theirs = new PrometheusSerializer(undefined, false, undefined, true, true).serialize({
      ...rm,
      scopeMetrics: rm.scopeMetrics.map((sm) => ({ ...sm, metrics: sm.metrics.filter((m) => m.dataPointType !== DataPointType.HISTOGRAM) })),
    });
    const scalarLines = (text: string) => text.split("\n").filter((l) => l !== "" && !l.includes("rtt"));
    expect(scalarLines(ours).sort()).toEqual(scalarLines(theirs).sort());
    await s.provider.shutdown();
  });

  it("writes histograms bucket by bucket, cumulative, then sum and count", async () => {
    const s = setup();
    s.histogram.record(0.5, { connection: "c" });
    s.histogram.record(9, { connection: "c" });
    expect(serializePrometheus(await s.collect())).toContain(
      '# HELP rtt r\n# TYPE rtt histogram\nrtt_bucket{connection="c",le="1"} 1\nrtt_bucket{connection="c",le="5"} 1\nrtt_bucket{connection="c",le="+Inf"} 2\nrtt_sum{connection="c"} 9.5\nrtt_count{connection="c"} 2\n',
    );
    await s.provider.shutdown();
  });
});
