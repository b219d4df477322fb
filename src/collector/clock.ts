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

/**
 * `new Date(ms).toISOString()`, reusing the formatted second: events arrive in bursts within a
 * second, and formatting a Date dominated the cost of recording one.
 */
export function isoTimestamp(at: number): string {
  // Whole milliseconds, as toISOString gives: a clock with sub-millisecond precision must not
  // produce `…00.000.5Z`, which no reader (our journal restore included) would accept.
  const ms = Math.floor(at);
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 20);
  }
  const frac = ms - second * 1000;
  return `${cachedPrefix}${frac < 10 ? "00" : frac < 100 ? "0" : ""}${frac}Z`;
}

/** True for `toISOString()` output (`2026-03-01T12:00:00.000Z`), which needs no normalising. */
export function isCanonicalIso(ts: string): boolean {
  return ts.length === 24 && ts.charCodeAt(23) === 90 /* Z */ && ts.charCodeAt(19) === 46 /* . */ && ts.charCodeAt(10) === 84 /* T */;
}
