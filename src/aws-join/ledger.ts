import { parseLifecycleEvent, type DisconnectedEvent, type LifecycleEvent } from "./events.js";
import { DEFAULT_JOIN_WINDOW_MS, serverReasonOf, type ClientSideEvent, type LifecycleJoin } from "./join.js";
import type { ClientNode } from "./nodes.js";
import { outcomeOf, type EndOutcome } from "./outcome.js";
import { RecordNodes, type RecordKind } from "./record-nodes.js";
import { SeenEvents } from "./seen-events.js";
import { SessionJoin } from "./session-join.js";
import { RingBuffer } from "../ring-buffer.js";

/** MQTT 5 DISCONNECT reason code 0x8E, Session taken over. */
const SESSION_TAKEN_OVER = 0x8e;

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** A journal line as the ledger reads it (kind; a success's client_id, transport; a lifecycle line's AWS fields), not the collector's line model. */
export type LedgerLine = { readonly kind: string; readonly [field: string]: unknown };

const CLIENT_KINDS: Readonly<Record<string, ClientSideEvent["kind"]>> = {
  connection_drop: "drop",
  connection_failure: "failure",
  connection_success: "success",
  connection_stopped: "stop",
};

/** A lifecycle journal line's AWS event (the line's AWS fields, checked per event type), or null. */
function eventOfLine(line: LedgerLine): LifecycleEvent | null {
  const { ts: _ts, kind: _kind, connection: _connection, ...fields } = line;
  const parsed = parseLifecycleEvent(fields);
  return parsed.ok ? parsed.event : null;
}

/** The checkpoint's `lifecycle` (collector/snapshot-schema.ts checks it). */
export interface LifecycleSnapshot {
  client_id: string | null;
  transport: string;
  events_by_type: Record<string, number>;
  disconnect_reasons: Record<string, number>;
  foreign_sessions: number;
  events: object[];
}

/**
 * One connection's side of the lifecycle join: the incremental join (session-join.ts)
 * fed with every client-side line and every distinct AWS event as they come, the counts the
 * metrics read, and AWS's retained events for the checkpoint. Each record (drop, success,
 * failure) keeps its own join node, filed beside it while the collector retains it, so every
 * retained drop keeps its `server_reason`; nothing on the request path re-joins history. Live,
 * restore and replay feed it the same lines the same way.
 */
export class LifecycleLedger {
  private joiner: SessionJoin;
  /** Each retained record's node (filed beside the record, looked up only when asked). */
  private readonly nodes: RecordNodes;
  private readonly recent: RingBuffer<ClientNode>;
  private readonly server: RingBuffer<LifecycleEvent>;
  /** The retained events again, found by session (the duplicate check). */
  private readonly seen = new SeenEvents();
  private seq = 0;
  /** Distinct AWS events received, by `eventType`. */
  readonly eventsByType = new Map<string, number>();
  /** Distinct `disconnected` events, by AWS's `disconnectReason`. */
  readonly disconnectReasons = new Map<string, number>();
  /** Settled foreign sessions (another device's `connected` with our client ID). */
  foreignSessions = 0;
  /** The client ID of the newest success that named one. */
  clientId: string | null = null;
  /** The transport of the newest success (`mtls` when not recorded). */
  transport = "mtls";

  readonly windowMs: number;

  constructor(
    private readonly maxRetained: number,
    windowMs?: number,
  ) {
    this.windowMs = windowMs ?? DEFAULT_JOIN_WINDOW_MS;
    this.joiner = new SessionJoin(this.windowMs, maxRetained);
    this.recent = new RingBuffer(maxRetained);
    this.nodes = new RecordNodes(maxRetained);
    this.server = new RingBuffer(maxRetained);
  }

  /** Takes in any line (after the reducer); `record` is the record the reducer made of it. Returns true when it counted something. */
  observe(line: LedgerLine, at: number, record: object | undefined): boolean {
    if (line.kind === "lifecycle") {
      const event = eventOfLine(line);
      const added = event !== null && this.add(event, at);
      this.settle(at);
      return added;
    }
    const kind = CLIENT_KINDS[line.kind];
    if (kind === undefined) return false;
    if (line.kind === "connection_success") {
      if (typeof line.client_id === "string") this.clientId = line.client_id;
      this.transport = typeof line.transport === "string" ? line.transport : "mtls";
    }
    this.clientEvent(kind, at, record);
    return this.settle(at);
  }

  /** A client-side event (the record it made, if any, keeps its join). */
  clientEvent(kind: ClientSideEvent["kind"], at: number, record?: object): ClientNode {
    const node = this.joiner.client(++this.seq, at, kind);
    if (record !== undefined && kind !== "stop") this.nodes.add(kind, record, node);
    this.recent.push(node);
    return node;
  }

  /** Whether this message was seen before (AWS may deliver one twice). */
  has(event: LifecycleEvent): boolean {
    return this.seen.has(event);
  }

  /** An AWS event; a message seen before is ignored. Events of another client ID than ours are counted, not joined. */
  add(event: LifecycleEvent, arrivedAt?: number): boolean {
    if (this.seen.has(event)) return false;
    this.seen.add(event);
    const evicted = this.server.push(event);
    if (evicted !== undefined) this.seen.delete(evicted);
    increment(this.eventsByType, event.eventType);
    if (event.eventType === "disconnected") increment(this.disconnectReasons, event.disconnectReason);
    if (this.clientId === null || event.clientId === this.clientId) this.joiner.server(event, arrivedAt);
    return true;
  }

  /** Classifies what has waited its window by `now`; counts new foreign sessions; true when the count changed. */
  settle(now: number): boolean {
    const n = this.joiner.settle(now).length;
    this.foreignSessions += n;
    return n > 0;
  }

  /** The join as of `now`: read from the incremental state (`byClient` is built only when read). */
  join(now: number): LifecycleJoin {
    const joiner = this.joiner;
    const recent = this.recent;
    return {
      get byClient() {
        return new Map(recent.last().flatMap((n) => (n.joined === null ? [] : [[n.id, n.joined] as const])));
      },
      halfOpen: joiner.halfOpen(now),
      foreign: joiner.foreign.last(),
      foreignFailures: joiner.foreignFailures.last(),
      pending: joiner.pending(now),
    };
  }

  /** AWS's event joined to a record (a drop, failure or success). */
  eventFor(record: object): LifecycleEvent | undefined {
    // No AWS event since the last restore: nothing is joined, and no index is built to say so.
    return this.hasEvents ? (this.nodes.get(record)?.joined ?? undefined) : undefined;
  }

  /** AWS's reason for a drop or failed attempt, or null when no event joined it. */
  serverReason(record: object): string | null {
    return serverReasonOf(this.eventFor(record));
  }

  /** What AWS's end of the session this drop ended means (keep-alive expiry, self-takeover...), or null. */
  outcome(record: object): EndOutcome | null {
    const node = this.hasEvents ? this.nodes.get(record) : undefined;
    // A DISCONNECT "session taken over" that reached the client: its connection was alive, so the newcomer was not it.
    const takenOver = (record as { disconnect_reason_code?: number | null }).disconnect_reason_code === SESSION_TAKEN_OVER;
    return node === undefined ? null : outcomeOf(this.joiner, node, takenOver);
  }

  /** AWS's clock minus the client's (ms), from paired connects; null before any pair. */
  get clockOffsetMs(): number | null {
    return this.joiner.offset.ms;
  }

  /** How many paired connects the offset is estimated from. */
  get clockOffsetSamples(): number {
    return this.joiner.offset.count;
  }

  /** Recent `disconnected` events neither ours nor a known other device's session. */
  get unattributed(): readonly DisconnectedEvent[] {
    return this.joiner.unattributed.last();
  }

  /** The checkpoint's `lifecycle`: AWS's events and the counts (the client side is in the records). */
  snapshot(): LifecycleSnapshot {
    return {
      client_id: this.clientId,
      transport: this.transport,
      events_by_type: Object.fromEntries(this.eventsByType),
      disconnect_reasons: Object.fromEntries(this.disconnectReasons),
      foreign_sessions: this.foreignSessions,
      events: this.server.last(),
    };
  }

  /**
   * Restores from a checkpoint: the client side from the restored records (in time order), then
   * AWS's events (each checked again), joined as they were; the counts continue from the checkpoint.
   */
  restore(snap: LifecycleSnapshot | undefined, records: Readonly<Record<"drop" | "success" | "failure", readonly { timestamp: string }[]>>): void {
    this.joiner = new SessionJoin(this.windowMs, this.maxRetained);
    this.recent.clear();
    this.nodes.clear();
    this.server.clear();
    this.seen.clear();
    this.eventsByType.clear();
    this.disconnectReasons.clear();
    const client = (Object.entries(records) as [RecordKind, readonly { timestamp: string }[]][])
      .flatMap(([kind, list]) => list.map((r) => ({ kind, r, at: Date.parse(r.timestamp) })))
      .sort((a, b) => a.at - b.at);
    for (const { kind, r, at } of client) this.clientEvent(kind, at, r);
    if (snap === undefined) return;
    this.clientId = snap.client_id;
    this.transport = snap.transport;
    const events: LifecycleEvent[] = [];
    for (const raw of snap.events) {
      const parsed = parseLifecycleEvent(raw);
      if (parsed.ok && !this.seen.has(parsed.event)) {
        this.seen.add(parsed.event);
        const evicted = this.server.push(parsed.event);
        if (evicted !== undefined) this.seen.delete(evicted);
        events.push(parsed.event);
      }
    }
    for (const e of events.sort((a, b) => a.timestamp - b.timestamp)) if (this.clientId === null || e.clientId === this.clientId) this.joiner.server(e);
    // What was counted before the restart stays counted, and is not counted again.
    this.joiner.settle(Number.MAX_SAFE_INTEGER);
    for (const [k, v] of Object.entries(snap.events_by_type)) this.eventsByType.set(k, v);
    for (const [k, v] of Object.entries(snap.disconnect_reasons)) this.disconnectReasons.set(k, v);
    this.foreignSessions = snap.foreign_sessions;
  }

  /** Whether AWS has said anything about this connection. */
  get hasEvents(): boolean {
    return this.server.size > 0;
  }
}
