import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NAMES } from "../../../src/metrics/names.js";

// Metric names are public (dashboards, alerts, users' queries): each instrument name is one the
// golden exposition publishes, a counter with Prometheus's `_total` added.
const families = new Map(
  [...readFileSync(new URL("../../golden/exposition.prom", import.meta.url), "utf8").matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1] ?? "", m[2] ?? ""]),
);

describe("instrument names", () => {
  it("are the families of the golden exposition, no more, no less", () => {
    const names: readonly string[] = Object.values(NAMES);
    const missing = names.filter((n) => !families.has(n) && families.get(`${n}_total`) !== "counter");
    expect(missing).toEqual([]);
    const undeclared = [...families.keys()].filter((f) => !names.includes(f) && !names.includes(f.replace(/_total$/, "")));
    expect(undeclared).toEqual([]);
  });

  it("are distinct, and valid Prometheus metric names", () => {
    const names = Object.values(NAMES);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
  });
});
