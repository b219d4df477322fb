import { describe, expect, it } from "vitest";
import { CallbackOrder } from "../../../src/mqtt/callback-order.js";

function run(events: ("S" | "D")[], start: "open" | "closed" = "closed"): { applied: string[]; connected: boolean } {
  const order = new CallbackOrder();
  const applied: string[] = [];
  if (start === "open") order.success(() => undefined);
  events.forEach((e, i) => (e === "S" ? order.success(() => applied.push(`S${i}`)) : order.drop(() => applied.push(`D${i}`))));
  return { applied, connected: order.connected };
}

describe("CallbackOrder", () => {
  it("applies callbacks in order when they arrive in order", () => {
    expect(run(["S", "D", "S"])).toEqual({ applied: ["S0", "D1", "S2"], connected: true });
  });

  it("a success arriving before the drop it follows waits for that drop", () => {
    // Truth: open, drop, reconnected. Delivered: success first (its queue is drained first).
    expect(run(["S", "D"], "open")).toEqual({ applied: ["D1", "S0"], connected: true });
  });

  it("a drop arriving before the success it ends waits for that success", () => {
    expect(run(["D", "S"])).toEqual({ applied: ["S1", "D0"], connected: false });
  });

  it("bursts of each kind (each kind in its own order) resolve to successes minus drops", () => {
    // Truth: D S D S from an open session; delivered as S S D D.
    expect(run(["S", "S", "D", "D"], "open")).toEqual({ applied: ["D2", "S0", "D3", "S1"], connected: true });
  });

  it("reset forgets what waits, and a drop delivered after the stop ends nothing (the stop did)", () => {
    const order = new CallbackOrder();
    const applied: string[] = [];
    order.success(() => applied.push("S"));
    order.success(() => applied.push("S-late"));
    order.reset();
    order.drop(() => applied.push("D-late"));
    // The client is started again: its new session stands.
    order.success(() => applied.push("S2"));
    expect(applied).toEqual(["S", "S2"]);
    expect(order.connected).toBe(true);
    order.drop(() => applied.push("D2"));
    expect(applied).toEqual(["S", "S2", "D2"]);
  });
});
