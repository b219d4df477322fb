import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { MqttDiagnosticsCollector } from "../../../src/collector/collector.js";
import { formatSummary } from "../../../src/collector/summary-text.js";

describe("formatSummary", () => {
  it("prints the original module's summary of an export document", () => {
    const clock = new ManualClock(Date.parse("2026-03-01T12:00:00Z"));
    const c = new MqttDiagnosticsCollector({ clock, connection: "dev-1" });
    c.recordConnectionSuccess();
    clock.advance(90_000);
    c.recordConnectionDrop({
      error: { error_name: "AWS_IO_SOCKET_CLOSED", error_code: 1051, message: "closed" },
      reconnectAttempt: 3,
      disconnectReasonCode: 142,
    });
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

describe("formatSummary: AWS's side (replay --format text)", () => {
  it("shows server_reason per drop and the lifecycle section, AWS's strings escaped", async () => {
    const { AwsSide } = await import("../../helpers/lifecycle-builder.js");
    const side = new AwsSide({ skewMs: 120_000 });
    for (let i = 0; i < 2; i++) side.connect(1200).wait(4000).drop("ping").awsCloses("MQTT_KEEP_ALIVE_TIMEOUT", 597).wait(700);
    side.connect(1200).wait(600).foreign("203.0.113.9\u001b[31m").wait(0.05).drop("hangup").wait(5).connect(1200).wait(60);
    const c = new MqttDiagnosticsCollector({ clock: new ManualClock(side.t + 60_000), connection: "device-1" });
    for (const line of side.journal().trim().split("\n")) c.apply(JSON.parse(line) as Parameters<typeof c.apply>[0]);
    c.settleLifecycle();
    const text = formatSummary(c.export());
    expect(text).toMatch(/AWS_ERROR_MQTT5_PING_RESPONSE_TIMEOUT after 4000\.0s {2}\[AWS: MQTT_KEEP_ALIVE_TIMEOUT, keep-alive expiry, \+597\.0s\]\n/);
    expect(text).toContain("[AWS: DUPLICATE_CLIENTID, another device took the client ID, +");
    expect(text).toContain("AWS IOT CORE LIFECYCLE EVENTS\n");
    expect(text).toContain("Clock offset (AWS minus client): 119.960s from 4 paired connects\n");
    expect(text).toContain("  Warning: the client's clock is 120.0 s behind");
    expect(text).toContain("Other devices with this client ID: 1\n");
    expect(text).toContain("from 203.0.113.9\\x1b[31m (session sess-");
    expect(text).not.toContain("\u001b");
  });

  it("says nothing of AWS when it said nothing", () => {
    const c = new MqttDiagnosticsCollector({ clock: new ManualClock(0) });
    c.recordConnectionSuccess();
    c.recordConnectionDrop();
    expect(formatSummary(c.export())).not.toContain("AWS");
  });
});
