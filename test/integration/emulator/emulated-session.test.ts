import { describe, expect, it } from "vitest";
import { emulatorSuite } from "../../helpers/emulator-suite.js";
import { hasDropped, isConnected } from "../../helpers/emulator.js";

// The rules one connection's packets meet (keep-alive, publish rate and size, subscriptions,
// connection TTL, the policy's topics), each closing the connection as AWS does.
const s = emulatorSuite();

describe.each(["mqtt5", "mqtt311"] as const)("AWS IoT Core rules on one connection, %s SDK client", (protocol) => {
  const conn = s.conn.bind(null, protocol);
  const expectServerClose = s.expectServerClose.bind(null, protocol);

  it("silence beyond 1.5x the keep-alive closes the connection: MQTT_KEEP_ALIVE_TIMEOUT (MQTT 5: 0x8D)", async () => {
    // A keep-alive over 1200 s is not accepted: AWS holds the client to 1200 s. Time scale 600 makes
    // that 2 s, so the client (pinging every 10 s) is silent past 1.5 x 2 s and AWS closes it.
    const e = await s.emulator({ timeScale: 600 });
    const c = conn("keepalive", e.port, { keep_alive_seconds: 10 });
    const w = s.client(c);
    await isConnected(w, "client");
    expect(e.connections(c.client_id)[0]?.keepAliveTimeoutMs).toBe(3000);
    await hasDropped(w, "client");
    expectServerClose(w, 0x8d);
    await s.disconnected(c.client_id, "MQTT_KEEP_ALIVE_TIMEOUT");
  });

  it("more than 100 publishes in a second on a connection: THROTTLED (MQTT 5: 0x96)", async () => {
    const e = await s.emulator();
    const c = conn("pubrate", e.port);
    const w = s.client(c);
    await isConnected(w, "client");
    void Promise.allSettled(Array.from({ length: 150 }, (_, i) => w.publish(`emu/${c.client_id}`, `m${i}`)));
    await hasDropped(w, "client");
    expectServerClose(w, 0x96);
    await s.disconnected(c.client_id, "THROTTLED");
  });

  it("a payload over 128 KB: CLIENT_ERROR (MQTT 5: 0x95)", async () => {
    const e = await s.emulator();
    const c = conn("payload", e.port);
    const w = s.client(c);
    await isConnected(w, "client");
    await w.publish(`emu/${c.client_id}`, "x".repeat(1024)); // within the limit: forwarded
    void w.publish(`emu/${c.client_id}`, new Uint8Array(128 * 1024 + 1)).catch(() => undefined);
    await hasDropped(w, "client");
    expectServerClose(w, 0x95);
    await s.disconnected(c.client_id, "CLIENT_ERROR");
  });

  it("more than 50 subscriptions on a connection: THROTTLED (MQTT 5: 0x97)", async () => {
    const e = await s.emulator();
    const c = conn("subs", e.port);
    const w = s.client(c);
    await isConnected(w, "client");
    for (let i = 0; i < 50; i++) await w.subscribe(`emu/${c.client_id}/${i}`);
    expect(w.collector.isConnected).toBe(true);
    void w.subscribe(`emu/${c.client_id}/50`).catch(() => undefined);
    await hasDropped(w, "client");
    expectServerClose(w, 0x97);
    await s.disconnected(c.client_id, "THROTTLED");
  });

  it("a WebSocket connection past its 24 hours (configured to 2 s): WEBSOCKET_TTL_EXPIRATION (MQTT 5: 0xA0)", async () => {
    const e = await s.emulator({ ttl: { reason: "WEBSOCKET_TTL_EXPIRATION", seconds: 2 } });
    const c = conn("ttl", e.port);
    const w = s.client(c);
    await isConnected(w, "client");
    await hasDropped(w, "client");
    expectServerClose(w, 0xa0);
    await s.disconnected(c.client_id, "WEBSOCKET_TTL_EXPIRATION");
  });

  it("a publish to a topic the policy denies: FORBIDDEN_ACCESS (MQTT 5: DISCONNECT 0x87)", async () => {
    const e = await s.emulator({ deny: { topics: ["forbidden/#"] } });
    const c = conn("denytopic", e.port);
    const w = s.client(c);
    await isConnected(w, "client");
    void w.publish("forbidden/x", "no").catch(() => undefined);
    await hasDropped(w, "client");
    expectServerClose(w, 0x87);
    await s.disconnected(c.client_id, "FORBIDDEN_ACCESS");
  });
});
