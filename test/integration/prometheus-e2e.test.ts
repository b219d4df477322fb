import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hangup, startTestApp, type TestApp } from "../helpers/app.js";
import { pollUntil } from "../helpers/poll.js";
import { promtool, startPrometheus, type PrometheusServer } from "../helpers/prometheus.js";

const GOLDEN = fileURLToPath(new URL("../golden/exposition.prom", import.meta.url));

/** A fixed scenario: the same events always give the same exposition. */
function record(t: TestApp): void {
  const c = t.registry.getOrCreate("heater-1");
  c.recordConnectionAttempt();
  c.recordConnectionSuccess({ keepAliveSeconds: 300, returnCode: 0 });
  for (let i = 0; i < 3; i++) c.recordPublish(false);
  t.clock.advance(312_000);
  c.recordConnectionDrop({ error: hangup, queuedCommands: 1 });
  c.recordPublish(true);
  t.clock.advance(1_200);
  c.recordConnectionFailure({ error: { error_name: "AWS_IO_SOCKET_CONNECTION_REFUSED", error_code: 1047, message: "refused" } });
  c.recordConnectionDrop({ error: { error_name: "AWS_IO_SOCKET_CONNECTION_REFUSED", error_code: 1047, message: "refused" }, reconnectAttempt: 1 });
  t.clock.advance(2_300);
  c.recordConnectionSuccess({ eventType: "resumed", sessionPresent: true });
  t.clock.advance(4_000);
  c.recordConnectionDrop({ error: { error_name: "AWS_ERROR_MQTT5_DISCONNECT_RECEIVED", error_code: 5154, message: "x" }, disconnectReasonCode: 0x8e });
  const aws = { clientId: "heater-1", principalIdentifier: "p" };
  c.recordLifecycleEvent({
    ...aws,
    timestamp: t.clock.now(),
    eventType: "disconnected",
    sessionIdentifier: "s-2",
    clientInitiatedDisconnect: false,
    disconnectReason: "DUPLICATE_CLIENTID",
    versionNumber: 2,
  });
  c.recordConnectionDrop({ error: new Error("not a CRT error"), reconnectAttempt: 1 });
  c.recordConnectionDrop({ reconnectAttempt: 2 });
  t.clock.advance(500);
  c.recordConnectionSuccess({ eventType: "resumed" });
  c.recordProbe(0.042);
  c.recordProbe(null);
  // Another device with our client ID, no success of ours near it: a foreign session once settled.
  t.clock.advance(20_000);
  c.recordLifecycleEvent({ ...aws, timestamp: t.clock.now(), eventType: "connected", sessionIdentifier: "s-9", ipAddress: "203.0.113.9", versionNumber: 9 });
  t.clock.advance(11_000);
  c.settleLifecycle();
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(["heater-1", "pump-2"]);
  record(t);
});
afterAll(async () => t.close());

async function exposition(): Promise<string> {
  return (await t.app.inject({ method: "GET", url: "/metrics" })).body;
}

describe("exposition", () => {
  it("matches the golden file (set UPDATE_GOLDEN=1 to accept a deliberate change)", async () => {
    // build_info carries the Node version, which is not ours to pin.
    // build_info carries the installed aws-crt and SDK versions too, which a lock file update changes.
    const body = (await exposition())
      .replace(/node_version="[^"]*"/, 'node_version="vX"')
      .replace(/aws_crt_version="[^"]*"/, 'aws_crt_version="X"')
      .replace(/sdk_version="[^"]*"/, 'sdk_version="X"');
    if (process.env["UPDATE_GOLDEN"] === "1") writeFileSync(GOLDEN, body);
    expect(body).toBe(readFileSync(GOLDEN, "utf8"));
  });

  it("passes promtool check metrics", async () => {
    const r = spawnSync(promtool(), ["check", "metrics"], { input: await exposition(), encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});

describe("a real Prometheus scraping the app", () => {
  let prom: PrometheusServer;
  beforeAll(async () => {
    const address = await t.app.listen({ port: 0, host: "127.0.0.1" });
    prom = await startPrometheus([new URL(address).host]);
    await prom.waitForTargetUp();
  }, 90_000);
  afterAll(async () => prom?.stop());

  it("finds the counts the collector recorded", async () => {
    const c = t.registry.getOrCreate("heater-1");
    const value = async (expr: string) => {
      const r = await prom.query(expr);
      return r.length === 1 ? Number(r[0]?.value[1]) : undefined;
    };
    await pollUntil(() => value('mqtt_client_connection_drops_total{connection="heater-1",error_name="AWS_ERROR_MQTT_UNEXPECTED_HANGUP"}'), "drops scraped");
    expect(await value('sum(mqtt_client_connection_drops_total{connection="heater-1"})')).toBe(c.totals.total_connection_drops);
    expect(await value('mqtt_client_connections_total{connection="heater-1",event_type="resumed"}')).toBe(c.totals.connection_recovered);
    expect(await value('mqtt_client_reconnect_attempts_total{connection="heater-1"}')).toBe(c.totals.total_reconnect_attempts);
    expect(await value('mqtt_client_server_disconnects_total{connection="heater-1",reason="session_taken_over"}')).toBe(1);
    expect(await value('mqtt_client_session_duration_seconds_count{connection="heater-1"}')).toBe(c.sessionStats.count);
    expect(await value('mqtt_client_messages_queued_total{connection="heater-1"}')).toBe(1);
    expect(await value('mqtt_client_server_disconnect_reasons_total{connection="heater-1",reason="DUPLICATE_CLIENTID"}')).toBe(1);
    expect(await value('mqtt_client_foreign_sessions_total{connection="heater-1"}')).toBe(1);
    expect(await value('mqtt_client_lifecycle_events_total{connection="heater-1",event_type="connected"}')).toBe(1);
    expect(await value('mqtt_client_connections_total{connection="pump-2",event_type="connected"}')).toBe(0);
    expect(
      await value("histogram_quantile(0.5, sum by (le) (rate(mqtt_client_session_duration_seconds_bucket[5m]))) >= 0 or vector(0)"),
    ).toBeGreaterThanOrEqual(0);
  });
});
