import { describe, expect, it } from "vitest";
import { lineOf } from "../../../src/collector/event-model.js";
import { reduce } from "../../../src/collector/reducer.js";
import { createState } from "../../../src/collector/state.js";

const T0 = Date.parse("2026-03-01T12:00:00Z");
const at = (s: number) => T0 + s * 1000;
const ts = (s: number) => new Date(at(s)).toISOString();
const drop = (s: number, values: Record<string, unknown> = {}) => lineOf("connection_drop", ts(s), "default", values);
const success = (s: number, values: Record<string, unknown> = {}) => lineOf("connection_success", ts(s), "default", values);

describe("reduce", () => {
  it("ends a session at its first drop, measures the time to reconnect from the drop", () => {
    const s = createState(10);
    expect(reduce(s, success(0), at(0))).toEqual({ key: expect.any(Number) as unknown });
    expect(s.connections.newest()).toMatchObject({ time_to_reconnect_seconds: null });
    const ended = reduce(s, drop(300, { error_name: "AWS_IO_SOCKET_CLOSED", error_message: "closed", error_code: 1051 }), at(300));
    expect(ended.sessionEndedSeconds).toBe(300);
    const again = reduce(s, drop(301), at(301));
    expect(again.sessionEndedSeconds).toBeUndefined();
    expect(reduce(s, success(302, { event_type: "resumed" }), at(302)).timeToReconnectSeconds).toBe(1);
    expect(s.totals).toMatchObject({ total_connections: 1, connection_recovered: 1, total_connection_drops: 2 });
    expect([...s.dropsByErrorName]).toEqual([["AWS_IO_SOCKET_CLOSED", 1]]);
    expect([...s.dropsByLabel]).toEqual([
      ["AWS_IO_SOCKET_CLOSED", 1],
      ["none", 1],
    ]);
    expect(s.sessions.count).toBe(1);
  });

  it("stores each figure once: no longest/shortest/average or by-error copy in the state", () => {
    const keys = Object.keys(createState(1));
    for (const derived of ["longest", "shortest", "average", "connection_drops_by_error", "aws_error_counts", "attemptBuckets", "uptime"]) {
      expect(keys.some((k) => k.toLowerCase().includes(derived.toLowerCase()))).toBe(false);
    }
  });

  it("a stop ends the session and the reconnect window", () => {
    const s = createState(10);
    reduce(s, success(0), at(0));
    reduce(s, drop(10), at(10));
    reduce(s, success(12), at(12));
    reduce(s, lineOf("connection_stopped", ts(20), "default", { reason: "process_restart" }), at(20));
    expect(s.sessionStartMs).toBeNull();
    expect(reduce(s, success(3600), at(3600)).timeToReconnectSeconds).toBeUndefined();
    expect(s.lastDropMs).toBe(at(10));
  });

  it("counts publishes, attempts, failures, probes and server disconnects; bumps the version each time", () => {
    const s = createState(10);
    reduce(s, lineOf("publish", ts(0), "default", { queued: true }), at(0));
    reduce(s, lineOf("publish", ts(0), "default", {}), at(0));
    reduce(s, lineOf("connection_attempt", ts(1), "default", {}), at(1));
    reduce(s, lineOf("connection_failure", ts(1), "default", { error_message: "refused" }), at(1));
    reduce(s, lineOf("probe", ts(2), "default", { rtt_seconds: null }), at(2));
    reduce(s, lineOf("probe", ts(3), "default", { rtt_seconds: 0.05 }), at(3));
    reduce(s, drop(4, { disconnect_reason_code: 142 }), at(4));
    expect(s.totals).toMatchObject({ messages_published: 1, messages_queued: 1 });
    expect([s.attemptCount, s.failureCount, s.probes, s.probeTimeouts, s.lastProbeRtt]).toEqual([1, 1, 2, 1, 0.05]);
    expect([...s.failuresByLabel]).toEqual([["unknown", 1]]);
    expect([...s.serverDisconnects]).toEqual([["session_taken_over", 1]]);
    expect(s.version).toBe(7);
  });
});
