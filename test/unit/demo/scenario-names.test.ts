import { describe, expect, it } from "vitest";
import { DEMO_SCENARIOS } from "../../../src/demo/scenario-names.js";
import { SCENARIO_CAUSE } from "../../../src/demo/scenarios.js";

describe("the demo's scenario names", () => {
  it("are unique, each with its expected cause, the keep-alive timeout last (AWS takes 1.5x the keep-alive)", () => {
    expect(new Set(DEMO_SCENARIOS).size).toBe(DEMO_SCENARIOS.length);
    expect(Object.keys(SCENARIO_CAUSE).sort()).toEqual([...DEMO_SCENARIOS].sort());
    expect(DEMO_SCENARIOS.at(-1)).toBe("keep_alive_timeout");
  });
});
