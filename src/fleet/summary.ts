import type { FleetCause } from "./device-view.js";
import type { FleetState } from "./fleet-state.js";

/** The fleet summary `fleet-replay` prints (and the fleet view shows). */
export interface FleetSummary {
  /** Cause -> number of devices whose first cause it is, most devices first. */
  devices_by_cause: Record<FleetCause, number>;
  /** Every device with its first cause, by client ID. */
  devices: { client_id: string; cause: FleetCause }[];
}

/** The summary of every device (each diagnosed now: a summary is never of stale causes). */
export function fleetSummary(state: FleetState): FleetSummary {
  state.refresh({ all: true });
  const devices = [...state.devices()].map(({ device, cause }) => ({ client_id: device.clientId, cause: cause ?? "insufficient_data" }));
  devices.sort((a, b) => (a.client_id < b.client_id ? -1 : a.client_id > b.client_id ? 1 : 0));
  const counts = new Map<FleetCause, number>();
  for (const d of devices) counts.set(d.cause, (counts.get(d.cause) ?? 0) + 1);
  const devices_by_cause = Object.fromEntries([...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
  return { devices_by_cause, devices };
}
