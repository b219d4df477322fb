import type { RingBuffer } from "../ring-buffer.js";
import type { ClientKind, ClientNode } from "./nodes.js";
import type { RecordKind, RecordNodes } from "./record-nodes.js";
import type { SessionJoin } from "./session-join.js";

/** Numbers per event: its id and time, and the id and time of its session's other end (0: none). */
const STRIDE = 4;

/**
 * One kind's newest `capacity` events, oldest first: four numbers each in one array of doubles
 * (no object per event), and the record each made beside them.
 */
class KindLog {
  private nums: number[] = [];
  private records: object[] = [];
  private start = 0;
  size = 0;

  constructor(
    readonly kind: ClientKind,
    private readonly capacity: number,
  ) {}

  push(id: number, at: number, record: object | undefined): void {
    if (this.size < this.capacity) {
      this.nums.push(id, at, 0, 0);
      if (record !== undefined) this.records.push(record);
      // Once full it never grows again: drop the spare slots a growing array keeps.
      if (++this.size === this.capacity) [this.nums, this.records] = [this.nums.slice(), this.records.slice()];
      return;
    }
    const i = this.start * STRIDE;
    const nums = this.nums;
    nums[i] = id;
    nums[i + 1] = at;
    nums[i + 2] = 0;
    nums[i + 3] = 0;
    if (record !== undefined) this.records[this.start] = record;
    this.start = (this.start + 1) % this.capacity;
  }

  /** Links the newest event to its session's other end. */
  linkNewest(partnerId: number, partnerAt: number): void {
    const i = ((this.start + this.size - 1) % this.capacity) * STRIDE;
    this.nums[i + 2] = partnerId;
    this.nums[i + 3] = partnerAt;
  }

  /** The `j`-th number of the `n`-th event from the oldest. */
  num(n: number, j: number): number {
    return this.nums[((this.start + n) % this.capacity) * STRIDE + j] as number;
  }

  record(n: number): object | undefined {
    return this.records[(this.start + n) % this.capacity];
  }

  get newestId(): number {
    return this.num(this.size - 1, 0);
  }

  get newestAt(): number {
    return this.num(this.size - 1, 1);
  }

  /** Whether the event of this id (of this kind) is still here: the log keeps its kind's newest. */
  holds(id: number): boolean {
    return this.size > 0 && id >= this.num(0, 0);
  }

  clear(): void {
    [this.nums, this.records, this.start, this.size] = [[], [], 0, 0];
  }
}

interface Entry {
  id: number;
  at: number;
  kind: ClientKind;
  record: object | undefined;
  /** A kept event (false: only its session's other end is kept; it is replayed for the link, then dropped by the bounds). */
  kept: boolean;
}

/**
 * The client's events while the join has received nothing from AWS (almost every connection):
 * per kind (success, drop, stop, failure) the newest `max_events_retained`, as the join's own
 * bounded structures keep them, each with the session it began or ended. Until AWS's first event
 * the join does nothing with a client event but file it, and files are bounded by count, so the
 * join built from this log (replayInto) holds the same nodes, sessions and indexes as one fed
 * every event as it came. It needs the events' times in order (each time >= the one before) and
 * every drop, success and failure with its record; the ledger builds the join at once otherwise.
 */
export class ClientLog {
  private readonly success: KindLog;
  private readonly drop: KindLog;
  private readonly stop: KindLog;
  private readonly failure: KindLog;
  /** The newest success began the session still open (no drop or stop since). */
  private open = false;
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(capacity: number) {
    this.success = new KindLog("success", capacity);
    this.drop = new KindLog("drop", capacity);
    this.stop = new KindLog("stop", capacity);
    this.failure = new KindLog("failure", capacity);
  }

  /** Whether the log can take this event and still rebuild the join exactly. */
  accepts(kind: ClientKind, at: number, record: object | undefined): boolean {
    return at >= this.lastAt && (record !== undefined || kind === "stop");
  }

  add(kind: ClientKind, id: number, at: number, record: object | undefined): void {
    this.lastAt = at;
    if (kind === "success") {
      this.success.push(id, at, record);
      this.open = true;
    } else if (kind === "failure") this.failure.push(id, at, record);
    else {
      const log = kind === "drop" ? this.drop : this.stop;
      log.push(id, at, kind === "drop" ? record : undefined);
      if (this.open) {
        // The session the newest success began ends here; a stop's id is kept negative.
        log.linkNewest(this.success.newestId, this.success.newestAt);
        this.success.linkNewest(kind === "drop" ? id : -id, at);
        this.open = false;
      }
    }
  }

  /**
   * Feeds the join what it would hold had it taken every event as it came, and files the kept
   * events' nodes as the ledger does (the records' nodes, the newest events): the kept events in
   * order, each with its session's other end even where its own kind has let that one go (it is
   * replayed so the session links up, and falls out of the join's bounds as it did then). Empties the log.
   */
  replayInto(joiner: SessionJoin, nodes: RecordNodes, recent: RingBuffer<ClientNode>): void {
    const entries: Entry[] = [];
    for (const log of [this.success, this.drop, this.stop, this.failure]) {
      for (let n = 0; n < log.size; n++) {
        entries.push({ id: log.num(n, 0), at: log.num(n, 1), kind: log.kind, record: log.record(n), kept: true });
        const partner = log.num(n, 2);
        if (partner === 0) continue;
        const kind: ClientKind = log.kind !== "success" ? "success" : partner > 0 ? "drop" : "stop";
        const id = Math.abs(partner);
        if (!this.logOf(kind).holds(id)) entries.push({ id, at: log.num(n, 3), kind, record: undefined, kept: false });
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
  }

  clear(): void {
    for (const log of [this.success, this.drop, this.stop, this.failure]) log.clear();
    this.open = false;
    this.lastAt = Number.NEGATIVE_INFINITY;
  }

  private logOf(kind: ClientKind): KindLog {
    return kind === "success" ? this.success : kind === "drop" ? this.drop : kind === "stop" ? this.stop : this.failure;
  }
}
