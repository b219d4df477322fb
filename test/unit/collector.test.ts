import { describe, expect, it, vi } from "vitest";
import { ManualClock } from "../../src/collector/clock.js";
import { MqttDiagnosticsCollector } from "../../src/collector/collector.js";

const T0 = Date.parse("2026-03-01T12:00:00Z");
const crt = (name: string, code: number) => Object.assign(new Error(`${name} message`), { error_name: name, error_code: code });

function setup(maxEventsRetained = 1000) {
  const clock = new ManualClock(T0);
  const logger = { warn: vi.fn(), error: vi.fn() };
  return { clock, logger, c: new MqttDiagnosticsCollector({ clock, maxEventsRetained, logger }) };
}

describe("MqttDiagnosticsCollector", () => {
  it("ends a session at its first drop; later drops carry no duration", () => {
    const { clock, c } = setup();
    c.recordConnectionSuccess();
    clock.advance(300_000);
    const first = c.recordConnectionDrop({ error: crt("AWS_ERROR_MQTT_UNEXPECTED_HANGUP", 5134) });
    clock.advance(2_000);
    const second = c.recordConnectionDrop({ error: crt("AWS_IO_SOCKET_CONNECTION_REFUSED", 1047), reconnectAttempt: 1 });
    expect(first.duration_connected_seconds).toBe(300);
    expect(second.duration_connected_seconds).toBeNull();
    const m = c.getMetrics();
    expect(m.total_connection_drops).toBe(2);
    expect(m.total_reconnect_attempts).toBe(2);
    expect(m.current_session_uptime_seconds).toBe(0);
    expect(c.export().session_history_summary).toEqual({ total_sessions: 1, sample_durations: [300] });
  });

  it("measures time to reconnect from the last drop and counts resumptions", () => {
    const { clock, c } = setup();
    c.recordConnectionSuccess();
    clock.advance(10_000);
    c.recordConnectionDrop();
    clock.advance(1_500);
    const ev = c.recordConnectionSuccess({ eventType: "resumed", sessionPresent: true });
    expect(ev.time_to_reconnect_seconds).toBe(1.5);
    const m = c.getMetrics();
    expect(m.total_connections).toBe(1);
    expect(m.connection_recovered).toBe(1);
  });

  it("buckets reconnect attempts over retained drops only", () => {
    const { c } = setup(3);
    for (const attempt of [0, 3, 7, 12]) c.recordConnectionDrop({ reconnectAttempt: attempt });
    expect(c.getMetrics().reconnection_attempts_distribution).toEqual({ "2-5": 1, "6-10": 1, "11+": 1 });
    expect(c.getRecentDrops(10)).toHaveLength(3);
  });

  it("keeps running the other drop listeners when one throws", () => {
    const { c, logger } = setup();
    const seen: string[] = [];
    c.onConnectionDrop(() => {
      throw new Error("boom");
    });
    c.onConnectionDrop((e) => seen.push(e.timestamp));
    c.recordConnectionDrop();
    expect(seen).toHaveLength(1);
    expect(logger.error).toHaveBeenCalledOnce();
  });

  it("exports null shortest session before any session ended", () => {
    const { c } = setup();
    expect(c.export().metrics.shortest_session_seconds).toBeNull();
  });
});
