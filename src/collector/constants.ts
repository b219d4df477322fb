/**
 * Facts several parts of the project share (collector, diagnosis, dashboards, alerts, CLI,
 * config), declared once here at the bottom of the import graph.
 */

/** aws-crt's error names for a PINGRESP that never came (MQTT 5 and MQTT 3.1.1 clients). */
export const PING_TIMEOUT_ERRORS = ["AWS_ERROR_MQTT5_PING_RESPONSE_TIMEOUT", "AWS_ERROR_MQTT_TIMEOUT"] as const;

/**
 * The `error_name` label of a drop or failure that is not an aws-crt error, and of one that came
 * without any error at all.
 */
export const UNKNOWN_ERROR_LABEL = "unknown";
export const NO_ERROR_LABEL = "none";

/** How a drop's error reads in human text (status page timeline, `replay --format text`). */
export function errorText(d: { error_name: string | null; error_message: string | null }): string {
  return d.error_name ?? (d.error_message !== null ? "unknown error" : "no error");
}

/** The original module's `reconnection_attempts_distribution` buckets, in order. */
export const RECONNECT_ATTEMPT_BUCKETS = ["1", "2-5", "6-10", "11+"] as const;
export type ReconnectAttemptBucket = (typeof RECONNECT_ATTEMPT_BUCKETS)[number];

export function reconnectAttemptBucket(reconnectAttempt: number): ReconnectAttemptBucket {
  if (reconnectAttempt <= 1) return "1";
  if (reconnectAttempt <= 5) return "2-5";
  if (reconnectAttempt <= 10) return "6-10";
  return "11+";
}

/** The exporter's HTTP port (`--web.listen-address :9883`). */
export const DEFAULT_LISTEN_PORT = 9883;

/**
 * The ways AWS IoT Core accepts a connection, as the config's `transport` and the journal's
 * `transport` name them (docs/configuration.md, Transports).
 */
export const TRANSPORTS = ["mtls", "mtls_alpn", "websocket_sigv4", "custom_auth"] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** The journal's `transport` of a connection without TLS (local brokers, tests): no AWS IoT transport. */
export const PLAIN_TCP_TRANSPORT = "tcp";

/** The broker port when none is configured: 8883 for mTLS (1883 without TLS), 443 for the others. */
export function defaultBrokerPort(tls: boolean, transport: Transport = "mtls"): number {
  if (transport !== "mtls") return 443;
  return tls ? 8883 : 1883;
}

/** HELP texts of the histograms (the OpenTelemetry description and the Prometheus HELP line). */
export const HISTOGRAM_HELP = {
  sessionDuration: "Length of each ended session.",
  timeToReconnect: "From a drop to the next successful connection.",
  probeRtt: "Round trip of the probe message (publish to receipt).",
} as const;

/**
 * The most connections one process watches: the configuration refuses more at load, and each
 * instrument's cardinality limit is sized from it (src/metrics/cardinality.ts).
 */
export const MAX_CONNECTIONS = 1000;
