import { canonicalIsoMsAt } from "../clock.js";
import type { JournalEvent } from "../collector/event-model.js";
import { inShape } from "../collector/normalize.js";
import type { JournalEntry } from "./events.js";

/** `{"ts":"` then 24 characters of `toISOString()`, `",`: how the journal writer starts a line. */
const TS_START = 7;
const TS_END = TS_START + 24;
const REST_START = TS_END + 2;
/** Distinct line ends remembered; a journal whose lines are all different just stops adding. */
const MAX_REMEMBERED = 1024;

/**
 * A line end seen before, and the event it gave; `next` chains those of the same hash, and
 * `follower` is the line end that came after this one last time.
 */
interface Known {
  readonly rest: string;
  readonly event: Readonly<Record<string, unknown>>;
  /** The event's fields need no repair (checked once: every repeat has the same fields). */
  readonly inShape: boolean;
  next: Known | undefined;
  follower: Known | undefined;
}

/**
 * The line's `ts` (24 characters from `from`) as a string that keeps no reference to the text it
 * was cut from: a V8 slice of 13 characters or more points into its parent, and a record's
 * timestamp must not keep a 64 KiB piece of the file in memory. Two halves of 12 are copied
 * (shorter slices always are) and joined: three times cheaper than copying the whole slice.
 */
function detachedTs(text: string, from: number): string {
  return text.slice(from, from + 12) + text.slice(from + 12, from + 24);
}

/** A copy of `s` that keeps no reference to the string it was cut from (see detachedTs). */
function detached(s: string): string {
  return ` ${s}`.slice(1);
}

function hashOf(s: string, from: number, to: number): number {
  let h = to - from;
  for (let i = from; i < to; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

const LINE_START = '{"ts":"';
const NEWLINE = 0x0a;

/** True when `s[from, to)` starts as the writer's lines do: `{"ts":"`, 24 characters, `",`. */
function writerForm(s: string, from: number, to: number): boolean {
  if (to - from <= REST_START || s.charCodeAt(from + TS_END) !== 34 /* " */ || s.charCodeAt(from + TS_END + 1) !== 44 /* , */) return false;
  for (let i = 0; i < TS_START; i++) if (s.charCodeAt(from + i) !== LINE_START.charCodeAt(i)) return false;
  return true;
}

/**
 * Journal lines repeat but for their `ts`: a reconnect storm writes the same refused-socket drop
 * thousands of times. A line whose text after `ts` was seen before (and understood) is the same
 * event at another time, so it is built from the remembered event instead of parsed and checked
 * again: JSON.parse was most of what reading a line cost. Only lines in the writer's form are
 * remembered, and only when their rest cannot hold a second `ts` key (JSON.parse keeps the last
 * of two), so the event is always the one JSON.parse and the checks would have given. Lines also
 * repeat in the same order (a publish follows a publish, attempt 3 follows attempt 2), so the
 * line end that followed the previous one last time is tried first, with no hashing.
 */
export class RepeatedLines {
  private readonly known = new Map<number, Known>();
  private size = 0;
  /** The previous line's, when it was a known one. */
  private previous: Known | undefined;

  /** `lines` counts the lines this finds. */
  constructor(private readonly stats: { lines: number }) {}

  /**
   * The entry of the line `text[from, to)` if its rest was remembered (then the line is non-blank
   * and needs no trimming), else undefined: parse it.
   */
  lookup(text: string, from: number, to: number): JournalEntry | undefined {
    if (this.size === 0 || !writerForm(text, from, to)) return undefined;
    const restFrom = from + REST_START;
    const predicted = this.previous?.follower;
    let known = predicted;
    if (known === undefined || known.rest.length !== to - restFrom || text.slice(restFrom, to) !== known.rest) {
      known = this.known.get(hashOf(text, restFrom, to));
      while (known !== undefined && (known.rest.length !== to - restFrom || text.slice(restFrom, to) !== known.rest)) known = known.next;
      if (this.previous !== undefined && known !== undefined) this.previous.follower = known;
    }
    this.previous = known;
    return known === undefined ? undefined : this.entry(known, text, from);
  }

  /** Where the line `lookupNext` found ends (its newline, or the end of the text). */
  end = 0;

  /**
   * The entry of the line at `from` when it is the line end that followed the previous line last
   * time (most lines), found without searching for the line's end: its length is known, so only
   * the character after it is checked. Undefined otherwise, with nothing changed: find the
   * line's end and `lookup` it.
   */
  lookupNext(text: string, from: number): JournalEntry | undefined {
    const known = this.previous?.follower;
    if (known === undefined) return undefined;
    const to = from + REST_START + known.rest.length;
    if (to > text.length || (to < text.length && text.charCodeAt(to) !== NEWLINE)) return undefined;
    if (!writerForm(text, from, to) || text.slice(from + REST_START, to) !== known.rest) return undefined;
    const entry = this.entry(known, text, from);
    if (entry === undefined) return undefined;
    this.previous = known;
    this.end = to;
    return entry;
  }

  // The remembered event at this line's time (undefined when its `ts` is not a valid instant).
  private entry(known: Known, text: string, from: number): JournalEntry | undefined {
    const at = canonicalIsoMsAt(text, from + TS_START);
    if (at === undefined || Number.isNaN(at)) return undefined;
    const event = { ...known.event };
    event["ts"] = detachedTs(text, from + TS_START);
    this.stats.lines++;
    return { type: "event", event: event as unknown as JournalEvent, at, inShape: known.inShape };
  }

  /** Remembers a (trimmed) line that parsed and checked as `event`, before anyone can change it. */
  remember(line: string, event: JournalEvent): void {
    if (this.size >= MAX_REMEMBERED || !writerForm(line, 0, line.length)) return;
    const rest = line.slice(REST_START);
    if (rest.includes('"ts"') || rest.includes("\\u") || event.ts !== line.slice(TS_START, TS_END)) return;
    const hash = hashOf(line, REST_START, line.length);
    const first = this.known.get(hash);
    for (let k = first; k !== undefined; k = k.next) {
      if (k.rest === rest) {
        this.previous = k;
        return;
      }
    }
    const known: Known = { rest: detached(rest), event: { ...event }, inShape: inShape(event), next: first, follower: undefined };
    this.known.set(hash, known);
    this.size++;
    this.previous = known;
  }
}
