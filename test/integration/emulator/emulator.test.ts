import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { emulatorSuite } from "../../helpers/emulator-suite.js";
import { hasDropped, isConnected } from "../../helpers/emulator.js";
import { pollUntil } from "../../helpers/poll.js";
import { testConnection } from "../../helpers/service.js";

// The emulator's own rules (admission, the network it stands for, its API, mutual TLS, how it
// delivers lifecycle events); the per-packet ones are in emulated-session.test.ts.
const s = emulatorSuite();

describe.each(["mqtt5", "mqtt311"] as const)("AWS IoT Core rules through the emulator, %s SDK client", (protocol) => {
  const v5 = protocol === "mqtt5";
  const conn = s.conn.bind(null, protocol);
  const expectServerClose = s.expectServerClose.bind(null, protocol);

  it("a second client with the same client ID takes the session over: DUPLICATE_CLIENTID (MQTT 5: DISCONNECT 0x8E)", async () => {
    // The second device connects at once: the one-CONNECT-per-second rule (tested below) is off here.
    const e = await s.emulator({ limits: { connectIntervalMs: 0 } });
    const c = conn("dup", e.port);
    const first = s.client(c);
    await isConnected(first, "first");
    const firstSession = await s.connectedEvent(c.client_id);
    const second = s.client({ ...c, name: "second" });
    await hasDropped(first, "first");
    await isConnected(second, "second");
    expectServerClose(first, 0x8e);
    const event = await s.disconnected(c.client_id, "DUPLICATE_CLIENTID");
    expect(event).toMatchObject({
      topic: `$aws/events/presence/disconnected/${c.client_id}`,
      sessionIdentifier: firstSession.sessionIdentifier,
      clientInitiatedDisconnect: false,
      versionNumber: (firstSession as { versionNumber: number }).versionNumber,
    });
    const secondSession = await s.lifecycle.next(
      c.client_id,
      (x) => x.eventType === "connected" && x.sessionIdentifier !== firstSession.sessionIdentifier,
      "second connected",
    );
    expect(secondSession).toMatchObject({ ipAddress: "127.0.0.1", principalIdentifier: firstSession.principalIdentifier });
    expect((secondSession as { versionNumber: number }).versionNumber).toBeGreaterThan((firstSession as { versionNumber: number }).versionNumber);
    // As AWS publishes them: the newcomer's connected event first, then the replaced session's end.
    const order = e.events
      .filter((x) => x.clientId === c.client_id)
      .map((x) => `${x.eventType}:${x.sessionIdentifier === firstSession.sessionIdentifier ? "first" : "second"}`);
    expect(order.slice(0, 3)).toEqual(["connected:first", "connected:second", "disconnected:first"]);
  });

  it("the route lost without AWS noticing (a NAT reset): the client's reconnect takes its own stale session over, DUPLICATE_CLIENTID after the new connected", async () => {
    const e = await s.emulator();
    // The reconnect comes after AWS's one-CONNECT-a-second, and long before its 1.5 x 30 s keep-alive timer.
    const c = conn("natreset", e.port, { keep_alive_seconds: 30, reconnect: { min_delay_ms: 1200, max_delay_ms: 1200, jitter: "none" } });
    const w = s.client(c);
    await isConnected(w, "client");
    const first = await s.connectedEvent(c.client_id);
    expect(e.loseRoute(c.client_id, true)).toBe(1);
    const drop = await hasDropped(w, "client");
    expect(drop.disconnect_reason_code ?? null).toBeNull();
    const end = await s.disconnected(c.client_id, "DUPLICATE_CLIENTID");
    expect(end.sessionIdentifier).toBe(first.sessionIdentifier);
    expect(end.versionNumber).toBe((first as { versionNumber: number }).versionNumber);
    const mine = e.events.filter((x) => x.clientId === c.client_id);
    expect(mine.map((x) => x.eventType)).toEqual(["connected", "connected", "disconnected"]);
    expect(mine[1]?.sessionIdentifier).not.toBe(first.sessionIdentifier);
    await isConnected(w, "client again");
  });

  it("a silent outage: the client gives up on its ping, AWS on its keep-alive timer (MQTT_KEEP_ALIVE_TIMEOUT)", async () => {
    const e = await s.emulator({ timeScale: 30 });
    const c = conn("blackhole", e.port);
    const w = s.client(c);
    await isConnected(w, "client");
    e.setBlackhole(true);
    await s.disconnected(c.client_id, "MQTT_KEEP_ALIVE_TIMEOUT");
    // AWS's timer and the client's ping race: wait for the client's drop inside the outage (its
    // end lets the held socket go, which the client would see as a close instead).
    const drop = await hasDropped(w, "client");
    e.setBlackhole(false);
    expect(drop.error_name).toBe(v5 ? "AWS_ERROR_MQTT5_PING_RESPONSE_TIMEOUT" : "AWS_ERROR_MQTT_TIMEOUT");
  });

  it("a second CONNECT for a client ID within a second is refused (MQTT 5: CONNACK 0x9F), with no lifecycle event (AWS documents none)", async () => {
    // AWS's one second is widened to five so the second attempt always falls inside it.
    const e = await s.emulator({ limits: { connectIntervalMs: 5000 } });
    const c = conn("connrate", e.port);
    const first = s.client(c);
    await isConnected(first, "first");
    const second = s.client({ ...c, name: "second" });
    await pollUntil(() => second.collector.getRecentFailures(1)[0], "a failed attempt", 15_000, 50);
    const failure = second.collector.getRecentFailures(1)[0];
    if (v5) expect(failure).toMatchObject({ connack_reason_code: 0x9f });
    else expect(failure?.error_name).toMatch(/^AWS_/);
    expect(first.collector.isConnected).toBe(true);
    // A `disconnected` event would name a session that never was: the join would call it half-open.
    expect(e.events.filter((x) => x.clientId === c.client_id).map((x) => x.eventType)).toEqual(["connected"]);
  });

  it("a client ID the policy denies: refused (MQTT 5: CONNACK 0x87), connect_failed AUTHORIZATION_FAILED", async () => {
    const c = conn("denied", 0);
    const e = await s.emulator({ deny: { clientIds: [c.client_id] } });
    const w = s.client({ ...c, port: e.port });
    await pollUntil(() => w.collector.getRecentFailures(1)[0], "a failed attempt", 15_000, 50);
    const failure = w.collector.getRecentFailures(1)[0];
    if (v5) expect(failure).toMatchObject({ connack_reason_code: 0x87 });
    else expect(failure?.error_name).toMatch(/^AWS_/);
    expect(w.collector.totals.total_connections).toBe(0);
    const event = await s.lifecycle.next(c.client_id, (x) => x.eventType === "connect_failed", "connect_failed");
    expect(event).toMatchObject({
      topic: `$aws/events/presence/connect_failed/${c.client_id}`,
      connectFailureReason: "AUTHORIZATION_FAILED",
      ipAddress: "127.0.0.1",
    });
  });

  it("the network cut: CONNECTION_LOST; DeleteConnection: API_INITIATED_DISCONNECT; the client's own DISCONNECT: CLIENT_INITIATED_DISCONNECT", async () => {
    const e = await s.emulator({ limits: { connectIntervalMs: 0 } });
    const c = conn("misc", e.port, { reconnect: { min_delay_ms: 200, max_delay_ms: 200, jitter: "none" } });
    const w = s.client(c);
    await isConnected(w, "client");
    expect(e.cut(c.client_id)).toBe(1);
    await s.disconnected(c.client_id, "CONNECTION_LOST");
    await pollUntil(() => (w.collector.totals.connection_recovered >= 1 ? true : undefined), "resumed", 15_000, 50);
    await pollUntil(() => (e.disconnect(c.client_id, "API_INITIATED_DISCONNECT") === 1 ? true : undefined), "an open connection", 5000, 50);
    await pollUntil(() => (w.collector.getRecentDrops(5).length >= 2 ? true : undefined), "second drop", 15_000, 50);
    expectServerClose(w, 0x98);
    await s.disconnected(c.client_id, "API_INITIATED_DISCONNECT");
    await isConnected(w, "client again");
    await w.stop();
    const bye = await s.disconnected(c.client_id, "CLIENT_INITIATED_DISCONNECT");
    expect(bye.clientInitiatedDisconnect).toBe(true);
  });
});

describe("mutual TLS at the emulator", () => {
  it("names the certificate's SHA-256 as the principal, as AWS's certificate ID", async () => {
    const pki = s.pki;
    const e = await s.emulator({ tls: { cert: readFileSync(pki.serverCert), key: readFileSync(pki.serverKey), ca: readFileSync(pki.caCert) } });
    const c = testConnection({ client_id: "emu-mtls", port: e.port, tls: { cert_file: pki.clientCert, key_file: pki.clientKey, ca_file: pki.caCert } });
    const w = s.client(c);
    await isConnected(w, "client");
    const event = await s.connectedEvent(c.client_id);
    const fingerprint = new X509Certificate(readFileSync(pki.clientCert)).fingerprint256.replaceAll(":", "").toLowerCase();
    expect(event.principalIdentifier).toBe(fingerprint);
  });
});

describe("lifecycle events as AWS warns they may come", () => {
  it("late, twice and out of order: the subscriber gets disconnected before connected, each twice, after the delay", async () => {
    const e = await s.emulator({ unreliable: { delayMs: 300, duplicate: true, reorder: true } });
    const c = testConnection({ client_id: "emu-unreliable", port: e.port, reconnect: { min_delay_ms: 5000, max_delay_ms: 5000, jitter: "none" } });
    const w = s.client(c);
    await isConnected(w, "client");
    expect(s.lifecycle.events.filter((x) => x.clientId === c.client_id)).toEqual([]);
    e.cut(c.client_id);
    const got = await pollUntil(
      () => {
        const mine = s.lifecycle.events.filter((x) => x.clientId === c.client_id);
        return mine.length >= 4 ? mine : undefined;
      },
      "four events",
      10_000,
      50,
    );
    expect(got.map((x) => x.eventType)).toEqual(["disconnected", "disconnected", "connected", "connected"]);
    expect(new Set(got.map((x) => x.sessionIdentifier)).size).toBe(1);
    expect(new Set(got.map((x) => (x as { versionNumber?: number }).versionNumber)).size).toBe(1);
  });
});
