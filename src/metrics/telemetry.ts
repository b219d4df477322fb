import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { PrometheusExporter } from "@opentelemetry/exporter-prometheus";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { MeterProvider, PeriodicExportingMetricReader, type IMetricReader } from "@opentelemetry/sdk-metrics";
import type { CollectorRegistry } from "../collector/registry.js";
import { packageVersion } from "../version.js";
import { PROBE_RTT_BUCKETS, SESSION_DURATION_BUCKETS, TIME_TO_RECONNECT_BUCKETS } from "./buckets.js";
import { ExpositionCache } from "./exposition-cache.js";
import { NAMES, registerInstruments, type InstrumentOptions } from "./instruments.js";
import { metricViews } from "./views.js";
import { PROMETHEUS_CONTENT_TYPE, serializePrometheus, type ZeroHistogram } from "./serializer.js";

export interface TelemetryOptions {
  registry: CollectorRegistry;
  serviceVersion?: string;
  /** Also push over OTLP/HTTP (`--otlp.endpoint`, or OTEL_EXPORTER_OTLP_METRICS_ENDPOINT). */
  otlp?: { endpoint: string; intervalMs?: number };
  journalStats?: InstrumentOptions["journalStats"];
  diagnosisSource?: InstrumentOptions["diagnosisSource"];
  /** The most connections the registry will hold (sizes the cardinality limits); default MAX_CONNECTIONS. */
  maxConnections?: number;
  /** How long a rendering may serve unchanged data (clock-derived gauges age by this much). */
  cacheMaxAgeMs?: number;
}

export interface Telemetry {
  readonly meterProvider: MeterProvider;
  /** The Prometheus exposition of every instrument. */
  render(acceptHeader?: string): Promise<{ contentType: string; body: string }>;
  shutdown(): Promise<void>;
}

const HISTOGRAMS: ZeroHistogram[] = [
  { name: NAMES.sessionDuration, help: "Length of each ended session.", boundaries: SESSION_DURATION_BUCKETS },
  { name: NAMES.timeToReconnect, help: "From a drop to the next successful connection.", boundaries: TIME_TO_RECONNECT_BUCKETS },
  { name: NAMES.probeRtt, help: "Round trip of the probe message (publish to receipt).", boundaries: PROBE_RTT_BUCKETS },
];

/**
 * One MeterProvider per call (never the global one), so tests and embedding applications can
 * run several side by side. The Prometheus reader's own HTTP server is never started.
 */
export function createTelemetry(options: TelemetryOptions): Telemetry {
  const views = metricViews(options.maxConnections);
  const prometheus = new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true, withoutTargetInfo: true });
  const readers: IMetricReader[] = [prometheus];
  const otlpEndpoint = options.otlp?.endpoint ?? process.env["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"];
  if (otlpEndpoint !== undefined && otlpEndpoint !== "") {
    readers.push(
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url: otlpEndpoint }),
        exportIntervalMillis: options.otlp?.intervalMs ?? 15_000,
      }),
    );
  }
  const serviceVersion = options.serviceVersion ?? packageVersion;
  const meterProvider = new MeterProvider({
    resource: resourceFromAttributes({ "service.name": "mqtt-diagnostics-exporter", "service.version": serviceVersion }),
    views,
    readers,
  });
  const detach = registerInstruments(meterProvider.getMeter("mqtt-diagnostics-exporter", serviceVersion), options.registry, {
    serviceVersion,
    journalStats: options.journalStats,
    diagnosisSource: options.diagnosisSource,
  });
  const renderNow = async () => {
    const { resourceMetrics, errors } = await prometheus.collect();
    if (errors.length > 0) throw new AggregateError(errors, "metric collection failed");
    return serializePrometheus(resourceMetrics, HISTOGRAMS, options.registry.names());
  };
  // The diagnosis gauge depends on time as well as data, so it shares the same age bound.
  const cache = new ExpositionCache(renderNow, () => options.registry.version, options.cacheMaxAgeMs ?? 1000);
  return {
    meterProvider,
    async render() {
      return { contentType: PROMETHEUS_CONTENT_TYPE, body: await cache.get() };
    },
    async shutdown() {
      detach();
      await meterProvider.shutdown();
    },
  };
}
