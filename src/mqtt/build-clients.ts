import { io, mqtt, mqtt5 } from "aws-iot-device-sdk-v2";
import { ConfigError } from "../config/errors.js";
import type { ConnectionConfig } from "../config/schema.js";
import { defaultBrokerPort } from "../config/transport.js";
import { checkTransportSupport, mqtt311Builder, mqtt5Builder } from "./transport-builders.js";

const JITTER: Record<ConnectionConfig["reconnect"]["jitter"], mqtt5.RetryJitterType> = {
  none: mqtt5.RetryJitterType.None,
  full: mqtt5.RetryJitterType.Full,
  decorrelated: mqtt5.RetryJitterType.Decorrelated,
};

function port(c: ConnectionConfig): number {
  return c.port ?? defaultBrokerPort(c.tls !== undefined, c.transport);
}

// What aws-crt's native errors mean when it loads a connection's TLS files; it names neither the
// file nor the problem, so the message names the files and the likely causes.
const CRT_TLS_ERRORS: Record<string, string> = {
  AWS_ERROR_FILE_INVALID_PATH: "a file is missing or is a directory",
  AWS_ERROR_INVALID_ARGUMENT: "a file is not PEM",
  AWS_IO_TLS_CTX_ERROR:
    "the key does not match the certificate, is encrypted, is not a private key, or is of a type aws-crt does not support (e.g. Ed25519); or the CA file holds no certificate",
};

function crtErrorName(err: unknown): string | undefined {
  return /\b(AWS_[A-Z0-9_]+)\b/.exec(err instanceof Error ? err.message : String(err))?.[1];
}

/**
 * A native aws-crt error while building a client, as a ConfigError naming the TLS files: without
 * this the process dies with a native stack trace. Other errors pass through unchanged.
 */
function translateCrtError(err: unknown, c: ConnectionConfig, setting: string): unknown {
  const name = crtErrorName(err);
  const tls = c.tls;
  if (name === undefined || tls === undefined) return err;
  const files = (["cert_file", "key_file", "ca_file"] as const)
    .filter((k) => tls[k] !== undefined)
    .map((k) => `${k} '${tls[k] ?? ""}'`)
    .join(", ");
  return new ConfigError(setting, `aws-crt cannot load ${files}: ${name} (${CRT_TLS_ERRORS[name] ?? "see the aws-crt error"})`);
}

function defaultSetting(c: ConnectionConfig): string {
  return `connection '${c.name ?? c.client_id}' tls`;
}

/**
 * Builds the connection's client configuration (and so its native TLS context) as its client
 * will, and throws a one-line ConfigError if aws-crt refuses it: what check-config calls valid
 * then also starts. `transportSetting` names the setting a transport the platform cannot do is
 * reported under.
 */
export function checkNativeTls(c: ConnectionConfig, setting = defaultSetting(c), transportSetting?: string): void {
  checkTransportSupport(c, transportSetting);
  try {
    mqtt5Builder(c)?.build();
  } catch (err) {
    throw translateCrtError(err, c, setting);
  }
}

/** An MQTT 5 client for a configured connection: its transport's AWS IoT builder, or plain TCP. */
export function buildMqtt5Client(c: ConnectionConfig): mqtt5.Mqtt5Client {
  try {
    return newMqtt5Client(c);
  } catch (err) {
    throw translateCrtError(err, c, defaultSetting(c));
  }
}

function newMqtt5Client(c: ConnectionConfig): mqtt5.Mqtt5Client {
  const connectProperties: mqtt5.ConnectPacket = { keepAliveIntervalSeconds: c.keep_alive_seconds, clientId: c.client_id };
  const builder = mqtt5Builder(c);
  if (builder) {
    builder
      .withPort(port(c))
      .withConnectProperties(connectProperties)
      .withPingTimeoutMs(c.ping_timeout_ms)
      .withMinReconnectDelayMs(c.reconnect.min_delay_ms)
      .withMaxReconnectDelayMs(c.reconnect.max_delay_ms)
      .withRetryJitterMode(JITTER[c.reconnect.jitter]);
    return new mqtt5.Mqtt5Client(builder.build());
  }
  return new mqtt5.Mqtt5Client({
    hostName: c.endpoint,
    port: port(c),
    connectProperties,
    pingTimeoutMs: c.ping_timeout_ms,
    minReconnectDelayMs: c.reconnect.min_delay_ms,
    maxReconnectDelayMs: c.reconnect.max_delay_ms,
    retryJitterMode: JITTER[c.reconnect.jitter],
  });
}

/** MQTT 3.1.1's reconnect backoff is in whole seconds, at least 1. */
export function reconnectSeconds(c: ConnectionConfig): { min: number; max: number } {
  const min = Math.max(1, Math.round(c.reconnect.min_delay_ms / 1000));
  return { min, max: Math.max(min, Math.round(c.reconnect.max_delay_ms / 1000)) };
}

/** An MQTT 3.1.1 connection for a configured connection (on `client` when given: retries reuse it). */
export function buildMqtt311Connection(c: ConnectionConfig, client?: mqtt.MqttClient): mqtt.MqttClientConnection {
  try {
    return newMqtt311Connection(c, client ?? new mqtt.MqttClient(new io.ClientBootstrap()));
  } catch (err) {
    throw translateCrtError(err, c, defaultSetting(c));
  }
}

function newMqtt311Connection(c: ConnectionConfig, client: mqtt.MqttClient): mqtt.MqttClientConnection {
  const { min: reconnectMin, max: reconnectMax } = reconnectSeconds(c);
  const builder = mqtt311Builder(c);
  if (builder) {
    builder
      .with_endpoint(c.endpoint)
      .with_port(port(c))
      .with_client_id(c.client_id)
      .with_clean_session(false)
      .with_keep_alive_seconds(c.keep_alive_seconds)
      .with_ping_timeout_ms(c.ping_timeout_ms)
      .with_reconnect_min_sec(reconnectMin)
      .with_reconnect_max_sec(reconnectMax);
    return client.new_connection(builder.build());
  }
  return client.new_connection({
    client_id: c.client_id,
    host_name: c.endpoint,
    port: port(c),
    clean_session: false,
    keep_alive: c.keep_alive_seconds,
    ping_timeout: c.ping_timeout_ms,
    reconnect_min_sec: reconnectMin,
    reconnect_max_sec: reconnectMax,
    socket_options: new io.SocketOptions(io.SocketType.STREAM, io.SocketDomain.IPV4, 5000),
  });
}
