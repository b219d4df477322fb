import { mkdtempSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as mqttPacket from "mqtt-packet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CollectorRegistry } from "../../src/collector/registry.js";
import type { ConnectionConfig } from "../../src/config/schema.js";
import type { AwsIotEmulator } from "../../src/emulator/emulator.js";
import { createDiagnoser } from "../../src/diagnosis/diagnoser.js";
import { BrokerPublisher, type LifecycleSink } from "../../src/emulator/broker-publisher.js";
import { buildApp } from "../../src/http/app.js";
import { createTelemetry } from "../../src/metrics/telemetry.js";
import { lifecycleSubscription } from "../../src/mqtt/lifecycle-observer.js";
import { watchConnection } from "../../src/mqtt/watch-connection.js";
import { makeTestPki } from "../helpers/certs.js";
import { startEmulator } from "../helpers/emulator.js";
import { Mosquitto } from "../helpers/mosquitto.js";
import { pollUntil } from "../helpers/poll.js";
import { testConnection } from "../helpers/service.js";

const quiet = { warn: () => undefined, error: () => undefined, info: () => undefined, debug: () => undefined };

/**
 * AWS warns its lifecycle messages may come late, twice and out of order: this sink delays each
 * event by a pseudo-random 0-900 ms (so later ones overtake earlier ones) and sends every other
 * one twice.
 */
class UnreliableSink implements LifecycleSink {
  private n = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  constructor(private readonly inner: LifecycleSink) {}
  publish(topic: string, payload: string): void {
    const i = this.n++;
    const send = (delay: number) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        this.inner.publish(topic, payload);
      }, delay);
      this.timers.add(t);
    };
    send((i * 389) % 900);
    if (i % 2 === 0) send((i * 211 + 450) % 900);
  }
  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    await this.inner.close();
  }
}

/** Another device: a bare MQTT 3.1.1 CONNECT with our client ID, from 127.0.0.2. */
function foreignDevice(port: number, clientId: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port, localAddress: "127.0.0.2" }, () => {
      socket.write(mqttPacket.generate({ cmd: "connect", protocolId: "MQTT", protocolVersion: 4, clean: true, clientId, keepalive: 60 }));
      resolve(socket);
    });
    socket.on("error", reject);
  });
}

let dir: string;
let broker: Mosquitto;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mde-observer-"));
  broker = await Mosquitto.start(makeTestPki(dir));
}, 60_000);
afterAll(async () => {
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * The device's collector, and an observer: a configured connection too, straight to the broker
 * where AWS's events are published. `stops` ends the observer and the emulator.
 */
function observed(emulator: AwsIotEmulator, device: ConnectionConfig, observerId: string) {
  const registry = new CollectorRegistry({ logger: quiet, lifecycleJoinWindowMs: 3000 });
  const c = registry.getOrCreate(device.client_id);
  const observerCollector = registry.getOrCreate("observer");
  const subscription = lifecycleSubscription(new Map([[device.client_id, [c]]]), quiet);
  const observer = watchConnection(
    testConnection({ client_id: observerId, port: broker.plainPort, keep_alive_seconds: 30 }),
    observerCollector,
    quiet,
    subscription,
  );
  const stops: (() => Promise<unknown>)[] = [() => observer.stop(), () => emulator.close()];
  return { registry, c, observerCollector, stops };
}

describe.each(["mqtt5", "mqtt311"] as const)("the lifecycle observer, %s SDK client", (protocol) => {
  it("joins every drop with AWS's reason exactly once, late, twice or out of order; names another device's IP", async () => {
    const emulator = await startEmulator(broker.plainPort, { sink: new UnreliableSink(new BrokerPublisher("127.0.0.1", broker.plainPort)) });
    const device = testConnection({
      client_id: `observed-${protocol}`,
      port: emulator.port,
      protocol,
      keep_alive_seconds: 30,
      reconnect: { min_delay_ms: 1500, max_delay_ms: 1500, jitter: "none" },
    });
    const { registry, c, observerCollector, stops } = observed(emulator, device, `observer-${protocol}`);
    try {
      await pollUntil(() => observerCollector.isConnected || undefined, "observer connected", 15_000, 50);
      const watched = watchConnection(device, c, quiet);
      stops.unshift(() => watched.stop());
      await pollUntil(() => (c.lifecycleEventsByType.get("connected") ?? 0) >= 1 || undefined, "AWS's connected event reached the observer", 15_000, 50);

      const reasons = ["THROTTLED", "SERVER_INITIATED_DISCONNECT", "API_INITIATED_DISCONNECT"] as const;
      for (const [i, reason] of reasons.entries()) {
        await pollUntil(() => c.isConnected || undefined, "connected", 15_000, 50);
        emulator.disconnect(device.client_id, reason);
        await pollUntil(() => c.totals.total_connection_drops >= i + 1 || undefined, `drop ${i + 1}`, 15_000, 50);
      }
      // Another device connects with our client ID: AWS closes our session (DUPLICATE_CLIENTID).
      await pollUntil(() => c.isConnected || undefined, "connected", 15_000, 50);
      // AWS accepts one CONNECT per second per client ID: a refused one is hung up, so try again.
      let other: Socket | undefined;
      stops.unshift(() => Promise.resolve(other?.destroy()));
      await pollUntil(
        async () => {
          if (c.totals.total_connection_drops >= 4) return true;
          if (other === undefined || other.destroyed) other = await foreignDevice(emulator.port, device.client_id);
          return undefined;
        },
        "taken over",
        15_000,
        250,
      );
      other?.destroy();

      // Until a window has passed, a late event may still join (AWS's may come after a stranger's).
      const expected = [...reasons, "DUPLICATE_CLIENTID"];
      const seen = () => c.export().recent_drops.map((d) => d.server_reason);
      await pollUntil(
        () => (JSON.stringify(seen()) === JSON.stringify(expected) ? true : undefined),
        `every drop joined to its own event (last: ${JSON.stringify(seen())})`,
        20_000,
        100,
      ).catch(() => undefined);
      expect(seen()).toEqual(expected);
      // Exactly once: each drop its own event, in order; AWS's duplicates neither journaled nor counted.
      // (Refused CONNECTs of the other device are THROTTLED events for our client ID too: counted, never joined.)
      const sent = new Map<string, number>();
      for (const e of emulator.events)
        if (e.eventType === "disconnected" && e.clientId === device.client_id) sent.set(e.disconnectReason, (sent.get(e.disconnectReason) ?? 0) + 1);
      await pollUntil(
        () => ([...sent].every(([r, n]) => c.serverDisconnectReasons.get(r) === n) ? true : undefined),
        "every distinct event counted once",
        10_000,
        100,
      ).catch(() => undefined);
      expect(new Map(c.serverDisconnectReasons)).toEqual(sent);

      await pollUntil(() => c.foreignSessionCount >= 1 || undefined, "foreign session settled", 20_000, 100);
      expect(c.export().lifecycle.foreign_sessions.recent.map((f) => f.ip_address)).toContain("127.0.0.2");
      const telemetry = createTelemetry({ registry });
      const app = await buildApp({ registry, telemetry, logger: false, diagnoser: createDiagnoser(registry) });
      stops.unshift(
        () => app.close(),
        () => telemetry.shutdown(),
      );
      const page = (await app.inject({ method: "GET", url: "/" })).body;
      expect(page).toMatch(/connected from <strong>127\.0\.0\.2<\/strong>/);
      expect(page).toContain("<td>DUPLICATE_CLIENTID</td>");
      const diagnosis = (await app.inject({ method: "GET", url: `/diagnosis.json?connection=${device.client_id}` })).json<{
        findings: { cause: string; evidence: string[] }[];
      }>();
      const dup = diagnosis.findings.find((f) => f.cause === "duplicate_client_id");
      expect(dup?.evidence.join(" ")).toContain("127.0.0.2");
    } finally {
      for (const s of stops) await s().catch(() => undefined);
    }
  }, 120_000);
});

describe("the lifecycle observer joins by session: a silent outage, live", () => {
  it("AWS's MQTT_KEEP_ALIVE_TIMEOUT, early or late, joins the client's own ping-timeout drop; nothing is half-open once it did", async () => {
    // AWS's seconds run 8x faster: its 30 s minimum keep-alive is 3.75 s, so it gives up after ~5.6 s of silence.
    const emulator = await startEmulator(broker.plainPort, { sink: new BrokerPublisher("127.0.0.1", broker.plainPort), timeScale: 8 });
    const device = testConnection({
      client_id: "observed-silent",
      port: emulator.port,
      keep_alive_seconds: 4,
      ping_timeout_ms: 3000,
      reconnect: { min_delay_ms: 500, max_delay_ms: 500, jitter: "none" },
    });
    const { c, observerCollector, stops } = observed(emulator, device, "observer-silent");
    try {
      await pollUntil(() => observerCollector.isConnected || undefined, "observer connected", 15_000, 50);
      const watched = watchConnection(device, c, quiet);
      stops.unshift(() => watched.stop());
      await pollUntil(() => (c.lifecycleEventsByType.get("connected") ?? 0) >= 1 || undefined, "AWS's connected event reached the observer", 15_000, 50);
      emulator.setBlackhole(true);
      const awsGaveUp = () => emulator.events.some((e) => e.eventType === "disconnected" && e.disconnectReason === "MQTT_KEEP_ALIVE_TIMEOUT");
      await pollUntil(() => (c.totals.total_connection_drops >= 1 && awsGaveUp()) || undefined, "the client's drop and AWS's keep-alive timeout", 30_000, 50);
      emulator.setBlackhole(false);
      await pollUntil(() => c.isConnected || undefined, "reconnected", 15_000, 50);
      const first = () => c.export().recent_drops[0];
      await pollUntil(
        () => (first()?.server_reason === "MQTT_KEEP_ALIVE_TIMEOUT" ? true : undefined),
        `the drop joined AWS's event (${JSON.stringify(first())})`,
        15_000,
        100,
      ).catch(() => undefined);
      expect(first()).toMatchObject({
        error_name: "AWS_ERROR_MQTT5_PING_RESPONSE_TIMEOUT",
        server_reason: "MQTT_KEEP_ALIVE_TIMEOUT",
        server_outcome: "keep_alive_expiry",
      });
      expect(typeof first()?.server_delay_seconds).toBe("number");
      expect(c.export().lifecycle.half_open).toEqual([]);
      expect(c.export().lifecycle.clock_offset_samples).toBeGreaterThanOrEqual(1);
    } finally {
      for (const s of stops) await s().catch(() => undefined);
    }
  }, 90_000);
});
