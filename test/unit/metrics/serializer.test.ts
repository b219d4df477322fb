import { spawnSync } from "node:child_process";
import { PrometheusSerializer } from "@opentelemetry/exporter-prometheus";
import { DataPointType, MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import { describe, expect, it } from "vitest";
import { RenderMemo, renderChanges, serializePrometheus } from "../../../src/metrics/serializer.js";
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

describe("renderFamilies", () => {
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
    const ours = serializePrometheus(rm, [], []);
    const theirs = new PrometheusSerializer(undefined, false, undefined, true, true).serialize({ ...rm, scopeMetrics: rm.scopeMetrics.map((sm) => ({ ...sm, metrics: sm.metrics.filter((m) => m.dataPointType !== DataPointType.HISTOGRAM) })) });
    const scalarLines = (text: string) => text.split("\n").filter((l) => l !== "" && !l.includes("rtt"));
    expect(scalarLines(ours).sort()).toEqual(scalarLines(theirs).sort());
    await s.provider.shutdown();
  });

  it("re-writes only what changed, and says when nothing did", async () => {
    const s = setup();
    const memo = new RenderMemo();
    s.counter.add(1, { connection: "c" });
    s.histogram.record(2, { connection: "c" });
    const first = renderChanges(await s.collect(), [], ["c"], memo);
    expect(first?.get("drops_total")).toEqual({ header: "# HELP drops_total d\n# TYPE drops_total counter\n", body: 'drops_total{connection="c"} 1\n' });
    expect(renderChanges(await s.collect(), [], ["c"], memo)).toBeUndefined();
    s.counter.add(1, { connection: "c" });
    const third = renderChanges(await s.collect(), [], ["c"], memo);
    expect(third?.get("drops_total")?.body).toBe('drops_total{connection="c"} 2\n');
    expect(third?.get("rtt")).toEqual({ header: "# HELP rtt r\n# TYPE rtt histogram\n", body: "", unchanged: true });
    s.histogram.record(9, { connection: "c" });
    const fourth = renderChanges(await s.collect(), [], ["c"], memo);
    expect(fourth?.get("rtt")?.body).toContain('rtt_bucket{connection="c",le="+Inf"} 2\nrtt_sum{connection="c"} 11\nrtt_count{connection="c"} 2\n');
    expect(fourth?.get("drops_total")?.unchanged).toBe(true);
    await s.provider.shutdown();
  });

  // issue 21: every series' label spelling was kept between scrapes (a WeakMap by attributes
  // object, re-keyed as OpenTelemetry handed back new objects): ~45 MB at 200,000 series, copied
  // through the young generation, most of the first scrape's garbage-collection time.
  it("keeps numbers between collections, no label text, and writes a series that takes another's place", async () => {
    const s = setup();
    const memo = new RenderMemo();
    s.counter.add(1, { connection: "c", error_name: "a" });
    renderChanges(await s.collect(), [], ["c"], memo);
    expect("labels" in memo).toBe(false);
    const m = memo.family("drops");
    expect(Object.values(m).filter((v) => typeof v === "string")).toEqual(["drops_total", "# HELP drops_total d\n# TYPE drops_total counter\n"]);
    s.counter.add(1, { connection: "c", error_name: "0" });
    const body = renderChanges(await s.collect(), [], ["c"], memo)?.get("drops_total")?.body ?? "";
    expect(body.split("\n").filter(Boolean).sort()).toEqual(['drops_total{connection="c",error_name="0"} 1', 'drops_total{connection="c",error_name="a"} 1']);
    await s.provider.shutdown();
  });

  it("adds all-zero histograms for connections not seen yet, and notices when one is seen", async () => {
    const s = setup();
    const memo = new RenderMemo();
    s.counter.add(1, { connection: "c" });
    const zero = { name: "rtt", help: "r", boundaries: [1, 5] };
    const before = renderChanges(await s.collect(), [zero], ["c"], memo);
    expect(before?.get("rtt")?.body).toBe('rtt_bucket{connection="c",le="1"} 0\nrtt_bucket{connection="c",le="5"} 0\nrtt_bucket{connection="c",le="+Inf"} 0\nrtt_sum{connection="c"} 0\nrtt_count{connection="c"} 0\n');
    expect(renderChanges(await s.collect(), [zero], ["c"], memo)).toBeUndefined();
    expect(renderChanges(await s.collect(), [zero], ["c", "d"], memo)?.get("rtt")?.body).toContain('connection="d"');
    s.histogram.record(0.5, { connection: "c" });
    const after = renderChanges(await s.collect(), [zero], ["c"], memo);
    expect(after?.get("rtt")?.body).toContain('rtt_bucket{connection="c",le="1"} 1\n');
    expect(after?.get("rtt")?.body).not.toContain('rtt_count{connection="c"} 0');
    expect(serializePrometheus(await s.collect(), [zero], ["c", "e"])).toContain('rtt_count{connection="e"} 0\n');
    await s.provider.shutdown();
  });
});
