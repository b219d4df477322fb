import { describe, expect, expectTypeOf, it } from "vitest";
import { CollectorRegistry } from "../../../src/collector/registry.js";
import { CATALOG } from "../../../src/metrics/catalog.js";
import { byConnection, capped, counted, type MetricDef } from "../../../src/metrics/metric-def.js";

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

describe("metric declarations", () => {
  it("every catalog entry is a MetricDef; a connection metric's labels start with `connection`", () => {
    expectTypeOf(CATALOG.drops).toExtend<MetricDef>();
    for (const m of Object.values(CATALOG) as MetricDef[]) if (m.scope === "connection") expect(m.labels[0]).toBe("connection");
    expect(byConnection).toEqual(["connection"]);
  });

  it("counted emits one number; capped emits each label value's count", () => {
    const c = new CollectorRegistry({ logger: quiet }).getOrCreate("a");
    c.recordConnectionAttempt();
    c.recordConnectionDrop();
    const seen: [number, ...string[]][] = [];
    counted((x) => x.connectionAttempts)(c, (v, ...l) => seen.push([v, ...l]));
    capped((x) => x.dropsByErrorLabel)(c, (v, ...l) => seen.push([v, ...l]));
    expect(seen).toEqual([[1], [1, "none"]]);
  });
});
