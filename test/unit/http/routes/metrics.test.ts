import { tmpdir } from "node:os";
import { gunzipSync } from "node:zlib";
import bcrypt from "bcryptjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CollectorRegistry } from "../../../../src/collector/registry.js";
import { buildApp, type AppDeps } from "../../../../src/http/app.js";
import { webConfigFrom } from "../../../../src/http/web-config/load-web-config.js";
import { createTelemetry } from "../../../../src/metrics/telemetry.js";
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

// issue 24: a scrape the cache can answer is sent in the request's own tick; what goes out must
// not change (bytes, headers), nor what guards it (basic auth, the web config's headers).
describe("GET /metrics answered from the cache", () => {
  async function cachedApp(extra: Partial<AppDeps> = {}) {
    const registry = new CollectorRegistry({ maxEventsRetained: 100, logger: { warn: () => undefined, error: () => undefined } });
    const telemetry = createTelemetry({ registry, serviceVersion: "0.0.0-test", cacheMaxAgeMs: 3_600_000 });
    registry.getOrCreate("heater-1").recordConnectionAttempt();
    const app = await buildApp({ registry, telemetry, logger: false, ...extra });
    return { app, registry, telemetry, close: async () => (await app.close(), await telemetry.shutdown()) };
  }
  const sent = (r: { headers: Record<string, unknown>; rawPayload: Buffer }) => {
    const { date, ...headers } = r.headers;
    return { headers, body: r.rawPayload.toString("base64"), date: typeof date };
  };

  it("sends the same bytes and headers as the scrape that rendered them, plain and gzip", async () => {
    const c = await cachedApp();
    try {
      const plain = await c.app.inject({ url: "/metrics" });
      expect(c.telemetry.readyExposition("gzip")).toBeUndefined();
      const zipped = await c.app.inject({ url: "/metrics", headers: { "accept-encoding": "gzip" } });
      expect(c.telemetry.readyExposition()?.body).toBe(c.telemetry.readyExposition()?.body);
      expect(c.telemetry.readyExposition("gzip")?.contentEncoding).toBe("gzip");
      expect(sent(plain).headers).toEqual({
        "content-type": "text/plain; version=0.0.4; charset=utf-8",
        vary: "accept-encoding",
        "content-length": String(plain.rawPayload.length),
        connection: "keep-alive",
      });
      expect(Object.keys(zipped.headers)).toEqual(["content-encoding", "content-type", "vary", "content-length", "date", "connection"]);
      expect(gunzipSync(zipped.rawPayload).toString()).toBe(plain.body);
      expect(sent(await c.app.inject({ url: "/metrics" }))).toEqual(sent(plain));
      expect(sent(await c.app.inject({ url: "/metrics", headers: { "accept-encoding": "gzip" } }))).toEqual(sent(zipped));
      const head = await c.app.inject({ method: "HEAD", url: "/metrics" });
      expect([head.statusCode, head.body, head.headers["content-length"]]).toEqual([200, "", String(plain.rawPayload.length)]);
      // A change since is rendered before the answer.
      c.registry.getOrCreate("heater-1").recordConnectionSuccess();
      expect(c.telemetry.readyExposition()).toBeUndefined();
      expect((await c.app.inject({ url: "/metrics" })).body).toContain('mqtt_client_connections_total{connection="heater-1",event_type="connected"} 1');
    } finally {
      await c.close();
    }
  });

  it("is still refused without credentials, and carries the web config's headers", async () => {
    const web = webConfigFrom(
      { basic_auth_users: { alice: bcrypt.hashSync("pw", 4) }, http_server_config: { headers: { "X-Content-Type-Options": "nosniff" } } },
      tmpdir(),
    );
    const c = await cachedApp(web.appDeps);
    const alice = { authorization: `Basic ${Buffer.from("alice:pw").toString("base64")}` };
    try {
      const first = await c.app.inject({ url: "/metrics", headers: alice });
      expect(first.statusCode).toBe(200);
      expect(c.telemetry.readyExposition()).toBeDefined();
      const refused = await c.app.inject({ url: "/metrics" });
      expect([refused.statusCode, refused.headers["x-content-type-options"]]).toEqual([401, "nosniff"]);
      const again = await c.app.inject({ url: "/metrics", headers: alice });
      expect(sent(again)).toEqual(sent(first));
      expect(again.headers["x-content-type-options"]).toBe("nosniff");
    } finally {
      await c.close();
    }
  });
});
