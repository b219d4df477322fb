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
  const frac = ms - second * 1000;
  return `${cachedPrefix}${frac < 10 ? "00" : frac < 100 ? "0" : ""}${frac}Z`;
}

/** True for `toISOString()` output (`2026-03-01T12:00:00.000Z`), which needs no normalising. */
export function isCanonicalIso(ts: string): boolean {
  return ts.length === 24 && ts.charCodeAt(23) === 90 /* Z */ && ts.charCodeAt(19) === 46 /* . */ && ts.charCodeAt(10) === 84 /* T */;
}

/** The value of `n` decimal digits of `s` from `at`, or -1 if one of them is not a digit. */
function digitsAt(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

let cachedDay = -1;
let cachedDayMs = NaN;

/**
 * `canonicalIsoMs` of the 24 characters of `s` from `from` (the journal reader's lines are
 * parsed where they lie in the file's text, without cutting them out first).
 */
export function canonicalIsoMsAt(s: string, from: number): number | undefined {
  if (
    s.charCodeAt(from + 4) !== 45 /* - */ ||
    s.charCodeAt(from + 7) !== 45 ||
    s.charCodeAt(from + 10) !== 84 /* T */ ||
    s.charCodeAt(from + 13) !== 58 /* : */ ||
    s.charCodeAt(from + 16) !== 58 ||
    s.charCodeAt(from + 19) !== 46 /* . */ ||
    s.charCodeAt(from + 23) !== 90 /* Z */
  ) {
    return undefined;
  }
  const year = digitsAt(s, from, 4);
  const month = digitsAt(s, from + 5, 2);
  const day = digitsAt(s, from + 8, 2);
  const hours = digitsAt(s, from + 11, 2);
  const minutes = digitsAt(s, from + 14, 2);
  const seconds = digitsAt(s, from + 17, 2);
  const millis = digitsAt(s, from + 20, 3);
  if (year < 0 || month < 0 || day < 0 || millis < 0) return undefined;
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59) return undefined;
  const dayKey = year * 10_000 + month * 100 + day;
  if (dayKey !== cachedDay) {
    cachedDay = dayKey;
    cachedDayMs = Date.parse(`${s.slice(from, from + 10)}T00:00:00.000Z`);
  }
  return cachedDayMs + hours * 3_600_000 + minutes * 60_000 + seconds * 1000 + millis;
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
