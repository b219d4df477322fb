import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/collector/clock.js";
import { CollectorRegistry } from "../../../src/collector/registry.js";
import { validateConfig } from "../../../src/config/load.js";
import { ConfigError } from "../../../src/config/errors.js";
import { connectedEvent, disconnectedEvent } from "../../../src/emulator/lifecycle-events.js";
import { lifecycleSubscription } from "../../../src/mqtt/lifecycle-observer.js";

const warnings: string[] = [];
const logger = { warn: (_o: object, m?: string) => void warnings.push(m ?? ""), error: () => undefined, info: () => undefined, debug: () => undefined };
const facts = (clientId: string) => ({ clientId, sessionIdentifier: "s-1", principalIdentifier: "p", ipAddress: "198.51.100.1", versionNumber: 1 });

describe("the lifecycle observer's subscription", () => {
  it("one filter per watched client ID (a narrow policy), one wildcard above 40 (AWS allows 50 subscriptions)", () => {
    const registry = new CollectorRegistry({ logger });
    const few = new Map([["dev-1", [registry.getOrCreate("dev-1")]]]);
    expect(lifecycleSubscription(few, logger).topics).toEqual(["$aws/events/presence/+/dev-1"]);
    const many = new Map(Array.from({ length: 41 }, (_, i) => [`d${i}`, [registry.getOrCreate(`d${i}`)]] as const));
    expect(lifecycleSubscription(many, logger).topics).toEqual(["$aws/events/presence/+/+"]);
  });

  it("routes each event to the collectors of its client ID, once; ignores what is not an event", () => {
    const clock = new ManualClock(0);
    const registry = new CollectorRegistry({ clock, logger });
    const a = registry.getOrCreate("a");
    const b = registry.getOrCreate("b");
    const sub = lifecycleSubscription(new Map([["dev-a", [a]], ["dev-b", [b]]]), logger);
    const msg = JSON.stringify(disconnectedEvent(facts("dev-a"), 5, "THROTTLED"));
    sub.onMessage("$aws/events/presence/disconnected/dev-a", msg);
    sub.onMessage("$aws/events/presence/disconnected/dev-a", msg);
    sub.onMessage("$aws/events/presence/connected/dev-x", JSON.stringify(connectedEvent(facts("dev-x"), 5)));
    sub.onMessage("$aws/events/presence/connected/dev-b", "{not json");
    sub.onMessage("$aws/events/subscriptions/subscribed/dev-b", '{"eventType":"subscribed"}');
    sub.close();
    expect(a.serverDisconnectReasons.get("THROTTLED")).toBe(1);
    expect(b.hasLifecycleEvents).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(sub.owns("$aws/events/presence/connected/x")).toBe(true);
    expect(sub.owns("probe/x")).toBe(false);
  });

  it("config: lifecycle.observer must name a configured connection (one line)", () => {
    const connections = [{ endpoint: "e", client_id: "dev-1", tls: undefined }, { endpoint: "e", client_id: "watcher" }];
    expect(validateConfig({ connections, lifecycle: { observer: "watcher" } }).config.lifecycle).toEqual({ observer: "watcher", join_window_seconds: 10 });
    expect(() => validateConfig({ connections, lifecycle: { observer: "nobody" } })).toThrow(ConfigError);
    expect(() => validateConfig({ connections, lifecycle: { observer: "nobody" } })).toThrow("lifecycle.observer: 'nobody' is not a configured connection (names: dev-1, watcher)");
  });
});
