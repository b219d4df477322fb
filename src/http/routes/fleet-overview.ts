import type { FleetState } from "../../fleet/fleet-state.js";

/** One device as the fleet's pages list it. */
export interface FleetRow {
  client_id: string;
  cause: string | null;
  drops: number;
  connected: boolean;
}

/** What the status page and `/fleet` show of the fleet: counts, and the few devices with the most drops. */
export interface FleetOverview {
  devices: number;
  connected: number;
  /** Devices not diagnosed yet (their events have not settled). */
  undiagnosed: number;
  /** Devices by first cause, most devices first (ties by name). */
  byCause: [cause: string, devices: number][];
  /** The devices with the most drops (ties by client ID), at most `top`; devices without drops are not listed. */
  top: FleetRow[];
  /** The same for each cause but `healthy`, at most `perCause` each. */
  topByCause: Map<string, FleetRow[]>;
}

const before = (a: FleetRow, b: FleetRow) => a.drops > b.drops || (a.drops === b.drops && a.client_id < b.client_id);

/** Keeps `list` the `k` first rows (by `before`), inserting `row` if it belongs there. */
function keepTop(list: FleetRow[], row: FleetRow, k: number): void {
  if (k <= 0 || (list.length === k && !before(row, list[k - 1] as FleetRow))) return;
  let i = list.length;
  while (i > 0 && before(row, list[i - 1] as FleetRow)) i--;
  list.splice(i, 0, row);
  if (list.length > k) list.pop();
}

/**
 * One pass over the fleet, keeping only the top rows: the pages' size and cost stay bounded
 * whatever the number of devices (no sort of the whole fleet, no list of it).
 */
export function fleetOverview(state: FleetState, top: number, perCause = 0): FleetOverview {
  let connected = 0;
  const best: FleetRow[] = [];
  const byCauseTop = new Map<string, FleetRow[]>();
  for (const { device, cause } of state.devices()) {
    if (device.connected) connected++;
    if (device.drops === 0) continue;
    const row: FleetRow = { client_id: device.clientId, cause, drops: device.drops, connected: device.connected };
    keepTop(best, row, top);
    if (cause === null || cause === "healthy" || perCause <= 0) continue;
    const list = byCauseTop.get(cause) ?? [];
    keepTop(list, row, perCause);
    byCauseTop.set(cause, list);
  }
  const byCause = [...state.devicesByCause].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const diagnosed = byCause.reduce((n, [, d]) => n + d, 0);
  return { devices: state.size, connected, undiagnosed: state.size - diagnosed, byCause, top: best, topByCause: byCauseTop };
}

/** A device's link to its detail (an HTML page in a browser, its JSON document otherwise). */
export const devicePath = (clientId: string) => `/fleet/devices/${encodeURIComponent(clientId)}`;
