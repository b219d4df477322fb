import { describe, expect, it } from "vitest";
import { lifecycleKey, sameLifecycleMessage } from "../../../src/aws-join/events.js";
import { LifecycleLedger } from "../../../src/aws-join/ledger.js";
import { SeenEvents } from "../../../src/aws-join/seen-events.js";
import { connectFailedEvent, connectedEvent, disconnectedEvent } from "../../../src/emulator/lifecycle-events.js";

const s = (n: number, clientId = "dev-1") => ({ clientId, sessionIdentifier: `s-${n}`, principalIdentifier: "p", ipAddress: "198.51.100.1", versionNumber: n });

describe("SeenEvents", () => {
  it("knows an event by its message, not by its object, among the events of one session", () => {
    const seen = new SeenEvents();
    const connected = connectedEvent(s(1), 1_000);
    const disconnected = disconnectedEvent(s(1), 9_000, "CONNECTION_LOST");
    seen.add(connected);
    expect(seen.has(connectedEvent(s(1), 1_000))).toBe(true);
    expect(seen.has(disconnected)).toBe(false);
    seen.add(disconnected);
    expect(seen.has(disconnectedEvent(s(1), 9_000, "CONNECTION_LOST"))).toBe(true);
    expect(seen.has(connectedEvent(s(1), 1_001))).toBe(false);
    expect(seen.has(connectedEvent({ ...s(1), versionNumber: 2 }, 1_000))).toBe(false);
    expect(seen.has(connectedEvent(s(1, "dev-2"), 1_000))).toBe(false);
    seen.delete(connected);
    expect(seen.has(connectedEvent(s(1), 1_000))).toBe(false);
    expect(seen.has(disconnected)).toBe(true);
    seen.delete(disconnected);
    expect(seen.has(disconnected)).toBe(false);
  });

  it("agrees with lifecycleKey on which messages are the same", () => {
    const events = [
      connectedEvent(s(1), 1_000),
      connectedEvent(s(1), 2_000),
      connectedEvent(s(2), 1_000),
      disconnectedEvent(s(1), 1_000, "CONNECTION_LOST"),
      connectFailedEvent(s(1), 1_000),
      connectFailedEvent({ ...s(1), versionNumber: 7 }, 1_000),
    ];
    for (const a of events) for (const b of events) expect(sameLifecycleMessage(a, b)).toBe(lifecycleKey(a) === lifecycleKey(b));
  });
});

describe("the ledger's duplicate check", () => {
  it("ignores a message delivered twice while it is retained, and takes it again once evicted", () => {
    const ledger = new LifecycleLedger(2);
    const first = connectedEvent(s(1), 1_000);
    expect(ledger.add(first)).toBe(true);
    expect(ledger.add(connectedEvent(s(1), 1_000))).toBe(false);
    expect(ledger.has(connectedEvent(s(1), 1_000))).toBe(true);
    expect(ledger.add(connectedEvent(s(2), 2_000))).toBe(true);
    expect(ledger.add(connectedEvent(s(3), 3_000))).toBe(true); // evicts the first
    expect(ledger.has(first)).toBe(false);
    expect(ledger.add(connectedEvent(s(1), 1_000))).toBe(true);
    expect(ledger.eventsByType.get("connected")).toBe(4);
  });
});
