import { AggregationType, type ViewOptions } from "@opentelemetry/sdk-metrics";
import { METRICS } from "./catalog.js";
import { cardinalityLimit, MAX_CONNECTIONS } from "./cardinality.js";

/** Histograms and the boundaries chosen for each (see the catalog and buckets.ts). */
export const HISTOGRAM_BOUNDARIES: ReadonlyMap<string, readonly number[]> = new Map(
  METRICS.flatMap((m) => (m.kind === "histogram" ? [[m.name, m.buckets] as const] : [])),
);

/**
 * One view per instrument (two views matching one instrument would export it twice): the
 * histograms' boundaries and a cardinality limit sized for `maxConnections`. An application
 * that passes its own MeterProvider adds these views to it.
 */
export function metricViews(maxConnections: number = MAX_CONNECTIONS): ViewOptions[] {
  const limit = cardinalityLimit(maxConnections);
  return METRICS.map((m): ViewOptions => ({
    instrumentName: m.name,
    aggregationCardinalityLimit: limit,
    ...(m.kind === "histogram"
      ? { aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: [...m.buckets], recordMinMax: false } } }
      : {}),
  }));
}
