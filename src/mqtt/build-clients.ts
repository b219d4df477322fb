import { iot, io, mqtt, mqtt5 } from "aws-iot-device-sdk-v2";
import type { ConnectionConfig } from "../config/schema.js";

const JITTER: Record<ConnectionConfig["reconnect"]["jitter"], mqtt5.RetryJitterType> = {
  none: mqtt5.RetryJitterType.None,
  full: mqtt5.RetryJitterType.Full,
  decorrelated: mqtt5.RetryJitterType.Decorrelated,
};

function port(c: ConnectionConfig): number {
  return c.port ?? (c.tls ? 8883 : 1883);
}

/** An MQTT 5 client for a configured connection: mutual TLS through the AWS IoT builder, or plain TCP. */
export function buildMqtt5Client(c: ConnectionConfig): mqtt5.Mqtt5Client {
  const connectProperties: mqtt5.ConnectPacket = { keepAliveIntervalSeconds: c.keep_alive_seconds, clientId: c.client_id };
  if (c.tls) {
    const builder = iot.AwsIotMqtt5ClientConfigBuilder.newDirectMqttBuilderWithMtlsFromPath(c.endpoint, c.tls.cert_file, c.tls.key_file);
    if (c.tls.ca_file !== undefined) builder.withCertificateAuthorityFromPath(undefined, c.tls.ca_file);
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

/** An MQTT 3.1.1 connection for a configured connection. */
export function buildMqtt311Connection(c: ConnectionConfig): mqtt.MqttClientConnection {
  const client = new mqtt.MqttClient(new io.ClientBootstrap());
  const reconnectMin = Math.max(1, Math.round(c.reconnect.min_delay_ms / 1000));
  const reconnectMax = Math.max(reconnectMin, Math.round(c.reconnect.max_delay_ms / 1000));
  if (c.tls) {
    const builder = iot.AwsIotMqttConnectionConfigBuilder.new_mtls_builder_from_path(c.tls.cert_file, c.tls.key_file);
    if (c.tls.ca_file !== undefined) builder.with_certificate_authority_from_path(undefined, c.tls.ca_file);
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
