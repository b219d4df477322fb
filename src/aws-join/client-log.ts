import { RingBuffer } from "../ring-buffer.js";
import type { ClientKind, ClientNode } from "./nodes.js";
import type { RecordKey } from "./record-key.js";
import { RecordNodes, type RecordKind } from "./record-nodes.js";
import { SessionJoin } from "./session-join.js";

/** The join's client side, built: the incremental join, each retained record's node (filed beside the record, looked up only when asked), the newest nodes. */
export interface JoinState {
  readonly joiner: SessionJoin;
  readonly nodes: RecordNodes;
  readonly recent: RingBuffer<ClientNode>;
}

/**
 * One kind's newest `capacity` events, oldest first, in one array of doubles (no object per
 * event): each event's id and time, and for a success the id and time of the drop or stop that
 * ended its session (0: still open, or never ended); the key of the record each made beside them.
 */
class KindLog {
  private nums: number[] = [];
  private records: RecordKey[] = [];
  private start = 0;
  /** Where the newest event's numbers begin. */
  private newest = 0;
  size = 0;
  /** Numbers per event: 4 for successes (id, time, the end's id, its time), else 2. */
  private readonly stride: number;

  constructor(
    readonly kind: ClientKind,
    private readonly capacity: number,
  ) {
    this.stride = kind === "success" ? 4 : 2;
  }

  push(id: number, at: number, record: RecordKey | undefined): void {
    const nums = this.nums;
    if (this.size < this.capacity) {
      this.newest = nums.length;
      if (this.stride === 4) nums.push(id, at, 0, 0);
      else nums.push(id, at);
      if (record !== undefined) this.records.push(record);
      // Once full it never grows again: drop the spare slots a growing array keeps.
      if (++this.size === this.capacity) [this.nums, this.records] = [nums.slice(), this.records.slice()];
      return;
    }
    const i = (this.newest = this.start * this.stride);
    nums[i] = id;
    nums[i + 1] = at;
    if (this.stride === 4) nums[i + 2] = nums[i + 3] = 0;
    if (record !== undefined) this.records[this.start] = record;
    if (++this.start === this.capacity) this.start = 0;
  }

  /** Files the end of the newest success's session (a stop's id negative). */
  endNewest(endId: number, endAt: number): void {
    this.nums[this.newest + 2] = endId;
    this.nums[this.newest + 3] = endAt;
  }

  /** The `j`-th number of the `n`-th event from the oldest. */
  num(n: number, j: number): number {
    return this.nums[((this.start + n) % this.capacity) * this.stride + j] as number;
  }

  record(n: number): RecordKey | undefined {
    return this.records[(this.start + n) % this.capacity];
  }

  /** Whether the event of this id (of this kind) is still here: the log keeps its kind's newest. */
  holds(id: number): boolean {
    return this.size > 0 && id >= this.num(0, 0);
  }

  clear(): void {
    [this.nums, this.records, this.start, this.newest, this.size] = [[], [], 0, 0, 0];
  }
}

interface Entry {
  id: number;
  at: number;
  kind: ClientKind;
  record: RecordKey | undefined;
  /** A kept event (false: only its session's other end is kept; it is replayed for the link, then dropped by the bounds). */
  kept: boolean;
}

/**
 * The client's events while the join has received nothing from AWS (almost every connection):
 * per kind (success, drop, stop, failure) the newest `max_events_retained`, as the join's own
 * bounded structures keep them, and for each success the drop or stop that ended its session.
 * Until AWS's first event the join does nothing with a client event but file it, by count, so
 * the join built from this log (build) holds the same nodes, sessions, indexes and numbering as
 * one fed every event as it came, and answers the same. One difference no output can show: a
 * drop or stop whose session began with a success the log let go gets no session object (the
 * join writes a drop's or stop's session but never reads it). The log needs the events' times in
 * order (each >= the one before) and every drop, success and failure with its record: the
 * ledger builds the join at once otherwise.
 */
export class ClientLog {
  private readonly success: KindLog;
  private readonly drop: KindLog;
  private readonly stop: KindLog;
  private readonly failure: KindLog;
  /** The newest success began the session still open (no drop or stop since). */
  private open = false;
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly capacity: number) {
    this.success = new KindLog("success", capacity);
    this.drop = new KindLog("drop", capacity);
    this.stop = new KindLog("stop", capacity);
    this.failure = new KindLog("failure", capacity);
  }

  /** Whether the log can take this event and still rebuild the join exactly. */
  accepts(kind: ClientKind, at: number, record: RecordKey | undefined): boolean {
    return at >= this.lastAt && (record !== undefined || kind === "stop");
  }

  add(kind: ClientKind, id: number, at: number, record: RecordKey | undefined): void {
    this.lastAt = at;
    if (kind === "success") {
      this.success.push(id, at, record);
      this.open = true;
    } else if (kind === "failure") this.failure.push(id, at, record);
    else {
      if (kind === "drop") this.drop.push(id, at, record);
      else this.stop.push(id, at, undefined);
      if (this.open) {
        // The session the newest success began ends here.
        this.success.endNewest(kind === "drop" ? id : -id, at);
        this.open = false;
      }
    }
  }

  /**
   * The join as it would be had it taken every event as it came, and the kept events' nodes filed
   * as the ledger files them (the records' nodes, the newest events): the kept events are fed in
   * order, each with its session's other end even where its own kind has let that one go (fed so
   * the session links up; it falls out of the join's bounds as it did then). Empties the log.
   */
  build(windowMs: number): JoinState {
    const [joiner, nodes, recent] = [new SessionJoin(windowMs, this.capacity), new RecordNodes(this.capacity), new RingBuffer<ClientNode>(this.capacity)];
    const entries: Entry[] = [];
    for (const log of [this.success, this.drop, this.stop, this.failure]) {
      for (let n = 0; n < log.size; n++) {
        entries.push({ id: log.num(n, 0), at: log.num(n, 1), kind: log.kind, record: log.record(n), kept: true });
        const end = log === this.success ? log.num(n, 2) : 0;
        if (end === 0) continue;
        const [kind, id] = end > 0 ? (["drop", end] as const) : (["stop", -end] as const);
        if (!(kind === "drop" ? this.drop : this.stop).holds(id)) entries.push({ id, at: log.num(n, 3), kind, record: undefined, kept: false });
      }
    }
    entries.sort((a, b) => a.id - b.id);
    for (const e of entries) {
      const node = joiner.client(e.id, e.at, e.kind);
      if (!e.kept) continue;
      if (e.record !== undefined) nodes.add(e.kind as RecordKind, e.record, node);
      recent.push(node);
    }
    this.clear();
    return { joiner, nodes, recent };
  }

  clear(): void {
    for (const log of [this.success, this.drop, this.stop, this.failure]) log.clear();
    this.open = false;
    this.lastAt = Number.NEGATIVE_INFINITY;
  }
}
