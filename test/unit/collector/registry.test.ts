import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import type { MqttDiagnosticsCollector } from "../../../src/collector/collector.js";
import { CollectorRegistry } from "../../../src/collector/registry.js";

describe("CollectorRegistry", () => {
  it("one collector per connection, in creation order, the first being the default", () => {
    const registry = new CollectorRegistry({ clock: new ManualClock(0) });
    expect(registry.first()).toBeUndefined();
    const a = registry.getOrCreate("a");
    const b = registry.getOrCreate("b");
    expect(registry.getOrCreate("a")).toBe(a);
    expect([registry.first(), registry.get("b"), registry.get("c")]).toEqual([a, b, undefined]);
    expect(registry.names()).toEqual(["a", "b"]);
    expect(registry.all()).toEqual([a, b]);
    expect(a.connection).toBe("a");
  });

  it("hands the names out without a copy per call, a list handed out staying as it was", () => {
    const registry = new CollectorRegistry();
    registry.getOrCreate("a");
    registry.getOrCreate("b");
    const view = registry.namesView();
    expect(registry.namesView()).toBe(view);
    registry.getOrCreate("c");
    expect([view, registry.namesView(), registry.names()]).toEqual([
      ["a", "b"],
      ["a", "b", "c"],
      ["a", "b", "c"],
    ]);
  });

  it("tells created-listeners about existing and later collectors, until they unsubscribe", () => {
    const registry = new CollectorRegistry();
    registry.getOrCreate("a");
    const seen: string[] = [];
    const off = registry.onCreated((c: MqttDiagnosticsCollector) => seen.push(c.connection));
    registry.getOrCreate("b");
    registry.getOrCreate("b");
    off();
    registry.getOrCreate("c");
    expect(seen).toEqual(["a", "b"]);
  });
});
