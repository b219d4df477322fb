import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalIsoMs, canonicalIsoMsAt, parseIsoMs } from "../../src/clock.js";

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** Asserts the fast parser agrees with Date.parse: the same instant, or both NaN. */
function agrees(ts: string): void {
  const expected = Date.parse(ts);
  expect(Object.is(parseIsoMs(ts), expected), `parseIsoMs(${JSON.stringify(ts)})`).toBe(true);
  const fast = canonicalIsoMs(ts);
  // Undefined means "not the canonical form: ask Date.parse"; anything else must be its answer.
  if (fast !== undefined) expect(Object.is(fast, expected), `canonicalIsoMs(${JSON.stringify(ts)})`).toBe(true);
  // The same 24 characters inside a longer text (the reader parses them where they lie).
  const inText = canonicalIsoMsAt(`{"ts":"${ts}","kind":"publish"}`, 7);
  if (ts.length === 24) expect(Object.is(inText, fast), `canonicalIsoMsAt(…${ts}…)`).toBe(true);
}

describe("the fast ISO timestamp parser equals Date.parse", () => {
  it("for toISOString() of any instant from year 0000 to 9999, in any order (the day cache)", () => {
    const instant = fc.integer({ min: Date.parse("0000-01-01T00:00:00.000Z"), max: Date.parse("9999-12-31T23:59:59.999Z") });
    fc.assert(
      fc.property(fc.array(instant, { minLength: 1, maxLength: 30 }), (instants) => {
        for (const ms of instants) {
          const ts = new Date(ms).toISOString();
          expect(canonicalIsoMs(ts)).toBe(ms);
          agrees(ts);
          agrees(new Date(ms + 1).toISOString());
        }
      }),
      { numRuns: 500 },
    );
  });

  it("for canonical-looking strings with out-of-range fields (rolling days, hour 24, minute 60, month 13)", () => {
    const field = (max: number) => fc.integer({ min: 0, max });
    fc.assert(
      fc.property(field(9999), field(99), field(99), field(99), field(99), field(99), field(999), (y, mo, d, h, mi, s, ms) => {
        agrees(`${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(ms, 3)}Z`);
      }),
      { numRuns: 2000 },
    );
  });

  it("for any string of the canonical length over digits and ISO punctuation", () => {
    const char = fc.constantFrom(..."0123456789-:.TZtz+ /".split(""), "\u0661", "\uff10");
    fc.assert(
      fc.property(fc.array(char, { minLength: 24, maxLength: 24 }), (chars) => agrees(chars.join(""))),
      { numRuns: 2000 },
    );
  });

  it("for one character changed in a canonical timestamp", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.nat(23), fc.string({ minLength: 1, maxLength: 1 }), (ms, at, c) => {
        const ts = new Date(ms).toISOString();
        agrees(`${ts.slice(0, at)}${c}${ts.slice(at + 1)}`);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    "2026-03-01T12:00:00.000Z",
    "2026-02-29T00:00:00.000Z",
    "2024-02-29T23:59:59.999Z",
    "2026-02-30T00:00:00.000Z",
    "2026-04-31T12:00:00.000Z",
    "1900-02-29T00:00:00.000Z",
    "2000-02-29T00:00:00.000Z",
    "0000-01-01T00:00:00.000Z",
    "9999-12-31T23:59:59.999Z",
    "1970-01-01T00:00:00.000Z",
    "1969-12-31T23:59:59.999Z",
    "2026-03-01T24:00:00.000Z",
    "2026-03-01T24:00:00.001Z",
    "2026-03-01T23:60:00.000Z",
    "2026-03-01T23:59:60.000Z",
    "2026-00-01T00:00:00.000Z",
    "2026-13-01T00:00:00.000Z",
    "2026-01-00T00:00:00.000Z",
    "2026-01-32T00:00:00.000Z",
    "2026-03-01t12:00:00.000Z",
    "2026-03-01T12:00:00.000z",
    "2026-03-01 12:00:00.000Z",
    "2026-03-01T12:00:00,000Z",
    "2026-3-01T12:00:00.000ZZ",
    "+02026-03-01T12:00:00.000Z",
    "2026-03-01T12:00:00Z",
    "2026-03-01T12:00:00.0Z",
    "2026-03-01T12:00:00.000000Z",
    "2026-03-01T12:00:00.000+00:00",
    "2026-03-01T12:00:00.000+02:00",
    "2026-03-01T12:00:00.000",
    "2026-03-01",
    "",
    "not a timestamp at all!!",
  ])("%s", (ts) => agrees(ts));
});
