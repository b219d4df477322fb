import { describe, expect, it } from "vitest";
import { createState, increment } from "../../../src/collector/state.js";

describe("createState", () => {
  it("starts empty, with Maps for everything keyed by input", () => {
    const s = createState(4);
    expect(s.drops.capacity).toBe(4);
    for (const map of [s.dropsByErrorName, s.dropsByLabel, s.failuresByLabel, s.serverDisconnects, s.connectionsByEventType]) {
      expect(map).toBeInstanceOf(Map);
    }
    increment(s.dropsByErrorName, "__proto__");
    increment(s.dropsByErrorName, "__proto__", 2);
    expect(s.dropsByErrorName.get("__proto__")).toBe(3);
    expect(Object.values(s.totals).every((n) => n === 0)).toBe(true);
  });
});
