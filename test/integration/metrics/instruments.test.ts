import { spawnSync } from "node:child_process";
import { metrics } from "@opentelemetry/api";
import { PrometheusExporter, PrometheusSerializer } from "@opentelemetry/exporter-prometheus";
import { MeterProvider } from "@opentelemetry/sdk-metrics";
import { afterEach, describe, expect, it } from "vitest";
import { CollectorRegistry, metricViews, registerInstruments } from "../../../src/index.js";
import { promtool } from "../../helpers/prometheus.js";

const hangup = { error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", error_code: 5134, message: "m" };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** An application's own OpenTelemetry setup: its provider, its exporter, its own instrument. */
function appSetup(): { provider: MeterProvider; exporter: PrometheusExporter; scrape(): Promise<string> } {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const provider = new MeterProvider({ readers: [exporter], views: metricViews(10) });
  provider.getMeter("my-app").createCounter("app_requests").add(3, { route: "/orders" });
  cleanups.push(() => provider.shutdown());
  return {
    provider,
    exporter,
    async scrape() {
      const { resourceMetrics } = await exporter.collect();
      return new PrometheusSerializer().serialize(resourceMetrics);
    },
  };
}

function record(registry: CollectorRegistry): void {
  const c = registry.getOrCreate("heater-1");
  c.recordConnectionSuccess();
  c.recordConnectionDrop({ error: hangup });
  c.recordConnectionSuccess({ eventType: "resumed" });
}

describe("instruments on the application's own OpenTelemetry setup", () => {
  it("registers on a MeterProvider the application passes, beside its own instruments", async () => {
    const app = appSetup();
    const registry = new CollectorRegistry();
    cleanups.push(registerInstruments(app.provider, registry));
    record(registry);
    const text = await app.scrape();
    expect(text).toMatch(/^app_requests_total\{route="\/orders",otel_scope_name="my-app"\} 3$/m);
    expect(text).toMatch(
      /^mqtt_client_connection_drops_total\{connection="heater-1",error_name="AWS_ERROR_MQTT_UNEXPECTED_HANGUP",otel_scope_name="mqtt-diagnostics-exporter",otel_scope_version="[^"]+"\} 1$/m,
    );
    // Our bucket boundaries reach the application's provider (advice and views).
    expect(text).toMatch(/^mqtt_client_time_to_reconnect_seconds_bucket\{connection="heater-1",[^}]*le="0.05"\} 1$/m);
    expect(text).toMatch(/^mqtt_client_session_duration_seconds_bucket\{connection="heater-1",[^}]*le="350"\} 1$/m);
    const r = spawnSync(promtool(), ["check", "metrics"], { input: text, encoding: "utf8" });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it("registers on a Meter from the global API", async () => {
    const app = appSetup();
    metrics.setGlobalMeterProvider(app.provider);
    cleanups.push(() => metrics.disable());
    const registry = new CollectorRegistry();
    cleanups.push(registerInstruments(metrics.getMeter("mqtt-diagnostics-exporter"), registry));
    record(registry);
    const text = await app.scrape();
    expect(text).toContain("app_requests_total");
    expect(text).toMatch(/^mqtt_client_connections_total\{connection="heater-1",event_type="resumed",[^}]*\} 1$/m);
  });

  it("stops observing once detached", async () => {
    const app = appSetup();
    const registry = new CollectorRegistry();
    const detach = registerInstruments(app.provider, registry);
    record(registry);
    detach();
    expect(await app.scrape()).not.toContain("mqtt_client_connected{");
  });
});
