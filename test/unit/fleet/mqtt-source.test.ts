import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { fleetSubscription, PRESENCE_FILTER, topicMatches } from "../../../src/fleet/mqtt-source.js";
import type { FleetRecord } from "../../../src/fleet/records.js";

describe("topicMatches", () => {
  it.each([
    ["a/+", "a/b", true],
    ["a/+", "a/b/c", false],
    ["a/#", "a/b/c", true],
    ["a/b", "a/b", true],
    ["a/b", "a/c", false],
    ["a/+/c", "a/x/c", true],
    ["a/+", "a", false],
  ])("%s matches %s: %s", (filter, topic, want) => {
    expect(topicMatches(filter, topic)).toBe(want);
  });
});

describe("fleetSubscription", () => {
  const warnings: string[] = [];
  const records: FleetRecord[] = [];
  const sub = fleetSubscription("mqtt-diagnostics/evidence/+", { apply: (r) => records.push(r) }, new ManualClock(42), {
    warn: (_o, m) => warnings.push(m ?? ""),
    error: () => {},
  });

  it("subscribes to AWS's presence topics and the evidence filter, and owns only those", () => {
    expect(sub.topics).toEqual([PRESENCE_FILTER, "mqtt-diagnostics/evidence/+"]);
    expect(sub.owns("$aws/events/presence/connected/a")).toBe(true);
    expect(sub.owns("mqtt-diagnostics/evidence/a")).toBe(true);
    expect(sub.owns("probe/topic")).toBe(false);
  });

  it("hands each record to the sink with the clock's time; counts and warns about the rest; AWS's subscribe events quietly", () => {
    const event = {
      clientId: "a",
      timestamp: 1,
      eventType: "connected",
      sessionIdentifier: "s",
      principalIdentifier: "p",
      ipAddress: "198.51.100.1",
      versionNumber: 1,
    };
    sub.onMessage("$aws/events/presence/connected/a", JSON.stringify(event));
    sub.onMessage("mqtt-diagnostics/evidence/a", "{torn");
    sub.onMessage("$aws/events/presence/subscribed/a", JSON.stringify({ clientId: "a", eventType: "subscribed", timestamp: 1 }));
    expect(records).toEqual([{ kind: "lifecycle", clientId: "a", event, receivedAt: 42 }]);
    expect(sub.rejected).toBe(1);
    expect(warnings).toEqual(["fleet: ignoring a message that is neither an AWS lifecycle event nor evidence"]);
  });
});
