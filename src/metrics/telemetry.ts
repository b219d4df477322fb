import type { OTLPMetricExporter as OtlpExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { createRequire } from "node:module";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { MeterProvider, PeriodicExportingMetricReader, type IMetricReader, type ResourceMetrics } from "@opentelemetry/sdk-metrics";
import type { MqttDiagnosticsCollector } from "../collector/collector.js";
import type { CollectorRegistry } from "../collector/registry.js";
import { packageVersion } from "../version.js";
import { metricsFor } from "./catalog.js";
import type { MetricSources } from "./metric-def.js";
import { catalogMetrics, catalogProducer, type CatalogSnapshotSource } from "./catalog-producer.js";
import { CatalogText } from "./catalog-text.js";
import { DiagnosisCache, DIAGNOSIS_INTERVAL_MS } from "./diagnosis-cache.js";
import { ExpositionCache, type Exposition } from "./exposition-cache.js";
import { ConnectionHistograms } from "./histograms.js";
import { METER_NAME } from "./instruments.js";
import { PROMETHEUS_CONTENT_TYPE } from "./prometheus-text.js";
import { PullReader } from "./pull-reader.js";
import { familiesOf } from "./serializer.js";

export interface TelemetryOptions {
  registry: CollectorRegistry;
  serviceVersion?: string;
  /** Also push over OTLP/HTTP, only when given (no environment variable is read here). */
  otlp?: { endpoint: string; intervalMs?: number };
  journalStats?: MetricSources["journalStats"];
  lifecycleDrops?: MetricSources["lifecycleDrops"];
  diagnosisSource?: ((connection: string) => ReadonlyArray<{ cause: string; confidence: number }>) | undefined;
  /** Kept for compatibility: the exposition has no cardinality limit to size (labels are capped per connection). */
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

/** One answer to a scrape: the exposition's bytes and how to label them. */
export interface ExpositionAnswer {
  contentType: string;
  contentEncoding?: "gzip";
  body: Buffer;
}

export interface Telemetry {
  /**
   * A process-wide provider for an application's (or the fleet's) own instruments: what its
   * reader collects joins the exposition and the OTLP push. The catalog's metrics are not on it.
   */
  readonly meterProvider: MeterProvider;
  /** The Prometheus exposition of every metric. */
  render(acceptHeader?: string): Promise<{ contentType: string; body: string }>;
  /** The same exposition as cached bytes, gzipped when `acceptEncoding` allows it. */
  exposition(acceptEncoding?: string): Promise<ExpositionAnswer>;
  /**
   * What `exposition` would resolve to, when it is at hand: cached, nothing changed since, and
   * compressed already if asked for gzip; undefined when it has to be rendered or compressed
   * first. The same object while the exposition is the same: not to be modified.
   */
  readyExposition(acceptEncoding?: string): Readonly<ExpositionAnswer> | undefined;
  /** Every metric as OpenTelemetry data, one ResourceMetrics (what OTLP sends): the same numbers as the exposition. */
  collect(): Promise<ResourceMetrics>;
  /** Connections rendered since start: a scrape after one connection changed renders one. */
  readonly connectionRenders: number;
  shutdown(): Promise<void>;
}

/** The OTLP exporter (a quarter of what importing the library loads) is loaded only for a push. */
const otlpExporterClass = (): typeof OtlpExporter =>
  (createRequire(import.meta.url)("@opentelemetry/exporter-metrics-otlp-http") as typeof import("@opentelemetry/exporter-metrics-otlp-http"))
    .OTLPMetricExporter;

const acceptsGzip = (header: string) => /(?:^|,)\s*gzip\s*(?:;\s*q=(?!0(?:\.0*)?\s*(?:,|$))[\d.]+)?\s*(?:,|$)/i.test(header);

const GZIP = { contentType: PROMETHEUS_CONTENT_TYPE, contentEncoding: "gzip" } as const;

/** acceptsGzip of the last header seen: a scraper sends the same Accept-Encoding at every scrape. */
function lastAcceptEncoding(): (header: string | undefined) => boolean {
  let last: string | undefined;
  let gzip = false;
  return (header) => {
    if (header === undefined) return false;
    if (header !== last) {
      gzip = acceptsGzip(header);
      last = header;
    }
    return gzip;
  };
}

/**
 * The catalog's metrics rendered straight from the collectors' state and per-connection
 * histogram numbers, cached per connection (see ExpositionCache): no MeterProvider per
 * connection and no OpenTelemetry on the recording path. OTLP and `collect()` read the same
 * state through a MetricProducer on one process-wide provider, never the global one.
 */
export function createTelemetry(options: TelemetryOptions): Telemetry {
  const serviceVersion = options.serviceVersion ?? packageVersion;
  const cacheMaxAgeMs = options.cacheMaxAgeMs ?? 1000;
  const resource = resourceFromAttributes({ "service.name": "mqtt-diagnostics-exporter", "service.version": serviceVersion });
  const scope = { name: METER_NAME, version: serviceVersion };
  const { registry } = options;
  const diagnosisSource = options.diagnosisSource;
  const diagnosis = diagnosisSource
    ? new DiagnosisCache(diagnosisSource, options.diagnosisIntervalMs ?? (cacheMaxAgeMs === 0 ? 0 : DIAGNOSIS_INTERVAL_MS))
    : undefined;
  const sources: MetricSources = {
    serviceVersion,
    journalStats: options.journalStats,
    lifecycleDrops: options.lifecycleDrops,
    diagnosis: diagnosis ? (c: MqttDiagnosticsCollector) => diagnosis.findings(c) : undefined,
  };
  const metrics = metricsFor(sources);
  const text = new CatalogText(metrics, sources);
  const histogramMetrics = text.histogramMetrics;
  const histograms = new Map<string, ConnectionHistograms>();
  const stopCreated = registry.onCreated((c) => histograms.set(c.connection, new ConnectionHistograms(c, histogramMetrics)));

  const snapshot: CatalogSnapshotSource = { metrics, sources, collectors: () => registry.all(), histograms: (c) => histograms.get(c.connection)?.states };
  const startMs = Date.now();
  const reader = new PullReader();
  const readers: IMetricReader[] = [reader];
  // Only when asked: reading OTEL_EXPORTER_OTLP_METRICS_ENDPOINT is the service's (serve-command), not a library's.
  const otlpEndpoint = options.otlp?.endpoint;
  if (otlpEndpoint !== undefined && otlpEndpoint !== "") {
    readers.push(
      new PeriodicExportingMetricReader({
        exporter: new (otlpExporterClass())({ url: otlpEndpoint }),
        exportIntervalMillis: options.otlp?.intervalMs ?? 15_000,
        metricProducers: [catalogProducer(snapshot, resource, scope, startMs)],
      }),
    );
  }
  const meterProvider = new MeterProvider({ resource, readers });
  const collectProvider = async () => {
    const { resourceMetrics, errors } = await reader.collect();
    if (errors.length > 0) throw new AggregateError(errors, "metric collection failed");
    return resourceMetrics;
  };

  // A histogram's observation changes the connection's rendering as its state's version does.
  const version = (c: MqttDiagnosticsCollector) => c.version + (histograms.get(c.connection)?.changes ?? 0);
  const cache = new ExpositionCache(
    {
      // Every scrape reads them: the registry's own list, not a copy per scrape.
      keys: () => registry.namesView(),
      version: (key) => {
        const c = registry.get(key);
        return c === undefined ? -1 : version(c);
      },
      fresh: (key, v) => {
        const c = registry.get(key);
        return c !== undefined && version(c) === v && diagnosis?.due(c) !== true;
      },
      render(key) {
        const c = registry.get(key);
        return Promise.resolve(c === undefined ? new Map() : text.connectionText(c, histograms.get(key)?.states ?? []));
      },
      async renderShared() {
        const shared = text.shared(registry.all());
        for (const [name, f] of familiesOf(await collectProvider())) shared.set(name, f);
        return shared;
      },
    },
    cacheMaxAgeMs,
    Date.now,
    options.serveStaleMs ?? 0,
  );

  // The answers to scrapes of an exposition, made once for every request that gets it. Held by
  // the exposition, not beside it: a rendering no scrape asked for (render(), or one made in the
  // background during a storm) would otherwise leave the previous exposition's megabytes alive.
  const gzipWanted = lastAcceptEncoding();
  const answered = new WeakMap<Exposition, { plain: ExpositionAnswer; gzip?: ExpositionAnswer }>();
  const answers = (e: Exposition) => {
    let a = answered.get(e);
    if (a === undefined) answered.set(e, (a = { plain: { contentType: PROMETHEUS_CONTENT_TYPE, body: e.bytes } }));
    return a;
  };

  return {
    meterProvider,
    async render() {
      return { contentType: PROMETHEUS_CONTENT_TYPE, body: (await cache.get()).bytes.toString("utf8") };
    },
    async exposition(acceptEncoding) {
      const e = await cache.get();
      return gzipWanted(acceptEncoding) ? (answers(e).gzip ??= { ...GZIP, body: await e.gzipped() }) : answers(e).plain;
    },
    readyExposition(acceptEncoding) {
      const e = cache.ready();
      if (e === undefined) return undefined;
      if (!gzipWanted(acceptEncoding)) return answers(e).plain;
      const zipped = e.gzippedNow();
      return zipped === undefined ? undefined : (answers(e).gzip ??= { ...GZIP, body: zipped });
    },
    async collect() {
      const own = catalogMetrics(snapshot, resource, scope, startMs);
      return { resource, scopeMetrics: [...own.scopeMetrics, ...(await collectProvider()).scopeMetrics] };
    },
    get connectionRenders() {
      return cache.renders;
    },
    async shutdown() {
      stopCreated();
      // The provider first: its OTLP reader's last export still reads the histograms.
      await meterProvider.shutdown();
      for (const h of histograms.values()) h.close();
    },
  };
}
