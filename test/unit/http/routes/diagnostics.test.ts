import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hangup, startTestApp, type TestApp } from "../../../helpers/app.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(["heater-1", "pump-2"]);
  const c = t.registry.getOrCreate("heater-1");
  c.recordConnectionSuccess({ keepAliveSeconds: 300 });
  t.clock.advance(300_000);
  c.recordConnectionDrop({ error: hangup });
  t.clock.advance(1_500);
  c.recordConnectionSuccess({ eventType: "resumed" });
});
afterAll(async () => t.close());

describe("GET /metrics", () => {
  it("serves the Prometheus text format", async () => {
    const r = await t.app.inject({ method: "GET", url: "/metrics" });
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(r.body).toContain('mqtt_client_connection_drops_total{connection="heater-1",error_name="AWS_ERROR_MQTT_UNEXPECTED_HANGUP"} 1');
    expect(r.body).toContain('mqtt_client_connections_total{connection="pump-2",event_type="connected"} 0');
  });

  it("answers HEAD with headers and no body", async () => {
    const r = await t.app.inject({ method: "HEAD", url: "/metrics" });
    expect(r.statusCode).toBe(200);
    expect(r.body).toBe("");
  });
});

describe("GET /diagnostics.json", () => {
  it("returns the first connection's export by default", async () => {
    const r = await t.app.inject({ method: "GET", url: "/diagnostics.json" });
    expect(r.statusCode).toBe(200);
    const doc = r.json<Record<string, unknown>>();
    expect(doc["connection"]).toBe("heater-1");
    expect(Object.keys(doc)).toEqual(expect.arrayContaining(["timestamp", "metrics", "recent_drops", "recent_connections", "aws_error_counts", "session_history_summary"]));
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
});

describe("other routes", () => {
  it("serves /healthz, /readyz and an index", async () => {
    expect((await t.app.inject({ method: "GET", url: "/healthz" })).json()).toEqual({ status: "ok" });
    expect((await t.app.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(200);
    const index = await t.app.inject({ method: "GET", url: "/" });
    expect(index.body).toContain('href="/metrics"');
  });

  it("answers unknown routes with a JSON 404", async () => {
    const r = await t.app.inject({ method: "GET", url: "/nope" });
    expect(r.statusCode).toBe(404);
    expect(r.json<{ error: string }>().error).toBe("Not Found");
  });

  it.each(["POST", "PUT", "DELETE", "PATCH"] as const)("answers %s on a known path with 405 and Allow", async (method) => {
    const r = await t.app.inject({ method, url: "/metrics" });
    expect(r.statusCode).toBe(405);
    expect(r.headers["allow"]).toBe("GET, HEAD");
  });
});

describe("readiness", () => {
  it("answers 503 with the failing check while not ready", async () => {
    const n = await startTestApp(["x"], { readiness: () => ({ ready: false, checks: { journal: "restoring" } }) });
    const r = await n.app.inject({ method: "GET", url: "/readyz" });
    expect(r.statusCode).toBe(503);
    expect(r.json()).toEqual({ status: "not ready", checks: { journal: "restoring" } });
    await n.close();
  });
});
