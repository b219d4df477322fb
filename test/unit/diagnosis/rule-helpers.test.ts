import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { MqttDiagnosticsCollector } from "../../../src/collector/collector.js";
import { historyOf } from "../../../src/diagnosis/history.js";
import { countBy, ended, withReason } from "../../../src/diagnosis/rule-helpers.js";

describe("rule helpers", () => {
  it("ended: only the drops that ended a session; withReason: drops with a DISCONNECT code in the set", () => {
    const clock = new ManualClock(Date.parse("2026-01-01T00:00:00Z"));
    const c = new MqttDiagnosticsCollector({ clock });
    c.recordConnectionSuccess();
    clock.advance(300_000);
    c.recordConnectionDrop({ disconnectReasonCode: 0x8e });
    clock.advance(1000);
    c.recordConnectionDrop(); // a failed reconnect: no session to end
    const h = historyOf(c);
    expect(h.drops).toHaveLength(2);
    expect(ended(h).map((d) => d.duration_connected_seconds)).toEqual([300]);
    expect(withReason(h, new Set([0x8e])).map((d) => d.disconnect_reason_code)).toEqual([0x8e]);
    expect(withReason(h, new Set([0x87]))).toEqual([]);
  });

  it("countBy counts in order of first appearance", () => {
    expect(countBy(["B", "A", "B", "B"])).toBe("B ×3, A ×1");
    expect(countBy([])).toBe("");
  });
});
