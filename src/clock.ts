/** The collector's only source of time: milliseconds since the Unix epoch. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that stands still until told otherwise: replay and unit tests drive it. */
export class ManualClock implements Clock {
  constructor(private t = 0) {}
  now(): number {
    return this.t;
  }
  set(ms: number): void {
    this.t = ms;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

let cachedSecond = NaN;
let cachedPrefix = "";
let cachedDayStart = NaN;
let cachedDayText = "";
const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
/** `000Z` to `999Z`, each made once when first needed. */
const MILLIS_Z: (string | undefined)[] = new Array<string | undefined>(1000);
const millisZ = (frac: number): string => (MILLIS_Z[frac] ??= `${frac < 10 ? "00" : frac < 100 ? "0" : ""}${frac}Z`);

/**
 * `new Date(ms).toISOString()`, reusing the formatted second, and the formatted day when the
 * second changes: events arrive in bursts within a second, and formatting a Date (~0.5 µs)
 * dominated the cost of recording one.
 */
export function isoTimestamp(at: number): string {
  // Whole milliseconds, as toISOString gives: a clock with sub-millisecond precision must not
  // produce `…00.000.5Z`, which no reader (our journal restore included) would accept.
  const ms = Math.floor(at);
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    const dayStart = Math.floor(second / 86_400) * 86_400;
    if (dayStart !== cachedDayStart) {
      cachedDayStart = dayStart;
      const day = new Date(dayStart * 1000).toISOString();
      cachedDayText = day.slice(0, day.indexOf("T") + 1);
    }
    const s = second - dayStart;
    cachedPrefix = `${cachedDayText}${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}.`;
  }
  // Two shared strings joined: one small object per timestamp (records keep thousands of them),
  // not a chain of joins and a number formatted each time.
  return cachedPrefix + millisZ(ms - second * 1000);
}

/** True for `toISOString()` output (`2026-03-01T12:00:00.000Z`), which needs no normalising. */
export function isCanonicalIso(ts: string): boolean {
  return ts.length === 24 && ts.charCodeAt(23) === 90 /* Z */ && ts.charCodeAt(19) === 46 /* . */ && ts.charCodeAt(10) === 84; /* T */
}

/** The digit `s[i]` stands for (0-9); any other character gives a number above 9. */
const digit = (s: string, i: number): number => (s.charCodeAt(i) - 48) >>> 0;

/** The start of the day last parsed (ms), by its `YYYYMMDD`: one object, so no module binding is reassigned per line. */
const dayCache = { key: -1, ms: NaN };

/**
 * `canonicalIsoMs` of the 24 characters of `s` from `from` (the journal reader's lines are
 * parsed where they lie in the file's text, without cutting them out first). Straight-line
 * code, each character read once: replay calls it once per line.
 */
export function canonicalIsoMsAt(s: string, from: number): number | undefined {
  // The separators first: `Z` present means all 24 characters are (charCodeAt past the end is NaN).
  if (
    s.charCodeAt(from + 23) !== 90 /* Z */ ||
    s.charCodeAt(from + 4) !== 45 /* - */ ||
    s.charCodeAt(from + 7) !== 45 ||
    s.charCodeAt(from + 10) !== 84 /* T */ ||
    s.charCodeAt(from + 13) !== 58 /* : */ ||
    s.charCodeAt(from + 16) !== 58 ||
    s.charCodeAt(from + 19) !== 46 /* . */
  ) {
    return undefined;
  }
  const y0 = digit(s, from),
    y1 = digit(s, from + 1),
    y2 = digit(s, from + 2),
    y3 = digit(s, from + 3);
  const mo0 = digit(s, from + 5),
    mo1 = digit(s, from + 6),
    d0 = digit(s, from + 8),
    d1 = digit(s, from + 9);
  const h0 = digit(s, from + 11),
    h1 = digit(s, from + 12),
    mi0 = digit(s, from + 14),
    mi1 = digit(s, from + 15);
  const s0 = digit(s, from + 17),
    s1 = digit(s, from + 18),
    ms0 = digit(s, from + 20),
    ms1 = digit(s, from + 21),
    ms2 = digit(s, from + 22);
  if (y0 > 9 || y1 > 9 || y2 > 9 || y3 > 9 || mo0 > 9 || mo1 > 9 || d0 > 9 || d1 > 9) return undefined;
  if (h0 > 9 || h1 > 9 || mi0 > 9 || mi1 > 9 || s0 > 9 || s1 > 9 || ms0 > 9 || ms1 > 9 || ms2 > 9) return undefined;
  const hours = h0 * 10 + h1;
  const minutes = mi0 * 10 + mi1;
  const seconds = s0 * 10 + s1;
  if (hours > 23 || minutes > 59 || seconds > 59) return undefined;
  const key = (y0 * 1000 + y1 * 100 + y2 * 10 + y3) * 10_000 + (mo0 * 10 + mo1) * 100 + d0 * 10 + d1;
  const day = dayCache;
  if (key !== day.key) {
    day.key = key;
    day.ms = Date.parse(`${s.slice(from, from + 10)}T00:00:00.000Z`);
  }
  return day.ms + hours * 3_600_000 + minutes * 60_000 + seconds * 1000 + ms0 * 100 + ms1 * 10 + ms2;
}

/**
 * `Date.parse(ts)` for a string of exactly the `toISOString()` form (`2026-03-01T12:00:00.000Z`,
 * years 0000-9999), else undefined. Replay parses one per journal line, and Date.parse was most
 * of a line's cost: here the date part is still Date.parse's (of `YYYY-MM-DDT00:00:00.000Z`, so
 * its calendar rules hold: month 1-12, day 1-31 rolling over), once per day rather than per line,
 * and the time of day is plain arithmetic. A time Date.parse treats specially (24:00:00.000) is
 * left to it. Equality with Date.parse is a property test (test/unit/clock-parse.test.ts).
 */
export function canonicalIsoMs(ts: string): number | undefined {
  return ts.length === 24 ? canonicalIsoMsAt(ts, 0) : undefined;
}

/** `Date.parse(ts)`, fast for the canonical form the collector writes. */
export function parseIsoMs(ts: string): number {
  return canonicalIsoMs(ts) ?? Date.parse(ts);
}
