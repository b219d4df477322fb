import { AggregationType, type ViewOptions } from "@opentelemetry/sdk-metrics";
import { PROBE_RTT_BUCKETS, SESSION_DURATION_BUCKETS, TIME_TO_RECONNECT_BUCKETS } from "./buckets.js";
import { cardinalityLimit, MAX_CONNECTIONS } from "./cardinality.js";
import { NAMES } from "./names.js";

/** Histograms and the boundaries chosen for each (see buckets.ts). */
export const HISTOGRAM_BOUNDARIES: ReadonlyMap<string, readonly number[]> = new Map([
  [NAMES.sessionDuration, SESSION_DURATION_BUCKETS],
  [NAMES.timeToReconnect, TIME_TO_RECONNECT_BUCKETS],
  [NAMES.probeRtt, PROBE_RTT_BUCKETS],
]);

/**
 * One view per instrument (two views matching one instrument would export it twice): the
 * histograms' boundaries and a cardinality limit sized for `maxConnections`. An application
 * that passes its own MeterProvider adds these views to it.
 */
export function metricViews(maxConnections: number = MAX_CONNECTIONS): ViewOptions[] {
  const limit = cardinalityLimit(maxConnections);
  return Object.values(NAMES).map((name): ViewOptions => {
    const boundaries = HISTOGRAM_BOUNDARIES.get(name);
    return {
      instrumentName: name,
      aggregationCardinalityLimit: limit,
      ...(boundaries !== undefined
        ? { aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: [...boundaries], recordMinMax: false } } }
        : {}),
    };
  });
}
