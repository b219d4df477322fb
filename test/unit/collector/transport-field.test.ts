import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { MqttDiagnosticsCollector, type RecordedEvent } from "../../../src/collector/collector.js";
import { lineOf } from "../../../src/collector/event-model.js";
import { parseJournalLine } from "../../../src/journal/parse.js";
import { reduce } from "../../../src/collector/reducer.js";
import { restoreState, snapshotOf } from "../../../src/collector/snapshot.js";
import { snapshotProblem } from "../../../src/collector/snapshot-schema.js";
import { createState } from "../../../src/collector/state.js";

const T0 = Date.parse("2026-03-01T12:00:00Z");

describe("connection_success `transport`", () => {
  it("is written when known, after keep_alive_seconds, and left out when not", () => {
    const c = new MqttDiagnosticsCollector({ clock: new ManualClock(T0) });
    const lines: RecordedEvent["line"][] = [];
    c.onEvent((e) => lines.push(e.line));
    c.recordConnectionSuccess({ keepAliveSeconds: 60, transport: "websocket_sigv4" });
    c.recordConnectionSuccess({});
    expect(JSON.stringify(lines[0])).toMatch(/"keep_alive_seconds":60,"transport":"websocket_sigv4"}$/);
    expect(lines[1]).not.toHaveProperty("transport");
    expect(c.getRecentConnections().map((r) => r.transport)).toEqual(["websocket_sigv4", null]);
  });

  it("a journal line's transport is read back; a wrong type is refused", () => {
    const line = '{"ts":"2026-03-01T12:00:00.000Z","kind":"connection_success","event_type":"connected","transport":"custom_auth"}';
    expect(parseJournalLine(line)).toMatchObject({ ok: true, event: { transport: "custom_auth" } });
    expect(parseJournalLine(line.replace('"custom_auth"', "7"))).toMatchObject({ ok: false, reason: expect.stringMatching(/transport/) as unknown });
  });

  it("a checkpoint written before the field existed restores, the field null", () => {
    const s = createState(5);
    reduce(s, lineOf("connection_success", new Date(T0).toISOString(), "default", { transport: "mtls_alpn" }), T0);
    reduce(s, lineOf("connection_success", new Date(T0 + 1000).toISOString(), "default", {}), T0 + 1000);
    const snap = JSON.parse(JSON.stringify(snapshotOf(s, T0 + 2000))) as ReturnType<typeof snapshotOf>;
    for (const r of snap.connections) delete (r as Partial<typeof r>).transport;
    expect(snapshotProblem(snap)).toBeNull();
    const copy = createState(5);
    restoreState(copy, snap);
    expect(copy.connections.last().map((r) => r.transport)).toEqual([null, null]);
    expect(Object.keys(copy.connections.last()[0] ?? {})).toEqual(Object.keys(s.connections.last()[0] ?? {}));
  });
});
