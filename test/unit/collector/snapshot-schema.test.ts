import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { MqttDiagnosticsCollector } from "../../../src/collector/collector.js";
import { snapshotProblem } from "../../../src/collector/snapshot-schema.js";

function busy(): MqttDiagnosticsCollector {
  const clock = new ManualClock(Date.parse("2026-03-01T12:00:00Z"));
  const c = new MqttDiagnosticsCollector({ clock, logger: { warn: () => undefined, error: () => undefined } });
  c.recordConnectionSuccess({ keepAliveSeconds: 60 });
  clock.advance(5_000);
  c.recordConnectionDrop({ error: { error_name: "AWS_IO_SOCKET_CLOSED", error_code: 1051, message: "closed" } });
  c.recordConnectionFailure({ error: new Error("refused"), connackReasonCode: 135 });
  return c;
}

describe("snapshotProblem", () => {
  it("accepts what the collector writes, through JSON", () => {
    expect(snapshotProblem(JSON.parse(JSON.stringify(busy().snapshot())))).toBeNull();
  });

  it("accepts a checkpoint of an older version (no reconnect_from_ms)", () => {
    const { reconnect_from_ms: _new, ...old } = busy().snapshot();
    expect(snapshotProblem(JSON.parse(JSON.stringify(old)))).toBeNull();
  });

  it("names the path of the first problem", () => {
    const state = JSON.parse(JSON.stringify(busy().snapshot())) as { drops: { error_code: unknown }[]; metrics: Record<string, unknown> };
    (state.drops[0] as { error_code: unknown }).error_code = "5134";
    expect(snapshotProblem(state)).toBe("`state.drops.0.error_code` must be an integer or null");
    expect(snapshotProblem({ metrics: { total_connections: "many" } })).toBe("`state.metrics.total_connections` must be a non-negative integer");
    expect(snapshotProblem(null)).toBe("`state` must be an object");
  });
});
