import { isoTimestamp } from "../clock.js";
import type { MqttDiagnosticsCollector } from "../collector/collector.js";
import type { ServerOutcome } from "../aws-join/outcome.js";
import type { ConnectionDropEvent, ConnectionEvent, ConnectionFailureEvent } from "../collector/types.js";

/** AWS's side of a drop, when lifecycle events are read: its reason, what it means, and how late AWS's event came (s, negative: AWS first). */
export interface ServerSide {
  server_reason?: string | null;
  server_outcome?: ServerOutcome | null;
  server_delay_seconds?: number | null;
}

/** What the diagnosis reads: a plain snapshot of one connection's retained history. */
export interface ConnectionHistory {
  connection: string;
  nowMs: number;
  /** `server_reason`: AWS's lifecycle reason joined to the event, when lifecycle events are read. */
  drops: readonly (ConnectionDropEvent & ServerSide)[];
  connections: readonly ConnectionEvent[];
  failures: readonly (ConnectionFailureEvent & { server_reason?: string | null })[];
  /** AWS's clock minus the client's (ms), from paired connects, when known. */
  clockOffsetMs?: number | null;
  /** Another device's sessions with our client ID, as AWS reported them (lifecycle events). */
  foreignSessions?: readonly { timestamp: string; ip_address: string }[];
  /** Negotiated keep-alive (from the last CONNACK), or the configured one when never connected. */
  keepAliveSeconds: number | null;
  messagesPublished: number;
  /** From the configuration when known: MQTT 3.1.1 histories have no failed reconnects. */
  protocol?: "mqtt5" | "mqtt311";
  /** The configured reconnect backoff, when known (advice must not repeat what is set). */
  reconnect?: ReconnectSettings;
}

export interface ReconnectSettings {
  minDelayMs: number;
  jitter: "none" | "full" | "decorrelated";
}

/** What the configuration says about a connection, which its events do not. */
export interface ConfiguredConnection {
  keepAliveSeconds?: number;
  protocol?: "mqtt5" | "mqtt311";
  reconnect?: ReconnectSettings;
}

/**
 * The rules read at most this many of the newest events of each kind: patterns show long before
 * that, and a diagnosis (recomputed on every scrape after a change) then costs the same whatever
 * `max_events_retained` is.
 */
export const DIAGNOSIS_MAX_EVENTS = 10_000;

export function historyOf(collector: MqttDiagnosticsCollector, options: ConfiguredConnection = {}): ConnectionHistory {
  const all = Math.min(collector.maxEventsRetained, DIAGNOSIS_MAX_EVENTS);
  const drops = collector.getRecentDrops(all);
  const failures = collector.getRecentFailures(all);
  // AWS's side, when the connection has any: copies only then (the common case costs nothing).
  const aws = collector.hasLifecycleEvents;
  // Object.assign, not a spread: ~8x faster per record on V8 (10,000 records on every diagnosis).
  const reasoned = <R extends object>(rs: R[]) => (aws ? rs.map((r) => Object.assign({}, r, { server_reason: collector.serverReasonOf(r) })) : rs);
  const joined = <R extends object>(rs: R[]) =>
    aws
      ? rs.map((r) => {
          const o = collector.serverOutcomeOf(r);
          return Object.assign({}, r, {
            server_reason: collector.serverReasonOf(r),
            server_outcome: o?.outcome ?? null,
            server_delay_seconds: o === null ? null : o.delayMs / 1000,
          });
        })
      : rs;
  return {
    connection: collector.connection,
    nowMs: collector.clock.now(),
    drops: joined(drops),
    connections: collector.getRecentConnections(all),
    failures: reasoned(failures),
    ...(aws ? { clockOffsetMs: collector.lifecycleClockOffsetMs } : {}),
    ...(aws ? { foreignSessions: collector.lifecycleJoin().foreign.map((e) => ({ timestamp: isoTimestamp(e.timestamp), ip_address: e.ipAddress })) } : {}),
    keepAliveSeconds: collector.negotiatedKeepAliveSeconds ?? options.keepAliveSeconds ?? null,
    messagesPublished: collector.totals.messages_published,
    ...(options.protocol !== undefined ? { protocol: options.protocol } : {}),
    ...(options.reconnect !== undefined ? { reconnect: options.reconnect } : {}),
  };
}
