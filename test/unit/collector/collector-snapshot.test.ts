import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { isoTimestamp, ManualClock } from "../../../src/clock.js";
import { MqttDiagnosticsCollector } from "../../../src/collector/collector.js";
import { toCheckpoint } from "../../../src/journal/checkpoint.js";
import { parseJournalLine } from "../../../src/journal/parse.js";

const T0 = Date.parse("2026-03-01T12:00:00Z");
const quiet = () => ({ warn: vi.fn(), error: vi.fn() });
const crt = (name: string, code: number) => ({ error_name: name, error_code: code, message: `${name} message` });

function busy(maxEventsRetained: number): { clock: ManualClock; c: MqttDiagnosticsCollector } {
  const clock = new ManualClock(T0);
  const c = new MqttDiagnosticsCollector({ clock, maxEventsRetained, logger: quiet(), connection: "dev-1" });
  c.recordConnectionAttempt();
  c.recordConnectionSuccess({ keepAliveSeconds: 300, returnCode: 0 });
  for (let i = 0; i < 30; i++) {
    clock.advance(60_000 + i * 1_000);
    c.recordPublish(i % 3 === 0);
    c.recordConnectionDrop({
      error: i % 4 === 0 ? new Error("ECONNRESET") : crt("AWS_ERROR_MQTT_UNEXPECTED_HANGUP", 5134),
      disconnectReasonCode: i % 5 === 0 ? 142 : null,
    });
    clock.advance(500);
    c.recordConnectionDrop({ error: crt("AWS_IO_SOCKET_CONNECTION_REFUSED", 1047), reconnectAttempt: 1 + (i % 12) });
    c.recordConnectionFailure({ error: crt("AWS_IO_TLS_ERROR_NEGOTIATION_FAILURE", 1029), connackReasonCode: 135 });
    c.recordProbe(i % 7 === 0 ? null : 0.05);
    clock.advance(1_500);
    c.recordConnectionSuccess({ eventType: i % 2 ? "resumed" : "deep_reconnected", sessionPresent: true, attemptNumber: 2 });
  }
  clock.advance(42_000);
  return { clock, c };
}

describe("snapshot() and restoreSnapshot()", () => {
  it("carry the whole state: the export and every read-only view are the same afterwards", () => {
    const { clock, c } = busy(7);
    // Through JSON, as a checkpoint line carries it, and through the checkpoint validator.
    const line: unknown = JSON.parse(JSON.stringify({ ts: isoTimestamp(clock.now()), kind: "checkpoint", connection: "dev-1", state: c.snapshot() }));
    const checked = toCheckpoint(line as Record<string, unknown>);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    const copy = new MqttDiagnosticsCollector({ clock, maxEventsRetained: 7, logger: quiet(), connection: "dev-1" });
    copy.restoreSnapshot(checked.checkpoint.state);
    expect(copy.export()).toEqual(c.export());
    expect(copy.isConnected).toBe(true);
    expect(copy.sessionUptimeSeconds()).toBe(c.sessionUptimeSeconds());
    expect([...copy.dropsByErrorLabel]).toEqual([...c.dropsByErrorLabel]);
    expect([...copy.serverDisconnectsByReason]).toEqual([...c.serverDisconnectsByReason]);
    expect([...copy.connectionsByType]).toEqual([...c.connectionsByType]);
    expect(copy.sessionStats).toMatchObject({ count: c.sessionStats.count, sum: c.sessionStats.sum, min: c.sessionStats.min, max: c.sessionStats.max });
    expect([copy.probeCount, copy.probeTimeoutCount, copy.lastProbeRttSeconds]).toEqual([c.probeCount, c.probeTimeoutCount, c.lastProbeRttSeconds]);
    expect(copy.lastDropUnixSeconds).toBe(c.lastDropUnixSeconds);

    // And both go on identically.
    for (const x of [c, copy]) {
      x.recordConnectionDrop({ error: crt("AWS_ERROR_MQTT_TIMEOUT", 5129) });
      x.recordConnectionSuccess({ eventType: "resumed" });
    }
    expect(copy.export()).toEqual(c.export());
  });

  it("restores into a smaller retention by keeping the newest records (and their attempt buckets)", () => {
    const { clock, c } = busy(50);
    const small = new MqttDiagnosticsCollector({ clock, maxEventsRetained: 5, logger: quiet() });
    small.restoreSnapshot(c.snapshot());
    expect(small.getRecentDrops(100)).toEqual(c.getRecentDrops(5));
    const buckets: Record<string, number> = {};
    for (const d of c.getRecentDrops(5)) {
      const b = d.reconnect_attempt <= 1 ? "1" : d.reconnect_attempt <= 5 ? "2-5" : d.reconnect_attempt <= 10 ? "6-10" : "11+";
      buckets[b] = (buckets[b] ?? 0) + 1;
    }
    expect(small.getMetrics().reconnection_attempts_distribution).toEqual(buckets);
  });

  it("of a fresh collector gives a fresh collector (null shortest session, no sessions)", () => {
    const clock = new ManualClock(T0);
    const fresh = new MqttDiagnosticsCollector({ clock, logger: quiet() });
    const copy = new MqttDiagnosticsCollector({ clock, logger: quiet() });
    copy.restoreSnapshot(JSON.parse(JSON.stringify(fresh.snapshot())) as ReturnType<typeof fresh.snapshot>);
    expect(copy.export()).toEqual(fresh.export());
    expect(copy.export().metrics.shortest_session_seconds).toBeNull();
  });

  it("restoring emits nothing to the journal listeners", () => {
    const { c } = busy(10);
    const copy = new MqttDiagnosticsCollector({ logger: quiet() });
    const seen = vi.fn();
    copy.onEvent(seen);
    copy.onConnectionDrop(seen);
    copy.restoreSnapshot(c.snapshot());
    expect(seen).not.toHaveBeenCalled();
  });
});

describe("timestamps from a clock with sub-millisecond precision", () => {
  it("are whole-millisecond ISO 8601, so the journal line is readable again", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 4_102_444_800_000, noNaN: true }), (ms) => {
        expect(isoTimestamp(ms)).toBe(new Date(Math.floor(ms)).toISOString());
      }),
    );
    const clock = new ManualClock(T0 + 0.25);
    const c = new MqttDiagnosticsCollector({ clock, logger: quiet() });
    const lines: string[] = [];
    c.onEvent((e) => lines.push(JSON.stringify(e.line)));
    c.recordConnectionSuccess();
    clock.advance(1234.5678);
    c.recordConnectionDrop();
    expect(lines.map((l) => parseJournalLine(l).ok)).toEqual([true, true]);
  });
});
