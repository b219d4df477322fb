import { describe, expect, it } from "vitest";
import { connectFailedEvent, connectedEvent, disconnectedEvent, type SessionFacts } from "../../../src/emulator/lifecycle-events.js";
import { dedupeKey, DeviceState, type DeviceSnapshot, MAX_AWS_EVENTS, MAX_DEVICE_LINES } from "../../../src/fleet/device-state.js";
import type { EvidenceMessage } from "../../../src/fleet/records.js";
import type { JournalEvent } from "../../../src/collector/event-model.js";

const facts = (n: number, ip = "198.51.100.1"): SessionFacts => ({
  clientId: "dev",
  sessionIdentifier: `s${n}`,
  principalIdentifier: "p",
  ipAddress: ip,
  versionNumber: n,
});
const T = 1_780_000_000_000;
const drop = (ts: number): JournalEvent => ({
  ts: new Date(ts).toISOString(),
  kind: "connection_drop",
  error_name: null,
  error_message: null,
  error_code: null,
  reconnect_attempt: 0,
  active_subscriptions: 0,
  queued_commands: 0,
});
const message = (first: number, lines: JournalEvent[], discarded = 0): EvidenceMessage => ({
  type: "mqtt-diagnostics-evidence",
  version: 1,
  client_id: "dev",
  first_seq: first,
  last_seq: first + lines.length - 1,
  discarded_total: discarded,
  events: lines.map((line, i) => ({ seq: first + i, line })),
});

describe("DeviceState", () => {
  it("counts AWS's duplicate deliveries once (sessionIdentifier + eventType + versionNumber)", () => {
    const d = new DeviceState("dev");
    const e = disconnectedEvent(facts(1), T, "THROTTLED");
    expect(d.applyLifecycle(e)).not.toBeNull();
    expect(d.applyLifecycle({ ...e })).toBeNull();
    expect(d.applyLifecycle(connectFailedEvent(facts(2), T + 5))).not.toBeNull();
    expect(d.applyLifecycle(connectFailedEvent(facts(2), T + 5))).toBeNull();
    expect(Object.fromEntries(d.reasons)).toEqual({ THROTTLED: 1, AUTHORIZATION_FAILED: 1 });
    expect(d.awsDrops).toBe(1);
  });

  it("keeps AWS's events in AWS's order whatever order they came in, and knows whether the device is connected", () => {
    const d = new DeviceState("dev");
    d.applyLifecycle(disconnectedEvent(facts(2), T + 20, "CONNECTION_LOST"));
    d.applyLifecycle(connectedEvent(facts(2), T + 10));
    d.applyLifecycle(connectedEvent(facts(1), T));
    expect(d.aws.map((e) => `${e.eventType}${e.eventType === "connect_failed" ? "" : e.versionNumber}`)).toEqual(["connected1", "connected2", "disconnected2"]);
    expect(d.connected).toBe(false);
    d.applyLifecycle(connectedEvent(facts(3), T + 30));
    expect(d.connected).toBe(true);
  });

  it("measures a session's length once both its ends are in, and the time to reconnect", () => {
    const d = new DeviceState("dev");
    expect(d.applyLifecycle(disconnectedEvent(facts(1), T + 60_000, "CONNECTION_LOST"))).toEqual({});
    expect(d.applyLifecycle(connectedEvent(facts(1), T))).toEqual({ sessionSeconds: 60 });
    expect(d.applyLifecycle(connectedEvent(facts(2), T + 65_000))).toEqual({ reconnectSeconds: 5 });
  });

  it("keeps at most MAX_AWS_EVENTS events, the newest; a late event older than all of them is counted, not kept", () => {
    const d = new DeviceState("dev");
    for (let n = 2; n < MAX_AWS_EVENTS + 10; n++) d.applyLifecycle(connectedEvent(facts(n), T + n));
    expect(d.aws).toHaveLength(MAX_AWS_EVENTS);
    d.applyLifecycle(disconnectedEvent(facts(1), T + 1, "THROTTLED"));
    expect(d.aws).toHaveLength(MAX_AWS_EVENTS);
    expect(d.aws[0]).toMatchObject({ versionNumber: 10 });
    expect(d.reasons.get("THROTTLED")).toBe(1);
  });

  it("applies shipped events only above the highest seq applied (repeats and overlaps are harmless)", () => {
    const d = new DeviceState("dev");
    expect(d.applyEvidence(message(1, [drop(T), drop(T + 1)]))).toBe(2);
    expect(d.applyEvidence(message(1, [drop(T), drop(T + 1)]))).toBe(0);
    expect(d.applyEvidence(message(2, [drop(T + 1), drop(T + 2)], 4))).toBe(1);
    expect([d.lastSeq, d.evidenceDrops, d.discardedTotal, d.lines.length]).toEqual([3, 3, 4, 3]);
    const before = d.version;
    expect(d.applyEvidence(message(3, [drop(T + 2)], 4))).toBe(0);
    expect(d.version).toBe(before);
  });

  it("keeps at most MAX_DEVICE_LINES shipped lines, and only the kinds the join reads", () => {
    const d = new DeviceState("dev");
    const publish: JournalEvent = { ts: new Date(T).toISOString(), kind: "publish", queued: false };
    d.applyEvidence(message(1, [publish, ...Array.from({ length: MAX_DEVICE_LINES + 3 }, (_, i) => drop(T + i))]));
    expect(d.lines).toHaveLength(MAX_DEVICE_LINES);
    expect(d.lines.every((l) => l.kind === "connection_drop")).toBe(true);
    expect(d.evidenceEvents).toBe(MAX_DEVICE_LINES + 4);
  });

  it("restores from its snapshot (through JSON) to the same state: repeats stay repeats", () => {
    const d = new DeviceState("dev");
    const e = disconnectedEvent(facts(1), T, "THROTTLED");
    d.applyLifecycle(connectedEvent(facts(1), T - 1000));
    d.applyLifecycle(e);
    d.applyEvidence(message(1, [drop(T)], 2));
    const r = DeviceState.restore(JSON.parse(JSON.stringify(d.snapshot())) as DeviceSnapshot);
    expect(r.snapshot()).toEqual(d.snapshot());
    expect(r.applyLifecycle({ ...e })).toBeNull();
    expect(r.applyEvidence(message(1, [drop(T)]))).toBe(0);
    expect(r.drops).toBe(1);
  });

  it("keeps the SDK version its newest evidence named (one string for all devices of a version), through its snapshot; an older checkpoint without it is unknown", () => {
    const a = new DeviceState("a");
    const b = new DeviceState("b");
    expect(a.sdkVersion).toBeNull();
    a.applyEvidence({ ...message(1, [drop(T)]), sdk_version: "1.20.0" });
    a.applyEvidence({ ...message(2, [drop(T + 1)]), sdk_version: "1.21.0" });
    a.applyEvidence(message(3, [drop(T + 2)]));
    b.applyEvidence({ ...message(1, [drop(T)]), client_id: "b", sdk_version: "1.21.0" });
    expect([a.sdkVersion, b.sdkVersion]).toEqual(["1.21.0", "1.21.0"]);
    const snap = JSON.parse(JSON.stringify(a.snapshot())) as DeviceSnapshot;
    expect(snap.sdk_version).toBe("1.21.0");
    expect(DeviceState.restore(snap).sdkVersion).toBe("1.21.0");
    const { sdk_version: _gone, ...older } = snap;
    expect(DeviceState.restore(older).sdkVersion).toBeNull();
  });

  it("dedupeKey is FNV-1a of `eventType|sessionIdentifier|version` (the keys checkpoints hold stay valid)", () => {
    const fnv = (text: string) => {
      let h = 0x811c9dc5;
      for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
      return h >>> 0;
    };
    expect(dedupeKey(connectedEvent(facts(7), T))).toBe(fnv("connected|s7|7"));
    expect(dedupeKey(disconnectedEvent(facts(7), T, "THROTTLED"))).toBe(fnv("disconnected|s7|7"));
    expect(dedupeKey(connectFailedEvent(facts(7), T))).toBe(fnv(`connect_failed|s7|t${T}`));
  });
});
