import { describe, expect, it } from "vitest";
import { LifecycleLedger } from "../../../src/aws-join/ledger.js";
import { lifecycleSection, withServerReason } from "../../../src/aws-join/export-section.js";
import { connectedEvent, disconnectedEvent } from "../../../src/emulator/lifecycle-events.js";

const T0 = Date.parse("2026-03-01T12:00:00Z");
const s = (n: number, ip = "198.51.100.1") => ({ clientId: "dev-1", sessionIdentifier: `s-${n}`, principalIdentifier: "p", ipAddress: ip, versionNumber: n });

describe("the export's lifecycle views", () => {
  it("appends server_reason after the original keys; lists half-open closes and foreign sessions (newest `limit`)", () => {
    const ledger = new LifecycleLedger(100);
    const drop = { timestamp: new Date(T0).toISOString(), error_name: null };
    ledger.observe(
      {
        ts: drop.timestamp,
        kind: "connection_drop",
        error_name: null,
        error_message: null,
        error_code: null,
        reconnect_attempt: 0,
        active_subscriptions: 0,
        queued_commands: 0,
      },
      T0,
      drop,
    );
    ledger.add(disconnectedEvent(s(1), T0 + 100, "THROTTLED"), T0 + 200);
    // A session whose connect AWS's events do not show, closed by AWS: ours (the client's only open session), half-open.
    ledger.observe(
      { ts: new Date(T0 + 1000).toISOString(), kind: "connection_success", event_type: "connected", session_present: false, return_code: 0, attempt_number: 1 },
      T0 + 1000,
      {},
    );
    ledger.add(disconnectedEvent(s(2), T0 + 60_000, "CONNECTION_LOST"), T0 + 60_100);
    for (let i = 0; i < 3; i++) ledger.add(connectedEvent(s(10 + i, `203.0.113.${i}`), T0 + 120_000 + i), T0 + 120_100);
    const now = T0 + 300_000;
    ledger.settle(now);
    const [exported] = withServerReason([drop], ledger);
    expect(Object.keys(exported ?? {})).toEqual(["timestamp", "error_name", "server_reason"]);
    expect(exported?.server_reason).toBe("THROTTLED");
    const section = lifecycleSection(ledger, now, 2);
    expect(section.half_open).toEqual([{ timestamp: new Date(T0 + 60_000).toISOString(), disconnect_reason: "CONNECTION_LOST", session_identifier: "s-2" }]);
    expect(section.foreign_sessions.total).toBe(3);
    expect(section.foreign_sessions.recent.map((f) => f.ip_address)).toEqual(["203.0.113.1", "203.0.113.2"]);
    expect(section.disconnect_reasons).toEqual({ THROTTLED: 1, CONNECTION_LOST: 1 });
    expect([section.clock_offset_ms, section.clock_offset_samples, section.clock_offset_warning, section.unattributed]).toEqual([null, 0, null, []]);
  });
});
