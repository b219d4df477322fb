/**
 * The benches' N loopback MQTT 5 connections (bench:restarts, bench:storm): one list of settings,
 * the real aws-iot-device-sdk-v2 clients built and watched as `watchConnection` does, their
 * orderly stop, and the QoS 1 publish that proves a client's session is up.
 */
import { mqtt5 } from "aws-iot-device-sdk-v2";
import type { CollectorRegistry } from "../../src/collector/registry.js";
import type { ConnectionConfig } from "../../src/config/schema.js";
import { buildMqtt5Client } from "../../src/mqtt/build-clients.js";
import { instrumentMqtt5Client } from "../../src/mqtt/mqtt5-adapter.js";

export interface BenchClient {
  client: mqtt5.Mqtt5Client;
  detach(): void;
}

/** N connections to a broker on loopback: plain TCP (mtls without tls files), no jitter, so every client reconnects in the same instants. */
export function loopbackConnections(n: number, clientIdPrefix: string, port: number): ConnectionConfig[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `c${i}`,
    endpoint: "127.0.0.1",
    port,
    client_id: `${clientIdPrefix}-${i}`,
    protocol: "mqtt5",
    transport: "mtls",
    keep_alive_seconds: 60,
    ping_timeout_ms: 5000,
    reconnect: { min_delay_ms: 100, max_delay_ms: 2000, jitter: "none" },
  }));
}

/** The clients, started, each watched by its registry's collector when a registry is given. */
export function startClients(connections: readonly ConnectionConfig[], registry: CollectorRegistry | undefined): BenchClient[] {
  return connections.map((c) => {
    const client = buildMqtt5Client(c);
    const instrumented = registry ? instrumentMqtt5Client(client, registry.getOrCreate(c.name ?? c.client_id)) : undefined;
    client.on("error", () => undefined);
    client.start();
    return { client, detach: () => instrumented?.detach() };
  });
}

/** Detaches, stops (waiting up to 3 s for each `stopped`) and closes every client. */
export async function stopClients(clients: readonly BenchClient[]): Promise<void> {
  for (const c of clients) c.detach();
  await Promise.all(
    clients.map(
      ({ client }) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 3000);
          client.once("stopped", () => {
            clearTimeout(timer);
            resolve();
          });
          client.stop();
        }),
    ),
  );
  for (const { client } of clients) client.close();
}

/** A QoS 1 publish to `topic` acknowledged by the broker within `timeoutMs`: the client's session is up. */
export function published(client: mqtt5.Mqtt5Client, topic: string, timeoutMs = 180_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeoutMs)));
  const ack = client.publish({ topicName: topic, qos: mqtt5.QoS.AtLeastOnce, payload: "x" }).then(
    () => true,
    () => false,
  );
  return Promise.race([ack, timeout]).finally(() => clearTimeout(timer));
}
