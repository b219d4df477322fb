import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { CollectorRegistry } from "../../../src/collector/registry.js";
import { createDiagnoser, type Diagnoser } from "../../../src/diagnosis/diagnoser.js";
import { buildApp } from "../../../src/http/app.js";
import type { AppDeps, Readiness } from "../../../src/http/deps.js";
import { DEFAULT_TIMEOUTS } from "../../../src/http/server-limits.js";
import { createTelemetry, type Telemetry } from "../../../src/metrics/telemetry.js";
import { captureLog } from "../../helpers/log-capture.js";

// AppDeps against what the service builds (src/service/start-service.ts wires the same parts).
const clock = new ManualClock(Date.parse("2026-03-01T12:00:00Z"));
const registry = new CollectorRegistry({ clock, maxEventsRetained: 100, logger: { warn: () => undefined, error: () => undefined } });
const diagnoser = createDiagnoser(registry);
const telemetry = createTelemetry({ registry, serviceVersion: "0.0.0-test", cacheMaxAgeMs: 0, diagnosisSource: (n) => diagnoser(n)?.findings ?? [] });
// Debug: request lines are logged at debug level (src/http/debug-log-controller.ts).
const log = captureLog("debug");
let ready = false;
const deps = {
  registry,
  telemetry,
  diagnoser,
  logger: log.logger,
  maxEventsRetained: 100,
  readiness: () => ({ ready, checks: { journal: ready ? "restored 3 lines" : "restoring" } }),
  timeouts: { closeGraceMs: 100 },
  serverOptions: { bodyLimit: 1024 },
  plugins: [(app: FastifyInstance) => void app.get("/own", () => ({ own: true }))],
} satisfies AppDeps;

let app: FastifyInstance;
beforeAll(async () => {
  const c = registry.getOrCreate("heater-1");
  for (let i = 0; i < 3; i++) {
    c.recordConnectionSuccess({ keepAliveSeconds: 60 });
    clock.advance(600_000);
    c.recordConnectionDrop({ error: { error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", error_code: 5134, message: "hang-up" } });
    clock.advance(1_000);
  }
  app = await buildApp(deps);
});
afterAll(async () => {
  await app.close();
  await telemetry.shutdown();
});

describe("http/deps: AppDeps", () => {
  it("accepts what createTelemetry, CollectorRegistry, createDiagnoser and pino build", () => {
    expectTypeOf(createTelemetry).returns.toEqualTypeOf<AppDeps["telemetry"]>();
    expectTypeOf<Telemetry>().toEqualTypeOf<AppDeps["telemetry"]>();
    expectTypeOf(registry).toEqualTypeOf<AppDeps["registry"]>();
    expectTypeOf(createDiagnoser).returns.toEqualTypeOf<Diagnoser>();
    expectTypeOf<Diagnoser | undefined>().toEqualTypeOf<AppDeps["diagnoser"]>();
    expectTypeOf(log.logger).toExtend<FastifyBaseLogger>();
    expectTypeOf(log.logger).toExtend<AppDeps["logger"]>();
    // Fastify's own logger options too: off, or a level.
    expectTypeOf(false as const).toExtend<AppDeps["logger"]>();
    expectTypeOf({ level: "warn" }).toExtend<AppDeps["logger"]>();
    expectTypeOf(DEFAULT_TIMEOUTS).toExtend<NonNullable<AppDeps["timeouts"]>>();
    expectTypeOf(deps.readiness).returns.toExtend<Readiness>();
    expectTypeOf<{ registry: CollectorRegistry }>().not.toExtend<AppDeps>();
  });

  it("buildApp serves from each of them: the diagnoser, the retention bound, the readiness, the plugins", async () => {
    const diagnosis = await app.inject({ method: "GET", url: "/diagnosis.json?connection=heater-1" });
    expect(diagnosis.json()).toEqual(JSON.parse(JSON.stringify(diagnoser("heater-1"))));
    expect((await app.inject({ method: "GET", url: "/diagnostics.json?limit=100" })).statusCode).toBe(200);
    expect((await app.inject({ method: "GET", url: "/diagnostics.json?limit=101" })).statusCode).toBe(400);
    expect((await app.inject({ method: "GET", url: "/own" })).json()).toEqual({ own: true });
    const notReady = await app.inject({ method: "GET", url: "/readyz" });
    expect([notReady.statusCode, notReady.json()]).toEqual([503, { status: "not ready", checks: { journal: "restoring" } }]);
    ready = true;
    expect((await app.inject({ method: "GET", url: "/readyz" })).json()).toEqual({ status: "ready", checks: { journal: "restored 3 lines" } });
    const metrics = await app.inject({ method: "GET", url: "/metrics" });
    expect(metrics.body).toMatch(/^mqtt_client_connection_drops_total\{connection="heater-1",error_name="AWS_ERROR_MQTT_UNEXPECTED_HANGUP"\} 3$/m);
  });

  it("the pino logger given is the app's: its request lines land there", async () => {
    await app.inject({ method: "GET", url: "/healthz" });
    expect(log.lines.filter((l) => l.msg === "request completed").at(-1)).toMatchObject({ level: 20, res: { statusCode: 200 } });
  });

  it("serverOptions reach Fastify (bodyLimit)", () => {
    expect(app.initialConfig.bodyLimit).toBe(1024);
  });
});
