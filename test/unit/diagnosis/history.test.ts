import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { MqttDiagnosticsCollector } from "../../../src/collector/collector.js";
import { diagnose } from "../../../src/diagnosis/engine.js";
import { formatDiagnosis } from "../../../src/diagnosis/format.js";
import { DIAGNOSIS_MAX_EVENTS, historyOf } from "../../../src/diagnosis/history.js";

const hangup = { error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", error_code: 5134, message: "hang-up" };

describe("the history the rules read", () => {
  it("is at most the newest DIAGNOSIS_MAX_EVENTS of each kind, whatever the retention", () => {
    const clock = new ManualClock(Date.parse("2026-03-01T00:00:00Z"));
    const c = new MqttDiagnosticsCollector({ clock, connection: "big", maxEventsRetained: 200_000 });
    for (let i = 0; i < 30_000; i++) {
      c.recordConnectionSuccess({ eventType: "resumed" });
      clock.advance(20_000);
      c.recordConnectionDrop({ error: hangup });
      clock.advance(1_000);
    }
    const h = historyOf(c);
    expect(h.drops).toHaveLength(DIAGNOSIS_MAX_EVENTS);
    expect(h.connections).toHaveLength(DIAGNOSIS_MAX_EVENTS);
    expect(h.drops.at(-1)).toEqual(c.getRecentDrops(1)[0]);
  });

  it("says what an MQTT 3.1.1 connection cannot show, in JSON and in words", () => {
    const c = new MqttDiagnosticsCollector({ clock: new ManualClock(0), connection: "old" });
    c.recordConnectionSuccess({});
    const d = diagnose(historyOf(c, { protocol: "mqtt311" }));
    expect(d.limits).toHaveLength(1);
    expect(formatDiagnosis(d)).toMatch(/\n {3}Note: MQTT 3\.1\.1: aws-crt reports no event for a failed automatic reconnect/);
    expect(diagnose(historyOf(c, { protocol: "mqtt5" })).limits).toBeUndefined();
  });
});
