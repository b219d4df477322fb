import type { Resource } from "@opentelemetry/resources";
import type { MetricData, ResourceMetrics } from "@opentelemetry/sdk-metrics";
import { METER_NAME } from "./instruments.js";

/**
 * Several collections (one per connection, and the process's) as one: one scope, one metric
 * per name with every collection's data points, in the order given. This is what OTLP exports
 * and what the exposition must equal.
 */
export function mergeResourceMetrics(resource: Resource, all: readonly ResourceMetrics[]): ResourceMetrics {
  const byName = new Map<string, MetricData>();
  let scope = { name: METER_NAME };
  for (const rm of all) {
    for (const sm of rm.scopeMetrics) {
      scope = sm.scope;
      for (const m of sm.metrics) {
        const existing = byName.get(m.descriptor.name);
        if (existing === undefined) byName.set(m.descriptor.name, { ...m, dataPoints: [...m.dataPoints] } as MetricData);
        else (existing.dataPoints as unknown[]).push(...m.dataPoints);
      }
    }
  }
  return { resource, scopeMetrics: byName.size === 0 ? [] : [{ scope, metrics: [...byName.values()] }] };
}
