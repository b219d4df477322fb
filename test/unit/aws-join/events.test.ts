import { describe, expect, it } from "vitest";
import { AWS_DISCONNECT_REASONS, lifecycleTopics, parseLifecycleEvent, parseLifecycleJson } from "../../../src/aws-join/events.js";
import { connectFailedEvent, connectedEvent, disconnectedEvent, lifecycleTopic } from "../../../src/emulator/lifecycle-events.js";

const facts = { clientId: "dev-1", sessionIdentifier: "s-1", principalIdentifier: "p-1", ipAddress: "192.0.2.7", versionNumber: 4 };

describe("AWS lifecycle messages", () => {
  it("reads what the emulator writes, for every event type and reason (one schema)", () => {
    for (const e of [connectedEvent(facts, 1000), connectFailedEvent(facts, 1000), ...AWS_DISCONNECT_REASONS.map((r) => disconnectedEvent(facts, 2000, r))]) {
      expect(parseLifecycleJson(JSON.stringify(e))).toEqual({ ok: true, event: e });
    }
  });

  it("keeps only AWS's fields, in AWS's order; thingName and extras are dropped", () => {
    const parsed = parseLifecycleEvent({ thingName: "t", extra: 1, ...connectedEvent(facts, 5) });
    expect(parsed.ok && Object.keys(parsed.event)).toEqual([
      "clientId",
      "timestamp",
      "eventType",
      "sessionIdentifier",
      "principalIdentifier",
      "ipAddress",
      "versionNumber",
    ]);
  });

  it("names the field that is wrong", () => {
    expect(parseLifecycleJson("{")).toEqual({ ok: false, error: "not JSON" });
    expect(parseLifecycleEvent([])).toMatchObject({ ok: false });
    expect(parseLifecycleEvent({ eventType: "subscribed" })).toEqual({ ok: false, error: 'eventType "subscribed" is not a connect or disconnect event' });
    const { timestamp: _t, ...noTime } = disconnectedEvent(facts, 1, "THROTTLED");
    expect(parseLifecycleEvent(noTime)).toEqual({ ok: false, error: "disconnected event: timestamp is absent" });
    expect(parseLifecycleEvent({ ...disconnectedEvent(facts, 1, "THROTTLED"), disconnectReason: "a b" })).toEqual({
      ok: false,
      error: "disconnected event: disconnectReason is invalid",
    });
    expect(parseLifecycleEvent(JSON.parse('{"__proto__":{"eventType":"connected"}}') as unknown)).toMatchObject({ ok: false });
  });

  it("accepts a reason AWS may add later (upper-case name), so new reasons are counted, not lost", () => {
    expect(parseLifecycleEvent({ ...disconnectedEvent(facts, 1, "THROTTLED"), disconnectReason: "SOME_NEW_REASON" }).ok).toBe(true);
  });

  it("topics: $aws/events/presence/{type}/{clientId}", () => {
    expect(lifecycleTopics("dev-1")).toEqual([
      "$aws/events/presence/connected/dev-1",
      "$aws/events/presence/disconnected/dev-1",
      "$aws/events/presence/connect_failed/dev-1",
    ]);
    expect(lifecycleTopic(disconnectedEvent(facts, 1, "THROTTLED"))).toBe("$aws/events/presence/disconnected/dev-1");
  });
});
