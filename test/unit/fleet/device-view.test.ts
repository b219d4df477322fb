import { describe, expect, it } from "vitest";
import type { JournalEvent } from "../../../src/collector/event-model.js";
import { connectedEvent, disconnectedEvent, type SessionFacts } from "../../../src/emulator/lifecycle-events.js";
import { DeviceState } from "../../../src/fleet/device-state.js";
import { deviceCollector, deviceDetail, deviceDiagnosis, firstCause } from "../../../src/fleet/device-view.js";

const facts = (n: number): SessionFacts => ({
  clientId: "dev",
  sessionIdentifier: `s${n}`,
  principalIdentifier: "p",
  ipAddress: "198.51.100.1",
  versionNumber: n,
});
const T = 1_780_000_000_000;
const iso = (ms: number) => new Date(ms).toISOString();

function throttled(): DeviceState {
  const d = new DeviceState("dev");
  for (let n = 1; n <= 3; n++) {
    d.applyLifecycle(connectedEvent(facts(n), T + n * 100_000));
    d.applyLifecycle(disconnectedEvent(facts(n), T + n * 100_000 + 30_000, "THROTTLED"));
  }
  return d;
}

describe("a device's diagnosis from its compact state", () => {
  it("from AWS's events alone: each drop gets AWS's reason through the collector's join", () => {
    const now = T + 1_000_000;
    const c = deviceCollector(throttled(), now);
    expect(c.getRecentDrops(10).map((r) => c.serverReasonOf(r))).toEqual(["THROTTLED", "THROTTLED", "THROTTLED"]);
    expect(firstCause(deviceDiagnosis(throttled(), now))).toBe("server_throttling");
  });

  it("from both sides when the device ships evidence: its own error names are what the drops say", () => {
    const d = throttled();
    const lines: JournalEvent[] = [1, 2, 3].flatMap((n) => [
      {
        ts: iso(T + n * 100_000 + 50),
        kind: "connection_success",
        event_type: "connected",
        session_present: false,
        return_code: null,
        attempt_number: 0,
        client_id: "dev",
      },
      {
        ts: iso(T + n * 100_000 + 30_020),
        kind: "connection_drop",
        error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP",
        error_message: "",
        error_code: 5134,
        reconnect_attempt: 0,
        active_subscriptions: 0,
        queued_commands: 0,
      },
    ]);
    d.applyEvidence({
      type: "mqtt-diagnostics-evidence",
      version: 1,
      client_id: "dev",
      first_seq: 1,
      last_seq: 6,
      discarded_total: 0,
      events: lines.map((line, i) => ({ seq: i + 1, line })),
    });
    const detail = deviceDetail(d, T + 1_000_000, 10);
    expect(detail.recent_drops.map((r) => [r.error_name, r.server_reason])).toEqual(Array(3).fill(["AWS_ERROR_MQTT_UNEXPECTED_HANGUP", "THROTTLED"]));
    expect(detail.fleet).toMatchObject({ client_id: "dev", cause: "server_throttling", drops: 3, last_seq: 6, connected: false });
    expect(detail.diagnosis.findings[0]?.cause).toBe("server_throttling");
  });

  it("a device connected and never dropped is healthy; one with nothing yet is insufficient_data", () => {
    const d = new DeviceState("dev");
    expect(firstCause(deviceDiagnosis(d, T))).toBe("insufficient_data");
    d.applyLifecycle(connectedEvent(facts(1), T));
    expect(firstCause(deviceDiagnosis(d, T + 60_000))).toBe("healthy");
  });
});
