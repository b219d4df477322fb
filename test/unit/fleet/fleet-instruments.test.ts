import { MeterProvider } from "@opentelemetry/sdk-metrics";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { connectedEvent, disconnectedEvent } from "../../../src/emulator/lifecycle-events.js";
import { FLEET_NAMES, fleetInstruments } from "../../../src/fleet/fleet-instruments.js";
import { FleetState } from "../../../src/fleet/fleet-state.js";
import { PullReader } from "../../../src/metrics/pull-reader.js";

const T = 1_780_000_000_000;
const facts = (id: string, n: number) => ({ clientId: id, sessionIdentifier: `${id}-${n}`, principalIdentifier: "p", ipAddress: "198.51.100.1", versionNumber: n });

type Points = Map<string, { attributes: Record<string, unknown>; value: unknown }[]>;

async function collect(reader: PullReader): Promise<Points> {
  const { resourceMetrics } = await reader.collect();
  const out: Points = new Map();
  for (const sm of resourceMetrics.scopeMetrics) for (const m of sm.metrics) out.set(m.descriptor.name, m.dataPoints.map((p) => ({ attributes: p.attributes, value: p.value })));
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
        state.apply({ kind: "lifecycle", clientId: id, event: disconnectedEvent(facts(id, n), T + n * 1000 + 500, n === 1 ? ("MADE_UP_REASON" as "THROTTLED") : "THROTTLED"), receivedAt: T });
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
});
