import { MeterProvider } from "@opentelemetry/sdk-metrics";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { CollectorRegistry } from "../../../src/collector/registry.js";
import { registerInstruments } from "../../../src/index.js";
import { PullReader } from "../../../src/metrics/pull-reader.js";

const providers: MeterProvider[] = [];
afterEach(async () => {
  for (const p of providers.splice(0)) await p.shutdown();
});

/** A connection whose sessions were taken over four times: diagnosed as duplicate_client_id. */
function foughtOver(): CollectorRegistry {
  const clock = new ManualClock(Date.parse("2026-01-01T00:00:00Z"));
  const registry = new CollectorRegistry({ clock });
  const c = registry.getOrCreate("heater-1");
  for (let i = 0; i < 4; i++) {
    c.recordConnectionSuccess();
    clock.advance(1500);
    c.recordConnectionDrop({ disconnectReasonCode: 0x8e });
    clock.advance(1800);
  }
  return registry;
}

async function collected(register: (provider: MeterProvider) => void) {
  const reader = new PullReader();
  const provider = new MeterProvider({ readers: [reader] });
  providers.push(provider);
  register(provider);
  const { resourceMetrics } = await reader.collect();
  return new Map(resourceMetrics.scopeMetrics.flatMap((s) => s.metrics.map((m) => [m.descriptor.name, m.dataPoints] as const)));
}

describe("registerInstruments", () => {
  it("registers mqtt_client_diagnosis without being told to, from the registry's own diagnoser", async () => {
    const registry = foughtOver();
    const metrics = await collected((p) => registerInstruments(p, registry));
    const causes = (metrics.get("mqtt_client_diagnosis") ?? []).map((d) => d.attributes["cause"]);
    expect(causes).toContain("duplicate_client_id");
    expect(metrics.get("mqtt_client_connection_drops")).toBeDefined();
  });

  it("takes the application's diagnoser, or leaves the gauge out with diagnoser: false", async () => {
    const registry = foughtOver();
    const own = await collected((p) =>
      registerInstruments(p, registry, {
        diagnoser: () =>
          ({ status: "findings", note: "", findings: [{ cause: "mine", confidence: 0.5, summary: "", evidence: [], recommendation: "" }] }) as never,
      }),
    );
    expect(own.get("mqtt_client_diagnosis")?.map((d) => [d.attributes["cause"], d.value])).toEqual([["mine", 0.5]]);
    const none = await collected((p) => registerInstruments(p, registry, { diagnoser: false }));
    expect(none.has("mqtt_client_diagnosis")).toBe(false);
  });

  it("detaches: the provider's next collection has none of our series", async () => {
    const registry = foughtOver();
    const reader = new PullReader();
    const provider = new MeterProvider({ readers: [reader] });
    providers.push(provider);
    registerInstruments(provider, registry)();
    const { resourceMetrics } = await reader.collect();
    expect(resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).filter((m) => m.dataPoints.length > 0)).toEqual([]);
  });
});
