import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { CollectorRegistry } from "../../../src/collector/registry.js";
import { DiagnosisCache } from "../../../src/metrics/diagnosis-cache.js";

describe("DiagnosisCache", () => {
  it("diagnoses a connection again on change, at most once per interval", () => {
    const clock = new ManualClock(0);
    const registry = new CollectorRegistry({ clock, logger: { warn: () => undefined, error: () => undefined } });
    const c = registry.getOrCreate("heater-1");
    const calls: string[] = [];
    const cache = new DiagnosisCache(
      (name) => (calls.push(name), [{ cause: "network_unstable", confidence: calls.length / 10 }]),
      5000,
      () => clock.now(),
    );
    expect(cache.findings(c)[0]?.confidence).toBe(0.1);
    expect(cache.findings(c)[0]?.confidence).toBe(0.1);
    c.recordConnectionDrop();
    clock.advance(4999);
    expect(cache.due(c)).toBe(false);
    expect(cache.findings(c)[0]?.confidence).toBe(0.1);
    clock.advance(1);
    expect(cache.due(c)).toBe(true);
    expect(cache.findings(c)[0]?.confidence).toBe(0.2);
    clock.advance(60_000);
    expect(cache.due(c)).toBe(false);
    expect(calls).toHaveLength(2);
  });
});
