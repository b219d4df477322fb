import type { Histogram, ResourceMetrics } from "@opentelemetry/sdk-metrics";
import { familiesText, familyHeader, familyName, familyType, histogramLines, labelText, valueText, type Families } from "./prometheus-text.js";

/**
 * The families of what an OpenTelemetry reader collected (an application's MetricReader, or
 * instruments an app put on the telemetry's provider), spelled by prometheus-text.ts.
 */
export function familiesOf(rm: ResourceMetrics): Families {
  const families: Families = new Map();
  for (const scope of rm.scopeMetrics) {
    for (const metric of scope.metrics) {
      const name = familyName(metric);
      const type = familyType(metric);
      const lines: string[] = [];
      for (const point of metric.dataPoints) {
        const labels = labelText(point.attributes);
        if (type === "histogram") {
          const h = point.value as Histogram;
          lines.push(histogramLines(name, labels, h.buckets.boundaries, h.buckets.counts, h.sum ?? 0, h.count));
        } else lines.push(`${name}${labels} ${valueText(point.value as number)}\n`);
      }
      const f = families.get(name);
      if (f === undefined) families.set(name, { header: familyHeader(name, metric.descriptor.description, type), body: lines.join("") });
      else f.body += lines.join("");
    }
  }
  return families;
}

/** The Prometheus exposition of one collection. */
export const serializePrometheus = (rm: ResourceMetrics): string => familiesText(familiesOf(rm));
