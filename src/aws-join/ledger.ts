import { parseLifecycleEvent, type DisconnectedEvent, type LifecycleEvent } from "./events.js";
import { DEFAULT_JOIN_WINDOW_MS, serverReasonOf, type ClientSideEvent, type LifecycleJoin } from "./join.js";
import { clientKindOf, eventOfLine, restoredClientEvents, type LedgerLine, type LifecycleSnapshot, type RestoredRecords } from "./ledger-input.js";
import { outcomeOf, type EndOutcome } from "./outcome.js";
import { SeenEvents } from "./seen-events.js";
import type { SessionJoin } from "./session-join.js";
import { RingBuffer } from "../ring-buffer.js";
import { ClientLog, type JoinState } from "./client-log.js";
import { type RecordKey, recordKeyOf } from "./record-key.js";

export type { LedgerLine, LifecycleSnapshot } from "./ledger-input.js";

/** MQTT 5 DISCONNECT reason code 0x8E, Session taken over. */
const SESSION_TAKEN_OVER = 0x8e;

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

export interface LedgerOptions {
  /** Build the join's client side from the first client event instead of AWS's first event (the outputs are the same; tests compare the two). */
  eager?: boolean;
}

/**
 * One connection's side of the lifecycle join: the incremental join (session-join.ts)
 * fed with every client-side line and every distinct AWS event as they come, the counts the
 * metrics read, and AWS's retained events for the checkpoint. Each record (drop, success,
 * failure) keeps its own join node, filed beside it while the collector retains it, so every
 * retained drop keeps its `server_reason`; nothing on the request path re-joins history. Live,
 * restore and replay feed it the same lines the same way.
 *
 * The join is built at AWS's first event for our client ID: until then a client event is filed
 * in a compact log (client-log.ts) the join is rebuilt from exactly as if it had taken each
 * event as it came. Most connections never receive one.
 */
export class LifecycleLedger {
  /** The join, once AWS has sent an event for our client ID; null before (the client's events wait in `log`). */
  private built: JoinState | null = null;
  private readonly log: ClientLog;
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
    maxRetained: number,
    windowMs?: number,
    private readonly options: LedgerOptions = {},
  ) {
    this.windowMs = windowMs ?? DEFAULT_JOIN_WINDOW_MS;
    this.log = new ClientLog(maxRetained);
    this.server = new RingBuffer(maxRetained);
    this.resetJoin();
  }

  /** Takes in any line (after the reducer); `record` is the record the reducer made of it, or its key. Returns true when it counted something. */
  observe(line: LedgerLine, at: number, record: RecordKey | undefined): boolean {
    if (line.kind === "lifecycle") {
      const event = eventOfLine(line);
      const added = event !== null && this.add(event, at);
      this.settle(at);
      return added;
    }
    const kind = clientKindOf(line);
    if (kind === undefined) return false;
    if (line.kind === "connection_success") {
      if (typeof line.client_id === "string") this.clientId = line.client_id;
      this.transport = typeof line.transport === "string" ? line.transport : "mtls";
    }
    this.clientEvent(kind, at, record);
    return this.settle(at);
  }

  /** A client-side event (the record it made, if any, keeps its join). */
  clientEvent(kind: ClientSideEvent["kind"], at: number, record?: RecordKey): void {
    const id = ++this.seq;
    const key = record === undefined ? undefined : recordKeyOf(record);
    const built = this.built ?? (this.log.accepts(kind, at, key) ? null : this.build());
    if (built === null) return this.log.add(kind, id, at, key);
    const node = built.joiner.client(id, at, kind);
    if (key !== undefined && kind !== "stop") built.nodes.add(kind, key, node);
    built.recent.push(node);
  }

  /** Builds the join's client side from the log (as if it had taken every client event as it came). */
  private build(): JoinState {
    return (this.built = this.log.build(this.windowMs));
  }

  /** The join, built now if it was not. */
  private get joiner(): SessionJoin {
    return (this.built ?? this.build()).joiner;
  }

  /** Whether this message was seen before (AWS may deliver one twice). */
  has(event: LifecycleEvent): boolean {
    return this.seen.has(event);
  }

  /** An AWS event; a message seen before is ignored. Events of another client ID than ours are counted, not joined. */
  add(event: LifecycleEvent, arrivedAt?: number): boolean {
    if (this.seen.has(event)) return false;
    this.file(event);
    increment(this.eventsByType, event.eventType);
    if (event.eventType === "disconnected") increment(this.disconnectReasons, event.disconnectReason);
    if (this.clientId === null || event.clientId === this.clientId) this.joiner.server(event, arrivedAt);
    return true;
  }

  // Retains a distinct event (the oldest leaves past max_events_retained).
  private file(event: LifecycleEvent): LifecycleEvent {
    this.seen.add(event);
    const evicted = this.server.push(event);
    if (evicted !== undefined) this.seen.delete(evicted);
    return event;
  }

  /** Classifies what has waited its window by `now`; counts new foreign sessions; true when the count changed. */
  settle(now: number): boolean {
    // Before AWS's first event nothing waits to be classified.
    const n = this.built === null ? 0 : this.built.joiner.settle(now).length;
    this.foreignSessions += n;
    return n > 0;
  }

  /** The join as of `now`: read from the incremental state (`byClient` is built only when read). */
  join(now: number): LifecycleJoin {
    // Before AWS's first event for our client ID: nothing joined, nothing pending.
    if (this.built === null) return { byClient: new Map(), halfOpen: [], foreign: [], foreignFailures: [], pending: [] };
    const { joiner, recent } = this.built;
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
    return this.hasEvents && this.built !== null ? (this.built.nodes.get(recordKeyOf(record))?.joined ?? undefined) : undefined;
  }

  /** AWS's reason for a drop or failed attempt, or null when no event joined it. */
  serverReason(record: object): string | null {
    return serverReasonOf(this.eventFor(record));
  }

  /** What AWS's end of the session this drop ended means (keep-alive expiry, self-takeover...), or null. */
  outcome(record: object): EndOutcome | null {
    const built = this.hasEvents ? this.built : null;
    const node = built === null ? undefined : built.nodes.get(recordKeyOf(record));
    // A DISCONNECT "session taken over" that reached the client: its connection was alive, so the newcomer was not it.
    const takenOver = (record as { disconnect_reason_code?: number | null }).disconnect_reason_code === SESSION_TAKEN_OVER;
    return built === null || node === undefined ? null : outcomeOf(built.joiner, node, takenOver);
  }

  /** AWS's clock minus the client's (ms), from paired connects; null before any pair. */
  get clockOffsetMs(): number | null {
    return this.built === null ? null : this.built.joiner.offset.ms;
  }

  /** How many paired connects the offset is estimated from. */
  get clockOffsetSamples(): number {
    return this.built === null ? 0 : this.built.joiner.offset.count;
  }

  /** Recent `disconnected` events neither ours nor a known other device's session. */
  get unattributed(): readonly DisconnectedEvent[] {
    return this.built === null ? [] : this.built.joiner.unattributed.last();
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
  restore(snap: LifecycleSnapshot | undefined, records: RestoredRecords): void {
    this.resetJoin();
    this.server.clear();
    this.seen.clear();
    this.eventsByType.clear();
    this.disconnectReasons.clear();
    for (const { kind, record, at } of restoredClientEvents(records)) this.clientEvent(kind, at, record);
    if (snap === undefined) return;
    this.clientId = snap.client_id;
    this.transport = snap.transport;
    const events: LifecycleEvent[] = [];
    for (const raw of snap.events) {
      const parsed = parseLifecycleEvent(raw);
      if (parsed.ok && !this.seen.has(parsed.event)) events.push(this.file(parsed.event));
    }
    for (const e of events.sort((a, b) => a.timestamp - b.timestamp)) if (this.clientId === null || e.clientId === this.clientId) this.joiner.server(e);
    // What was counted before the restart stays counted, and is not counted again.
    this.built?.joiner.settle(Number.MAX_SAFE_INTEGER);
    for (const [k, v] of Object.entries(snap.events_by_type)) this.eventsByType.set(k, v);
    for (const [k, v] of Object.entries(snap.disconnect_reasons)) this.disconnectReasons.set(k, v);
    this.foreignSessions = snap.foreign_sessions;
  }

  // A fresh join: no client side until AWS's first event (or at once, eager).
  private resetJoin(): void {
    this.built = null;
    this.log.clear();
    if (this.options.eager === true) this.build();
  }

  /** Whether the join's client side is built (AWS sent an event for our client ID, a client event came out of time order, or eager). */
  get joinBuilt(): boolean {
    return this.built !== null;
  }

  /** Whether AWS has said anything about this connection. */
  get hasEvents(): boolean {
    return this.server.size > 0;
  }
}
