import type { Meter, MeterProvider } from "@opentelemetry/api";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { DEFAULT_MAX_EVENTS_RETAINED } from "../collector/collector.js";
import type { CollectorRegistry } from "../collector/registry.js";
import { createDiagnoser, type Diagnoser } from "../diagnosis/diagnoser.js";
import { readerExposition, type MetricsReader } from "../metrics/reader-exposition.js";
import { registerInstruments } from "../metrics/register.js";
import { createTelemetry, type Telemetry } from "../metrics/telemetry.js";
import type { Readiness } from "./deps.js";
import { diagnosisRoutes } from "./routes/diagnosis.js";
import { diagnosticsRoutes } from "./routes/diagnostics.js";
import { healthRoutes } from "./routes/health.js";
import { metricsRoutes, type MetricsSource } from "./routes/metrics.js";
import { statusPageRoute, type StatusSection } from "./routes/status-page.js";

/** Which of the plugin's routes to serve (each defaults to true). */
export interface MqttDiagnosticsRoutes {
  /** `/metrics` (never served when `meter` is given without `metricReader`). */
  metrics?: boolean;
  /** `/diagnostics.json`. */
  diagnostics?: boolean;
  /** `/diagnosis.json` (only with a `diagnoser`). */
  diagnosis?: boolean;
  /** `/healthz` and `/readyz`. */
  health?: boolean;
  /** The status page `/`. */
  status?: boolean;
}

export interface MqttDiagnosticsOptions {
  registry: CollectorRegistry;
  /**
   * Our instruments on the app's own MeterProvider or Meter (see registerInstruments), detached
   * when the app closes. Without `metricReader`, `/metrics` is left to the app.
   */
  meter?: Meter | MeterProvider;
  /** A reader of the app's MeterProvider: `/metrics` serves all it collects, the app's instruments and ours. */
  metricReader?: MetricsReader;
  /** Push over OTLP/HTTP; only the plugin's own metrics, and only when given (environment variables are not read). */
  otlp?: { endpoint: string; intervalMs?: number };
  /** Instruments and the /metrics exposition, made by `createTelemetry` (the service passes its own). */
  telemetry?: Telemetry;
  /** When given: /diagnosis.json, a `diagnosis` key in /diagnostics.json, and the verdict on `/` (see createDiagnoser). */
  diagnoser?: Diagnoser;
  readiness?: () => Readiness;
  /** Upper bound of `?limit=` on /diagnostics.json (the collectors' retention). */
  maxEventsRetained?: number;
  /** Leave routes out, e.g. `{ health: false }` in an app with its own `/healthz`. */
  routes?: MqttDiagnosticsRoutes;
  /** More sections of the status page, above the connections (fleet mode adds the fleet's). */
  statusSections?: readonly StatusSection[];
}

type Exposition = MetricsSource;

function checked(o: MqttDiagnosticsOptions): MqttDiagnosticsOptions {
  const conflict =
    o.meter === undefined
      ? o.metricReader !== undefined
        ? "metricReader needs meter (the provider it reads)"
        : undefined
      : o.telemetry !== undefined
        ? "meter and telemetry are two ways to the same thing: pass one"
        : o.otlp !== undefined
          ? "otlp is for the plugin's own metrics: with meter, push from your MeterProvider's readers"
          : undefined;
  if (conflict !== undefined) throw new TypeError(`mqttDiagnostics: ${conflict}`);
  return o;
}

/** Where /metrics comes from, and what to close with the app. */
function metricsSource(app: FastifyInstance, o: MqttDiagnosticsOptions, diagnoser: Diagnoser): Exposition | undefined {
  if (o.meter !== undefined) {
    const detach = registerInstruments(o.meter, o.registry, { diagnoser });
    app.addHook("onClose", (_app, done) => {
      detach();
      done();
    });
    return o.metricReader === undefined ? undefined : readerExposition(o.metricReader);
  }
  if (o.telemetry !== undefined) return o.telemetry;
  const own = createTelemetry({
    registry: o.registry,
    diagnosisSource: (name: string) => diagnoser(name)?.findings ?? [],
    ...(o.otlp !== undefined ? { otlp: o.otlp } : {}),
  });
  app.addHook("onClose", async () => own.shutdown());
  return own;
}

/** The routes asked for, their metrics source, and what closes with the app. */
function routes(app: FastifyInstance, o: MqttDiagnosticsOptions): void {
  const serve = { metrics: true, diagnostics: true, diagnosis: true, health: true, status: true, ...o.routes };
  const source = metricsSource(app, o, o.diagnoser ?? createDiagnoser(o.registry));
  const served = { ...serve, metrics: serve.metrics && source !== undefined, diagnosis: serve.diagnosis && o.diagnoser !== undefined };
  if (served.metrics && source !== undefined) metricsRoutes(app, source);
  if (served.diagnostics) diagnosticsRoutes(app, o.registry, o.maxEventsRetained ?? DEFAULT_MAX_EVENTS_RETAINED, o.diagnoser);
  if (served.diagnosis && o.diagnoser !== undefined) diagnosisRoutes(app, o.registry, o.diagnoser);
  if (served.health) healthRoutes(app, o.readiness ?? (() => ({ ready: true, checks: {} })));
  if (served.status) statusPageRoute(app, o.registry, o.diagnoser, { prefix: app.prefix, ...served }, o.statusSections);
}

/**
 * The HTTP side as a Fastify plugin an existing app mounts: `app.register(mqttDiagnostics, { registry })`
 * adds /metrics, /diagnostics.json, /diagnosis.json, /healthz, /readyz and the status page `/`,
 * under the register's `prefix` if any, and only the `routes` asked for. Encapsulated: the app's
 * error handler, 404 handler and hooks apply to our routes, ours do not leak into the app. It
 * starts no timer unless `otlp` is given; what it creates it closes in `onClose`.
 */
export const mqttDiagnostics = fp<MqttDiagnosticsOptions>(
  (app: FastifyInstance, options) => {
    try {
      routes(app, checked(options));
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  },
  { name: "mqtt-diagnostics", fastify: "5.x", encapsulate: true },
);
