import { ManualClock } from "../../src/clock.js";
import { fleetInstruments } from "../../src/fleet/fleet-instruments.js";
import { FleetState } from "../../src/fleet/fleet-state.js";
import { parseFleetPayload } from "../../src/fleet/records.js";
import type { Telemetry } from "../../src/metrics/telemetry.js";
import { fleetPlay, type FleetPlay } from "./fleet-generator.js";

export interface FleetReplica {
  state: FleetState;
  clock: ManualClock;
  play: FleetPlay;
  detach(): void;
}

/**
 * A fleet replica's series on an app's telemetry, wired as the fleet service wires them (the
 * fleet's instruments on the service's provider, their observer in the state), its state fed
 * with a played fleet of every scenario (evidence included) and diagnosed.
 */
export function fleetReplica(telemetry: Telemetry, o: { perScenario: number; seed: number; topK?: number }): FleetReplica {
  const clock = new ManualClock(1_780_000_000_000 + 7_200_000);
  const instruments = fleetInstruments(telemetry.meterProvider.getMeter("mqtt-diagnostics-exporter.fleet"), o.topK ?? 3);
  const state = new FleetState(clock, instruments.observer);
  const play = fleetPlay({ perScenario: o.perScenario, evidence: true, seed: o.seed });
  // As a source hands them over: each message parsed from its JSON.
  for (const payload of [...play.events, ...play.evidence].map((m) => JSON.stringify(m))) {
    const record = parseFleetPayload(payload, clock.now());
    if ("error" in record) throw new Error(`fleetReplica: ${record.error}`);
    state.apply(record);
  }
  state.refresh({ all: true });
  instruments.attach(state, () => 1);
  return { state, clock, play, detach: () => instruments.detach() };
}
