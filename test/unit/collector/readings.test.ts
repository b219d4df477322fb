import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { MqttDiagnosticsCollector } from "../../../src/collector/collector.js";

const T0 = Date.parse("2026-03-01T12:00:00Z");

describe("CollectorReadings (the collector's read side)", () => {
  it("reads without writing: version and figures unchanged by any number of reads", () => {
    const clock = new ManualClock(T0);
    const c = new MqttDiagnosticsCollector({ clock });
    c.recordConnectionSuccess({ keepAliveSeconds: 30 });
    clock.advance(10_000);
    c.recordConnectionDrop({ error: { error_name: "AWS_IO_SOCKET_CLOSED", error_code: 1051, message: "closed" } });
    c.recordConnectionSuccess({ eventType: "resumed" });
    const version = c.version;
    clock.advance(4_000);
    const first = c.getMetrics();
    expect(c.getMetrics()).toEqual(first);
    c.export();
    c.snapshot();
    expect(c.version).toBe(version);
    expect(first.current_session_uptime_seconds).toBe(4);
    expect(c.sessionUptimeSeconds()).toBe(4);
    expect(c.totals).toMatchObject({ total_connections: 1, connection_recovered: 1, total_connection_drops: 1, total_reconnect_attempts: 1 });
    expect([c.isConnected, c.negotiatedKeepAliveSeconds, c.lastDropUnixSeconds]).toEqual([true, 30, (T0 + 10_000) / 1000]);
    expect(c.sessionStats).toMatchObject({ count: 1, sum: 10, min: 10, max: 10 });
    expect(JSON.parse(c.exportJson(1)) as unknown).toEqual(JSON.parse(JSON.stringify(c.export(1))));
  });
});
