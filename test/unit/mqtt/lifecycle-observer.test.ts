import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
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
    const sub = lifecycleSubscription(
      new Map([
        ["dev-a", [a]],
        ["dev-b", [b]],
      ]),
      logger,
    );
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

  it("a flood of 20,000 forged events for one client ID costs the collectors a bounded few; the others' events still get in; drops are counted", () => {
    const clock = new ManualClock(0);
    const registry = new CollectorRegistry({ clock, logger });
    const a = registry.getOrCreate("a");
    const b = registry.getOrCreate("b");
    const recorded = { a: 0 };
    const record = a.recordLifecycleEvent.bind(a);
    a.recordLifecycleEvent = (e) => (recorded.a++, record(e));
    warnings.length = 0;
    const sub = lifecycleSubscription(
      new Map([
        ["dev-a", [a]],
        ["dev-b", [b]],
      ]),
      logger,
      clock,
    );
    for (let i = 0; i < 20_000; i++) {
      sub.onMessage(
        "$aws/events/presence/disconnected/dev-a",
        JSON.stringify(disconnectedEvent({ ...facts("dev-a"), sessionIdentifier: `forged-${i}` }, i, "DUPLICATE_CLIENTID")),
      );
    }
    sub.onMessage("$aws/events/presence/disconnected/dev-b", JSON.stringify(disconnectedEvent(facts("dev-b"), 5, "THROTTLED")));
    // Oversized, or a topic naming another client ID than the event: not AWS's.
    clock.advance(60_000);
    sub.onMessage("$aws/events/presence/connected/dev-b", JSON.stringify({ ...connectedEvent(facts("dev-b"), 6), principalIdentifier: "x".repeat(5000) }));
    sub.onMessage("$aws/events/presence/connected/dev-b", JSON.stringify(connectedEvent(facts("dev-a"), 7)));
    sub.close();
    expect(recorded.a).toBe(100);
    expect(b.serverDisconnectReasons.get("THROTTLED")).toBe(1);
    expect(b.lifecycleEventsByType.get("connected") ?? 0).toBe(0);
    expect(sub.dropped()).toEqual(
      new Map([
        ["a", 19_900],
        ["b", 1],
      ]),
    );
    // The first drop and every tenfold (1, 10, 100, 1000, 10000), not one line per event.
    expect(warnings.filter((w) => w.includes("dropping events for 'dev-a'")).length).toBe(5);
  });

  it("config: lifecycle.observer must name a configured connection (one line)", () => {
    const connections = [
      { endpoint: "e", client_id: "dev-1", tls: undefined },
      { endpoint: "e", client_id: "watcher" },
    ];
    expect(validateConfig({ connections, lifecycle: { observer: "watcher", trust: "broker_acl" } }).config.lifecycle).toEqual({
      observer: "watcher",
      join_window_seconds: 10,
      trust: "broker_acl",
    });
    expect(() => validateConfig({ connections, lifecycle: { observer: "nobody" } })).toThrow(ConfigError);
    expect(() => validateConfig({ connections, lifecycle: { observer: "nobody" } })).toThrow(
      "lifecycle.observer: 'nobody' is not a configured connection (names: dev-1, watcher)",
    );
  });
});
