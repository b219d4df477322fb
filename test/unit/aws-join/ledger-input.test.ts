import { describe, expect, it } from "vitest";
import { clientKindOf, eventOfLine, restoredClientEvents } from "../../../src/aws-join/ledger-input.js";
import { connectedEvent } from "../../../src/emulator/lifecycle-events.js";

const T0 = Date.parse("2026-03-01T12:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

describe("what the lifecycle ledger reads", () => {
  it("names the client-side event a journal line is, and nothing for other lines", () => {
    expect(
      ["connection_drop", "connection_failure", "connection_success", "connection_stopped", "publish", "toString"].map((kind) => clientKindOf({ kind })),
    ).toEqual(["drop", "failure", "success", "stop", undefined, undefined]);
  });

  it("reads AWS's event from a lifecycle line's fields, or null when they are not one", () => {
    const event = connectedEvent({ clientId: "dev-1", sessionIdentifier: "s-1", principalIdentifier: "p", ipAddress: "198.51.100.1", versionNumber: 1 }, T0);
    expect(eventOfLine({ kind: "lifecycle", ts: iso(T0), connection: "dev-1", ...event })).toEqual(event);
    expect(eventOfLine({ kind: "lifecycle", ts: iso(T0), eventType: "connected" })).toBeNull();
  });

  it("orders restored records by time, drops before successes before failures at one time", () => {
    const [d, s, f] = [{ timestamp: iso(T0 + 1000) }, { timestamp: iso(T0) }, { timestamp: iso(T0 + 1000) }];
    expect(restoredClientEvents({ drop: [d], success: [s], failure: [f] })).toEqual([
      { kind: "success", record: s, at: T0 },
      { kind: "drop", record: d, at: T0 + 1000 },
      { kind: "failure", record: f, at: T0 + 1000 },
    ]);
  });
});
