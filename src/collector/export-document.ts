import { isoTimestamp } from "../clock.js";
import { lifecycleSection, withServerJoin, withServerReason } from "../aws-join/export-section.js";
import type { CollectorState } from "./state.js";
import type { ExportDocument, MqttMetrics } from "./types.js";

export const DEFAULT_EXPORT_LIMIT = 50;

/** The original module's `reconnection_attempts_distribution` buckets, in order. */
export const RECONNECT_ATTEMPT_BUCKETS = ["1", "2-5", "6-10", "11+"] as const;
export type ReconnectAttemptBucket = (typeof RECONNECT_ATTEMPT_BUCKETS)[number];

export function reconnectAttemptBucket(reconnectAttempt: number): ReconnectAttemptBucket {
  if (reconnectAttempt <= 1) return "1";
  if (reconnectAttempt <= 5) return "2-5";
  if (reconnectAttempt <= 10) return "6-10";
  return "11+";
}

export function toRecord(map: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries(map);
}

/** Seconds since the current session began; 0 while disconnected. */
export function uptimeSeconds(s: CollectorState, nowMs: number): number {
  return s.sessionStartMs === null ? 0 : (nowMs - s.sessionStartMs) / 1000;
}

/** Reconnect attempts of the retained drops, bucketed in order of first appearance (as the original). */
function attemptDistribution(s: CollectorState): Record<string, number> {
  const counts = new Map<string, number>();
  // The one field, read from the ring's column: no record is made (every export and getMetrics()).
  for (const attempt of s.drops.numbers("reconnect_attempt")) {
    const bucket = reconnectAttemptBucket(attempt as number);
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
  }
  return toRecord(counts);
}

/**
 * The original module's `get_metrics()`, derived from the state as of `nowMs` (writes nothing).
 * Keys in its dataclass's order; `total_reconnect_attempts` is counted there once per drop.
 */
export function metricsOf(s: CollectorState, nowMs: number): MqttMetrics {
  const t = s.totals;
  return {
    total_connections: t.total_connections,
    total_disconnects: t.total_disconnects,
    total_connection_drops: t.total_connection_drops,
    total_reconnect_attempts: t.total_connection_drops,
    longest_session_seconds: s.sessions.max,
    shortest_session_seconds: s.sessions.min,
    average_session_seconds: s.sessions.average,
    current_session_uptime_seconds: uptimeSeconds(s, nowMs),
    connection_drops_by_error: toRecord(s.dropsByErrorName),
    reconnection_attempts_distribution: attemptDistribution(s),
    last_drop_timestamp: s.lastDropTimestamp,
    last_successful_connect_timestamp: s.lastConnectTimestamp,
    connection_recovered: t.connection_recovered,
    messages_published: t.messages_published,
    messages_queued: t.messages_queued,
  };
}

/** Infinity (no session ended yet) is exported as null, like the original. */
export function finiteOrNull(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}

/**
 * The original module's `export_json()` document (as an object), with `limit` recent events of
 * each kind, then our additions (allowed by the contract: no original key changes).
 */
export function exportDocument(s: CollectorState, connection: string, nowMs: number, limit = DEFAULT_EXPORT_LIMIT): ExportDocument {
  const metrics = metricsOf(s, nowMs);
  return {
    timestamp: isoTimestamp(nowMs),
    metrics: { ...metrics, shortest_session_seconds: finiteOrNull(metrics.shortest_session_seconds) },
    recent_drops: withServerJoin(s.drops.last(limit), s.lifecycle),
    recent_connections: s.connections.last(limit),
    aws_error_counts: toRecord(s.dropsByErrorName),
    session_history_summary: {
      total_sessions: s.sessions.count,
      sample_durations: s.sessions.recent.last(),
    },
    connection,
    connected: s.sessionStartMs !== null,
    negotiated_keep_alive_seconds: s.keepAliveSeconds,
    connection_attempts: s.attemptCount,
    connection_failures: {
      total: s.failureCount,
      by_error: toRecord(s.failuresByLabel),
      recent: withServerReason(s.failures.last(limit), s.lifecycle),
    },
    server_disconnects_by_reason: toRecord(s.serverDisconnects),
    lifecycle: lifecycleSection(s.lifecycle, nowMs, limit),
  };
}
