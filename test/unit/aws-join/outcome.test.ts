import { describe, expect, it } from "vitest";
import { outcomeOf } from "../../../src/aws-join/outcome.js";
import { SessionJoin } from "../../../src/aws-join/session-join.js";
import { connectedEvent, disconnectedEvent } from "../../../src/emulator/lifecycle-events.js";

const facts = (n: number, ip = "198.51.100.1") => ({ clientId: "d", sessionIdentifier: `s-${n}`, principalIdentifier: "p", ipAddress: ip, versionNumber: n });

describe("what AWS's end of a session means", () => {
  it("a keep-alive expiry, with AWS's delay after the drop (corrected for the offset)", () => {
    const j = new SessionJoin(10_000, 100);
    j.client(1, 0, "success");
    j.server(connectedEvent(facts(1), 2_000), 2_100);
    const drop = j.client(2, 100_000, "drop");
    j.server(disconnectedEvent(facts(1), 700_000, "MQTT_KEEP_ALIVE_TIMEOUT"), 698_100);
    expect(outcomeOf(j, drop)).toEqual({ outcome: "keep_alive_expiry", delayMs: 598_000, by: "session" });
  });

  it("DUPLICATE_CLIENTID: ours when the newcomer is our reconnect, foreign when it is another device's", () => {
    const j = new SessionJoin(10_000, 100);
    j.client(1, 0, "success");
    j.server(connectedEvent(facts(1), 0), 100);
    const first = j.client(2, 60_000, "drop");
    j.client(3, 62_000, "success");
    j.server(connectedEvent(facts(2), 62_000), 62_100);
    j.server(disconnectedEvent(facts(1), 62_000, "DUPLICATE_CLIENTID"), 62_100);
    expect(outcomeOf(j, first)?.outcome).toBe("self_takeover");
    j.server(connectedEvent(facts(3, "203.0.113.9"), 90_000), 90_100);
    j.server(disconnectedEvent(facts(2), 90_001, "DUPLICATE_CLIENTID"), 90_100);
    const second = j.client(4, 90_050, "drop");
    j.settle(200_000);
    expect(outcomeOf(j, second)?.outcome).toBe("foreign_takeover");
    expect(j.foreign.last().map((e) => e.ipAddress)).toEqual(["203.0.113.9"]);
    expect(outcomeOf(j, j.client(5, 300_000, "drop"))).toBeNull();
  });

  it("DUPLICATE_CLIENTID on a drop that itself received DISCONNECT 0x8E: foreign, even with a reconnect of ours at that moment", () => {
    const j = new SessionJoin(10_000, 100);
    j.client(1, 0, "success");
    const drop = j.client(2, 60_000, "drop");
    j.server(disconnectedEvent(facts(1), 60_000, "DUPLICATE_CLIENTID"), 60_100);
    j.client(3, 60_500, "success");
    // No connected event for the newcomer: our success 500 ms later would read as the newcomer...
    expect(outcomeOf(j, drop)?.outcome).toBe("self_takeover");
    // ...but a client that was told "session taken over" was still connected: the newcomer was another client.
    expect(outcomeOf(j, drop, true)?.outcome).toBe("foreign_takeover");
  });
});
