import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/collector/clock.js";
import { MqttDiagnosticsCollector } from "../../../src/collector/collector.js";
import { formatSummary } from "../../../src/collector/summary-view.js";

describe("formatSummary", () => {
  it("prints the original module's summary of an export document", () => {
    const clock = new ManualClock(Date.parse("2026-03-01T12:00:00Z"));
    const c = new MqttDiagnosticsCollector({ clock, connection: "dev-1" });
    c.recordConnectionSuccess();
    clock.advance(90_000);
    c.recordConnectionDrop({ error: { error_name: "AWS_IO_SOCKET_CLOSED", error_code: 1051, message: "closed" }, reconnectAttempt: 3, disconnectReasonCode: 142 });
    c.recordConnectionDrop({ error: new Error("ECONNRESET") });
    c.recordPublish(true);
    const text = formatSummary(c.export());
    for (const line of [
      "Connection: dev-1   (as of 2026-03-01T12:01:30.000Z)",
      "Total Connection Drops: 2",
      "Longest Session: 90.0s",
      "  AWS_IO_SOCKET_CLOSED: 1",
      "  session_taken_over: 1",
      "  Attempts 1: 1",
      "  Attempts 2-5: 1",
      "Messages Queued: 1",
      "  2026-03-01T12:01:30.000Z  AWS_IO_SOCKET_CLOSED after 90.0s",
      "  2026-03-01T12:01:30.000Z  unknown error",
    ]) {
      expect(text).toContain(`${line}\n`);
    }
    expect(text.indexOf("Attempts 1:")).toBeLessThan(text.indexOf("Attempts 2-5:"));
  });

  it("leaves out the session statistics before any session ended", () => {
    const c = new MqttDiagnosticsCollector({ clock: new ManualClock(0) });
    expect(formatSummary(c.export())).not.toContain("Longest Session");
  });
});
