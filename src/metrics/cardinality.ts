import { MAX_CONNECTIONS } from "../collector/registry.js";
import { MAX_LABEL_VALUES } from "./label-cap.js";

/** The configuration's maximum: the default for library users who pass no connection count. */
export { MAX_CONNECTIONS };

/**
 * The most series one instrument has for one connection: the widest label (error names, reason
 * codes) is folded to MAX_LABEL_VALUES by the label cap, the others stay below it.
 */
export const SERIES_PER_CONNECTION = MAX_LABEL_VALUES;

/**
 * OpenTelemetry's default limit (2,000 series per instrument) folds whatever is past it into one
 * `otel.metric.overflow` series, which loses data and is not a valid Prometheus label name: the
 * limit is set from what the connections can produce, plus one for a process-wide series.
 */
export function cardinalityLimit(maxConnections: number = MAX_CONNECTIONS): number {
  return maxConnections * SERIES_PER_CONNECTION + 1;
}
