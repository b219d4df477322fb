import { mqtt, mqtt5 } from "aws-iot-device-sdk-v2";
import { connectAsync, type MqttClient } from "mqtt";
import { MqttDiagnosticsCollector } from "../../src/collector/collector.js";
import type { ConnectionConfig } from "../../src/config/schema.js";
import { AwsIotEmulator, type EmulatorOptions } from "../../src/emulator/emulator.js";
import type { LifecycleEvent } from "../../src/emulator/lifecycle-events.js";
import { buildMqtt311Connection, buildMqtt5Client } from "../../src/mqtt/build-clients.js";
import { instrumentMqtt311Connection } from "../../src/mqtt/mqtt311-adapter.js";
import { instrumentMqtt5Client } from "../../src/mqtt/mqtt5-adapter.js";
import { pollUntil } from "./poll.js";

export async function startEmulator(brokerPort: number, options: Omit<EmulatorOptions, "upstream"> = {}): Promise<AwsIotEmulator> {
  const emulator = new AwsIotEmulator({ upstream: { host: "127.0.0.1", port: brokerPort }, ...options });
  await emulator.listen();
  return emulator;
}

/** A separate subscriber to `$aws/events/presence/#` on the broker, as an observer of AWS's lifecycle events is. */
export class LifecycleSubscriber {
  readonly events: (LifecycleEvent & { topic: string })[] = [];
  private constructor(private readonly client: MqttClient) {}

  static async start(brokerPort: number): Promise<LifecycleSubscriber> {
    const client = await connectAsync({ host: "127.0.0.1", port: brokerPort, protocolVersion: 4, reconnectPeriod: 0 });
    const s = new LifecycleSubscriber(client);
    client.on("message", (topic, payload) => s.events.push({ topic, ...(JSON.parse(payload.toString()) as LifecycleEvent) }));
    // `#` does not match topics that start with `$`: the lifecycle topics are subscribed to by name.
    await client.subscribeAsync("$aws/events/presence/#", { qos: 0 });
    return s;
  }

  /** Waits for an event about `clientId` that matches. */
  async next(clientId: string, match: (e: LifecycleEvent) => boolean, what: string): Promise<LifecycleEvent & { topic: string }> {
    return pollUntil(() => this.events.find((e) => e.clientId === clientId && match(e)), `${what} lifecycle event for ${clientId}`, 15_000, 50);
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }
}

/** A real SDK client (MQTT 5 or 3.1.1) recorded by its own collector, as the library's adapters do. */
export interface WatchedClient {
  collector: MqttDiagnosticsCollector;
  publish(topic: string, payload: Uint8Array | string): Promise<unknown>;
  subscribe(topic: string): Promise<unknown>;
  /** Disconnects as the application would (a DISCONNECT packet). */
  stop(): Promise<void>;
}

/** Resolves when `p` settles or after `ms`, whichever comes first (a client may never confirm a stop). */
const atMost = (p: Promise<unknown>, ms: number) => Promise.race([p.catch(() => undefined), new Promise((r) => setTimeout(r, ms))]);

export function watchedClient(c: ConnectionConfig): WatchedClient {
  let stopped = false;
  const collector = new MqttDiagnosticsCollector({ connection: c.name ?? c.client_id });
  if (c.protocol === "mqtt311") {
    const conn = buildMqtt311Connection(c);
    const adapter = instrumentMqtt311Connection(conn, collector, { statisticsIntervalMs: 0 });
    conn.on("error", () => undefined);
    void conn.connect().catch(() => false);
    return {
      collector,
      publish: (topic, payload) => conn.publish(topic, payload, mqtt.QoS.AtMostOnce),
      subscribe: (topic) => conn.subscribe(topic, mqtt.QoS.AtLeastOnce),
      async stop() {
        if (stopped) return;
        stopped = true;
        await atMost(conn.disconnect(), 1000);
        adapter.detach();
      },
    };
  }
  const client = buildMqtt5Client(c);
  const adapter = instrumentMqtt5Client(client, collector, { statisticsIntervalMs: 0 });
  client.on("error", () => undefined);
  client.start();
  return {
    collector,
    publish: (topicName, payload) => client.publish({ topicName, payload, qos: mqtt5.QoS.AtMostOnce }),
    subscribe: (topicFilter) => client.subscribe({ subscriptions: [{ topicFilter, qos: mqtt5.QoS.AtLeastOnce }] }),
    async stop() {
      if (stopped) return;
      stopped = true;
      const done = new Promise((r) => client.once("stopped", r));
      // Without a DISCONNECT packet, stop() just closes the socket: AWS would see CONNECTION_LOST.
      client.stop({ reasonCode: mqtt5.DisconnectReasonCode.NormalDisconnection });
      await atMost(done, 3000);
      adapter.detach();
      client.close();
    },
  };
}

export const isConnected = (w: WatchedClient, what: string) => pollUntil(() => (w.collector.isConnected ? true : undefined), `${what} connected`, 20_000, 50);
export const hasDropped = (w: WatchedClient, what: string) => pollUntil(() => w.collector.getRecentDrops(1)[0], `${what} dropped`, 20_000, 50);
