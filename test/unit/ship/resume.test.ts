import { describe, expect, it } from "vitest";
import { afterCursor, JournalTail, RankCounter, shippable } from "../../../src/ship/resume.js";
import { EMPTY_SHIP_STATE } from "../../../src/ship/ship-state.js";

const A = "2026-03-01T00:00:00.000Z";
const B = "2026-03-01T00:00:00.001Z";

describe("the resume cursor", () => {
  it("ranks events of one ts 1, 2, 3 and starts again at a new ts", () => {
    const r = new RankCounter(null, 0);
    expect([r.next(A), r.next(A), r.next(B), r.next(B), r.next(B)]).toEqual([1, 2, 1, 2, 3]);
  });

  it("continues a saved rank", () => {
    expect(new RankCounter(A, 4).next(A)).toBe(5);
  });

  it("an event is after the cursor when later, or at the same ts with a higher rank", () => {
    const state = { ...EMPTY_SHIP_STATE, cursor_ts: A, cursor_rank: 2 };
    expect([afterCursor(A, 1, state), afterCursor(A, 2, state), afterCursor(A, 3, state), afterCursor(B, 1, state)]).toEqual([false, false, true, true]);
    expect(afterCursor(A, 1, EMPTY_SHIP_STATE)).toBe(true);
  });

  it("ships the device's own events, never AWS's lifecycle events", () => {
    expect(shippable({ ts: A, kind: "connection_attempt" } as never)).toBe(true);
    expect(shippable({ ts: A, kind: "lifecycle" } as never)).toBe(false);
  });
});

describe("JournalTail", () => {
  it("finds the late events the journal already holds: the longest run at their start that ends the journal", () => {
    const tail = new JournalTail();
    for (const l of ["a", "b", "c", "d"]) tail.keep(l);
    expect(tail.overlap(["c", "d", "e"])).toBe(2);
    expect(tail.overlap(["d", "e"])).toBe(1);
    expect(tail.overlap(["e", "f"])).toBe(0);
    expect(tail.overlap([])).toBe(0);
  });

  it("keeps a bounded tail", () => {
    const tail = new JournalTail(3);
    for (let i = 0; i < 100; i++) tail.keep(String(i));
    expect(tail.overlap(["97", "98", "99"])).toBe(3);
    expect(tail.overlap(["96", "97", "98", "99"])).toBe(0);
  });
});
