import type { Attributes, BatchObservableResult, Histogram, Meter, Observable } from "@opentelemetry/api";
import type { MqttDiagnosticsCollector } from "../collector/collector.js";
import type { HistogramMetric, MetricDef, MetricSources } from "./metric-def.js";

export { EVENT_TYPES } from "./catalog.js";
export { NAMES } from "./names.js";
export const METER_NAME = "mqtt-diagnostics-exporter";

type Collector = MqttDiagnosticsCollector;

/**
 * The catalog's counters and gauges as observable instruments on an application's meter: they
 * read the collectors' state at collection time (recording costs nothing extra, and a collector
 * restored from the journal continues its counts), all in one batch callback.
 */
export function observableInstruments(
  meter: Meter,
  metrics: readonly MetricDef[],
  sources: MetricSources,
): { observables: Observable[]; observe(r: BatchObservableResult, all: readonly Collector[]): void } {
  const read: { metric: Exclude<MetricDef, HistogramMetric>; instrument: Observable }[] = [];
  for (const m of metrics) {
    if (m.kind === "histogram") continue;
    const options = { description: m.help, ...(m.unit !== undefined ? { unit: m.unit } : {}) };
    read.push({ metric: m, instrument: m.kind === "counter" ? meter.createObservableCounter(m.name, options) : meter.createObservableGauge(m.name, options) });
  }
  const attributes = (names: readonly string[], values: readonly string[], first?: string): Attributes => {
    const out: Attributes = first === undefined ? {} : { connection: first };
    const offset = first === undefined ? 0 : 1;
    for (let i = offset; i < names.length; i++) out[names[i] as string] = values[i - offset] ?? "";
    return out;
  };
  return {
    observables: read.map((r) => r.instrument),
    observe(r, all) {
      for (const { metric, instrument } of read) {
        if (metric.scope === "process") metric.read(all, (value, ...labels) => r.observe(instrument, value, attributes(metric.labels, labels)), sources);
        else for (const c of all) metric.read(c, (value, ...labels) => r.observe(instrument, value, attributes(metric.labels, labels, c.connection)), sources);
      }
    },
  };
}

/**
 * The catalog's histograms as synchronous instruments on an application's meter, fed by each
 * collector's events. Boundaries come as advice, so the app's provider gets them without views.
 */
export function histogramRecorder(meter: Meter, metrics: readonly MetricDef[]): (c: Collector) => () => void {
  const recorded: { metric: HistogramMetric; instrument: Histogram }[] = [];
  for (const m of metrics) {
    if (m.kind !== "histogram") continue;
    recorded.push({
      metric: m,
      instrument: meter.createHistogram(m.name, { description: m.help, unit: m.unit ?? "", advice: { explicitBucketBoundaries: [...m.buckets] } }),
    });
  }
  return (c) => {
    const attrs: Attributes = { connection: c.connection };
    return c.onEvent((e) => {
      for (const { metric, instrument } of recorded) {
        const v = metric.observe(e);
        if (v !== undefined) instrument.record(v, attrs);
      }
    });
  };
}
