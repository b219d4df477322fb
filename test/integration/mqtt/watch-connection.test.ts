import { mqtt5 } from "aws-iot-device-sdk-v2";
import { describe, expect, it } from "vitest";
import { FaultProxy, mqtt5DisconnectPacket } from "../../helpers/fault-proxy.js";
import { mosquittoSuite } from "../../helpers/mosquitto-suite.js";
import { pollUntil } from "../../helpers/poll.js";
import { startTestService, testConnection, type TestService } from "../../helpers/service.js";
import { LifecycleSubscriber, startEmulator } from "../../helpers/emulator.js";
import { MqttDiagnosticsCollector } from "../../../src/collector/collector.js";
import { watchConnection } from "../../../src/mqtt/watch-connection.js";

const m = mosquittoSuite("watch");

async function proxyTo(port: number): Promise<FaultProxy> {
  const proxy = new FaultProxy("127.0.0.1", port);
  await proxy.listen();
  m.cleanup(() => proxy.close());
  return proxy;
}

async function serviceFor(...args: Parameters<typeof testConnection>): Promise<TestService> {
  const s = await startTestService(m.dir, [testConnection(...args)]);
  m.cleanup(() => s.close());
  return s;
}

const tls = () => ({ cert_file: m.pki.clientCert, key_file: m.pki.clientKey, ca_file: m.pki.caCert });
const drops = (lines: Record<string, unknown>[]) => lines.filter((l) => l["kind"] === "connection_drop");
const connected = (s: TestService, name: string) => pollUntil(() => (s.registry.get(name)?.isConnected ? true : undefined), `${name} connected`, 20_000);

describe("mqtt5 over mutual TLS against Mosquitto", () => {
  it("broker restart: one drop with its error name, then one resumed with a time to reconnect", async () => {
    const proxy = await proxyTo(m.broker.tlsPort);
    const s = await serviceFor({ client_id: "restart-1", port: proxy.port, tls: tls() });
    await connected(s, "restart-1");
    await m.broker.restart();
    await pollUntil(
      async () => ((await s.value('mqtt_client_connections_total{connection="restart-1",event_type="resumed"}')) === 1 ? true : undefined),
      "resumed",
      20_000,
    );
    const doc = await s.diagnostics();
    expect(doc.metrics["total_connection_drops"]).toBe(1);
    const drop = (doc["recent_drops"] as Record<string, unknown>[])[0];
    expect(drop?.["error_name"]).toMatch(/^AWS_/);
    const conns = doc["recent_connections"] as Record<string, unknown>[];
    expect(conns.map((c) => c["event_type"])).toEqual(["connected", "resumed"]);
    expect(conns[1]?.["time_to_reconnect_seconds"]).toBeGreaterThan(0);
    expect(await s.value(`mqtt_client_connection_drops_total{connection="restart-1",error_name="${String(drop?.["error_name"])}"}`)).toBe(1);
    expect(await s.value('mqtt_client_time_to_reconnect_seconds_count{connection="restart-1"}')).toBe(1);
    expect(drops(await s.journalLines())).toHaveLength(1);
  });

  it("blackhole: one drop by ping timeout (keep-alive 2 s, ping timeout 1 s)", async () => {
    const proxy = await proxyTo(m.broker.tlsPort);
    const s = await serviceFor({ client_id: "blackhole-1", port: proxy.port, tls: tls() });
    await connected(s, "blackhole-1");
    proxy.setMode("blackhole");
    await pollUntil(() => (s.registry.get("blackhole-1")?.isConnected ? undefined : true), "drop", 20_000);
    proxy.setMode("pass");
    const doc = await s.diagnostics();
    expect((doc["recent_drops"] as Record<string, unknown>[]).map((d) => d["error_name"])).toEqual(["AWS_ERROR_MQTT5_PING_RESPONSE_TIMEOUT"]);
    await connected(s, "blackhole-1");
  });

  it("a second client with the same client ID takes the session: a drop (hang-up, no DISCONNECT from Mosquitto 2.0)", async () => {
    const proxy = await proxyTo(m.broker.tlsPort);
    const s = await serviceFor({ client_id: "dup-1", port: proxy.port, tls: tls(), reconnect: { min_delay_ms: 5000, max_delay_ms: 5000, jitter: "none" } });
    await connected(s, "dup-1");
    const intruder = new mqtt5.Mqtt5Client({
      hostName: "127.0.0.1",
      port: m.broker.plainPort,
      connectProperties: { clientId: "dup-1", keepAliveIntervalSeconds: 30 },
    });
    const up = new Promise((r) => intruder.once("connectionSuccess", r));
    intruder.start();
    await up;
    await pollUntil(() => (s.registry.get("dup-1")?.isConnected ? undefined : true), "drop", 10_000);
    intruder.stop();
    intruder.close();
    const d = (await s.diagnostics())["recent_drops"] as Record<string, unknown>[];
    expect(d).toHaveLength(1);
    expect(String(d[0]?.["error_name"])).toMatch(/HANGUP|SOCKET_CLOSED|DISCONNECT_RECEIVED/);
  });

  it.each([
    ["0x8E", 0x8e, "session_taken_over"],
    ["0x96", 0x96, "message_rate_too_high"],
    ["0x8B", 0x8b, "server_shutting_down"],
  ])("a server DISCONNECT %s is recorded with its reason", async (_hex, code, reason) => {
    const proxy = await proxyTo(m.broker.plainPort);
    const name = `disc-${code.toString(16)}`;
    const s = await serviceFor({ client_id: name, port: proxy.port });
    await connected(s, name);
    expect(proxy.injectToClients(mqtt5DisconnectPacket(code))).toBe(1);
    await pollUntil(
      async () => (await s.value(`mqtt_client_server_disconnects_total{connection="${name}",reason="${reason}"}`)) === 1 || undefined,
      "reason in /metrics",
      10_000,
    );
    const d = drops(await s.journalLines());
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ error_name: "AWS_ERROR_MQTT5_DISCONNECT_RECEIVED", disconnect_reason_code: code });
  });

  it("wrong CA and missing client certificate: failed attempts with TLS error names; the service keeps serving", async () => {
    const s = await startTestService(m.dir, [
      testConnection({
        client_id: "rogue-1",
        port: m.broker.tlsPort,
        tls: { cert_file: m.pki.rogueClientCert, key_file: m.pki.rogueClientKey, ca_file: m.pki.caCert },
      }),
      testConnection({
        client_id: "wrongca-1",
        port: m.broker.tlsPort,
        tls: { cert_file: m.pki.clientCert, key_file: m.pki.clientKey, ca_file: m.pki.rogueCaCert },
      }),
    ]);
    m.cleanup(() => s.close());
    for (const name of ["rogue-1", "wrongca-1"]) {
      // A server certificate the client cannot verify fails only when aws-crt's TLS negotiation times out (~10 s).
      await pollUntil(() => ((s.registry.get(name)?.connectionFailures ?? 0) >= 1 ? true : undefined), `${name} failures`, 40_000);
      const doc = await s.diagnostics(name);
      const failures = doc["connection_failures"] as { recent: { error_name: string }[] };
      expect(failures.recent[0]?.error_name).toMatch(/^AWS_IO_TLS|^AWS_IO_SOCKET|^AWS_ERROR_MQTT/);
      expect(doc.metrics["total_connections"]).toBe(0);
    }
    expect((await fetch(`${s.address}/healthz`)).status).toBe(200);
    expect(await s.value('mqtt_client_connected{connection="rogue-1"}')).toBe(0);
  }, 60_000);

  it("broker down at start: failed attempts, then success when it comes up", async () => {
    const proxy = await proxyTo(m.broker.tlsPort);
    proxy.setMode("refuse");
    const s = await serviceFor({ client_id: "late-1", port: proxy.port, tls: tls() });
    await pollUntil(() => ((s.registry.get("late-1")?.connectionFailures ?? 0) >= 2 ? true : undefined), "failures", 20_000);
    proxy.setMode("pass");
    await connected(s, "late-1");
    const doc = await s.diagnostics();
    expect(doc.metrics["total_connections"]).toBe(1);
    expect(doc.metrics["total_connection_drops"]).toBe(0);
    expect((doc["connection_failures"] as { total: number }).total).toBeGreaterThanOrEqual(2);
  });

  it("the MQTT 3.1.1 path: connect, a cut, resumed", async () => {
    const proxy = await proxyTo(m.broker.tlsPort);
    const s = await serviceFor({ client_id: "v311-1", port: proxy.port, tls: tls(), protocol: "mqtt311", keep_alive_seconds: 5, ping_timeout_ms: 2000 });
    await connected(s, "v311-1");
    proxy.cut();
    await pollUntil(
      async () => ((await s.value('mqtt_client_connections_total{connection="v311-1",event_type="resumed"}')) === 1 ? true : undefined),
      "resumed",
      30_000,
    );
    const d = drops(await s.journalLines());
    expect(d).toHaveLength(1);
    expect(String(d[0]?.["error_name"])).toMatch(/^AWS_/);
  });

  it("MQTT 3.1.1 with the broker down at start: every failed attempt, then connected, then a drop and a resume", async () => {
    const proxy = await proxyTo(m.broker.tlsPort);
    proxy.setMode("refuse");
    const s = await serviceFor({ client_id: "v311-late", port: proxy.port, tls: tls(), protocol: "mqtt311", keep_alive_seconds: 5, ping_timeout_ms: 2000 });
    const collector = () => s.registry.get("v311-late");
    await pollUntil(() => ((collector()?.connectionFailures ?? 0) >= 3 ? true : undefined), "failures", 20_000);
    proxy.setMode("pass");
    await connected(s, "v311-late");
    const c = collector();
    expect(c?.totals.total_connections).toBe(1);
    // Each connect() is one attempt: all failed but the last.
    expect(c?.connectionAttempts).toBe((c?.connectionFailures ?? 0) + 1);
    expect(proxy.accepted).toBeGreaterThanOrEqual(c?.connectionAttempts ?? 0);
    expect(await s.value('mqtt_client_connected{connection="v311-late"}')).toBe(1);
    proxy.cut();
    await pollUntil(
      async () => ((await s.value('mqtt_client_connections_total{connection="v311-late",event_type="resumed"}')) === 1 ? true : undefined),
      "resumed",
      30_000,
    );
    expect(drops(await s.journalLines())).toHaveLength(1);
  });

  it("MQTT 3.1.1 reconnecting against a refusing broker: failed automatic reconnects are inferred from its backoff, labelled as such", async () => {
    const proxy = await proxyTo(m.broker.tlsPort);
    const s = await serviceFor({ client_id: "v311-infer", port: proxy.port, tls: tls(), protocol: "mqtt311", keep_alive_seconds: 5, ping_timeout_ms: 2000 });
    await connected(s, "v311-infer");
    proxy.setMode("refuse");
    const before = proxy.accepted;
    proxy.cut();
    const failures = () => s.registry.get("v311-infer")?.failuresByErrorLabel.get("MQTT311_RECONNECT_FAILED_INFERRED") ?? 0;
    await pollUntil(() => (failures() >= 2 ? true : undefined), "inferred failures", 20_000);
    // The SDK did try (the proxy refused it) although it reported nothing.
    expect(proxy.accepted - before).toBeGreaterThanOrEqual(1);
    proxy.setMode("pass");
    await pollUntil(
      async () => ((await s.value('mqtt_client_connections_total{connection="v311-infer",event_type="resumed"}')) === 1 ? true : undefined),
      "resumed",
      30_000,
    );
    expect(
      await s.value('mqtt_client_connection_failures_total{connection="v311-infer",error_name="MQTT311_RECONNECT_FAILED_INFERRED"}'),
    ).toBeGreaterThanOrEqual(2);
    const resumed = (await s.journalLines()).find((l) => l["kind"] === "connection_success" && l["event_type"] === "resumed");
    expect(resumed?.["attempt_number"]).toBeGreaterThanOrEqual(3);
  });
});

describe("the service's own stop", () => {
  it.each(["mqtt5", "mqtt311"] as const)("%s: sends DISCONNECT, so AWS records CLIENT_INITIATED_DISCONNECT, not CONNECTION_LOST", async (protocol) => {
    const e = await startEmulator(m.broker.plainPort, { limits: { connectIntervalMs: 0 } });
    m.cleanup(() => e.close());
    const lifecycle = await LifecycleSubscriber.start(m.broker.plainPort);
    m.cleanup(() => lifecycle.close());
    const c = testConnection({ client_id: `svc-stop-${protocol}`, port: e.port, protocol });
    const collector = new MqttDiagnosticsCollector({ connection: c.client_id });
    const watched = watchConnection(c, collector, { warn: () => undefined, error: () => undefined });
    m.cleanup(() => watched.stop());
    await pollUntil(() => (collector.isConnected ? true : undefined), "connected", 20_000, 50);
    await watched.stop();
    const bye = await lifecycle.next(
      c.client_id,
      (x) => x.eventType === "disconnected" && x.disconnectReason === "CLIENT_INITIATED_DISCONNECT",
      "CLIENT_INITIATED_DISCONNECT",
    );
    expect(bye).toMatchObject({ clientInitiatedDisconnect: true });
  });
});
