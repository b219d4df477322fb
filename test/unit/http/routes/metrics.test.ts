import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../../helpers/app.js";
import { recordSessions } from "../../../helpers/history.js";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(["heater-1", "pump-2"]);
  recordSessions(t.registry.getOrCreate("heater-1"), t.clock, 1, { sessionMs: 300_000, gapMs: 1_500, keepAliveSeconds: 300 });
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

  it("gzips the exposition for a scraper that accepts it, and says the answer varies by Accept-Encoding", async () => {
    const plain = await t.app.inject({ method: "GET", url: "/metrics" });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.headers["vary"]).toBe("accept-encoding");
    const r = await t.app.inject({ method: "GET", url: "/metrics", headers: { "accept-encoding": "gzip" } });
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-encoding"]).toBe("gzip");
    expect(r.headers["vary"]).toBe("accept-encoding");
    expect(gunzipSync(r.rawPayload).toString()).toBe(plain.body);
  });
});
