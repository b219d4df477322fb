import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../../../src/collector/clock.js";
import { CollectorRegistry } from "../../../../src/collector/registry.js";
import { createDiagnoser } from "../../../../src/diagnosis/diagnoser.js";
import { buildApp } from "../../../../src/http/app.js";
import { MAX_EXPORT_LIMIT } from "../../../../src/http/routes/diagnostics.js";
import { createTelemetry, type Telemetry } from "../../../../src/metrics/telemetry.js";
import type { FastifyInstance } from "fastify";
import { hangup, T0 } from "../../../helpers/app.js";

// issue 11: with max_events_retained 200000, `GET /` answered 500 (a spread over 125k times) and
// `/diagnostics.json?limit=200000` returned 41 MB.
const RETAINED = 200_000;
const CYCLES = 125_000;
let app: FastifyInstance;
let telemetry: Telemetry;
beforeAll(async () => {
  const clock = new ManualClock(T0);
  const registry = new CollectorRegistry({ clock, maxEventsRetained: RETAINED, logger: { warn: () => undefined, error: () => undefined } });
  const c = registry.getOrCreate("big");
  const diagnoser = createDiagnoser(registry);
  telemetry = createTelemetry({ registry, serviceVersion: "0.0.0-test", cacheMaxAgeMs: 0, diagnosisSource: (n) => diagnoser(n)?.findings ?? [] });
  app = await buildApp({ registry, telemetry, logger: false, maxEventsRetained: RETAINED, diagnoser });
  for (let i = 0; i < CYCLES; i++) {
    c.recordConnectionSuccess({ eventType: i === 0 ? "connected" : "resumed" });
    clock.advance(20_000 + (i % 7) * 1000);
    c.recordConnectionDrop({ error: hangup });
    clock.advance(1_000);
  }
  c.recordConnectionSuccess({ eventType: "resumed" });
}, 120_000);
afterAll(async () => {
  await app.close();
  await telemetry.shutdown();
});

describe("a history of 125,000 sessions", () => {
  it("GET / answers 200 with a timeline of bounded size", async () => {
    const r = await app.inject({ method: "GET", url: "/" });
    expect(r.statusCode).toBe(200);
    const svg = /<svg class="timeline"[\s\S]*?<\/svg>/.exec(r.body)?.[0] ?? "";
    expect((svg.match(/<(rect|line) /g) ?? []).length).toBeLessThanOrEqual(2 * 760 + 1);
    expect(r.body.length).toBeLessThan(400_000);
  });

  it(`GET /diagnostics.json refuses ?limit= above ${MAX_EXPORT_LIMIT} with 400 and the reason`, async () => {
    const r = await app.inject({ method: "GET", url: `/diagnostics.json?limit=${RETAINED}` });
    expect(r.statusCode).toBe(400);
    expect(r.json<{ message: string }>().message).toBe(`querystring/limit ${RETAINED} is above the maximum of ${MAX_EXPORT_LIMIT} events per request`);
  });

  it(`GET /diagnostics.json?limit=${MAX_EXPORT_LIMIT} answers with that many events of each kind`, async () => {
    const r = await app.inject({ method: "GET", url: `/diagnostics.json?limit=${MAX_EXPORT_LIMIT}` });
    expect(r.statusCode).toBe(200);
    const doc = r.json<{ recent_drops: unknown[]; recent_connections: unknown[] }>();
    expect(doc.recent_drops).toHaveLength(MAX_EXPORT_LIMIT);
    expect(doc.recent_connections).toHaveLength(MAX_EXPORT_LIMIT);
  });
});

describe("unknown query parameters", () => {
  // docs/security.md: unknown or malformed query parameters get 400, on every route.
  it.each(["/metrics", "/healthz", "/readyz", "/", "/diagnostics.json", "/diagnosis.json"])("GET %s?foo=1 answers 400 naming the parameter", async (path) => {
    const r = await app.inject({ method: "GET", url: `${path}?foo=1` });
    expect(r.statusCode).toBe(400);
    expect(r.json<{ message: string }>().message).toMatch(/additional properties/);
  });
});
