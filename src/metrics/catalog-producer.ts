import type { Attributes, HrTime } from "@opentelemetry/api";
import { ValueType } from "@opentelemetry/api";
import type { Resource } from "@opentelemetry/resources";
import {
  AggregationTemporality,
  DataPointType,
  type DataPoint,
  type Histogram,
  type MetricData,
  type MetricProducer,
  type ResourceMetrics,
} from "@opentelemetry/sdk-metrics";
import type { MqttDiagnosticsCollector } from "../collector/collector.js";
import type { MetricDef, MetricSources } from "./metric-def.js";
import type { HistogramState } from "./histograms.js";

const hrTime = (ms: number): HrTime => [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];

/** What the producer reads: the metrics, every collector, and each one's histograms. */
export interface CatalogSnapshotSource {
  metrics: readonly MetricDef[];
  sources: MetricSources;
  collectors(): readonly MqttDiagnosticsCollector[];
  /** The states of `c`'s histograms, in the order of the catalog's histograms in `metrics`. */
  histograms(c: MqttDiagnosticsCollector): readonly HistogramState[] | undefined;
}

const attributesOf = (names: readonly string[], values: readonly string[]): Attributes => {
  const out: Attributes = {};
  names.forEach((n, i) => (out[n] = values[i] ?? ""));
  return out;
};

/** The catalog's metrics as one ResourceMetrics, cumulative since `startMs`: the numbers /metrics shows. */
export function catalogMetrics(
  source: CatalogSnapshotSource,
  resource: Resource,
  scope: { name: string; version: string },
  startMs: number,
  nowMs: number = Date.now(),
): ResourceMetrics {
  const [startTime, endTime] = [hrTime(startMs), hrTime(nowMs)];
  const all = source.collectors();
  const metrics: MetricData[] = [];
  let h = 0;
  for (const m of source.metrics) {
    const descriptor = { name: m.name, description: m.help, unit: m.unit ?? "", valueType: ValueType.DOUBLE };
    if (m.kind === "histogram") {
      const index = h++;
      const dataPoints: DataPoint<Histogram>[] = [];
      for (const c of all) {
        const s = source.histograms(c)?.[index];
        const counts = s === undefined ? new Array<number>(m.buckets.length + 1).fill(0) : Array.from(s.counts);
        dataPoints.push({
          startTime,
          endTime,
          attributes: { connection: c.connection },
          value: { buckets: { boundaries: [...m.buckets], counts }, sum: s?.sum ?? 0, count: s?.count ?? 0 },
        });
      }
      metrics.push({ descriptor, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.HISTOGRAM, dataPoints });
      continue;
    }
    const dataPoints: DataPoint<number>[] = [];
    const labels = m.scope === "connection" ? m.labels.slice(1) : m.labels;
    const point =
      (connection: string | undefined) =>
      (value: number, ...values: string[]) =>
        void dataPoints.push({
          startTime,
          endTime,
          attributes: { ...(connection === undefined ? {} : { connection }), ...attributesOf(labels, values) },
          value,
        });
    if (m.scope === "connection") for (const c of all) m.read(c, point(c.connection), source.sources);
    else m.read(all, point(undefined), source.sources);
    if (m.kind === "counter")
      metrics.push({ descriptor, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.SUM, isMonotonic: true, dataPoints });
    else metrics.push({ descriptor, aggregationTemporality: AggregationTemporality.CUMULATIVE, dataPointType: DataPointType.GAUGE, dataPoints });
  }
  return { resource, scopeMetrics: [{ scope, metrics }] };
}

/** The same as a MetricProducer, for a MetricReader's `metricProducers` (the OTLP push). */
export function catalogProducer(source: CatalogSnapshotSource, resource: Resource, scope: { name: string; version: string }, startMs: number): MetricProducer {
  return { collect: () => Promise.resolve({ resourceMetrics: catalogMetrics(source, resource, scope, startMs), errors: [] }) };
}
