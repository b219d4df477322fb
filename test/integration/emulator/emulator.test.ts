import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ConnectionConfig } from "../../../src/config/schema.js";
import type { AwsIotEmulator, EmulatorOptions } from "../../../src/emulator/emulator.js";
import type { DisconnectedEvent } from "../../../src/emulator/lifecycle-events.js";
import { makeTestPki, type TestPki } from "../../helpers/certs.js";
import { LifecycleSubscriber, hasDropped, isConnected, startEmulator, watchedClient, type WatchedClient } from "../../helpers/emulator.js";
import { Mosquitto } from "../../helpers/mosquitto.js";
import { pollUntil } from "../../helpers/poll.js";
import { testConnection } from "../../helpers/service.js";
import { MqttDiagnosticsCollector } from "../../../src/collector/collector.js";
import { watchConnection } from "../../../src/mqtt/watch-connection.js";

let dir: string;
let pki: TestPki;
let broker: Mosquitto;
let lifecycle: LifecycleSubscriber;
let cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mde-emu-"));
  pki = makeTestPki(dir);
  broker = await Mosquitto.start(pki);
  lifecycle = await LifecycleSubscriber.start(broker.plainPort);
}, 60_000);

afterEach(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  cleanups = [];
});

afterAll(async () => {
  await lifecycle.close();
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function emulator(options: Omit<EmulatorOptions, "upstream"> = {}): Promise<AwsIotEmulator> {
  const e = await startEmulator(broker.plainPort, options);
  cleanups.push(() => e.close());
  return e;
}

function client(c: ConnectionConfig): WatchedClient {
  const w = watchedClient(c);
  cleanups.push(() => w.stop());
  return w;
}

const disconnected = (id: string, reason: string) => lifecycle.next(id, (e) => e.eventType === "disconnected" && e.disconnectReason === reason, reason) as Promise<DisconnectedEvent & { topic: string }>;
const connectedEvent = (id: string) => lifecycle.next(id, (e) => e.eventType === "connected", "connected");

describe.each(["mqtt5", "mqtt311"] as const)("AWS IoT Core rules through the emulator, %s SDK client", (protocol) => {
  const v5 = protocol === "mqtt5";
  // A dropped client waits 5 s before reconnecting, so each rule's effect can be read before it comes back.
  const conn = (id: string, port: number, o: Partial<ConnectionConfig> = {}) =>
    testConnection({ client_id: `${id}-${protocol}`, port, protocol, reconnect: { min_delay_ms: 5000, max_delay_ms: 5000, jitter: "none" }, ...o });

  /** What the client saw when the server closed it: MQTT 5 gets the reason code, 3.1.1 a hang-up. */
  const expectServerClose = (w: WatchedClient, code: number) => {
    const drop = w.collector.getRecentDrops(1)[0];
    if (v5) expect(drop).toMatchObject({ error_name: "AWS_ERROR_MQTT5_DISCONNECT_RECEIVED", disconnect_reason_code: code });
    else expect(drop?.error_name).toBe("AWS_IO_SOCKET_CLOSED");
  };

  it("a second client with the same client ID takes the session over: DUPLICATE_CLIENTID (MQTT 5: DISCONNECT 0x8E)", async () => {
    // The second device connects at once: the one-CONNECT-per-second rule (tested below) is off here.
    const e = await emulator({ limits: { connectIntervalMs: 0 } });
    const c = conn("dup", e.port);
    const first = client(c);
    await isConnected(first, "first");
    const firstSession = await connectedEvent(c.client_id);
    const second = client({ ...c, name: "second" });
    await hasDropped(first, "first");
    await isConnected(second, "second");
    expectServerClose(first, 0x8e);
    const event = await disconnected(c.client_id, "DUPLICATE_CLIENTID");
    expect(event).toMatchObject({ topic: `$aws/events/presence/disconnected/${c.client_id}`, sessionIdentifier: firstSession.sessionIdentifier, clientInitiatedDisconnect: false, versionNumber: (firstSession as { versionNumber: number }).versionNumber });
    const secondSession = await lifecycle.next(c.client_id, (x) => x.eventType === "connected" && x.sessionIdentifier !== firstSession.sessionIdentifier, "second connected");
    expect(secondSession).toMatchObject({ ipAddress: "127.0.0.1", principalIdentifier: firstSession.principalIdentifier });
    expect((secondSession as { versionNumber: number }).versionNumber).toBeGreaterThan((firstSession as { versionNumber: number }).versionNumber);
  });

  it("silence beyond 1.5x the keep-alive closes the connection: MQTT_KEEP_ALIVE_TIMEOUT (MQTT 5: 0x8D)", async () => {
    // A keep-alive over 1200 s is not accepted: AWS holds the client to 1200 s. Time scale 600 makes
    // that 2 s, so the client (pinging every 10 s) is silent past 1.5 x 2 s and AWS closes it.
    const e = await emulator({ timeScale: 600 });
    const c = conn("keepalive", e.port, { keep_alive_seconds: 10 });
    const w = client(c);
    await isConnected(w, "client");
    expect(e.connections(c.client_id)[0]?.keepAliveTimeoutMs).toBe(3000);
    await hasDropped(w, "client");
    expectServerClose(w, 0x8d);
    await disconnected(c.client_id, "MQTT_KEEP_ALIVE_TIMEOUT");
  });

  it("a silent outage: the client gives up on its ping, AWS on its keep-alive timer (MQTT_KEEP_ALIVE_TIMEOUT)", async () => {
    const e = await emulator({ timeScale: 30 });
    const c = conn("blackhole", e.port);
    const w = client(c);
    await isConnected(w, "client");
    e.setBlackhole(true);
    await disconnected(c.client_id, "MQTT_KEEP_ALIVE_TIMEOUT");
    e.setBlackhole(false);
    const drop = w.collector.getRecentDrops(1)[0];
    expect(drop?.error_name).toBe(v5 ? "AWS_ERROR_MQTT5_PING_RESPONSE_TIMEOUT" : "AWS_ERROR_MQTT_TIMEOUT");
  });

  it("a second CONNECT for a client ID within a second is refused: THROTTLED (MQTT 5: CONNACK 0x9F)", async () => {
    // AWS's one second is widened to five so the second attempt always falls inside it.
    const e = await emulator({ limits: { connectIntervalMs: 5000 } });
    const c = conn("connrate", e.port);
    const first = client(c);
    await isConnected(first, "first");
    const second = client({ ...c, name: "second" });
    await pollUntil(() => second.collector.getRecentFailures(1)[0], "a failed attempt", 15_000, 50);
    const failure = second.collector.getRecentFailures(1)[0];
    if (v5) expect(failure).toMatchObject({ connack_reason_code: 0x9f });
    else expect(failure?.error_name).toMatch(/^AWS_/);
    expect(first.collector.isConnected).toBe(true);
    const event = await disconnected(c.client_id, "THROTTLED");
    expect(event.clientInitiatedDisconnect).toBe(false);
  });

  it("more than 100 publishes in a second on a connection: THROTTLED (MQTT 5: 0x96)", async () => {
    const e = await emulator();
    const c = conn("pubrate", e.port);
    const w = client(c);
    await isConnected(w, "client");
    void Promise.allSettled(Array.from({ length: 150 }, (_, i) => w.publish(`emu/${c.client_id}`, `m${i}`)));
    await hasDropped(w, "client");
    expectServerClose(w, 0x96);
    await disconnected(c.client_id, "THROTTLED");
  });

  it("a payload over 128 KB: CLIENT_ERROR (MQTT 5: 0x95)", async () => {
    const e = await emulator();
    const c = conn("payload", e.port);
    const w = client(c);
    await isConnected(w, "client");
    await w.publish(`emu/${c.client_id}`, "x".repeat(1024)); // within the limit: forwarded
    void w.publish(`emu/${c.client_id}`, new Uint8Array(128 * 1024 + 1)).catch(() => undefined);
    await hasDropped(w, "client");
    expectServerClose(w, 0x95);
    await disconnected(c.client_id, "CLIENT_ERROR");
  });

  it("more than 50 subscriptions on a connection: THROTTLED (MQTT 5: 0x97)", async () => {
    const e = await emulator();
    const c = conn("subs", e.port);
    const w = client(c);
    await isConnected(w, "client");
    for (let i = 0; i < 50; i++) await w.subscribe(`emu/${c.client_id}/${i}`);
    expect(w.collector.isConnected).toBe(true);
    void w.subscribe(`emu/${c.client_id}/50`).catch(() => undefined);
    await hasDropped(w, "client");
    expectServerClose(w, 0x97);
    await disconnected(c.client_id, "THROTTLED");
  });

  it("a WebSocket connection past its 24 hours (configured to 2 s): WEBSOCKET_TTL_EXPIRATION (MQTT 5: 0xA0)", async () => {
    const e = await emulator({ ttl: { reason: "WEBSOCKET_TTL_EXPIRATION", seconds: 2 } });
    const c = conn("ttl", e.port);
    const w = client(c);
    await isConnected(w, "client");
    await hasDropped(w, "client");
    expectServerClose(w, 0xa0);
    await disconnected(c.client_id, "WEBSOCKET_TTL_EXPIRATION");
  });

  it("a client ID the policy denies: refused (MQTT 5: CONNACK 0x87), connect_failed AUTHORIZATION_FAILED", async () => {
    const c = conn("denied", 0);
    const e = await emulator({ deny: { clientIds: [c.client_id] } });
    const w = client({ ...c, port: e.port });
    await pollUntil(() => w.collector.getRecentFailures(1)[0], "a failed attempt", 15_000, 50);
    const failure = w.collector.getRecentFailures(1)[0];
    if (v5) expect(failure).toMatchObject({ connack_reason_code: 0x87 });
    else expect(failure?.error_name).toMatch(/^AWS_/);
    expect(w.collector.totals.total_connections).toBe(0);
    const event = await lifecycle.next(c.client_id, (x) => x.eventType === "connect_failed", "connect_failed");
    expect(event).toMatchObject({ topic: `$aws/events/presence/connect_failed/${c.client_id}`, connectFailureReason: "AUTHORIZATION_FAILED", ipAddress: "127.0.0.1" });
  });

  it("a publish to a topic the policy denies: FORBIDDEN_ACCESS (MQTT 5: DISCONNECT 0x87)", async () => {
    const e = await emulator({ deny: { topics: ["forbidden/#"] } });
    const c = conn("denytopic", e.port);
    const w = client(c);
    await isConnected(w, "client");
    void w.publish("forbidden/x", "no").catch(() => undefined);
    await hasDropped(w, "client");
    expectServerClose(w, 0x87);
    await disconnected(c.client_id, "FORBIDDEN_ACCESS");
  });

  it("the network cut: CONNECTION_LOST; DeleteConnection: API_INITIATED_DISCONNECT; the client's own DISCONNECT: CLIENT_INITIATED_DISCONNECT", async () => {
    const e = await emulator({ limits: { connectIntervalMs: 0 } });
    const c = conn("misc", e.port, { reconnect: { min_delay_ms: 200, max_delay_ms: 200, jitter: "none" } });
    const w = client(c);
    await isConnected(w, "client");
    expect(e.cut(c.client_id)).toBe(1);
    await disconnected(c.client_id, "CONNECTION_LOST");
    await pollUntil(() => (w.collector.totals.connection_recovered >= 1 ? true : undefined), "resumed", 15_000, 50);
    await pollUntil(() => (e.disconnect(c.client_id, "API_INITIATED_DISCONNECT") === 1 ? true : undefined), "an open connection", 5000, 50);
    await pollUntil(() => (w.collector.getRecentDrops(5).length >= 2 ? true : undefined), "second drop", 15_000, 50);
    expectServerClose(w, 0x98);
    await disconnected(c.client_id, "API_INITIATED_DISCONNECT");
    await isConnected(w, "client again");
    await w.stop();
    const bye = await disconnected(c.client_id, "CLIENT_INITIATED_DISCONNECT");
    expect(bye.clientInitiatedDisconnect).toBe(true);
  });
});

describe("the service's own stop", () => {
  it.each(["mqtt5", "mqtt311"] as const)("%s: sends DISCONNECT, so AWS records CLIENT_INITIATED_DISCONNECT, not CONNECTION_LOST", async (protocol) => {
    const e = await emulator({ limits: { connectIntervalMs: 0 } });
    const c = testConnection({ client_id: `svc-stop-${protocol}`, port: e.port, protocol });
    const collector = new MqttDiagnosticsCollector({ connection: c.client_id });
    const watched = watchConnection(c, collector, { warn: () => undefined, error: () => undefined });
    cleanups.push(() => watched.stop());
    await pollUntil(() => (collector.isConnected ? true : undefined), "connected", 20_000, 50);
    await watched.stop();
    const bye = await disconnected(c.client_id, "CLIENT_INITIATED_DISCONNECT");
    expect(bye.clientInitiatedDisconnect).toBe(true);
  });
});

describe("mutual TLS at the emulator", () => {
  it("names the certificate's SHA-256 as the principal, as AWS's certificate ID", async () => {
    const e = await emulator({ tls: { cert: readFileSync(pki.serverCert), key: readFileSync(pki.serverKey), ca: readFileSync(pki.caCert) } });
    const c = testConnection({ client_id: "emu-mtls", port: e.port, tls: { cert_file: pki.clientCert, key_file: pki.clientKey, ca_file: pki.caCert } });
    const w = client(c);
    await isConnected(w, "client");
    const event = await connectedEvent(c.client_id);
    const fingerprint = new X509Certificate(readFileSync(pki.clientCert)).fingerprint256.replaceAll(":", "").toLowerCase();
    expect(event.principalIdentifier).toBe(fingerprint);
  });
});

describe("lifecycle events as AWS warns they may come", () => {
  it("late, twice and out of order: the subscriber gets disconnected before connected, each twice, after the delay", async () => {
    const e = await emulator({ unreliable: { delayMs: 300, duplicate: true, reorder: true } });
    const c = testConnection({ client_id: "emu-unreliable", port: e.port, reconnect: { min_delay_ms: 5000, max_delay_ms: 5000, jitter: "none" } });
    const w = client(c);
    await isConnected(w, "client");
    expect(lifecycle.events.filter((x) => x.clientId === c.client_id)).toEqual([]);
    e.cut(c.client_id);
    const got = await pollUntil(() => {
      const mine = lifecycle.events.filter((x) => x.clientId === c.client_id);
      return mine.length >= 4 ? mine : undefined;
    }, "four events", 10_000, 50);
    expect(got.map((x) => x.eventType)).toEqual(["disconnected", "disconnected", "connected", "connected"]);
    expect(new Set(got.map((x) => x.sessionIdentifier)).size).toBe(1);
    expect(new Set(got.map((x) => (x as { versionNumber?: number }).versionNumber)).size).toBe(1);
  });
});
