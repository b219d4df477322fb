import { describe, expect, it } from "vitest";
import { AWS_LIMITS, ConnectThrottle, PublishRate, effectiveKeepAliveSeconds, topicMatches } from "../../../src/emulator/aws-rules.js";
import { connectFailedEvent, connectedEvent, disconnectedEvent, lifecycleTopic, type SessionFacts } from "../../../src/emulator/lifecycle-events.js";

describe("AWS IoT Core's rules", () => {
  it("keep-alive: 30-1200 s accepted, less raised to 30, 0 or more than 1200 held to 1200", () => {
    expect([0, 5, 29, 30, 600, 1200, 1201, 5000].map((k) => effectiveKeepAliveSeconds(k, AWS_LIMITS))).toEqual([1200, 30, 30, 30, 600, 1200, 1200, 1200]);
  });

  it("one accepted CONNECT per second per client ID; refused attempts do not count", () => {
    const t = new ConnectThrottle(1000);
    expect(t.admit("a", 0)).toBe(true);
    expect(t.admit("b", 10)).toBe(true);
    expect(t.admit("a", 999)).toBe(false);
    expect(t.admit("a", 1000)).toBe(true);
    expect(t.admit("a", 1500)).toBe(false);
    expect(t.admit("a", 2000)).toBe(true);
  });

  it("more than 100 publishes within one second", () => {
    const r = new PublishRate();
    for (let i = 0; i < 100; i++) expect(r.exceeded(i, 100)).toBe(false);
    expect(r.exceeded(999, 100)).toBe(true);
    const slow = new PublishRate();
    for (let i = 0; i < 300; i++) expect(slow.exceeded(i * 10, 100)).toBe(false);
  });

  it("topic filters of the deny list", () => {
    expect(topicMatches("forbidden/#", "forbidden/a/b")).toBe(true);
    expect(topicMatches("forbidden/#", "forbidden")).toBe(true);
    expect(topicMatches("a/+/c", "a/b/c")).toBe(true);
    expect(topicMatches("a/+/c", "a/b/d")).toBe(false);
    expect(topicMatches("a/b", "a/b/c")).toBe(false);
  });
});

describe("lifecycle events, with AWS's fields", () => {
  const s: SessionFacts = { clientId: "186b5", sessionIdentifier: "s-1", principalIdentifier: "p-1", ipAddress: "192.0.2.0", versionNumber: 3 };

  it("connected and disconnected share the session's version number; only a client's own DISCONNECT is client-initiated", () => {
    expect(connectedEvent(s, 1573002230757)).toEqual({ clientId: "186b5", timestamp: 1573002230757, eventType: "connected", sessionIdentifier: "s-1", principalIdentifier: "p-1", ipAddress: "192.0.2.0", versionNumber: 3 });
    const d = disconnectedEvent(s, 1573002340451, "DUPLICATE_CLIENTID");
    expect(d).toEqual({ clientId: "186b5", timestamp: 1573002340451, eventType: "disconnected", sessionIdentifier: "s-1", principalIdentifier: "p-1", clientInitiatedDisconnect: false, disconnectReason: "DUPLICATE_CLIENTID", versionNumber: 3 });
    expect(disconnectedEvent(s, 1, "CLIENT_INITIATED_DISCONNECT").clientInitiatedDisconnect).toBe(true);
    expect(lifecycleTopic(d)).toBe("$aws/events/presence/disconnected/186b5");
  });

  it("connect_failed carries AUTHORIZATION_FAILED and the address", () => {
    const f = connectFailedEvent(s, 1460065214626);
    expect(f).toEqual({ clientId: "186b5", timestamp: 1460065214626, eventType: "connect_failed", connectFailureReason: "AUTHORIZATION_FAILED", principalIdentifier: "p-1", sessionIdentifier: "s-1", ipAddress: "192.0.2.0" });
    expect(lifecycleTopic(f)).toBe("$aws/events/presence/connect_failed/186b5");
  });
});
