import { MeterProvider } from "@opentelemetry/sdk-metrics";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { connectedEvent, disconnectedEvent } from "../../../src/emulator/lifecycle-events.js";
import { spawnSync } from "node:child_process";
import { FLEET_NAMES, fleetInstruments, SDK_VERSIONS_SHOWN, topVersions } from "../../../src/fleet/fleet-instruments.js";
import { serializePrometheus } from "../../../src/metrics/serializer.js";
import { promtool } from "../../helpers/prometheus.js";
import { FleetState } from "../../../src/fleet/fleet-state.js";
import { PullReader } from "../../../src/metrics/pull-reader.js";

const T = 1_780_000_000_000;
const facts = (id: string, n: number) => ({
  clientId: id,
  sessionIdentifier: `${id}-${n}`,
  principalIdentifier: "p",
  ipAddress: "198.51.100.1",
  versionNumber: n,
});

type Points = Map<string, { attributes: Record<string, unknown>; value: unknown }[]>;

async function collect(reader: PullReader): Promise<Points> {
  const { resourceMetrics } = await reader.collect();
  const out: Points = new Map();
  for (const sm of resourceMetrics.scopeMetrics)
    for (const m of sm.metrics)
      out.set(
        m.descriptor.name,
        m.dataPoints.map((p) => ({ attributes: p.attributes, value: p.value })),
      );
  return out;
}

describe("fleetInstruments", () => {
  it("reads the state's counts with bounded labels; the top K devices per cause are the only per-device series; histograms from sessions", async () => {
    const reader = new PullReader();
    const provider = new MeterProvider({ readers: [reader] });
    const instruments = fleetInstruments(provider.getMeter("t"), 2);
    const state = new FleetState(new ManualClock(T), instruments.observer);
    for (let k = 1; k <= 4; k++) {
      const id = `d${k}`;
      for (let n = 1; n <= k; n++) {
        state.apply({ kind: "lifecycle", clientId: id, event: connectedEvent(facts(id, n), T + n * 1000), receivedAt: T });
        state.apply({
          kind: "lifecycle",
          clientId: id,
          event: disconnectedEvent(facts(id, n), T + n * 1000 + 500, n === 1 ? ("MADE_UP_REASON" as "THROTTLED") : "THROTTLED"),
          receivedAt: T,
        });
      }
    }
    state.refresh({ all: true });
    instruments.attach(state, () => 7);
    const points = await collect(reader);
    // d1's only drop has a reason AWS does not document: too little to name a cause.
    expect(points.get(FLEET_NAMES.devices)).toEqual([
      { attributes: { cause: "insufficient_data" }, value: 1 },
      { attributes: { cause: "server_throttling" }, value: 3 },
    ]);
    expect(points.get(FLEET_NAMES.awsEvents)).toEqual([
      { attributes: { event_type: "disconnected", reason: "other" }, value: 4 },
      { attributes: { event_type: "disconnected", reason: "THROTTLED" }, value: 6 },
      { attributes: { event_type: "connected", reason: "none" }, value: 10 },
    ]);
    expect(points.get(FLEET_NAMES.topDrops)).toEqual([
      { attributes: { cause: "insufficient_data", rank: "1", client_id: "d1" }, value: 1 },
      { attributes: { cause: "server_throttling", rank: "1", client_id: "d4" }, value: 4 },
      { attributes: { cause: "server_throttling", rank: "2", client_id: "d3" }, value: 3 },
    ]);
    expect(points.get(FLEET_NAMES.rejected)).toEqual([{ attributes: {}, value: 7 }]);
    expect(points.get(FLEET_NAMES.connected)).toEqual([{ attributes: {}, value: 0 }]);
    expect(points.get(FLEET_NAMES.byTransport)).toEqual([{ attributes: { transport: "unknown" }, value: 4 }]);
    const sessions = points.get(FLEET_NAMES.sessionDuration)?.[0]?.value as { count: number; sum: number };
    expect([sessions.count, sessions.sum]).toEqual([10, 5]);
    instruments.detach();
    await provider.shutdown();
  });

  it("counts devices by SDK version from their evidence: the most common by name, the rest as other, unknown when they ship none; promtool-clean", async () => {
    const reader = new PullReader();
    const provider = new MeterProvider({ readers: [reader] });
    const instruments = fleetInstruments(provider.getMeter("t"), 2);
    const state = new FleetState(new ManualClock(T), instruments.observer);
    // Version 1.k.0 on k devices (k = 1..13), and 4 devices that ship nothing.
    let n = 0;
    for (let k = 1; k <= SDK_VERSIONS_SHOWN + 3; k++) {
      for (let j = 0; j < k; j++) {
        const id = `e${n++}`;
        state.apply({
          kind: "evidence",
          clientId: id,
          receivedAt: T,
          message: {
            type: "mqtt-diagnostics-evidence",
            version: 1,
            client_id: id,
            first_seq: 1,
            last_seq: 1,
            discarded_total: 0,
            sdk_version: `1.${k}.0`,
            events: [{ seq: 1, line: { ts: "2026-12-01T00:00:00.000Z", kind: "connection_success", connection: "default", client_id: id } as never }],
          },
        });
      }
    }
    for (let k = 0; k < 4; k++) state.apply({ kind: "lifecycle", clientId: `a${k}`, event: connectedEvent(facts(`a${k}`, 1), T), receivedAt: T });
    instruments.attach(state, () => 0);
    const points = await collect(reader);
    const byVersion = Object.fromEntries((points.get(FLEET_NAMES.bySdkVersion) ?? []).map((p) => [String(p.attributes["sdk_version"]), p.value] as const));
    // 13..4 by name (the ten most common), 1.1.0-1.3.0 (1 + 2 + 3 devices) as other.
    expect(byVersion).toEqual({ ...Object.fromEntries(Array.from({ length: SDK_VERSIONS_SHOWN }, (_, i) => [`1.${13 - i}.0`, 13 - i])), other: 6, unknown: 4 });
    const { resourceMetrics } = await reader.collect();
    const text = serializePrometheus(resourceMetrics);
    expect(text).toContain('mqtt_fleet_devices_by_sdk_version{sdk_version="1.13.0"} 13');
    const check = spawnSync(promtool(), ["check", "metrics"], { input: text, encoding: "utf8" });
    expect(check.stdout + check.stderr).toBe("");
    instruments.detach();
    await provider.shutdown();
  });

  it("topVersions: ties by version, unknown kept apart, nothing named past the cap", () => {
    expect(
      topVersions(
        new Map([
          ["2.0.0", 3],
          ["1.0.0", 3],
          ["0.9.0", 1],
          ["unknown", 5],
        ]),
        2,
      ),
    ).toEqual(
      new Map([
        ["1.0.0", 3],
        ["2.0.0", 3],
        ["other", 1],
        ["unknown", 5],
      ]),
    );
  });
});
