import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { MeterProvider } from "@opentelemetry/sdk-metrics";
import Fastify from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { CollectorRegistry, metricViews, mqttDiagnostics } from "../../../src/index.js";
import { PullReader } from "../../../src/metrics/pull-reader.js";

const hangup = { error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", error_code: 5134, message: "m" };
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

/** heater-1 dropped once; heater-2's sessions taken over four times (a diagnosis: duplicate_client_id). */
function dropped(registry: CollectorRegistry) {
  const c = registry.getOrCreate("heater-1");
  c.recordConnectionSuccess();
  c.recordConnectionDrop({ error: hangup });
  const fought = registry.getOrCreate("heater-2");
  const clock = fought.clock as ManualClock;
  for (let i = 0; i < 4; i++) {
    fought.recordConnectionSuccess();
    clock.advance(1500);
    fought.recordConnectionDrop({ disconnectReasonCode: 0x8e });
    clock.advance(1800);
  }
}
const registryWithClock = () => new CollectorRegistry({ clock: new ManualClock(Date.parse("2026-01-01T00:00:00Z")) });
const DIAGNOSIS_LINE = /^mqtt_client_diagnosis\{[^}]*cause="duplicate_client_id"[^}]*\} [\d.]+$/m;
const DROP_LINE = /^mqtt_client_connection_drops_total\{connection="heater-1",error_name="AWS_ERROR_MQTT_UNEXPECTED_HANGUP"\} 1$/m;

/** An application with routes of its own on every path the plugin serves by default. */
function appWithOwnRoutes() {
  const app = Fastify({ logger: false });
  closers.push(() => app.close());
  app.get("/", () => "the app's home");
  app.get("/healthz", () => ({ app: "healthy" }));
  app.get("/readyz", () => ({ app: "ready" }));
  app.get("/metrics", () => "the app's metrics");
  return app;
}

describe("the HTTP side as a Fastify plugin in an application's own app", () => {
  it("app.register(mqttDiagnostics, { registry }) serves our routes beside the app's own", async () => {
    const app = Fastify({ logger: false });
    closers.push(() => app.close());
    app.get("/orders", () => ({ orders: 3 }));
    const registry = registryWithClock();
    await app.register(mqttDiagnostics, { registry });
    dropped(registry);
    const base = await app.listen({ port: 0, host: "127.0.0.1" });

    expect(await (await fetch(`${base}/orders`)).json()).toEqual({ orders: 3 });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(DROP_LINE);
    expect(metrics).toMatch(DIAGNOSIS_LINE);
    const diagnostics = (await (await fetch(`${base}/diagnostics.json?connection=heater-1`)).json()) as { metrics: Record<string, number> };
    expect(diagnostics.metrics["total_connection_drops"]).toBe(1);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/`)).headers.get("content-type")).toMatch(/text\/html/);
  });

  it("under a register prefix, in an app with its own /, /healthz, /readyz and /metrics: no clash", async () => {
    const app = appWithOwnRoutes();
    const registry = registryWithClock();
    await app.register(mqttDiagnostics, { registry, prefix: "/mqtt" });
    dropped(registry);
    await app.ready();
    const get = async (url: string) => app.inject({ method: "GET", url });

    expect((await get("/healthz")).json()).toEqual({ app: "healthy" });
    expect((await get("/metrics")).body).toBe("the app's metrics");
    expect((await get("/")).body).toBe("the app's home");
    expect((await get("/mqtt/metrics")).body).toMatch(DROP_LINE);
    expect((await get("/mqtt/healthz")).json()).toEqual({ status: "ok" });
    expect((await get("/mqtt/readyz")).statusCode).toBe(200);
    expect((await get("/mqtt/diagnostics.json?connection=heater-1")).json()).toMatchObject({ metrics: { total_connection_drops: 1 } });
    const page = (await get("/mqtt/")).body;
    expect(page).toContain('href="/mqtt/metrics"');
    expect(page).toContain('href="/mqtt/diagnostics.json?connection=heater-1"');
    expect(page).not.toContain('href="/metrics"');
  });

  it("routes: leaves out what the app serves itself; the page links only what is served", async () => {
    const app = appWithOwnRoutes();
    app.get("/status", () => "the app's status");
    const registry = registryWithClock();
    await app.register(mqttDiagnostics, { registry, routes: { metrics: false, health: false, status: false } });
    await app.register(mqttDiagnostics, { registry, prefix: "/page", routes: { metrics: false, diagnostics: false, health: false } });
    dropped(registry);
    await app.ready();
    expect((await app.inject({ method: "GET", url: "/healthz" })).json()).toEqual({ app: "healthy" });
    expect((await app.inject({ method: "GET", url: "/" })).body).toBe("the app's home");
    expect((await app.inject({ method: "GET", url: "/diagnostics.json" })).statusCode).toBe(200);
    const page = (await app.inject({ method: "GET", url: "/page" })).body;
    expect(page).toContain("heater-1");
    expect(page).not.toMatch(/href="[^"]*(metrics|healthz|diagnostics\.json)/);
  });

  it("meter + metricReader: one /metrics with the app's own instruments and ours", async () => {
    const app = appWithOwnRoutes();
    const reader = new PullReader();
    const provider = new MeterProvider({ readers: [reader], views: metricViews(10) });
    closers.push(() => provider.shutdown());
    provider.getMeter("my-app").createCounter("app_requests").add(2, { route: "/orders" });
    const registry = registryWithClock();
    await app.register(mqttDiagnostics, { registry, meter: provider, metricReader: reader, prefix: "/mqtt" });
    dropped(registry);
    await app.ready();
    const text = (await app.inject({ method: "GET", url: "/mqtt/metrics" })).body;
    expect(text).toMatch(/^app_requests_total\{route="\/orders"\} 2$/m);
    expect(text).toMatch(DROP_LINE);
    expect(text).toMatch(DIAGNOSIS_LINE);
    expect(text.match(/^# TYPE mqtt_client_connection_drops_total /gm)).toHaveLength(1);
  });

  it("meter without a reader: our instruments on the app's provider, /metrics left to the app", async () => {
    const app = Fastify({ logger: false });
    closers.push(() => app.close());
    const reader = new PullReader();
    const provider = new MeterProvider({ readers: [reader] });
    closers.push(() => provider.shutdown());
    const registry = registryWithClock();
    await app.register(mqttDiagnostics, { registry, meter: provider });
    dropped(registry);
    await app.ready();
    expect((await app.inject({ method: "GET", url: "/metrics" })).statusCode).toBe(404);
    const names = (await reader.collect()).resourceMetrics.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name));
    expect(names).toContain("mqtt_client_connection_drops");
    expect(names).toContain("mqtt_client_diagnosis");
  });

  it("refuses options that contradict each other, naming them", async () => {
    const app = Fastify({ logger: false });
    closers.push(() => app.close());
    const provider = new MeterProvider();
    await expect(
      app.register(mqttDiagnostics, { registry: new CollectorRegistry(), meter: provider, otlp: { endpoint: "http://127.0.0.1:1/v1/metrics" } }),
    ).rejects.toThrow(/otlp/);
  });

  it("starts no timer that holds the process, and closes what it made with the app", async () => {
    const app = Fastify({ logger: false });
    await app.register(mqttDiagnostics, { registry: new CollectorRegistry() });
    await app.ready();
    const before = process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    await app.close();
    const after = process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    expect(after).toBeLessThanOrEqual(before);
  });
});

describe("OTLP push from the plugin", () => {
  const posts: string[] = [];
  const receiver = createServer((req: IncomingMessage, res) => {
    posts.push(`${req.method} ${req.url}`);
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
  });
  const listening = new Promise<string>((r) => receiver.listen(0, "127.0.0.1", () => r(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}`)));

  it("only when asked: OTEL_EXPORTER_OTLP_METRICS_ENDPOINT alone starts no push, `otlp` does", async () => {
    const base = await listening;
    const saved = process.env["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"];
    process.env["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] = `${base}/from-env`;
    try {
      // Fully running and collected: a scrape shows the drop. Closing flushes any OTLP reader
      // (a last export, awaited), so a push started from the environment would have reached the receiver.
      const quiet = Fastify({ logger: false });
      const registry = registryWithClock();
      await quiet.register(mqttDiagnostics, { registry });
      dropped(registry);
      expect((await quiet.inject({ method: "GET", url: "/metrics" })).body).toMatch(DROP_LINE);
      await quiet.close();
      expect(posts).toEqual([]);

      const pushing = Fastify({ logger: false });
      await pushing.register(mqttDiagnostics, { registry, otlp: { endpoint: `${base}/asked` } });
      await pushing.ready();
      await pushing.close();
      expect(posts).toEqual(["POST /asked"]);
    } finally {
      if (saved === undefined) delete process.env["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"];
      else process.env["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] = saved;
      await new Promise((r) => receiver.close(r));
    }
  });
});
