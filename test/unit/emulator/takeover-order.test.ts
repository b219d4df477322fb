import { describe, expect, it } from "vitest";
import { TakeoverOrder } from "../../../src/emulator/takeover-order.js";

describe("TakeoverOrder: the replaced session's end after the newcomer's connected event, as AWS publishes them", () => {
  it("holds the old session's end until the newcomer is connected", () => {
    const o = new TakeoverOrder<string, string>();
    o.replacing("old", "new");
    expect(o.closed("old", "old: DUPLICATE_CLIENTID")).toEqual([]);
    expect(o.connected("new")).toEqual(["old: DUPLICATE_CLIENTID"]);
    expect(o.connected("new")).toEqual([]);
    expect(o.size).toBe(0);
  });

  it("a session no newcomer replaces ends at once", () => {
    const o = new TakeoverOrder<string, string>();
    expect(o.closed("a", "a: CONNECTION_LOST")).toEqual(["a: CONNECTION_LOST"]);
    expect(o.closed("b", undefined)).toEqual([]);
    expect(o.size).toBe(0);
  });

  it("a newcomer that closes before it connected releases the end that waited for it", () => {
    const o = new TakeoverOrder<string, string>();
    o.replacing("old", "new");
    o.closed("old", "old: DUPLICATE_CLIENTID");
    expect(o.closed("new", undefined)).toEqual(["old: DUPLICATE_CLIENTID"]);
    expect(o.size).toBe(0);
  });

  it("a newcomer replaced in turn while connecting: the first end is released, the newcomer's own (never accepted) has none", () => {
    const o = new TakeoverOrder<string, string>();
    o.replacing("old", "second");
    o.closed("old", "old: DUPLICATE_CLIENTID");
    o.replacing("second", "third");
    expect(o.closed("second", undefined)).toEqual(["old: DUPLICATE_CLIENTID"]);
    expect(o.connected("third")).toEqual([]);
    expect(o.size).toBe(0);
  });
});
