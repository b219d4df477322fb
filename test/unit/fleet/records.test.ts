import { describe, expect, it } from "vitest";
import { MAX_EVIDENCE_BYTES, parseFleetPayload } from "../../../src/fleet/records.js";

const connected = {
  clientId: "heater-1",
  timestamp: 1_700_000_000_000,
  eventType: "connected",
  sessionIdentifier: "s-1",
  principalIdentifier: "p",
  ipAddress: "198.51.100.7",
  versionNumber: 3,
};
const evidence = (events: unknown[], extra: Record<string, unknown> = {}) => ({
  type: "mqtt-diagnostics-evidence",
  version: 1,
  client_id: "heater-1",
  first_seq: 1,
  last_seq: 2,
  discarded_total: 0,
  events,
  ...extra,
});
const drop = { ts: "2026-01-01T00:00:00.000Z", kind: "connection_drop", error_name: "AWS_IO_SOCKET_CLOSED" };

describe("parseFleetPayload", () => {
  it("reads an AWS lifecycle event (as the IoT rule writes it, with extra fields) by eventType and clientId", () => {
    const r = parseFleetPayload(JSON.stringify({ ...connected, thingName: "x" }), 5);
    expect(r).toEqual({ kind: "lifecycle", clientId: "heater-1", event: connected, receivedAt: 5 });
  });

  it("reads an evidence message from a Buffer, with defaults filled in its journal lines", () => {
    const r = parseFleetPayload(
      Buffer.from(
        JSON.stringify(
          evidence([
            { seq: 1, line: drop },
            { seq: 2, line: { ts: drop.ts, kind: "connection_success" } },
          ]),
        ),
      ),
      9,
    );
    expect(r).toMatchObject({ kind: "evidence", clientId: "heater-1", receivedAt: 9, message: { first_seq: 1, last_seq: 2, discarded_total: 0 } });
    if (!("kind" in r) || r.kind !== "evidence") throw new Error("not evidence");
    expect(r.message.events.map((e) => e.seq)).toEqual([1, 2]);
    expect(r.message.events[0]?.line).toMatchObject({ kind: "connection_drop", reconnect_attempt: 0 });
    expect(r.skippedEvents).toBeUndefined();
  });

  it("reads the device's SDK version from the header; a value that is not a version is left out, not refused", () => {
    const ok = parseFleetPayload(JSON.stringify(evidence([{ seq: 1, line: drop }], { sdk_version: "1.21.0" })), 0);
    expect(ok).toMatchObject({ kind: "evidence", message: { sdk_version: "1.21.0" } });
    for (const bad of ["", "x".repeat(65), "1.0 <script>", 7]) {
      const r = parseFleetPayload(JSON.stringify(evidence([{ seq: 1, line: drop }], { sdk_version: bad })), 0);
      if (!("kind" in r) || r.kind !== "evidence") throw new Error("not evidence");
      expect(r.message.sdk_version).toBeUndefined();
    }
  });

  it("drops (and counts) events that are not journal lines, lifecycle lines, or out of order seq", () => {
    const r = parseFleetPayload(
      JSON.stringify(
        evidence([
          { seq: 1, line: drop },
          { seq: 1, line: drop },
          { seq: 2, line: { ...connected, ts: drop.ts, kind: "lifecycle" } },
          { seq: 3, line: { kind: "nope", ts: drop.ts } },
          7,
          { seq: 4, line: drop },
        ]),
      ),
      0,
    );
    if (!("kind" in r) || r.kind !== "evidence") throw new Error("not evidence");
    expect(r.message.events.map((e) => e.seq)).toEqual([1, 4]);
    expect(r.skippedEvents).toBe(4);
  });

  it.each([
    ["not JSON", "{torn", "not JSON"],
    ["an array", "[]", "not a JSON object"],
    ["a wrong version", JSON.stringify(evidence([], { version: 2 })), "version 2"],
    ["no client_id", JSON.stringify(evidence([], { client_id: "" })), "client_id"],
    ["last before first", JSON.stringify(evidence([], { first_seq: 5, last_seq: 4 })), "first_seq"],
    ["a negative discarded_total", JSON.stringify(evidence([], { discarded_total: -1 })), "discarded_total"],
    ["events not an array", JSON.stringify(evidence([], { events: {} })), "events"],
    ["a lifecycle event without its session", JSON.stringify({ ...connected, sessionIdentifier: undefined }), "sessionIdentifier"],
  ])("refuses %s with a reason", (_name, payload, reason) => {
    const r = parseFleetPayload(payload, 0);
    expect("error" in r && r.error).toContain(reason);
  });

  it("marks AWS subscribe events as ignorable, not as corrupt", () => {
    expect(parseFleetPayload(JSON.stringify({ clientId: "a", eventType: "subscribed", timestamp: 1 }), 0)).toMatchObject({ ignore: true });
  });

  it("refuses a payload over AWS's 128 KiB limit", () => {
    const r = parseFleetPayload(Buffer.alloc(MAX_EVIDENCE_BYTES + 1, 32), 0);
    expect("error" in r && r.error).toContain("131072");
  });
});
