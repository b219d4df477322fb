import { mqtt, mqtt5 } from "aws-iot-device-sdk-v2";
import type { MqttDiagnosticsCollector } from "../collector/collector.js";
import type { LoggerLike } from "../collector/logger.js";
import type { ConnectionConfig } from "../config/schema.js";
import { buildMqtt311Connection, buildMqtt5Client, reconnectSeconds } from "./build-clients.js";
import { Mqtt311Recorder } from "./mqtt311-adapter.js";
import { instrumentMqtt5Client } from "./mqtt5-adapter.js";
import type { LifecycleSubscription } from "./lifecycle-observer.js";
import { mqtt311Publisher, mqtt5Publisher, type EvidencePublish } from "./evidence-publish.js";
import { RoundTripProbe } from "./probe.js";
import { journalTransport } from "./transport-builders.js";

export interface WatchedConnection {
  readonly name: string;
  /** Publishes QoS 1 on the watched client; resolves on PUBACK (evidence shipping). */
  readonly publish: EvidencePublish;
  /** Stops the client cleanly (recorded as a stop, not a drop) and releases it. */
  stop(): Promise<void>;
}

const STOP_TIMEOUT_MS = 3000;
const decoder = new TextDecoder();

function payloadText(payload: unknown): string {
  if (typeof payload === "string") return payload;
  if (payload instanceof ArrayBuffer) return decoder.decode(payload);
  if (ArrayBuffer.isView(payload)) return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString("utf8");
  return "";
}

function watchMqtt5(c: ConnectionConfig, collector: MqttDiagnosticsCollector, logger: LoggerLike, observe?: LifecycleSubscription): WatchedConnection {
  const client = buildMqtt5Client(c);
  const adapter = instrumentMqtt5Client(client, collector, { transport: journalTransport(c), clientId: c.client_id });
  const probe = c.probe
    ? new RoundTripProbe(
        c.probe,
        {
          subscribe: async (topic) => {
            await client.subscribe({ subscriptions: [{ topicFilter: topic, qos: mqtt5.QoS.AtLeastOnce }] });
          },
          publish: async (topic, payload) => {
            await client.publish({ topicName: topic, qos: mqtt5.QoS.AtLeastOnce, payload });
          },
        },
        collector,
      )
    : undefined;
  client.on("error", (err) => logger.error({ err, connection: c.name }, "mqtt5 client error"));
  if (probe) {
    client.on("connectionSuccess", () => {
      probe.onConnected().catch((err: unknown) => logger.warn({ err, connection: c.name }, "probe subscribe failed"));
    });
    client.on("messageReceived", (e) => probe.onMessage(e.message.topicName, payloadText(e.message.payload)));
  }
  if (observe) {
    // The observer: AWS's lifecycle topics, subscribed again on every connection (QoS 1: AWS
    // publishes them at QoS 1; a clean session forgets subscriptions).
    client.on("connectionSuccess", () => {
      client
        .subscribe({ subscriptions: observe.topics.map((topicFilter) => ({ topicFilter, qos: mqtt5.QoS.AtLeastOnce })) })
        .catch((err: unknown) => logger.warn({ err, connection: c.name }, "lifecycle: subscribe failed"));
    });
    client.on("messageReceived", (e) => {
      if (observe.owns(e.message.topicName)) observe.onMessage(e.message.topicName, payloadText(e.message.payload));
    });
  }
  client.start();
  return {
    name: c.name ?? c.client_id,
    publish: mqtt5Publisher(client),
    async stop() {
      probe?.stop();
      observe?.close();
      const stopped = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, STOP_TIMEOUT_MS);
        client.once("stopped", () => {
          clearTimeout(timer);
          resolve();
        });
      });
      // With a DISCONNECT packet: without one, stop() only closes the socket and AWS IoT Core
      // records CONNECTION_LOST for what was the service's own, clean stop.
      client.stop({ reasonCode: mqtt5.DisconnectReasonCode.NormalDisconnection });
      await stopped;
      adapter.detach();
      client.close();
    },
  };
}

function watchMqtt311(c: ConnectionConfig, collector: MqttDiagnosticsCollector, logger: LoggerLike, observe?: LifecycleSubscription): WatchedConnection {
  const backoff = reconnectSeconds(c);
  const recorder = new Mqtt311Recorder(
    collector,
    { transport: journalTransport(c), clientId: c.client_id },
    { minSeconds: backoff.min, maxSeconds: backoff.max },
  );
  let connection = buildMqtt311Connection(c);
  let detachConnection = recorder.attach(connection);
  let stopping = false;
  let retry: NodeJS.Timeout | undefined;
  let delay = c.reconnect.min_delay_ms;
  const probe = c.probe
    ? new RoundTripProbe(
        c.probe,
        {
          subscribe: async (topic) => {
            await connection.subscribe(topic, mqtt.QoS.AtLeastOnce, (t, payload) => probe?.onMessage(t, payloadText(payload)));
          },
          publish: async (topic, payload) => {
            await connection.publish(topic, payload, mqtt.QoS.AtLeastOnce);
          },
        },
        collector,
      )
    : undefined;
  const listen = (conn: mqtt.MqttClientConnection) => {
    conn.on("error", (err) => logger.error({ err, connection: c.name }, "mqtt311 connection error"));
    conn.on("connection_success", () => {
      delay = c.reconnect.min_delay_ms;
      probe?.onConnected().catch((err: unknown) => logger.warn({ err, connection: c.name }, "probe subscribe failed"));
      if (observe) {
        for (const topic of observe.topics) {
          conn
            .subscribe(topic, mqtt.QoS.AtLeastOnce, (t, payload) => observe.onMessage(t, payloadText(payload)))
            .catch((err: unknown) => logger.warn({ err, connection: c.name }, "lifecycle: subscribe failed"));
        }
      }
    });
  };
  listen(connection);
  // aws-crt's MQTT 3.1.1 client reconnects by itself only after a first success; until then this
  // loop retries with the configured backoff. A connection object whose connect() failed reports
  // nothing more (aws-crt releases its callbacks), so each retry uses a fresh one.
  const connect = () => {
    connection.connect().catch(() => {
      if (stopping) return;
      detachConnection();
      closeConnection(connection);
      connection = buildMqtt311Connection(c, connection.client);
      detachConnection = recorder.attach(connection);
      listen(connection);
      retry = setTimeout(connect, delay);
      delay = Math.min(delay * 2, c.reconnect.max_delay_ms);
    });
  };
  connect();
  return {
    name: c.name ?? c.client_id,
    // The connection object in use: a failed first connect() replaces it.
    publish: (topic, payload) => mqtt311Publisher(connection)(topic, payload),
    async stop() {
      stopping = true;
      observe?.close();
      if (retry !== undefined) clearTimeout(retry);
      probe?.stop();
      await Promise.race([connection.disconnect().catch(() => undefined), new Promise((r) => setTimeout(r, STOP_TIMEOUT_MS))]);
      detachConnection();
      recorder.stopped("detached");
    },
  };
}

// close() frees the native connection; aws-crt's typings mark it private (its own `closed` handler calls it).
function closeConnection(connection: mqtt.MqttClientConnection): void {
  try {
    (connection as unknown as { close(): void }).close();
  } catch {
    // already closed
  }
}

/** Starts a configured connection's client, watched by the collector. */
export function watchConnection(
  c: ConnectionConfig,
  collector: MqttDiagnosticsCollector,
  logger: LoggerLike,
  observe?: LifecycleSubscription,
): WatchedConnection {
  return c.protocol === "mqtt311" ? watchMqtt311(c, collector, logger, observe) : watchMqtt5(c, collector, logger, observe);
}
