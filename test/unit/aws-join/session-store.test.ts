import { describe, expect, it } from "vitest";
import { SessionJoin } from "../../../src/aws-join/session-join.js";
import { connectedEvent, disconnectedEvent } from "../../../src/emulator/lifecycle-events.js";

const facts = (n: number) => ({ clientId: "d", sessionIdentifier: `s-${n}`, principalIdentifier: "p", ipAddress: "198.51.100.1", versionNumber: n });

describe("the join's store and its reads", () => {
  it("half-open only once the window has passed and until the client's drop; pending before", () => {
    const j = new SessionJoin(10_000, 100);
    j.client(1, 0, "success");
    j.server(connectedEvent(facts(1), 30), 100);
    j.server(disconnectedEvent(facts(1), 60_000, "CONNECTION_LOST"), 60_100);
    expect(j.shift).toBe(30);
    expect(j.halfOpen(65_000)).toEqual([]);
    expect(j.pending(65_000)).toHaveLength(1);
    expect(j.halfOpen(80_000).map((e) => e.disconnectReason)).toEqual(["CONNECTION_LOST"]);
    j.client(2, 90_000, "drop");
    expect(j.halfOpen(100_000)).toEqual([]);
  });

  it("finds the newcomer's connect near a close, and a success near a time", () => {
    const j = new SessionJoin(10_000, 100);
    j.client(1, 0, "success");
    j.server(connectedEvent(facts(1), 0), 50);
    j.server(connectedEvent(facts(2), 5_000), 5_050);
    expect(j.connectNear(5_010, 1_000, "s-1")?.sid).toBe("s-2");
    expect(j.connectNear(5_010, 1_000, "s-2")).toBeUndefined();
    expect(j.successNear(400, 1_000)?.id).toBe(1);
  });
});

describe("a stranger's connect just before our reconnect (live order: late, out of order)", () => {
  it("our own connect, arriving last, takes our success back: the stranger is foreign", () => {
    const j = new SessionJoin(3_000, 100);
    const other = { ...facts(2), ipAddress: "203.0.113.9" };
    j.client(1, 0, "success");
    j.server(connectedEvent(facts(1), 10), 100);
    j.server(connectedEvent(other, 30_000), 30_300); // the stranger takes our client ID over
    j.client(2, 30_050, "drop");
    j.server(disconnectedEvent(facts(1), 30_000, "DUPLICATE_CLIENTID"), 30_400);
    j.client(3, 31_500, "success"); // our reconnect: only the stranger's connect is known yet
    j.server(disconnectedEvent(other, 31_510, "DUPLICATE_CLIENTID"), 31_700);
    j.server(connectedEvent(facts(3), 31_510), 32_300);
    j.settle(60_000);
    expect(j.foreign.last().map((e) => e.ipAddress)).toEqual(["203.0.113.9"]);
    expect(j.halfOpen(60_000)).toEqual([]);
  });
});
