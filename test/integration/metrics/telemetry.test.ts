import { spawnSync } from "node:child_process";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { gunzipSync } from "node:zlib";
import { DataPointType, type ResourceMetrics } from "@opentelemetry/sdk-metrics";
import { afterEach, describe, expect, it } from "vitest";
import { hangup, startTestApp, type TestApp } from "../../helpers/app.js";
import { pollUntil } from "../../helpers/poll.js";
import { promtool } from "../../helpers/prometheus.js";

let t: TestApp | undefined;
afterEach(async () => t?.close());

const key = (name: string, labels: Record<string, string>) =>
  `${name}{${Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(",")}}`;

/** Every sample of a text exposition, by name and sorted labels. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m === null) throw new Error(`unparsable line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1] as string] = JSON.parse(`"${l[2] as string}"`) as string;
    out.set(key(m[1] as string, labels), Number(m[3] === "+Inf" ? Infinity : m[3]));
  }
  return out;
}

/** The samples that OpenTelemetry's collected data points stand for, written independently of the serializer. */
function expected(rm: ResourceMetrics): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of rm.scopeMetrics.flatMap((s) => s.metrics)) {
    const name = m.descriptor.name;
    for (const p of m.dataPoints) {
      const labels = Object.fromEntries(Object.entries(p.attributes).map(([k, v]) => [k, String(v)]));
      if (m.dataPointType === DataPointType.HISTOGRAM) {
        const h = p.value as { buckets: { boundaries: number[]; counts: number[] }; sum?: number; count: number };
        let cumulative = 0;
        h.buckets.boundaries.forEach((b, i) => {
          cumulative += h.buckets.counts[i] ?? 0;
          out.set(key(`${name}_bucket`, { ...labels, le: String(b) }), cumulative);
        });
        out.set(key(`${name}_bucket`, { ...labels, le: "+Inf" }), h.count);
        out.set(key(`${name}_sum`, labels), h.sum ?? 0);
        out.set(key(`${name}_count`, labels), h.count);
      } else {
        const counter = m.dataPointType === DataPointType.SUM && m.isMonotonic;
        out.set(key(counter ? `${name}_total` : name, labels), p.value as number);
      }
    }
  }
  return out;
}

async function scrape(app: TestApp, encoding?: string) {
  return app.app.inject({ method: "GET", url: "/metrics", headers: encoding ? { "accept-encoding": encoding } : {} });
}

describe("the /metrics exposition", () => {
  it("equals what OpenTelemetry collects, scrape after scrape, while connections change one by one", async () => {
    t = await startTestApp(["heater-1", "pump-2", "valve-3"]);
    const [a, b] = [t.registry.getOrCreate("heater-1"), t.registry.getOrCreate("pump-2")];
    const steps = [
      () => a.recordConnectionSuccess({ keepAliveSeconds: 60 }),
      () => (t?.clock.advance(310_000), a.recordConnectionDrop({ error: hangup })),
      () => b.recordConnectionFailure({ error: { error_name: "AWS_IO_DNS_INVALID_NAME", error_code: 1059, message: "m" } }),
      () => (t?.clock.advance(1_500), a.recordConnectionSuccess({ eventType: "resumed" }), a.recordProbe(0.02)),
      () => t?.registry.getOrCreate("late-4").recordConnectionAttempt(),
    ];
    for (const step of steps) {
      step();
      const text = (await scrape(t)).body;
      const want = expected(await t.telemetry.collect());
      const got = samples(text);
      expect(want.size).toBeGreaterThan(40);
      for (const [k, v] of want) expect(got.get(k), k).toBe(v);
      // The only additions: all-zero histograms for connections that have observed nothing yet.
      for (const [k, v] of got) if (!want.has(k)) expect([k, v]).toEqual([expect.stringMatching(/^mqtt_client_\w+_seconds_(bucket|sum|count)\{/), 0]);
    }
  });

  it("re-renders only the connection that changed", async () => {
    t = await startTestApp(["heater-1", "pump-2", "valve-3"]);
    await scrape(t);
    const before = t.telemetry.connectionRenders;
    t.registry.getOrCreate("pump-2").recordConnectionDrop();
    await scrape(t);
    expect(t.telemetry.connectionRenders - before).toBe(1);
    await scrape(t);
    expect(t.telemetry.connectionRenders - before).toBe(1);
  });

  it("is gzipped when the scraper asks, and decodes to the same exposition", async () => {
    t = await startTestApp(["heater-1", "pump-2"]);
    t.registry.getOrCreate("heater-1").recordConnectionDrop({ error: hangup });
    const plain = await scrape(t);
    const zipped = await scrape(t, "gzip, deflate, br");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.headers["vary"]).toMatch(/accept-encoding/i);
    const decoded = gunzipSync(zipped.rawPayload).toString("utf8");
    expect(decoded).toBe(plain.body);
    expect((await scrape(t, "gzip;q=0")).headers["content-encoding"]).toBeUndefined();
    const r = spawnSync(promtool(), ["check", "metrics"], { input: decoded, encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});

describe("the lifecycle observer's dropped events", () => {
  it("are a process-wide counter by connection, present only with an observer", async () => {
    const { CollectorRegistry } = await import("../../../src/collector/registry.js");
    const { createTelemetry } = await import("../../../src/metrics/telemetry.js");
    const quiet = { warn: () => undefined, error: () => undefined };
    const drops = new Map([["dev-1", 19_900]]);
    const withObserver = createTelemetry({ registry: new CollectorRegistry({ logger: quiet }), cacheMaxAgeMs: 0, lifecycleDrops: () => drops });
    const without = createTelemetry({ registry: new CollectorRegistry({ logger: quiet }), cacheMaxAgeMs: 0 });
    try {
      expect(samples((await withObserver.render()).body).get(key("mqtt_diagnostics_lifecycle_events_dropped_total", { connection: "dev-1" }))).toBe(19_900);
      expect((await without.render()).body).not.toContain("mqtt_diagnostics_lifecycle_events_dropped");
    } finally {
      await withObserver.shutdown();
      await without.shutdown();
    }
  });
});

describe("an exposition replaced by a newer one", () => {
  it("is not kept alive by the answers made for it", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const { CollectorRegistry } = await import("../../../src/collector/registry.js");
    const { createTelemetry } = await import("../../../src/metrics/telemetry.js");
    const registry = new CollectorRegistry({ logger: { warn: () => undefined, error: () => undefined } });
    const telemetry = createTelemetry({ registry, cacheMaxAgeMs: 60_000 });
    try {
      registry.getOrCreate("heater-1").recordConnectionSuccess({});
      const replaced = new WeakRef((await telemetry.exposition(undefined)).body);
      registry.getOrCreate("heater-1").recordConnectionDrop({ error: hangup });
      // A rendering no scrape asked for: the scrapes' answers still name the replaced exposition.
      expect((await telemetry.render()).body).toContain('mqtt_client_connected{connection="heater-1"} 0');
      await pollUntil(() => (gc(), replaced.deref() === undefined ? true : undefined), "the replaced exposition collected");
    } finally {
      await telemetry.shutdown();
    }
  });
});
