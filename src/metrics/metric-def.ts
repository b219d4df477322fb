import type { MqttDiagnosticsCollector, RecordedEvent } from "../collector/collector.js";
import { capLabels } from "./label-cap.js";

/** The shape of a metric's one declaration (catalog.ts) and of what it reads. */

type Collector = MqttDiagnosticsCollector;
export type Findings = ReadonlyArray<{ cause: string; confidence: number }>;

/** What the optional metrics read; a metric whose `needs` is absent here is left out. */
export interface MetricSources {
  serviceVersion: string;
  journalStats?: { writeErrors(): number } | undefined;
  /** The lifecycle observer's intake: events dropped by watched connection name. */
  lifecycleDrops?: (() => ReadonlyMap<string, number>) | undefined;
  diagnosis?: ((c: Collector) => Findings) | undefined;
}

/** One sample: its value and the values of the metric's labels after `connection`. */
export type Emit = (value: number, ...labels: string[]) => void;

interface Declared {
  /** The instrument's name (Prometheus adds `_total` to a counter's). */
  name: string;
  help: string;
  unit?: string;
  /** Label names in exposition order; a connection-scope metric's first is `connection`. */
  labels: readonly string[];
  needs?: Exclude<keyof MetricSources, "serviceVersion">;
}

/** Counted or read from one collector's state; changes only when the connection records something. */
export interface ConnectionMetric extends Declared {
  kind: "counter" | "gauge";
  scope: "connection";
  read(c: Collector, emit: Emit, sources: MetricSources): void;
}

/** The process's series, and those that change with the clock (renewed at most once per cache age). */
export interface ProcessMetric extends Declared {
  kind: "counter" | "gauge";
  scope: "process";
  /** `emit`'s labels are all of the metric's. */
  read(all: readonly Collector[], emit: Emit, sources: MetricSources): void;
}

/** Observed from each recorded event (restored ones too); seconds. */
export interface HistogramMetric extends Declared {
  kind: "histogram";
  scope: "connection";
  buckets: readonly number[];
  observe(e: RecordedEvent): number | undefined;
}

export type MetricDef = ConnectionMetric | ProcessMetric | HistogramMetric;

/** The label names of a metric with one series per connection. */
export const byConnection = ["connection"] as const;
/** A connection metric's `read` of one number. */
export const counted = (read: (c: Collector) => number) => (c: Collector, emit: Emit) => emit(read(c));
/** A connection metric's `read` of counts by label value, capped (label-cap.ts). */
export const capped = (read: (c: Collector) => ReadonlyMap<string, number>) => (c: Collector, emit: Emit) => {
  for (const [label, n] of capLabels(read(c))) emit(n, label);
};
