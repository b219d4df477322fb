import { resourceFromAttributes } from "@opentelemetry/resources";
import { DataPointType } from "@opentelemetry/sdk-metrics";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { CollectorRegistry } from "../../../src/collector/registry.js";
import type { MqttDiagnosticsCollector } from "../../../src/collector/collector.js";
import { CATALOG, metricsFor } from "../../../src/metrics/catalog.js";
import type { MetricSources } from "../../../src/metrics/metric-def.js";
import { catalogMetrics, catalogProducer } from "../../../src/metrics/catalog-producer.js";
import { CatalogText } from "../../../src/metrics/catalog-text.js";
import { ConnectionHistograms } from "../../../src/metrics/histograms.js";
import { familiesText, type Families } from "../../../src/metrics/prometheus-text.js";
import { serializePrometheus } from "../../../src/metrics/serializer.js";

const quiet = { warn: () => undefined, error: () => undefined };
const hangup = { error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", error_code: 5134, message: "m" };

function world() {
  const clock = new ManualClock(Date.parse("2026-03-01T12:00:00Z"));
  const registry = new CollectorRegistry({ clock, logger: quiet });
  const sources: MetricSources = {
    serviceVersion: "1.2.3",
    diagnosis: () => [{ cause: "network_unstable", confidence: 0.4 }],
    lifecycleDrops: () => new Map([["a", 7]]),
  };
  const metrics = metricsFor(sources);
  const text = new CatalogText(metrics, sources);
  const histograms = new Map<string, ConnectionHistograms>();
  registry.onCreated((c) => histograms.set(c.connection, new ConnectionHistograms(c, text.histogramMetrics)));
  const [a, b] = [registry.getOrCreate("a"), registry.getOrCreate('b"2')];
  a.recordConnectionSuccess();
  clock.advance(310_000);
  a.recordConnectionDrop({ error: hangup });
  clock.advance(2_000);
  a.recordConnectionSuccess({ eventType: "resumed" });
  a.recordProbe(0.03);
  b.recordConnectionFailure({ error: hangup });
  const source = { metrics, sources, collectors: () => registry.all(), histograms: (c: MqttDiagnosticsCollector) => histograms.get(c.connection)?.states };
  return { registry, text, histograms, source };
}

const resource = resourceFromAttributes({ "service.name": "t" });
const scope = { name: "t", version: "1" };

describe("catalogMetrics", () => {
  it("serializes to the very text the direct exposition writes: one text format, the same numbers", () => {
    const { registry, text, histograms, source } = world();
    const merged: Families = new Map();
    const parts = [text.shared(registry.all()), ...registry.all().map((c) => text.connection(c, histograms.get(c.connection)?.states ?? []))];
    for (const part of parts) for (const [name, f] of part) merged.set(name, { header: f.header, body: (merged.get(name)?.body ?? "") + f.body });
    const direct = familiesText(merged);
    expect(direct).toContain('mqtt_client_session_duration_seconds_sum{connection="a"} 310\n');
    expect(direct).toContain('mqtt_diagnostics_lifecycle_events_dropped_total{connection="a"} 7\n');
    // The OTLP side lists every connection's series of a family in one metric, in connection
    // order: compared as sets of lines under the same headers.
    const lines = (s: string) => s.split("\n").sort();
    expect(lines(serializePrometheus(catalogMetrics(source, resource, scope, 0, 1000)))).toEqual(lines(direct));
  });

  it("gives counters as cumulative monotonic sums and histograms with their buckets, for a MetricReader's producer", async () => {
    const { source } = world();
    const { resourceMetrics, errors } = await catalogProducer(source, resource, scope, 0).collect();
    expect(errors).toEqual([]);
    const byName = new Map(resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).map((m) => [m.descriptor.name, m]));
    const drops = byName.get(CATALOG.drops.name);
    expect(drops?.dataPointType === DataPointType.SUM && drops.isMonotonic).toBe(true);
    expect(drops?.dataPoints.map((p) => [p.attributes, p.value])).toEqual([[{ connection: "a", error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP" }, 1]]);
    const rtt = byName.get(CATALOG.probeRtt.name);
    expect(rtt?.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect(rtt?.dataPoints.map((p) => p.attributes["connection"])).toEqual(["a", 'b"2']);
    expect(byName.get(CATALOG.uptime.name)?.descriptor.unit).toBe("s");
  });
});
