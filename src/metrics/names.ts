import { CATALOG, type MetricKey } from "./catalog.js";

/** Instrument names as OpenTelemetry sees them (from the catalog); Prometheus adds `_total` to counters. */
export const NAMES = Object.fromEntries(Object.entries(CATALOG).map(([key, m]) => [key, m.name])) as { readonly [K in MetricKey]: (typeof CATALOG)[K]["name"] };
