import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseLifecycleJson, type LifecycleEvent } from "../../../src/aws-join/events.js";
import { connectFailedEvent, connectedEvent, disconnectedEvent } from "../../../src/emulator/lifecycle-events.js";
import { lifecycleLineEvent } from "../../../src/replay/lifecycle-line.js";

/** The same answer as parseLifecycleJson: the same event with its keys in the same order, or the same reason. */
function agrees(line: string): void {
  expect(JSON.stringify(lifecycleLineEvent(line)), line).toBe(JSON.stringify(parseLifecycleJson(line)));
}

const text = fc.string({ unit: fc.constantFrom("a", "Z", "_", "-", "1", ".", " ", '"', "\\", "\u0001", "é"), maxLength: 12 });
const facts = fc.record({
  clientId: text,
  sessionIdentifier: text,
  principalIdentifier: text,
  ipAddress: text,
  versionNumber: fc.integer({ min: -2, max: 2 ** 53 + 2 }),
});
const reason = fc.constantFrom("CONNECTION_LOST", "MQTT_KEEP_ALIVE_TIMEOUT", "lower", "", "AUTHORIZATION_FAILED");
const event = fc
  .tuple(fc.constantFrom("connected", "disconnected", "connect_failed"), facts, fc.integer({ min: -1, max: 2 ** 53 + 1 }), reason)
  .map(([type, f, at, r]): LifecycleEvent => {
    if (type === "connected") return connectedEvent(f, at);
    if (type === "disconnected") return disconnectedEvent(f, at, r as Parameters<typeof disconnectedEvent>[2]);
    return { ...connectFailedEvent(f, at), connectFailureReason: r };
  });

describe("lifecycleLineEvent", () => {
  it("reads the events AWS and the emulator write, in either key order, extra fields left out", () => {
    const f = { clientId: "dev-1", sessionIdentifier: "4f1c-9a", principalIdentifier: "p", ipAddress: "198.51.100.1", versionNumber: 3 };
    for (const e of [
      connectedEvent(f, 1_772_323_202_040),
      disconnectedEvent(f, 1_772_323_532_000, "MQTT_KEEP_ALIVE_TIMEOUT"),
      connectFailedEvent(f, 1_772_323_202_000),
    ]) {
      expect(lifecycleLineEvent(JSON.stringify(e))).toEqual({ ok: true, event: e });
      const reordered = JSON.stringify({ thingName: "t", ...Object.fromEntries(Object.entries(e).reverse()) });
      expect(JSON.stringify(lifecycleLineEvent(reordered))).toBe(JSON.stringify({ ok: true, event: e }));
    }
  });

  it("gives parseLifecycleJson's reason for what is not an event: torn, not an object, a field missing or of the wrong type, `__proto__`", () => {
    const line = JSON.stringify(connectedEvent({ clientId: "d", sessionIdentifier: "s", principalIdentifier: "p", ipAddress: "i", versionNumber: 1 }, 5));
    for (const other of [
      line.slice(0, -1),
      "[]",
      "null",
      "{}",
      line.replace('"ipAddress"', '"ip"'),
      line.replace(":5,", ':"5",'),
      line.replace('"eventType":"connected"', '"eventType":"subscribed"'),
      '{"__proto__":{"eventType":"connected"}}',
    ]) {
      agrees(other);
      expect(lifecycleLineEvent(other).ok, other).toBe(false);
    }
  });

  it("agrees with parseLifecycleJson on any event, reordered, with a key repeated, or torn anywhere", () => {
    fc.assert(
      fc.property(event, fc.array(fc.nat(), { maxLength: 3 }), fc.integer(), (e, cuts, extra) => {
        const line = JSON.stringify(e);
        agrees(line);
        const entries = Object.entries(e);
        agrees(JSON.stringify(Object.fromEntries([...entries].reverse())));
        agrees(`{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",")},"timestamp":${extra}}`);
        for (const cut of cuts) agrees(line.slice(0, cut % (line.length + 1)));
      }),
      { numRuns: 2000 },
    );
  });
});
