import { pendingEvent, type PendingEvent } from "./evidence.js";

export interface BacklogLimits {
  /** Events kept waiting at most (default 10,000). */
  maxEvents: number;
  /** Bytes of events kept waiting at most (default 8 MiB). */
  maxBytes: number;
}

export const DEFAULT_BACKLOG: BacklogLimits = { maxEvents: 10_000, maxBytes: 8 * 1024 * 1024 };

/**
 * The events not yet acknowledged, oldest first, numbered as they come. Bounded: past a limit the
 * oldest events not in flight are discarded and counted; a discarded event keeps its `seq` (the
 * consumer sees the gap, and `discarded_total` says why).
 */
export class Backlog {
  private events: PendingEvent[] = [];
  private head = 0;
  private bytes = 0;
  /** Events at the front that are in flight: never discarded. */
  private pinned = 0;
  discardedTotal: number;

  constructor(
    private nextSeq: number,
    discardedTotal: number,
    private readonly limits: BacklogLimits = DEFAULT_BACKLOG,
  ) {
    this.discardedTotal = discardedTotal;
  }

  get size(): number {
    return this.events.length - this.head;
  }

  get pendingBytes(): number {
    return this.bytes;
  }

  /** The seq the next event gets. */
  get next(): number {
    return this.nextSeq;
  }

  push(ts: string, rank: number, line: string): void {
    const e = pendingEvent(this.nextSeq++, ts, rank, line);
    this.events.push(e);
    this.bytes += e.bytes;
    while ((this.size > this.limits.maxEvents || this.bytes > this.limits.maxBytes) && this.size > this.pinned) this.discardAt(this.head + this.pinned);
  }

  /** The waiting events, oldest first (a view: do not keep it across pushes). */
  waiting(): readonly PendingEvent[] {
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
    return this.head === 0 ? this.events : this.events.slice(this.head);
  }

  /** The first `count` events are in flight (0: none). */
  pin(count: number): void {
    this.pinned = count;
  }

  /** The first `count` events were acknowledged: gone. Returns the last of them. */
  acknowledge(count: number): PendingEvent | undefined {
    let last: PendingEvent | undefined;
    for (let i = 0; i < count; i++) {
      const e = this.events[this.head];
      if (e === undefined) break;
      last = e;
      this.bytes -= e.bytes;
      this.head++;
    }
    this.pinned = 0;
    return last;
  }

  /** Drops the front event (one too big to ship alone), counted as discarded. */
  discardFirst(): void {
    if (this.size > 0) this.discardAt(this.head);
  }

  private discardAt(index: number): void {
    // The front costs nothing; behind an in-flight batch, a splice.
    const e = index === this.head ? this.events[this.head++] : this.events.splice(index, 1)[0];
    if (e === undefined) return;
    this.bytes -= e.bytes;
    this.discardedTotal++;
  }
}
