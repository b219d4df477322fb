import type { AwsDisconnectReason } from "../aws-join/events.js";

/**
 * AWS IoT Core's documented broker rules, as numbers and pure checks. Every figure cites its page:
 *
 * - [QUOTAS] AWS IoT Core endpoints and quotas, "Message broker and protocol limits and quotas":
 *   https://docs.aws.amazon.com/general/latest/gr/iot-core.html#message-broker-limits
 * - [LIFECYCLE] AWS IoT developer guide, "Lifecycle events" (the disconnect reasons):
 *   https://docs.aws.amazon.com/iot/latest/developerguide/life-cycle-events.html
 * - [MQTT] AWS IoT developer guide, "MQTT" (differences from the specification, MQTT 5 reason codes):
 *   https://docs.aws.amazon.com/iot/latest/developerguide/mqtt.html#mqtt-differences
 */

/** The `disconnectReason` values of [LIFECYCLE], declared once in the library's bottom module. */
export type DisconnectReason = AwsDisconnectReason;

/** AWS's limits; durations in AWS's own seconds (the emulator divides them by its time scale). */
export interface AwsLimits {
  /** [QUOTAS] "Connection inactivity (keep-alive interval)": a client may ask for 30-1200 s. */
  keepAliveMinSeconds: number;
  keepAliveMaxSeconds: number;
  /** [QUOTAS] the server disconnects a client silent for 1.5x its keep-alive interval. */
  keepAliveFactor: number;
  /** [QUOTAS] "Connect requests per second per client ID": 1, not adjustable. */
  connectIntervalMs: number;
  /** [QUOTAS] "Publish requests per second per connection": 100, not adjustable. */
  publishesPerSecond: number;
  /** [QUOTAS] "Message size": 128 KB per publish payload. */
  maxPayloadBytes: number;
  /** [QUOTAS] "Subscriptions per connection": 50; more "may be rejected ... and the connection will be closed". */
  maxSubscriptions: number;
  /** [QUOTAS] "WebSocket connection duration": 24 hours. */
  connectionTtlSeconds: number;
}

export const AWS_LIMITS: Readonly<AwsLimits> = {
  keepAliveMinSeconds: 30,
  keepAliveMaxSeconds: 1200,
  keepAliveFactor: 1.5,
  connectIntervalMs: 1000,
  publishesPerSecond: 100,
  maxPayloadBytes: 128 * 1024,
  maxSubscriptions: 50,
  connectionTtlSeconds: 24 * 3600,
};

/**
 * The MQTT 5 reason code the emulator sends with each server-side close (DISCONNECT) or refusal
 * (CONNACK). The codes are MQTT 5's own (OASIS MQTT 5.0, 3.14.2.1); [MQTT] says AWS IoT Core
 * answers MQTT 5 clients with reason codes but does not list which one per rule, so each is the
 * MQTT 5 code whose meaning fits (those with no obvious match are marked "emulator's choice").
 */
export const MQTT5_REASON: Readonly<Record<DisconnectReason, number | undefined>> = {
  AUTH_ERROR: 0x87, // Not authorized
  FORBIDDEN_ACCESS: 0x87, // Not authorized (issue 14: CONNACK or DISCONNECT 0x87)
  DUPLICATE_CLIENTID: 0x8e, // Session taken over
  MQTT_KEEP_ALIVE_TIMEOUT: 0x8d, // Keep alive timeout
  THROTTLED: 0x96, // Message rate too high
  CLIENT_ERROR: 0x95, // Packet too large (the oversized-payload case)
  WEBSOCKET_TTL_EXPIRATION: 0xa0, // Maximum connect time (emulator's choice)
  CUSTOMAUTH_TTL_EXPIRATION: 0xa0, // Maximum connect time (emulator's choice)
  API_INITIATED_DISCONNECT: 0x98, // Administrative action (emulator's choice)
  SERVER_INITIATED_DISCONNECT: 0x8b, // Server shutting down (emulator's choice)
  SERVER_ERROR: 0x83, // Implementation specific error (emulator's choice)
  CLIENT_INITIATED_DISCONNECT: undefined, // the client closed: nothing to send
  CONNECTION_LOST: undefined, // the link is gone: nothing can be sent
};

/** MQTT 5 "Quota exceeded": the subscription limit (emulator's choice; the lifecycle reason is THROTTLED). */
export const QUOTA_EXCEEDED = 0x97;
/** MQTT 5 CONNACK "Connection rate exceeded", for the one-CONNECT-per-second rule. */
export const CONNECTION_RATE_EXCEEDED = 0x9f;
/** MQTT 5 CONNACK "Not authorized", for a client ID the policy denies. */
export const NOT_AUTHORIZED = 0x87;

/**
 * [QUOTAS] the keep-alive the server enforces for a requested one: 0 or more than the maximum
 * means the default (the maximum, 1200 s); less than the minimum is raised to the minimum.
 */
export function effectiveKeepAliveSeconds(requested: number, limits: Pick<AwsLimits, "keepAliveMinSeconds" | "keepAliveMaxSeconds">): number {
  if (requested <= 0 || requested > limits.keepAliveMaxSeconds) return limits.keepAliveMaxSeconds;
  return Math.max(requested, limits.keepAliveMinSeconds);
}

/** [QUOTAS] one accepted CONNECT per interval per client ID (refused attempts do not count, so a retrying client gets through). */
export class ConnectThrottle {
  private readonly lastAccepted = new Map<string, number>();
  constructor(private readonly intervalMs: number) {}

  /** True when a CONNECT for this client ID at `nowMs` is within the limit (and records it). */
  admit(clientId: string, nowMs: number): boolean {
    const last = this.lastAccepted.get(clientId);
    if (last !== undefined && nowMs - last < this.intervalMs) return false;
    this.lastAccepted.set(clientId, nowMs);
    return true;
  }
}

/** [QUOTAS] publishes on one connection counted over a sliding one-second window. */
export class PublishRate {
  private readonly times: number[] = [];

  /** Records a publish at `nowMs`; true when the connection is now over `perSecond`. */
  exceeded(nowMs: number, perSecond: number): boolean {
    this.times.push(nowMs);
    while (this.times.length > 0 && nowMs - (this.times[0] as number) >= 1000) this.times.shift();
    return this.times.length > perSecond;
  }
}

/** MQTT topic filter matching (`+` one level, `#` the rest), for the deny list standing in for the IoT policy. */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split("/");
  const t = topic.split("/");
  for (let i = 0; i < f.length; i++) {
    if (f[i] === "#") return true;
    if (i >= t.length) return false;
    if (f[i] !== "+" && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}
