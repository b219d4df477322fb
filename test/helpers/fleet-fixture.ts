import { ManualClock } from "../../src/clock.js";
import { connectedEvent, disconnectedEvent } from "../../src/emulator/lifecycle-events.js";
import { FleetState } from "../../src/fleet/fleet-state.js";

export const FLEET_T0 = 1_780_000_000_000;

export interface FixtureDevice {
  id: string;
  /** Sessions AWS closed with `reason`, a minute apart. */
  drops: number;
  reason?: Parameters<typeof disconnectedEvent>[2];
  /** Connected again after the last drop (default true). */
  connected?: boolean;
}

const facts = (id: string, n: number) => ({
  clientId: id,
  sessionIdentifier: `${id}-${n}`,
  principalIdentifier: "p",
  ipAddress: "198.51.100.1",
  versionNumber: n,
});

/** Applies one device's AWS events (from AWS alone: the device ships nothing). */
export function playDevice(state: FleetState, d: FixtureDevice, start = FLEET_T0): void {
  let t = start;
  const apply = (event: ReturnType<typeof connectedEvent> | ReturnType<typeof disconnectedEvent>) =>
    state.apply({ kind: "lifecycle", clientId: d.id, event, receivedAt: t });
  for (let i = 1; i <= d.drops; i++) {
    apply(connectedEvent(facts(d.id, i), t));
    t += 30_000;
    apply(disconnectedEvent(facts(d.id, i), t, d.reason ?? "THROTTLED"));
    t += 1_000;
  }
  if (d.connected !== false) apply(connectedEvent(facts(d.id, d.drops + 1), t));
}

/** A fleet of these devices, each diagnosed, with the clock an hour after their events. */
export function fleetWith(devices: readonly FixtureDevice[]): { state: FleetState; clock: ManualClock } {
  const clock = new ManualClock(FLEET_T0 + 3_600_000);
  const state = new FleetState(clock);
  for (const d of devices) playDevice(state, d);
  state.refresh({ all: true });
  return { state, clock };
}
