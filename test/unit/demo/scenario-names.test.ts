import { describe, expect, it } from "vitest";
import { DEMO_SCENARIOS, demoJournalPath } from "../../../src/demo/scenario-names.js";
import { SCENARIO_CAUSE } from "../../../src/demo/scenarios.js";

describe("the demo's scenario names", () => {
  it("are unique, each with its expected cause, the keep-alive timeout last (AWS takes 1.5x the keep-alive)", () => {
    expect(new Set(DEMO_SCENARIOS).size).toBe(DEMO_SCENARIOS.length);
    expect(Object.keys(SCENARIO_CAUSE).sort()).toEqual([...DEMO_SCENARIOS].sort());
    expect(DEMO_SCENARIOS.at(-1)).toBe("keep_alive_timeout");
  });
});

describe("the demo's journal", () => {
  it("is one for the full cycle and one per scenario played alone, so earlier runs' causes never outrank the one played", () => {
    expect(demoJournalPath()).toBe("data/demo-journal.jsonl");
    expect(demoJournalPath("throttling")).toBe("data/demo-throttling-journal.jsonl");
    expect(new Set([undefined, ...DEMO_SCENARIOS].map((s) => demoJournalPath(s))).size).toBe(DEMO_SCENARIOS.length + 1);
  });
});
