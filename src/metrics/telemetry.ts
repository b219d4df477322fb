import type { OTLPMetricExporter as OtlpExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { createRequire } from "node:module";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { MeterProvider, PeriodicExportingMetricReader, type IMetricReader, type MetricProducer, type ResourceMetrics } from "@opentelemetry/sdk-metrics";
import type { MqttDiagnosticsCollector } from "../collector/collector.js";
import { HISTOGRAM_HELP } from "../collector/constants.js";
import type { CollectorRegistry } from "../collector/registry.js";
import { packageVersion } from "../version.js";
import { ConnectionPipeline } from "./connection-pipeline.js";
import { DiagnosisCache, DIAGNOSIS_INTERVAL_MS } from "./diagnosis-cache.js";
import { ExpositionCache } from "./exposition-cache.js";
import { METER_NAME, processInstruments, type InstrumentOptions } from "./instruments.js";
import { mergeResourceMetrics } from "./merge.js";
import { NAMES } from "./names.js";
import { PullReader } from "./pull-reader.js";
import { inSlices } from "./slices.js";
import { PROMETHEUS_CONTENT_TYPE, renderChanges, renderFamilies, type ZeroHistogram } from "./serializer.js";
import { HISTOGRAM_BOUNDARIES, metricViews } from "./views.js";

export interface TelemetryOptions {
  registry: CollectorRegistry;
  serviceVersion?: string;
  /** Also push over OTLP/HTTP, only when given (no environment variable is read here). */
  otlp?: { endpoint: string; intervalMs?: number };
  journalStats?: InstrumentOptions["journalStats"];
  lifecycleDrops?: InstrumentOptions["lifecycleDrops"];
  diagnosisSource?: InstrumentOptions["diagnosisSource"];
  /** The most connections the registry will hold (sizes the cardinality limits); default MAX_CONNECTIONS. */
  maxConnections?: number;
  /** How long an exposition may serve unchanged data (clock-derived gauges age by this much). */
  cacheMaxAgeMs?: number;
  /**
   * How long an exposition may still be served while a newer one renders, when at least
   * SERVE_STALE_MIN_CHANGED (50) connections changed (default 0: a scrape after a change waits
   * for its rendering). The service uses 1 s, so that scrapes during a reconnect storm, when every
   * connection changes between two of them, do not queue; a few changes are always rendered first.
   */
  serveStaleMs?: number;
  /** Least time between two diagnoses of one connection; default 5 s, or 0 when `cacheMaxAgeMs` is 0. */
  diagnosisIntervalMs?: number;
}

export interface Telemetry {
  /** The process-wide provider (session uptime, build info, journal errors; the OTLP reader). */
  readonly meterProvider: MeterProvider;
  /** The Prometheus exposition of every instrument. */
  render(acceptHeader?: string): Promise<{ contentType: string; body: string }>;
  /** The same exposition as cached bytes, gzipped when `acceptEncoding` allows it. */
  exposition(acceptEncoding?: string): Promise<{ contentType: string; contentEncoding?: "gzip"; body: Buffer }>;
  /** What OpenTelemetry collects from every instrument, as one ResourceMetrics (what OTLP sends). */
  collect(): Promise<ResourceMetrics>;
  /** Connections rendered since start: a scrape after one connection changed renders one. */
  readonly connectionRenders: number;
  shutdown(): Promise<void>;
}

const ZERO_HISTOGRAMS: ZeroHistogram[] = [
  { name: NAMES.sessionDuration, help: HISTOGRAM_HELP.sessionDuration },
  { name: NAMES.timeToReconnect, help: HISTOGRAM_HELP.timeToReconnect },
  { name: NAMES.probeRtt, help: HISTOGRAM_HELP.probeRtt },
].map((h) => ({ ...h, boundaries: HISTOGRAM_BOUNDARIES.get(h.name) ?? [] }));

/** The OTLP exporter (a quarter of what importing the library loads) is loaded only for a push. */
const otlpExporterClass = (): typeof OtlpExporter =>
  (createRequire(import.meta.url)("@opentelemetry/exporter-metrics-otlp-http") as typeof import("@opentelemetry/exporter-metrics-otlp-http")).OTLPMetricExporter;

const acceptsGzip = (header: string | undefined) => header !== undefined && /(?:^|,)\s*gzip\s*(?:;\s*q=(?!0(?:\.0*)?\s*(?:,|$))[\d.]+)?\s*(?:,|$)/i.test(header);

/**
 * One MeterProvider and reader per connection, so a scrape re-collects only the connections
 * that changed (see ExpositionCache), and one process-wide provider for the series that change
 * with the clock; never the global provider, so several can run side by side. An OTLP reader,
 * when configured, sits on the process provider and reads the connections through a producer.
 */
export function createTelemetry(options: TelemetryOptions): Telemetry {
  const serviceVersion = options.serviceVersion ?? packageVersion;
  const cacheMaxAgeMs = options.cacheMaxAgeMs ?? 1000;
  const resource = resourceFromAttributes({ "service.name": "mqtt-diagnostics-exporter", "service.version": serviceVersion });
  const { registry } = options;
  const diagnosis = options.diagnosisSource
    ? new DiagnosisCache(options.diagnosisSource, options.diagnosisIntervalMs ?? (cacheMaxAgeMs === 0 ? 0 : DIAGNOSIS_INTERVAL_MS))
    : undefined;
  const instrumentOptions: InstrumentOptions = {
    serviceVersion,
    diagnosisSource: diagnosis ? (name) => { const c = registry.get(name); return c ? diagnosis.findings(c) : []; } : undefined,
  };

  const pipelines = new Map<string, ConnectionPipeline>();
  const stopCreated = registry.onCreated((c) => pipelines.set(c.connection, new ConnectionPipeline(c, resource, serviceVersion, instrumentOptions)));
  const collectConnections = async (): Promise<ResourceMetrics> => {
    const collected: ResourceMetrics[] = [];
    await inSlices(pipelines.values(), async (p) => void collected.push(await p.collect()));
    return mergeResourceMetrics(resource, collected);
  };
  const producer: MetricProducer = { collect: async () => ({ resourceMetrics: await collectConnections(), errors: [] }) };

  const reader = new PullReader();
  const readers: IMetricReader[] = [reader];
  // Only when asked: reading OTEL_EXPORTER_OTLP_METRICS_ENDPOINT is the service's (serve-command), not a library's.
  const otlpEndpoint = options.otlp?.endpoint;
  if (otlpEndpoint !== undefined && otlpEndpoint !== "") {
    readers.push(
      new PeriodicExportingMetricReader({
        exporter: new (otlpExporterClass())({ url: otlpEndpoint }),
        exportIntervalMillis: options.otlp?.intervalMs ?? 15_000,
        metricProducers: [producer],
      }),
    );
  }
  const meterProvider = new MeterProvider({ resource, views: metricViews(options.maxConnections), readers });
  const meter = meterProvider.getMeter(METER_NAME, serviceVersion);
  const processWide = processInstruments(meter, { serviceVersion, journalStats: options.journalStats, lifecycleDrops: options.lifecycleDrops });
  const batch = (r: Parameters<typeof processWide.observe>[0]) => processWide.observe(r, registry.all());
  meter.addBatchObservableCallback(batch, processWide.observables);
  const collectProcess = async () => {
    const { resourceMetrics, errors } = await reader.collect();
    if (errors.length > 0) throw new AggregateError(errors, "metric collection failed");
    return resourceMetrics;
  };

  const fresh = (c: MqttDiagnosticsCollector | undefined, version: number) => c !== undefined && c.version === version && diagnosis?.due(c) !== true;
  const cache = new ExpositionCache(
    {
      keys: () => registry.names(),
      version: (key) => registry.get(key)?.version ?? -1,
      fresh: (key, version) => fresh(registry.get(key), version),
      async render(key) {
        const pipeline = pipelines.get(key);
        return pipeline ? renderChanges(await pipeline.collect(), ZERO_HISTOGRAMS, [key], pipeline.memo) : new Map();
      },
      renderShared: async () => renderFamilies(await collectProcess(), [], []),
    },
    cacheMaxAgeMs,
    Date.now,
    options.serveStaleMs ?? 0,
  );

  return {
    meterProvider,
    async render() {
      return { contentType: PROMETHEUS_CONTENT_TYPE, body: (await cache.get()).bytes.toString("utf8") };
    },
    async exposition(acceptEncoding) {
      const e = await cache.get();
      if (acceptsGzip(acceptEncoding)) return { contentType: PROMETHEUS_CONTENT_TYPE, contentEncoding: "gzip", body: await e.gzipped() };
      return { contentType: PROMETHEUS_CONTENT_TYPE, body: e.bytes };
    },
    async collect() {
      return mergeResourceMetrics(resource, [await collectProcess(), await collectConnections()]);
    },
    get connectionRenders() {
      return cache.renders;
    },
    async shutdown() {
      stopCreated();
      meter.removeBatchObservableCallback(batch, processWide.observables);
      // The provider first: its OTLP reader's last export still reads the connections' pipelines.
      await meterProvider.shutdown();
      await Promise.all([...pipelines.values()].map((p) => p.shutdown()));
    },
  };
}
