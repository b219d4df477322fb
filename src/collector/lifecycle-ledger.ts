import { lifecycleKey, parseLifecycleEvent, type ConnectedEvent, type DisconnectedEvent, type LifecycleEvent } from "./aws-lifecycle.js";
import type { JournalEvent, LineOf } from "./event-model.js";
import { DEFAULT_JOIN_WINDOW_MS, foreignSessionNear, joinLifecycle, serverReasonOf, type ClientSideEvent, type LifecycleJoin } from "./lifecycle-join.js";
import { RingBuffer } from "./ring-buffer.js";

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

const CLIENT_KINDS: Partial<Record<JournalEvent["kind"], ClientSideEvent["kind"]>> = {
  connection_drop: "drop",
  connection_failure: "failure",
  connection_success: "success",
  connection_stopped: "stop",
};

/** A lifecycle journal line's AWS event (the line's AWS fields, checked per event type), or null. */
export function eventOfLine(line: LineOf<"lifecycle">): LifecycleEvent | null {
  const { ts: _ts, kind: _kind, connection: _connection, ...fields } = line;
  const parsed = parseLifecycleEvent(fields);
  return parsed.ok ? parsed.event : null;
}

/** The checkpoint's `lifecycle` (snapshot-schema.ts checks it). */
export interface LifecycleSnapshot {
  client_id: string | null;
  transport: string;
  events_by_type: Record<string, number>;
  disconnect_reasons: Record<string, number>;
  foreign_sessions: number;
  events: object[];
}

/**
 * One connection's side of the lifecycle join: the client-side events and AWS's events it has
 * seen (bounded like the collector's records), the counts the metrics read, and the join as of
 * a time. Live, restore and replay feed it the same lines in the same way, so `server_reason`
 * is derived identically everywhere. Records (drops, failures) are known by identity, so the
 * export can ask for a record's server reason.
 */
export class LifecycleLedger {
  private readonly client: RingBuffer<ClientSideEvent>;
  private readonly server: RingBuffer<LifecycleEvent>;
  private readonly seen = new Set<string>();
  private readonly ids = new WeakMap<object, number>();
  private seq = 0;
  private readonly settledForeign = new Set<string>();
  #cache: { at: number; version: number; join: LifecycleJoin } | null = null;
  private version = 0;
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

  constructor(maxRetained: number, windowMs?: number) {
    this.windowMs = windowMs ?? DEFAULT_JOIN_WINDOW_MS;
    this.client = new RingBuffer(maxRetained);
    this.server = new RingBuffer(maxRetained);
  }

  /** Takes in any line (after the reducer); `record` is the record the reducer made of it. Returns true when it counted something. */
  observe(line: JournalEvent, at: number, record: object | undefined): boolean {
    if (line.kind === "lifecycle") {
      const event = eventOfLine(line);
      return event === null ? false : this.add(event);
    }
    const kind = CLIENT_KINDS[line.kind];
    if (kind === undefined) return false;
    if (line.kind === "connection_success") {
      if (typeof line.client_id === "string") this.clientId = line.client_id;
      this.transport = typeof line.transport === "string" ? line.transport : "mtls";
    }
    const id = ++this.seq;
    if (record !== undefined) this.ids.set(record, id);
    this.client.push({ id, at, kind });
    this.version++;
    return false;
  }

  /** Whether this message was seen before (AWS may deliver one twice). */
  has(event: LifecycleEvent): boolean {
    return this.seen.has(lifecycleKey(event));
  }

  /** An AWS event; a message seen before is ignored. */
  add(event: LifecycleEvent): boolean {
    const key = lifecycleKey(event);
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    const evicted = this.server.push(event);
    if (evicted !== undefined) this.seen.delete(lifecycleKey(evicted));
    increment(this.eventsByType, event.eventType);
    if (event.eventType === "disconnected") increment(this.disconnectReasons, event.disconnectReason);
    this.version++;
    return true;
  }

  /** The join as of `now` (cached until something changes or the time moves). */
  join(now: number): LifecycleJoin {
    const c = this.#cache;
    if (c !== null && c.at === now && c.version === this.version) return c.join;
    const join = joinLifecycle(this.client.last(), this.server.last(), this.windowMs, now);
    this.#cache = { at: now, version: this.version, join };
    return join;
  }

  /** Counts foreign sessions settled by `now`; true when the count changed. */
  settle(now: number): boolean {
    let changed = false;
    for (const e of this.join(now).foreign) {
      const key = lifecycleKey(e);
      if (this.settledForeign.has(key)) continue;
      this.settledForeign.add(key);
      this.foreignSessions++;
      changed = true;
    }
    // Forget keys of events no longer retained (the set stays bounded).
    if (this.settledForeign.size > 2 * this.server.capacity) {
      const kept = new Set(this.server.last().map(lifecycleKey));
      for (const k of this.settledForeign) if (!kept.has(k)) this.settledForeign.delete(k);
    }
    return changed;
  }

  /** AWS's event joined to a record (a drop, failure or success), as of `now`. */
  eventFor(record: object, now: number): LifecycleEvent | undefined {
    const id = this.ids.get(record);
    return id === undefined ? undefined : this.join(now).byClient.get(id);
  }

  /** AWS's reason for a drop or failed attempt, or null when no event joined it. */
  serverReason(record: object, now: number): string | null {
    return serverReasonOf(this.eventFor(record, now));
  }

  /** The other device's session nearest a time (for DUPLICATE_CLIENTID evidence). */
  foreignNear(at: number, now: number): ConnectedEvent | null {
    return foreignSessionNear(this.join(now), at, this.windowMs);
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
   * Restores from a checkpoint: AWS's events (each checked again), the counts, and the client
   * side from the restored records, so they join as they did before the restart.
   */
  restore(snap: LifecycleSnapshot | undefined, records: Readonly<Record<"drop" | "success" | "failure", readonly { timestamp: string }[]>>): void {
    this.client.clear();
    this.server.clear();
    this.seen.clear();
    this.settledForeign.clear();
    this.eventsByType.clear();
    this.disconnectReasons.clear();
    for (const [kind, list] of Object.entries(records) as ["drop" | "success" | "failure", readonly { timestamp: string }[]][]) {
      for (const r of list) {
        const id = ++this.seq;
        this.ids.set(r, id);
        this.client.push({ id, at: Date.parse(r.timestamp), kind });
      }
    }
    const sorted = this.client.last().sort((a, b) => a.at - b.at);
    this.client.clear();
    for (const e of sorted) this.client.push(e);
    if (snap !== undefined) {
      this.clientId = snap.client_id;
      this.transport = snap.transport;
      for (const [k, v] of Object.entries(snap.events_by_type)) this.eventsByType.set(k, v);
      for (const [k, v] of Object.entries(snap.disconnect_reasons)) this.disconnectReasons.set(k, v);
      this.foreignSessions = snap.foreign_sessions;
      for (const raw of snap.events) {
        const parsed = parseLifecycleEvent(raw);
        if (!parsed.ok || this.seen.has(lifecycleKey(parsed.event))) continue;
        this.seen.add(lifecycleKey(parsed.event));
        this.server.push(parsed.event);
      }
      // What was counted before the restart stays counted.
      for (const e of this.join(Number.MAX_SAFE_INTEGER).foreign) this.settledForeign.add(lifecycleKey(e));
    }
    this.version++;
  }

  /** Whether AWS has said anything about this connection. */
  get hasEvents(): boolean {
    return this.server.size > 0;
  }

  halfOpen(now: number): readonly DisconnectedEvent[] {
    return this.join(now).halfOpen;
  }
}
