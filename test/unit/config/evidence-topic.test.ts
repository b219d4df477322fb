import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/config/errors.js";
import { evidenceTopic } from "../../../src/config/evidence-topic.js";
import { validateConfig } from "../../../src/config/load.js";
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

describe("a connection's `evidence` section", () => {
  const connection = (evidence: Record<string, unknown>) => ({ connections: [{ endpoint: "broker.example", client_id: "dev-1", evidence }] });

  it("takes defaults: 1 publish/s, burst 1, a bounded backlog, the default topic", () => {
    const { config } = validateConfig(connection({}));
    expect(config.connections[0]?.evidence).toEqual({ publishes_per_second: 1, burst: 1, max_backlog_events: 10_000, max_backlog_bytes: 8 * 1024 * 1024 });
  });

  it.each([
    [{ topic: "evidence/+" }, /connections\[0\]\.evidence\.topic.*wildcards/],
    [{ publishes_per_second: 101 }, /connections\[0\]\.evidence\.publishes_per_second/],
    [{ max_backlog_bytes: 1000 }, /connections\[0\]\.evidence\.max_backlog_bytes/],
  ])("refuses %j, naming the setting", (evidence, message) => {
    expect(() => validateConfig(connection(evidence))).toThrow(ConfigError);
    expect(() => validateConfig(connection(evidence))).toThrow(message);
  });
});
