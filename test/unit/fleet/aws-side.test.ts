import { describe, expect, it } from "vitest";
import { connectFailedEvent, connectedEvent, disconnectedEvent, type SessionFacts } from "../../../src/emulator/lifecycle-events.js";
import { foreignSessions, linesFromAws } from "../../../src/fleet/aws-side.js";

const facts = (n: number, ip = "198.51.100.1"): SessionFacts => ({
  clientId: "dev",
  sessionIdentifier: `s${n}`,
  principalIdentifier: "p",
  ipAddress: ip,
  versionNumber: n,
});
const T = 1_780_000_000_000;

describe("linesFromAws", () => {
  it("is the client side AWS's events imply: a success per connect, a drop per disconnect, a stop when the client closed, a failure per refusal", () => {
    const lines = linesFromAws("dev", [
      connectedEvent(facts(1), T),
      disconnectedEvent(facts(1), T + 1000, "CONNECTION_LOST"),
      connectFailedEvent(facts(2), T + 2000),
      connectedEvent(facts(3), T + 3000),
      disconnectedEvent(facts(3), T + 4000, "CLIENT_INITIATED_DISCONNECT"),
    ]);
    expect(lines.map((l) => l.kind)).toEqual(["connection_success", "connection_drop", "connection_failure", "connection_success", "connection_stopped"]);
    expect(lines[0]).toMatchObject({ client_id: "dev", ts: new Date(T).toISOString() });
    expect(lines[1]).toMatchObject({ error_name: null });
  });

  it("never goes back in time: a session AWS closes after the next one opened ends before the next one starts", () => {
    const lines = linesFromAws("dev", [
      connectedEvent(facts(1), T),
      connectedEvent(facts(2), T + 5000),
      disconnectedEvent(facts(1), T + 5040, "DUPLICATE_CLIENTID"),
    ]);
    expect(lines.map((l) => [l.kind, l.ts])).toEqual([
      ["connection_success", new Date(T).toISOString()],
      ["connection_drop", new Date(T + 5040).toISOString()],
      ["connection_success", new Date(T + 5040).toISOString()],
    ]);
  });

  it("leaves out another device's sessions: a connect from another address that closed one of ours as DUPLICATE_CLIENTID", () => {
    const events = [
      connectedEvent(facts(1), T),
      connectedEvent(facts(2, "203.0.113.9"), T + 20_000),
      disconnectedEvent(facts(1), T + 20_030, "DUPLICATE_CLIENTID"),
      disconnectedEvent(facts(2), T + 25_000, "DUPLICATE_CLIENTID"),
      connectedEvent(facts(3), T + 25_000),
    ];
    expect([...foreignSessions(events)]).toEqual(["s2"]);
    expect(linesFromAws("dev", events).map((l) => l.kind)).toEqual(["connection_success", "connection_drop", "connection_success"]);
  });

  it("a device that moved to a new address without a fight is still itself", () => {
    const events = [connectedEvent(facts(1), T), disconnectedEvent(facts(1), T + 1000, "CONNECTION_LOST"), connectedEvent(facts(2, "203.0.113.9"), T + 2000)];
    expect(foreignSessions(events).size).toBe(0);
  });
});
