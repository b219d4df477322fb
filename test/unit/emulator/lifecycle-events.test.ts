import { describe, expect, it } from "vitest";
import { connectFailedEvent, connectedEvent, disconnectedEvent, lifecycleTopic, type SessionFacts } from "../../../src/emulator/lifecycle-events.js";

describe("lifecycle events, with AWS's fields", () => {
  const s: SessionFacts = { clientId: "186b5", sessionIdentifier: "s-1", principalIdentifier: "p-1", ipAddress: "192.0.2.0", versionNumber: 3 };

  it("connected and disconnected share the session's version number; only a client's own DISCONNECT is client-initiated", () => {
    expect(connectedEvent(s, 1573002230757)).toEqual({
      clientId: "186b5",
      timestamp: 1573002230757,
      eventType: "connected",
      sessionIdentifier: "s-1",
      principalIdentifier: "p-1",
      ipAddress: "192.0.2.0",
      versionNumber: 3,
    });
    const d = disconnectedEvent(s, 1573002340451, "DUPLICATE_CLIENTID");
    expect(d).toEqual({
      clientId: "186b5",
      timestamp: 1573002340451,
      eventType: "disconnected",
      sessionIdentifier: "s-1",
      principalIdentifier: "p-1",
      clientInitiatedDisconnect: false,
      disconnectReason: "DUPLICATE_CLIENTID",
      versionNumber: 3,
    });
    expect(disconnectedEvent(s, 1, "CLIENT_INITIATED_DISCONNECT").clientInitiatedDisconnect).toBe(true);
    expect(lifecycleTopic(d)).toBe("$aws/events/presence/disconnected/186b5");
  });

  it("connect_failed carries AUTHORIZATION_FAILED and the address", () => {
    const f = connectFailedEvent(s, 1460065214626);
    expect(f).toEqual({
      clientId: "186b5",
      timestamp: 1460065214626,
      eventType: "connect_failed",
      connectFailureReason: "AUTHORIZATION_FAILED",
      principalIdentifier: "p-1",
      sessionIdentifier: "s-1",
      ipAddress: "192.0.2.0",
    });
    expect(lifecycleTopic(f)).toBe("$aws/events/presence/connect_failed/186b5");
  });
});
