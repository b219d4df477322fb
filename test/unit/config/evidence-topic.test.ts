import { describe, expect, it } from "vitest";
import { evidenceTopic } from "../../../src/config/evidence-topic.js";
import { DEFAULT_EVIDENCE_TOPIC } from "../../../src/fleet/records.js";

describe("evidenceTopic", () => {
  it("puts the client ID in the default topic", () => {
    expect(evidenceTopic(DEFAULT_EVIDENCE_TOPIC, "heater-1")).toEqual({ topic: "mqtt-diagnostics/evidence/heater-1" });
  });

  it("accepts a Basic Ingest topic", () => {
    expect(evidenceTopic("$aws/rules/fleet_evidence/evidence/${clientId}", "heater-1")).toEqual({ topic: "$aws/rules/fleet_evidence/evidence/heater-1" });
  });

  it.each([
    ["a/+/b", "wildcards"],
    ["$aws/events/presence/x", "Basic Ingest"],
    ["", "empty"],
    ["a/b/c/d/e/f/g/h/i", "7 slashes"],
    ["x".repeat(300), "256 bytes"],
  ])("refuses %s", (template, problem) => {
    const r = evidenceTopic(template, "d");
    expect("problem" in r && r.problem).toMatch(problem);
  });
});
