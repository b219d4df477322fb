import { canonicalIsoMs, isoTimestamp } from "../clock.js";
import type { RecordedKind, RecordOf } from "./event-model.js";
import { KeyedRecord } from "../aws-join/record-key.js";
import { codecOf, fromNum, type RecordCodec } from "./record-columns.js";

/** Each kind's place in a record's key (so the keys of a collector's three rings never meet). */
const KIND_INDEX: Readonly<Record<RecordedKind, number>> = { connection_drop: 0, connection_success: 1, connection_failure: 2 };
const KINDS = 3;

const DAY_MS = 86_400_000;
/** The date part `toISOString()` gives for the last day asked, and its day of the month: one object, so no module binding is reassigned per record. */
const dayCache = { day: NaN, text: "", date: 0 };

function dayOf(ms: number): typeof dayCache {
  const day = Math.floor(ms / DAY_MS);
  if (day !== dayCache.day) {
    const d = new Date(day * DAY_MS);
    [dayCache.day, dayCache.text, dayCache.date] = [day, d.toISOString().slice(0, 10), d.getUTCDate()];
  }
  return dayCache;
}

/**
 * `ms` when `ts` is exactly `new Date(ms).toISOString()`, else undefined. canonicalIsoMs checks
 * the form (24 characters, digits and separators) and the time of day (hours to 23, minutes and
 * seconds to 59); its date part is Date.parse's, which rolls an impossible day over (February 30
 * is March 2), so the day must also read back as written. A property test compares it with
 * toISOString.
 */
export function canonicalTimestampMs(ts: string): number | undefined {
  const ms = canonicalIsoMs(ts);
  return ms !== undefined && Number.isFinite(ms) && ts.startsWith(dayOf(ms).text) ? ms : undefined;
}

/**
 * What the caller knows of a record's timestamp and the time `at` it hands with it: `made`, the
 * timestamp is `isoTimestamp(at)` (the live path); `shaped`, it has toISOString's shape
 * (`YYYY-MM-DDTHH:MM:SS.sssZ`, the journal reader checked it) and `at` is its Date.parse;
 * `unknown`, anything else (a checkpoint's record: any form Date.parse reads).
 */
export type TimestampOrigin = "made" | "shaped" | "unknown";

/**
 * The time a ring keeps for a timestamp (read back as `isoTimestamp(ms)`), or undefined when the
 * string must be kept as it is. A shaped timestamp's time of day is as written whenever Date.parse
 * read it (it refuses minute or second 60; its 24:00:00.000 is the next day) and only its day may
 * have rolled over (February 30 is March 2), never onto the same day of the month. A property
 * test compares it with toISOString.
 */
export function keptTime(ts: string, at: number, origin: TimestampOrigin): number | undefined {
  if (origin === "made") return Math.floor(at);
  if (origin === "shaped") {
    if (!Number.isFinite(at)) return undefined;
    const day = dayOf(at);
    // A rolled-over day lands on the 1st to 3rd, a 24:00 on a midnight: any other time is as
    // written, and the string is not read (replay's are joined strings: reading one copies it).
    if (day.date > 3 && at !== day.day * DAY_MS) return at;
    return (ts.charCodeAt(8) - 48) * 10 + ts.charCodeAt(9) - 48 === day.date ? at : undefined;
  }
  return canonicalTimestampMs(ts);
}

/** A collector's records' owner (its three rings share one): what tells its records from another collector's, whose keys may be the same. */
export class RecordOwner {
  owns(record: object): boolean {
    return KeyedRecord.ownerOf(record) === this;
  }
}

/**
 * One kind's newest `capacity` records as columns: per record, its numbers (the time in ms,
 * then each number or boolean field; null as NaN) in one array of doubles and its string fields
 * in another (a timestamp that is not the canonical form of its time is kept aside, by slot),
 * so a retained record costs its values and no object, timestamp string or boxed number (Node
 * runs V8 without pointer compression: a record object took ~150 bytes). Reads make records
 * (same keys, order and values as the record pushed); each carries its key, invisibly: from the
 * kind's sequence number (records of this kind pushed since the ring was made, never reused:
 * a record read before a clear is not taken for one pushed after it) and the kind, so the keys
 * of a collector's three rings never meet; the lifecycle join files its nodes by it. Slots are taken as records arrive, not all up front (most connections
 * never fill their rings).
 */
export class RecordRing<K extends RecordedKind> {
  private nums: number[] = [];
  private strs: (string | null)[] = [];
  /** The timestamps that are not toISOString's form of their time (rare: a checkpoint's, a foreign journal's), by slot; their time is NaN. */
  private odd: Map<number, string> | null = null;
  /** The oldest record's slot, once full. */
  private start = 0;
  private count = 0;
  /** Records pushed since the ring was made (clear included). */
  private pushed = 0;
  private readonly codec: RecordCodec;
  private readonly kindIndex: number;

  constructor(
    kind: K,
    readonly capacity: number,
    private readonly owner: RecordOwner,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`ring buffer capacity must be a positive integer, got ${capacity}`);
    }
    this.codec = codecOf(kind);
    this.kindIndex = KIND_INDEX[kind];
  }

  get size(): number {
    return this.count;
  }

  /**
   * Retains a new record of this kind made of an event (line fields from `line`, derived ones
   * from `derived`, null when absent), without making the record object (`newest` does, when
   * asked); returns its key. `at` and `origin`: what the caller knows of the timestamp (the live
   * path and the journal reader spare the ring reading it again).
   */
  add(timestamp: string, line: object, derived: object, at = Number.NaN, origin: TimestampOrigin = "unknown"): number {
    return this.store(timestamp, line as Readonly<Record<string, unknown>>, derived as Readonly<Record<string, unknown>>, at, origin);
  }

  /** Retains a record (the oldest leaves once full); returns the key records read from it carry. */
  push(record: RecordOf<K>): number {
    const fields = record as unknown as Readonly<Record<string, unknown>>;
    return this.store(fields["timestamp"] as string, fields, fields, Number.NaN, "unknown");
  }

  /** The newest record, with `timestamp` as its timestamp when the caller has it (the string it was added with). */
  newest(timestamp?: string): RecordOf<K> | undefined {
    return this.count === 0 ? undefined : this.read(this.count - 1, timestamp);
  }

  private store(
    timestamp: string,
    line: Readonly<Record<string, unknown>>,
    derived: Readonly<Record<string, unknown>>,
    at: number,
    origin: TimestampOrigin,
  ): number {
    const { capacity, codec } = this;
    const { numStride, strStride } = codec.layout;
    const filling = this.count < capacity;
    const slot = filling ? this.count : this.start;
    const n = slot * numStride;
    const s = slot * strStride;
    const ms = keptTime(timestamp, at, origin);
    // In column order: while filling, each store appends (the arrays never have holes).
    this.nums[n] = ms ?? NaN;
    if (ms === undefined) (this.odd ??= new Map()).set(slot, timestamp);
    else this.odd?.delete(slot);
    codec.write(line, derived, this.nums, n, this.strs, s);
    if (filling) {
      // Once full it never grows again: drop the spare slots a growing array keeps.
      if (++this.count === capacity) [this.nums, this.strs] = [this.nums.slice(), this.strs.slice()];
    } else if (++this.start === capacity) this.start = 0;
    return this.keyOf(this.pushed++);
  }

  /** The newest `limit` records, oldest first (like Python's `list[-limit:]`), each a new object. */
  last(limit: number = this.count): RecordOf<K>[] {
    const n = Math.max(0, Math.min(limit, this.count));
    const out = new Array<RecordOf<K>>(n);
    for (let i = 0; i < n; i++) out[i] = this.read(this.count - n + i);
    return out;
  }

  /** One field of every record, oldest first, without making the records (a number or boolean field). */
  numbers(field: string): (number | boolean | null)[] {
    const { names, columns, numStride } = this.codec.layout;
    const c = columns[names.indexOf(field)];
    if (c === undefined || !c.numeric) throw new TypeError(`${field} is not a number field`);
    const out = new Array<number | boolean | null>(this.count);
    for (let i = 0; i < this.count; i++) {
      const v = this.nums[((this.start + i) % this.capacity) * numStride + c.column] as number;
      out[i] = fromNum(v, c.boolean);
    }
    return out;
  }

  /** The record `i` places from the oldest (0: the oldest), or undefined outside the ring. */
  at(i: number): RecordOf<K> | undefined {
    return Number.isInteger(i) && i >= 0 && i < this.count ? this.read(i) : undefined;
  }

  clear(): void {
    [this.nums, this.strs, this.odd, this.start, this.count] = [[], [], null, 0, 0];
  }

  private read(i: number, known?: string): RecordOf<K> {
    const slot = (this.start + i) % this.capacity;
    const { numStride, strStride } = this.codec.layout;
    const n = slot * numStride;
    const s = slot * strStride;
    const ms = this.nums[n] as number;
    // A NaN time: the timestamp was kept aside as it came.
    const timestamp = known ?? (Number.isNaN(ms) ? this.odd?.get(slot) : undefined) ?? isoTimestamp(ms);
    const key = this.keyOf(this.pushed - this.count + i);
    return this.codec.read(this.owner, key, timestamp, this.nums, n, this.strs, s) as unknown as RecordOf<K>;
  }

  private keyOf(sequence: number): number {
    return sequence * KINDS + this.kindIndex;
  }
}
