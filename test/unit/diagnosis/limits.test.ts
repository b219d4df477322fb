import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { MqttDiagnosticsCollector } from "../../../src/collector/collector.js";
import { historyOf } from "../../../src/diagnosis/history.js";
import { limitsOf, MQTT311_BLIND_SPOT } from "../../../src/diagnosis/limits.js";

describe("limitsOf", () => {
  it("names the MQTT 3.1.1 blind spot, and nothing for MQTT 5 or an unknown protocol", () => {
    const collector = new MqttDiagnosticsCollector({ clock: new ManualClock(0) });
    expect(limitsOf(historyOf(collector, { protocol: "mqtt311" }))).toEqual([MQTT311_BLIND_SPOT]);
    expect(limitsOf(historyOf(collector, { protocol: "mqtt5" }))).toEqual([]);
    expect(limitsOf(historyOf(collector))).toEqual([]);
  });
});
