import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { DEFAULT_MAX_EVENTS_RETAINED } from "../collector/collector.js";
import type { CollectorRegistry } from "../collector/registry.js";
import type { Diagnoser } from "../diagnosis/diagnoser.js";
import { createTelemetry, type Telemetry } from "../metrics/telemetry.js";
import type { Readiness } from "./deps.js";
import { diagnosisRoutes } from "./routes/diagnosis.js";
import { diagnosticsRoutes } from "./routes/diagnostics.js";
import { healthRoutes } from "./routes/health.js";
import { metricsRoutes } from "./routes/metrics.js";
import { statusPageRoute } from "./routes/status-page.js";

export interface MqttDiagnosticsOptions {
  registry: CollectorRegistry;
  /**
   * Instruments and the /metrics exposition. When omitted the plugin makes its own (with the
   * diagnosis gauge) and shuts it down when the app closes.
   */
  telemetry?: Telemetry;
  /** When given: /diagnosis.json, a `diagnosis` key in /diagnostics.json, and the verdict on `/` (see createDiagnoser). */
  diagnoser?: Diagnoser;
  readiness?: () => Readiness;
  /** Upper bound of `?limit=` on /diagnostics.json (the collectors' retention). */
  maxEventsRetained?: number;
}

/**
 * The HTTP side as a Fastify plugin an existing app mounts: `app.register(mqttDiagnostics, { registry })`
 * adds /metrics, /diagnostics.json, /diagnosis.json, /healthz, /readyz and the status page `/`.
 * Wrapped with fastify-plugin so the routes sit in the app itself. It starts no timer; what it
 * creates it closes in `onClose`. `buildApp` (the service) is built from this same plugin.
 */
export const mqttDiagnostics = fp<MqttDiagnosticsOptions>(
  (app: FastifyInstance, o, done) => {
    const diagnoser = o.diagnoser;
    let telemetry = o.telemetry;
    if (telemetry === undefined) {
      const own = createTelemetry({ registry: o.registry, ...(diagnoser !== undefined ? { diagnosisSource: (name: string) => diagnoser(name)?.findings ?? [] } : {}) });
      app.addHook("onClose", async () => own.shutdown());
      telemetry = own;
    }
    metricsRoutes(app, telemetry);
    diagnosticsRoutes(app, o.registry, o.maxEventsRetained ?? DEFAULT_MAX_EVENTS_RETAINED, diagnoser);
    if (diagnoser !== undefined) diagnosisRoutes(app, o.registry, diagnoser);
    healthRoutes(app, o.readiness ?? (() => ({ ready: true, checks: {} })));
    statusPageRoute(app, o.registry, diagnoser);
    done();
  },
  { name: "mqtt-diagnostics", fastify: "5.x" },
);
