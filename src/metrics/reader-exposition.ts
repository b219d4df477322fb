import type { MetricReader } from "@opentelemetry/sdk-metrics";
import { PROMETHEUS_CONTENT_TYPE } from "./prometheus-text.js";
import { serializePrometheus } from "./serializer.js";

/** What /metrics needs of an application's reader: a collection on demand. */
export type MetricsReader = Pick<MetricReader, "collect">;

/**
 * The Prometheus exposition of everything an application's reader collects (its own instruments
 * and ours, when registerInstruments put them on the same provider), collected at each call.
 */
export function readerExposition(reader: MetricsReader): { exposition(acceptEncoding?: string): Promise<{ contentType: string; body: Buffer }> } {
  return {
    async exposition() {
      const { resourceMetrics, errors } = await reader.collect();
      if (errors.length > 0) throw new AggregateError(errors, "metric collection failed");
      return { contentType: PROMETHEUS_CONTENT_TYPE, body: Buffer.from(serializePrometheus(resourceMetrics), "utf8") };
    },
  };
}
