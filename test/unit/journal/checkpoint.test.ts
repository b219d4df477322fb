import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { MqttDiagnosticsCollector } from "../../../src/collector/collector.js";
import { toCheckpoint } from "../../../src/journal/checkpoint.js";

function state(): unknown {
  const c = new MqttDiagnosticsCollector({ clock: new ManualClock(Date.parse("2026-01-01T00:00:00Z")) });
  c.recordConnectionSuccess();
  c.recordConnectionDrop({ error: { error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", error_code: 5134, message: "m" } });
  // Through JSON, as a checkpoint line is read back.
  return JSON.parse(JSON.stringify(c.snapshot())) as unknown;
}

describe("toCheckpoint", () => {
  it("accepts a collector's own snapshot, with or without a connection name", () => {
    const ts = "2026-01-01T00:10:00.000Z";
    const named = toCheckpoint({ ts, kind: "checkpoint", connection: "heater-1", state: state() });
    expect(named).toMatchObject({ ok: true, checkpoint: { ts, kind: "checkpoint", connection: "heater-1" } });
    const unnamed = toCheckpoint({ ts, kind: "checkpoint", state: state() });
    expect(unnamed.ok && "connection" in unnamed.checkpoint).toBe(false);
  });

  it("refuses, without throwing, what restoreSnapshot must not trust", () => {
    const good = { ts: "2026-01-01T00:10:00.000Z", kind: "checkpoint", state: state() };
    const reasons = [
      { ...good, ts: "yesterday" },
      { ...good, connection: "" },
      { ...good, connection: 7 },
      { ...good, state: null },
      { ...good, state: { ...(good.state as object), drops: "many" } },
    ].map((v) => toCheckpoint(v));
    for (const r of reasons) expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/^checkpoint: /) as unknown });
  });
});
