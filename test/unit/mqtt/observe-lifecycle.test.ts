import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { CollectorRegistry } from "../../../src/collector/registry.js";
import { connectedEvent, disconnectedEvent } from "../../../src/emulator/lifecycle-events.js";
import { observeLifecycle } from "../../../src/index.js";

const facts = (clientId: string) => ({ clientId, sessionIdentifier: "s-1", principalIdentifier: "p", ipAddress: "198.51.100.1", versionNumber: 1 });
const bytes = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));

describe("observeLifecycle: AWS's side from the application's own client", () => {
  it("gives the topics to subscribe to and records each event once, whatever the payload's type", () => {
    const registry = new CollectorRegistry({ clock: new ManualClock(0) });
    const heater = registry.getOrCreate("heater-1");
    const lifecycle = observeLifecycle({ "heater-1-client": heater });
    expect(lifecycle.topics).toEqual(["$aws/events/presence/+/heater-1-client"]);

    const event = disconnectedEvent(facts("heater-1-client"), 5, "THROTTLED");
    const topic = "$aws/events/presence/disconnected/heater-1-client";
    expect(lifecycle.onMessage(topic, bytes(event).buffer)).toBe(true); // MQTT 5 and 3.1.1: an ArrayBuffer
    expect(lifecycle.onMessage(topic, JSON.stringify(event))).toBe(true); // AWS's duplicate: not counted
    expect(lifecycle.onMessage("$aws/events/presence/connected/heater-1-client", bytes(connectedEvent(facts("heater-1-client"), 6)))).toBe(true);
    expect(lifecycle.onMessage("orders/1", "{}")).toBe(false);
    lifecycle.close();
    expect(heater.serverDisconnectReasons.get("THROTTLED")).toBe(1);
    expect(heater.lifecycleEventsByType.get("connected")).toBe(1);
  });

  it("takes a Map, and several collectors for one client ID", () => {
    const registry = new CollectorRegistry({ clock: new ManualClock(0) });
    const [a, b] = [registry.getOrCreate("a"), registry.getOrCreate("b")];
    const lifecycle = observeLifecycle(new Map([["dev", [a, b]]]));
    lifecycle.onMessage("$aws/events/presence/disconnected/dev", JSON.stringify(disconnectedEvent(facts("dev"), 5, "THROTTLED")));
    lifecycle.close();
    expect([a.serverDisconnectReasons.get("THROTTLED"), b.serverDisconnectReasons.get("THROTTLED")]).toEqual([1, 1]);
  });
});
