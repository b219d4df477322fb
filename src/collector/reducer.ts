import { errorLabel } from "./error-info.js";
import type { JournalEvent } from "./event-model.js";
import { disconnectReasonName } from "./reason-codes.js";
import type { TimestampOrigin } from "./record-ring.js";
import { type CollectorState, increment } from "./state.js";

/** A failure has no derived field. */
const NO_DERIVED = {};

// The error label of an event's fields, as of its record (absent is null), without an object per event.
const errorFields = { error_name: null as string | null, error_message: null as string | null };
function labelOf(name: string | null | undefined, message: string | null | undefined): string {
  errorFields.error_name = name ?? null;
  errorFields.error_message = message ?? null;
  return errorLabel(errorFields);
}

/** What applying one event produced, beyond the state change. */
export interface Outcome {
  /** The key of the record the event made (drops, successes, failures): its ring's `newest` makes it. */
  key?: number;
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
      // The record is stored from the line; its fields here are the line's (absent: null), as in the record.
      const key = s.drops.add(line.ts, line, { duration_connected_seconds: duration }, at, origin);
      s.sessionStartMs = null;
      s.totals.total_connection_drops++;
      if (line.error_name) increment(s.dropsByErrorName, line.error_name);
      s.lastDropTimestamp = line.ts;
      s.lastDropMs = at;
      s.reconnectFromMs = at;
      if (duration !== null) s.sessions.add(duration);
      increment(s.dropsByLabel, labelOf(line.error_name, line.error_message));
      const code = line.disconnect_reason_code ?? null;
      if (code !== null) increment(s.serverDisconnects, disconnectReasonName(code));
      return duration === null ? { key } : { key, sessionEndedSeconds: duration };
    }
    case "connection_success": {
      const timeToReconnect = s.reconnectFromMs === null ? null : (at - s.reconnectFromMs) / 1000;
      const key = s.connections.add(line.ts, line, { time_to_reconnect_seconds: timeToReconnect }, at, origin);
      const type = (line.event_type as string | undefined) ?? null;
      if (type === "connected") s.totals.total_connections++;
      else s.totals.connection_recovered++;
      s.sessionStartMs = at;
      s.lastConnectTimestamp = line.ts;
      const keepAlive = line.keep_alive_seconds ?? null;
      if (keepAlive !== null) s.keepAliveSeconds = keepAlive;
      increment(s.connectionsByEventType, type as string);
      return timeToReconnect === null ? { key } : { key, timeToReconnectSeconds: timeToReconnect };
    }
    case "connection_failure": {
      const key = s.failures.add(line.ts, line, NO_DERIVED, at, origin);
      s.failureCount++;
      increment(s.failuresByLabel, labelOf(line.error_name, line.error_message));
      return { key };
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
