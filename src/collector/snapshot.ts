import { type LineOf, type RecordedKind, type RecordOf, recordOf } from "./event-model.js";
import { finiteOrNull, metricsOf, toRecord } from "./export-document.js";
import { SessionStats } from "./session-stats.js";
import type { CollectorSnapshot } from "./snapshot-schema.js";
import type { CollectorState } from "./state.js";

/**
 * The state as a checkpoint's `state`, in the format older versions wrote (they read ours, we
 * read theirs): it repeats some derived figures, which `restoreState` does not read back.
 */
export function snapshotOf(s: CollectorState, nowMs: number): CollectorSnapshot {
  const { reconnection_attempts_distribution: _derived, ...metrics } = metricsOf(s, nowMs);
  return {
    metrics: { ...metrics, shortest_session_seconds: finiteOrNull(metrics.shortest_session_seconds) },
    session_start_ms: s.sessionStartMs,
    last_drop_ms: s.lastDropMs,
    reconnect_from_ms: s.reconnectFromMs,
    sessions: {
      count: s.sessions.count,
      sum: s.sessions.sum,
      min: finiteOrNull(s.sessions.min),
      max: s.sessions.max,
      recent: s.sessions.recent.last(),
    },
    aws_error_counts: toRecord(s.dropsByErrorName),
    connections_by_event_type: toRecord(s.connectionsByEventType),
    drops_by_label: toRecord(s.dropsByLabel),
    failures_by_label: toRecord(s.failuresByLabel),
    server_disconnects: toRecord(s.serverDisconnects),
    failure_count: s.failureCount,
    attempt_count: s.attemptCount,
    keep_alive_seconds: s.keepAliveSeconds,
    probes: s.probes,
    probe_timeouts: s.probeTimeouts,
    last_probe_rtt: s.lastProbeRtt,
    drops: s.drops.last(),
    connections: s.connections.last(),
    failures: s.failures.last(),
    lifecycle: s.lifecycle.snapshot(),
  };
}

function fill(map: Map<string, number>, counts: Record<string, number>): void {
  map.clear();
  // Own keys only, whatever they are called (`__proto__` included: JSON.parse made it data).
  for (const [k, v] of Object.entries(counts)) map.set(k, v);
}

// A checkpoint written before an optional field existed lacks it: null there, as in a new record.
function complete<K extends RecordedKind>(kind: K, records: readonly object[]): RecordOf<K>[] {
  return records.map((r) => {
    const fields = r as Record<string, unknown>;
    return recordOf(kind, String(fields["timestamp"]), fields as unknown as LineOf<K>, fields as Partial<RecordOf<K>>);
  });
}

function refill<T>(ring: { clear(): void; push(item: T): unknown; readonly capacity: number }, items: readonly T[]): void {
  ring.clear();
  // A smaller retention than the checkpoint's keeps the newest records.
  for (const item of items.slice(-ring.capacity)) ring.push(item);
}

/** Replaces the whole state with a (validated) snapshot: restore from a checkpoint. */
export function restoreState(s: CollectorState, snap: CollectorSnapshot): void {
  const m = snap.metrics;
  Object.assign(s.totals, {
    total_connections: m.total_connections,
    total_disconnects: m.total_disconnects,
    total_connection_drops: m.total_connection_drops,
    connection_recovered: m.connection_recovered,
    messages_published: m.messages_published,
    messages_queued: m.messages_queued,
  });
  s.lastDropTimestamp = m.last_drop_timestamp;
  s.lastConnectTimestamp = m.last_successful_connect_timestamp;
  s.sessionStartMs = snap.session_start_ms;
  s.lastDropMs = snap.last_drop_ms;
  // Older checkpoints have no reconnect origin: the last drop was it.
  s.reconnectFromMs = snap.reconnect_from_ms === undefined ? snap.last_drop_ms : snap.reconnect_from_ms;
  s.sessions = SessionStats.from({ ...snap.sessions, min: snap.sessions.min ?? Number.POSITIVE_INFINITY });
  fill(s.dropsByErrorName, snap.aws_error_counts);
  fill(s.connectionsByEventType, snap.connections_by_event_type);
  fill(s.dropsByLabel, snap.drops_by_label);
  fill(s.failuresByLabel, snap.failures_by_label);
  fill(s.serverDisconnects, snap.server_disconnects);
  s.failureCount = snap.failure_count;
  s.attemptCount = snap.attempt_count;
  s.keepAliveSeconds = snap.keep_alive_seconds;
  s.probes = snap.probes;
  s.probeTimeouts = snap.probe_timeouts;
  s.lastProbeRtt = snap.last_probe_rtt;
  refill(s.drops, complete("connection_drop", snap.drops));
  refill(s.connections, complete("connection_success", snap.connections));
  refill(s.failures, complete("connection_failure", snap.failures));
  s.lifecycle.restore(snap.lifecycle, { drop: s.drops.last(), success: s.connections.last(), failure: s.failures.last() });
  s.version++;
}
