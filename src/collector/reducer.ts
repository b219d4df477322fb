import { errorLabel } from "./error-info.js";
import type { JournalEvent } from "./event-model.js";
import { disconnectReasonName } from "./reason-codes.js";
import type { TimestampOrigin } from "./record-ring.js";
import { type CollectorState, increment } from "./state.js";
import type { ConnectionDropEvent, ConnectionEvent, ConnectionFailureEvent } from "./types.js";

/** A failure has no derived field. */
const NO_DERIVED = {};

/** What applying one event produced, beyond the state change. */
export interface Outcome {
  record?: ConnectionDropEvent | ConnectionEvent | ConnectionFailureEvent;
  /** Length of the session this event ended, in seconds (drops only). */
  sessionEndedSeconds?: number;
  /** Seconds since the drop the connection recovered from (successes only, when there was one). */
  timeToReconnectSeconds?: number;
}

/**
 * The state reducer: applies one (already normalised) event at `at` (ms, the event's time).
 * Pure but for the state it is given: no clock, no I/O, no listeners. O(1) per event.
 * `origin`: what the caller knows of `line.ts` and `at` (record-ring.ts).
 */
export function reduce(s: CollectorState, line: JournalEvent, at: number, origin: TimestampOrigin = "unknown"): Outcome {
  s.version++;
  switch (line.kind) {
    case "connection_drop": {
      // The documented fix: a session ends at its first drop. Later drops before the next
      // success are failed reconnects and carry no duration (the original measured them again).
      const duration = s.sessionStartMs === null ? null : (at - s.sessionStartMs) / 1000;
      const record = s.drops.add(line.ts, line, { duration_connected_seconds: duration }, at, origin);
      s.sessionStartMs = null;
      s.totals.total_connection_drops++;
      if (record.error_name) increment(s.dropsByErrorName, record.error_name);
      s.lastDropTimestamp = record.timestamp;
      s.lastDropMs = at;
      s.reconnectFromMs = at;
      if (duration !== null) s.sessions.add(duration);
      increment(s.dropsByLabel, errorLabel(record));
      if (record.disconnect_reason_code !== null) increment(s.serverDisconnects, disconnectReasonName(record.disconnect_reason_code));
      return duration === null ? { record } : { record, sessionEndedSeconds: duration };
    }
    case "connection_success": {
      const timeToReconnect = s.reconnectFromMs === null ? null : (at - s.reconnectFromMs) / 1000;
      const record = s.connections.add(line.ts, line, { time_to_reconnect_seconds: timeToReconnect }, at, origin);
      if (record.event_type === "connected") s.totals.total_connections++;
      else s.totals.connection_recovered++;
      s.sessionStartMs = at;
      s.lastConnectTimestamp = record.timestamp;
      if (record.keep_alive_seconds !== null) s.keepAliveSeconds = record.keep_alive_seconds;
      increment(s.connectionsByEventType, record.event_type);
      return timeToReconnect === null ? { record } : { record, timeToReconnectSeconds: timeToReconnect };
    }
    case "connection_failure": {
      const record = s.failures.add(line.ts, line, NO_DERIVED, at, origin);
      s.failureCount++;
      increment(s.failuresByLabel, errorLabel(record));
      return { record };
    }
    case "publish":
      if (line.queued) s.totals.messages_queued++;
      else s.totals.messages_published++;
      return {};
    case "connection_attempt":
      s.attemptCount++;
      return {};
    case "connection_stopped":
      // A clean end: no session, and the next success is a new connection, not a reconnect.
      s.sessionStartMs = null;
      s.reconnectFromMs = null;
      return {};
    case "lifecycle":
      // Joined with the drops by the lifecycle ledger (the recorder hands it every line).
      return {};
    case "probe":
      s.probes++;
      if (line.rtt_seconds === null) s.probeTimeouts++;
      else s.lastProbeRtt = line.rtt_seconds;
      return {};
  }
}
