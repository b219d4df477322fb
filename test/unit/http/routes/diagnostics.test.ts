import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDiagnoser } from "../../../../src/diagnosis/diagnoser.js";
import { limitRefusal, MAX_EXPORT_LIMIT } from "../../../../src/http/routes/diagnostics.js";
import { startTestApp, type TestApp } from "../../../helpers/app.js";
import { recordSessions, startRetainingApp, type BigApp } from "../../../helpers/history.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(["heater-1", "pump-2"]);
  recordSessions(t.registry.getOrCreate("heater-1"), t.clock, 1, { sessionMs: 300_000, gapMs: 1_500, keepAliveSeconds: 300 });
});
afterAll(async () => t.close());

describe("GET /diagnostics.json", () => {
  it("returns the first connection's export by default", async () => {
    const r = await t.app.inject({ method: "GET", url: "/diagnostics.json" });
    expect(r.statusCode).toBe(200);
    const doc = r.json<Record<string, unknown>>();
    expect(doc["connection"]).toBe("heater-1");
    expect(Object.keys(doc)).toEqual(
      expect.arrayContaining(["timestamp", "metrics", "recent_drops", "recent_connections", "aws_error_counts", "session_history_summary"]),
    );
  });

  it("picks a connection and limits recent events", async () => {
    const r = await t.app.inject({ method: "GET", url: "/diagnostics.json?connection=heater-1&limit=1" });
    const doc = r.json<{ recent_connections: unknown[] }>();
    expect(doc.recent_connections).toHaveLength(1);
  });

  it.each([
    ["limit=0", /limit/],
    ["limit=101", /limit/],
    ["limit=abc", /limit/],
    ["bogus=1", /additional properties/],
    ["connection=", /connection/],
  ])("rejects ?%s with 400 and a reason", async (query, reason) => {
    const r = await t.app.inject({ method: "GET", url: `/diagnostics.json?${query}` });
    expect(r.statusCode).toBe(400);
    expect(r.json<{ message: string }>().message).toMatch(reason);
  });

  it("answers 404 for an unknown connection, naming the known ones", async () => {
    const r = await t.app.inject({ method: "GET", url: "/diagnostics.json?connection=nope" });
    expect(r.statusCode).toBe(404);
    expect(r.json<{ message: string }>().message).toContain("heater-1, pump-2");
  });

  it("with a diagnoser, the export carries the connection's diagnosis", async () => {
    const d = await startTestApp(["heater-1"], (registry) => ({ diagnoser: createDiagnoser(registry) }));
    try {
      const doc = (await d.app.inject({ method: "GET", url: "/diagnostics.json" })).json<{
        connection: string;
        diagnosis: { connection: string; status: string };
      }>();
      expect(doc.diagnosis).toMatchObject({ connection: "heater-1", status: "insufficient_data" });
    } finally {
      await d.close();
    }
  });

  it("answers 404 saying so when no connection is configured", async () => {
    const empty = await startTestApp([]);
    try {
      const r = await empty.app.inject({ method: "GET", url: "/diagnostics.json" });
      expect(r.statusCode).toBe(404);
      expect(r.json<{ message: string }>().message).toBe("no connection is configured");
    } finally {
      await empty.close();
    }
  });
});

describe("limitRefusal", () => {
  it("names the bound a ?limit= crosses: the per-request maximum first, then the retention", () => {
    expect(limitRefusal(MAX_EXPORT_LIMIT, MAX_EXPORT_LIMIT)).toBeUndefined();
    expect(limitRefusal(MAX_EXPORT_LIMIT + 1, 200_000)).toMatch(/above the maximum of 1000 events per request/);
    expect(limitRefusal(50, 10)).toBe("querystring/limit 50 is above max_events_retained (10): no more events are kept");
  });
});

// issue 11: with max_events_retained 200000, `/diagnostics.json?limit=200000` returned 41 MB. The
// refusal depends on the retention, not on how much history there is: a little over the maximum
// of each kind is enough here (the 125,000-session history is in status-page.test.ts).
describe("with max_events_retained 200000", () => {
  const RETAINED = 200_000;
  const CYCLES = MAX_EXPORT_LIMIT + 50;
  let big: BigApp;
  beforeAll(async () => {
    big = await startRetainingApp(RETAINED);
    recordSessions(big.collector, big.clock, CYCLES, { sessionMs: 20_000, gapMs: 1_000 });
  });
  afterAll(async () => big.close());

  it(`GET /diagnostics.json refuses ?limit= above ${MAX_EXPORT_LIMIT} with 400 and the reason`, async () => {
    const r = await big.app.inject({ method: "GET", url: `/diagnostics.json?limit=${RETAINED}` });
    expect(r.statusCode).toBe(400);
    expect(r.json<{ message: string }>().message).toBe(`querystring/limit ${RETAINED} is above the maximum of ${MAX_EXPORT_LIMIT} events per request`);
  });

  it(`GET /diagnostics.json?limit=${MAX_EXPORT_LIMIT} answers with that many events of each kind`, async () => {
    const r = await big.app.inject({ method: "GET", url: `/diagnostics.json?limit=${MAX_EXPORT_LIMIT}` });
    expect(r.statusCode).toBe(200);
    const doc = r.json<{ recent_drops: unknown[]; recent_connections: unknown[] }>();
    expect(doc.recent_drops).toHaveLength(MAX_EXPORT_LIMIT);
    expect(doc.recent_connections).toHaveLength(MAX_EXPORT_LIMIT);
  });
});
