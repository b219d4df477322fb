import { parseLifecycleEvent, type LifecycleEvent } from "./events.js";
import type { ClientKind } from "./nodes.js";
import type { RecordKind } from "./record-nodes.js";

/** A journal line as the ledger reads it (kind; a success's client_id, transport; a lifecycle line's AWS fields), not the collector's line model. */
export type LedgerLine = { readonly kind: string; readonly [field: string]: unknown };

/** The checkpoint's `lifecycle` (collector/snapshot-schema.ts checks it). */
export interface LifecycleSnapshot {
  client_id: string | null;
  transport: string;
  events_by_type: Record<string, number>;
  disconnect_reasons: Record<string, number>;
  foreign_sessions: number;
  events: object[];
}

/** The records a restore hands the ledger, by kind. */
export type RestoredRecords = Readonly<Record<RecordKind, readonly { timestamp: string }[]>>;

/** The client-side event a journal line is (drop, failure, success, stop), or undefined. */
export function clientKindOf(line: LedgerLine): ClientKind | undefined {
  switch (line.kind) {
    case "connection_drop":
      return "drop";
    case "connection_failure":
      return "failure";
    case "connection_success":
      return "success";
    case "connection_stopped":
      return "stop";
    default:
      return undefined;
  }
}

/** A lifecycle journal line's AWS event (the line's AWS fields, checked per event type), or null. */
export function eventOfLine(line: LedgerLine): LifecycleEvent | null {
  const { ts: _ts, kind: _kind, connection: _connection, ...fields } = line;
  const parsed = parseLifecycleEvent(fields);
  return parsed.ok ? parsed.event : null;
}

/** The restored records as client events, in time order (a stable sort: at one time, drops, then successes, then failures). */
export function restoredClientEvents(records: RestoredRecords): { kind: RecordKind; record: object; at: number }[] {
  return (Object.entries(records) as [RecordKind, readonly { timestamp: string }[]][])
    .flatMap(([kind, list]) => list.map((record) => ({ kind, record, at: Date.parse(record.timestamp) })))
    .sort((a, b) => a.at - b.at);
}
