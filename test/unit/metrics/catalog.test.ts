import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CATALOG, METRICS, metricsFor } from "../../../src/metrics/catalog.js";
import { exposedName } from "../../../src/metrics/prometheus-text.js";

const golden = readFileSync(new URL("../../golden/exposition.prom", import.meta.url), "utf8");
const docs = readFileSync(new URL("../../../docs/metrics.md", import.meta.url), "utf8");

describe("the metric catalog", () => {
  it("declares each metric once, with a valid, distinct name and its labels", () => {
    const names = METRICS.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const m of METRICS) {
      expect(m.name).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
      for (const l of m.labels) expect(l).toMatch(/^[a-zA-Z_][a-zA-Z0-9_]*$/);
      if (m.scope === "connection") expect(m.labels[0]).toBe("connection");
      expect(m.help).not.toBe("");
    }
  });

  it("gives each histogram increasing buckets, in seconds", () => {
    for (const m of METRICS) {
      if (m.kind !== "histogram") continue;
      expect(m.unit).toBe("s");
      expect([...m.buckets].sort((a, b) => a - b)).toEqual(m.buckets);
      expect(new Set(m.buckets).size).toBe(m.buckets.length);
    }
  });

  it("is what the golden exposition publishes: each family's HELP and TYPE", () => {
    for (const m of METRICS) {
      const family = exposedName(m.name, m.kind);
      expect(golden, family).toContain(`# HELP ${family} ${m.help}\n# TYPE ${family} ${m.kind}\n`);
    }
  });

  it("is the table of docs/metrics.md, row for row", () => {
    const documented = new Set([...docs.matchAll(/`((?:mqtt_client|mqtt_diagnostics)_[a-z_]+)`/g)].map((m) => m[1]));
    for (const m of METRICS) expect(documented.has(exposedName(m.name, m.kind)), m.name).toBe(true);
  });

  it("leaves out a metric whose source is not given", () => {
    const without = metricsFor({ serviceVersion: "1" }).map((m) => m.name);
    expect(without).not.toContain(CATALOG.diagnosis.name);
    expect(without).not.toContain(CATALOG.journalWriteErrors.name);
    expect(without).not.toContain(CATALOG.lifecycleEventsDropped.name);
    const all = metricsFor({ serviceVersion: "1", diagnosis: () => [], journalStats: { writeErrors: () => 0 }, lifecycleDrops: () => new Map() });
    expect(all).toHaveLength(METRICS.length);
  });
});
