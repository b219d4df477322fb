import { LifecycleLedger } from "../aws-join/ledger.js";
import { RecordOwner, RecordRing } from "./record-ring.js";
import { SessionStats } from "./session-stats.js";
import type { ConnectionDropEvent, ConnectionEvent, ConnectionFailureEvent, MqttMetrics } from "./types.js";

/** The counters of the original module's metrics that are counted, not derived. */
export type Totals = Pick<
  MqttMetrics,
  "total_connections" | "total_disconnects" | "total_connection_drops" | "connection_recovered" | "messages_published" | "messages_queued"
>;

/** The SDK's `getOperationalStatistics()`, as last sampled (not journaled: a live gauge). */
export interface OperationalStatistics {
  incompleteOperationCount: number;
  incompleteOperationSize: number;
  unackedOperationCount: number;
  unackedOperationSize: number;
}

/**
 * Everything one connection's collector knows, each figure stored once: what can be derived
 * (longest/shortest/average session, the attempt distribution, uptime, the original module's
 * `connection_drops_by_error`, which equals `aws_error_counts`) is derived by the views.
 * Maps are keyed by input (error names, event types), so they are Maps: no key can hit a prototype.
 */
export interface CollectorState {
  /** What the rings' records carry: tells this collector's records from another's. */
  readonly owner: RecordOwner;
  /** The retained records, as columns (record-ring.ts); each read makes the records anew. */
  readonly drops: RecordRing<"connection_drop">;
  readonly connections: RecordRing<"connection_success">;
  readonly failures: RecordRing<"connection_failure">;
  sessions: SessionStats;
  readonly totals: Totals;
  lastDropTimestamp: string | null;
  lastConnectTimestamp: string | null;
  sessionStartMs: number | null;
  lastDropMs: number | null;
  /** The drop the next success measures its time to reconnect from; a stop clears it. */
  reconnectFromMs: number | null;
  /** Drops by aws-crt error name (drops with a name only): the original's `aws_error_counts`. */
  readonly dropsByErrorName: Map<string, number>;
  // Additions beyond the original module, for the instruments and the diagnosis.
  readonly dropsByLabel: Map<string, number>;
  readonly failuresByLabel: Map<string, number>;
  readonly serverDisconnects: Map<string, number>;
  readonly connectionsByEventType: Map<string, number>;
  failureCount: number;
  attemptCount: number;
  keepAliveSeconds: number | null;
  probes: number;
  probeTimeouts: number;
  lastProbeRtt: number | null;
  opStats: OperationalStatistics | null;
  /** Publishes the SDK refused (offline, by its queue policy) since this process started: not journaled. */
  publishRejections: number;
  /** Increases on every change: lets readers cache what they derive from the state. */
  version: number;
  /** AWS IoT Core's lifecycle events and their join with this connection's drops (issue 13). */
  readonly lifecycle: LifecycleLedger;
}

export function createState(maxEventsRetained: number, lifecycleJoinWindowMs?: number): CollectorState {
  // The rings' records carry their key; the ledger files each record's join node by it.
  const owner = new RecordOwner();
  return {
    owner,
    drops: new RecordRing("connection_drop", maxEventsRetained, owner),
    connections: new RecordRing("connection_success", maxEventsRetained, owner),
    failures: new RecordRing("connection_failure", maxEventsRetained, owner),
    sessions: new SessionStats(),
    totals: {
      total_connections: 0,
      total_disconnects: 0,
      total_connection_drops: 0,
      connection_recovered: 0,
      messages_published: 0,
      messages_queued: 0,
    },
    lastDropTimestamp: null,
    lastConnectTimestamp: null,
    sessionStartMs: null,
    lastDropMs: null,
    reconnectFromMs: null,
    dropsByErrorName: new Map(),
    dropsByLabel: new Map(),
    failuresByLabel: new Map(),
    serverDisconnects: new Map(),
    connectionsByEventType: new Map(),
    failureCount: 0,
    attemptCount: 0,
    keepAliveSeconds: null,
    probes: 0,
    probeTimeouts: 0,
    lastProbeRtt: null,
    opStats: null,
    publishRejections: 0,
    version: 0,
    lifecycle: new LifecycleLedger(maxEventsRetained, lifecycleJoinWindowMs),
  };
}

export function increment(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** The record a drop, success or failure line just made (its ring's newest, with the line's timestamp); undefined for other kinds. */
export function newestRecord(
  s: CollectorState,
  line: { kind: string; ts: string },
): ConnectionDropEvent | ConnectionEvent | ConnectionFailureEvent | undefined {
  switch (line.kind) {
    case "connection_drop":
      return s.drops.newest(line.ts);
    case "connection_success":
      return s.connections.newest(line.ts);
    case "connection_failure":
      return s.failures.newest(line.ts);
    default:
      return undefined;
  }
}
