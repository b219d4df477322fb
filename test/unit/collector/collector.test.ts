import { describe, expect, it, vi } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { MqttDiagnosticsCollector } from "../../../src/collector/collector.js";
import { toCheckpoint } from "../../../src/journal/checkpoint.js";
import type { JournalEvent } from "../../../src/journal/events.js";
import { connectedEvent, disconnectedEvent } from "../../../src/emulator/lifecycle-events.js";

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

  it("counts error names that are Object.prototype members like any other name", () => {
    const { c } = setup();
    const names = ["constructor", "toString", "hasOwnProperty", "__proto__", "valueOf"];
    for (const name of [...names, "constructor"]) c.recordConnectionDrop({ error: crt(name, 1) });
    const doc = c.export();
    const expected = { constructor: 2, toString: 1, hasOwnProperty: 1, ["__proto__"]: 1, valueOf: 1 };
    // JSON text, so a count written into the prototype (or lost there) cannot hide.
    expect(JSON.parse(JSON.stringify(doc.metrics.connection_drops_by_error))).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(JSON.stringify(doc.aws_error_counts)).toBe(JSON.stringify(doc.metrics.connection_drops_by_error));
    expect(Object.keys(doc.metrics.connection_drops_by_error).sort()).toEqual([...names].sort());
  });

  it("keeps such names valid in a checkpoint, so a restart keeps the drop counter", () => {
    const { clock, c } = setup();
    for (const name of ["constructor", "toString", "__proto__", "constructor"]) c.recordConnectionDrop({ error: crt(name, 1) });
    const line: unknown = JSON.parse(JSON.stringify({ ts: "2026-03-01T12:00:00.000Z", kind: "checkpoint", state: c.snapshot() }));
    const checked = toCheckpoint(line as Record<string, unknown>);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    const copy = new MqttDiagnosticsCollector({ clock, logger: { warn: vi.fn(), error: vi.fn() } });
    copy.restoreSnapshot(checked.checkpoint.state);
    expect(copy.totals.total_connection_drops).toBe(4);
    expect(Object.keys(copy.export().aws_error_counts)).toContain("__proto__");
    expect(JSON.stringify(copy.export())).toBe(JSON.stringify(c.export()));
  });

  it("bounds names from input: error names, event types and stop reasons", () => {
    const { c } = setup();
    const long = "X".repeat(5_000_000);
    const lines: JournalEvent[] = [];
    c.onEvent((e) => lines.push(e.line));
    expect(c.recordConnectionDrop({ error: crt(long, 1) }).error_name).toHaveLength(256);
    expect(c.recordConnectionFailure({ error: crt(long, 1) }).error_name).toHaveLength(256);
    expect(c.recordConnectionSuccess({ eventType: long }).event_type).toHaveLength(256);
    c.recordConnectionStopped(long);
    c.apply({
      ts: "2026-03-01T12:00:00.000Z",
      kind: "connection_drop",
      error_name: long,
      error_message: long,
      error_code: 1,
      reconnect_attempt: 0,
      active_subscriptions: 0,
      queued_commands: 0,
    });
    c.apply({ ts: "2026-03-01T12:00:00.000Z", kind: "connection_failure", error_name: long, error_message: long, error_code: 1 });
    for (const line of lines) expect(JSON.stringify(line).length).toBeLessThan(1_200);
    expect(Math.max(...[...c.dropsByErrorLabel.keys(), ...c.connectionsByType.keys()].map((k) => k.length))).toBe(256);
  });

  it("does not count a restart as a reconnect: after a stop, the next success has no time to reconnect", () => {
    const { clock, c } = setup();
    const observed: number[] = [];
    c.recordConnectionSuccess();
    clock.advance(10_000);
    c.recordConnectionDrop();
    clock.advance(2_000);
    c.recordConnectionSuccess({ eventType: "resumed" });
    clock.advance(3_600_000);
    c.recordConnectionStopped("process_restart");
    // The next process restores the state and resumes.
    const copy = new MqttDiagnosticsCollector({ clock, logger: { warn: vi.fn(), error: vi.fn() } });
    copy.restoreSnapshot(c.snapshot());
    copy.onEvent((e) => {
      if (e.timeToReconnectSeconds !== undefined) observed.push(e.timeToReconnectSeconds);
    });
    clock.advance(5_000);
    expect(copy.recordConnectionSuccess().time_to_reconnect_seconds).toBeNull();
    expect(copy.lastDropUnixSeconds).toBe((T0 + 10_000) / 1000);
    clock.advance(1_000);
    copy.recordConnectionDrop();
    clock.advance(1_000);
    expect(copy.recordConnectionSuccess({ eventType: "resumed" }).time_to_reconnect_seconds).toBe(1);
    expect(observed).toEqual([1]);
  });
  it("finds AWS's side of its own records however they were read, and of no other collector's (whose keys are the same)", () => {
    const session = { clientId: "dev-1", sessionIdentifier: "s-1", principalIdentifier: "p", ipAddress: "198.51.100.1", versionNumber: 1 };
    const [a, b] = [setup(), setup()];
    for (const { clock, c } of [a, b]) {
      c.recordConnectionSuccess({ clientId: "dev-1" });
      if (c === a.c) c.recordLifecycleEvent(connectedEvent(session, T0 + 40));
      clock.advance(60_000);
    }
    const recorded = a.c.recordConnectionDrop({ error: crt("AWS_ERROR_MQTT_UNEXPECTED_HANGUP", 5134) });
    a.c.recordLifecycleEvent(disconnectedEvent(session, T0 + 59_900, "MQTT_KEEP_ALIVE_TIMEOUT"));
    const theirs = b.c.recordConnectionDrop({ error: crt("AWS_ERROR_MQTT_UNEXPECTED_HANGUP", 5134) });
    const [read] = a.c.getRecentDrops();
    expect(read).not.toBe(recorded);
    for (const own of [recorded, read as object, a.c.snapshot().drops[0] as object]) expect(a.c.serverReasonOf(own)).toBe("MQTT_KEEP_ALIVE_TIMEOUT");
    expect(a.c.serverOutcomeOf(read as object)?.outcome).toBe("keep_alive_expiry");
    for (const other of [theirs, b.c.getRecentDrops()[0] as object, { ...read }]) {
      expect(a.c.serverReasonOf(other)).toBeNull();
      expect(a.c.serverOutcomeOf(other)).toBeNull();
    }
  });
});
