import { isoTimestamp } from "./clock.js";
import type { LifecycleLedger } from "./lifecycle-ledger.js";

/** A record as exported, with AWS's reason for it: null when no lifecycle event joined it. */
export type WithServerReason<R> = R & { server_reason: string | null };

/** Records with `server_reason` appended (the original's keys first, untouched). */
export function withServerReason<R extends object>(records: readonly R[], ledger: LifecycleLedger, nowMs: number): WithServerReason<R>[] {
  return records.map((r) => ({ ...r, server_reason: ledger.serverReason(r, nowMs) }));
}

/** Another device's session with our client ID, as AWS reported it. */
export interface ForeignSession {
  timestamp: string;
  ip_address: string;
  session_identifier: string;
  principal_identifier: string;
}

/** The export document's `lifecycle` section (issue 13). */
export interface LifecycleSection {
  client_id: string | null;
  transport: string;
  events_by_type: Record<string, number>;
  disconnect_reasons: Record<string, number>;
  foreign_sessions: { total: number; recent: ForeignSession[] };
  /** AWS closed the session; the client had not noticed a window later. */
  half_open: { timestamp: string; disconnect_reason: string; session_identifier: string }[];
}

export function lifecycleSection(ledger: LifecycleLedger, nowMs: number, limit: number): LifecycleSection {
  const join = ledger.join(nowMs);
  return {
    client_id: ledger.clientId,
    transport: ledger.transport,
    events_by_type: Object.fromEntries(ledger.eventsByType),
    disconnect_reasons: Object.fromEntries(ledger.disconnectReasons),
    foreign_sessions: {
      total: ledger.foreignSessions,
      recent: join.foreign.slice(-limit).map((e) => ({
        timestamp: isoTimestamp(e.timestamp),
        ip_address: e.ipAddress,
        session_identifier: e.sessionIdentifier,
        principal_identifier: e.principalIdentifier,
      })),
    },
    half_open: join.halfOpen.slice(-limit).map((e) => ({ timestamp: isoTimestamp(e.timestamp), disconnect_reason: e.disconnectReason, session_identifier: e.sessionIdentifier })),
  };
}
