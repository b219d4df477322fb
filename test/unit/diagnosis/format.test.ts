import { describe, expect, it } from "vitest";
import { formatDiagnosis } from "../../../src/diagnosis/format.js";
import type { Diagnosis } from "../../../src/diagnosis/types.js";

describe("formatDiagnosis", () => {
  it("says the status, the limits, and each finding with its evidence and advice", () => {
    const d: Diagnosis = {
      connection: "heater-1",
      status: "findings",
      note: "1 cause found",
      evaluated_at: "2026-01-01T00:00:00.000Z",
      limits: ["MQTT 3.1.1: blind spot"],
      findings: [
        {
          cause: "nat_idle_timeout",
          confidence: 0.8,
          summary: "Idle sessions cut at 350 s",
          evidence: ["6 drops at 340-348 s"],
          recommendation: "Lower the keep-alive below 300 s",
        },
      ],
    };
    expect(formatDiagnosis(d)).toBe(
      [
        "DIAGNOSIS (heater-1): findings — 1 cause found",
        "   Note: MQTT 3.1.1: blind spot",
        "1. nat_idle_timeout (confidence 0.80): Idle sessions cut at 350 s",
        "   - 6 drops at 340-348 s",
        "   What to change: Lower the keep-alive below 300 s",
        "",
      ].join("\n"),
    );
  });

  it("writes insufficient_data in words, with no findings", () => {
    const d: Diagnosis = { connection: "c", status: "insufficient_data", note: "only 1 drop", evaluated_at: "2026-01-01T00:00:00.000Z", findings: [] };
    expect(formatDiagnosis(d)).toBe("DIAGNOSIS (c): insufficient data — only 1 drop\n");
  });
});
